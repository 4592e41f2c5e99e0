/*
 * Numbered migrations, recorded in schema_migrations.  Each step's SQL is
 * shared by the backends; "@ID@" stands for the dialect's auto-increment
 * primary key, and a step may add per-backend SQL (triggers and the like).
 * Steps are append-only: a released step is never edited.
 */
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/vntime.h"
#include "store/store-private.h"
#include "base/banned.h"

struct migration {
	int version;
	const char *name;
	const char *sql;            /* shared */
	const char *sqlite_sql;     /* extra, SQLite only */
	const char *postgres_sql;   /* extra, PostgreSQL only */
	/* SQLite rebuilds a table to change a constraint; its foreign keys must
	 * be off around the transaction (PRAGMA foreign_keys is a no-op inside
	 * one), and are checked before the commit. */
	int sqlite_rebuild;
};

static const struct migration migrations[] = {
	{ 1, "units, users, grants, sessions, audit, assignments",
	"CREATE TABLE units ("
	"  code TEXT PRIMARY KEY,"
	"  parent_code TEXT REFERENCES units(code),"
	"  level TEXT NOT NULL CHECK (level IN ('country','province','district','commune','hamlet','household')),"
	"  name TEXT NOT NULL,"
	"  name_folded TEXT NOT NULL,"
	"  type TEXT,"
	"  path TEXT NOT NULL UNIQUE,"
	"  population BIGINT,"
	"  address TEXT,"
	"  members INTEGER,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL);\n"
	"CREATE INDEX units_parent_idx ON units(parent_code, code);\n"
	"CREATE INDEX units_level_idx ON units(level, code);\n"
	"INSERT INTO units (code, parent_code, level, name, name_folded, path, created_at, updated_at)"
	"  VALUES ('VN', NULL, 'country', 'Việt Nam', 'viet nam', '/', 0, 0);\n"
	"CREATE TABLE users ("
	"  id @ID@,"
	"  username TEXT NOT NULL UNIQUE,"
	"  full_name TEXT NOT NULL DEFAULT '',"
	"  password_hash TEXT NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL);\n"
	"CREATE TABLE grants ("
	"  id @ID@,"
	"  user_id BIGINT NOT NULL REFERENCES users(id),"
	"  role TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  created_at BIGINT NOT NULL,"
	"  UNIQUE (user_id, role, unit_code));\n"
	"CREATE INDEX grants_user_idx ON grants(user_id);\n"
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY,"
	"  user_id BIGINT NOT NULL REFERENCES users(id),"
	"  csrf TEXT NOT NULL,"
	"  client_addr TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  expires_at BIGINT NOT NULL,"
	"  revoked_at BIGINT);\n"
	"CREATE INDEX sessions_user_idx ON sessions(user_id);\n"
	"CREATE TABLE audit ("
	"  id @ID@,"
	"  at BIGINT NOT NULL,"
	"  actor_id BIGINT,"
	"  actor TEXT NOT NULL,"
	"  client_addr TEXT,"
	"  action TEXT NOT NULL,"
	"  entity TEXT NOT NULL,"
	"  entity_id TEXT,"
	"  unit_code TEXT,"
	"  unit_path TEXT,"
	"  before_json TEXT,"
	"  after_json TEXT);\n"
	"CREATE INDEX audit_at_idx ON audit(at);\n"
	"CREATE INDEX audit_path_idx ON audit(unit_path);\n"
	"CREATE TABLE assignments ("
	"  id @ID@,"
	"  user_id BIGINT NOT NULL REFERENCES users(id),"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  assigned_by TEXT NOT NULL,"
	"  note TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  UNIQUE (user_id, unit_code));\n"
	"CREATE TABLE assignment_reports ("
	"  id @ID@,"
	"  assignment_id BIGINT NOT NULL REFERENCES assignments(id),"
	"  status TEXT NOT NULL CHECK (status IN ('stable','attention','urgent')),"
	"  note TEXT,"
	"  reported_by TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL);\n"
	"CREATE INDEX assignment_reports_idx ON assignment_reports(assignment_id, id);\n",
	/* The audit trail is append-only, even for someone with SQL access. */
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit records cannot be changed'); END;\n"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit records cannot be deleted'); END;\n",
	"CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN RAISE EXCEPTION 'audit records cannot be changed or deleted'; END$$;\n"
	"CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
	"  FOR EACH ROW EXECUTE FUNCTION audit_append_only();\n", 0 },
	{ 2, "epidemic levels: weekly indicators, assessments, decisions, measures",
	"CREATE TABLE level_indicators ("
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  week_end TEXT NOT NULL,"
	"  population BIGINT,"
	"  cases_week BIGINT,"
	"  cases_prev_week BIGINT,"
	"  oxygen_cases_week BIGINT,"
	"  deaths_week BIGINT,"
	"  vax1_18plus_pct DOUBLE PRECISION,"
	"  vaxfull_elderly_pct DOUBLE PRECISION,"
	"  vaxfull_pct DOUBLE PRECISION,"
	"  vaxfull_highrisk_pct DOUBLE PRECISION,"
	"  capacity_met INTEGER,"
	"  capacity TEXT,"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL,"
	"  PRIMARY KEY (unit_code, week_end));\n"
	"CREATE TABLE level_assessments ("
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  week_end TEXT NOT NULL,"
	"  rule_set TEXT NOT NULL,"
	"  level INTEGER CHECK (level BETWEEN 1 AND 4),"
	"  cases_per_100k DOUBLE PRECISION,"
	"  explanation_vi TEXT NOT NULL,"
	"  explanation_en TEXT NOT NULL,"
	"  missing TEXT,"
	"  assumption INTEGER NOT NULL DEFAULT 0,"
	"  assessed_at BIGINT NOT NULL,"
	"  assessed_by TEXT NOT NULL,"
	"  PRIMARY KEY (unit_code, week_end));\n"
	"CREATE TABLE level_decisions ("
	"  id @ID@,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  effective_from TEXT NOT NULL,"
	"  week_end TEXT,"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),"
	"  computed_level INTEGER,"
	"  reason TEXT,"
	"  source TEXT NOT NULL CHECK (source IN ('decision','import')),"
	"  source_url TEXT,"
	"  decided_by TEXT NOT NULL,"
	"  decided_at BIGINT NOT NULL);\n"
	"CREATE INDEX level_decisions_unit_idx ON level_decisions(unit_code, effective_from);\n"
	"CREATE TABLE level_measures ("
	"  province_code TEXT NOT NULL,"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),"
	"  measures_json TEXT NOT NULL,"
	"  updated_at BIGINT NOT NULL,"
	"  PRIMARY KEY (province_code, level));\n",
	NULL, NULL, 0 },
	/* Surveillance.  Every table that can grow large carries province_code
	 * (the sharding key) and the unit's materialized path (scope checks). */
	{ 3, "surveillance: people, cases, contacts, tests, clusters, isolation, zones, vaccination, capacity",
	"CREATE TABLE people ("
	"  id @ID@,"
	"  full_name TEXT NOT NULL,"
	"  full_name_folded TEXT NOT NULL,"
	"  id_number TEXT UNIQUE,"
	"  birth_year INTEGER,"
	"  sex TEXT CHECK (sex IN ('male','female','other')),"
	"  phone TEXT,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  province_code TEXT NOT NULL,"
	"  address TEXT,"
	"  merged_into BIGINT REFERENCES people(id),"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL);\n"
	"CREATE INDEX people_path_idx ON people(unit_path);\n"
	"CREATE TABLE clusters ("
	"  id @ID@,"
	"  name TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  province_code TEXT NOT NULL,"
	"  opened_on TEXT NOT NULL,"
	"  closed_on TEXT,"
	"  note TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL);\n"
	"CREATE TABLE cases ("
	"  id @ID@,"
	"  external_id TEXT UNIQUE,"
	"  person_id BIGINT NOT NULL REFERENCES people(id),"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  commune_code TEXT NOT NULL REFERENCES units(code),"
	"  province_code TEXT NOT NULL,"
	"  detected_on TEXT NOT NULL,"
	"  detected_week TEXT NOT NULL,"
	"  test_type TEXT NOT NULL CHECK (test_type IN ('rt-pcr','antigen')),"
	"  source TEXT NOT NULL CHECK (source IN ('community','quarantine','imported')),"
	"  severity TEXT NOT NULL DEFAULT 'asymptomatic'"
	"    CHECK (severity IN ('asymptomatic','mild','moderate','severe','critical')),"
	"  needs_oxygen INTEGER NOT NULL DEFAULT 0,"
	"  care_place TEXT NOT NULL DEFAULT 'home' CHECK (care_place IN ('home','facility','hospital')),"
	"  outcome TEXT CHECK (outcome IN ('recovered','died')),"
	"  outcome_on TEXT,"
	"  outcome_week TEXT,"
	"  cluster_id BIGINT REFERENCES clusters(id),"
	"  infected_by BIGINT REFERENCES cases(id),"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL);\n"
	"CREATE INDEX cases_commune_day_idx ON cases(commune_code, detected_on);\n"
	"CREATE INDEX cases_path_idx ON cases(unit_path);\n"
	"CREATE INDEX cases_person_idx ON cases(person_id);\n"
	"CREATE INDEX cases_province_week_idx ON cases(province_code, detected_week);\n"
	"CREATE INDEX cases_cluster_idx ON cases(cluster_id);\n"
	"CREATE TABLE contacts ("
	"  id @ID@,"
	"  case_id BIGINT NOT NULL REFERENCES cases(id),"
	"  person_id BIGINT NOT NULL REFERENCES people(id),"
	"  degree INTEGER NOT NULL CHECK (degree IN (1, 2)),"
	"  exposure_on TEXT NOT NULL,"
	"  setting TEXT,"
	"  quarantine_start TEXT NOT NULL,"
	"  quarantine_end TEXT NOT NULL,"
	"  quarantine_rule TEXT NOT NULL,"
	"  cluster_id BIGINT REFERENCES clusters(id),"
	"  unit_path TEXT NOT NULL,"
	"  province_code TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  UNIQUE (case_id, person_id));\n"
	"CREATE TABLE tests ("
	"  id @ID@,"
	"  person_id BIGINT NOT NULL REFERENCES people(id),"
	"  taken_on TEXT NOT NULL,"
	"  test_type TEXT NOT NULL CHECK (test_type IN ('rt-pcr','antigen')),"
	"  result TEXT NOT NULL CHECK (result IN ('positive','negative','pending')),"
	"  case_id BIGINT REFERENCES cases(id),"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  province_code TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL);\n"
	"CREATE INDEX tests_person_idx ON tests(person_id);\n"
	/* Published daily counts per province (aggregates, no persons). */
	"CREATE TABLE province_daily_cases ("
	"  province_code TEXT NOT NULL REFERENCES units(code),"
	"  day TEXT NOT NULL,"
	"  week_end TEXT NOT NULL,"
	"  new_cases BIGINT NOT NULL,"
	"  community_cases BIGINT,"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL,"
	"  PRIMARY KEY (province_code, day));\n"
	"CREATE TABLE isolations ("
	"  id @ID@,"
	"  person_id BIGINT NOT NULL REFERENCES people(id),"
	"  case_id BIGINT REFERENCES cases(id),"
	"  contact_id BIGINT REFERENCES contacts(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('home','facility')),"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  province_code TEXT NOT NULL,"
	"  started_on TEXT NOT NULL,"
	"  planned_end TEXT,"
	"  released_on TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL);\n"
	"CREATE INDEX isolations_path_idx ON isolations(unit_path);\n"
	"CREATE TABLE checkins ("
	"  id @ID@,"
	"  isolation_id BIGINT NOT NULL REFERENCES isolations(id),"
	"  at BIGINT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  spo2 INTEGER CHECK (spo2 BETWEEN 50 AND 100),"
	"  temperature DOUBLE PRECISION CHECK (temperature BETWEEN 34 AND 43),"
	"  symptoms TEXT,"
	"  note TEXT,"
	"  created_by TEXT NOT NULL);\n"
	"CREATE INDEX checkins_isolation_idx ON checkins(isolation_id, at);\n"
	"CREATE TABLE zones ("
	"  id @ID@,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  province_code TEXT NOT NULL,"
	"  area_name TEXT,"
	"  reason TEXT NOT NULL,"
	"  started_on TEXT NOT NULL,"
	"  planned_end TEXT,"
	"  ended_on TEXT,"
	"  end_override_reason TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL);\n"
	"CREATE INDEX zones_path_idx ON zones(unit_path);\n"
	"CREATE TABLE vaccination_weekly ("
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  week_end TEXT NOT NULL,"
	"  age_group TEXT NOT NULL CHECK (age_group IN ('18+','50+','65+','high_risk','all')),"
	"  population BIGINT,"
	"  dose1 BIGINT,"
	"  full_dose BIGINT,"
	"  booster BIGINT,"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL,"
	"  PRIMARY KEY (unit_code, week_end, age_group));\n"
	"CREATE TABLE capacity_weekly ("
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  week_end TEXT NOT NULL,"
	"  capacity_met INTEGER,"
	"  capacity TEXT CHECK (capacity IN ('high','medium','low')),"
	"  beds_free BIGINT,"
	"  icu_beds_free BIGINT,"
	"  oxygen_ready INTEGER,"
	"  mobile_teams INTEGER,"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL,"
	"  PRIMARY KEY (unit_code, week_end));\n",
	NULL, NULL, 0 },
	{ 4, "units: index for the children of a unit by level",
	"CREATE INDEX units_parent_level_idx ON units(parent_code, level, code);\n",
	NULL, NULL, 0 },
	/* People are kept per commune: a record is about a person record of its
	 * own commune, so reading a record never reads a person of another
	 * scope.  An ID number may therefore appear once per commune; the
	 * records of one ID number in several communes are linked through
	 * person_links, which tells the oldest record's commune (the home) what
	 * was recorded elsewhere and proposes the changes (src/store/people.c).
	 * A case's external_id is unique per commune for the same reason: a
	 * collision outside the importer's scope must not be observable. */
	{ 5, "people per commune, person_links; external_id unique per commune",
	"CREATE TABLE person_links ("
	"  id @ID@,"
	"  person_id BIGINT NOT NULL REFERENCES people(id),"
	"  record TEXT NOT NULL CHECK (record IN ('case','contact','test')),"
	"  record_commune TEXT NOT NULL REFERENCES units(code),"
	"  record_on TEXT NOT NULL,"
	"  detail TEXT,"
	"  proposed_json TEXT,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','dismissed')),"
	"  unit_path TEXT NOT NULL,"
	"  province_code TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  decided_at BIGINT,"
	"  decided_by TEXT,"
	"  decision_note TEXT);\n"
	"CREATE INDEX person_links_path_idx ON person_links(unit_path, status);\n"
	"CREATE INDEX person_links_person_idx ON person_links(person_id);\n",
	/* SQLite: rebuild people and cases with the new constraints. */
	"CREATE TABLE people_v5 ("
	"  id INTEGER PRIMARY KEY,"
	"  full_name TEXT NOT NULL,"
	"  full_name_folded TEXT NOT NULL,"
	"  id_number TEXT,"
	"  birth_year INTEGER,"
	"  sex TEXT CHECK (sex IN ('male','female','other')),"
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
	"INSERT INTO people_v5 (id, full_name, full_name_folded, id_number, birth_year, sex, phone,"
	"  unit_code, unit_path, commune_code, province_code, address, merged_into, created_at,"
	"  updated_at)"
	"  SELECT id, full_name, full_name_folded, id_number, birth_year, sex, phone, unit_code,"
	"  unit_path, CASE WHEN instr(unit_code, '-') > 0"
	"  THEN substr(unit_code, 1, instr(unit_code, '-') - 1) ELSE unit_code END,"
	"  province_code, address, merged_into, created_at, updated_at FROM people;\n"
	"DROP TABLE people;\n"
	"ALTER TABLE people_v5 RENAME TO people;\n"
	"CREATE INDEX people_path_idx ON people(unit_path);\n"
	"CREATE TABLE cases_v5 ("
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
	"  source TEXT NOT NULL CHECK (source IN ('community','quarantine','imported')),"
	"  severity TEXT NOT NULL DEFAULT 'asymptomatic'"
	"    CHECK (severity IN ('asymptomatic','mild','moderate','severe','critical')),"
	"  needs_oxygen INTEGER NOT NULL DEFAULT 0,"
	"  care_place TEXT NOT NULL DEFAULT 'home' CHECK (care_place IN ('home','facility','hospital')),"
	"  outcome TEXT CHECK (outcome IN ('recovered','died')),"
	"  outcome_on TEXT,"
	"  outcome_week TEXT,"
	"  cluster_id BIGINT REFERENCES clusters(id),"
	"  infected_by BIGINT REFERENCES cases(id),"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  UNIQUE (commune_code, external_id));\n"
	"INSERT INTO cases_v5 SELECT id, external_id, person_id, unit_code, unit_path, commune_code,"
	"  province_code, detected_on, detected_week, test_type, source, severity, needs_oxygen,"
	"  care_place, outcome, outcome_on, outcome_week, cluster_id, infected_by, created_at,"
	"  updated_at, created_by FROM cases;\n"
	"DROP TABLE cases;\n"
	"ALTER TABLE cases_v5 RENAME TO cases;\n"
	"CREATE INDEX cases_commune_day_idx ON cases(commune_code, detected_on);\n"
	"CREATE INDEX cases_path_idx ON cases(unit_path);\n"
	"CREATE INDEX cases_person_idx ON cases(person_id);\n"
	"CREATE INDEX cases_province_week_idx ON cases(province_code, detected_week);\n"
	"CREATE INDEX cases_cluster_idx ON cases(cluster_id);\n",
	/* PostgreSQL changes constraints in place. */
	"ALTER TABLE people DROP CONSTRAINT people_id_number_key;\n"
	"ALTER TABLE people ADD COLUMN commune_code TEXT;\n"
	"UPDATE people SET commune_code = CASE WHEN strpos(unit_code, '-') > 0"
	"  THEN substr(unit_code, 1, strpos(unit_code, '-') - 1) ELSE unit_code END;\n"
	"ALTER TABLE people ALTER COLUMN commune_code SET NOT NULL;\n"
	"ALTER TABLE people ADD CONSTRAINT people_id_number_commune_key"
	"  UNIQUE (id_number, commune_code);\n"
	"ALTER TABLE cases DROP CONSTRAINT cases_external_id_key;\n"
	"ALTER TABLE cases ADD CONSTRAINT cases_commune_external_key"
	"  UNIQUE (commune_code, external_id);\n",
	1 },
	/* Sign-in throttling (store/logins.c): counters every server shares.
	 * key_hash is a keyed hash, so no username or address is stored; the
	 * secret is made by the first server that needs it. */
	{ 6, "login throttling: failure counters under a keyed hash, and its secret",
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
	NULL, NULL, 0 },
	/* Weekly figures read from here rather than grouped from every case:
	 * triggers keep it in step with cases in the same transaction, whichever
	 * statement changes a case (create, correction, import, outcome). */
	{ 7, "case_weeks: cases, sources, oxygen and deaths per commune and week; cases by external id",
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
	/* SQLite: one upsert per contribution; a case's row and its death's. */
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
	"CREATE TRIGGER cases_weeks_insert AFTER INSERT ON cases BEGIN\n"
	CW_CASE("NEW", "") CW_DEATH("NEW", "")
	"END;\n"
	"CREATE TRIGGER cases_weeks_update AFTER UPDATE OF commune_code, detected_week, source,"
	" needs_oxygen, outcome, outcome_week ON cases BEGIN\n"
	CW_CASE("OLD", "-") CW_DEATH("OLD", "-") CW_CASE("NEW", "") CW_DEATH("NEW", "")
	"END;\n"
	"CREATE TRIGGER cases_weeks_delete AFTER DELETE ON cases BEGIN\n"
	CW_CASE("OLD", "-") CW_DEATH("OLD", "-")
	"END;\n",
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
	0 },
