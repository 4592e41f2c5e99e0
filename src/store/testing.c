/*
 * FOR TESTS ONLY (store/testing.h): bare people and cases written without
 * audit, as the test suites' fixtures.  Not used by the server or the CLI.
 */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "base/vntime.h"
#include "domain/role.h"
#include "store/cases-private.h"
#include "store/testing.h"
#include "base/banned.h"

int store_test_person(struct store *st, const char *full_name, const char *unit_code,
                      int64_t *id, struct error *err)
{
	char folded[1024];
	struct store_actor sys = { .user_id = 0, .username = "system:test" };
	struct place pl = { .code = "" };
	struct sql_stmt *s;
	int rc;

	if ((rc = place_lookup(st, &sys, ROLE_MASK_ALL, unit_code, "unit_code", &pl, err)) < 0)
		return rc;
	text_fold(full_name, folded, sizeof(folded));
	rc = sql_prepare(st, "INSERT INTO people (full_name, full_name_folded, unit_code, unit_path,"
	                 " commune_code, province_code, created_at, updated_at)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, 0, 0) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, full_name);
	sql_bind_text(s, 2, folded);
	sql_bind_text(s, 3, unit_code);
	sql_bind_text(s, 4, pl.path);
	sql_bind_text(s, 5, pl.commune);
	sql_bind_text(s, 6, pl.province);
	return sql_exec_stmt(s, id, err);
}

int store_test_case(struct store *st, int64_t person_id, const char *unit_code,
                    const char *detected_on, int64_t *id, struct error *err)
{
	char path[128], commune[UNIT_CODE_MAX] = "", week[11];
	struct vndate d;
	struct store_actor sys = { .user_id = 0, .username = "system:test" };
	struct sql_stmt *s;
	int rc;

	if ((rc = store_scope_path(st, &sys, unit_code, ROLE_MASK_ALL, path, sizeof(path),
	                           err)) < 0)
		return rc;
	if (strcmp(path, "/") == 0)   /* the country itself is no place */
		return error_set(err, THC_ENOTFOUND,
		                 "không có đơn vị mã '%.40s' trong phạm vi của bạn",
		                 "no unit with code '%.40s' within your scope", unit_code);
	(void)unit_path_code(path, 3, commune, sizeof(commune));
	if (commune[0] == '\0')
		return error_set(err, THC_EUNPROCESSABLE, "'%s' không thuộc xã nào",
		                 "'%s' lies in no commune", unit_code);
	if (vndate_parse(detected_on, &d) < 0)
		return error_set(err, THC_EUNPROCESSABLE, "'%.20s' không phải ngày YYYY-MM-DD",
		                 "'%.20s' is not a date YYYY-MM-DD", detected_on);
	/* Weeks end on Sunday, as case reporting stores them. */
	vndate_format_iso(vndate_from_days(vndate_week_end(vndate_to_days(d), 1)), week,
	                  sizeof(week));
	rc = sql_prepare(st, "INSERT INTO cases (person_id, unit_code, unit_path, commune_code,"
	                 " province_code, detected_on, detected_week, test_type, source, created_at,"
	                 " updated_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'rt-pcr',"
	                 " 'community', 0, 0, 'system:test') RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, person_id);
	sql_bind_text(s, 2, unit_code);
	sql_bind_text(s, 3, path);
	sql_bind_text(s, 4, commune);
	{
		char prov[3] = { path[1], path[2], 0 };
		sql_bind_text(s, 5, prov);
		sql_bind_text(s, 6, detected_on);
		sql_bind_text(s, 7, week);
		return sql_exec_stmt(s, id, err);
	}
}

#define CASE_WEEKS_AFRESH \
	"SELECT cc, wk, SUM(n), SUM(comm), SUM(quar), SUM(imp), SUM(oxy), SUM(dead) FROM (" \
	" SELECT commune_code AS cc, detected_week AS wk, 1 AS n," \
	"  CASE WHEN source = 'community' THEN 1 ELSE 0 END AS comm," \
	"  CASE WHEN source = 'quarantine' THEN 1 ELSE 0 END AS quar," \
	"  CASE WHEN source = 'imported' THEN 1 ELSE 0 END AS imp," \
	"  needs_oxygen AS oxy, 0 AS dead FROM cases" \
	" UNION ALL SELECT commune_code, outcome_week, 0, 0, 0, 0, 0, 1 FROM cases" \
	"  WHERE outcome = 'died' AND outcome_week IS NOT NULL) t GROUP BY cc, wk"
#define CASE_WEEKS_KEPT \
	"SELECT commune_code, week_end, SUM(cases), SUM(community), SUM(quarantine), SUM(imported)," \
	" SUM(oxygen), SUM(deaths) FROM case_weeks GROUP BY commune_code, week_end" \
	" HAVING SUM(cases) <> 0 OR SUM(community) <> 0 OR SUM(quarantine) <> 0" \
	" OR SUM(imported) <> 0 OR SUM(oxygen) <> 0 OR SUM(deaths) <> 0"

int store_test_case_weeks_drift(struct store *st, int64_t *rows, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT (SELECT COUNT(*) FROM (" CASE_WEEKS_KEPT " EXCEPT "
	                 CASE_WEEKS_AFRESH ") a) + (SELECT COUNT(*) FROM (" CASE_WEEKS_AFRESH
	                 " EXCEPT " CASE_WEEKS_KEPT ") b)", &s, err);
	return rc < 0 ? rc : sql_exec_stmt(s, rows, err);
}

int store_test_case_week_rows(struct store *st, const char *commune, const char *week,
                              int64_t *rows, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT COUNT(*) FROM case_weeks WHERE commune_code = $1"
	                      " AND week_end = $2", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, commune);
	sql_bind_text(s, 2, week);
	return sql_exec_stmt(s, rows, err);
}

int store_test_week_slot(struct store *st, int64_t *slot, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	*slot = -1;
	if (strcmp(sql_backend(st), "postgres") != 0)
		return 0;
	if ((rc = sql_prepare(st, "SELECT pg_backend_pid() % 16", &s, err)) < 0)
		return rc;
	return sql_exec_stmt(s, slot, err);
}

int store_test_cache_size(struct store *st, int64_t *v, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	*v = 0;
	if (strcmp(sql_backend(st), "sqlite") != 0)
		return 0;
	if ((rc = sql_prepare(st, "PRAGMA cache_size", &s, err)) < 0)
		return rc;
	return sql_exec_stmt(s, v, err);
}

struct test_write {
	const char *key;
	int fail;
};

static int test_write_body(struct store *st, void *ctx, struct store_audit *au,
                           struct error *err)
{
	struct test_write *w = ctx;
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "INSERT INTO login_throttle (key_hash, failures, window_start,"
	                      " next_at, expires_at) VALUES ($1, 1, 0, 0, 0)", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, w->key);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	if (w->fail)
		return error_set(err, THC_EUNPROCESSABLE, "lỗi thử", "test failure");
	au->action = "test.write";
	au->entity = "test";
	store_audit_id_text(au, w->key);
	return 0;
}

int store_test_write(struct store *st, const struct store_actor *actor, const char *key,
                     int fail, struct error *err)
{
	struct test_write w = { key, fail };

	return store_write(st, actor, test_write_body, &w, err);
}

int store_test_written(struct store *st, const char *key, int *found, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT 1 FROM login_throttle WHERE key_hash = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, key);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc < 0)
		return rc;
	*found = rc == 1;
	return 0;
}
