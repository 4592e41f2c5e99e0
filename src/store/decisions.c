/* Reward and discipline decisions: recorded and audited, listed in scope, published. */
#include <jansson.h>
#include <string.h>

#include "domain/role.h"
#include "store/decisions.h"
#include "store/store-private.h"
#include "store/users.h"
#include "base/banned.h"

#define DEC_ROLES ROLE_MASK_OFFICIALS

/* Does the actor read inspection id (issuing chain, or target once concluded or public)? */
static int dec_inspection_ok(struct store *st, const struct store_actor *actor, int64_t id,
                             struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(DEC_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT 1 FROM inspections i WHERE i.id = $1 AND ("
	                 SCOPE_SQL("i.issuer_path", "$2", "$3") " OR ((i.status = 'concluded'"
	                 " OR i.public = 1) AND " SCOPE_SQL("i.target_path", "$2", "$3") "))", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "inspection_id",
		                    "trường 'inspection_id': không có cuộc kiểm tra số %lld trong phạm vi của bạn",
		                    "field 'inspection_id': no inspection %lld within your scope",
		                    (long long)id);
	return rc < 0 ? rc : 0;
}

/* The subject unit lies in the issuer's subtree (path ipath) and is not a
 * household: a decision may be published, and a household names a family
 * and its address. */
static int dec_unit_ok(struct store *st, const char *code, const char *ipath, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT 1 FROM units WHERE code = $1"
	                 " AND level IN ('province','district','commune','hamlet')"
	                 " AND substr(path, 1, length($2)) = $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, ipath);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "trường 'unit_code': không có đơn vị (không phải hộ gia đình) mã '%.40s' thuộc đơn vị ban hành",
		                    "field 'unit_code': no unit (other than a household) '%.40s' under the issuing unit",
		                    code);
	return rc < 0 ? rc : 0;
}

static int dec_insert(struct store *st, const struct store_actor *actor, struct decision *d,
                      const char *ipath, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO decisions (kind, form, number, person_name, unit_code, reason,"
	                 " decided_on, issuer_code, issuer_path, inspection_id, public, created_at)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, d->kind);
	sql_bind_text(s, 2, d->form);
	sql_bind_text(s, 3, d->number);
	sql_bind_text(s, 4, d->person_name);
	sql_bind_text(s, 5, d->unit_code);
	sql_bind_text(s, 6, d->reason);
	sql_bind_text(s, 7, d->decided_on);
	sql_bind_text(s, 8, d->issuer_code);
	sql_bind_text(s, 9, ipath);
	if (d->inspection_id > 0)
		sql_bind_int64(s, 10, d->inspection_id);
	else
		sql_bind_null(s, 10);
	sql_bind_int64(s, 11, d->is_public ? 1 : 0);
	sql_bind_int64(s, 12, actor->now_ms);
	return sql_exec_stmt(s, &d->id, err);
}

static int dec_create_body(struct store *st, void *ctx, struct store_audit *au,
                           struct error *err)
{
	struct decision *d = ctx;
	char ipath[128];
	int rc;

	if ((rc = store_scope_path(st, au->actor, d->issuer_code, DEC_ROLES, ipath, sizeof(ipath),
	                           err)) < 0)
		return error_in_field(err, "issuer");
	if ((d->unit_code && (rc = dec_unit_ok(st, d->unit_code, ipath, err)) < 0) ||
	    (d->inspection_id > 0 && (rc = dec_inspection_ok(st, au->actor, d->inspection_id, err)) < 0) ||
	    (rc = dec_insert(st, au->actor, d, ipath, err)) < 0)
		return rc;
	au->action = "decision.create";
	au->entity = "decision";
	store_audit_id(au, d->id);
	au->unit_code = arena_strdup(&au->arena, d->issuer_code);
	au->after = json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s,s:s,s:s,s:b}", "kind", d->kind,
	                      "form", d->form, "number", d->number, "person_name", d->person_name,
	                      "unit_code", d->unit_code, "reason", d->reason,
	                      "decided_on", d->decided_on, "issuer", d->issuer_code,
	                      "public", d->is_public);
	if (au->after && d->inspection_id > 0)
		json_object_set_new(au->after, "inspection_id", json_integer(d->inspection_id));
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_decision_create(struct store *st, const struct store_actor *actor,
                          struct decision *d, struct error *err)
{
	return store_write(st, actor, dec_create_body, d, err);
}

