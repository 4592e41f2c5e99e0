/* Schema step 23: names in Vietnamese order.  Queries sort names with
 * "COLLATE vi": on SQLite the store registers that collation on every
 * connection (base/vicollate.c); on PostgreSQL this step creates it from
 * ICU's Vietnamese.  A PostgreSQL built without ICU gets "vi" as a copy of
 * "C" (names then sort by their bytes, as before) and a
 * warning in its log. */
#include <stddef.h>

#include "store/schema.h"

const struct migration schema_collation = {
	23, "names in Vietnamese order: the collation vi",
	"",
	NULL,
	"DO $s$ BEGIN"
	" CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi');"
	" EXCEPTION WHEN OTHERS THEN"
	" RAISE WARNING 'collation vi: %; names sort as the default collation does', SQLERRM;"
	" CREATE COLLATION IF NOT EXISTS vi FROM \"C\";"
	" END $s$;\n",
	0
};
