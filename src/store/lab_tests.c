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

int store_test_create(struct store *st, const struct store_actor *actor,
                      struct test_rec *t, struct case_rec *open_case,
                      struct error *err)
{
	struct place pl = { .code = "" };
	struct person_use use = { "test", t->taken_on, t->result };
	struct sql_stmt *s;
	char eid[24], *aj;
	int rc;

	t->case_id = 0;
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, t->person.unit_code,
	                       "person.unit_code", &pl, err)) < 0 ||
	    (rc = person_resolve(st, actor, &t->person, &pl, &use, err)) < 0)
		goto fail;
	if (open_case && strcmp(t->result, "positive") == 0) {
		open_case->person = t->person;
		open_case->test_type = t->test_type;
		/* The test's link already tells the home commune. */
		if ((rc = case_create_in_tx(st, actor, open_case, 0, err)) < 0)
			goto fail;
		t->case_id = open_case->id;
	}
	if ((rc = sql_prepare(st, "INSERT INTO tests (person_id, taken_on, test_type, result, case_id,"
	                      " unit_code, unit_path, province_code, created_at, created_by)"
	                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id", &s, err)) < 0)
		goto fail;
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
		goto fail;
	snprintf(eid, sizeof(eid), "%lld", (long long)t->id);
	aj = store_json("{s:I, s:s, s:s, s:s}", "person_id", (json_int_t)t->person.id,
	                "taken_on", t->taken_on, "test_type", t->test_type, "result", t->result);
	rc = store_audit_add(st, actor, "test.create", "test", eid, pl.code, NULL, aj, err);
	free(aj);
	if (rc < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}
