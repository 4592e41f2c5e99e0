/*
 * What the public sends to support, and the commune's side of it: a
 * citizen's application followed by its tracking code (status only), the
 * commune's verification of it, objections to a posted line from anyone
 * (kept for the commune, never shown publicly) and the commune's queue of
 * them.  Each change with its audit row in one transaction.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/store-private.h"
#include "store/support-private.h"
#include "store/support.h"
#include "base/banned.h"

/* ---- tracking ---- */

int store_support_track(struct store *st, const char *hash, struct arena *a,
                        struct support_tracked *out, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	/* Status only: not the name, the ID number, the address or the unit. */
	rc = sql_prepare(st, "SELECT programme, status, step, step_deadline, received_on, verified,"
	                 " amount, reject_reason FROM support_applications WHERE tracking_hash = $1",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, hash);
	if ((rc = sql_step(s, err)) == 1) {
		out->programme = arena_strdup(a, sql_col_text(s, 0));
		out->status = arena_strdup(a, sql_col_text(s, 1));
		out->step = sql_col_int64(s, 2);
		out->step_deadline = arena_strdup(a, sql_col_text(s, 3));
		out->received_on = arena_strdup(a, sql_col_text(s, 4));
		out->verified = (int)sql_col_int64(s, 5);
		out->amount = sql_col_int64(s, 6);
		out->rejected = !sql_col_is_null(s, 7);
	}
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có hồ sơ với mã theo dõi này",
		                 "no application with this tracking code");
	return rc < 0 ? rc : 0;
}

/* ---- verification ---- */

struct sp_verify {
	int64_t id;
	const char *note;
};

static int sp_verify_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_verify *V = ctx;
	struct sp_state_view v;
	struct sql_stmt *s;
	char commune_ok[UNIT_CODE_MAX];
	int64_t got = 0;
	int rc;

	if ((rc = support_state(st, V->id, &v, err)) < 0 ||
	    (rc = store_scope_check(st, au->actor, v.unit, ROLE_MASK_OFFICIALS, err)) < 0)
		return rc == THC_ENOTFOUND ? support_not_found(V->id, err) : rc;
	/* The commune verifies (or a unit above it, which holds it too). */
	if (unit_path_code(v.path, 3, commune_ok, sizeof(commune_ok)) != 0 ||
	    (rc = store_scope_check(st, au->actor, commune_ok, ROLE_MASK_OFFICIALS, err)) < 0)
		return support_not_found(V->id, err);
	rc = sql_prepare(st, "UPDATE support_applications SET verified = 1, updated_at = $2"
	                 " WHERE id = $1 AND verified = 0 AND status = 'pending' RETURNING id",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, V->id);
	sql_bind_int64(s, 2, au->actor ? au->actor->now_ms : 0);
	if ((rc = sql_exec_stmt(s, &got, err)) < 0)
		return rc;
	if (got == 0)
		return error_set(err, THC_ECONFLICT,
		                 "hồ sơ không chờ xác minh (trạng thái '%s'%s)",
		                 "the application awaits no verification (status '%s'%s)", v.status,
		                 v.verified ? ", đã xác minh / verified" : "");
	if ((rc = support_event_add(st, au->actor, V->id, "verify", v.step, "commune", v.started,
	                            NULL, 0, V->note, err)) < 0)
		return rc;
	au->action = "support.verify";
	au->entity = "support_application";
	store_audit_id(au, V->id);
	au->unit_code = arena_strdup(&au->arena, v.unit);
	au->after = json_pack("{s:b}", "verified", 1);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_support_verify(struct store *st, const struct store_actor *actor, int64_t id,
                         const char *note, struct error *err)
{
	struct sp_verify V = { .id = id, .note = note };

	return store_write(st, actor, sp_verify_body, &V, err);
}

/* ---- objections from the public ---- */

struct sp_object {
	const struct support_objection *o;
	const char *today;
	char *until;                   /* the posting's last day when closed */
};

/* The line as posted on `today`; THC_ENOTFOUND when it never was, 409
 * with its last day when the posting is over. */
static int sp_object_line(struct store *st, struct sp_object *O, char commune[UNIT_CODE_MAX],
                          char path[128], struct error *err)
{
	char status[16] = "", from[11] = "";
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT commune_code, unit_path, status, COALESCE(posted_from, ''),"
	                 " COALESCE(posted_until, '') FROM support_applications WHERE id = $1"
	                 " AND posted_from IS NOT NULL", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, O->o->line);
	if ((rc = sql_step(s, err)) == 1 &&
	    (sql_col_copy(s, 0, commune, UNIT_CODE_MAX, err) < 0 ||
	     sql_col_copy(s, 1, path, 128, err) < 0 ||
	     sql_col_copy(s, 2, status, sizeof(status), err) < 0 ||
	     sql_col_copy(s, 3, from, sizeof(from), err) < 0 ||
	     sql_col_copy(s, 4, O->until, 11, err) < 0))
		rc = THC_ESTORE;
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_ENOTFOUND, "line",
		                    "không có dòng số %lld trong danh sách niêm yết",
		                    "no line %lld on a posted list", (long long)O->o->line);
	if (rc < 0)
		return rc;
	if (strcmp(status, "rejected") == 0 || strcmp(O->today, from) < 0 ||
	    strcmp(O->today, O->until) > 0) {
		struct vndate d;
		char vn[11] = "";

		if (vndate_parse(O->until, &d) == 0)
			vndate_format_vn(d, vn, sizeof(vn));
		return error_set_at(err, THC_ECONFLICT, "line",
		                    "dòng này không còn niêm yết (niêm yết đến hết ngày %s): không nhận ý kiến nữa",
		                    "this line is no longer posted (it was until %s): objections are closed",
		                    vn);
	}
	return 0;
}

