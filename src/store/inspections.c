/*
 * Inspections: the plan and its team, findings, conclusion and follow-up
 * actions, each change with its audit row in one transaction; reads in the
 * issuing chain's scope, and the target's once concluded or public.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "domain/role.h"
#include "store/inspections.h"
#include "store/store-private.h"
#include "store/users.h"
#include "base/banned.h"

#define INSP_ROLES ROLE_MASK_OFFICIALS

/* The issuing chain ($uid, $roles). */
#define INSP_ISSUER(uid, roles) SCOPE_SQL("i.issuer_path", uid, roles)
/* Who may read: the issuing chain; the target's officials once concluded
 * or when public. */
#define INSP_READ(uid, roles) \
	"(" INSP_ISSUER(uid, roles) " OR ((i.status = 'concluded' OR i.public = 1) AND " \
	SCOPE_SQL("i.target_path", uid, roles) "))"

#define INSP_COLUMNS \
	"i.id, i.title, i.issuer_code, i.period_from, i.period_to, i.kind, i.public, i.template," \
	" i.target_code, i.tax_code, i.business_name, i.status, i.conclusion, i.concluded_on," \
	" i.created_at"

static void insp_read_row(struct sql_stmt *s, struct arena *a, struct inspection *x)
{
	memset(x, 0, sizeof(*x));
	x->id = sql_col_int64(s, 0);
	x->title = arena_strdup(a, sql_col_text(s, 1));
	x->issuer_code = arena_strdup(a, sql_col_text(s, 2));
	x->period_from = arena_strdup(a, sql_col_text(s, 3));
	x->period_to = arena_strdup(a, sql_col_text(s, 4));
	x->kind = arena_strdup(a, sql_col_text(s, 5));
	x->is_public = (int)sql_col_int64(s, 6);
	x->template_code = arena_strdup(a, sql_col_text(s, 7));
	x->target_code = arena_strdup(a, sql_col_text(s, 8));
	x->tax_code = arena_strdup(a, sql_col_text(s, 9));
	x->business_name = arena_strdup(a, sql_col_text(s, 10));
	x->status = arena_strdup(a, sql_col_text(s, 11));
	x->conclusion = arena_strdup(a, sql_col_text(s, 12));
	x->concluded_on = arena_strdup(a, sql_col_text(s, 13));
	x->created_at_ms = sql_col_int64(s, 14);
}

static int insp_not_found(int64_t id, struct error *err)
{
	return error_set(err, THC_ENOTFOUND, "không có cuộc kiểm tra số %lld trong phạm vi của bạn",
	                 "no inspection %lld within your scope", (long long)id);
}

/* ---- creation ---- */

/* The path of a unit under the issuer's (ipath); one error whether the
 * code is unknown or elsewhere, so that it tells nothing of other units. */
static int insp_unit_path(struct store *st, const char *code, const char *ipath,
                          const char *field, char path[128], struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT path FROM units WHERE code = $1 AND level <> 'country'"
	                      " AND substr(path, 1, length($2)) = $2", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, ipath);
	rc = sql_step(s, err);
	if (rc == 1)
		rc = sql_col_copy(s, 0, path, 128, err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': không có đơn vị mã '%.40s' thuộc đơn vị ban hành",
		                    "field '%s': no unit with code '%.40s' under the issuing unit",
		                    field, code);
	return rc < 0 ? rc : 0;
}

static int insp_insert(struct store *st, const struct store_actor *actor, struct inspection *x,
                       const char *issuer_path, const char *target_path, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO inspections (title, issuer_code, issuer_path, period_from,"
	                 " period_to, kind, public, template, target_code, target_path, tax_code,"
	                 " business_name, status, created_at, updated_at) VALUES ($1, $2, $3, $4,"
	                 " $5, $6, $7, $8, $9, $10, $11, $12, 'planned', $13, $13) RETURNING id",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, x->title);
	sql_bind_text(s, 2, x->issuer_code);
	sql_bind_text(s, 3, issuer_path);
	sql_bind_text(s, 4, x->period_from);
	sql_bind_text(s, 5, x->period_to);
	sql_bind_text(s, 6, x->kind);
	sql_bind_int64(s, 7, x->is_public ? 1 : 0);
	sql_bind_text(s, 8, x->template_code);
	sql_bind_text(s, 9, x->target_code);
	sql_bind_text(s, 10, target_path);
	sql_bind_text(s, 11, x->tax_code);
	sql_bind_text(s, 12, x->business_name);
	sql_bind_int64(s, 13, actor->now_ms);
	return sql_exec_stmt(s, &x->id, err);
}

