/*
 * Businesses: registration by an official or by the business's own
 * account, the lists in scope with the latest 2194 band, plans, workers on
 * site, self-assessments and the cases among workers; each change audited
 * in its transaction.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/business.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/store-private.h"
#include "base/banned.h"

#define BIZ_ROLES ROLE_MASK_OFFICIALS

/* Officials in scope ($R their roles), or the owner while its business
 * grant still holds the commune.  The case count is what the reader may
 * count: an official the cases in his scope, the owner its workers' (the
 * API shows the owner an aggregate that names no one). */
#define BIZ_SEE(uid, roles) \
	"(" SCOPE_SQL("b.unit_path", uid, roles) " OR (b.owner_id = CAST(" uid " AS BIGINT) AND " \
	SCOPE_SQL("b.unit_path", uid, "'business'") "))"

#define BIZ_COLUMNS \
	"b.id, b.tax_code, b.name, b.sector, b.unit_code, b.address, b.workers, b.owner_id," \
	" b.created_at, u.name, a.id, a.assessed_on, a.scores, a.index_tenths, a.band," \
	" a.created_at, (SELECT COUNT(*) FROM business_cases bc JOIN cases c ON c.id = bc.case_id" \
	"  WHERE bc.business_id = b.id AND (b.owner_id = CAST($2 AS BIGINT) OR " \
	SCOPE_SQL("c.unit_path", "$2", "$3") "))," \
	" CASE WHEN b.owner_id = CAST($2 AS BIGINT) AND NOT " SCOPE_SQL("b.unit_path", "$2", "$3") \
	" THEN 1 ELSE 0 END, b.household, b.stopped_from, b.stopped_until, b.stop_order"

#define BIZ_FROM \
	" FROM businesses b JOIN units u ON u.code = b.unit_code" \
	" LEFT JOIN business_assessments a ON a.id = (SELECT a2.id FROM business_assessments a2" \
	"  WHERE a2.business_id = b.id ORDER BY a2.assessed_on DESC, a2.id DESC LIMIT 1)"

static void biz_scores_read(const char *text, int64_t scores[BUSINESS_CRITERIA])
{
	const char *p = text ? text : "";

	for (size_t i = 0; i < BUSINESS_CRITERIA; i++) {
		char *end;

		scores[i] = strtoll(p, &end, 10);
		p = *end == ',' ? end + 1 : end;
	}
}

static void biz_scores_text(const int64_t scores[BUSINESS_CRITERIA], char out[128])
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < BUSINESS_CRITERIA && n < 120; i++)
		n += (size_t)snprintf(out + n, 128 - n, "%s%lld", i ? "," : "", (long long)scores[i]);
}

static void biz_assessment_read(struct sql_stmt *s, int col, struct arena *a,
                                struct business_assessment *as)
{
	memset(as, 0, sizeof(*as));
	if (sql_col_is_null(s, col))
		return;
	as->id = sql_col_int64(s, col);
	as->assessed_on = arena_strdup(a, sql_col_text(s, col + 1));
	biz_scores_read(sql_col_text(s, col + 2), as->scores);
	as->index_tenths = (int)sql_col_int64(s, col + 3);
	as->band = arena_strdup(a, sql_col_text(s, col + 4));
	as->created_at_ms = sql_col_int64(s, col + 5);
}

static void biz_read_row(struct sql_stmt *s, struct arena *a, struct business *b)
{
	memset(b, 0, sizeof(*b));
	b->id = sql_col_int64(s, 0);
	b->tax_code = arena_strdup(a, sql_col_text(s, 1));
	b->name = arena_strdup(a, sql_col_text(s, 2));
	b->sector = arena_strdup(a, sql_col_text(s, 3));
	b->unit_code = arena_strdup(a, sql_col_text(s, 4));
	b->address = arena_strdup(a, sql_col_text(s, 5));
	b->workers = sql_col_int64(s, 6);
	b->owned = !sql_col_is_null(s, 7);
	b->created_at_ms = sql_col_int64(s, 8);
	b->unit_name = arena_strdup(a, sql_col_text(s, 9));
	biz_assessment_read(s, 10, a, &b->latest);
	b->cases = sql_col_int64(s, 16);
	b->owner_view = (int)sql_col_int64(s, 17);
	b->household = (int)sql_col_int64(s, 18);
	b->stopped_from = arena_strdup(a, sql_col_text(s, 19));
	b->stopped_until = arena_strdup(a, sql_col_text(s, 20));
	b->stop_order = arena_strdup(a, sql_col_text(s, 21));
}

