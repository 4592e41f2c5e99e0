/*
 * A case's file for its page: lab tests and isolations around the case,
 * read in the reader's scope; and a person's phone and address edited.
 */
#include <jansson.h>
#include <string.h>

#include "domain/role.h"
#include "store/cases-private.h"
#include "store/casefile.h"
#include "base/banned.h"

struct casefile_run {
	int64_t id;
	struct arena *a;
	struct casefile *out;
};

/* $1 person, $2 uid, $3 roles, $4 limit */
#define CASEFILE_TESTS_SQL "SELECT t.id, t.case_id, t.taken_on, t.test_type, t.result" \
	" FROM tests t WHERE t.person_id = $1 AND " SCOPE_SQL("t.unit_path", "$2", "$3") \
	" ORDER BY t.taken_on DESC, t.id DESC LIMIT $4"

/* $1 case, $2 person, $3 uid, $4 roles, $5 limit */
#define CASEFILE_ISOLATIONS_SQL "SELECT i.id, i.person_id, i.case_id, i.contact_id, p.full_name," \
	" i.kind, i.unit_code, i.started_on, i.planned_end, i.released_on" \
	" FROM isolations i JOIN people p ON p.id = i.person_id" \
	" WHERE (i.case_id = $1 OR i.person_id = $2" \
	" OR i.contact_id IN (SELECT k.id FROM contacts k WHERE k.case_id = $1))" \
	" AND " SCOPE_SQL("i.unit_path", "$3", "$4") \
	" ORDER BY i.started_on DESC, i.id DESC LIMIT $5"