#undef CW_ADD
#undef CW_CASE
#undef CW_DEATH
	/* Citizen feedback (phản ánh, kiến nghị): the routed unit keeps its
	 * path for scope; the holder moves up when it escalates; the
	 * reporter's contact is read only through the audited get. */
	{ 8, "feedback: citizen requests, their history",
	"CREATE TABLE feedback ("
	"  id @ID@,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  category TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  location_code TEXT NOT NULL REFERENCES units(code),"
	"  address TEXT,"
	"  lat DOUBLE PRECISION,"
	"  lon DOUBLE PRECISION,"
	"  reporter_name TEXT,"
	"  reporter_phone TEXT,"
	"  reporter_id BIGINT REFERENCES users(id),"
	"  source TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL REFERENCES units(code),"
	"  unit_path TEXT NOT NULL,"
	"  assigned_code TEXT REFERENCES units(code),"
	"  assigned_path TEXT,"
	"  holder_code TEXT NOT NULL REFERENCES units(code),"
	"  escalations INTEGER NOT NULL DEFAULT 0,"
	"  status TEXT NOT NULL CHECK (status IN ('new','acknowledged','in_progress','answered',"
	"'closed','rejected')),"
	"  deadline TEXT NOT NULL,"
	"  holder_deadline TEXT NOT NULL,"
	"  answer TEXT,"
	"  answered_at BIGINT,"
	"  reject_reason TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL);\n"
	"CREATE INDEX feedback_path_idx ON feedback(unit_path, id);\n"
	"CREATE INDEX feedback_assigned_idx ON feedback(assigned_path, id);\n"
	"CREATE INDEX feedback_open_idx ON feedback(status, holder_deadline);\n"
	"CREATE INDEX feedback_reporter_idx ON feedback(reporter_id, id);\n"
	"CREATE TABLE feedback_events ("
	"  id @ID@,"
	"  feedback_id BIGINT NOT NULL REFERENCES feedback(id),"
	"  at BIGINT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  unit_code TEXT,"
	"  note TEXT,"
	"  actor TEXT NOT NULL);\n"
	"CREATE INDEX feedback_events_idx ON feedback_events(feedback_id, id);\n",
	NULL, NULL, 0 },
};