static int biz_not_found(int64_t id, struct error *err)
{
	return error_set(err, THC_ENOTFOUND, "không có doanh nghiệp số %lld trong phạm vi của bạn",
	                 "no business %lld within your scope", (long long)id);
}

/* ---- registration ---- */

/* The commune's path, and whether the actor registers as an official (0)
 * or as the business's own account (1). */
static int biz_commune(struct store *st, const struct store_actor *actor, const char *code,
                       char path[128], int *owner, struct error *err)
{
	struct error ignore = ERROR_INIT;
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT path FROM units WHERE code = $1 AND level = 'commune'", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	rc = sql_step(s, err);
	if (rc == 1)
		rc = sql_col_copy(s, 0, path, 128, err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	if (rc < 0)
		return rc;
	*owner = 0;
	if (rc == 1 && store_scope_check(st, actor, code, BIZ_ROLES, &ignore) == 0)
		return 0;
	*owner = 1;
	if (rc == 1 && store_scope_check(st, actor, code, ROLE_BIT(ROLE_BUSINESS), &ignore) == 0)
		return 0;
	return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
	                    "trường 'unit_code': không có xã, phường mã '%.40s' trong phạm vi của bạn",
	                    "field 'unit_code': no commune with code '%.40s' within your scope", code);
}

/* A tax code taken by a business the actor sees (officials in scope, or
 * its own): 409 naming it.  One out of sight is not told: a refusal would
 * say that it exists. */
