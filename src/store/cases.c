/*
 * F0 cases: create, read, list, update.  Personal fields come from the
 * person record, which people.c keeps in the case's commune.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/case.h"
#include "domain/role.h"
#include "store/cases-private.h"
#include "base/banned.h"

/* ---- cases ---- */

/* The case as its audit rows show it; NULL when out of memory. */
static json_t *case_audit_json(const struct case_rec *c)
{
	return json_pack("{s:I, s:s?, s:s, s:s, s:s, s:s, s:s, s:b, s:s?, s:s?, s:s?}",
	                 "person_id", (json_int_t)c->person.id, "external_id", c->external_id,
	                 "unit_code", c->person.unit_code, "detected_on", c->detected_on,
	                 "source", c->source, "test_type", c->test_type,
	                 "severity", c->severity ? c->severity : "asymptomatic",
	                 "needs_oxygen", c->needs_oxygen,
	                 "care_place", c->care_place, "outcome", c->outcome,
	                 "outcome_on", c->outcome_on);
}

int case_insert(struct store *st, const struct store_actor *actor, struct case_rec *c,
                const struct place *pl, struct error *err)
{
	char wk[11], owk[11];
	struct sql_stmt *s;
	int oxygen = c->needs_oxygen || case_severity_needs_oxygen(c->severity);
	int rc;

	place_week_end(c->detected_on, wk);
	if (c->outcome_on && c->outcome_on[0])
		place_week_end(c->outcome_on, owk);
	if ((rc = sql_prepare(st, "INSERT INTO cases (external_id, person_id, unit_code, unit_path,"
	                      " commune_code, province_code, detected_on, detected_week, test_type,"
	                      " source, severity, needs_oxygen, care_place, outcome, outcome_on,"
	                      " outcome_week, cluster_id, infected_by, created_at, updated_at, created_by)"
	                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
	                      " $15, $16, $17, $18, $19, $19, $20) RETURNING id", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, c->external_id && c->external_id[0] ? c->external_id : NULL);
	sql_bind_int64(s, 2, c->person.id);
	sql_bind_text(s, 3, pl->code);
	sql_bind_text(s, 4, pl->path);
	sql_bind_text(s, 5, pl->commune);
	sql_bind_text(s, 6, pl->province);
	sql_bind_text(s, 7, c->detected_on);
	sql_bind_text(s, 8, wk);
	sql_bind_text(s, 9, c->test_type);
	sql_bind_text(s, 10, c->source);
	sql_bind_text(s, 11, c->severity && c->severity[0] ? c->severity : "asymptomatic");
	sql_bind_int64(s, 12, oxygen);
	sql_bind_text(s, 13, c->care_place && c->care_place[0] ? c->care_place : "home");
	sql_bind_text(s, 14, c->outcome && c->outcome[0] ? c->outcome : NULL);
	sql_bind_text(s, 15, c->outcome_on && c->outcome_on[0] ? c->outcome_on : NULL);
	sql_bind_text(s, 16, c->outcome_on && c->outcome_on[0] ? owk : NULL);
	place_bind_opt_id(s, 17, c->cluster_id);
	place_bind_opt_id(s, 18, c->infected_by);
	sql_bind_int64(s, 19, actor->now_ms);
	sql_bind_text(s, 20, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &c->id, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "trường 'external_id': mã '%.40s' đã có",
			          "field 'external_id': '%.40s' already exists",
			          c->external_id ? c->external_id : "");
		else if (rc == THC_ESTORE || rc == THC_EUNPROCESSABLE)
			error_prefix(err, "ca bệnh: ", "case: ");
		return rc;
	}
	c->needs_oxygen = oxygen;
	return 0;
}

/* A referenced case or cluster must exist and be in scope. */
static int ref_check(struct store *st, const struct store_actor *actor, const char *table,
                     const char *field, int64_t id, struct error *err)
{
	static const char *const sql_case = "SELECT 1 FROM cases c WHERE c.id = $1 AND "
		SCOPE_SQL("c.unit_path", "$2", "$3");
	static const char *const sql_cluster = "SELECT 1 FROM clusters c WHERE c.id = $1 AND "
		SCOPE_SQL("c.unit_path", "$2", "$3");
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int64_t one = 0;
	int rc;

	if (id <= 0)
		return 0;
	if ((rc = sql_prepare(st, strcmp(table, "cases") == 0 ? sql_case : sql_cluster, &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	if ((rc = sql_exec_stmt(s, &one, err)) < 0)
		return rc;
	if (!one)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                 "trường '%s': không có mã %lld trong phạm vi của bạn",
		                 "field '%s': no id %lld within your scope", field, (long long)id);
	return 0;
}

int case_create_in_tx(struct store *st, struct store_audit *au, struct case_rec *c,
                      int notify_home, struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct place pl = { .code = "" };
	struct person_use use = { "case", c->detected_on,
	                          place_nz(c->severity) ? c->severity : "asymptomatic" };
	int rc;

	if ((rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, c->person.unit_code,
	                       "person.unit_code", &pl, err)) < 0)
		return rc;
	if ((rc = ref_check(st, actor, "cases", "infected_by", c->infected_by, err)) < 0 ||
	    (rc = ref_check(st, actor, "clusters", "cluster_id", c->cluster_id, err)) < 0)
		return rc;
	if ((rc = person_resolve(st, actor, &c->person, &pl, notify_home ? &use : NULL, err)) < 0)
		return rc;
	if ((rc = case_insert(st, actor, c, &pl, err)) < 0)
		return rc;
	au->action = "case.create";
	au->entity = "case";
	store_audit_id(au, c->id);
	if ((au->unit_code = arena_strdup(&au->arena, pl.code)) == NULL ||
	    (au->after = case_audit_json(c)) == NULL)
		return store_oom(err);
	return 0;
}

static int case_create_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	return case_create_in_tx(st, au, ctx, 1, err);
}

int store_case_create(struct store *st, const struct store_actor *actor,
                      struct case_rec *c, struct error *err)
{
	return store_write(st, actor, case_create_body, c, err);
}

void case_from_row(struct sql_stmt *s, struct arena *a, struct case_rec *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sql_col_int64(s, 0);
	c->external_id = arena_strdup(a, sql_col_text(s, 1));
	c->person.id = sql_col_int64(s, 2);
	c->person.full_name = arena_strdup(a, sql_col_text(s, 3));
	c->person.id_number = arena_strdup(a, sql_col_text(s, 4));
	c->person.birth_year = sql_col_is_null(s, 5) ? -1 : sql_col_int64(s, 5);
	c->person.sex = arena_strdup(a, sql_col_text(s, 6));
	c->person.phone = arena_strdup(a, sql_col_text(s, 7));
	c->person.unit_code = arena_strdup(a, sql_col_text(s, 8));
	c->person.address = arena_strdup(a, sql_col_text(s, 9));
	c->detected_on = arena_strdup(a, sql_col_text(s, 10));
	c->source = arena_strdup(a, sql_col_text(s, 11));
	c->test_type = arena_strdup(a, sql_col_text(s, 12));
	c->severity = arena_strdup(a, sql_col_text(s, 13));
	c->care_place = arena_strdup(a, sql_col_text(s, 14));
	c->needs_oxygen = (int)sql_col_int64(s, 15);
	c->outcome = arena_strdup(a, sql_col_text(s, 16));
	c->outcome_on = arena_strdup(a, sql_col_text(s, 17));
	c->cluster_id = sql_col_is_null(s, 18) ? 0 : sql_col_int64(s, 18);
	c->infected_by = sql_col_is_null(s, 19) ? 0 : sql_col_int64(s, 19);
	c->unit_path = arena_strdup(a, sql_col_text(s, 20));
	c->commune_code = arena_strdup(a, sql_col_text(s, 21));
	c->province_code = arena_strdup(a, sql_col_text(s, 22));
	c->created_at_ms = sql_col_int64(s, 23);
	c->person.commune_code = arena_strdup(a, sql_col_text(s, 24));
	/* A record's person lives in its commune (people.c); one linked across
	 * communes before that rule (schema version 4) is not shown. */
	if (c->person.commune_code && c->commune_code &&
	    strcmp(c->person.commune_code, c->commune_code) != 0) {
		const char *commune = c->person.commune_code;

		memset(&c->person, 0, sizeof(c->person));
		c->person.birth_year = -1;
		c->person.commune_code = commune;
		c->person.unit_code = arena_strdup(a, sql_col_text(s, 8));
	}
}

/* Reads one case in scope (no audit). */
int case_read(struct store *st, const struct store_actor *actor, int64_t id,
              struct arena *a, struct case_rec *out, struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT " CASE_COLS " FROM cases c JOIN people p ON p.id = c.person_id"
	                      " WHERE c.id = $1 AND " SCOPE_SQL("c.unit_path", "$2", "$3"), &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	rc = sql_step(s, err);
	if (rc == 1)
		case_from_row(s, a, out);
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có ca bệnh %lld", "no case %lld",
		                 (long long)id);
	return rc < 0 ? rc : 0;
}

