/* Schema step 20: feedback: the responsible department of a request,
 * provincial categories edited and retired, the queue sorted. */
#include <stddef.h>

#include "store/schema.h"

/* The department of a request pending before this step: its province's
 * category's, else the national category's default at the level of its
 * responsible unit (the number of '/' in its path: 2 a province, 3 a
 * district, more a commune), as data/feedback.json names them at this
 * step.  A retired category keeps its row (old requests keep their
 * category) but takes no new request; the indexes serve the queue's
 * sorted pages (keyset on the sort key, then id). */
#define FBD_LEVEL "(length(unit_path) - length(replace(unit_path, '/', '')))"
#define FBD_BY_LEVEL(prov, dist, comm) \
	" THEN CASE WHEN " FBD_LEVEL " <= 2 THEN '" prov "' WHEN " FBD_LEVEL " = 3 THEN '" dist \
	"' ELSE '" comm "' END"

const struct migration schema_feedback_departments = {
	20, "feedback: departments, provincial categories edited and retired, sorted queue",
	"ALTER TABLE feedback ADD COLUMN department TEXT;\n"
	"ALTER TABLE feedback_categories ADD COLUMN retired_at BIGINT;\n"
	"ALTER TABLE feedback_categories ADD COLUMN updated_by TEXT;\n"
	"ALTER TABLE feedback_categories ADD COLUMN updated_at BIGINT;\n"
	"UPDATE feedback SET department = (SELECT c.department FROM feedback_categories c"
	" WHERE c.code = feedback.category AND"
	" substr(feedback.unit_path, 1, length(c.province_code) + 2) = '/' || c.province_code || '/');\n"
	"UPDATE feedback SET department = CASE category"
	" WHEN 'shortage'" FBD_BY_LEVEL("Văn phòng UBND tỉnh", "Phòng LĐ-TB&XH", "UBND xã")
	" WHEN 'travel_permit'" FBD_BY_LEVEL("Công an tỉnh", "Công an huyện", "Công an xã")
	" WHEN 'support_payment'" FBD_BY_LEVEL("Sở LĐ-TB&XH", "Phòng LĐ-TB&XH", "Cán bộ LĐ-TB&XH xã")
	" WHEN 'quarantine_complaint'" FBD_BY_LEVEL("Sở Y tế", "Phòng Y tế", "Trạm Y tế")
	" WHEN 'business_reopening'" FBD_BY_LEVEL("Sở Kế hoạch và Đầu tư", "Phòng Kinh tế", "UBND xã")
	" WHEN 'other'" FBD_BY_LEVEL("Văn phòng UBND tỉnh", "Văn phòng UBND huyện", "UBND xã")
	" END WHERE department IS NULL;\n"
	"CREATE INDEX feedback_department_idx ON feedback(department, id);\n"
	"CREATE INDEX feedback_deadline_idx ON feedback(deadline, id);\n"
	"CREATE INDEX feedback_created_idx ON feedback(created_at, id);\n"
	"CREATE INDEX feedback_updated_idx ON feedback(updated_at, id);\n",
	NULL, NULL, 0
};
