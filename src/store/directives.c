/*
 * Directives and tasks: issuing with the assignees expanded to units,
 * completion reports and delegation one level down, each with its rows
 * and its audit row in one transaction.  Reads are in directive_read.c.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/directive.h"
#include "domain/unit.h"
#include "store/directives-private.h"
#include "store/users.h"
#include "base/banned.h"

int32_t store_directive_day(const char *iso)
{
	struct vndate d;

	if (iso == NULL || vndate_parse(iso, &d) < 0)
		return DIRECTIVE_DAY_NONE;
	return vndate_to_days(d);
}

int store_directive_own_unit(struct store *st, const struct store_actor *actor,
                             const char *unit_code, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(DIR_ROLES, roles, sizeof(roles));
	rc = sql_prepare(st, "SELECT 1 FROM units u WHERE u.code = $1 AND (CAST($2 AS BIGINT) = 0"
	                 " OR EXISTS (SELECT 1 FROM grants g WHERE g.user_id = CAST($2 AS BIGINT)"
	                 " AND g.unit_code = u.code"
	                 " AND (',' || CAST($3 AS TEXT) || ',') LIKE ('%,' || g.role || ',%')))", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit_code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_EFORBIDDEN,
		                 "chỉ cán bộ của đơn vị '%.40s' được báo cáo, giao tiếp nhiệm vụ của đơn vị",
		                 "only officials of unit '%.40s' may report on or delegate its tasks",
		                 unit_code);
	return 0;
}

/* ---- assignees ---- */

struct dir_units {
	const char **codes, **paths;
	size_t n;
};

/* Where the assignees may lie: strictly below `root` (a directive), or
 * directly under it (a delegation). */
struct dir_root {
	const char *code, *path;
	int children_only;
};

static int dir_unit_below(const struct dir_root *root, const char *code, const char *path,
                          const char *parent, const char *field, size_t j, struct error *err)
{
	size_t lp = strlen(root->path);
	int inside = strncmp(path, root->path, lp) == 0 && strcmp(code, root->code) != 0;

	if (root->children_only ? (parent != NULL && strcmp(parent, root->code) == 0) : inside)
		return 0;
	return error_set_at(err, THC_EUNPROCESSABLE, field,
	                    "trường '%s.units[%zu]': đơn vị '%.40s' không trực thuộc '%.40s'",
	                    "field '%s.units[%zu]': unit '%.40s' is not under '%.40s'",
	                    field, j, code, root->code);
}

static int dir_units_listed(struct store *st, const struct dir_root *root,
                            const struct directive_assignees *w, struct arena *a,
                            struct dir_units *u, struct error *err)
{
	int rc = 0;

	for (size_t j = 0; j < w->nunits && rc == 0; j++) {
		struct sql_stmt *s;

		for (size_t k = 0; k < j; k++)
			if (strcmp(w->units[k], w->units[j]) == 0)
				return error_set_at(err, THC_EUNPROCESSABLE, w->field,
				                    "trường '%s.units[%zu]': '%.40s' đã có trong danh sách",
				                    "field '%s.units[%zu]': '%.40s' is listed twice",
				                    w->field, j, w->units[j]);
		rc = sql_prepare(st, "SELECT path, parent_code FROM units WHERE code = $1"
		                 " AND level IN ('province','district','commune')", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, w->units[j]);
		if ((rc = sql_step(s, err)) == 1) {
			u->codes[u->n] = arena_strdup(a, w->units[j]);
			u->paths[u->n] = arena_strdup(a, sql_col_text(s, 0));
			rc = dir_unit_below(root, w->units[j], u->paths[u->n], sql_col_text(s, 1),
			                    w->field, j, err);
			u->n++;
		} else if (rc == 0) {
			rc = error_set_at(err, THC_EUNPROCESSABLE, w->field,
			                  "trường '%s.units[%zu]': không có tỉnh, huyện hay xã mã '%.40s'",
			                  "field '%s.units[%zu]': no province, district or commune '%.40s'",
			                  w->field, j, w->units[j]);
		}
		sql_done(s);
	}
	return rc < 0 ? rc : 0;
}