struct dec_list {
	const char *unit;
	struct arena *a;
	struct decision *out;
	size_t n;
};

static void dec_read_row(struct sql_stmt *s, struct arena *a, struct decision *d)
{
	d->id = sql_col_int64(s, 0);
	d->kind = arena_strdup(a, sql_col_text(s, 1));
	d->form = arena_strdup(a, sql_col_text(s, 2));
	d->number = arena_strdup(a, sql_col_text(s, 3));
	d->person_name = arena_strdup(a, sql_col_text(s, 4));
	d->unit_code = arena_strdup(a, sql_col_text(s, 5));
	d->unit_name = arena_strdup(a, sql_col_text(s, 6));
	d->reason = arena_strdup(a, sql_col_text(s, 7));
	d->decided_on = arena_strdup(a, sql_col_text(s, 8));
	d->issuer_code = arena_strdup(a, sql_col_text(s, 9));
	d->inspection_id = sql_col_is_null(s, 10) ? 0 : sql_col_int64(s, 10);
	d->is_public = (int)sql_col_int64(s, 11);
	d->created_at_ms = sql_col_int64(s, 12);
}

/* The list names people (discipline included): the read is audited. */
static int dec_list_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct dec_list *L = ctx;
	char rn[256];
	struct sql_stmt *s;
	int rc;

	if (L->unit && (rc = store_scope_check(st, au->actor, L->unit, DEC_ROLES, err)) < 0)
		return rc;
	role_mask_names(DEC_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT d.id, d.kind, d.form, d.number, d.person_name, d.unit_code, u.name,"
	                 " d.reason, d.decided_on, d.issuer_code, d.inspection_id, d.public, d.created_at"
	                 " FROM decisions d LEFT JOIN units u ON u.code = d.unit_code WHERE "
	                 SCOPE_SQL("d.issuer_path", "$1", "$2")
	                 " AND (CAST($3 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM units top WHERE"
	                 "  top.code = $3 AND substr(d.issuer_path, 1, length(top.path)) = top.path))"
	                 " ORDER BY d.decided_on DESC, d.id DESC LIMIT $4", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(au->actor));
	sql_bind_text(s, 2, rn);
	sql_bind_text(s, 3, L->unit);
	sql_bind_int64(s, 4, DECISION_LIST_MAX);
	while ((rc = sql_step(s, err)) == 1)
		dec_read_row(s, L->a, &L->out[L->n++]);
	sql_done(s);
	if (rc < 0)
		return rc;
	au->action = "decision.list";
	au->entity = "decision";
	if (L->unit && (au->unit_code = arena_strdup(&au->arena, L->unit)) == NULL)
		return store_oom(err);
	au->after = json_pack("{s:I}", "count", (json_int_t)L->n);
	return au->after ? 0 : store_oom(err);
}

int store_decision_list(struct store *st, const struct store_actor *actor, const char *unit,
                        struct arena *a, struct decision **out, size_t *n, struct error *err)
{
	struct dec_list L = { .unit = unit, .a = a };
	int rc;

	*n = 0;
	if ((*out = L.out = arena_alloc(a, DECISION_LIST_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	if ((rc = store_write(st, actor, dec_list_body, &L, err)) < 0)
		return rc;
	*n = L.n;
	return 0;
}

int store_decision_public(struct store *st, const char *unit, struct arena *a,
                          struct decision **out, size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, DECISION_LIST_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT d.person_name, u.name, d.kind, d.form, d.number, d.reason,"
	                 " d.decided_on FROM decisions d LEFT JOIN units u ON u.code = d.unit_code"
	                 " AND u.level <> 'household'"
	                 " WHERE d.public = 1 AND (CAST($1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM"
	                 "  units top WHERE top.code = $1 AND substr(d.issuer_path, 1, length(top.path))"
	                 "  = top.path)) ORDER BY d.decided_on DESC, d.id DESC LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	sql_bind_int64(s, 2, DECISION_LIST_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct decision *d = &(*out)[k++];

		d->person_name = arena_strdup(a, sql_col_text(s, 0));
		d->unit_name = arena_strdup(a, sql_col_text(s, 1));
		d->kind = arena_strdup(a, sql_col_text(s, 2));
		d->form = arena_strdup(a, sql_col_text(s, 3));
		d->number = arena_strdup(a, sql_col_text(s, 4));
		d->reason = arena_strdup(a, sql_col_text(s, 5));
		d->decided_on = arena_strdup(a, sql_col_text(s, 6));
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}
