/* Schema step 17: what the public and businesses send to support, and
 * businesses without a country-wide tax-code oracle. */
#include <stddef.h>

#include "store/schema.h"

/*
 * - support_applications: a citizen's own application carries the hash of
 *   its tracking code and stays "unverified" until the commune checks it.
 * - support_objections: objections to a posted line sent by anyone; the
 *   commune's queue, never shown publicly.
 * - businesses: a tax code is no longer unique across the country (a
 *   refusal would tell a caller that a business out of its scope exists;
 *   the store refuses it only where the caller sees the other one); a
 *   household business may carry the order that stopped it, for the
 *   no-one-left-behind report.
 */
const struct migration schema_support_public = {
	17, "support: citizen and public objections; businesses: tax code per scope, stops",
	"ALTER TABLE support_applications ADD COLUMN tracking_hash TEXT;\n"
	"ALTER TABLE support_applications ADD COLUMN verified INTEGER NOT NULL DEFAULT 1;\n"
	"CREATE UNIQUE INDEX support_app_tracking_idx ON support_applications(tracking_hash);\n"
	"CREATE TABLE support_objections ("
	"  id @ID@,"
	"  application_id BIGINT NOT NULL REFERENCES support_applications(id),"
	"  commune_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  contact TEXT,"
	"  reason TEXT NOT NULL,"
	"  received_on TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL);\n"
	"CREATE INDEX support_objections_idx ON support_objections(unit_path, id);\n"
	"CREATE INDEX support_objections_app_idx ON support_objections(application_id);\n",
	/* SQLite rebuilds the table to drop the UNIQUE constraint. */
	"CREATE TABLE businesses_v17 ("
	"  id INTEGER PRIMARY KEY,"
	"  tax_code TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  sector TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  workers INTEGER NOT NULL CHECK (workers >= 0),"
	"  owner_id BIGINT REFERENCES users(id),"
	"  created_at BIGINT NOT NULL,"
	"  household INTEGER NOT NULL DEFAULT 0,"
	"  stopped_from TEXT,"
	"  stopped_until TEXT,"
	"  stop_order TEXT);\n"
	"INSERT INTO businesses_v17 (id, tax_code, name, sector, unit_code, unit_path, address,"
	"  workers, owner_id, created_at) SELECT id, tax_code, name, sector, unit_code, unit_path,"
	"  address, workers, owner_id, created_at FROM businesses;\n"
	"DROP TABLE businesses;\n"
	"ALTER TABLE businesses_v17 RENAME TO businesses;\n"
	"CREATE INDEX businesses_path_idx ON businesses(unit_path, id);\n"
	"CREATE INDEX businesses_owner_idx ON businesses(owner_id);\n"
	"CREATE INDEX businesses_tax_idx ON businesses(tax_code);\n",
	"ALTER TABLE businesses DROP CONSTRAINT businesses_tax_code_key;\n"
	"CREATE INDEX businesses_tax_idx ON businesses(tax_code);\n"
	"ALTER TABLE businesses ADD COLUMN household INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE businesses ADD COLUMN stopped_from TEXT;\n"
	"ALTER TABLE businesses ADD COLUMN stopped_until TEXT;\n"
	"ALTER TABLE businesses ADD COLUMN stop_order TEXT;\n",
	1
};