static int dir_units_rule(struct store *st, const struct dir_root *root,
                          const struct directive_assignees *w, struct arena *a,
                          struct dir_units *u, struct error *err)
{
	char top[DIR_PATH_MAX] = "";
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT path FROM units WHERE code = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, w->children_of);
	if ((rc = sql_step(s, err)) == 1 && sql_col_copy(s, 0, top, sizeof(top), err) < 0)
		rc = THC_ESTORE;
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0 || strncmp(top, root->path, strlen(root->path)) != 0 ||
	    (root->children_only && strcmp(w->children_of, root->code) != 0))
		return error_set_at(err, THC_EUNPROCESSABLE, w->field,
		                    "trường '%s.children_of': '%.40s' không thuộc '%.40s'",
		                    "field '%s.children_of': '%.40s' is not within '%.40s'",
		                    w->field, w->children_of, root->code);
	rc = sql_prepare(st, "SELECT code, path FROM units WHERE level = $1"
	                 " AND substr(path, 1, length($2)) = $2 AND code <> $3"
	                 " AND (CAST($4 AS TEXT) IS NULL OR parent_code = $4) ORDER BY code LIMIT $5",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, w->level);
	sql_bind_text(s, 2, top);
	sql_bind_text(s, 3, root->code);
	sql_bind_text(s, 4, root->children_only ? root->code : NULL);
	sql_bind_int64(s, 5, DIRECTIVE_UNITS_MAX + 1);
	while ((rc = sql_step(s, err)) == 1 && u->n < DIRECTIVE_UNITS_MAX) {
		u->codes[u->n] = arena_strdup(a, sql_col_text(s, 0));
		u->paths[u->n] = arena_strdup(a, sql_col_text(s, 1));
		u->n++;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return error_set_at(err, THC_ETOOBIG, w->field,
		                    "trường '%s': quá %d đơn vị", "field '%s': more than %d units",
		                    w->field, DIRECTIVE_UNITS_MAX);
	if (u->n == 0) {
		/* The level in words ("Xã/Phường"), as the form offers it; each
		 * language's format skips the other's title (%.0s). */
		int lvl = unit_level_from_name(w->level);

		return error_set_at(err, THC_EUNPROCESSABLE, w->field,
		                    "trường '%s': không có đơn vị cấp %s%.0s nào dưới '%.40s'",
		                    "field '%s': no %.0s%s under '%.40s'", w->field,
		                    lvl < 0 ? w->level : unit_level_title((enum unit_level)lvl, 0),
		                    lvl < 0 ? w->level : unit_level_title((enum unit_level)lvl, 1),
		                    w->children_of);
	}
	return 0;
}

/* The assignees as units, each checked to lie where root allows. */
static int dir_expand(struct store *st, const struct dir_root *root,
                      const struct directive_assignees *w, struct arena *a,
                      struct dir_units *u, struct error *err)
{
	size_t cap = w->children_of ? DIRECTIVE_UNITS_MAX : w->nunits;

	u->n = 0;
	u->codes = arena_alloc(a, (cap + 1) * sizeof(*u->codes));
	u->paths = arena_alloc(a, (cap + 1) * sizeof(*u->paths));
	if (u->codes == NULL || u->paths == NULL)
		return store_oom(err);
	if (w->children_of)
		return dir_units_rule(st, root, w, a, u, err);
	return dir_units_listed(st, root, w, a, u, err);
}

