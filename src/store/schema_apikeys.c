/* Schema step 12: API keys for other systems (Open311, DHIS2). */
#include <stddef.h>

#include "store/schema.h"

/* Only the key's hash is kept (the key is shown once, when made); its
 * first characters stay readable so that an operator can tell keys apart.
 * The rate window lives on the row, so that every server process counts
 * the same requests. */
const struct migration schema_apikeys = {
	12, "api keys: other systems' keys, hashed, scoped, rate-limited",
	"CREATE TABLE api_keys ("
	"  id @ID@,"
	"  name TEXT NOT NULL,"
	"  prefix TEXT NOT NULL,"
	"  key_hash TEXT NOT NULL UNIQUE,"
	"  scope TEXT NOT NULL,"
	"  unit_code TEXT REFERENCES units(code),"
	"  rate_per_min INTEGER NOT NULL,"
	"  window_start BIGINT NOT NULL DEFAULT 0,"
	"  window_count INTEGER NOT NULL DEFAULT 0,"
	"  last_used_at BIGINT,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  revoked_at BIGINT);\n",
	NULL, NULL, 0
};