static int insp_members_insert(struct store *st, const struct inspection *x, struct error *err)
{
	for (size_t i = 0; i < x->nmembers; i++) {
		struct sql_stmt *s;
		int rc;

		rc = sql_prepare(st, "INSERT INTO inspection_members (inspection_id, name, role)"
		                 " VALUES ($1, $2, $3)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_int64(s, 1, x->id);
		sql_bind_text(s, 2, x->members[i].name);
		sql_bind_text(s, 3, x->members[i].role);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	return 0;
}

static int insp_create_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	struct inspection *x = ctx;
	char ipath[128], tpath[128];
	int rc;

	if ((rc = store_scope_path(st, au->actor, x->issuer_code, INSP_ROLES, ipath,
	                           sizeof(ipath), err)) < 0)
		return error_in_field(err, "issuer");
	if ((rc = insp_unit_path(st, x->target_code, ipath, "target.unit_code", tpath, err)) < 0)
		return rc;
	if ((rc = insp_insert(st, au->actor, x, ipath, tpath, err)) < 0 ||
	    (rc = insp_members_insert(st, x, err)) < 0)
		return rc;
	x->status = "planned";
	au->action = "inspection.create";
	au->entity = "inspection";
	store_audit_id(au, x->id);
	au->unit_code = arena_strdup(&au->arena, x->issuer_code);
	au->after = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s?,s:s?,s:I}", "title", x->title,
	                      "issuer", x->issuer_code, "period_from", x->period_from,
	                      "period_to", x->period_to, "kind", x->kind, "public", x->is_public,
	                      "template", x->template_code, "target", x->target_code,
	                      "tax_code", x->tax_code, "business_name", x->business_name,
	                      "members", (json_int_t)x->nmembers);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_inspection_create(struct store *st, const struct store_actor *actor,
                            struct inspection *in, struct error *err)
{
	return store_write(st, actor, insp_create_body, in, err);
}

/* ---- reading ---- */

