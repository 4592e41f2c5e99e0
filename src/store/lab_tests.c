/*
 * Test results (xét nghiệm); a positive one may open a case in the same
 * transaction.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/role.h"
#include "store/cases-private.h"
#include "base/banned.h"

/* ---- tests ---- */

struct test_new {
	struct test_rec *t;
	struct case_rec *open_case;
};

/* A positive test that opens a case leaves "case.create", then "test.create". */
static int test_create_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct test_new *N = ctx;
	struct test_rec *t = N->t;
	struct case_rec *open_case = N->open_case;
	struct place pl = { .code = "" };
	struct person_use use = { "test", t->taken_on, t->result };
	struct sql_stmt *s;
	int rc;

	if ((rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, t->person.unit_code,
	                       "person.unit_code", &pl, err)) < 0 ||
	    (rc = person_resolve(st, actor, &t->person, &pl, &use, err)) < 0)
		return rc;
	if (open_case && strcmp(t->result, "positive") == 0) {
		open_case->person = t->person;
		open_case->test_type = t->test_type;
		/* The test's link already tells the home commune. */
		if ((rc = case_create_in_tx(st, au, open_case, 0, err)) < 0 ||
		    (rc = store_audit_flush(st, au, err)) < 0)
			return rc;
		t->case_id = open_case->id;
	}
	if ((rc = sql_prepare(st, "INSERT INTO tests (person_id, taken_on, test_type, result, case_id,"
	                      " unit_code, unit_path, province_code, created_at, created_by)"
	                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, t->person.id);
	sql_bind_text(s, 2, t->taken_on);
	sql_bind_text(s, 3, t->test_type);
	sql_bind_text(s, 4, t->result);
	place_bind_opt_id(s, 5, t->case_id);
	sql_bind_text(s, 6, pl.code);
	sql_bind_text(s, 7, pl.path);
	sql_bind_text(s, 8, pl.province);
	sql_bind_int64(s, 9, actor->now_ms);
	sql_bind_text(s, 10, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &t->id, err)) < 0)
		return rc;
	au->action = "test.create";
	au->entity = "test";
	store_audit_id(au, t->id);
	au->unit_code = arena_strdup(&au->arena, pl.code);
	au->after = json_pack("{s:I, s:s, s:s, s:s}", "person_id", (json_int_t)t->person.id,
	                      "taken_on", t->taken_on, "test_type", t->test_type, "result",
	                      t->result);
	if (au->unit_code == NULL || au->after == NULL)
		return store_oom(err);
	return 0;
}

int store_test_create(struct store *st, const struct store_actor *actor,
                      struct test_rec *t, struct case_rec *open_case,
                      struct error *err)
{
	struct test_new N = { t, open_case };

	t->case_id = 0;
	return store_write(st, actor, test_create_body, &N, err);
}