struct case_get {
	int64_t id;
	struct arena *a;
	struct case_rec *out;
};

static int case_get_body(struct store *st, void *ctx, struct store_audit *au,
                         struct error *err)
{
	const struct case_get *G = ctx;
	int rc;

	if ((rc = case_read(st, au->actor, G->id, G->a, G->out, err)) < 0)
		return rc;
	au->action = "person.read";
	au->entity = "person";
	store_audit_id(au, G->out->person.id);
	au->unit_code = G->out->person.unit_code;
	return 0;
}

int store_case_get(struct store *st, const struct store_actor *actor, int64_t id,
                   struct arena *a, struct case_rec *out, struct error *err)
{
	struct case_get G = { id, a, out };

	/* A write: reading a person records its audit row. */
	return store_write(st, actor, case_get_body, &G, err);
}

/* Lists of personal records need a grant of a role that may read them. */
static int actor_personal_check(struct store *st, const struct store_actor *actor,
                                struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int64_t one = 0;
	int rc;

	if ((rc = sql_prepare(st, "SELECT 1 FROM grants g WHERE CAST($1 AS BIGINT) = 0 OR"
	                      " (g.user_id = CAST($1 AS BIGINT) AND (',' || CAST($2 AS TEXT) || ',')"
	                      " LIKE ('%,' || g.role || ',%')) LIMIT 1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_text(s, 2, place_personal_roles(roles, sizeof(roles)));
	if ((rc = sql_exec_stmt(s, &one, err)) < 0)
		return rc;
	if (!one)
		return error_set(err, THC_ENOTFOUND, "không tìm thấy", "not found");
	return 0;
}

/* Unit filter by path prefix; dates compare as ISO text. */
#define CASES_LIST_SQL "SELECT " CASE_COLS " FROM cases c JOIN people p ON p.id = c.person_id" \
	" WHERE " SCOPE_SQL("c.unit_path", "$1", "$2") \
	" AND (CAST($3 AS TEXT) IS NULL OR substr(c.unit_path, 1, length(CAST($3 AS TEXT))) = CAST($3 AS TEXT))" \
	" AND (CAST($4 AS TEXT) IS NULL OR c.detected_on >= CAST($4 AS TEXT))" \
	" AND (CAST($5 AS TEXT) IS NULL OR c.detected_on <= CAST($5 AS TEXT))" \
	" AND c.id > $6 ORDER BY c.id LIMIT $7"

struct cases_list {
	const struct case_query *q;
	struct arena *a;
	struct case_rec *out;
	size_t n;
	int64_t next;
};

static int cases_list_body(struct store *st, void *ctx, struct store_audit *au,
                           struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct cases_list *L = ctx;
	const struct case_query *q = L->q;
	struct place pl = { .code = "" };
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if (q->unit) {
		/* Any level: a province or district lists its communes' cases. */
		if ((rc = store_scope_path(st, actor, q->unit, ROLE_MASK_PERSONAL, pl.path,
		                           sizeof(pl.path), err)) < 0)
			return rc;
	} else if ((rc = actor_personal_check(st, actor, err)) < 0) {
		return rc;
	}
	if ((rc = sql_prepare(st, CASES_LIST_SQL, &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_text(s, 2, place_personal_roles(roles, sizeof(roles)));
	sql_bind_text(s, 3, q->unit ? pl.path : NULL);
	sql_bind_text(s, 4, q->from);
	sql_bind_text(s, 5, q->to);
	sql_bind_int64(s, 6, q->cursor);
	sql_bind_int64(s, 7, q->limit + 1);
	while ((rc = sql_step(s, err)) == 1)
		case_from_row(s, L->a, &L->out[L->n++]);
	sql_done(s);
	if (rc < 0)
		return rc;
	if (L->n > (size_t)q->limit) {
		L->n = (size_t)q->limit;
		L->next = L->out[L->n - 1].id;
	}
	au->action = "cases.list";
	au->entity = "case";
	au->unit_code = q->unit ? q->unit : UNIT_COUNTRY_CODE;
	if ((au->after = json_pack("{s:I}", "rows", (json_int_t)L->n)) == NULL)
		return store_oom(err);
	return 0;
}

int store_cases_list(struct store *st, const struct store_actor *actor,
                     const struct case_query *q, struct arena *a,
                     struct case_rec **out, size_t *n, int64_t *next,
                     struct error *err)
{
	struct cases_list L = { .q = q, .a = a };
	int rc;

	*n = 0;
	*next = 0;
	if ((*out = L.out = arena_alloc(a, ((size_t)q->limit + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	/* A write: reading names records its audit row. */
	if ((rc = store_write(st, actor, cases_list_body, &L, err)) < 0)
		return rc;
	*n = L.n;
	*next = L.next;
	return 0;
}

int case_write_update(struct store *st, struct store_audit *au,
                      const struct case_rec *before, const struct case_rec *after,
                      const char *action, struct error *err)
{
	char wk[11], owk[11];
	struct sql_stmt *s;
	int rc;

	place_week_end(after->detected_on, wk);
	if (after->outcome_on)
		place_week_end(after->outcome_on, owk);
	if ((rc = sql_prepare(st, "UPDATE cases SET detected_on = $2, detected_week = $3,"
	                      " test_type = $4, source = $5, severity = $6, needs_oxygen = $7,"
	                      " care_place = $8, outcome = $9, outcome_on = $10, outcome_week = $11,"
	                      " updated_at = $12 WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, before->id);
	sql_bind_text(s, 2, after->detected_on);
	sql_bind_text(s, 3, wk);
	sql_bind_text(s, 4, after->test_type);
	sql_bind_text(s, 5, after->source);
	sql_bind_text(s, 6, after->severity);
	sql_bind_int64(s, 7, after->needs_oxygen);
	sql_bind_text(s, 8, after->care_place);
	sql_bind_text(s, 9, after->outcome);
	sql_bind_text(s, 10, after->outcome_on);
	sql_bind_text(s, 11, after->outcome_on ? owk : NULL);
	sql_bind_int64(s, 12, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = action;
	au->entity = "case";
	store_audit_id(au, before->id);
	au->before = case_audit_json(before);
	au->after = case_audit_json(after);
	if ((au->unit_code = arena_strdup(&au->arena, before->person.unit_code)) == NULL ||
	    au->before == NULL || au->after == NULL)
		return store_oom(err);
	return 0;
}

struct case_update {
	int64_t id;
	const struct case_patch *p;
};

static int case_update_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	const struct case_update *U = ctx;
	const struct case_patch *p = U->p;
	struct arena a = ARENA_INIT(0);
	struct case_rec before, after;
	int rc;

	if ((rc = case_read(st, au->actor, U->id, &a, &before, err)) < 0)
		goto out;
	after = before;
	if (p->severity)
		after.severity = p->severity;
	if (p->care_place)
		after.care_place = p->care_place;
	if (p->outcome)
		after.outcome = p->outcome;
	if (p->outcome_on)
		after.outcome_on = p->outcome_on;
	if (case_severity_needs_oxygen(after.severity))
		after.needs_oxygen = 1;
	if ((after.outcome == NULL) != (after.outcome_on == NULL)) {
		rc = error_set_at(err, THC_EUNPROCESSABLE, "outcome", "trường 'outcome' và 'outcome_on' phải đi cùng nhau",
		               "fields 'outcome' and 'outcome_on' go together");
		goto out;
	}
	if (after.outcome_on && strcmp(after.outcome_on, after.detected_on) < 0) {
		rc = error_set_at(err, THC_EUNPROCESSABLE, "outcome_on", "trường 'outcome_on': %s trước ngày phát hiện %s",
		               "field 'outcome_on': %s is before the detection day %s",
		               after.outcome_on, after.detected_on);
		goto out;
	}
	rc = case_write_update(st, au, &before, &after, "case.update", err);
out:
	arena_release(&a);
	return rc;
}

int store_case_update(struct store *st, const struct store_actor *actor, int64_t id,
                      const struct case_patch *p, struct error *err)
{
	struct case_update U = { id, p };

	return store_write(st, actor, case_update_body, &U, err);
}