int store_inspection_list(struct store *st, const struct store_actor *actor, const char *unit,
                          struct arena *a, struct inspection **out, size_t *n,
                          struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, INSP_LIST_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	if (unit && (rc = store_scope_check(st, actor, unit, INSP_ROLES, err)) < 0)
		return rc;
	role_mask_names(INSP_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT " INSP_COLUMNS " FROM inspections i WHERE " INSP_READ("$1", "$2")
	                 " AND (CAST($3 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM units top"
	                 "  WHERE top.code = $3 AND (substr(i.issuer_path, 1, length(top.path)) = top.path"
	                 "   OR substr(i.target_path, 1, length(top.path)) = top.path)))"
	                 " ORDER BY i.id DESC LIMIT $4", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_text(s, 2, rn);
	sql_bind_text(s, 3, unit);
	sql_bind_int64(s, 4, INSP_LIST_MAX);
	while ((rc = sql_step(s, err)) == 1)
		insp_read_row(s, a, &(*out)[k++]);
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

static int insp_members_read(struct store *st, struct arena *a, struct inspection *x,
                             struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((x->members = arena_alloc(a, INSP_MEMBERS_MAX * sizeof(*x->members))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT name, role FROM inspection_members WHERE inspection_id = $1"
	                 " ORDER BY id LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, x->id);
	sql_bind_int64(s, 2, INSP_MEMBERS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		x->members[x->nmembers].name = arena_strdup(a, sql_col_text(s, 0));
		x->members[x->nmembers++].role = arena_strdup(a, sql_col_text(s, 1));
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

#define INSP_FINDINGS_MAX 64

static int insp_findings_read(struct store *st, struct arena *a, struct inspection *x,
                              struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((x->findings = arena_alloc(a, INSP_FINDINGS_MAX * sizeof(*x->findings))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT item, result, note FROM inspection_findings"
	                 " WHERE inspection_id = $1 ORDER BY item LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, x->id);
	sql_bind_int64(s, 2, INSP_FINDINGS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct insp_finding *f = &x->findings[x->nfindings++];

		f->item = arena_strdup(a, sql_col_text(s, 0));
		f->result = arena_strdup(a, sql_col_text(s, 1));
		f->note = arena_strdup(a, sql_col_text(s, 2));
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

static int insp_actions_read(struct store *st, struct arena *a, struct inspection *x,
                             struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((x->actions = arena_alloc(a, INSP_ACTIONS_MAX * sizeof(*x->actions))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT id, description, deadline, done_on, done_note"
	                 " FROM inspection_actions WHERE inspection_id = $1 ORDER BY id LIMIT $2",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, x->id);
	sql_bind_int64(s, 2, INSP_ACTIONS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct insp_action *t = &x->actions[x->nactions++];

		t->id = sql_col_int64(s, 0);
		t->description = arena_strdup(a, sql_col_text(s, 1));
		t->deadline = arena_strdup(a, sql_col_text(s, 2));
		t->done_on = arena_strdup(a, sql_col_text(s, 3));
		t->done_note = arena_strdup(a, sql_col_text(s, 4));
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/* The row if the actor may read it (issuer_only: only the issuing chain). */
static int insp_fetch(struct store *st, const struct store_actor *actor, int64_t id,
                      int issuer_only, struct arena *a, struct inspection *x, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(INSP_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, issuer_only
	                 ? "SELECT " INSP_COLUMNS " FROM inspections i WHERE i.id = $1 AND "
	                   INSP_ISSUER("$2", "$3")
	                 : "SELECT " INSP_COLUMNS " FROM inspections i WHERE i.id = $1 AND "
	                   INSP_READ("$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1)
		insp_read_row(s, a, x);
	sql_done(s);
	if (rc < 0)
		return rc;
	return rc == 0 ? insp_not_found(id, err) : 0;
}

int store_inspection_get(struct store *st, const struct store_actor *actor, int64_t id,
                         struct arena *a, struct inspection *out, struct error *err)
{
	int rc;

	if ((rc = insp_fetch(st, actor, id, 0, a, out, err)) < 0 ||
	    (rc = insp_members_read(st, a, out, err)) < 0 ||
	    (rc = insp_findings_read(st, a, out, err)) < 0)
		return rc;
	return insp_actions_read(st, a, out, err);
}

/* ---- findings and conclusion ---- */

struct insp_change {
	int64_t id;
	const struct insp_finding *f;
	const struct insp_action *t;
	size_t n;
	const char *conclusion, *concluded_on, *note;
	struct arena *a;
};

/* The inspection for the issuing chain, still planned. */
static int insp_open_for_issuer(struct store *st, const struct store_actor *actor,
                                struct insp_change *C, struct inspection *x, struct error *err)
{
	int rc;

	if ((rc = insp_fetch(st, actor, C->id, 1, C->a, x, err)) < 0)
		return rc;
	if (strcmp(x->status, "planned") != 0)
		return error_set(err, THC_ECONFLICT, "cuộc kiểm tra số %lld đã có kết luận",
		                 "inspection %lld is already concluded", (long long)C->id);
	return 0;
}

static int insp_findings_body(struct store *st, void *ctx, struct store_audit *au,
                              struct error *err)
{
	struct insp_change *C = ctx;
	struct inspection x;
	json_t *items;
	int rc;

	if ((rc = insp_open_for_issuer(st, au->actor, C, &x, err)) < 0)
		return rc;
	if ((items = json_object()) == NULL)
		return store_oom(err);
	au->after = items;
	for (size_t i = 0; i < C->n; i++) {
		struct sql_stmt *s;

		rc = sql_prepare(st, "INSERT INTO inspection_findings (inspection_id, item, result, note,"
		                 " updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (inspection_id, item)"
		                 " DO UPDATE SET result = excluded.result, note = excluded.note,"
		                 " updated_at = excluded.updated_at", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_int64(s, 1, C->id);
		sql_bind_text(s, 2, C->f[i].item);
		sql_bind_text(s, 3, C->f[i].result);
		sql_bind_text(s, 4, C->f[i].note);
		sql_bind_int64(s, 5, au->actor->now_ms);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
		json_object_set_new(items, C->f[i].item, json_string(C->f[i].result));
	}
	au->action = "inspection.findings";
	au->entity = "inspection";
	store_audit_id(au, C->id);
	au->unit_code = arena_strdup(&au->arena, x.issuer_code);
	return au->unit_code ? 0 : store_oom(err);
}

int store_inspection_findings(struct store *st, const struct store_actor *actor, int64_t id,
                              const struct insp_finding *f, size_t n, struct error *err)
{
	struct arena a = ARENA_INIT(1 << 20);
	struct insp_change C = { .id = id, .f = f, .n = n, .a = &a };
	int rc = store_write(st, actor, insp_findings_body, &C, err);

	arena_release(&a);
	return rc;
}

static int insp_conclude_body(struct store *st, void *ctx, struct store_audit *au,
                              struct error *err)
{
	struct insp_change *C = ctx;
	struct inspection x;
	struct sql_stmt *s;
	int rc;

	if ((rc = insp_open_for_issuer(st, au->actor, C, &x, err)) < 0)
		return rc;
	rc = sql_prepare(st, "UPDATE inspections SET status = 'concluded', conclusion = $1,"
	                 " concluded_on = $2, updated_at = $3 WHERE id = $4", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, C->conclusion);
	sql_bind_text(s, 2, C->concluded_on);
	sql_bind_int64(s, 3, au->actor->now_ms);
	sql_bind_int64(s, 4, C->id);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	for (size_t i = 0; i < C->n; i++) {
		rc = sql_prepare(st, "INSERT INTO inspection_actions (inspection_id, description, deadline)"
		                 " VALUES ($1, $2, $3)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_int64(s, 1, C->id);
		sql_bind_text(s, 2, C->t[i].description);
		sql_bind_text(s, 3, C->t[i].deadline);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	au->action = "inspection.conclude";
	au->entity = "inspection";
	store_audit_id(au, C->id);
	au->unit_code = arena_strdup(&au->arena, x.issuer_code);
	au->before = json_pack("{s:s}", "status", "planned");
	au->after = json_pack("{s:s,s:s,s:s,s:I}", "status", "concluded", "conclusion", C->conclusion,
	                      "concluded_on", C->concluded_on, "actions", (json_int_t)C->n);
	return au->unit_code && au->before && au->after ? 0 : store_oom(err);
}

int store_inspection_conclude(struct store *st, const struct store_actor *actor, int64_t id,
                              const char *conclusion, const char *concluded_on,
                              const struct insp_action *actions, size_t n, struct error *err)
{
	struct arena a = ARENA_INIT(1 << 20);
	struct insp_change C = { .id = id, .t = actions, .n = n, .conclusion = conclusion,
	                         .concluded_on = concluded_on, .a = &a };
	int rc = store_write(st, actor, insp_conclude_body, &C, err);

	arena_release(&a);
	return rc;
}

/* ---- follow-up actions ---- */

static int insp_action_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	struct insp_change *C = ctx;
	char rn[256], issuer[64] = "", done[16] = "";
	struct sql_stmt *s;
	int rc;

	role_mask_names(INSP_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT i.issuer_code, t.done_on FROM inspection_actions t"
	                 " JOIN inspections i ON i.id = t.inspection_id WHERE t.id = $1 AND "
	                 INSP_READ("$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, C->id);
	sql_bind_int64(s, 2, store_actor_uid(au->actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1) {
		snprintf(issuer, sizeof(issuer), "%s", sql_col_text(s, 0));
		snprintf(done, sizeof(done), "%s", sql_col_is_null(s, 1) ? "" : sql_col_text(s, 1));
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có việc khắc phục số %lld trong phạm vi của bạn",
		                 "no follow-up action %lld within your scope", (long long)C->id);
	if (done[0])
		return error_set(err, THC_ECONFLICT, "việc khắc phục số %lld đã xong ngày %s",
		                 "follow-up action %lld was already done on %s", (long long)C->id, done);
	rc = sql_prepare(st, "UPDATE inspection_actions SET done_on = $1, done_note = $2 WHERE id = $3",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, C->concluded_on);
	sql_bind_text(s, 2, C->note);
	sql_bind_int64(s, 3, C->id);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = "inspection.action_done";
	au->entity = "inspection_action";
	store_audit_id(au, C->id);
	au->unit_code = arena_strdup(&au->arena, issuer);
	au->after = json_pack("{s:s,s:s?}", "done_on", C->concluded_on, "note", C->note);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_inspection_action_done(struct store *st, const struct store_actor *actor,
                                 int64_t action_id, const char *done_on, const char *note,
                                 struct error *err)
{
	struct insp_change C = { .id = action_id, .concluded_on = done_on, .note = note };

	return store_write(st, actor, insp_action_body, &C, err);
}
