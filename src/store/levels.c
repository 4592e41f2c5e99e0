/*
 * Epidemic levels: weekly indicators, computed assessments, decided and
 * published levels.  A level is "in force" for a unit on a date when it is
 * the latest decision whose effective_from is on or before that date.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/vntime.h"
#include "domain/level.h"
#include "domain/role.h"
#include "store/store-private.h"
#include "base/banned.h"

#define LEVEL_ROWS_MAX 20000

/* The latest decision for unit `u` on or before date `d` (SQL fragment). */
#define IN_FORCE(col, u, d) \
	"(SELECT d." col " FROM level_decisions d WHERE d.unit_code = " u \
	" AND d.effective_from <= " d " ORDER BY d.effective_from DESC, d.id DESC LIMIT 1)"

static const char *const in_force_sql[2] = {
	"SELECT u.code, u.name, u.level, u.parent_code, " IN_FORCE("level", "u.code", "$2") ", "
	IN_FORCE("effective_from", "u.code", "$2") ", " IN_FORCE("week_end", "u.code", "$2") ", "
	IN_FORCE("source", "u.code", "$2")
	" FROM units u WHERE u.level = 'province' ORDER BY u.code",
	"SELECT u.code, u.name, u.level, u.parent_code, " IN_FORCE("level", "u.code", "$2") ", "
	IN_FORCE("effective_from", "u.code", "$2") ", " IN_FORCE("week_end", "u.code", "$2") ", "
	IN_FORCE("source", "u.code", "$2")
	" FROM units u WHERE u.parent_code = $1"
	" AND u.level IN ('province','district','commune') ORDER BY u.code",
};

