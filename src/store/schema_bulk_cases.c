/* Schema step 21: bulk case writes: the weekly figures of inserted and
 * deleted cases set by set (PostgreSQL), value checks without a temporary
 * table per row and case_weeks clustered on its key (SQLite). */
#include <stddef.h>

#include "store/schema.h"
#include "store/schema-case-weeks.h"

/* A CHECK of the form "x IN (three or more values)" makes SQLite build and
 * clear a temporary b-tree for every row written (about 13,000
 * instructions, more than the rest of the row's checks together): cases and
 * people are rebuilt with the same checks written as equalities.  The
 * columns, keys, indexes and triggers are those of steps 3, 5 and 7. */
#define ONE_OF3(c, a, b, d) "(" c " = '" a "' OR " c " = '" b "' OR " c " = '" d "')"

const struct migration schema_bulk_cases = {
	21, "bulk case writes: weekly figures by statement, value checks without a table per row,"
	" case_weeks clustered on its key",
	"",
	"CREATE TABLE people_v21 ("
	"  id INTEGER PRIMARY KEY,"
	"  full_name TEXT NOT NULL,"
	"  full_name_folded TEXT NOT NULL,"
	"  id_number TEXT,"
	"  birth_year INTEGER,"
	"  sex TEXT CHECK " ONE_OF3("sex", "male", "female", "other") ","
	"  phone TEXT,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  commune_code TEXT NOT NULL,"
	"  province_code TEXT NOT NULL,"
	"  address TEXT,"
	"  merged_into BIGINT REFERENCES people(id),"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL,"
	"  UNIQUE (id_number, commune_code));\n"
	"INSERT INTO people_v21 SELECT id, full_name, full_name_folded, id_number, birth_year, sex,"
	"  phone, unit_code, unit_path, commune_code, province_code, address, merged_into,"
	"  created_at, updated_at FROM people;\n"
	"DROP TABLE people;\n"
	"ALTER TABLE people_v21 RENAME TO people;\n"
	"CREATE INDEX people_path_idx ON people(unit_path);\n"
	"CREATE TABLE cases_v21 ("
	"  id INTEGER PRIMARY KEY,"
	"  external_id TEXT,"
	"  person_id BIGINT NOT NULL REFERENCES people(id),"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  commune_code TEXT NOT NULL REFERENCES units(code),"
	"  province_code TEXT NOT NULL,"
	"  detected_on TEXT NOT NULL,"
	"  detected_week TEXT NOT NULL,"
	"  test_type TEXT NOT NULL CHECK (test_type IN ('rt-pcr','antigen')),"
	"  source TEXT NOT NULL CHECK " ONE_OF3("source", "community", "quarantine", "imported") ","
	"  severity TEXT NOT NULL DEFAULT 'asymptomatic'"
	"    CHECK (severity = 'asymptomatic' OR severity = 'mild' OR severity = 'moderate'"
	"    OR severity = 'severe' OR severity = 'critical'),"
	"  needs_oxygen INTEGER NOT NULL DEFAULT 0,"
	"  care_place TEXT NOT NULL DEFAULT 'home' CHECK "
	ONE_OF3("care_place", "home", "facility", "hospital") ","
	"  outcome TEXT CHECK (outcome IN ('recovered','died')),"
	"  outcome_on TEXT,"
	"  outcome_week TEXT,"
	"  cluster_id BIGINT REFERENCES clusters(id),"
	"  infected_by BIGINT REFERENCES cases(id),"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  UNIQUE (commune_code, external_id));\n"
	"INSERT INTO cases_v21 SELECT id, external_id, person_id, unit_code, unit_path, commune_code,"
	"  province_code, detected_on, detected_week, test_type, source, severity, needs_oxygen,"
	"  care_place, outcome, outcome_on, outcome_week, cluster_id, infected_by, created_at,"
	"  updated_at, created_by FROM cases;\n"
	"DROP TABLE cases;\n"
	"ALTER TABLE cases_v21 RENAME TO cases;\n"
	"CREATE INDEX cases_commune_day_idx ON cases(commune_code, detected_on);\n"
	"CREATE INDEX cases_path_idx ON cases(unit_path);\n"
	"CREATE INDEX cases_person_idx ON cases(person_id);\n"
	"CREATE INDEX cases_province_week_idx ON cases(province_code, detected_week);\n"
	"CREATE INDEX cases_cluster_idx ON cases(cluster_id);\n"
	"CREATE INDEX cases_external_idx ON cases(external_id);\n"
	/* case_weeks is read in key order (every commune's year) and written
	 * by key (one upsert per case): a table clustered on its key (WITHOUT
	 * ROWID) reads and writes one b-tree, not the key's index and then the
	 * table by rowid. */
	"CREATE TABLE case_weeks_v21 ("
	"  commune_code TEXT NOT NULL,"
	"  week_end TEXT NOT NULL,"
	"  cases BIGINT NOT NULL,"
	"  community BIGINT NOT NULL,"
	"  quarantine BIGINT NOT NULL,"
	"  imported BIGINT NOT NULL,"
	"  oxygen BIGINT NOT NULL,"
	"  deaths BIGINT NOT NULL,"
	"  PRIMARY KEY (commune_code, week_end)) WITHOUT ROWID;\n"
	"INSERT INTO case_weeks_v21 SELECT commune_code, week_end, cases, community, quarantine,"
	"  imported, oxygen, deaths FROM case_weeks;\n"
	"DROP TABLE case_weeks;\n"
	"ALTER TABLE case_weeks_v21 RENAME TO case_weeks;\n"
	CW_TRIGGERS,
	/* PostgreSQL ran the row trigger of step 7 (a PL/pgSQL call and an
	 * upsert) for every case: inserts and deletes now add their rows'
	 * figures once per statement, grouped by commune and week, from the
	 * statement's transition table.  An update keeps the row trigger
	 * (transition tables cannot go with a column list). */
	"CREATE FUNCTION cases_weeks_rows() RETURNS trigger LANGUAGE plpgsql AS $f$"
	" DECLARE sign BIGINT := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;"
	" BEGIN"
	"  INSERT INTO case_weeks SELECT cc, wk, sign * SUM(n), sign * SUM(comm), sign * SUM(quar),"
	"   sign * SUM(imp), sign * SUM(oxy), sign * SUM(dead) FROM ("
	"   SELECT commune_code AS cc, detected_week AS wk, 1 AS n, (source = 'community')::int AS comm,"
	"    (source = 'quarantine')::int AS quar, (source = 'imported')::int AS imp,"
	"    needs_oxygen AS oxy, 0 AS dead FROM changed"
	"   UNION ALL SELECT commune_code, outcome_week, 0, 0, 0, 0, 0, 1 FROM changed"
	"    WHERE outcome = 'died' AND outcome_week IS NOT NULL) t GROUP BY cc, wk"
	"  ON CONFLICT (commune_code, week_end) DO UPDATE SET cases = case_weeks.cases + EXCLUDED.cases,"
	"   community = case_weeks.community + EXCLUDED.community,"
	"   quarantine = case_weeks.quarantine + EXCLUDED.quarantine,"
	"   imported = case_weeks.imported + EXCLUDED.imported,"
	"   oxygen = case_weeks.oxygen + EXCLUDED.oxygen, deaths = case_weeks.deaths + EXCLUDED.deaths;"
	"  RETURN NULL;"
	" END $f$;\n"
	"DROP TRIGGER cases_weeks ON cases;\n"
	"CREATE TRIGGER cases_weeks_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS changed"
	" FOR EACH STATEMENT EXECUTE FUNCTION cases_weeks_rows();\n"
	"CREATE TRIGGER cases_weeks_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS changed"
	" FOR EACH STATEMENT EXECUTE FUNCTION cases_weeks_rows();\n"
	"CREATE TRIGGER cases_weeks AFTER UPDATE OF commune_code, detected_week, source,"
	" needs_oxygen, outcome, outcome_week ON cases"
	" FOR EACH ROW EXECUTE FUNCTION cases_weeks_trigger();\n",
	1
};
#undef ONE_OF3
