/*
 * Figures built from the cases (public, no personal data): weekly counts
 * per unit, hamlets without F0, and the published daily counts per
 * province.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/role.h"
#include "domain/unit.h"
#include "store/cases-private.h"
#include "base/banned.h"

/* ---- weekly aggregates (public) ---- */

/*
 * One grouped query per request, over case_weeks (kept by triggers:
 * migrate.c step 7) rather than over every case.  A commune-week is the
 * sum of its rows: one on SQLite, one per slot on PostgreSQL (step 24).
 * The rows are summed by week straight away: a commune-week's counts are
 * never below zero, so a week has cases (or deaths) exactly when one of its
 * commune-weeks has; grouping by commune first cost a third of a second
 * for the country's year.
 * F selects the unit's communes; the daily published counts of a province
 * ($5 = 1) count only on days without any individual case in that
 * province, so the two sources never add up twice.  Every variant mentions
 * every parameter (PostgreSQL must type them all).
 */
/* A sum of a count column: PostgreSQL sums BIGINT into NUMERIC, which took
 * half the time of the year's figures; an INTEGER sum is a BIGINT. */
#define SUM_N(X) "SUM(CAST(" X " AS INTEGER))"
#define WEEKLY_SQL(JOIN, F, DF) \
	"SELECT wk, " SUM_N("n") ", " SUM_N("comm") ", " SUM_N("quar") ", " SUM_N("imp") "," \
	" " SUM_N("oxy") ", " SUM_N("dead") " FROM (" \
	" SELECT w.week_end AS wk, " SUM_N("w.cases") " AS n, " SUM_N("w.community") " AS comm," \
	"  " SUM_N("w.quarantine") " AS quar, " SUM_N("w.imported") " AS imp," \
	"  " SUM_N("w.oxygen") " AS oxy, " SUM_N("w.deaths") " AS dead FROM case_weeks w " JOIN \
	"  WHERE " F " AND w.week_end >= CAST($3 AS TEXT) AND w.week_end <= CAST($4 AS TEXT)" \
	"  GROUP BY w.week_end HAVING " SUM_N("w.cases") " > 0 OR " SUM_N("w.deaths") " > 0" \
	" UNION ALL SELECT d.week_end, d.new_cases, COALESCE(d.community_cases, d.new_cases), 0, 0, 0, 0" \
	"  FROM province_daily_cases d WHERE CAST($5 AS BIGINT) = 1 AND " DF \
	"  AND d.week_end >= CAST($3 AS TEXT) AND d.week_end <= CAST($4 AS TEXT)" \
	"  AND NOT EXISTS (SELECT 1 FROM cases c2 WHERE c2.province_code = d.province_code" \
	"   AND c2.detected_on = d.day)" \
	") t GROUP BY wk ORDER BY wk"

static const char *const weekly_sql[3] = {
	/* commune */
	WEEKLY_SQL("", "w.commune_code = CAST($1 AS TEXT)",
	           "d.province_code = CAST($6 AS TEXT) AND CAST($2 AS TEXT) IS NOT NULL"),
	/* district or province */
	WEEKLY_SQL("JOIN units u ON u.code = w.commune_code",
	           "substr(u.path, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)",
	           "d.province_code = CAST($6 AS TEXT) AND CAST($1 AS TEXT) IS NOT NULL"),
	/* the country */
	WEEKLY_SQL("", "CAST($6 AS TEXT) IS NOT NULL",
	           "CAST($1 AS TEXT) IS NOT NULL AND CAST($2 AS TEXT) IS NOT NULL"),
};

static void week_from_row(struct sql_stmt *s, int off, struct arena *a, struct case_week *w)
{
	w->week_end = arena_strdup(a, sql_col_text(s, off));
	w->cases = sql_col_int64(s, off + 1);
	w->community = sql_col_int64(s, off + 2);
	w->quarantine = sql_col_int64(s, off + 3);
	w->imported = sql_col_int64(s, off + 4);
	w->oxygen = sql_col_int64(s, off + 5);
	w->deaths = sql_col_int64(s, off + 6);
}

