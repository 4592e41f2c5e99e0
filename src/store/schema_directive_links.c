/* Schema step 16: links between directives, and files attached to them. */
#include <stddef.h>

#include "store/schema.h"

/* A link says that from_id implements or replaces to_id.  A directive
 * replaces at most one and is replaced by at most one (the partial unique
 * indexes); cycles are refused by the store, which sees the whole chain.
 * An attachment's bytes are kept as base64 text: both backends and their
 * backups carry text as it is, and a file is at most a few MiB. */
const struct migration schema_directive_links = {
	16, "directives: links (implements, replaces) and attached files",
	"CREATE TABLE directive_links ("
	"  id @ID@,"
	"  from_id BIGINT NOT NULL REFERENCES directives(id),"
	"  to_id BIGINT NOT NULL REFERENCES directives(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('implements','replaces')),"
	"  created_by TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  CHECK (from_id <> to_id),"
	"  UNIQUE (from_id, to_id, kind));\n"
	"CREATE UNIQUE INDEX directive_links_replaces_from ON directive_links(from_id)"
	"  WHERE kind = 'replaces';\n"
	"CREATE UNIQUE INDEX directive_links_replaces_to ON directive_links(to_id)"
	"  WHERE kind = 'replaces';\n"
	"CREATE INDEX directive_links_to_idx ON directive_links(to_id, kind);\n"
	"CREATE TABLE directive_attachments ("
	"  id @ID@,"
	"  directive_id BIGINT NOT NULL REFERENCES directives(id),"
	"  filename TEXT NOT NULL,"
	"  content_type TEXT NOT NULL,"
	"  size BIGINT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  content TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL);\n"
	"CREATE INDEX directive_attachments_idx ON directive_attachments(directive_id, id);\n",
	NULL, NULL, 0
};
