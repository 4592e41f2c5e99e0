/* Schema step 18: feedback: located points, photos, provincial categories,
 * reminders, the monthly compilation forwarded to departments. */
#include <stddef.h>

#include "store/schema.h"

/* The point's district and its flag are kept as found when the request
 * came (the boundaries may change later); a photo is kept as base64 text,
 * which both backends store alike; a provincial category is unique within
 * its province, and a national code may not be reused there (checked by
 * the store); a request is forwarded once per month's compilation. */
const struct migration schema_feedback_more = {
	18, "feedback: points located, photos, provincial categories, reminders, forwards",
	"ALTER TABLE feedback ADD COLUMN geo_district TEXT;\n"
	"ALTER TABLE feedback ADD COLUMN geo_flag TEXT CHECK (geo_flag IN ('near_border','outside',"
	"'mismatch'));\n"
	"ALTER TABLE feedback ADD COLUMN geo_border_m INTEGER;\n"
	"ALTER TABLE feedback ADD COLUMN reminded_for TEXT;\n"
	"CREATE INDEX feedback_geo_idx ON feedback(geo_flag, id);\n"
	"CREATE TABLE feedback_photos ("
	"  id @ID@,"
	"  feedback_id BIGINT NOT NULL REFERENCES feedback(id),"
	"  media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg','image/png','image/webp')),"
	"  bytes BIGINT NOT NULL,"
	"  data TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL);\n"
	"CREATE INDEX feedback_photos_idx ON feedback_photos(feedback_id, id);\n"
	"CREATE TABLE feedback_categories ("
	"  id @ID@,"
	"  province_code TEXT NOT NULL REFERENCES units(code),"
	"  code TEXT NOT NULL,"
	"  name_vi TEXT NOT NULL,"
	"  name_en TEXT NOT NULL,"
	"  days INTEGER NOT NULL,"
	"  level TEXT NOT NULL CHECK (level IN ('province','district','commune')),"
	"  department TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  UNIQUE (province_code, code));\n"
	"CREATE TABLE feedback_forwards ("
	"  id @ID@,"
	"  feedback_id BIGINT NOT NULL REFERENCES feedback(id),"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  month TEXT NOT NULL,"
	"  department TEXT NOT NULL,"
	"  forwarded_by TEXT NOT NULL,"
	"  forwarded_at BIGINT NOT NULL,"
	"  due_on TEXT NOT NULL,"
	"  answer TEXT,"
	"  answered_by TEXT,"
	"  answered_at BIGINT,"
	"  UNIQUE (feedback_id, month));\n"
	"CREATE INDEX feedback_forwards_idx ON feedback_forwards(unit_code, month, id);\n",
	NULL, NULL, 0
};
