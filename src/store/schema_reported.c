/* Schema step 13: reported_weeks: weekly figures reported by another system (DHIS2 import). */
#include <stddef.h>

#include "store/schema.h"

/* Figures another system reports for a unit's week (a DHIS2 dataValueSet
 * or ADX import), kept apart from case_weeks: those are counted from the
 * cases themselves, and a reported total added to them would count twice.
 * The exchange reads a reported figure in place of the counted one.
 * week_start is the Monday (YYYY-MM-DD); indicator a name of domain/dhis2. */
const struct migration schema_reported = {
	13, "reported_weeks: weekly figures reported by another system",
	"CREATE TABLE reported_weeks ("
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  week_start TEXT NOT NULL,"
	"  indicator TEXT NOT NULL,"
	"  value BIGINT NOT NULL,"
	"  reported_at BIGINT NOT NULL,"
	"  PRIMARY KEY (unit_code, week_start, indicator));\n",
	NULL, NULL, 0
};
