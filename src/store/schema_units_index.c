/* Schema step 4: units: index for the children of a unit by level. */
#include <stddef.h>

#include "store/schema.h"

const struct migration schema_units_index = {
	4, "units: index for the children of a unit by level",
	"CREATE INDEX units_parent_level_idx ON units(parent_code, level, code);\n",
	NULL, NULL, 0
};
