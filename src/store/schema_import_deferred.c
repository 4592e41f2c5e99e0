/* Schema step 24: a bulk case import on SQLite writes the weekly figures
 * and the name index of its rows once, at its end (case_import.c), instead
 * of by a trigger per row. */
#include <stddef.h>

#include "store/schema.h"
#include "store/schema-case-weeks.h"

/*
 * While an import's transaction holds a row of import_deferred (no other
 * writer sees it: SQLite has one), the triggers leave out the cases and
 * people it writes, those with an id above the row's cases_from and
 * people_from; the import then adds their figures to case_weeks by one
 * grouped upsert and their names to people_name_fts by one INSERT ...
 * SELECT, and deletes the row.  Every other write keeps its trigger.
 *
 * FTS5 writes its pending terms to disk at every statement savepoint once
 * it is part of a transaction (about 100,000 instructions each, more as its
 * segments grow): an import that wrote a name per row paid that for every
 * statement after the first person (19% of the import's instructions on
 * 50,000 rows).  PostgreSQL needs none of this (case_weeks by statement
 * since step 21, the trigram index kept by the server).
 */
#define DEFERRED(ID, COL) "NOT EXISTS (SELECT 1 FROM import_deferred d WHERE " ID " > d." COL ")"

const struct migration schema_import_deferred = {
	24, "bulk case import: weekly figures and name index written once per import (SQLite)",
	"",
	"CREATE TABLE import_deferred (cases_from BIGINT NOT NULL, people_from BIGINT NOT NULL);\n"
	"DROP TRIGGER cases_weeks_insert;\n"
	"DROP TRIGGER cases_weeks_update;\n"
	"CREATE TRIGGER cases_weeks_insert AFTER INSERT ON cases WHEN "
	DEFERRED("NEW.id", "cases_from") " BEGIN\n"
	CW_CASE("NEW", "") CW_DEATH("NEW", "")
	"END;\n"
	"CREATE TRIGGER cases_weeks_update AFTER UPDATE OF commune_code, detected_week, source,"
	" needs_oxygen, outcome, outcome_week ON cases WHEN " DEFERRED("OLD.id", "cases_from")
	" BEGIN\n"
	CW_CASE("OLD", "-") CW_DEATH("OLD", "-") CW_CASE("NEW", "") CW_DEATH("NEW", "")
	"END;\n"
	"DROP TRIGGER people_name_fts_insert;\n"
	"DROP TRIGGER people_name_fts_update;\n"
	"CREATE TRIGGER people_name_fts_insert AFTER INSERT ON people WHEN "
	DEFERRED("new.id", "people_from") " BEGIN"
	" INSERT INTO people_name_fts(rowid, full_name_folded) VALUES (new.id, new.full_name_folded);"
	" END;\n"
	"CREATE TRIGGER people_name_fts_update AFTER UPDATE OF id, full_name_folded ON people"
	" WHEN (old.id IS NOT new.id OR old.full_name_folded IS NOT new.full_name_folded) AND "
	DEFERRED("old.id", "people_from") " BEGIN"
	" INSERT INTO people_name_fts(people_name_fts, rowid, full_name_folded)"
	" VALUES ('delete', old.id, old.full_name_folded);"
	" INSERT INTO people_name_fts(rowid, full_name_folded) VALUES (new.id, new.full_name_folded);"
	" END;\n",
	"",
	0
};
#undef DEFERRED
