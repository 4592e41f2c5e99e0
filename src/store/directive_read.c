/*
 * Reading directives: the progress of (task, unit) rows a caller may see
 * with their roll-up, reminders to the overdue units, a unit's inbox, and
 * the completion counts per unit that the emulation indicators read.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "store/directives-private.h"
#include "store/users.h"
#include "base/banned.h"

static void dir_iso(int32_t day, char out[11])
{
	vndate_format_iso(vndate_from_days(day), out, 11);
}

static int dir_head(struct store *st, const struct store_actor *actor, int64_t id,
                    struct arena *a, struct directive_head *h, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(DIR_ROLES, roles, sizeof(roles));
	/* Visible to the issuing chain, and to a unit with a row in its scope. */
	rc = sql_prepare(st, "SELECT d.number, d.issued_on, d.issuer_code, u.name, d.title, d.summary,"
	                 " CASE WHEN " DIR_REPLACED_SQL("d") " THEN 1 ELSE 0 END"
	                 " FROM directives d JOIN units u ON u.code = d.issuer_code WHERE d.id = $1"
	                 " AND (" SCOPE_SQL("d.issuer_path", "$2", "$3") " OR EXISTS (SELECT 1"
	                 " FROM task_units tu JOIN directive_tasks t ON t.id = tu.task_id"
	                 " WHERE t.directive_id = d.id AND " SCOPE_SQL("tu.unit_path", "$2", "$3") "))",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	if ((rc = sql_step(s, err)) == 1) {
		h->id = id;
		h->number = arena_strdup(a, sql_col_text(s, 0));
		h->issued_on = arena_strdup(a, sql_col_text(s, 1));
		h->issuer_code = arena_strdup(a, sql_col_text(s, 2));
		h->issuer_name = arena_strdup(a, sql_col_text(s, 3));
		h->title = arena_strdup(a, sql_col_text(s, 4));
		h->summary = arena_strdup(a, sql_col_text(s, 5));
		h->replaced = (int)sql_col_int64(s, 6);
	}
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có văn bản %lld trong phạm vi của bạn",
		                 "no directive %lld within your scope", (long long)id);
	return rc < 0 ? rc : 0;
}

static void dir_read_row(struct sql_stmt *s, struct arena *a, struct directive_row *r, int *mine)
{
	memset(r, 0, sizeof(*r));
	r->item.task_id = sql_col_int64(s, 0);
	r->item.parent_task_id = sql_col_int64(s, 1);
	r->item.issuer_code = arena_strdup(a, sql_col_text(s, 2));
	r->item.unit_code = arena_strdup(a, sql_col_text(s, 3));
	r->item.deadline = store_directive_day(sql_col_text(s, 4));
	r->item.done_on = store_directive_day(sql_col_text(s, 5));
	r->task_title = arena_strdup(a, sql_col_text(s, 6));
	r->unit_name = arena_strdup(a, sql_col_text(s, 7));
	r->unit_level = arena_strdup(a, sql_col_text(s, 8));
	r->note = arena_strdup(a, sql_col_text(s, 9));
	r->evidence = arena_strdup(a, sql_col_text(s, 10));
	r->delegated = (int)sql_col_int64(s, 11);
	*mine = (int)sql_col_int64(s, 12);
}

/* The rows in the caller's scope (none overdue when the directive was
 * replaced); mine[i]: the caller's scope holds the row's issuer (it
 * assigned it, or is above who did). */
