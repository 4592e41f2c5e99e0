/* Schema step 11: businesses, their safe-operation plans, workers on site,
 * 2194 self-assessments and the cases among their workers. */
#include <stddef.h>

#include "store/schema.h"

/* A business keeps its commune's path for scope.  owner_id is the business
 * account that registered it (NULL when an official did): that account
 * reads and writes it while it holds a business grant over the commune. */
const struct migration schema_business = {
	11, "businesses: plans, workers on site, 2194 assessments, cases",
	"CREATE TABLE businesses ("
	"  id @ID@,"
	"  tax_code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  sector TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  workers INTEGER NOT NULL CHECK (workers >= 0),"
	"  owner_id BIGINT REFERENCES users(id),"
	"  created_at BIGINT NOT NULL);\n"
	"CREATE INDEX businesses_path_idx ON businesses(unit_path, id);\n"
	"CREATE INDEX businesses_owner_idx ON businesses(owner_id);\n"
	"CREATE TABLE business_plans ("
	"  id @ID@,"
	"  business_id BIGINT NOT NULL REFERENCES businesses(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('three_on_site','one_route','shifts','normal')),"
	"  starts_on TEXT NOT NULL,"
	"  ends_on TEXT NOT NULL,"
	"  workers_on_site INTEGER NOT NULL CHECK (workers_on_site >= 0),"
	"  shifts INTEGER NOT NULL CHECK (shifts >= 1),"
	"  lodging TEXT,"
	"  note TEXT,"
	"  created_at BIGINT NOT NULL);\n"
	"CREATE INDEX business_plans_idx ON business_plans(business_id, starts_on);\n"
	"CREATE TABLE business_on_site ("
	"  business_id BIGINT NOT NULL REFERENCES businesses(id),"
	"  day TEXT NOT NULL,"
	"  on_site INTEGER NOT NULL CHECK (on_site >= 0),"
	"  PRIMARY KEY (business_id, day));\n"
	"CREATE TABLE business_assessments ("
	"  id @ID@,"
	"  business_id BIGINT NOT NULL REFERENCES businesses(id),"
	"  assessed_on TEXT NOT NULL,"
	"  scores TEXT NOT NULL,"
	"  index_tenths INTEGER NOT NULL CHECK (index_tenths BETWEEN 0 AND 1000),"
	"  band TEXT NOT NULL CHECK (band IN ('very_low','low','medium','high','very_high')),"
	"  created_at BIGINT NOT NULL);\n"
	"CREATE INDEX business_assessments_idx ON business_assessments(business_id, assessed_on, id);\n"
	"CREATE TABLE business_cases ("
	"  business_id BIGINT NOT NULL REFERENCES businesses(id),"
	"  case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id),"
	"  created_at BIGINT NOT NULL,"
	"  PRIMARY KEY (business_id, case_id));\n",
	NULL, NULL, 0
};
