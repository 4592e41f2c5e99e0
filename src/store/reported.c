/*
 * Weekly figures reported by another system (reported.h): the save of an
 * import, all of it or nothing, and the list the exchange reads back.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "store/reported.h"
#include "store/store-private.h"
#include "base/banned.h"

struct reported_save {
	const struct reported_value *v;
	size_t n;
	enum reported_outcome *outcome;
};

/* The stored value: 1 found (in *old), 0 none. */
static int reported_get(struct store *st, const struct reported_value *v, int64_t *old,
                        struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT value FROM reported_weeks WHERE unit_code = $1"
	                      " AND week_start = $2 AND indicator = $3", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, v->unit);
	sql_bind_text(s, 2, v->week_start);
	sql_bind_text(s, 3, v->indicator);
	if ((rc = sql_step(s, err)) == 1)
		*old = sql_col_int64(s, 0);
	sql_done(s);
	return rc;
}

static int reported_put(struct store *st, const struct store_actor *actor,
                        const struct reported_value *v, int update, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, update
	                 ? "UPDATE reported_weeks SET value = $4, reported_at = $5 WHERE unit_code = $1"
	                   " AND week_start = $2 AND indicator = $3"
	                 : "INSERT INTO reported_weeks (unit_code, week_start, indicator, value,"
	                   " reported_at) VALUES ($1, $2, $3, $4, $5)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, v->unit);
	sql_bind_text(s, 2, v->week_start);
	sql_bind_text(s, 3, v->indicator);
	sql_bind_int64(s, 4, v->value);
	sql_bind_int64(s, 5, actor ? actor->now_ms : 0);
	return sql_exec_stmt(s, NULL, err);
}

/* One value: stored or left, and its audit row when it changed. */
static int reported_one(struct store *st, struct store_audit *au, const struct reported_value *v,
                        enum reported_outcome *outcome, struct error *err)
{
	char id[160];
	int64_t old = 0;
	int rc;

	if ((rc = reported_get(st, v, &old, err)) < 0)
		return rc;
	if (rc == 1 && old == v->value) {
		*outcome = REPORTED_IGNORED;
		return 0;
	}
	*outcome = rc == 1 ? REPORTED_UPDATED : REPORTED_IMPORTED;
	if ((rc = reported_put(st, au->actor, v, *outcome == REPORTED_UPDATED, err)) < 0)
		return rc;
	snprintf(id, sizeof(id), "%s/%s/%s", v->unit, v->week_start, v->indicator);
	au->action = *outcome == REPORTED_UPDATED ? "reported.update" : "reported.import";
	au->entity = "reported_week";
	store_audit_id_text(au, id);
	au->unit_code = arena_strdup(&au->arena, v->unit);
	if (*outcome == REPORTED_UPDATED)
		au->before = json_pack("{s:I}", "value", (json_int_t)old);
	au->after = json_pack("{s:s,s:s,s:I}", "week_start", v->week_start, "indicator",
	                      v->indicator, "value", (json_int_t)v->value);
	if (au->unit_code == NULL || au->after == NULL ||
	    (*outcome == REPORTED_UPDATED && au->before == NULL))
		return store_oom(err);
	return store_audit_flush(st, au, err);
}

static int reported_save_body(struct store *st, void *ctx, struct store_audit *au,
                              struct error *err)
{
	struct reported_save *S = ctx;
	int rc = 0;

	for (size_t i = 0; i < S->n && rc == 0; i++)
		rc = reported_one(st, au, &S->v[i], &S->outcome[i], err);
	if (rc == 0 && !au->written)
		au->unchanged = 1;
	return rc;
}

int store_reported_save(struct store *st, const struct store_actor *actor,
                        const struct reported_value *v, size_t n, enum reported_outcome *outcome,
                        struct error *err)
{
	struct reported_save S = { .v = v, .n = n, .outcome = outcome };

	return store_write(st, actor, reported_save_body, &S, err);
}

int store_reported_list(struct store *st, const char *unit, const char *from, const char *to,
                        struct arena *a, struct reported_value **out, size_t *n,
                        struct error *err)
{
	struct sql_stmt *s;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = sql_prepare(st, "SELECT week_start, indicator, value FROM reported_weeks"
	                      " WHERE unit_code = $1 AND week_start >= $2 AND week_start <= $3"
	                      " ORDER BY week_start, indicator", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	sql_bind_text(s, 2, from);
	sql_bind_text(s, 3, to);
	while ((rc = sql_step(s, err)) == 1) {
		struct reported_value *r;

		if (*n == cap) {
			struct reported_value *grown;

			cap = cap ? 2 * cap : 32;
			if ((grown = arena_alloc(a, cap * sizeof(*grown))) == NULL) {
				rc = store_oom(err);
				break;
			}
			if (*n)
				memcpy(grown, *out, *n * sizeof(*grown));
			*out = grown;
		}
		r = &(*out)[(*n)++];
		r->unit = unit;
		r->week_start = arena_strdup(a, sql_col_text(s, 0));
		r->indicator = arena_strdup(a, sql_col_text(s, 1));
		r->value = sql_col_int64(s, 2);
		if (r->week_start == NULL || r->indicator == NULL) {
			rc = store_oom(err);
			break;
		}
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}