static int casefile_tests(struct store *st, const struct store_actor *actor, int64_t person,
                          struct arena *a, struct casefile *f, struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if ((f->tests = arena_alloc(a, CASEFILE_ROWS_MAX * sizeof(*f->tests))) == NULL)
		return store_oom(err);
	if ((rc = sql_prepare(st, CASEFILE_TESTS_SQL, &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, person);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	sql_bind_int64(s, 4, CASEFILE_ROWS_MAX);
	while (f->ntests < CASEFILE_ROWS_MAX && (rc = sql_step(s, err)) == 1) {
		struct casefile_test *t = &f->tests[f->ntests++];

		t->id = sql_col_int64(s, 0);
		t->case_id = sql_col_is_null(s, 1) ? 0 : sql_col_int64(s, 1);
		t->taken_on = arena_strdup(a, sql_col_text(s, 2));
		t->test_type = arena_strdup(a, sql_col_text(s, 3));
		t->result = arena_strdup(a, sql_col_text(s, 4));
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

static int casefile_isolations(struct store *st, const struct store_actor *actor, int64_t id,
                               int64_t person, struct arena *a, struct casefile *f,
                               struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if ((f->isolations = arena_alloc(a, CASEFILE_ROWS_MAX * sizeof(*f->isolations))) == NULL)
		return store_oom(err);
	if ((rc = sql_prepare(st, CASEFILE_ISOLATIONS_SQL, &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, person);
	sql_bind_int64(s, 3, store_actor_uid(actor));
	sql_bind_text(s, 4, place_personal_roles(roles, sizeof(roles)));
	sql_bind_int64(s, 5, CASEFILE_ROWS_MAX);
	while (f->nisolations < CASEFILE_ROWS_MAX && (rc = sql_step(s, err)) == 1) {
		struct casefile_isolation *i = &f->isolations[f->nisolations++];

		i->id = sql_col_int64(s, 0);
		i->person_id = sql_col_int64(s, 1);
		i->case_id = sql_col_is_null(s, 2) ? 0 : sql_col_int64(s, 2);
		i->contact_id = sql_col_is_null(s, 3) ? 0 : sql_col_int64(s, 3);
		i->full_name = arena_strdup(a, sql_col_text(s, 4));
		i->kind = arena_strdup(a, sql_col_text(s, 5));
		i->unit_code = arena_strdup(a, sql_col_text(s, 6));
		i->started_on = arena_strdup(a, sql_col_text(s, 7));
		i->planned_end = arena_strdup(a, sql_col_text(s, 8));
		i->released_on = arena_strdup(a, sql_col_text(s, 9));
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

static int casefile_body(struct store *st, void *ctx, struct store_audit *au,
                         struct error *err)
{
	struct casefile_run *R = ctx;
	struct case_rec c;
	int rc;

	if ((rc = case_read(st, au->actor, R->id, R->a, &c, err)) < 0)
		return rc;
	if ((rc = casefile_tests(st, au->actor, c.person.id, R->a, R->out, err)) < 0 ||
	    (rc = casefile_isolations(st, au->actor, R->id, c.person.id, R->a, R->out, err)) < 0)
		return rc;
	au->action = "person.read";
	au->entity = "person";
	store_audit_id(au, c.person.id);
	if ((au->unit_code = arena_strdup(&au->arena, c.person.unit_code)) == NULL)
		return store_oom(err);
	return 0;
}

int store_case_file(struct store *st, const struct store_actor *actor, int64_t id,
                    struct arena *a, struct casefile *out, struct error *err)
{
	struct casefile_run R = { id, a, out };

	memset(out, 0, sizeof(*out));
	return store_write(st, actor, casefile_body, &R, err);
}

/* ---- a person's contact details ---- */

struct person_update {
	int64_t id;
	const struct person_patch *p;
};

static json_t *person_contact_json(const char *phone, const char *address)
{
	return json_pack("{s:s?,s:s?}", "phone", phone, "address", address);
}

static int person_update_body(struct store *st, void *ctx, struct store_audit *au,
                              struct error *err)
{
	const struct person_update *U = ctx;
	char roles[ROLE_NAMES_MAX];
	struct arena a = ARENA_INIT(0);
	const char *phone = NULL, *address = NULL, *unit = NULL;
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT p.phone, p.address, p.unit_code FROM people p"
	                      " WHERE p.id = $1 AND p.merged_into IS NULL AND "
	                      SCOPE_SQL("p.unit_path", "$2", "$3"), &s, err)) < 0)
		goto out;
	sql_bind_int64(s, 1, U->id);
	sql_bind_int64(s, 2, store_actor_uid(au->actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	if ((rc = sql_step(s, err)) == 1) {
		phone = arena_strdup(&a, sql_col_text(s, 0));
		address = arena_strdup(&a, sql_col_text(s, 1));
		unit = arena_strdup(&au->arena, sql_col_text(s, 2));
	}
	sql_done(s);
	if (rc == 0)
		rc = error_set(err, THC_ENOTFOUND, "không có người %lld", "no person %lld",
		               (long long)U->id);
	if (rc < 0)
		goto out;
	au->before = person_contact_json(phone, address);
	if (U->p->phone)
		phone = place_nz(U->p->phone);
	if (U->p->address)
		address = place_nz(U->p->address);
	au->after = person_contact_json(phone, address);
	if ((rc = sql_prepare(st, "UPDATE people SET phone = $2, address = $3, updated_at = $4"
	                      " WHERE id = $1", &s, err)) < 0)
		goto out;
	sql_bind_int64(s, 1, U->id);
	sql_bind_text(s, 2, phone);
	sql_bind_text(s, 3, address);
	sql_bind_int64(s, 4, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		goto out;
	au->action = "person.update";
	au->entity = "person";
	store_audit_id(au, U->id);
	au->unit_code = unit;
	if (au->before == NULL || au->after == NULL || unit == NULL)
		rc = store_oom(err);
out:
	arena_release(&a);
	return rc;
}

int store_person_update(struct store *st, const struct store_actor *actor, int64_t id,
                        const struct person_patch *p, struct error *err)
{
	struct person_update U = { id, p };

	return store_write(st, actor, person_update_body, &U, err);
}
