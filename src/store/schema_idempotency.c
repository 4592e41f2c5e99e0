/* Schema step 19: idempotency keys: a write sent again gets its first answer. */
#include <stddef.h>

#include "store/schema.h"

/* One row per (owner, key), written in the same transaction as the write
 * it answers for, so that a row exists exactly when that write committed;
 * the answer is filled in just after.  owner is the user's id, 0 for an
 * anonymous caller; fingerprint is the SHA-256 (hex) of the method, the
 * target, any API key and the body. */
const struct migration schema_idempotency = {
	19, "idempotency keys: a write sent again gets its first answer",
	"CREATE TABLE idempotency_keys ("
	"  owner BIGINT NOT NULL,"
	"  idem_key TEXT NOT NULL,"
	"  fingerprint TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  status INTEGER,"
	"  content_type TEXT,"
	"  body TEXT,"
	"  PRIMARY KEY (owner, idem_key));\n"
	"CREATE INDEX idempotency_keys_created_idx ON idempotency_keys(created_at);\n",
	NULL, NULL, 0
};