static const char *migrate_id_type(struct store *st)
{
	return strcmp(sql_backend(st), "postgres") == 0
	       ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
	       : "INTEGER PRIMARY KEY";
}

/* Expands @ID@ for the backend. */
static int migrate_expand(struct store *st, const char *sql, struct strbuf *out)
{
	const char *p;
	int rc = 0;

	while (rc == 0 && (p = strstr(sql, "@ID@")) != NULL) {
		if ((rc = strbuf_add(out, sql, (size_t)(p - sql))) == 0)
			rc = strbuf_adds(out, migrate_id_type(st));
		sql = p + 4;
	}
	return rc ? rc : strbuf_adds(out, sql);
}

/* The committed version, creating nothing: 0 without schema_migrations. */
static int migrate_read_version(struct store *st, int *version, struct error *err)
{
	struct sql_stmt *s;
	int64_t n = 0, v = 0;
	int rc;

	*version = 0;
	if ((rc = sql_table_count(st, "schema_migrations", &n, err)) < 0 || n == 0)
		return rc;
	if ((rc = sql_prepare(st, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
	                      &s, err)) < 0)
		return rc;
	rc = sql_exec_stmt(s, &v, err);
	*version = (int)v;
	return rc;
}

/* SQLite: after a rebuild, no row may point at a row that is gone. */
static int migrate_fk_check(struct store *st, struct error *err)
{
	struct sql_stmt *s;
	char table[64] = "";
	int rc;

	if ((rc = sql_prepare(st, "PRAGMA foreign_key_check", &s, err)) < 0)
		return rc;
	rc = sql_step(s, err);
	if (rc == 1)
		snprintf(table, sizeof(table), "%s", sql_col_text(s, 0));
	sql_done(s);
	if (rc == 1)
		return error_set(err, THC_ESTORE, "khóa ngoại hỏng trong bảng %s",
		                 "a broken foreign key in table %s", table);
	return rc;
}

