/* Schema step 6: login throttling: failure counters under a keyed hash, and its secret. */
#include <stddef.h>

#include "store/schema.h"

/* Sign-in throttling (store/logins.c): counters every server shares.
 * key_hash is a keyed hash, so no username or address is stored; the
 * secret is made by the first server that needs it. */
const struct migration schema_logins = {
	6, "login throttling: failure counters under a keyed hash, and its secret",
	"CREATE TABLE login_secret ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  secret TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL);\n"
	"CREATE TABLE login_throttle ("
	"  key_hash TEXT PRIMARY KEY,"
	"  failures BIGINT NOT NULL,"
	"  window_start BIGINT NOT NULL,"
	"  next_at BIGINT NOT NULL,"
	"  expires_at BIGINT NOT NULL);\n"
	"CREATE INDEX login_throttle_expires_idx ON login_throttle(expires_at);\n",
	NULL, NULL, 0
};
