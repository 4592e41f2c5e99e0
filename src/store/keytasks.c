/*
 * Key tasks (nhiệm vụ trọng tâm): what a unit commits to for a month, a
 * quarter or a year, with a measurable target; its officials update the
 * progress, and the level above reviews it once the period ends.
 */
#include <jansson.h>
#include <string.h>

#include "base/vntime.h"
#include "store/directives-private.h"
#include "store/users.h"
#include "base/banned.h"

#define KT_COLUMNS "k.id, k.unit_code, k.period, k.period_kind, k.period_end, k.title," \
	" k.measure, k.target, k.progress, k.progress_note, k.rating, k.review_note, k.reviewed_by"

static void kt_read(struct sql_stmt *s, struct arena *a, struct keytask *k)
{
	k->id = sql_col_int64(s, 0);
	k->unit_code = arena_strdup(a, sql_col_text(s, 1));
	k->period = arena_strdup(a, sql_col_text(s, 2));
	k->period_kind = arena_strdup(a, sql_col_text(s, 3));
	k->period_end = arena_strdup(a, sql_col_text(s, 4));
	k->title = arena_strdup(a, sql_col_text(s, 5));
	k->measure = arena_strdup(a, sql_col_text(s, 6));
	k->target = sql_col_double(s, 7);
	k->progress = sql_col_double(s, 8);
	k->progress_note = arena_strdup(a, sql_col_text(s, 9));
	k->rating = arena_strdup(a, sql_col_text(s, 10));
	k->review_note = arena_strdup(a, sql_col_text(s, 11));
	k->reviewed_by = arena_strdup(a, sql_col_text(s, 12));
}

struct kt_create {
	struct keytask *k;
	const char *path;
};

static int kt_create_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct kt_create *C = ctx;
	struct keytask *k = C->k;
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO key_tasks (unit_code, unit_path, period, period_kind,"
	                 " period_end, title, measure, target, created_by, created_at, updated_at)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, k->unit_code);
	sql_bind_text(s, 2, C->path);
	sql_bind_text(s, 3, k->period);
	sql_bind_text(s, 4, k->period_kind);
	sql_bind_text(s, 5, k->period_end);
	sql_bind_text(s, 6, k->title);
	sql_bind_text(s, 7, k->measure);
	sql_bind_double(s, 8, k->target);
	sql_bind_text(s, 9, au->actor->username ? au->actor->username : "system");
	sql_bind_int64(s, 10, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, &k->id, err)) < 0)
		return rc;
	au->action = "keytask.create";
	au->entity = "key_task";
	store_audit_id(au, k->id);
	au->unit_code = k->unit_code;
	au->after = json_pack("{s:s,s:s,s:s,s:s,s:f}", "unit_code", k->unit_code, "period",
	                      k->period, "title", k->title, "measure", k->measure, "target",
	                      k->target);
	return au->after ? 0 : store_oom(err);
}

int store_keytask_create(struct store *st, const struct store_actor *actor,
                         struct keytask *k, struct error *err)
{
	char path[DIR_PATH_MAX];
	struct kt_create C = { .k = k, .path = path };
	int rc;

	if ((rc = store_scope_path(st, actor, k->unit_code, DIR_ROLES, path, sizeof(path), err)) < 0)
		return rc == THC_ENOTFOUND ? error_in_field(err, "unit_code") : rc;
	if ((rc = store_directive_own_unit(st, actor, k->unit_code, err)) < 0)
		return rc;
	return store_write(st, actor, kt_create_body, &C, err);
}