int store_levels_in_force(struct store *st, const char *parent, const char *date,
                          struct arena *a, struct level_in_force **out,
                          size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t cap = 64, k = 0;
	struct level_in_force *v = arena_alloc(a, cap * sizeof(*v));
	int rc;

	if (v == NULL)
		return store_oom(err);
	if ((rc = sql_prepare(st, in_force_sql[parent != NULL], &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, parent);
	sql_bind_text(s, 2, date);
	while ((rc = sql_step(s, err)) == 1) {
		if (k == cap) {
			struct level_in_force *w = arena_alloc(a, 2 * cap * sizeof(*v));
			if (w == NULL) {
				rc = store_oom(err);
				break;
			}
			memcpy(w, v, cap * sizeof(*v));
			v = w;
			cap *= 2;
		}
		v[k].code = arena_strdup(a, sql_col_text(s, 0));
		v[k].name = arena_strdup(a, sql_col_text(s, 1));
		v[k].unit_level = arena_strdup(a, sql_col_text(s, 2));
		v[k].parent_code = arena_strdup(a, sql_col_text(s, 3));
		v[k].level = sql_col_is_null(s, 4) ? 0 : (int)sql_col_int64(s, 4);
		v[k].effective_from = arena_strdup(a, sql_col_text(s, 5));
		v[k].week_end = arena_strdup(a, sql_col_text(s, 6));
		v[k].source = arena_strdup(a, sql_col_text(s, 7));
		k++;
	}
	sql_done(s);
	*out = v;
	*n = k;
	return rc < 0 ? rc : 0;
}

int store_level_changes(struct store *st, const char *parent, const char *date,
                        const char *before_date, struct arena *a,
                        struct level_change **out, size_t *n, struct error *err)
{
	struct level_in_force *now, *then;
	size_t nn, nt, k = 0;
	int rc;

	if ((rc = store_levels_in_force(st, parent, date, a, &now, &nn, err)) < 0 ||
	    (rc = store_levels_in_force(st, parent, before_date, a, &then, &nt, err)) < 0)
		return rc;
	*out = arena_alloc(a, (nn ? nn : 1) * sizeof(**out));
	if (*out == NULL)
		return store_oom(err);
	/* Both lists come ordered by code over the same children. */
	for (size_t i = 0; i < nn && i < nt; i++) {
		if (now[i].level == then[i].level)
			continue;
		(*out)[k].code = now[i].code;
		(*out)[k].name = now[i].name;
		(*out)[k].before = then[i].level;
		(*out)[k].after = now[i].level;
		k++;
	}
	*n = k;
	return 0;
}

#define LEVEL_INNER_ROLES (ROLE_MASK_OFFICIALS | ROLE_BIT(ROLE_HEALTH_WORKER))
#define LEVEL_HISTORY_ASSESSED \
	" UNION ALL SELECT 'assessment', week_end, NULL, level, NULL, cases_per_100k," \
	" rule_set, explanation_vi, explanation_en, missing, NULL, NULL, NULL," \
	" assessed_by, assumption, assessed_at, 0" \
	" FROM level_assessments WHERE unit_code = $1"
/* $3: whether the reader may see who decided. */
#define LEVEL_HISTORY_SQL(assessed) \
	"SELECT 'decision', week_end, effective_from, level, computed_level," \
	" NULL, NULL, NULL, NULL, NULL, reason, source, source_url," \
	" CASE WHEN CAST($3 AS BIGINT) = 1 THEN decided_by END, 0, decided_at, id" \
	" FROM level_decisions WHERE unit_code = $1" assessed \
	" ORDER BY 16 DESC, 17 DESC LIMIT $2"

int store_level_history(struct store *st, const struct store_actor *actor,
                        const char *code, int limit, struct arena *a,
                        struct level_history_entry **out, size_t *n,
                        struct error *err)
{
	struct error ignore = ERROR_INIT;
	struct unit u;
	struct sql_stmt *s;
	size_t k = 0;
	int inner, rc;

	if ((rc = store_unit_get(st, actor, code, a, &u, err)) < 0)
		return rc;
	*out = arena_alloc(a, 2 * (size_t)limit * sizeof(**out));
	if (*out == NULL)
		return store_oom(err);
	/* Only decided levels are public; assessments not (yet) decided and who
	 * ran or decided what are for the officials and health workers in scope. */
	inner = store_scope_check(st, actor, code, LEVEL_INNER_ROLES, &ignore) == 0;
	rc = sql_prepare(st, inner ? LEVEL_HISTORY_SQL(LEVEL_HISTORY_ASSESSED)
	                           : LEVEL_HISTORY_SQL(""), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_int64(s, 2, 2 * limit);
	sql_bind_int64(s, 3, inner);
	while ((rc = sql_step(s, err)) == 1) {
		struct level_history_entry *e = &(*out)[k++];
		e->kind = arena_strdup(a, sql_col_text(s, 0));
		e->week_end = arena_strdup(a, sql_col_text(s, 1));
		e->effective_from = arena_strdup(a, sql_col_text(s, 2));
		e->level = sql_col_is_null(s, 3) ? 0 : (int)sql_col_int64(s, 3);
		e->computed_level = sql_col_is_null(s, 4) ? 0 : (int)sql_col_int64(s, 4);
		e->cases_per_100k = sql_col_is_null(s, 5) ? -1 : sql_col_double(s, 5);
		e->rule_set = arena_strdup(a, sql_col_text(s, 6));
		e->explanation_vi = arena_strdup(a, sql_col_text(s, 7));
		e->explanation_en = arena_strdup(a, sql_col_text(s, 8));
		e->missing = arena_strdup(a, sql_col_text(s, 9));
		e->reason = arena_strdup(a, sql_col_text(s, 10));
		e->source = arena_strdup(a, sql_col_text(s, 11));
		e->source_url = arena_strdup(a, sql_col_text(s, 12));
		e->by = arena_strdup(a, sql_col_text(s, 13));
		e->assumption = (int)sql_col_int64(s, 14);
		e->at_ms = sql_col_int64(s, 15);
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

static void bind_opt_int(struct sql_stmt *s, int idx, int64_t v)
{
	if (v >= 0)
		sql_bind_int64(s, idx, v);
	else
		sql_bind_null(s, idx);
}

static void bind_opt_double(struct sql_stmt *s, int idx, double v)
{
	if (v >= 0)
		sql_bind_double(s, idx, v);
	else
		sql_bind_null(s, idx);
}

/* Which row an error is about: a CSV line, or (negative) a JSON item from 1. */
static void indicators_where(struct error *err, long line)
{
	if (line > 0)
		error_prefix(err, "dòng %ld: ", "line %ld: ", line);
	else if (line < 0)
		error_prefix(err, "mục %ld: ", "item %ld: ", -line);
}

struct indicators_put {
	unsigned role_mask;
	const struct level_catalog *rules;
	const struct level_indicators *rows;
	size_t n;
};

/* One "level.indicators" row per unit-week written. */
static int indicators_put_body(struct store *st, void *ctx, struct store_audit *au,
                               struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct indicators_put *P = ctx;
	struct sql_stmt *s;
	int rc;

	for (size_t i = 0; i < P->n; i++) {
		const struct level_indicators *r = &P->rows[i];

		char path[160], province[3] = "";   /* a household's path is ~40 bytes */
		struct vndate d;

		if ((rc = store_scope_path(st, actor, r->unit_code, P->role_mask, path, sizeof(path),
		                           err)) < 0) {
			indicators_where(err, r->line);
			return rc;
		}
		/* The week must end on the day the unit's rule set ends its weeks. */
		if (strlen(path) >= 3)
			memcpy(province, path + 1, 2);
		if (P->rules && vndate_parse(r->week_end, &d) == 0 &&
		    (rc = level_catalog_check_week(P->rules, province, vndate_to_days(d), err)) < 0) {
			indicators_where(err, r->line);
			return rc;
		}
		rc = sql_prepare(st, "DELETE FROM level_indicators WHERE unit_code = $1 AND week_end = $2",
		                 &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, r->unit_code);
		sql_bind_text(s, 2, r->week_end);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
		rc = sql_prepare(st, "INSERT INTO level_indicators (unit_code, week_end, population,"
		                 " cases_week, cases_prev_week, oxygen_cases_week, deaths_week,"
		                 " vax1_18plus_pct, vaxfull_elderly_pct, vaxfull_pct, vaxfull_highrisk_pct,"
		                 " capacity_met, capacity, updated_at, updated_by) VALUES ($1, $2, $3,"
		                 " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, r->unit_code);
		sql_bind_text(s, 2, r->week_end);
		bind_opt_int(s, 3, r->population);
		bind_opt_int(s, 4, r->cases_week);
		bind_opt_int(s, 5, r->cases_prev_week);
		bind_opt_int(s, 6, r->oxygen_cases_week);
		bind_opt_int(s, 7, r->deaths_week);
		bind_opt_double(s, 8, r->vax1_18plus_pct);
		bind_opt_double(s, 9, r->vaxfull_elderly_pct);
		bind_opt_double(s, 10, r->vaxfull_pct);
		bind_opt_double(s, 11, r->vaxfull_highrisk_pct);
		bind_opt_int(s, 12, r->capacity_met);
		sql_bind_text(s, 13, r->capacity);
		sql_bind_int64(s, 14, actor->now_ms);
		sql_bind_text(s, 15, actor->username ? actor->username : "system");
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
			indicators_where(err, r->line);
			return rc;
		}
		au->action = "level.indicators";
		au->entity = "unit";
		store_audit_id_text(au, r->unit_code);
		au->unit_code = r->unit_code;
		/* As ever: the week as stored, at most 10 bytes (YYYY-MM-DD). */
		if ((au->after = json_pack("{s:s%}", "week_end", r->week_end,
		                           strnlen(r->week_end, 10))) == NULL)
			return store_oom(err);
		if ((rc = store_audit_flush(st, au, err)) < 0)
			return rc;
	}
	au->unchanged = P->n == 0;
	return 0;
}

int store_level_indicators_put(struct store *st, const struct store_actor *actor,
                               unsigned role_mask, const struct level_catalog *rules,
                               const struct level_indicators *rows, size_t n,
                               struct error *err)
{
	struct indicators_put P = { role_mask, rules, rows, n };

	if (n > LEVEL_ROWS_MAX)
		return error_set(err, THC_ETOOBIG, "quá %d dòng chỉ số", "more than %d indicator rows",
		                 LEVEL_ROWS_MAX);
	return store_write(st, actor, indicators_put_body, &P, err);
}

int store_level_indicators_list(struct store *st, const struct store_actor *actor,
                                const char *code, const char *week_end,
                                struct arena *a, struct level_indicators **out,
                                size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*out = arena_alloc(a, LEVEL_ROWS_MAX * sizeof(**out));
	if (*out == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT i.unit_code, i.week_end, i.population, i.cases_week,"
	                 " i.cases_prev_week, i.oxygen_cases_week, i.deaths_week, i.vax1_18plus_pct,"
	                 " i.vaxfull_elderly_pct, i.vaxfull_pct, i.vaxfull_highrisk_pct,"
	                 " i.capacity_met, i.capacity, u.parent_code, substr(u.path, 2, 2), u.level"
	                 " FROM level_indicators i"
	                 " JOIN units u ON u.code = i.unit_code"
	                 " JOIN units top ON top.code = $1"
	                 " WHERE i.week_end = $2 AND substr(u.path, 1, length(top.path)) = top.path"
	                 " AND " SCOPE_SQL("u.path", "$3", "NULL")
	                 " ORDER BY u.path DESC LIMIT $4", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, week_end);
	sql_bind_int64(s, 3, store_actor_uid(actor));
	sql_bind_int64(s, 4, LEVEL_ROWS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct level_indicators *r = &(*out)[k++];
		r->unit_code = arena_strdup(a, sql_col_text(s, 0));
		r->week_end = arena_strdup(a, sql_col_text(s, 1));
		r->population = sql_col_is_null(s, 2) ? -1 : sql_col_int64(s, 2);
		r->cases_week = sql_col_is_null(s, 3) ? -1 : sql_col_int64(s, 3);
		r->cases_prev_week = sql_col_is_null(s, 4) ? -1 : sql_col_int64(s, 4);
		r->oxygen_cases_week = sql_col_is_null(s, 5) ? -1 : sql_col_int64(s, 5);
		r->deaths_week = sql_col_is_null(s, 6) ? -1 : sql_col_int64(s, 6);
		r->vax1_18plus_pct = sql_col_is_null(s, 7) ? -1 : sql_col_double(s, 7);
		r->vaxfull_elderly_pct = sql_col_is_null(s, 8) ? -1 : sql_col_double(s, 8);
		r->vaxfull_pct = sql_col_is_null(s, 9) ? -1 : sql_col_double(s, 9);
		r->vaxfull_highrisk_pct = sql_col_is_null(s, 10) ? -1 : sql_col_double(s, 10);
		r->capacity_met = sql_col_is_null(s, 11) ? -1 : (int)sql_col_int64(s, 11);
		r->capacity = arena_strdup(a, sql_col_text(s, 12));
		r->parent_code = arena_strdup(a, sql_col_text(s, 13));
		r->province = arena_strdup(a, sql_col_text(s, 14));
		r->unit_level = arena_strdup(a, sql_col_text(s, 15));
		r->line = (long)k;
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

struct assessments_put {
	const struct level_assessment *rows;
	size_t n;
};

/* One "level.assess" row, about the first unit, for the whole run. */
static int assessments_put_body(struct store *st, void *ctx, struct store_audit *au,
                                struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct assessments_put *P = ctx;
	struct sql_stmt *s;
	int rc;

	for (size_t i = 0; i < P->n; i++) {
		const struct level_assessment *r = &P->rows[i];

		rc = sql_prepare(st, "DELETE FROM level_assessments WHERE unit_code = $1"
		                 " AND week_end = $2", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, r->unit_code);
		sql_bind_text(s, 2, r->week_end);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
		rc = sql_prepare(st, "INSERT INTO level_assessments (unit_code, week_end, rule_set,"
		                 " level, cases_per_100k, explanation_vi, explanation_en, missing,"
		                 " assumption, assessed_at, assessed_by) VALUES ($1, $2, $3, $4, $5, $6,"
		                 " $7, $8, $9, $10, $11)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, r->unit_code);
		sql_bind_text(s, 2, r->week_end);
		sql_bind_text(s, 3, r->rule_set);
		bind_opt_int(s, 4, r->level > 0 ? r->level : -1);
		bind_opt_double(s, 5, r->cases_per_100k);
		sql_bind_text(s, 6, r->explanation_vi);
		sql_bind_text(s, 7, r->explanation_en);
		sql_bind_text(s, 8, r->missing);
		sql_bind_int64(s, 9, r->assumption);
		sql_bind_int64(s, 10, actor->now_ms);
		sql_bind_text(s, 11, actor->username ? actor->username : "system");
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	if (P->n == 0) {
		au->unchanged = 1;
		return 0;
	}
	au->action = "level.assess";
	au->entity = "unit";
	store_audit_id_text(au, P->rows[0].unit_code);
	au->unit_code = P->rows[0].unit_code;
	return 0;
}

int store_level_assessments_put(struct store *st, const struct store_actor *actor,
                                const struct level_assessment *rows, size_t n,
                                struct error *err)
{
	struct assessments_put P = { rows, n };

	return store_write(st, actor, assessments_put_body, &P, err);
}

int store_level_previous(struct store *st, const char *code, const char *date,
                         int *level, struct error *err)
{
	struct sql_stmt *s;
	int64_t v = 0;
	int rc;

	rc = sql_prepare(st, "SELECT COALESCE(" IN_FORCE("level", "$1", "$2") ", 0)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, date);
	rc = sql_exec_stmt(s, &v, err);
	*level = (int)v;
	return rc;
}

struct level_decision {
	const char *code, *week_end, *effective_from;
	int level;
	const char *reason;
	int64_t id;
};

static int level_decide_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct level_decision *D = ctx;
	const char *code = D->code, *week_end = D->week_end, *reason = D->reason;
	int level = D->level;
	struct sql_stmt *s;
	int64_t computed = 0;
	int rc;

	if ((rc = store_scope_check(st, actor, code, ROLE_MASK_OFFICIALS, err)) < 0)
		return rc;
	rc = sql_prepare(st, "SELECT COALESCE(level, 0) FROM level_assessments"
	                 " WHERE unit_code = $1 AND week_end = $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, week_end);
	if ((rc = sql_exec_stmt(s, &computed, err)) < 0)
		return rc;
	if (level == 0) {                  /* confirm the computed level */
		if (computed == 0)
			return error_set_at(err, THC_EUNPROCESSABLE, "level",
			                 "trường 'level': tuần kết thúc %s của '%s' chưa có kết quả đánh giá: hãy đánh giá trước, hoặc chọn cấp độ và ghi lý do",
			                 "field 'level': the week ending %s of '%s' has no assessed level: assess it first, or choose a level and give a reason",
			                 week_end, code);
		level = (int)computed;
	} else if (level != computed && (reason == NULL || reason[0] == '\0')) {
		if (computed == 0)
			return error_set_at(err, THC_EUNPROCESSABLE, "reason",
			                 "trường 'reason': cần lý do khi quyết định cấp %d cho tuần chưa có kết quả đánh giá",
			                 "field 'reason': a reason is required to decide level %d for a week with no assessed level",
			                 level);
		return error_set_at(err, THC_EUNPROCESSABLE, "reason",
		                 "trường 'reason': cần lý do khi quyết định cấp %d khác cấp %lld của kết quả đánh giá",
		                 "field 'reason': a reason is required to decide level %d instead of the assessed level %lld",
		                 level, (long long)computed);
	}
	rc = sql_prepare(st, "INSERT INTO level_decisions (unit_code, effective_from, week_end, level,"
	                 " computed_level, reason, source, decided_by, decided_at)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, 'decision', $7, $8) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, D->effective_from);
	sql_bind_text(s, 3, week_end);
	sql_bind_int64(s, 4, level);
	bind_opt_int(s, 5, computed ? computed : -1);
	sql_bind_text(s, 6, reason);
	sql_bind_text(s, 7, actor->username ? actor->username : "system");
	sql_bind_int64(s, 8, actor->now_ms);
	if ((rc = sql_exec_stmt(s, &D->id, err)) < 0)
		return rc;
	au->action = "level.decide";
	au->entity = "level_decision";
	store_audit_id(au, D->id);
	au->unit_code = code;
	if ((au->after = json_pack("{s:i,s:I,s:s,s:s,s:s?}", "level", level, "computed_level",
	                           (json_int_t)computed, "week_end", week_end, "effective_from",
	                           D->effective_from, "reason", reason)) == NULL)
		return store_oom(err);
	return 0;
}

int store_level_decide(struct store *st, const struct store_actor *actor,
                       const char *code, const char *week_end,
                       const char *effective_from, int level, const char *reason,
                       int64_t *id, struct error *err)
{
	struct level_decision D = { code, week_end, effective_from, level, reason, 0 };
	int rc;

	if ((rc = store_write(st, actor, level_decide_body, &D, err)) < 0)
		return rc;
	if (id)
		*id = D.id;
	return 0;
}

struct measures_put {
	const char *province;
	const char *const *json_by_level;
};

static int measures_put_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	const struct measures_put *M = ctx;
	const char *province = M->province;
	struct sql_stmt *s;
	int rc;

	if ((rc = store_scope_check(st, au->actor, province,
	                            ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PROVINCE_OFFICER), err)) < 0)
		return rc;
	for (int l = 1; l <= 4; l++) {
		if (M->json_by_level[l] == NULL)
			continue;
		rc = sql_prepare(st, "DELETE FROM level_measures WHERE province_code = $1 AND level = $2",
		                 &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, province);
		sql_bind_int64(s, 2, l);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
		rc = sql_prepare(st, "INSERT INTO level_measures (province_code, level, measures_json,"
		                 " updated_at) VALUES ($1, $2, $3, $4)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, province);
		sql_bind_int64(s, 2, l);
		sql_bind_text(s, 3, M->json_by_level[l]);
		sql_bind_int64(s, 4, au->actor->now_ms);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	au->action = "level.measures";
	au->entity = "unit";
	store_audit_id_text(au, province);
	au->unit_code = province;
	return 0;
}

int store_measures_put(struct store *st, const struct store_actor *actor,
                       const char *province, const char *const json_by_level[5],
                       struct error *err)
{
	struct measures_put M = { province, json_by_level };

	return store_write(st, actor, measures_put_body, &M, err);
}

int store_measures_get(struct store *st, const char *province, struct arena *a,
                       const char *json_by_level[5], struct error *err)
{
	struct sql_stmt *s;
	int rc;

	for (int l = 0; l < 5; l++)
		json_by_level[l] = NULL;
	/* The province's own rows sort first, then the national ones fill gaps. */
	rc = sql_prepare(st, "SELECT level, measures_json FROM level_measures"
	                 " WHERE province_code = $1 OR province_code = 'VN'"
	                 " ORDER BY CASE WHEN province_code = 'VN' THEN 1 ELSE 0 END", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, province ? province : "VN");
	while ((rc = sql_step(s, err)) == 1) {
		int64_t l = sql_col_int64(s, 0);
		if (l >= 1 && l <= 4 && json_by_level[l] == NULL)
			json_by_level[l] = arena_strdup(a, sql_col_text(s, 1));
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}
