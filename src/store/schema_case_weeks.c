/* Schema step 7: case_weeks: cases, sources, oxygen and deaths per commune and week; cases by external id. */
#include <stddef.h>

#include "store/schema.h"
#include "store/schema-case-weeks.h"

/* Weekly figures read from here rather than grouped from every case:
 * triggers keep it in step with cases in the same transaction, whichever
 * statement changes a case (create, correction, import, outcome). */
const struct migration schema_case_weeks = {
	7, "case_weeks: cases, sources, oxygen and deaths per commune and week; cases by external id",
	/* Step 5 made external ids unique per commune, (commune_code,
	 * external_id): the import, which looks cases up by external id, then
	 * scanned that index once per row. */
	"CREATE INDEX cases_external_idx ON cases(external_id);\n"
	"CREATE TABLE case_weeks ("
	"  commune_code TEXT NOT NULL,"
	"  week_end TEXT NOT NULL,"
	"  cases BIGINT NOT NULL,"
	"  community BIGINT NOT NULL,"
	"  quarantine BIGINT NOT NULL,"
	"  imported BIGINT NOT NULL,"
	"  oxygen BIGINT NOT NULL,"
	"  deaths BIGINT NOT NULL,"
	"  PRIMARY KEY (commune_code, week_end));\n"
	"INSERT INTO case_weeks SELECT cc, wk, SUM(n), SUM(comm), SUM(quar), SUM(imp), SUM(oxy),"
	" SUM(dead) FROM ("
	" SELECT commune_code AS cc, detected_week AS wk, 1 AS n,"
	"  CASE WHEN source = 'community' THEN 1 ELSE 0 END AS comm,"
	"  CASE WHEN source = 'quarantine' THEN 1 ELSE 0 END AS quar,"
	"  CASE WHEN source = 'imported' THEN 1 ELSE 0 END AS imp,"
	"  needs_oxygen AS oxy, 0 AS dead FROM cases"
	" UNION ALL SELECT commune_code, outcome_week, 0, 0, 0, 0, 0, 1 FROM cases"
	"  WHERE outcome = 'died' AND outcome_week IS NOT NULL"
	") t GROUP BY cc, wk;\n",
	/* SQLite: one upsert per contribution; a case's row and its death's
	 * (schema-case-weeks.h). */
	CW_TRIGGERS,
	/* PostgreSQL: the same in one trigger function. */
	"CREATE FUNCTION case_weeks_add(cc TEXT, wk TEXT, n BIGINT, comm BIGINT, quar BIGINT,"
	" imp BIGINT, oxy BIGINT, dead BIGINT) RETURNS void LANGUAGE sql AS $f$"
	" INSERT INTO case_weeks VALUES (cc, wk, n, comm, quar, imp, oxy, dead)"
	" ON CONFLICT (commune_code, week_end) DO UPDATE SET cases = case_weeks.cases + EXCLUDED.cases,"
	" community = case_weeks.community + EXCLUDED.community,"
	" quarantine = case_weeks.quarantine + EXCLUDED.quarantine,"
	" imported = case_weeks.imported + EXCLUDED.imported,"
	" oxygen = case_weeks.oxygen + EXCLUDED.oxygen, deaths = case_weeks.deaths + EXCLUDED.deaths"
	" $f$;\n"
	"CREATE FUNCTION case_weeks_apply(c cases, sign BIGINT) RETURNS void LANGUAGE plpgsql AS $f$"
	" BEGIN"
	"  PERFORM case_weeks_add(c.commune_code, c.detected_week, sign,"
	"   sign * (c.source = 'community')::int, sign * (c.source = 'quarantine')::int,"
	"   sign * (c.source = 'imported')::int, sign * c.needs_oxygen, 0);"
	"  IF c.outcome = 'died' AND c.outcome_week IS NOT NULL THEN"
	"   PERFORM case_weeks_add(c.commune_code, c.outcome_week, 0, 0, 0, 0, 0, sign);"
	"  END IF;"
	" END $f$;\n"
	"CREATE FUNCTION cases_weeks_trigger() RETURNS trigger LANGUAGE plpgsql AS $f$"
	" BEGIN"
	"  IF TG_OP <> 'INSERT' THEN PERFORM case_weeks_apply(OLD, -1); END IF;"
	"  IF TG_OP <> 'DELETE' THEN PERFORM case_weeks_apply(NEW, 1); END IF;"
	"  RETURN NULL;"
	" END $f$;\n"
	"CREATE TRIGGER cases_weeks AFTER INSERT OR DELETE OR UPDATE OF commune_code, detected_week,"
	" source, needs_oxygen, outcome, outcome_week ON cases"
	" FOR EACH ROW EXECUTE FUNCTION cases_weeks_trigger();\n",
	0
};
