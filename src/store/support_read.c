/*
 * Support applications read: the lists in scope (audited: they carry ID
 * numbers and addresses), one with its history and duplicates, the public
 * posting, totals and the no-one-left-behind report.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "domain/role.h"
#include "store/store-private.h"
#include "store/support-private.h"
#include "store/support.h"
#include "base/banned.h"

#define SP_EVENTS_MAX 200
#define SP_DUPS_MAX 50

#define SP_COLUMNS \
	"s.id, s.programme, s.kind, s.unit_code, s.commune_code, s.full_name, s.id_number," \
	" s.address, s.person_id, s.facts, s.amount, s.source, s.employer, s.received_on," \
	" s.status, s.step, s.step_started_on, s.step_deadline, s.posted_from, s.posted_until," \
	" s.reject_reason, s.paid_amount, s.created_at, s.verified"

/* Is programme column `col` in the comma list `list`? */
#define SP_IN_LIST(col, list) "((',' || CAST(" list " AS TEXT) || ',') LIKE ('%,' || " col " || ',%'))"

static void sp_read_row(struct sql_stmt *s, struct arena *a, struct support_app *x)
{
	memset(x, 0, sizeof(*x));
	x->id = sql_col_int64(s, 0);
	x->programme = arena_strdup(a, sql_col_text(s, 1));
	x->kind = arena_strdup(a, sql_col_text(s, 2));
	x->unit_code = arena_strdup(a, sql_col_text(s, 3));
	x->commune_code = arena_strdup(a, sql_col_text(s, 4));
	x->full_name = arena_strdup(a, sql_col_text(s, 5));
	x->id_number = arena_strdup(a, sql_col_text(s, 6));
	x->address = arena_strdup(a, sql_col_text(s, 7));
	x->person_id = sql_col_is_null(s, 8) ? 0 : sql_col_int64(s, 8);
	x->facts = arena_strdup(a, sql_col_text(s, 9));
	x->amount = sql_col_int64(s, 10);
	x->source = arena_strdup(a, sql_col_text(s, 11));
	x->employer = arena_strdup(a, sql_col_text(s, 12));
	x->received_on = arena_strdup(a, sql_col_text(s, 13));
	x->status = arena_strdup(a, sql_col_text(s, 14));
	x->step = sql_col_int64(s, 15);
	x->step_started_on = arena_strdup(a, sql_col_text(s, 16));
	x->step_deadline = arena_strdup(a, sql_col_text(s, 17));
	x->posted_from = arena_strdup(a, sql_col_text(s, 18));
	x->posted_until = arena_strdup(a, sql_col_text(s, 19));
	x->reject_reason = arena_strdup(a, sql_col_text(s, 20));
	x->paid_amount = sql_col_int64(s, 21);
	x->created_at_ms = sql_col_int64(s, 22);
	x->verified = (int)sql_col_int64(s, 23);
}

/* ---- lists ---- */

struct sp_list {
	const struct support_query *q;
	struct arena *a;
	struct support_app **out;
	size_t *n;
	int64_t *next;
};

static int sp_list_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_list *L = ctx;
	char rn[256], path[128] = "";
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if (L->q->unit && (rc = store_scope_path(st, au->actor, L->q->unit, ROLE_MASK_OFFICIALS,
	                                         path, sizeof(path), err)) < 0)
		return rc;
	role_mask_names(ROLE_MASK_OFFICIALS, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT " SP_COLUMNS " FROM support_applications s WHERE "
	                 SCOPE_SQL("s.unit_path", "$1", "$2")
	                 " AND substr(s.unit_path, 1, length($3)) = $3"
	                 " AND (CAST($4 AS TEXT) IS NULL OR s.programme = $4)"
	                 " AND (CAST($5 AS TEXT) IS NULL OR s.status = $5)"
	                 " AND s.id > $7 AND (CAST($8 AS BIGINT) = 0 OR s.verified = 0)"
	                 " ORDER BY s.id LIMIT $6", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(au->actor));
	sql_bind_text(s, 2, rn);
	sql_bind_text(s, 3, path);
	sql_bind_text(s, 4, L->q->programme);
	sql_bind_text(s, 5, L->q->status);
	sql_bind_int64(s, 6, L->q->limit + 1);
	sql_bind_int64(s, 7, L->q->after);
	sql_bind_int64(s, 8, L->q->unverified);
	while ((rc = sql_step(s, err)) == 1)
		sp_read_row(s, L->a, &(*L->out)[k++]);
	sql_done(s);
	if (rc < 0)
		return rc;
	/* One row past the page tells that there is more. */
	if ((int64_t)k > L->q->limit) {
		k = (size_t)L->q->limit;
		*L->next = (*L->out)[k - 1].id;
	}
	*L->n = k;
	au->action = "support.list";
	au->entity = "support_application";
	au->unit_code = L->q->unit ? arena_strdup(&au->arena, L->q->unit) : NULL;
	au->after = json_pack("{s:I,s:s?,s:s?}", "rows", (json_int_t)k, "programme",
	                      L->q->programme, "status", L->q->status);
	return au->after ? 0 : store_oom(err);
}