/* A unit's path and level (-1: unknown level) and, when asked, its
 * population (its own, else the sum of its communes'; -1: none): 1 when
 * found, 0 when not, or an error. */
static int stats_unit(struct store *st, const char *code, char path[CASE_PATH_MAX], int *lvl,
                      int64_t *population, struct error *err)
{
	char level[16] = "";
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT u.path, u.level, COALESCE(u.population, (SELECT SUM(x.population)"
	                      " FROM units x WHERE x.level = 'commune' AND substr(x.path, 1, length(u.path))"
	                      " = u.path)) FROM units u WHERE u.code = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	rc = sql_step(s, err);
	if (rc == 1) {
		rc = sql_col_copy(s, 0, path, CASE_PATH_MAX, err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 1, level, sizeof(level), err) < 0 ? THC_ESTORE : rc;
		if (population)
			*population = sql_col_is_null(s, 2) ? -1 : sql_col_int64(s, 2);
	}
	sql_done(s);
	*lvl = unit_level_from_name(level);
	return rc;
}

int store_unit_stats(struct store *st, const char *code, int *level, int64_t *population,
                     struct error *err)
{
	char path[CASE_PATH_MAX] = "";

	return stats_unit(st, code, path, level, population, err);
}

int store_cases_weekly(struct store *st, const char *code, const char *from_week,
                       const char *to_week, struct arena *a, struct case_week **out,
                       size_t *n, int64_t *population, struct error *err)
{
	char path[CASE_PATH_MAX] = "";
	struct sql_stmt *s;
	size_t cap = 0;
	int lvl, which, rc;

	*out = NULL;
	*n = 0;
	*population = -1;
	if ((rc = stats_unit(st, code, path, &lvl, population, err)) < 0)
		return rc;
	if (rc == 0 || lvl > UNIT_COMMUNE || lvl < 0)
		return error_set(err, THC_ENOTFOUND, "không có xã, huyện hoặc tỉnh mã '%.40s'",
		                 "no commune, district or province with code '%.40s'", code);
	which = lvl == UNIT_COMMUNE ? 0 : lvl == UNIT_COUNTRY ? 2 : 1;
	if ((rc = sql_prepare(st, weekly_sql[which], &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, path);
	sql_bind_text(s, 3, from_week);
	sql_bind_text(s, 4, to_week);
	sql_bind_int64(s, 5, lvl == UNIT_PROVINCE || lvl == UNIT_COUNTRY);
	sql_bind_text(s, 6, lvl == UNIT_COUNTRY ? "" : arena_strndup(a, path + 1, 2));
	while ((rc = sql_step(s, err)) == 1) {
		if (*n == cap) {
			struct case_week *grown;

			cap = cap ? 2 * cap : 64;
			if ((grown = arena_alloc(a, cap * sizeof(*grown))) == NULL) {
				rc = store_oom(err);
				break;
			}
			if (*n)
				memcpy(grown, *out, *n * sizeof(*grown));
			*out = grown;
		}
		week_from_row(s, 0, a, &(*out)[(*n)++]);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/* The commune-week being summed from its rows (one per slot). */
struct cw_sum {
	char commune[UNIT_CODE_MAX], week[16];
	struct case_week w;
	int open;
};

/* src, cut to cap - 1 bytes (codes and dates are far shorter): snprintf
 * took an eighth of the year's read. */
static void cw_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	n = n < cap ? n : cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Gives the finished commune-week to fn when it counts anything. */
static void cw_flush(struct cw_sum *c, size_t *k, void (*fn)(void *, const struct case_week *),
                     void *ctx)
{
	if (!c->open || (c->w.cases <= 0 && c->w.deaths <= 0))
		return;
	(*k)++;
	if (fn) {
		c->w.commune_code = c->commune;
		c->w.week_end = c->week;
		fn(ctx, &c->w);
	}
}

int store_cases_weekly_communes(struct store *st, const char *from_week,
                                const char *to_week,
                                void (*fn)(void *ctx, const struct case_week *w),
                                void *ctx, size_t *rows, struct error *err)
{
	struct cw_sum c = { .open = 0 };
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	/* Read in key order, and the slots of a commune-week (schema step 24)
	 * added up here as they come: grouping them in PostgreSQL took 0.45 s
	 * for a year of the country, reading them as they are half of that. */
	if ((rc = sql_prepare(st, "SELECT commune_code, week_end, cases, community, quarantine,"
	                      " imported, oxygen, deaths FROM case_weeks"
	                      " WHERE week_end >= CAST($1 AS TEXT) AND week_end <= CAST($2 AS TEXT)"
	                      " ORDER BY commune_code, week_end", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, from_week);
	sql_bind_text(s, 2, to_week);
	while ((rc = sql_step(s, err)) == 1) {
		const char *commune = sql_col_text(s, 0), *week = sql_col_text(s, 1);

		if (!c.open || strcmp(c.commune, commune) != 0 || strcmp(c.week, week) != 0) {
			cw_flush(&c, &k, fn, ctx);
			memset(&c.w, 0, sizeof(c.w));
			cw_copy(c.commune, sizeof(c.commune), commune);
			cw_copy(c.week, sizeof(c.week), week);
			c.open = 1;
		}
		c.w.cases += sql_col_int64(s, 2);
		c.w.community += sql_col_int64(s, 3);
		c.w.quarantine += sql_col_int64(s, 4);
		c.w.imported += sql_col_int64(s, 5);
		c.w.oxygen += sql_col_int64(s, 6);
		c.w.deaths += sql_col_int64(s, 7);
	}
	sql_done(s);
	if (rc == 0)
		cw_flush(&c, &k, fn, ctx);
	if (rows)
		*rows = k;
	return rc < 0 ? rc : 0;
}

/* ---- the units below a province or district, one week (public) ---- */

/* $1 parent code, $2 week_end: each child with its population (own, else
 * its communes'), latest assessment and latest decided level. */
#define CHILDREN_SQL \
	"SELECT u.code, u.name, u.level, u.path, COALESCE(u.population, (SELECT SUM(x.population)" \
	" FROM units x WHERE x.level = 'commune' AND substr(x.path, 1, length(u.path)) = u.path))," \
	" (SELECT MAX(l.week_end) FROM level_assessments l WHERE l.unit_code = u.code" \
	"  AND l.week_end <= CAST($2 AS TEXT))," \
	" (SELECT MAX(d.effective_from) FROM level_decisions d WHERE d.unit_code = u.code" \
	"  AND d.effective_from <= CAST($2 AS TEXT))" \
	" FROM units u WHERE u.parent_code = $1 AND u.level IN ('district', 'commune') ORDER BY u.code"
/* $1 the parent's path, $2 the length of a child's path, $3 week_end, $4
 * the week before: the cases of every commune below, grouped by child.
 * Through the communes (case_weeks' key: each commune's rows of the two
 * weeks, every slot of them), not a scan of case_weeks. */
#define CHILD_WEEK(WK, COL) \
	SUM_N("CASE WHEN w.week_end = CAST(" WK " AS TEXT) THEN w." COL " ELSE 0 END")
#define CHILD_CASES_SQL \
	"SELECT substr(c.path, 1, CAST($2 AS INTEGER)) AS cp, " CHILD_WEEK("$3", "cases") "," \
	" " CHILD_WEEK("$3", "community") ", " CHILD_WEEK("$4", "cases") "," \
	" " CHILD_WEEK("$4", "community") \
	" FROM units c JOIN case_weeks w ON w.commune_code = c.code" \
	" AND w.week_end IN (CAST($3 AS TEXT), CAST($4 AS TEXT))" \
	" WHERE c.level = 'commune' AND substr(c.path, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT)" \
	" GROUP BY substr(c.path, 1, CAST($2 AS INTEGER))"

static int children_list(struct store *st, const char *code, const char *week_end,
                         struct arena *a, struct child_week **out, const char ***paths,
                         size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t cap = 0;
	int rc;

	if ((rc = sql_prepare(st, CHILDREN_SQL, &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, week_end);
	while ((rc = sql_step(s, err)) == 1) {
		struct child_week *c;

		if (*n == cap) {
			struct child_week *grown;
			const char **gp;

			cap = cap ? 2 * cap : 64;
			grown = arena_alloc(a, cap * sizeof(*grown));
			gp = arena_alloc(a, cap * sizeof(*gp));
			if (grown == NULL || gp == NULL) {
				rc = store_oom(err);
				break;
			}
			if (*n) {
				memcpy(grown, *out, *n * sizeof(*grown));
				memcpy(gp, *paths, *n * sizeof(*gp));
			}
			*out = grown;
			*paths = gp;
		}
		c = &(*out)[*n];
		c->code = arena_strdup(a, sql_col_text(s, 0));
		c->name = arena_strdup(a, sql_col_text(s, 1));
		c->level = arena_strdup(a, sql_col_text(s, 2));
		(*paths)[*n] = arena_strdup(a, sql_col_text(s, 3));
		c->population = sql_col_is_null(s, 4) ? -1 : sql_col_int64(s, 4);
		c->last_assessed = arena_strdup(a, sql_col_text(s, 5));
		c->last_decided = arena_strdup(a, sql_col_text(s, 6));
		if (c->code == NULL || c->name == NULL || (*paths)[*n] == NULL) {
			rc = store_oom(err);
			break;
		}
		(*n)++;
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

int store_children_week(struct store *st, const char *code, const char *week_end,
                        const char *prev_week, struct arena *a, struct child_week **out,
                        size_t *n, struct error *err)
{
	char path[CASE_PATH_MAX] = "";
	const char **paths = NULL;
	struct sql_stmt *s;
	size_t k;
	int lvl, rc;

	*out = NULL;
	*n = 0;
	if ((rc = stats_unit(st, code, path, &lvl, NULL, err)) < 0)
		return rc;
	if (rc == 0 || lvl < 0 || lvl > UNIT_COMMUNE)
		return error_set(err, THC_ENOTFOUND, "không có huyện hoặc tỉnh mã '%.40s'",
		                 "no district or province with code '%.40s'", code);
	if (lvl != UNIT_PROVINCE && lvl != UNIT_DISTRICT)
		return error_set(err, THC_EINVAL,
		                 "'%.40s' không phải tỉnh hoặc huyện: chỉ tỉnh và huyện có đơn vị cấp dưới công khai",
		                 "'%.40s' is not a province or district: only they have public units below",
		                 code);
	if ((rc = children_list(st, code, week_end, a, out, &paths, n, err)) < 0 || *n == 0)
		return rc;
	if ((rc = sql_prepare(st, CHILD_CASES_SQL, &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, path);
	sql_bind_int64(s, 2, (int64_t)strlen(paths[0]));
	sql_bind_text(s, 3, week_end);
	sql_bind_text(s, 4, prev_week);
	/* Groups come in no given order (PostgreSQL may hash them); a province
	 * has some thirty districts, a district some fifty communes. */
	while ((rc = sql_step(s, err)) == 1) {
		const char *cp = sql_col_text(s, 0);

		for (k = 0; cp && k < *n && strcmp(paths[k], cp) != 0; k++)
			;
		if (cp == NULL || k == *n)
			continue;
		(*out)[k].cases = sql_col_int64(s, 1);
		(*out)[k].community = sql_col_int64(s, 2);
		(*out)[k].prev_cases = sql_col_int64(s, 3);
		(*out)[k].prev_community = sql_col_int64(s, 4);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/* ---- hamlets without F0 ---- */

int store_hamlets_last_case(struct store *st, const struct store_actor *actor,
                            const char *commune, const char *date, struct arena *a,
                            struct hamlet_f0 **out, size_t *n, struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	role_mask_names(ROLE_MASK_PERSONAL | ROLE_BIT(ROLE_TEAM_MEMBER), roles, sizeof(roles));
	if ((rc = sql_prepare(st, "SELECT h.code, h.name, (SELECT MAX(c.detected_on) FROM cases c"
	                      "  WHERE c.commune_code = $1 AND substr(c.unit_path, 1, length(h.path)) = h.path"
	                      "  AND c.detected_on <= CAST($2 AS TEXT))"
	                      " FROM units h WHERE h.parent_code = $1 AND h.level = 'hamlet' AND "
	                      SCOPE_SQL("h.path", "$3", "$4") " ORDER BY h.code", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, commune);
	sql_bind_text(s, 2, date);
	sql_bind_int64(s, 3, store_actor_uid(actor));
	sql_bind_text(s, 4, roles);
	while ((rc = sql_step(s, err)) == 1) {
		if (*n == cap) {
			struct hamlet_f0 *grown;

			cap = cap ? 2 * cap : 32;
			if ((grown = arena_alloc(a, cap * sizeof(*grown))) == NULL) {
				rc = store_oom(err);
				break;
			}
			if (*n)
				memcpy(grown, *out, *n * sizeof(*grown));
			*out = grown;
		}
		(*out)[*n].code = arena_strdup(a, sql_col_text(s, 0));
		(*out)[*n].name = arena_strdup(a, sql_col_text(s, 1));
		(*out)[*n].last_case_on = arena_strdup(a, sql_col_text(s, 2));
		(*n)++;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (*n == 0)
		return error_set(err, THC_ENOTFOUND,
		                 "không có thôn nào của xã '%.40s' trong phạm vi của bạn",
		                 "no hamlet of commune '%.40s' within your scope", commune);
	return 0;
}

/* ---- published daily counts per province ---- */

struct daily_import {
	const struct daily_cases_row *rows;
	size_t n;
};

static int daily_import_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct daily_import *D = ctx;
	const struct daily_cases_row *rows = D->rows;
	struct sql_stmt *s;
	int rc;

	for (size_t i = 0; i < D->n; i++) {
		char wk[11];
		int64_t one = 0;

		if ((rc = sql_prepare(st, "SELECT 1 FROM units WHERE code = $1 AND level = 'province'",
		                      &s, err)) < 0)
			return rc;
		sql_bind_text(s, 1, rows[i].province_code);
		if ((rc = sql_exec_stmt(s, &one, err)) < 0)
			return rc;
		if (!one)
			return error_set_at(err, THC_EUNPROCESSABLE, "province_code",
			                 "dòng %ld: cột 'province_code': không có tỉnh mã '%.20s'",
			                 "line %ld: column 'province_code': no province with code '%.20s'",
			                 rows[i].line, rows[i].province_code);
		place_week_end(rows[i].day, wk);
		/* Upsert in portable SQL: delete then insert. */
		if ((rc = sql_prepare(st, "DELETE FROM province_daily_cases WHERE province_code = $1"
		                      " AND day = $2", &s, err)) < 0)
			return rc;
		sql_bind_text(s, 1, rows[i].province_code);
		sql_bind_text(s, 2, rows[i].day);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
		if ((rc = sql_prepare(st, "INSERT INTO province_daily_cases (province_code, day, week_end,"
		                      " new_cases, community_cases, updated_at, updated_by)"
		                      " VALUES ($1, $2, $3, $4, $5, $6, $7)", &s, err)) < 0)
			return rc;
		sql_bind_text(s, 1, rows[i].province_code);
		sql_bind_text(s, 2, rows[i].day);
		sql_bind_text(s, 3, wk);
		sql_bind_int64(s, 4, rows[i].new_cases);
		if (rows[i].community_cases >= 0)
			sql_bind_int64(s, 5, rows[i].community_cases);
		else
			sql_bind_null(s, 5);
		sql_bind_int64(s, 6, actor->now_ms);
		sql_bind_text(s, 7, actor->username ? actor->username : "system");
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
			error_prefix(err, "dòng %ld: ", "line %ld: ", rows[i].line);
			return rc;
		}
	}
	au->action = "daily_cases.import";
	au->entity = "province_daily_cases";
	au->unit_code = UNIT_COUNTRY_CODE;
	if ((au->after = json_pack("{s:I}", "rows", (json_int_t)D->n)) == NULL)
		return store_oom(err);
	return 0;
}

int store_daily_cases_import(struct store *st, const struct store_actor *actor,
                             const struct daily_cases_row *rows, size_t n,
                             size_t *stored, struct error *err)
{
	struct daily_import D = { rows, n };
	int rc;

	if ((rc = store_write(st, actor, daily_import_body, &D, err)) < 0)
		return rc;
	if (stored)
		*stored = n;
	return 0;
}