int store_schema_version(struct store *st, int *version, struct error *err)
{
	return migrate_read_version(st, version, err);
}

int store_schema_latest(void)
{
	return migrations[ARRAY_SIZE(migrations) - 1].version;
}

static const struct migration *migrate_after(int version)
{
	for (size_t i = 0; i < ARRAY_SIZE(migrations); i++)
		if (migrations[i].version > version)
			return &migrations[i];
	return NULL;
}

/* Does step m rebuild tables on this backend (foreign keys off around it)? */
static int migrate_rebuilds(struct store *st, const struct migration *m)
{
	return m && m->sqlite_rebuild && strcmp(sql_backend(st), "postgres") != 0;
}

/*
 * Applies the step after the current version, if any, in one transaction.
 * The version is read under the schema lock: a server starting at the same
 * moment waits here, then finds the step done and moves on to the next.
 * *version gets the version after the call, *did 1 if this call applied it.
 * fk_off: the caller turned SQLite's foreign keys off for a rebuild; a step
 * that needs it when they are on is left for the caller to retry.
 */
static int migrate_one(struct store *st, int fk_off, int *version, int *did,
                       struct error *err)
{
	struct strbuf sql = STRBUF_INIT(1 << 20);
	const struct migration *m = NULL;
	const char *extra;
	struct sql_stmt *s;
	int rc;

