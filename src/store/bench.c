/*
 * Benchmark support: the Decision 4800 level rule as ONE SQL query.
 *
 * These functions exist only for bench/levels_bench.c, which times the
 * in-memory engine (src/domain/level.c) against the same rule written as
 * SQL, on SQLite and PostgreSQL, over the same synthetic year.  The server
 * and the CLI never call them: real assessments go through level_assess()
 * and store_level_assessments_put().  The table bench_level_inputs is a
 * scratch table outside the migrations; store_bench_levels_drop() removes
 * it.
 *
 * The query mirrors level_assess() with data/rules/qd4800-2021.json:
 *   cases per 100,000 = (cases_week + cases_prev_week) * 100000 / (2 * population),
 *     as the engine computes it (an exact integer numerator divided in double);
 *   band: < 20 -> 1, < 50 -> 2, < 150 -> 3, else 4;
 *   vaccination met: vax1_18plus_pct >= 70 and vaxfull_elderly_pct >= 80;
 *   matrix: met 1, 1, 2, 3; not met 2, 2, 3, 4;
 *   no downgrade: a previous_level above the matrix level is kept when
 *     capacity_met = 0; when capacity_met is unknown there, not assessable;
 *   a missing population, count or share: not assessable (level 0).
 * A change to the rule file does not change this query: it is a fixed copy
 * for comparison, and the benchmark cross-checks it against the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/bench.h"
#include "store/store-private.h"
#include "base/banned.h"

/* Shared by both backends: DOUBLE PRECISION has REAL affinity in SQLite.
 * No key or index: the query reads every row anyway, and the load should
 * measure the rows, not index upkeep. */
static const char bench_drop_sql[] = "DROP TABLE IF EXISTS bench_level_inputs";
static const char bench_create_sql[] =
	"CREATE TABLE bench_level_inputs ("
	" unit_code TEXT NOT NULL,"
	" week INTEGER NOT NULL,"
	" population BIGINT,"
	" cases_week BIGINT,"
	" cases_prev_week BIGINT,"
	" vax1_18plus_pct DOUBLE PRECISION,"
	" vaxfull_elderly_pct DOUBLE PRECISION,"
	" capacity_met INTEGER,"
	" previous_level INTEGER)";
static const char bench_insert_sql[] =
	"INSERT INTO bench_level_inputs (unit_code, week, population, cases_week,"
	" cases_prev_week, vax1_18plus_pct, vaxfull_elderly_pct, capacity_met, previous_level)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/*
 * From the inside out: the indicator; its band and vaccination; the matrix
 * level m (0 when an input is missing); no-downgrade; the count per level.
 * NULLIF keeps a bad population from raising a division error on
 * PostgreSQL (such a row is not assessable anyway).
 *
 * Both SQLite and PostgreSQL flatten the derived tables, copying a
 * column's expression into every place that reads it, so each reference
 * is evaluated again.  "CASE m WHEN" reads m once, where three
 * "previous_level > m" tests would compute the band up to three times
 * more.  Written this way the query takes a third to a half less time on
 * both backends.  A MATERIALIZED CTE helps SQLite less and slows
 * PostgreSQL down.
 */