static int sp_object_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_object *O = ctx;
	const struct support_objection *o = O->o;
	char commune[UNIT_CODE_MAX], path[128];
	struct sql_stmt *s;
	int64_t id = 0;
	int rc;

	if ((rc = sp_object_line(st, O, commune, path, err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO support_objections (application_id, commune_code,"
	                 " unit_path, name, contact, reason, received_on, created_at)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, o->line);
	sql_bind_text(s, 2, commune);
	sql_bind_text(s, 3, path);
	sql_bind_text(s, 4, o->name);
	sql_bind_text(s, 5, o->contact);
	sql_bind_text(s, 6, o->reason);
	sql_bind_text(s, 7, O->today);
	sql_bind_int64(s, 8, au->actor ? au->actor->now_ms : 0);
	if ((rc = sql_exec_stmt(s, &id, err)) < 0)
		return rc;
	/* In the application's history too (the reason; who sent it stays in
	 * the queue), under the same cap. */
	if ((rc = support_event_add(st, au->actor, o->line, "objection", 0, NULL, O->today, NULL,
	                            0, o->reason, err)) < 0)
		return rc;
	au->action = "support.public_objection";
	au->entity = "support_application";
	store_audit_id(au, o->line);
	au->unit_code = arena_strdup(&au->arena, commune);
	au->after = json_pack("{s:I,s:s}", "objection_id", (json_int_t)id, "on", O->today);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_support_object(struct store *st, const struct store_actor *actor,
                         const struct support_objection *o, const char *today,
                         char until[11], struct error *err)
{
	struct sp_object O = { .o = o, .today = today, .until = until };

	until[0] = '\0';
	return store_write(st, actor, sp_object_body, &O, err);
}

/* ---- the commune's queue ---- */

struct sp_queue {
	const char *unit;
	int64_t after;
	struct arena *a;
	struct support_objection *out;
	size_t *n;
	int64_t *next;
};

static int sp_queue_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_queue *Q = ctx;
	char path[128], rn[256];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((rc = store_scope_path(st, au->actor, Q->unit, ROLE_MASK_OFFICIALS, path, sizeof(path),
	                           err)) < 0)
		return rc;
	role_mask_names(ROLE_MASK_OFFICIALS, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT o.id, o.application_id, o.name, o.contact, o.reason,"
	                 " o.received_on, o.created_at, s.full_name, s.programme"
	                 " FROM support_objections o JOIN support_applications s"
	                 " ON s.id = o.application_id"
	                 " WHERE substr(o.unit_path, 1, length($1)) = $1 AND o.id > $2 AND "
	                 SCOPE_SQL("o.unit_path", "$3", "$4") " ORDER BY o.id LIMIT $5", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, path);
	sql_bind_int64(s, 2, Q->after);
	sql_bind_int64(s, 3, store_actor_uid(au->actor));
	sql_bind_text(s, 4, rn);
	sql_bind_int64(s, 5, SUPPORT_OBJECTIONS_PAGE + 1);
	while ((rc = sql_step(s, err)) == 1) {
		struct support_objection *o = &Q->out[k++];

		o->id = sql_col_int64(s, 0);
		o->line = sql_col_int64(s, 1);
		o->name = arena_strdup(Q->a, sql_col_text(s, 2));
		o->contact = arena_strdup(Q->a, sql_col_text(s, 3));
		o->reason = arena_strdup(Q->a, sql_col_text(s, 4));
		o->received_on = arena_strdup(Q->a, sql_col_text(s, 5));
		o->created_at_ms = sql_col_int64(s, 6);
		o->full_name = arena_strdup(Q->a, sql_col_text(s, 7));
		o->programme = arena_strdup(Q->a, sql_col_text(s, 8));
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (k > SUPPORT_OBJECTIONS_PAGE) {
		k = SUPPORT_OBJECTIONS_PAGE;
		*Q->next = Q->out[k - 1].id;
	}
	*Q->n = k;
	/* The queue names who objected: its reading is audited. */
	au->action = "support.objections";
	au->entity = "unit";
	au->unit_code = arena_strdup(&au->arena, Q->unit);
	au->after = json_pack("{s:I}", "rows", (json_int_t)k);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_support_objections(struct store *st, const struct store_actor *actor,
                             const char *unit, int64_t after, struct arena *a,
                             struct support_objection **out, size_t *n, int64_t *next,
                             struct error *err)
{
	struct sp_queue Q = { .unit = unit, .after = after, .a = a, .n = n, .next = next };

	*n = 0;
	*next = 0;
	if ((*out = Q.out = arena_alloc(a, (SUPPORT_OBJECTIONS_PAGE + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	return store_write(st, actor, sp_queue_body, &Q, err);
}