	*did = 0;
	/* A raw transaction, not store_write: a schema step changes no record
	 * (schema_migrations is its trace), and it runs before the audit table
	 * may exist. */
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = sql_schema_lock(st, err)) < 0 ||
	    (rc = sql_exec(st, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                   " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	                   " applied_at BIGINT NOT NULL)", err)) < 0 ||
	    (rc = migrate_read_version(st, version, err)) < 0)
		goto out;
	if ((m = migrate_after(*version)) == NULL) {
		rc = sql_commit(st, err);   /* another process got there first */
		goto out;
	}
	if (migrate_rebuilds(st, m) && !fk_off) {
		sql_rollback(st);           /* the caller turns foreign keys off first */
		*version = m->version - 1;
		m = NULL;
		goto out;
	}
	extra = strcmp(sql_backend(st), "postgres") == 0 ? m->postgres_sql : m->sqlite_sql;
	rc = migrate_expand(st, m->sql, &sql);
	if (rc == 0 && extra)
		rc = strbuf_adds(&sql, extra);
	if (rc < 0) {
		error_set(err, rc, "không dựng được câu lệnh di chuyển %d",
		          "cannot build migration %d", m->version);
		goto out;
	}
	if ((rc = sql_exec(st, sql.buf, err)) < 0)
		goto out;
	if ((rc = sql_prepare(st, "INSERT INTO schema_migrations (version, name, applied_at)"
	                      " VALUES ($1, $2, $3)", &s, err)) < 0)
		goto out;
	sql_bind_int64(s, 1, m->version);
	sql_bind_text(s, 2, m->name);
	sql_bind_int64(s, 3, vntime_now_ms());
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		goto out;
	if (migrate_rebuilds(st, m) && (rc = migrate_fk_check(st, err)) < 0)
		goto out;
	if ((rc = sql_commit(st, err)) == 0) {
		*version = m->version;
		*did = 1;
	}
out:
	if (rc < 0) {
		if (st->in_tx)
			sql_rollback(st);
		if (m)
			error_prefix(err, "di chuyển %d: ", "migration %d: ", m->version);
	}
	strbuf_release(&sql);
	return rc;
}

int store_migrate(struct store *st, int *applied, struct error *err)
{
	int version, did, rc, n = 0;

	/* Without a lock first: a current schema (most starts) takes none. */
	if ((rc = migrate_read_version(st, &version, err)) < 0)
		return rc;
	while (migrate_after(version) != NULL) {
		/* PRAGMA foreign_keys is a no-op inside a transaction: a rebuild
		 * (as the unlocked version suggests) turns them off around it. */
		int fk_off = migrate_rebuilds(st, migrate_after(version));

		if (fk_off && (rc = sql_exec(st, "PRAGMA foreign_keys=OFF", err)) < 0)
			return rc;
		rc = migrate_one(st, fk_off, &version, &did, err);
		if (fk_off) {
			struct error ignore = ERROR_INIT;
			(void)sql_exec(st, "PRAGMA foreign_keys=ON", &ignore);
		}
		if (rc < 0)
			return rc;
		n += did;
	}
	if (applied)
		*applied = n;
	return 0;
}
