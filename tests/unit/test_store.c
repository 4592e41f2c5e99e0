/*
 * The store suite: every case runs against SQLite and, when THC_TEST_PG_URL
 * names an empty PostgreSQL database, against PostgreSQL too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/vntime.h"
#include "domain/role.h"
#include "store/store.h"
#include "store_fixture.h"
#include "base/banned.h"

static const char *backend_url;   /* set by run_backend() before each group */

static int setup(void **state)
{
	struct sfx *f = sfx_open(backend_url, "store", 0);
	int applied = -1;

	assert_int_equal(store_migrate(f->st, &applied, &f->err), 0);
	assert_int_equal(applied, 0);   /* idempotent */
	sfx_user(f, "admin", "admin", "VN");
	sfx_user(f, "badinh", "district_officer", "001");
	sfx_user(f, "phucxa", "commune_officer", "00001");
	sfx_user(f, "trucbach", "commune_officer", "00004");
	sfx_user(f, "hanoi", "province_officer", "01");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	sfx_close(*state);
	return 0;
}

static void test_import_is_idempotent(void **state)
{
	struct sfx *f = *state;
	size_t ins = 9, upd = 9;

	assert_int_equal(store_units_import(f->st, &f->sys, sfx_units,
	                 sfx_units_count, &ins, &upd, &f->err), 0);
	assert_int_equal(ins, 0);
	assert_int_equal(upd, 0);
}

