/* Schema step 22: names found through an index: trigrams of the folded
 * names of people and units (SQLite FTS5, PostgreSQL pg_trgm), and the
 * folded names of people in order (names that begin with a short text). */
#include <stddef.h>

#include "store/schema.h"

/*
 * The searches (store/search.c, store/units.c) keep "name_folded LIKE
 * '%text%'" and find its rows through:
 *
 * - SQLite: FTS5 tables with the trigram tokenizer, people_name_fts and
 *   units_name_fts, asked for the text as a phrase (MATCH, 3 characters or
 *   more: the rows that hold it, whatever the case).  People's is an
 *   external-content table over people (rowid = people.id), units' holds
 *   its own copy (a unit's rowid is not its key); triggers keep both in
 *   step with every INSERT, UPDATE and DELETE.  A later step that rebuilds
 *   people or units must create these triggers again and rebuild the
 *   tables ("INSERT INTO people_name_fts(people_name_fts) VALUES('rebuild')").
 * - PostgreSQL: GIN trigram indexes on the folded names, which answer LIKE
 *   themselves and which PostgreSQL keeps in step by itself (COPY
 *   included).  pg_trgm comes with PostgreSQL and is a trusted extension
 *   (the database's owner may create it); where it cannot be created the
 *   step still succeeds without the indexes, the server says so in its log
 *   (search.scan) and the same LIKE reads the tables in full, as before.
 */
const struct migration schema_search = {
	22, "search: names by trigram index (FTS5, pg_trgm), folded names of people in order",
	"CREATE INDEX people_name_folded_idx ON people(full_name_folded);\n",
	"CREATE VIRTUAL TABLE people_name_fts USING fts5(full_name_folded, content='people',"
	" content_rowid='id', tokenize='trigram');\n"
	"INSERT INTO people_name_fts(people_name_fts) VALUES ('rebuild');\n"
	"CREATE TRIGGER people_name_fts_insert AFTER INSERT ON people BEGIN"
	" INSERT INTO people_name_fts(rowid, full_name_folded) VALUES (new.id, new.full_name_folded);"
	" END;\n"
	"CREATE TRIGGER people_name_fts_delete AFTER DELETE ON people BEGIN"
	" INSERT INTO people_name_fts(people_name_fts, rowid, full_name_folded)"
	" VALUES ('delete', old.id, old.full_name_folded);"
	" END;\n"
	"CREATE TRIGGER people_name_fts_update AFTER UPDATE OF id, full_name_folded ON people"
	" WHEN old.id IS NOT new.id OR old.full_name_folded IS NOT new.full_name_folded BEGIN"
	" INSERT INTO people_name_fts(people_name_fts, rowid, full_name_folded)"
	" VALUES ('delete', old.id, old.full_name_folded);"
	" INSERT INTO people_name_fts(rowid, full_name_folded) VALUES (new.id, new.full_name_folded);"
	" END;\n"
	"CREATE VIRTUAL TABLE units_name_fts USING fts5(code UNINDEXED, name_folded,"
	" tokenize='trigram');\n"
	"INSERT INTO units_name_fts(rowid, code, name_folded) SELECT rowid, code, name_folded"
	" FROM units;\n"
	"CREATE TRIGGER units_name_fts_insert AFTER INSERT ON units BEGIN"
	" INSERT INTO units_name_fts(rowid, code, name_folded)"
	" VALUES (new.rowid, new.code, new.name_folded);"
	" END;\n"
	"CREATE TRIGGER units_name_fts_delete AFTER DELETE ON units BEGIN"
	" DELETE FROM units_name_fts WHERE rowid = old.rowid;"
	" END;\n"
	"CREATE TRIGGER units_name_fts_update AFTER UPDATE OF code, name_folded ON units"
	" WHEN old.code IS NOT new.code OR old.name_folded IS NOT new.name_folded BEGIN"
	" DELETE FROM units_name_fts WHERE rowid = old.rowid;"
	" INSERT INTO units_name_fts(rowid, code, name_folded)"
	" VALUES (new.rowid, new.code, new.name_folded);"
	" END;\n",
	/* A failure inside the first block (no extension files, no right to
	 * create it) is caught there: the rest of the step goes on. */
	"DO $s$ BEGIN"
	" CREATE EXTENSION IF NOT EXISTS pg_trgm;"
	" EXCEPTION WHEN OTHERS THEN"
	" RAISE WARNING 'pg_trgm: %; names are searched by reading the tables', SQLERRM;"
	" END $s$;\n"
	"DO $s$ BEGIN"
	" IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN"
	"  CREATE INDEX people_name_trgm_idx ON people USING gin (full_name_folded gin_trgm_ops);"
	"  CREATE INDEX units_name_trgm_idx ON units USING gin (name_folded gin_trgm_ops);"
	" END IF;"
	" END $s$;\n",
	0
};