int store_support_list(struct store *st, const struct store_actor *actor,
                       const struct support_query *q, struct arena *a,
                       struct support_app **out, size_t *n, int64_t *next,
                       struct error *err)
{
	struct sp_list L = { .q = q, .a = a, .out = out, .n = n, .next = next };

	*n = 0;
	*next = 0;
	if ((*out = arena_alloc(a, (size_t)(q->limit + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	return store_write(st, actor, sp_list_body, &L, err);
}

/* ---- one application ---- */

int support_count_duplicates(struct store *st, int64_t id, const char *idn, const char *excl,
                             int64_t *n, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	*n = 0;
	rc = sql_prepare(st, "SELECT COUNT(*) FROM support_applications o WHERE o.id_number = $1"
	                 " AND o.id <> $2 AND o.status <> 'rejected' AND " SP_IN_LIST("o.programme", "$3"),
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, idn);
	sql_bind_int64(s, 2, id);
	sql_bind_text(s, 3, excl);
	return sql_exec_stmt(s, n, err);
}

/* The duplicates in the reader's scope are listed; the others counted. */
static int sp_dups(struct store *st, const struct store_actor *actor, const char *excl,
                   struct arena *a, struct support_app *x, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int64_t all = 0;
	int rc;

	if (x->id_number == NULL || x->id_number[0] == '\0')
		return 0;
	if ((rc = support_count_duplicates(st, x->id, x->id_number, excl, &all, err)) < 0)
		return rc;
	if ((x->dups = arena_alloc(a, SP_DUPS_MAX * sizeof(*x->dups))) == NULL)
		return store_oom(err);
	role_mask_names(ROLE_MASK_OFFICIALS, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT o.id, o.programme, o.unit_code, o.status"
	                 " FROM support_applications o WHERE o.id_number = $1 AND o.id <> $2"
	                 " AND o.status <> 'rejected' AND " SP_IN_LIST("o.programme", "$3")
	                 " AND " SCOPE_SQL("o.unit_path", "$4", "$5") " ORDER BY o.id LIMIT $6",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, x->id_number);
	sql_bind_int64(s, 2, x->id);
	sql_bind_text(s, 3, excl);
	sql_bind_int64(s, 4, store_actor_uid(actor));
	sql_bind_text(s, 5, rn);
	sql_bind_int64(s, 6, SP_DUPS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct support_duplicate *d = &x->dups[x->ndups++];

		d->id = sql_col_int64(s, 0);
		d->programme = arena_strdup(a, sql_col_text(s, 1));
		d->unit_code = arena_strdup(a, sql_col_text(s, 2));
		d->status = arena_strdup(a, sql_col_text(s, 3));
	}
	sql_done(s);
	x->dups_elsewhere = all - (int64_t)x->ndups;
	return rc < 0 ? rc : 0;
}

static int sp_events(struct store *st, struct arena *a, struct support_app *x,
                     struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((x->events = arena_alloc(a, SP_EVENTS_MAX * sizeof(*x->events))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT at, action, step, level, on_day, deadline, late, note, actor"
	                 " FROM support_events WHERE application_id = $1 ORDER BY id LIMIT $2",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, x->id);
	sql_bind_int64(s, 2, SP_EVENTS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct support_event *e = &x->events[x->nevents++];

		e->at_ms = sql_col_int64(s, 0);
		e->action = arena_strdup(a, sql_col_text(s, 1));
		e->step = sql_col_int64(s, 2);
		e->level = arena_strdup(a, sql_col_text(s, 3));
		e->on_day = arena_strdup(a, sql_col_text(s, 4));
		e->deadline = arena_strdup(a, sql_col_text(s, 5));
		e->late = (int)sql_col_int64(s, 6);
		e->note = arena_strdup(a, sql_col_text(s, 7));
		e->actor = arena_strdup(a, sql_col_text(s, 8));
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

struct sp_get {
	int64_t id;
	const char *excl;
	struct arena *a;
	struct support_app *x;
};

static int sp_get_row(struct store *st, const struct store_actor *actor, int64_t id,
                      struct arena *a, struct support_app *x, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(ROLE_MASK_OFFICIALS, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT " SP_COLUMNS " FROM support_applications s WHERE s.id = $1"
	                 " AND " SCOPE_SQL("s.unit_path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1)
		sp_read_row(s, a, x);
	sql_done(s);
	if (rc == 0)
		return support_not_found(id, err);
	return rc < 0 ? rc : 0;
}

static int sp_get_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_get *G = ctx;
	int rc;

	if ((rc = sp_get_row(st, au->actor, G->id, G->a, G->x, err)) < 0 ||
	    (rc = sp_events(st, G->a, G->x, err)) < 0 ||
	    (G->excl && (rc = sp_dups(st, au->actor, G->excl, G->a, G->x, err)) < 0))
		return rc;
	au->action = "support.read";
	au->entity = "support_application";
	store_audit_id(au, G->id);
	au->unit_code = arena_strdup(&au->arena, G->x->unit_code);
	return au->unit_code ? 0 : store_oom(err);
}

int store_support_get(struct store *st, const struct store_actor *actor, int64_t id,
                      const char *excl, struct arena *a, struct support_app *out,
                      struct error *err)
{
	struct sp_get G = { .id = id, .excl = excl, .a = a, .x = out };

	return store_write(st, actor, sp_get_body, &G, err);
}

int store_support_programme_of(struct store *st, const struct store_actor *actor, int64_t id,
                               char *out, size_t outsz, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(ROLE_MASK_OFFICIALS, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT s.programme FROM support_applications s WHERE s.id = $1 AND "
	                 SCOPE_SQL("s.unit_path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1)
		rc = sql_col_copy(s, 0, out, outsz, err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	if (rc == 0)
		return support_not_found(id, err);
	return rc < 0 ? rc : 0;
}

/* ---- public posting ---- */

int store_support_postings(struct store *st, const char *commune, const char *programme,
                           const char *today, struct arena *a, struct support_posted **out,
                           size_t *n, int *truncated, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	*truncated = 0;
	if ((rc = sql_prepare(st, "SELECT 1 FROM units WHERE code = $1 AND level = 'commune'",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, commune);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_ENOTFOUND, "unit", "không có xã, phường mã '%.40s'",
		                    "no commune with code '%.40s'", commune);
	if (rc < 0)
		return rc;
	if ((*out = arena_alloc(a, (SUPPORT_LIST_MAX + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	/* Names and amounts only (and the line's number for an objection):
	 * nothing else leaves this query. */
	rc = sql_prepare(st, "SELECT s.full_name, s.amount, s.status, s.id FROM support_applications s"
	                 " WHERE s.commune_code = $1 AND s.programme = $2 AND s.status <> 'rejected'"
	                 " AND s.posted_from IS NOT NULL AND s.posted_from <= $3"
	                 " AND s.posted_until >= $3 ORDER BY s.full_name COLLATE vi, s.id LIMIT $4", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, commune);
	sql_bind_text(s, 2, programme);
	sql_bind_text(s, 3, today);
	sql_bind_int64(s, 4, SUPPORT_LIST_MAX + 1);
	while ((rc = sql_step(s, err)) == 1) {
		(*out)[k].full_name = arena_strdup(a, sql_col_text(s, 0));
		(*out)[k].amount = sql_col_int64(s, 1);
		(*out)[k].status = arena_strdup(a, sql_col_text(s, 2));
		(*out)[k].line = sql_col_int64(s, 3);
		k++;
	}
	sql_done(s);
	if (k > SUPPORT_LIST_MAX) {
		k = SUPPORT_LIST_MAX;
		*truncated = 1;
	}
	*n = k;
	return rc < 0 ? rc : 0;
}

/* ---- totals ---- */

int store_support_totals(struct store *st, const struct store_actor *actor, const char *unit,
                         struct arena *a, struct support_total **out, size_t *n,
                         struct error *err)
{
	char path[128];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((rc = store_scope_path(st, actor, unit, ROLE_MASK_OFFICIALS, path, sizeof(path),
	                           err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, 64 * sizeof(**out))) == NULL)
		return store_oom(err);
	/* Paid: the payments table, the record of each payment, not the
	 * running figure kept on the application. */
	rc = sql_prepare(st, "SELECT s.programme, COUNT(*),"
	                 " SUM(CASE WHEN s.status = 'pending' THEN 1 ELSE 0 END),"
	                 " SUM(CASE WHEN s.status = 'rejected' THEN 1 ELSE 0 END),"
	                 " SUM(CASE WHEN s.status IN ('approved','paid') THEN 1 ELSE 0 END),"
	                 " SUM(CASE WHEN s.status IN ('approved','paid') THEN s.amount ELSE 0 END),"
	                 " SUM(CASE WHEN s.status = 'paid' THEN 1 ELSE 0 END),"
	                 " SUM(COALESCE(p.total, 0)),"
	                 " SUM(CASE WHEN s.status IN ('approved','paid')"
	                 "  THEN s.amount - COALESCE(p.total, 0) ELSE 0 END)"
	                 " FROM support_applications s LEFT JOIN (SELECT application_id,"
	                 "  SUM(amount) AS total FROM support_payments GROUP BY application_id) p"
	                 "  ON p.application_id = s.id"
	                 " WHERE substr(s.unit_path, 1, length($1)) = $1"
	                 " GROUP BY s.programme ORDER BY s.programme LIMIT 64", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, path);
	while ((rc = sql_step(s, err)) == 1) {
		struct support_total *t = &(*out)[k++];

		t->programme = arena_strdup(a, sql_col_text(s, 0));
		t->applications = sql_col_int64(s, 1);
		t->pending = sql_col_int64(s, 2);
		t->rejected = sql_col_int64(s, 3);
		t->approved = sql_col_int64(s, 4);
		t->approved_amount = sql_col_int64(s, 5);
		t->paid = sql_col_int64(s, 6);
		t->paid_amount = sql_col_int64(s, 7);
		t->unpaid_amount = sql_col_int64(s, 8);
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

/* ---- no one left behind ---- */

struct sp_left {
	const char *commune;
	struct arena *a;
	struct support_left **out;
	size_t *n;
	int *truncated;
};

/* F0 and F1 under an isolation order, then households in a zone, of the
 * commune, who have no paid application (linked by person or household). */
#define SP_LEFT_SQL \
	"SELECT 'person', CASE WHEN MAX(i.case_id) IS NOT NULL OR EXISTS (SELECT 1 FROM cases c" \
	"  WHERE c.person_id = p.id) THEN 'f0' ELSE 'f1' END, p.id," \
	" p.unit_code, p.full_name FROM isolations i JOIN people p ON p.id = i.person_id" \
	" WHERE substr(i.unit_path, 1, length($1)) = $1 AND p.merged_into IS NULL" \
	" AND NOT EXISTS (SELECT 1 FROM support_applications s WHERE s.person_id = p.id" \
	"  AND s.status = 'paid')" \
	" GROUP BY p.id, p.unit_code, p.full_name" \
	" UNION ALL SELECT 'household', 'zone', 0, u.code, u.name FROM units u" \
	" WHERE u.level = 'household' AND substr(u.path, 1, length($1)) = $1" \
	" AND EXISTS (SELECT 1 FROM zones z WHERE substr(u.path, 1, length(z.unit_path)) = z.unit_path)" \
	" AND NOT EXISTS (SELECT 1 FROM support_applications s WHERE s.unit_code = u.code" \
	"  AND s.status = 'paid')" \
	" UNION ALL SELECT 'business', 'stopped', 0, b.unit_code, b.name FROM businesses b" \
	" WHERE b.household = 1 AND b.stop_order IS NOT NULL" \
	" AND substr(b.unit_path, 1, length($1)) = $1" \
	" AND NOT EXISTS (SELECT 1 FROM support_applications s WHERE s.programme = $3" \
	"  AND s.commune_code = b.unit_code AND s.status = 'paid' AND s.full_name = b.name)" \
	" ORDER BY 1, 4, 5 LIMIT $2"

static int sp_left_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_left *L = ctx;
	char path[128];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((rc = store_scope_path(st, au->actor, L->commune, ROLE_MASK_OFFICIALS, path,
	                           sizeof(path), err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, SP_LEFT_SQL, &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, path);
	sql_bind_int64(s, 2, SUPPORT_LEFT_MAX + 1);
	sql_bind_text(s, 3, SUPPORT_HOUSEHOLD_PROGRAMME);
	while ((rc = sql_step(s, err)) == 1) {
		struct support_left *l = &(*L->out)[k++];

		l->kind = arena_strdup(L->a, sql_col_text(s, 0));
		l->reason = arena_strdup(L->a, sql_col_text(s, 1));
		l->person_id = sql_col_int64(s, 2);
		l->unit_code = arena_strdup(L->a, sql_col_text(s, 3));
		l->name = arena_strdup(L->a, sql_col_text(s, 4));
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (k > SUPPORT_LEFT_MAX) {
		k = SUPPORT_LEFT_MAX;
		*L->truncated = 1;
	}
	*L->n = k;
	au->action = "support.left_behind";
	au->entity = "unit";
	au->unit_code = arena_strdup(&au->arena, L->commune);
	au->after = json_pack("{s:I}", "rows", (json_int_t)k);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_support_left_behind(struct store *st, const struct store_actor *actor,
                              const char *commune, struct arena *a, struct support_left **out,
                              size_t *n, int *truncated, struct error *err)
{
	struct sp_left L = { .commune = commune, .a = a, .out = out, .n = n,
	                     .truncated = truncated };

	*n = 0;
	*truncated = 0;
	if ((*out = arena_alloc(a, (SUPPORT_LEFT_MAX + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	return store_write(st, actor, sp_left_body, &L, err);
}
