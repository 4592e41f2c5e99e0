/*
 * The SQLite triggers that keep case_weeks in step with cases (schema
 * steps 7 and 21): one upsert per contribution, a case's row and its
 * death's.  CW_TRIGGERS creates all three.
 */
#ifndef THC_STORE_SCHEMA_CASE_WEEKS_H
#define THC_STORE_SCHEMA_CASE_WEEKS_H

#define CW_ADD(W, SIGN, N, SRC, OXY, DEAD) \
	"  INSERT INTO case_weeks VALUES (" W ", " SIGN N ", " \
	SIGN "(" SRC ".source = 'community'), " SIGN "(" SRC ".source = 'quarantine'), " \
	SIGN "(" SRC ".source = 'imported'), " SIGN OXY ", " SIGN DEAD ")" \
	"   ON CONFLICT (commune_code, week_end) DO UPDATE SET cases = cases + excluded.cases," \
	"   community = community + excluded.community, quarantine = quarantine + excluded.quarantine," \
	"   imported = imported + excluded.imported, oxygen = oxygen + excluded.oxygen," \
	"   deaths = deaths + excluded.deaths;\n"
#define CW_CASE(R, SIGN) CW_ADD(R ".commune_code, " R ".detected_week", SIGN, "1", R, R ".needs_oxygen", "0")
#define CW_DEATH(R, SIGN) \
	"  INSERT INTO case_weeks SELECT " R ".commune_code, " R ".outcome_week, 0, 0, 0, 0, 0, " SIGN "1" \
	"   WHERE " R ".outcome = 'died' AND " R ".outcome_week IS NOT NULL" \
	"   ON CONFLICT (commune_code, week_end) DO UPDATE SET deaths = deaths + excluded.deaths;\n"
#define CW_TRIGGERS \
	"CREATE TRIGGER cases_weeks_insert AFTER INSERT ON cases BEGIN\n" \
	CW_CASE("NEW", "") CW_DEATH("NEW", "") \
	"END;\n" \
	"CREATE TRIGGER cases_weeks_update AFTER UPDATE OF commune_code, detected_week, source," \
	" needs_oxygen, outcome, outcome_week ON cases BEGIN\n" \
	CW_CASE("OLD", "-") CW_DEATH("OLD", "-") CW_CASE("NEW", "") CW_DEATH("NEW", "") \
	"END;\n" \
	"CREATE TRIGGER cases_weeks_delete AFTER DELETE ON cases BEGIN\n" \
	CW_CASE("OLD", "-") CW_DEATH("OLD", "-") \
	"END;\n"

#endif