static int dir_task_insert(struct store *st, const struct store_actor *actor, int64_t directive,
                           int64_t parent, const struct dir_root *root, const char *title,
                           int64_t *id, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO directive_tasks (directive_id, parent_id, issuer_code,"
	                 " issuer_path, title, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, directive);
	if (parent)
		sql_bind_int64(s, 2, parent);
	else
		sql_bind_null(s, 2);
	sql_bind_text(s, 3, root->code);
	sql_bind_text(s, 4, root->path);
	sql_bind_text(s, 5, title);
	sql_bind_int64(s, 6, actor->now_ms);
	return sql_exec_stmt(s, id, err);
}

static int dir_task_units_insert(struct store *st, const struct store_actor *actor, int64_t task,
                                 const struct dir_units *u, const char *deadline,
                                 struct error *err)
{
	int rc = 0;

	for (size_t j = 0; j < u->n && rc == 0; j++) {
		struct sql_stmt *s;

		rc = sql_prepare(st, "INSERT INTO task_units (task_id, unit_code, unit_path, deadline,"
		                 " updated_at) VALUES ($1, $2, $3, $4, $5)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_int64(s, 1, task);
		sql_bind_text(s, 2, u->codes[j]);
		sql_bind_text(s, 3, u->paths[j]);
		sql_bind_text(s, 4, deadline);
		sql_bind_int64(s, 5, actor->now_ms);
		rc = sql_exec_stmt(s, NULL, err);
	}
	return rc;
}

/* ---- issuing ---- */

struct dir_create {
	struct directive_in *d;
	char issuer_path[DIR_PATH_MAX];
};

static int dir_insert(struct store *st, const struct store_actor *actor, struct dir_create *C,
                      struct error *err)
{
	struct directive_in *d = C->d;
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO directives (number, issued_on, issuer_code, issuer_path,"
	                 " title, summary, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6,"
	                 " $7, $8) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, d->number);
	sql_bind_text(s, 2, d->issued_on);
	sql_bind_text(s, 3, d->issuer);
	sql_bind_text(s, 4, C->issuer_path);
	sql_bind_text(s, 5, d->title);
	sql_bind_text(s, 6, d->summary);
	sql_bind_text(s, 7, actor->username ? actor->username : "system");
	sql_bind_int64(s, 8, actor->now_ms);
	rc = sql_exec_stmt(s, &d->id, err);
	if (rc == THC_ECONFLICT)
		return error_set_at(err, rc, "number",
		                    "trường 'number': đơn vị '%.40s' đã ban hành văn bản số '%.60s'",
		                    "field 'number': unit '%.40s' already issued number '%.60s'",
		                    d->issuer, d->number);
	return rc;
}

static int dir_create_body(struct store *st, void *ctx, struct store_audit *au,
                           struct error *err)
{
	struct dir_create *C = ctx;
	struct directive_in *d = C->d;
	struct dir_root root = { .code = d->issuer, .path = C->issuer_path };
	json_t *tasks = json_array();
	int rc;

	if ((au->after = json_pack("{s:s,s:s,s:s,s:s,s:o}", "number", d->number, "issued_on",
	                           d->issued_on, "issuer", d->issuer, "title", d->title,
	                           "tasks", tasks)) == NULL)
		return store_oom(err);
	if ((rc = dir_insert(st, au->actor, C, err)) < 0)
		return rc;
	for (size_t i = 0; i < d->ntasks; i++) {
		struct directive_task_in *t = &d->tasks[i];
		struct dir_units u;

		if ((rc = dir_expand(st, &root, &t->who, &au->arena, &u, err)) < 0 ||
		    (rc = dir_task_insert(st, au->actor, d->id, 0, &root, t->title, &t->id, err)) < 0 ||
		    (rc = dir_task_units_insert(st, au->actor, t->id, &u, t->deadline, err)) < 0)
			return rc;
		t->assigned = u.n;
		json_array_append_new(tasks, json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)t->id,
		                                       "title", t->title, "deadline", t->deadline,
		                                       "units", (json_int_t)u.n));
	}
	au->action = "directive.create";
	au->entity = "directive";
	store_audit_id(au, d->id);
	au->unit_code = d->issuer;
	return 0;
}

int store_directive_create(struct store *st, const struct store_actor *actor,
                           struct directive_in *d, struct error *err)
{
	struct dir_create C = { .d = d };
	int32_t issued = store_directive_day(d->issued_on);
	int rc;

	/* An issuer out of scope reads as unknown, on its field. */
	if ((rc = store_scope_path(st, actor, d->issuer, DIR_ROLES, C.issuer_path,
	                           sizeof(C.issuer_path), err)) < 0)
		return rc == THC_ENOTFOUND ? error_in_field(err, "issuer") : rc;
	for (size_t i = 0; i < d->ntasks; i++) {
		char f[40];

		snprintf(f, sizeof(f), "tasks[%zu].deadline", i);
		if ((rc = directive_deadline_check(issued, store_directive_day(d->tasks[i].deadline),
		                                   f, err)) < 0)
			return rc;
	}
	return store_write(st, actor, dir_create_body, &C, err);
}

/* ---- the assigned unit's row ---- */

struct dir_row {
	int64_t id, directive_id;
	char deadline[11], path[DIR_PATH_MAX], done_on[11];
	int delegated;
};

/* The row of (task, unit) if the actor's scope holds the unit; 404 otherwise. */
static int dir_row_find(struct store *st, const struct store_actor *actor, int64_t task,
                        const char *unit, struct dir_row *r, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(DIR_ROLES, roles, sizeof(roles));
	rc = sql_prepare(st, "SELECT tu.id, t.directive_id, tu.deadline, tu.unit_path,"
	                 " COALESCE(tu.done_on, ''), tu.delegated FROM task_units tu"
	                 " JOIN directive_tasks t ON t.id = tu.task_id"
	                 " WHERE tu.task_id = $1 AND tu.unit_code = $2 AND "
	                 SCOPE_SQL("tu.unit_path", "$3", "$4"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, task);
	sql_bind_text(s, 2, unit);
	sql_bind_int64(s, 3, store_actor_uid(actor));
	sql_bind_text(s, 4, roles);
	if ((rc = sql_step(s, err)) == 1) {
		r->id = sql_col_int64(s, 0);
		r->directive_id = sql_col_int64(s, 1);
		r->delegated = (int)sql_col_int64(s, 5);
		if (sql_col_copy(s, 2, r->deadline, sizeof(r->deadline), err) < 0 ||
		    sql_col_copy(s, 3, r->path, sizeof(r->path), err) < 0 ||
		    sql_col_copy(s, 4, r->done_on, sizeof(r->done_on), err) < 0)
			rc = THC_ESTORE;
	}
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND,
		                 "không có nhiệm vụ %lld giao cho đơn vị '%.40s' trong phạm vi của bạn",
		                 "no task %lld assigned to unit '%.40s' within your scope",
		                 (long long)task, unit ? unit : "");
	return rc < 0 ? rc : 0;
}

/* ---- reports ---- */

struct dir_report {
	const struct task_report_in *in;
	const struct dir_row *row;
};

static int dir_report_body(struct store *st, void *ctx, struct store_audit *au,
                           struct error *err)
{
	struct dir_report *C = ctx;
	const struct task_report_in *in = C->in;
	struct sql_stmt *s;
	int rc;

	if (in->done) {
		/* Still not done inside the transaction: a report sent twice at
		 * once is done once. */
		rc = sql_prepare(st, "UPDATE task_units SET done_on = $1, note = $2, evidence = $3,"
		                 " updated_at = $4 WHERE id = $5 AND done_on IS NULL RETURNING id",
		                 &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, in->done_on);
		sql_bind_text(s, 2, in->note);
		sql_bind_text(s, 3, in->evidence);
		sql_bind_int64(s, 4, au->actor->now_ms);
		sql_bind_int64(s, 5, C->row->id);
		rc = sql_step(s, err);
		sql_done(s);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return error_set(err, THC_ECONFLICT,
			                 "đơn vị '%.40s' đã báo cáo hoàn thành nhiệm vụ %lld",
			                 "unit '%.40s' already reported task %lld done",
			                 in->unit_code, (long long)in->task_id);
	}
	rc = sql_prepare(st, "INSERT INTO task_reports (task_unit_id, at, done, done_on, note,"
	                 " evidence, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, C->row->id);
	sql_bind_int64(s, 2, au->actor->now_ms);
	sql_bind_int64(s, 3, in->done);
	sql_bind_text(s, 4, in->done ? in->done_on : NULL);
	sql_bind_text(s, 5, in->note);
	sql_bind_text(s, 6, in->evidence);
	sql_bind_text(s, 7, au->actor->username ? au->actor->username : "system");
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = in->done ? "task.done" : "task.progress";
	au->entity = "task";
	store_audit_id(au, in->task_id);
	au->unit_code = in->unit_code;
	au->after = json_pack("{s:s,s:b,s:s?,s:s?,s:s?}", "unit_code", in->unit_code, "done",
	                      in->done, "done_on", in->done ? in->done_on : NULL, "note", in->note,
	                      "evidence", in->evidence);
	return au->after ? 0 : store_oom(err);
}

int store_task_report(struct store *st, const struct store_actor *actor,
                      const struct task_report_in *in, struct error *err)
{
	struct dir_row row;
	struct dir_report C = { .in = in, .row = &row };
	int rc;

	if ((rc = dir_row_find(st, actor, in->task_id, in->unit_code, &row, err)) < 0 ||
	    (rc = store_directive_own_unit(st, actor, in->unit_code, err)) < 0)
		return rc;
	if (row.done_on[0])
		return error_set(err, THC_ECONFLICT,
		                 "đơn vị '%.40s' đã báo cáo hoàn thành nhiệm vụ %lld ngày %s",
		                 "unit '%.40s' already reported task %lld done on %s",
		                 in->unit_code, (long long)in->task_id, row.done_on);
	return store_write(st, actor, dir_report_body, &C, err);
}

/* ---- delegation ---- */

struct dir_delegate {
	struct task_delegate_in *in;
	const struct dir_row *row;
};

static int dir_delegate_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	struct dir_delegate *C = ctx;
	struct task_delegate_in *in = C->in;
	struct dir_root root = { .code = in->unit_code, .path = C->row->path, .children_only = 1 };
	struct dir_units u;
	struct sql_stmt *s;
	int rc;

	/* Still not delegated inside the transaction: two delegations sent at
	 * once make one. */
	rc = sql_prepare(st, "UPDATE task_units SET delegated = 1, updated_at = $1"
	                 " WHERE id = $2 AND delegated = 0 RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, au->actor->now_ms);
	sql_bind_int64(s, 2, C->row->id);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ECONFLICT, "đơn vị '%.40s' đã giao tiếp nhiệm vụ %lld",
		                 "unit '%.40s' already delegated task %lld",
		                 in->unit_code, (long long)in->task_id);
	if ((rc = dir_expand(st, &root, &in->who, &au->arena, &u, err)) < 0 ||
	    (rc = dir_task_insert(st, au->actor, C->row->directive_id, in->task_id, &root,
	                          in->title, &in->id, err)) < 0 ||
	    (rc = dir_task_units_insert(st, au->actor, in->id, &u, in->deadline, err)) < 0)
		return rc;
	in->assigned = u.n;
	au->action = "task.delegate";
	au->entity = "task";
	store_audit_id(au, in->task_id);
	au->unit_code = in->unit_code;
	au->after = json_pack("{s:s,s:I,s:s,s:s,s:I}", "unit_code", in->unit_code, "task_id",
	                      (json_int_t)in->id, "title", in->title, "deadline", in->deadline,
	                      "units", (json_int_t)u.n);
	return au->after ? 0 : store_oom(err);
}

int store_task_delegate(struct store *st, const struct store_actor *actor,
                        struct task_delegate_in *in, struct error *err)
{
	struct dir_row row;
	struct dir_delegate C = { .in = in, .row = &row };
	int rc;

	if ((rc = dir_row_find(st, actor, in->task_id, in->unit_code, &row, err)) < 0 ||
	    (rc = store_directive_own_unit(st, actor, in->unit_code, err)) < 0)
		return rc;
	if (row.delegated)
		return error_set(err, THC_ECONFLICT,
		                 "đơn vị '%.40s' đã giao tiếp nhiệm vụ %lld",
		                 "unit '%.40s' already delegated task %lld",
		                 in->unit_code, (long long)in->task_id);
	if ((rc = directive_delegate_check(store_directive_day(row.deadline),
	                                   store_directive_day(in->deadline), err)) < 0)
		return rc;
	return store_write(st, actor, dir_delegate_body, &C, err);
}
