/* Schema step 8: feedback: citizen requests, their history. */
#include <stddef.h>

#include "store/schema.h"

/* Citizen feedback (phản ánh, kiến nghị): the routed unit keeps its
 * path for scope; the holder moves up when it escalates; the
 * reporter's contact is read only through the audited get. */
const struct migration schema_feedback = {
	8, "feedback: citizen requests, their history",
	"CREATE TABLE feedback ("
	"  id @ID@,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  category TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  location_code TEXT NOT NULL REFERENCES units(code),"
	"  address TEXT,"
	"  lat DOUBLE PRECISION,"
	"  lon DOUBLE PRECISION,"
	"  reporter_name TEXT,"
	"  reporter_phone TEXT,"
	"  reporter_id BIGINT REFERENCES users(id),"
	"  source TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  assigned_code TEXT REFERENCES units(code),"
	"  assigned_path TEXT,"
	"  holder_code TEXT NOT NULL REFERENCES units(code),"
	"  escalations INTEGER NOT NULL DEFAULT 0,"
	"  status TEXT NOT NULL CHECK (status IN ('new','acknowledged','in_progress','answered',"
	"'closed','rejected')),"
	"  deadline TEXT NOT NULL,"
	"  holder_deadline TEXT NOT NULL,"
	"  answer TEXT,"
	"  answered_at BIGINT,"
	"  reject_reason TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL);\n"
	"CREATE INDEX feedback_path_idx ON feedback(unit_path, id);\n"
	"CREATE INDEX feedback_assigned_idx ON feedback(assigned_path, id);\n"
	"CREATE INDEX feedback_open_idx ON feedback(status, holder_deadline);\n"
	"CREATE INDEX feedback_reporter_idx ON feedback(reporter_id, id);\n"
	"CREATE TABLE feedback_events ("
	"  id @ID@,"
	"  feedback_id BIGINT NOT NULL REFERENCES feedback(id),"
	"  at BIGINT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  unit_code TEXT,"
	"  note TEXT,"
	"  actor TEXT NOT NULL);\n"
	"CREATE INDEX feedback_events_idx ON feedback_events(feedback_id, id);\n",
	NULL, NULL, 0
};