static const char bench_levels_sql[] =
	"SELECT lvl, COUNT(*) FROM ("
	"SELECT CASE m WHEN 0 THEN 0"
	" WHEN 1 THEN CASE WHEN previous_level > 1 THEN"
	"  CASE capacity_met WHEN 0 THEN previous_level WHEN 1 THEN 1 ELSE 0 END ELSE 1 END"
	" WHEN 2 THEN CASE WHEN previous_level > 2 THEN"
	"  CASE capacity_met WHEN 0 THEN previous_level WHEN 1 THEN 2 ELSE 0 END ELSE 2 END"
	" WHEN 3 THEN CASE WHEN previous_level > 3 THEN"
	"  CASE capacity_met WHEN 0 THEN previous_level WHEN 1 THEN 3 ELSE 0 END ELSE 3 END"
	" ELSE 4 END AS lvl"
	" FROM ("
	"SELECT capacity_met, previous_level,"
	" CASE WHEN population IS NULL OR population <= 0 OR cases_week IS NULL"
	"  OR cases_prev_week IS NULL OR vax1_18plus_pct IS NULL"
	"  OR vaxfull_elderly_pct IS NULL THEN 0"
	" WHEN vacc = 1 THEN CASE band WHEN 1 THEN 1 WHEN 2 THEN 1 WHEN 3 THEN 2 ELSE 3 END"
	" ELSE CASE band WHEN 1 THEN 2 WHEN 2 THEN 2 WHEN 3 THEN 3 ELSE 4 END END AS m"
	" FROM ("
	"SELECT population, cases_week, cases_prev_week, vax1_18plus_pct,"
	" vaxfull_elderly_pct, capacity_met, previous_level,"
	" CASE WHEN per100k < 20 THEN 1 WHEN per100k < 50 THEN 2"
	" WHEN per100k < 150 THEN 3 ELSE 4 END AS band,"
	" CASE WHEN vax1_18plus_pct >= 70 AND vaxfull_elderly_pct >= 80 THEN 1 ELSE 0 END AS vacc"
	" FROM ("
	"SELECT population, cases_week, cases_prev_week, vax1_18plus_pct,"
	" vaxfull_elderly_pct, capacity_met, previous_level,"
	" CAST((cases_week + cases_prev_week) * 100000 AS DOUBLE PRECISION)"
	"  / CAST(NULLIF(2 * population, 0) AS DOUBLE PRECISION) AS per100k"
	" FROM bench_level_inputs) i) b) m) l"
	" GROUP BY lvl ORDER BY lvl";

static int bench_bind_int(struct sql_stmt *s, int idx, int64_t v)
{
	return v < 0 ? sql_bind_null(s, idx) : sql_bind_int64(s, idx, v);
}

static int bench_bind_pct(struct sql_stmt *s, int idx, double v)
{
	return v < 0 ? sql_bind_null(s, idx) : sql_bind_double(s, idx, v);
}

int store_bench_levels_load(struct store *st, const struct bench_level_row *rows, size_t n,
                            struct error *err)
{
	struct sql_stmt *s;
	int rc;

	/* A raw transaction, not store_write: a scratch table outside the
	 * schema, loaded by the benchmark alone, is no audited change. */
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = sql_exec(st, bench_drop_sql, err)) < 0 ||
	    (rc = sql_exec(st, bench_create_sql, err)) < 0 ||
	    (rc = sql_prepare(st, bench_insert_sql, &s, err)) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct bench_level_row *r = &rows[i];

		if (sql_bind_text(s, 1, r->unit_code) < 0 || sql_bind_int64(s, 2, r->week) < 0 ||
		    bench_bind_int(s, 3, r->population) < 0 ||
		    bench_bind_int(s, 4, r->cases_week) < 0 ||
		    bench_bind_int(s, 5, r->cases_prev_week) < 0 ||
		    bench_bind_pct(s, 6, r->vax1_18plus_pct) < 0 ||
		    bench_bind_pct(s, 7, r->vaxfull_elderly_pct) < 0 ||
		    bench_bind_int(s, 8, r->capacity_met) < 0 ||
		    (r->previous_level > 0 ? sql_bind_int64(s, 9, r->previous_level)
		                           : sql_bind_null(s, 9)) < 0) {
			sql_done(s);
			rc = error_set(err, THC_ESTORE, "hàng %zu: không gắn được giá trị",
			               "row %zu: cannot bind a value", i);
			goto fail;
		}
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
			error_prefix(err, "hàng %zu: ", "row %zu: ", i);
			goto fail;
		}
	}
	if ((rc = sql_commit(st, err)) < 0)
		return rc;
	return 0;
fail:
	sql_rollback(st);
	return rc;
}

int store_bench_levels_sql(struct store *st, int64_t counts[5], struct error *err)
{
	struct sql_stmt *s;
	int rc;

	memset(counts, 0, 5 * sizeof(counts[0]));
	if ((rc = sql_prepare(st, bench_levels_sql, &s, err)) < 0)
		return rc;
	while ((rc = sql_step(s, err)) == 1) {
		int64_t lvl = sql_col_int64(s, 0);

		if (lvl < 0 || lvl > 4) {
			rc = error_set(err, THC_EINTERNAL, "truy vấn trả về cấp %lld ngoài 0..4",
			               "the query returned level %lld, outside 0..4", (long long)lvl);
			break;
		}
		counts[lvl] += sql_col_int64(s, 1);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

int store_bench_levels_drop(struct store *st, struct error *err)
{
	return sql_exec(st, bench_drop_sql, err);
}