static void test_import_bad_row_changes_nothing(void **state)
{
	struct sfx *f = *state;
	struct unit_row rows[] = {
		{ "02", "Tỉnh Hà Giang", "province", "", "Tỉnh", 2 },
		{ "024", "Huyện Đồng Văn", "district", "02", "Huyện", 3 },
		{ "00999", "Xã Không Cha", "commune", "998", "Xã", 4 },   /* unknown parent */
	};
	struct unit u;

	assert_int_equal(store_units_import(f->st, &f->sys, rows, 3, NULL, NULL, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 4"));
	assert_non_null(strstr(f->err.en, "parent_code"));
	assert_non_null(strstr(f->err.vi, "dòng 4"));
	assert_int_equal(store_unit_get(f->st, NULL, "02", &f->a, &u, &f->err), THC_ENOTFOUND);

	rows[0].code = "2";     /* wrong shape */
	assert_int_equal(store_units_import(f->st, &f->sys, rows, 1, NULL, NULL, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 2"));
}

static void test_import_rename_and_move(void **state)
{
	struct sfx *f = *state;
	struct unit_row mv[] = { { "00037", "Phường Phúc Tân Mới", "commune", "001", "Phường", 2 } };
	struct unit_row back[] = { { "00037", "Phường Phúc Tân", "commune", "002", "Phường", 2 } };
	struct unit *path;
	size_t n, ins, upd;

	assert_int_equal(store_units_import(f->st, &f->sys, mv, 1, &ins, &upd, &f->err), 0);
	assert_int_equal(upd, 1);
	assert_int_equal(store_unit_path(f->st, NULL, "00037", &f->a, &path, &n, &f->err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(path[1].code, "001");
	assert_string_equal(path[2].name, "Phường Phúc Tân Mới");
	assert_int_equal(store_units_import(f->st, &f->sys, back, 1, &ins, &upd, &f->err), 0);
	assert_int_equal(store_unit_path(f->st, NULL, "00037", &f->a, &path, &n, &f->err), 0);
	assert_string_equal(path[1].code, "002");
}

static void test_unit_get_and_path(void **state)
{
	struct sfx *f = *state;
	struct unit u, *path;
	size_t n;

	assert_int_equal(store_unit_get(f->st, NULL, "00004", &f->a, &u, &f->err), 0);
	assert_string_equal(u.name, "Phường Trúc Bạch");
	assert_string_equal(u.parent_code, "001");
	assert_int_equal(store_unit_get(f->st, NULL, "VN", &f->a, &u, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_unit_get(f->st, NULL, "99999", &f->a, &u, &f->err), THC_ENOTFOUND);
	assert_non_null(strstr(f->err.en, "99999"));
	assert_int_equal(store_unit_path(f->st, NULL, "26734", &f->a, &path, &n, &f->err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(path[0].code, "79");
	assert_string_equal(path[0].level, "province");
	assert_string_equal(path[2].code, "26734");
}

static void test_units_list_search_and_paging(void **state)
{
	struct sfx *f = *state;
	struct unit_query q = { .level = "commune", .limit = 2 };
	struct unit_page p;
	int seen = 0;

	do {
		assert_int_equal(store_units_list(f->st, NULL, &q, &f->a, &p, &f->err), 0);
		assert_int_equal(p.total, 4);
		for (size_t i = 0; i < p.n; i++, seen++)
			if (i > 0)
				assert_true(strcmp(p.items[i - 1].code, p.items[i].code) < 0);
		q.cursor = p.next;
	} while (q.cursor);
	assert_int_equal(seen, 4);

	q = (struct unit_query){ .q = "phuc", .limit = 10 };
	assert_int_equal(store_units_list(f->st, NULL, &q, &f->a, &p, &f->err), 0);
	assert_int_equal(p.total, 2);   /* Phúc Xá, Phúc Tân */
	q = (struct unit_query){ .q = "ha noi", .limit = 10 };
	assert_int_equal(store_units_list(f->st, NULL, &q, &f->a, &p, &f->err), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.items[0].code, "01");
	q = (struct unit_query){ .parent = "001", .limit = 10 };
	assert_int_equal(store_units_list(f->st, NULL, &q, &f->a, &p, &f->err), 0);
	assert_int_equal(p.total, 2);
	assert_null(p.next);
}

static int count_audit(struct sfx *f, const char *action)
{
	struct audit_query q = { .limit = 1000 };
	struct audit_entry *e;
	size_t n;
	int c = 0;

	assert_int_equal(store_audit_list(f->st, &f->sys, &q, &f->a, &e, &n, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		c += strcmp(e[i].action, action) == 0;
	return c;
}

static void test_unit_create_codes_scope_and_audit(void **state)
{
	struct sfx *f = *state;
	struct store_actor px = sfx_actor(f, "phucxa"), tb = sfx_actor(f, "trucbach");
	struct store_actor bd = sfx_actor(f, "badinh");
	struct unit h1 = { .parent_code = "00001", .level = "hamlet", .name = "Tổ dân phố 1",
	                   .type = "tổ dân phố", .members = -1 };
	struct unit h2 = h1, hh = { .level = "household", .name = "Hộ A", .members = 4 };
	struct unit bad = h1, got;
	int before = count_audit(f, "unit.create");

	assert_int_equal(store_unit_create(f->st, &px, &h1, &f->a, &f->err), 0);
	assert_string_equal(h1.code, "00001-001");
	h2.name = "Tổ dân phố 2";
	assert_int_equal(store_unit_create(f->st, &bd, &h2, &f->a, &f->err), 0);
	assert_string_equal(h2.code, "00001-002");
	hh.parent_code = h1.code;
	assert_int_equal(store_unit_create(f->st, &px, &hh, &f->a, &f->err), 0);
	assert_string_equal(hh.code, "00001-001-0001");
	assert_int_equal(count_audit(f, "unit.create"), before + 3);

	/* Another commune's officer neither sees nor creates there. */
	assert_int_equal(store_unit_get(f->st, &tb, "00001-001", &f->a, &got, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_unit_get(f->st, NULL, "00001-001", &f->a, &got, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_unit_get(f->st, &bd, "00001-001-0001", &f->a, &got, &f->err), 0);
	assert_int_equal(got.members, 4);
	assert_int_equal(store_unit_create(f->st, &tb, &bad, &f->a, &f->err), THC_ENOTFOUND);
	/* A hamlet under a district is refused. */
	bad.parent_code = "001";
	assert_int_equal(store_unit_create(f->st, &bd, &bad, &f->a, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "parent_code"));
	assert_int_equal(count_audit(f, "unit.create"), before + 3);   /* failures leave no trace */
}

static void test_unit_counts_respect_scope(void **state)
{
	struct sfx *f = *state;
	struct store_actor px = sfx_actor(f, "phucxa"), tb = sfx_actor(f, "trucbach");
	struct unit_counts c;

	assert_int_equal(store_unit_counts(f->st, &px, "00001", &c, &f->err), 0);
	assert_true(c.hamlet_visible);
	assert_true(c.hamlet >= 2);
	assert_int_equal(store_unit_counts(f->st, &tb, "00001", &c, &f->err), 0);
	assert_false(c.hamlet_visible);
	assert_int_equal(c.hamlet, 0);
	assert_int_equal(store_unit_counts(f->st, NULL, "001", &c, &f->err), 0);
	assert_int_equal(c.commune, 2);
}

static void test_users_grants_transactional(void **state)
{
	struct sfx *f = *state;
	struct user u;

	/* A grant at the wrong level refuses the whole creation. */
	assert_int_equal(store_user_create(f->st, &f->sys, "sai.cap", "", "h", "commune_officer",
	                                   "01", NULL, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "commune_officer"));
	assert_int_equal(store_user_by_name(f->st, "sai.cap", &f->a, &u, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_user_create(f->st, &f->sys, "phucxa", "", "h", "citizen", "00001",
	                                   NULL, &f->err), THC_ECONFLICT);
	assert_int_equal(store_user_create(f->st, &f->sys, "Bad Name", "", "h", "citizen", "00001",
	                                   NULL, &f->err), THC_EUNPROCESSABLE);
	assert_int_equal(store_user_create(f->st, &f->sys, "nobody", "", "h", "citizen", "12345",
	                                   NULL, &f->err), THC_EUNPROCESSABLE);
	assert_int_equal(store_user_create(f->st, &f->sys, "nobody", "", "h", "wizard", "00001",
	                                   NULL, &f->err), THC_EUNPROCESSABLE);
	assert_int_equal(store_user_by_name(f->st, "nobody", &f->a, &u, &f->err), THC_ENOTFOUND);

	assert_int_equal(store_grant_add(f->st, &f->sys, "trucbach", "health_worker", "00004",
	                                 &f->err), 0);
	assert_int_equal(store_grant_add(f->st, &f->sys, "trucbach", "health_worker", "00004",
	                                 &f->err), THC_ECONFLICT);
	assert_int_equal(store_user_by_name(f->st, "trucbach", &f->a, &u, &f->err), 0);
	assert_int_equal(u.ngrants, 2);
	assert_string_equal(u.password_hash, "hash-not-used");
	assert_int_equal(store_grant_remove(f->st, &f->sys, "trucbach", "health_worker", "00004",
	                                    &f->err), 0);
	assert_int_equal(store_grant_remove(f->st, &f->sys, "trucbach", "health_worker", "00004",
	                                    &f->err), THC_ENOTFOUND);
	assert_int_equal(store_user_by_name(f->st, "trucbach", &f->a, &u, &f->err), 0);
	assert_int_equal(u.ngrants, 1);
	/* Only an admin in scope grants: a commune officer cannot. */
	{
		struct store_actor px = sfx_actor(f, "phucxa");
		assert_int_equal(store_grant_add(f->st, &px, "trucbach", "citizen", "00001", &f->err),
		                 THC_ENOTFOUND);
	}
}

static void test_sessions(void **state)
{
	struct sfx *f = *state;
	struct store_actor px = sfx_actor(f, "phucxa");
	struct session s;
	int64_t now = px.now_ms;

	assert_int_equal(store_session_create(f->st, &px, px.user_id, "aa11", "c5rf", now + 1000,
	                                      &f->err), 0);
	assert_int_equal(store_session_lookup(f->st, "aa11", now, &f->a, &s, NULL, &f->err), 0);
	assert_int_equal(s.user_id, px.user_id);
	assert_string_equal(s.csrf, "c5rf");
	/* With its user and the same grants as store_user_by_id, in one read. */
	{
		struct user u, byid;

		assert_int_equal(store_session_lookup(f->st, "aa11", now, &f->a, &s, &u, &f->err), 0);
		assert_int_equal(store_user_by_id(f->st, px.user_id, &f->a, &byid, &f->err), 0);
		assert_int_equal(u.id, px.user_id);
		assert_string_equal(u.username, "phucxa");
		assert_true(byid.ngrants >= 1);
		assert_int_equal(u.ngrants, byid.ngrants);
		for (size_t i = 0; i < u.ngrants; i++) {
			assert_int_equal(u.grants[i].id, byid.grants[i].id);
			assert_string_equal(u.grants[i].role, byid.grants[i].role);
			assert_string_equal(u.grants[i].unit_code, byid.grants[i].unit_code);
			assert_string_equal(u.grants[i].unit_name, byid.grants[i].unit_name);
		}
	}
	assert_int_equal(store_session_lookup(f->st, "aa11", now + 1000, &f->a, &s, NULL, &f->err),
	                 THC_EAUTH);   /* expired */
	assert_int_equal(store_session_lookup(f->st, "bb22", now, &f->a, &s, NULL, &f->err), THC_EAUTH);
	assert_int_equal(store_session_revoke(f->st, &px, "aa11", &f->err), 0);
	assert_int_equal(store_session_lookup(f->st, "aa11", now, &f->a, &s, NULL, &f->err), THC_EAUTH);
	assert_int_equal(store_session_revoke(f->st, &px, "aa11", &f->err), THC_EAUTH);
	/* A new password ends open sessions. */
	assert_int_equal(store_session_create(f->st, &px, px.user_id, "cc33", "x", now + 100000,
	                                      &f->err), 0);
	assert_int_equal(store_user_set_password(f->st, &f->sys, "phucxa", "hash-not-used",
	                                         &f->err), 0);
	assert_int_equal(store_session_lookup(f->st, "cc33", now, &f->a, &s, NULL, &f->err), THC_EAUTH);
}

static void test_scope_check(void **state)
{
	struct sfx *f = *state;
	struct store_actor px = sfx_actor(f, "phucxa"), bd = sfx_actor(f, "badinh");
	struct store_actor hn = sfx_actor(f, "hanoi"), ad = sfx_actor(f, "admin");

	assert_int_equal(store_scope_check(f->st, &px, "00001", ROLE_MASK_ALL, &f->err), 0);
	assert_int_equal(store_scope_check(f->st, &px, "00004", ROLE_MASK_ALL, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_scope_check(f->st, &px, "001", ROLE_MASK_ALL, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_scope_check(f->st, &bd, "00004", ROLE_MASK_ALL, &f->err), 0);
	assert_int_equal(store_scope_check(f->st, &bd, "00037", ROLE_MASK_ALL, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_scope_check(f->st, &hn, "00037", ROLE_MASK_ALL, &f->err), 0);
	assert_int_equal(store_scope_check(f->st, &hn, "26734", ROLE_MASK_ALL, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_scope_check(f->st, &ad, "26734", ROLE_MASK_ALL, &f->err), 0);
	/* The role matters: a commune officer is not an admin there. */
	assert_int_equal(store_scope_check(f->st, &px, "00001", ROLE_BIT(ROLE_ADMIN), &f->err),
	                 THC_ENOTFOUND);
	assert_int_equal(store_scope_check(f->st, NULL, "00001", ROLE_MASK_ALL, &f->err), THC_ENOTFOUND);
}

static void test_audit_scope(void **state)
{
	struct sfx *f = *state;
	struct store_actor tb = sfx_actor(f, "trucbach"), bd = sfx_actor(f, "badinh");
	struct unit h = { .parent_code = "00004", .level = "hamlet", .name = "Tổ 5", .members = -1 };
	struct audit_query q = { .limit = 1000 };
	struct audit_entry *e;
	size_t n;
	int found = 0;

	assert_int_equal(store_unit_create(f->st, &tb, &h, &f->a, &f->err), 0);
	assert_int_equal(store_audit_list(f->st, &tb, &q, &f->a, &e, &n, &f->err), 0);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(e[i].unit_code);
		assert_int_equal(strncmp(e[i].unit_code, "00004", 5), 0);
		found += strcmp(e[i].entity_id ? e[i].entity_id : "", h.code) == 0;
	}
	assert_int_equal(found, 1);
	assert_string_equal(e[0].actor, "trucbach");
	assert_null(e[0].before_json);
	assert_non_null(strstr(e[0].after_json, "Tổ 5"));
	/* The district sees both of its communes' entries. */
	q.unit = "00001";
	assert_int_equal(store_audit_list(f->st, &bd, &q, &f->a, &e, &n, &f->err), 0);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(strncmp(e[i].unit_code, "00001", 5), 0);
	q.unit = NULL;
	q.actor = "trucbach";
	assert_int_equal(store_audit_list(f->st, &bd, &q, &f->a, &e, &n, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(e[i].actor, "trucbach");
}

static void test_assignments(void **state)
{
	struct sfx *f = *state;
	struct store_actor hn = sfx_actor(f, "hanoi"), px = sfx_actor(f, "phucxa");
	struct assignment *x;
	size_t n;
	int64_t id = 0;

	/* Province follows communes: a district is the wrong level. */
	assert_int_equal(store_assignment_create(f->st, &hn, "hanoi", "001", NULL, &id, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(store_assignment_create(f->st, &hn, "hanoi", "00004", "theo dõi", &id,
	                                         &f->err), 0);
	assert_int_equal(store_assignment_create(f->st, &hn, "hanoi", "00004", NULL, NULL, &f->err),
	                 THC_ECONFLICT);
	/* Not in the actor's authority: 404. */
	assert_int_equal(store_assignment_create(f->st, &px, "hanoi", "26734", NULL, NULL, &f->err),
	                 THC_ENOTFOUND);
	assert_int_equal(store_assignments_of(f->st, hn.user_id, &f->a, &x, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(x[0].unit_code, "00004");
	assert_null(x[0].status);
	assert_int_equal(store_assignment_report(f->st, &hn, id, "attention", "thiếu oxy", &f->err), 0);
	assert_int_equal(store_assignment_report(f->st, &hn, id, "urgent", NULL, &f->err), 0);
	assert_int_equal(store_assignment_report(f->st, &hn, id, "fine", NULL, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(store_assignment_report(f->st, &px, id, "stable", NULL, &f->err),
	                 THC_ENOTFOUND);
	assert_int_equal(store_assignments_of(f->st, hn.user_id, &f->a, &x, &n, &f->err), 0);
	assert_string_equal(x[0].status, "urgent");
}

static void test_population(void **state)
{
	struct sfx *f = *state;
	struct unit_population_row ok[] = { { "00001", 21946, 2 }, { "01", 8053663, 3 } };
	struct unit_population_row bad[] = { { "00004", 1, 2 }, { "77777", 5, 3 } };
	struct unit u;

	assert_int_equal(store_units_set_population(f->st, &f->sys, ok, 2, &f->err), 0);
	assert_int_equal(store_unit_get(f->st, NULL, "00001", &f->a, &u, &f->err), 0);
	assert_int_equal(u.population, 21946);
	assert_int_equal(store_units_set_population(f->st, &f->sys, bad, 2, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 3"));
	assert_int_equal(store_unit_get(f->st, NULL, "00004", &f->a, &u, &f->err), 0);
	assert_int_equal(u.population, -1);   /* the good row was rolled back too */
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_is_idempotent),
		cmocka_unit_test(test_import_bad_row_changes_nothing),
		cmocka_unit_test(test_import_rename_and_move),
		cmocka_unit_test(test_unit_get_and_path),
		cmocka_unit_test(test_units_list_search_and_paging),
		cmocka_unit_test(test_unit_create_codes_scope_and_audit),
		cmocka_unit_test(test_unit_counts_respect_scope),
		cmocka_unit_test(test_users_grants_transactional),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_scope_check),
		cmocka_unit_test(test_audit_scope),
		cmocka_unit_test(test_assignments),
		cmocka_unit_test(test_population),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	return sfx_each_backend(run_backend) ? 1 : 0;
}