static int dir_rows(struct store *st, const struct store_actor *actor, int64_t id,
                    int32_t asof, int replaced, struct arena *a, struct directive_row **rows,
                    int **mine, size_t *n, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	*rows = arena_alloc(a, (DIRECTIVE_ITEMS_MAX + 1) * sizeof(**rows));
	*mine = arena_alloc(a, (DIRECTIVE_ITEMS_MAX + 1) * sizeof(**mine));
	if (*rows == NULL || *mine == NULL)
		return store_oom(err);
	role_mask_names(DIR_ROLES, roles, sizeof(roles));
	rc = sql_prepare(st, "SELECT t.id, COALESCE(t.parent_id, 0), t.issuer_code, tu.unit_code,"
	                 " tu.deadline, tu.done_on, t.title, u.name, u.level, tu.note, tu.evidence,"
	                 " tu.delegated, CASE WHEN " SCOPE_SQL("t.issuer_path", "$2", "$3")
	                 " THEN 1 ELSE 0 END"
	                 " FROM task_units tu JOIN directive_tasks t ON t.id = tu.task_id"
	                 " JOIN units u ON u.code = tu.unit_code"
	                 " WHERE t.directive_id = $1 AND " SCOPE_SQL("tu.unit_path", "$2", "$3")
	                 " ORDER BY t.id, tu.unit_code LIMIT $4", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	sql_bind_int64(s, 4, DIRECTIVE_ITEMS_MAX);
	while ((rc = sql_step(s, err)) == 1)
		dir_read_row(s, a, &(*rows)[k], &(*mine)[k]), k++;
	sql_done(s);
	if (rc < 0)
		return rc;
	{
		struct directive_item *items = arena_alloc(a, (k + 1) * sizeof(*items));

		if (items == NULL)
			return store_oom(err);
		for (size_t i = 0; i < k; i++)
			items[i] = (*rows)[i].item;
		directive_rollup(items, k, asof);
		if (replaced)
			directive_supersede(items, k);
		for (size_t i = 0; i < k; i++)
			(*rows)[i].item = items[i];
	}
	*n = k;
	return 0;
}

int store_directive_progress(struct store *st, const struct store_actor *actor, int64_t id,
                             int32_t asof, struct arena *a, struct directive_head *head,
                             struct directive_row **rows, size_t *n, struct error *err)
{
	int *mine;
	int rc;

	*n = 0;
	if ((rc = dir_head(st, actor, id, a, head, err)) < 0)
		return rc;
	return dir_rows(st, actor, id, asof, head->replaced, a, rows, &mine, n, err);
}

/* ---- reminders ---- */

struct dir_remind {
	int64_t id;
	int32_t asof;
	const char *message;
	struct arena *a;
	const char **units;
	size_t n;
};

static int dir_notice_add(struct store *st, const struct store_actor *actor, int64_t directive,
                          const struct directive_row *r, const char *message,
                          struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO notices (unit_code, kind, directive_id, task_id, from_code,"
	                 " message, created_by, created_at) VALUES ($1, 'reminder', $2, $3, $4, $5,"
	                 " $6, $7)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, r->item.unit_code);
	sql_bind_int64(s, 2, directive);
	sql_bind_int64(s, 3, r->item.task_id);
	sql_bind_text(s, 4, r->item.issuer_code);
	sql_bind_text(s, 5, message);
	sql_bind_text(s, 6, actor->username ? actor->username : "system");
	sql_bind_int64(s, 7, actor->now_ms);
	return sql_exec_stmt(s, NULL, err);
}

static int dir_remind_body(struct store *st, void *ctx, struct store_audit *au,
                           struct error *err)
{
	struct dir_remind *C = ctx;
	struct directive_head h;
	struct directive_row *rows;
	json_t *units;
	char asof[11];
	int *mine, any = 0;
	size_t n;
	int rc;

	if ((rc = dir_head(st, au->actor, C->id, C->a, &h, err)) < 0 ||
	    (rc = dir_rows(st, au->actor, C->id, C->asof, h.replaced, C->a, &rows, &mine, &n,
	                   err)) < 0)
		return rc;
	if ((C->units = arena_alloc(C->a, (n + 1) * sizeof(*C->units))) == NULL ||
	    (units = json_array()) == NULL)
		return store_oom(err);
	for (size_t i = 0; i < n; i++) {
		const struct directive_row *r = &rows[i];
		char dl[11];
		const char *msg = C->message;

		any |= mine[i];
		if (!mine[i] || r->item.status != DIRECTIVE_OVERDUE)
			continue;
		dir_iso(r->item.deadline, dl);
		if (msg == NULL)
			msg = arena_printf(C->a, "Nhắc việc: nhiệm vụ \"%s\" (văn bản số %s) đã quá hạn %s;"
			                   " đề nghị báo cáo kết quả.", r->task_title, h.number, dl);
		if (msg == NULL)
			rc = store_oom(err);
		else
			rc = dir_notice_add(st, au->actor, C->id, r, msg, err);
		if (rc < 0) {
			json_decref(units);
			return rc;
		}
		C->units[C->n++] = r->item.unit_code;
		json_array_append_new(units, json_pack("{s:I,s:s}", "task_id",
		                                       (json_int_t)r->item.task_id, "unit_code",
		                                       r->item.unit_code));
	}
	if (!any) {
		json_decref(units);
		return error_set(err, THC_EFORBIDDEN,
		                 "chỉ đơn vị giao nhiệm vụ (hoặc cấp trên) được nhắc việc",
		                 "only the unit that assigned a task (or one above it) may send reminders");
	}
	if (C->n == 0) {
		json_decref(units);
		au->unchanged = 1;
		return 0;
	}
	dir_iso(C->asof, asof);
	au->action = "directive.remind";
	au->entity = "directive";
	store_audit_id(au, C->id);
	au->unit_code = arena_strdup(&au->arena, h.issuer_code);
	au->after = json_pack("{s:s,s:o}", "as_of", asof, "units", units);
	return au->after ? 0 : store_oom(err);
}

int store_directive_remind(struct store *st, const struct store_actor *actor, int64_t id,
                           int32_t asof, const char *message, struct arena *a,
                           const char ***units, size_t *n, struct error *err)
{
	struct dir_remind C = { .id = id, .asof = asof, .message = message, .a = a };
	int rc;

	*n = 0;
	if ((rc = store_write(st, actor, dir_remind_body, &C, err)) < 0)
		return rc;
	*units = C.units;
	*n = C.n;
	return 0;
}

/* ---- a unit's inbox ---- */

static int dir_inbox_tasks(struct store *st, const char *unit, int32_t asof, struct arena *a,
                           struct inbox_task **out, size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((*out = arena_alloc(a, INBOX_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT d.id, t.id, d.number, d.title, t.title, t.issuer_code,"
	                 " tu.deadline, tu.done_on, tu.delegated,"
	                 " CASE WHEN " DIR_REPLACED_SQL("d") " THEN 1 ELSE 0 END FROM task_units tu"
	                 " JOIN directive_tasks t ON t.id = tu.task_id"
	                 " JOIN directives d ON d.id = t.directive_id WHERE tu.unit_code = $1"
	                 " ORDER BY tu.deadline, t.id LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	sql_bind_int64(s, 2, INBOX_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct inbox_task *t = &(*out)[k++];

		t->directive_id = sql_col_int64(s, 0);
		t->task_id = sql_col_int64(s, 1);
		t->number = arena_strdup(a, sql_col_text(s, 2));
		t->directive_title = arena_strdup(a, sql_col_text(s, 3));
		t->task_title = arena_strdup(a, sql_col_text(s, 4));
		t->issuer_code = arena_strdup(a, sql_col_text(s, 5));
		t->deadline = arena_strdup(a, sql_col_text(s, 6));
		t->done_on = arena_strdup(a, sql_col_text(s, 7));
		t->delegated = (int)sql_col_int64(s, 8);
		t->replaced = (int)sql_col_int64(s, 9);
		t->status = directive_status(store_directive_day(t->deadline),
		                             store_directive_day(t->done_on), asof);
		if (t->replaced)
			t->status = directive_superseded(t->status);
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

static int dir_inbox_notices(struct store *st, const char *unit, struct arena *a,
                             struct inbox_notice **out, size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((*out = arena_alloc(a, INBOX_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT n.id, COALESCE(n.directive_id, 0), COALESCE(n.task_id, 0),"
	                 " n.kind, n.from_code, n.message, n.created_at, u.name FROM notices n"
	                 " JOIN units u ON u.code = n.from_code WHERE n.unit_code = $1"
	                 " ORDER BY n.id DESC LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	sql_bind_int64(s, 2, INBOX_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct inbox_notice *x = &(*out)[k++];

		x->id = sql_col_int64(s, 0);
		x->directive_id = sql_col_int64(s, 1);
		x->task_id = sql_col_int64(s, 2);
		x->kind = arena_strdup(a, sql_col_text(s, 3));
		x->from_code = arena_strdup(a, sql_col_text(s, 4));
		x->message = arena_strdup(a, sql_col_text(s, 5));
		x->at_ms = sql_col_int64(s, 6);
		x->from_name = arena_strdup(a, sql_col_text(s, 7));
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

int store_unit_inbox(struct store *st, const struct store_actor *actor, const char *unit_code,
                     int32_t asof, struct arena *a, struct inbox_task **tasks, size_t *nt,
                     struct inbox_notice **notices, size_t *nn, struct error *err)
{
	int rc;

	*nt = *nn = 0;
	if ((rc = store_scope_check(st, actor, unit_code, DIR_ROLES, err)) < 0 ||
	    (rc = dir_inbox_tasks(st, unit_code, asof, a, tasks, nt, err)) < 0)
		return rc;
	return dir_inbox_notices(st, unit_code, a, notices, nn, err);
}

/* ---- completion counts ---- */

int store_task_completion(struct store *st, const char *parent_code, const char *from,
                          const char *to, struct arena *a, struct task_completion **out,
                          size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, (DIRECTIVE_UNITS_MAX + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT u.code, COUNT(tu.id),"
	                 " SUM(CASE WHEN tu.done_on IS NOT NULL THEN 1 ELSE 0 END),"
	                 " SUM(CASE WHEN tu.done_on IS NOT NULL AND tu.done_on <= tu.deadline"
	                 " THEN 1 ELSE 0 END)"
	                 " FROM units u LEFT JOIN task_units tu ON tu.unit_code = u.code"
	                 " AND tu.deadline >= $2 AND tu.deadline <= $3"
	                 " WHERE u.parent_code = $1 GROUP BY u.code ORDER BY u.code LIMIT $4",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, parent_code);
	sql_bind_text(s, 2, from);
	sql_bind_text(s, 3, to);
	sql_bind_int64(s, 4, DIRECTIVE_UNITS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct task_completion *c = &(*out)[k++];

		c->unit_code = arena_strdup(a, sql_col_text(s, 0));
		c->tasks = sql_col_int64(s, 1);
		c->done = sql_col_is_null(s, 2) ? 0 : sql_col_int64(s, 2);
		c->on_time = sql_col_is_null(s, 3) ? 0 : sql_col_int64(s, 3);
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}
