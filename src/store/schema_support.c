/* Schema step 10: support to people in hardship: applications, their
 * steps, objections and payments. */
#include <stddef.h>

#include "store/schema.h"

/* An application keeps its unit's path for scope and its commune for the
 * public posting; the ID number is indexed for the duplicate check across
 * the country, which answers a flag and not the other record. */
const struct migration schema_support = {
	10, "support: applications, steps, objections, payments",
	"CREATE TABLE support_applications ("
	"  id @ID@,"
	"  programme TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('person','household')),"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  commune_code TEXT NOT NULL REFERENCES units(code),"
	"  full_name TEXT NOT NULL,"
	"  id_number TEXT,"
	"  address TEXT,"
	"  person_id BIGINT REFERENCES people(id),"
	"  facts TEXT NOT NULL,"
	"  amount BIGINT NOT NULL,"
	"  source TEXT NOT NULL CHECK (source IN ('commune','citizen','employer')),"
	"  employer TEXT,"
	"  received_on TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','paid')),"
	"  step INTEGER NOT NULL,"
	"  step_started_on TEXT NOT NULL,"
	"  step_deadline TEXT NOT NULL,"
	"  posted_from TEXT,"
	"  posted_until TEXT,"
	"  reject_reason TEXT,"
	"  paid_amount BIGINT NOT NULL DEFAULT 0,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL);\n"
	"CREATE INDEX support_app_path_idx ON support_applications(unit_path, id);\n"
	"CREATE INDEX support_app_idn_idx ON support_applications(id_number);\n"
	"CREATE INDEX support_app_posting_idx ON support_applications(commune_code, programme);\n"
	"CREATE TABLE support_events ("
	"  id @ID@,"
	"  application_id BIGINT NOT NULL REFERENCES support_applications(id),"
	"  at BIGINT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  step INTEGER NOT NULL,"
	"  level TEXT,"
	"  on_day TEXT NOT NULL,"
	"  deadline TEXT,"
	"  late INTEGER NOT NULL DEFAULT 0,"
	"  note TEXT,"
	"  actor TEXT NOT NULL);\n"
	"CREATE INDEX support_events_idx ON support_events(application_id, id);\n"
	"CREATE TABLE support_payments ("
	"  id @ID@,"
	"  application_id BIGINT NOT NULL REFERENCES support_applications(id),"
	"  method TEXT NOT NULL CHECK (method IN ('cash','bank','post')),"
	"  amount BIGINT NOT NULL CHECK (amount > 0),"
	"  paid_on TEXT NOT NULL,"
	"  reference TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  actor TEXT NOT NULL);\n"
	"CREATE INDEX support_payments_idx ON support_payments(application_id);\n",
	NULL, NULL, 0
};