static int biz_tax_taken(struct store *st, const struct store_actor *actor,
                         const char *tax_code, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int64_t other = 0;
	int rc;

	role_mask_names(BIZ_ROLES, rn, sizeof(rn));
	if ((rc = sql_prepare(st, "SELECT b.id FROM businesses b WHERE b.tax_code = $1 AND "
	                      BIZ_SEE("$2", "$3") " ORDER BY b.id LIMIT 1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, tax_code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1)
		other = sql_col_int64(s, 0);
	sql_done(s);
	if (rc == 1)
		return error_set_at(err, THC_ECONFLICT, "tax_code",
		                    "trường 'tax_code': mã số thuế %s đã được đăng ký (doanh nghiệp số %lld)",
		                    "field 'tax_code': tax code %s is already registered (business %lld)",
		                    tax_code, (long long)other);
	return rc;
}

static int biz_create_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct business *b = ctx;
	char path[128];
	struct sql_stmt *s;
	int owner, rc;

	if ((rc = biz_commune(st, au->actor, b->unit_code, path, &owner, err)) < 0 ||
	    (rc = biz_tax_taken(st, au->actor, b->tax_code, err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO businesses (tax_code, name, sector, unit_code, unit_path,"
	                 " address, workers, owner_id, created_at, household, stop_order, stopped_from,"
	                 " stopped_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
	                 " $13) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, b->tax_code);
	sql_bind_text(s, 2, b->name);
	sql_bind_text(s, 3, b->sector);
	sql_bind_text(s, 4, b->unit_code);
	sql_bind_text(s, 5, path);
	sql_bind_text(s, 6, b->address);
	sql_bind_int64(s, 7, b->workers);
	if (owner)
		sql_bind_int64(s, 8, au->actor->user_id);
	else
		sql_bind_null(s, 8);
	sql_bind_int64(s, 9, au->actor->now_ms);
	sql_bind_int64(s, 10, b->household ? 1 : 0);
	sql_bind_text(s, 11, b->stop_order);
	sql_bind_text(s, 12, b->stopped_from);
	sql_bind_text(s, 13, b->stopped_until);
	if ((rc = sql_exec_stmt(s, &b->id, err)) < 0)
		return rc;
	b->owned = owner;
	b->created_at_ms = au->actor->now_ms;
	au->action = "business.create";
	au->entity = "business";
	store_audit_id(au, b->id);
	au->unit_code = arena_strdup(&au->arena, b->unit_code);
	au->after = json_pack("{s:s,s:s,s:s,s:s,s:I,s:b,s:b,s:s?}", "tax_code", b->tax_code,
	                      "name", b->name, "sector", b->sector, "unit_code", b->unit_code,
	                      "workers", (json_int_t)b->workers, "owned", owner,
	                      "household", b->household, "stop_order", b->stop_order);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_business_create(struct store *st, const struct store_actor *actor,
                          struct business *b, struct error *err)
{
	return store_write(st, actor, biz_create_body, b, err);
}

/* ---- reading ---- */

/*
 * The officials' list, one statement per order (the statement cache keys
 * on the literal): the keyset cursor (K, id) past the last row ($9 whether
 * there is one, $10 its key, $1 its id), then the filters.
 */
#define BIZ_LIST_SQL(K, T, OP, DIR) \
	"SELECT " BIZ_COLUMNS BIZ_FROM \
	" WHERE " KEYSET_SQL(K, T, OP, "b.id", "$9", "$10", "$1") " AND " BIZ_SEE("$2", "$3") \
	" AND (CAST($4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM units top" \
	"  WHERE top.code = $4 AND substr(b.unit_path, 1, length(top.path)) = top.path))" \
	" AND (CAST($5 AS TEXT) IS NULL OR a.band = $5)" \
	" AND (CAST($6 AS BIGINT) = 0 OR a.id IS NULL OR a.assessed_on < $7)" \
	" ORDER BY " K " " DIR ", b.id " DIR " LIMIT $8"
#define BIZ_LIST_BOTH(K, T) { BIZ_LIST_SQL(K, T, ">", "ASC"), BIZ_LIST_SQL(K, T, "<", "DESC") }

/* Never assessed: a risk below every index, a day before every day.  Names
 * in Vietnamese order (schema step 23). */
static const char *const biz_list_sql[BUSINESS_SORT_COUNT][2] = {
	[BUSINESS_SORT_ID] = BIZ_LIST_BOTH("b.id", "BIGINT"),
	[BUSINESS_SORT_NAME] = BIZ_LIST_BOTH("b.name COLLATE vi", "TEXT"),
	[BUSINESS_SORT_TAX_CODE] = BIZ_LIST_BOTH("b.tax_code", "TEXT"),
	[BUSINESS_SORT_COMMUNE] = BIZ_LIST_BOTH("u.name COLLATE vi", "TEXT"),
	[BUSINESS_SORT_WORKERS] = BIZ_LIST_BOTH("b.workers", "BIGINT"),
	[BUSINESS_SORT_RISK] = BIZ_LIST_BOTH("COALESCE(a.index_tenths, -1)", "BIGINT"),
	[BUSINESS_SORT_DUE] = BIZ_LIST_BOTH("COALESCE(a.assessed_on, '')", "TEXT"),
};

int store_business_list(struct store *st, const struct store_actor *actor,
                        const struct business_query *q, struct arena *a,
                        struct business **out, size_t *n, int64_t *next, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	*next = 0;
	if ((unsigned)q->sort >= BUSINESS_SORT_COUNT)
		return error_set(err, THC_EINVAL, "thứ tự không hợp lệ", "invalid order");
	if ((*out = arena_alloc(a, (size_t)(q->limit + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	if (q->unit && (rc = store_scope_check(st, actor, q->unit, BIZ_ROLES |
	                                       ROLE_BIT(ROLE_BUSINESS), err)) < 0)
		return rc;
	role_mask_names(BIZ_ROLES, rn, sizeof(rn));
	if ((rc = sql_prepare(st, biz_list_sql[q->sort][q->desc != 0], &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, q->after);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	sql_bind_text(s, 4, q->unit);
	sql_bind_text(s, 5, q->band);
	sql_bind_int64(s, 6, q->overdue);
	sql_bind_text(s, 7, q->due_before ? q->due_before : "");
	sql_bind_int64(s, 8, q->limit + 1);
	sql_bind_int64(s, 9, q->after > 0);
	if (BUSINESS_SORT_TEXT(q->sort))
		sql_bind_text(s, 10, q->after_text ? q->after_text : "");
	else
		sql_bind_int64(s, 10, q->sort == BUSINESS_SORT_ID ? q->after : q->after_num);
	while ((rc = sql_step(s, err)) == 1)
		biz_read_row(s, a, &(*out)[k++]);
	sql_done(s);
	if (rc < 0)
		return rc;
	if ((int64_t)k > q->limit) {
		k = (size_t)q->limit;
		*next = (*out)[k - 1].id;
	}
	*n = k;
	return 0;
}

static int biz_plans(struct store *st, struct arena *a, struct business *b, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((b->plans = arena_alloc(a, BUSINESS_DETAIL_MAX * sizeof(*b->plans))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT id, kind, starts_on, ends_on, workers_on_site, shifts, lodging,"
	                 " note, created_at FROM business_plans WHERE business_id = $1"
	                 " ORDER BY starts_on DESC, id DESC LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, b->id);
	sql_bind_int64(s, 2, BUSINESS_DETAIL_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct business_plan *p = &b->plans[k++];

		p->id = sql_col_int64(s, 0);
		p->kind = arena_strdup(a, sql_col_text(s, 1));
		p->starts_on = arena_strdup(a, sql_col_text(s, 2));
		p->ends_on = arena_strdup(a, sql_col_text(s, 3));
		p->workers_on_site = sql_col_int64(s, 4);
		p->shifts = sql_col_int64(s, 5);
		p->lodging = arena_strdup(a, sql_col_text(s, 6));
		p->note = arena_strdup(a, sql_col_text(s, 7));
		p->created_at_ms = sql_col_int64(s, 8);
	}
	sql_done(s);
	b->nplans = k;
	return rc < 0 ? rc : 0;
}

static int biz_assessments(struct store *st, struct arena *a, struct business *b,
                           struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((b->assessments = arena_alloc(a, BUSINESS_DETAIL_MAX * sizeof(*b->assessments))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT id, assessed_on, scores, index_tenths, band, created_at"
	                 " FROM business_assessments WHERE business_id = $1"
	                 " ORDER BY assessed_on DESC, id DESC LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, b->id);
	sql_bind_int64(s, 2, BUSINESS_DETAIL_MAX);
	while ((rc = sql_step(s, err)) == 1)
		biz_assessment_read(s, 0, a, &b->assessments[k++]);
	sql_done(s);
	b->nassessments = k;
	return rc < 0 ? rc : 0;
}

static int biz_days(struct store *st, struct arena *a, struct business *b, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((b->days = arena_alloc(a, BUSINESS_DETAIL_MAX * sizeof(*b->days))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT day, on_site FROM business_on_site WHERE business_id = $1"
	                 " ORDER BY day DESC LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, b->id);
	sql_bind_int64(s, 2, BUSINESS_DETAIL_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		b->days[k].day = arena_strdup(a, sql_col_text(s, 0));
		b->days[k++].on_site = sql_col_int64(s, 1);
	}
	sql_done(s);
	b->ndays = k;
	return rc < 0 ? rc : 0;
}

/* The business as the actor may see it (roles: the officials' mask; the
 * owner always), without its details. */
static int biz_one(struct store *st, const struct store_actor *actor, int64_t id,
                   unsigned roles, int owner_too, struct arena *a, struct business *b,
                   struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(roles, rn, sizeof(rn));
	rc = sql_prepare(st, owner_too
	                 ? "SELECT " BIZ_COLUMNS BIZ_FROM " WHERE b.id = $1 AND " BIZ_SEE("$2", "$3")
	                 : "SELECT " BIZ_COLUMNS BIZ_FROM " WHERE b.id = $1 AND "
	                   SCOPE_SQL("b.unit_path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1)
		biz_read_row(s, a, b);
	sql_done(s);
	if (rc < 0)
		return rc;
	return rc == 0 ? biz_not_found(id, err) : 0;
}

/* The inspections joined by tax code: an official's in his scope, the
 * owner's account only the public ones. */
static int biz_inspections(struct store *st, const struct store_actor *actor, struct arena *a,
                           struct business *b, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((b->inspections = arena_alloc(a, BUSINESS_DETAIL_MAX * sizeof(*b->inspections))) == NULL)
		return store_oom(err);
	role_mask_names(BIZ_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT i.id, i.title, i.status, i.concluded_on FROM inspections i"
	                 " WHERE i.tax_code = $1 AND (" SCOPE_SQL("i.target_path", "$2", "$3")
	                 " OR ($4 = 1 AND i.public = 1 AND i.status = 'concluded'))"
	                 " ORDER BY i.id DESC LIMIT $5", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, b->tax_code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	sql_bind_int64(s, 4, b->owner_view);
	sql_bind_int64(s, 5, BUSINESS_DETAIL_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct business_inspection *x = &b->inspections[k++];

		x->id = sql_col_int64(s, 0);
		x->title = arena_strdup(a, sql_col_text(s, 1));
		x->status = arena_strdup(a, sql_col_text(s, 2));
		x->concluded_on = arena_strdup(a, sql_col_text(s, 3));
	}
	sql_done(s);
	b->ninspections = k;
	return rc < 0 ? rc : 0;
}

/* The ids of the cases among its workers that the reader may read. */
static int biz_worker_cases(struct store *st, const struct store_actor *actor, struct arena *a,
                            struct business *b, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((b->worker_cases = arena_alloc(a, BUSINESS_DETAIL_MAX * sizeof(*b->worker_cases))) == NULL)
		return store_oom(err);
	role_mask_names(ROLE_MASK_PERSONAL, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT c.id FROM business_cases bc JOIN cases c ON c.id = bc.case_id"
	                 " WHERE bc.business_id = $1 AND " SCOPE_SQL("c.unit_path", "$2", "$3")
	                 " ORDER BY c.id LIMIT $4", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, b->id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	sql_bind_int64(s, 4, BUSINESS_DETAIL_MAX);
	while ((rc = sql_step(s, err)) == 1)
		b->worker_cases[k++] = sql_col_int64(s, 0);
	sql_done(s);
	b->nworker_cases = k;
	return rc < 0 ? rc : 0;
}

int store_business_get(struct store *st, const struct store_actor *actor, int64_t id,
                       struct arena *a, struct business *out, struct error *err)
{
	int rc;

	if ((rc = biz_one(st, actor, id, BIZ_ROLES, 1, a, out, err)) < 0 ||
	    (rc = biz_plans(st, a, out, err)) < 0 || (rc = biz_assessments(st, a, out, err)) < 0 ||
	    (rc = biz_inspections(st, actor, a, out, err)) < 0 ||
	    (rc = biz_worker_cases(st, actor, a, out, err)) < 0)
		return rc;
	return biz_days(st, a, out, err);
}

/* ---- writes on one business ---- */

struct biz_write {
	int64_t id;
	struct business b;
	struct business_plan *plan;
	struct business_assessment *as;
	const char *day;
	int64_t on_site, case_id;
	struct arena *a;
};

/* The business, visible to the writer (officials in scope or owner), and
 * the audit row's frame. */
static int biz_write_start(struct store *st, struct biz_write *W, struct store_audit *au,
                           const char *action, struct error *err)
{
	int rc;

	if ((rc = biz_one(st, au->actor, W->id, BIZ_ROLES, 1, &au->arena, &W->b, err)) < 0)
		return rc;
	au->action = action;
	au->entity = "business";
	store_audit_id(au, W->id);
	au->unit_code = W->b.unit_code;
	return 0;
}

static int biz_plan_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct biz_write *W = ctx;
	struct business_plan *p = W->plan;
	struct sql_stmt *s;
	int rc;

	if ((rc = biz_write_start(st, W, au, "business.plan", err)) < 0)
		return rc;
	if (p->workers_on_site > W->b.workers)
		return error_set_at(err, THC_EUNPROCESSABLE, "workers_on_site",
		                    "trường 'workers_on_site': nhiều hơn số lao động đã đăng ký (%lld)",
		                    "field 'workers_on_site': more than the registered workers (%lld)",
		                    (long long)W->b.workers);
	rc = sql_prepare(st, "INSERT INTO business_plans (business_id, kind, starts_on, ends_on,"
	                 " workers_on_site, shifts, lodging, note, created_at) VALUES ($1, $2, $3,"
	                 " $4, $5, $6, $7, $8, $9) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, W->id);
	sql_bind_text(s, 2, p->kind);
	sql_bind_text(s, 3, p->starts_on);
	sql_bind_text(s, 4, p->ends_on);
	sql_bind_int64(s, 5, p->workers_on_site);
	sql_bind_int64(s, 6, p->shifts);
	sql_bind_text(s, 7, p->lodging);
	sql_bind_text(s, 8, p->note);
	sql_bind_int64(s, 9, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, &p->id, err)) < 0)
		return rc;
	p->created_at_ms = au->actor->now_ms;
	au->after = json_pack("{s:I,s:s,s:s,s:s,s:I,s:I}", "plan_id", (json_int_t)p->id,
	                      "kind", p->kind, "starts_on", p->starts_on, "ends_on", p->ends_on,
	                      "workers_on_site", (json_int_t)p->workers_on_site,
	                      "shifts", (json_int_t)p->shifts);
	return au->after ? 0 : store_oom(err);
}

int store_business_plan_add(struct store *st, const struct store_actor *actor,
                            int64_t business_id, struct business_plan *p, struct error *err)
{
	struct biz_write W = { .id = business_id, .plan = p };

	return store_write(st, actor, biz_plan_body, &W, err);
}

/* The day's figure before the change, or -1. */
static int biz_day_before(struct store *st, struct biz_write *W, int64_t *before,
                          struct error *err)
{
	struct sql_stmt *s;
	int rc;

	*before = -1;
	rc = sql_prepare(st, "SELECT on_site FROM business_on_site WHERE business_id = $1 AND day = $2",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, W->id);
	sql_bind_text(s, 2, W->day);
	if ((rc = sql_step(s, err)) == 1)
		*before = sql_col_int64(s, 0);
	sql_done(s);
	return rc < 0 ? rc : 0;
}

static int biz_on_site_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	struct biz_write *W = ctx;
	struct sql_stmt *s;
	int64_t before;
	int rc;

	if ((rc = biz_write_start(st, W, au, "business.on_site", err)) < 0 ||
	    (rc = biz_day_before(st, W, &before, err)) < 0)
		return rc;
	if (W->on_site > W->b.workers)
		return error_set_at(err, THC_EUNPROCESSABLE, "on_site",
		                    "trường 'on_site': nhiều hơn số lao động đã đăng ký (%lld)",
		                    "field 'on_site': more than the registered workers (%lld)",
		                    (long long)W->b.workers);
	rc = sql_prepare(st, "INSERT INTO business_on_site (business_id, day, on_site)"
	                 " VALUES ($1, $2, $3) ON CONFLICT (business_id, day)"
	                 " DO UPDATE SET on_site = excluded.on_site", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, W->id);
	sql_bind_text(s, 2, W->day);
	sql_bind_int64(s, 3, W->on_site);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	if (before >= 0)
		au->before = json_pack("{s:s,s:I}", "day", W->day, "on_site", (json_int_t)before);
	au->after = json_pack("{s:s,s:I}", "day", W->day, "on_site", (json_int_t)W->on_site);
	return au->after ? 0 : store_oom(err);
}

int store_business_on_site(struct store *st, const struct store_actor *actor,
                           int64_t business_id, const char *day, int64_t on_site,
                           struct error *err)
{
	struct biz_write W = { .id = business_id, .day = day, .on_site = on_site };

	return store_write(st, actor, biz_on_site_body, &W, err);
}

static int biz_assess_body(struct store *st, void *ctx, struct store_audit *au,
                           struct error *err)
{
	struct biz_write *W = ctx;
	struct business_assessment *as = W->as;
	char scores[128];
	struct sql_stmt *s;
	int rc;

	if ((rc = biz_write_start(st, W, au, "business.assess", err)) < 0)
		return rc;
	biz_scores_text(as->scores, scores);
	rc = sql_prepare(st, "INSERT INTO business_assessments (business_id, assessed_on, scores,"
	                 " index_tenths, band, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
	                 " RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, W->id);
	sql_bind_text(s, 2, as->assessed_on);
	sql_bind_text(s, 3, scores);
	sql_bind_int64(s, 4, as->index_tenths);
	sql_bind_text(s, 5, as->band);
	sql_bind_int64(s, 6, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, &as->id, err)) < 0)
		return rc;
	as->created_at_ms = au->actor->now_ms;
	au->after = json_pack("{s:I,s:s,s:s,s:I,s:s}", "assessment_id", (json_int_t)as->id,
	                      "assessed_on", as->assessed_on, "scores", scores,
	                      "index_tenths", (json_int_t)as->index_tenths, "band", as->band);
	return au->after ? 0 : store_oom(err);
}

int store_business_assess(struct store *st, const struct store_actor *actor,
                          int64_t business_id, struct business_assessment *as,
                          struct error *err)
{
	struct biz_write W = { .id = business_id, .as = as };

	return store_write(st, actor, biz_assess_body, &W, err);
}

/* The case, readable by the actor (ROLE_MASK_PERSONAL), not yet linked. */
static int biz_case_check(struct store *st, struct biz_write *W, const struct store_actor *actor,
                          struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(ROLE_MASK_PERSONAL, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT (SELECT bc.business_id FROM business_cases bc"
	                 " WHERE bc.case_id = c.id) FROM cases c WHERE c.id = $1 AND "
	                 SCOPE_SQL("c.unit_path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, W->case_id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	rc = sql_step(s, err);
	if (rc == 1 && !sql_col_is_null(s, 0))
		rc = 2;
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "case_id",
		                    "trường 'case_id': không có ca bệnh số %lld trong phạm vi của bạn",
		                    "field 'case_id': no case %lld within your scope",
		                    (long long)W->case_id);
	if (rc == 2)
		return error_set_at(err, THC_ECONFLICT, "case_id",
		                    "trường 'case_id': ca bệnh đã gắn với một nơi làm việc",
		                    "field 'case_id': the case is already linked to a workplace");
	return rc < 0 ? rc : 0;
}

static int biz_case_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct biz_write *W = ctx;
	struct sql_stmt *s;
	int rc;

	if ((rc = biz_one(st, au->actor, W->id, ROLE_MASK_PERSONAL, 0, &au->arena, &W->b, err)) < 0 ||
	    (rc = biz_case_check(st, W, au->actor, err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO business_cases (business_id, case_id, created_at)"
	                 " VALUES ($1, $2, $3)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, W->id);
	sql_bind_int64(s, 2, W->case_id);
	sql_bind_int64(s, 3, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = "business.case_link";
	au->entity = "business";
	store_audit_id(au, W->id);
	au->unit_code = W->b.unit_code;
	au->after = json_pack("{s:I}", "case_id", (json_int_t)W->case_id);
	W->on_site = W->b.cases + 1;    /* the count read before, with this one */
	return au->after ? 0 : store_oom(err);
}

int store_business_case_link(struct store *st, const struct store_actor *actor,
                             int64_t business_id, int64_t case_id, int64_t *cases,
                             struct error *err)
{
	struct biz_write W = { .id = business_id, .case_id = case_id };
	int rc = store_write(st, actor, biz_case_body, &W, err);

	*cases = rc < 0 ? 0 : W.on_site;
	return rc;
}
