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
	"  FOR EACH ROW EXECUTE FUNCTION audit_append_only();\n" },
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
	NULL, NULL },
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
	NULL, NULL },
	{ 4, "units: index for the children of a unit by level",
	"CREATE INDEX units_parent_level_idx ON units(parent_code, level, code);\n",
	NULL, NULL },
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
	NULL, NULL },
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

int store_schema_version(struct store *st, int *version, struct error *err)
{
	struct sql_stmt *s;
	int64_t v = 0;
	int rc;

	rc = sql_exec(st, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	              " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	              " applied_at BIGINT NOT NULL)", err);
	if (rc < 0)
		return rc;
	if ((rc = sql_prepare(st, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
	                      &s, err)) < 0)
		return rc;
	rc = sql_exec_stmt(s, &v, err);
	*version = (int)v;
	return rc;
}

static int migrate_one(struct store *st, const struct migration *m, struct error *err)
{
	struct strbuf sql = STRBUF_INIT(1 << 20);
	const char *extra = strcmp(sql_backend(st), "postgres") == 0 ? m->postgres_sql
	                                                              : m->sqlite_sql;
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
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
	rc = sql_commit(st, err);
out:
	if (rc < 0) {
		sql_rollback(st);
		error_prefix(err, "di chuyển %d: ", "migration %d: ", m->version);
	}
	strbuf_release(&sql);
	return rc;
}

int store_migrate(struct store *st, int *applied, struct error *err)
{
	int version, rc, n = 0;

	if ((rc = store_schema_version(st, &version, err)) < 0)
		return rc;
	for (size_t i = 0; i < ARRAY_SIZE(migrations); i++) {
		if (migrations[i].version <= version)
			continue;
		if ((rc = migrate_one(st, &migrations[i], err)) < 0)
			return rc;
		n++;
	}
	if (applied)
		*applied = n;
	return 0;
}
