/* Schema step 15: hotlines: public numbers and duty shifts of a unit. */
#include <stddef.h>

#include "store/schema.h"

/* The numbers a unit publishes, in its order, and its duty roster: days
 * are YYYY-MM-DD and times HH:MM in Asia/Ho_Chi_Minh; a shift whose end is
 * not after its start ends on the next day. */
const struct migration schema_hotlines = {
	15, "hotlines: public numbers and duty shifts of a unit",
	"CREATE TABLE hotlines ("
	"  id @ID@,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  position INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('health','police','social_support','unit','other')),"
	"  label TEXT NOT NULL,"
	"  phone TEXT NOT NULL,"
	"  hours TEXT,"
	"  always_open INTEGER NOT NULL DEFAULT 0,"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL);\n"
	"CREATE INDEX hotlines_unit_idx ON hotlines(unit_code, position);\n"
	"CREATE TABLE duty_shifts ("
	"  id @ID@,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  day TEXT NOT NULL,"
	"  from_time TEXT NOT NULL,"
	"  to_time TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  phone TEXT NOT NULL,"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL);\n"
	"CREATE INDEX duty_shifts_unit_idx ON duty_shifts(unit_code, day);\n",
	NULL, NULL, 0
};