int store_keytask_list(struct store *st, const struct store_actor *actor, const char *unit_code,
                       const char *period, struct arena *a, struct keytask **out, size_t *n,
                       struct error *err)
{
	char path[DIR_PATH_MAX];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((rc = store_scope_path(st, actor, unit_code, DIR_ROLES, path, sizeof(path), err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, KEYTASK_LIST_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	/* The unit's own and those of the units below it. */
	rc = sql_prepare(st, "SELECT " KT_COLUMNS " FROM key_tasks k"
	                 " WHERE substr(k.unit_path, 1, length($1)) = $1"
	                 " AND (CAST($2 AS TEXT) IS NULL OR k.period = $2)"
	                 " ORDER BY k.unit_path, k.period, k.id LIMIT $3", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, path);
	sql_bind_text(s, 2, period);
	sql_bind_int64(s, 3, KEYTASK_LIST_MAX);
	while ((rc = sql_step(s, err)) == 1)
		kt_read(s, a, &(*out)[k++]);
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

/* The key task if the actor's scope holds its unit; 404 otherwise. */
static int kt_find(struct store *st, const struct store_actor *actor, int64_t id,
                   struct arena *a, struct keytask *k, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(DIR_ROLES, roles, sizeof(roles));
	rc = sql_prepare(st, "SELECT " KT_COLUMNS " FROM key_tasks k WHERE k.id = $1 AND "
	                 SCOPE_SQL("k.unit_path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	if ((rc = sql_step(s, err)) == 1)
		kt_read(s, a, k);
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có nhiệm vụ trọng tâm %lld trong phạm vi của bạn",
		                 "no key task %lld within your scope", (long long)id);
	return rc < 0 ? rc : 0;
}

struct kt_update {
	struct keytask *k;
	double progress;
	const char *note, *rating;
};

/* Runs an UPDATE ... WHERE rating IS NULL RETURNING id: THC_ECONFLICT when
 * the key task was reviewed meanwhile (checked inside the transaction). */
static int kt_update_open(struct sql_stmt *s, int64_t id, struct error *err)
{
	int rc = sql_step(s, err);

	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ECONFLICT, "nhiệm vụ trọng tâm %lld đã được đánh giá",
		                 "key task %lld has been reviewed", (long long)id);
	return rc < 0 ? rc : 0;
}

static int kt_progress_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	struct kt_update *C = ctx;
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "UPDATE key_tasks SET progress = $1, progress_note = $2, updated_at = $3"
	                 " WHERE id = $4 AND rating IS NULL RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_double(s, 1, C->progress);
	sql_bind_text(s, 2, C->note);
	sql_bind_int64(s, 3, au->actor->now_ms);
	sql_bind_int64(s, 4, C->k->id);
	if ((rc = kt_update_open(s, C->k->id, err)) < 0)
		return rc;
	au->action = "keytask.progress";
	au->entity = "key_task";
	store_audit_id(au, C->k->id);
	au->unit_code = C->k->unit_code;
	au->before = json_pack("{s:f}", "progress", C->k->progress);
	au->after = json_pack("{s:f,s:s?}", "progress", C->progress, "note", C->note);
	return au->before && au->after ? 0 : store_oom(err);
}

int store_keytask_progress(struct store *st, const struct store_actor *actor, int64_t id,
                           double progress, const char *note, struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct keytask k;
	struct kt_update C = { .k = &k, .progress = progress, .note = note };
	int rc;

	if ((rc = kt_find(st, actor, id, &a, &k, err)) == 0 &&
	    (rc = store_directive_own_unit(st, actor, k.unit_code, err)) == 0) {
		if (k.rating)
			rc = error_set(err, THC_ECONFLICT, "nhiệm vụ trọng tâm %lld đã được đánh giá",
			               "key task %lld has been reviewed", (long long)id);
		else
			rc = store_write(st, actor, kt_progress_body, &C, err);
	}
	arena_release(&a);
	return rc;
}

static int kt_review_body(struct store *st, void *ctx, struct store_audit *au,
                          struct error *err)
{
	struct kt_update *C = ctx;
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "UPDATE key_tasks SET rating = $1, review_note = $2, reviewed_by = $3,"
	                 " updated_at = $4 WHERE id = $5 AND rating IS NULL RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, C->rating);
	sql_bind_text(s, 2, C->note);
	sql_bind_text(s, 3, au->actor->username ? au->actor->username : "system");
	sql_bind_int64(s, 4, au->actor->now_ms);
	sql_bind_int64(s, 5, C->k->id);
	if ((rc = kt_update_open(s, C->k->id, err)) < 0)
		return rc;
	au->action = "keytask.review";
	au->entity = "key_task";
	store_audit_id(au, C->k->id);
	au->unit_code = C->k->unit_code;
	au->after = json_pack("{s:s,s:s?,s:f,s:f}", "rating", C->rating, "note", C->note,
	                      "progress", C->k->progress, "target", C->k->target);
	return au->after ? 0 : store_oom(err);
}

/* The review is the level above's: an official whose scope holds the
 * unit's parent, not one granted on the unit itself. */
static int kt_above(struct store *st, const struct store_actor *actor, const char *unit,
                    struct error *err)
{
	char parent[64] = "";
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT COALESCE(parent_code, '') FROM units WHERE code = $1",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	if ((rc = sql_step(s, err)) == 1 && sql_col_copy(s, 0, parent, sizeof(parent), err) < 0)
		rc = THC_ESTORE;
	sql_done(s);
	if (rc < 0)
		return rc;
	if (parent[0] && store_scope_check(st, actor, parent, DIR_ROLES, err) == 0)
		return 0;
	return error_set(err, THC_EFORBIDDEN,
	                 "chỉ cấp trên của đơn vị '%.40s' được đánh giá nhiệm vụ trọng tâm",
	                 "only the level above unit '%.40s' may review its key tasks", unit);
}

int store_keytask_review(struct store *st, const struct store_actor *actor, int64_t id,
                         const char *rating, const char *note, int32_t today,
                         struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct keytask k;
	struct kt_update C = { .k = &k, .rating = rating, .note = note };
	int rc;

	if ((rc = kt_find(st, actor, id, &a, &k, err)) < 0 ||
	    (rc = kt_above(st, actor, k.unit_code, err)) < 0)
		goto out;
	if (k.rating)
		rc = error_set(err, THC_ECONFLICT, "nhiệm vụ trọng tâm %lld đã được đánh giá",
		               "key task %lld has been reviewed", (long long)id);
	else if (today < store_directive_day(k.period_end))
		rc = error_set(err, THC_EUNPROCESSABLE,
		               "chỉ đánh giá từ ngày cuối kỳ %s", "a review comes on or after the period's last day %s",
		               k.period_end);
	else
		rc = store_write(st, actor, kt_review_body, &C, err);
out:
	arena_release(&a);
	return rc;
}
