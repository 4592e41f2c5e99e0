/*
 * Fault injection: every write is tried with its 1st, 2nd, 3rd ... storage
 * call failing; each failure must leave the data exactly as it was, and the
 * write must succeed once no fault is left.  Runs on SQLite and, with
 * THC_TEST_PG_URL, on PostgreSQL.
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
#include "store/store.h"
#include "base/banned.h"

#define FAULT_TRIES_MAX 400

static const char *backend_url;

struct fx {
	struct store *st;
	struct arena a;
	struct error err;
	struct store_actor sys;
	int64_t officer;
};

/* What a write may change, read back through the public API. */
struct snapshot {
	int64_t units, audit, users, grants, assignments, history, published;
};

static void snap(struct fx *f, struct snapshot *s)
{
	struct unit_query q = { .limit = 1 };
	struct unit_page p;
	struct audit_query aq = { .limit = 100000 };
	struct audit_entry *e;
	struct user *u;
	struct assignment *x;
	struct level_history_entry *h;
	struct level_in_force *lv;
	size_t n;

	memset(s, 0, sizeof(*s));
	assert_int_equal(store_units_list(f->st, &f->sys, &q, &f->a, &p, &f->err), 0);
	s->units = p.total;
	assert_int_equal(store_audit_list(f->st, &f->sys, &aq, &f->a, &e, &n, &f->err), 0);
	s->audit = (int64_t)n;
	assert_int_equal(store_users_list(f->st, &f->a, &u, &n, &f->err), 0);
	s->users = (int64_t)n;
	for (size_t i = 0; i < n; i++)
		s->grants += (int64_t)u[i].ngrants;
	assert_int_equal(store_assignments_of(f->st, f->officer, &f->a, &x, &n, &f->err), 0);
	s->assignments = (int64_t)n;
	assert_int_equal(store_level_history(f->st, &f->sys, "00001", 100, &f->a, &h, &n,
	                                     &f->err), 0);
	s->history = (int64_t)n;
	assert_int_equal(store_levels_in_force(f->st, NULL, "2030-01-01", &f->a, &lv, &n,
	                                       &f->err), 0);
	for (size_t i = 0; i < n; i++)
		s->published += lv[i].level;
}

static int setup(void **state)
{
	static const struct unit_row units[] = {
		{ "01", "Thành phố Hà Nội", "province", "", "Thành phố Trung ương", 2 },
		{ "001", "Quận Ba Đình", "district", "01", "Quận", 3 },
		{ "00001", "Phường Phúc Xá", "commune", "001", "Phường", 4 },
	};
	struct fx *f = calloc(1, sizeof(*f));
	char path[512], url[600];
	struct user u;

	f->a = (struct arena)ARENA_INIT(0);
	f->sys = (struct store_actor){ .user_id = 0, .username = "system:test", .addr = "test",
	                               .now_ms = vntime_now_ms() };
	if (backend_url == NULL) {
		const char *tmp = getenv("THC_TEST_TMP");
		snprintf(path, sizeof(path), "%s/faults-%d.db", tmp ? tmp : "/tmp", (int)getpid());
		unlink(path);
		snprintf(url, sizeof(url), "fault:%s", path);
	} else {
		snprintf(url, sizeof(url), "fault:%s", backend_url);
	}
	if (store_open(url, &f->st, &f->err) != 0)
		fail_msg("open %s: %s", url, f->err.en);
	assert_int_equal(store_migrate(f->st, NULL, &f->err), 0);
	assert_int_equal(store_units_import(f->st, &f->sys, units, 3, NULL, NULL, &f->err), 0);
	assert_int_equal(store_user_create(f->st, &f->sys, "hanoi", "", "h", "province_officer",
	                                   "01", NULL, &f->err), 0);
	assert_int_equal(store_user_by_name(f->st, "hanoi", &f->a, &u, &f->err), 0);
	f->officer = u.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	arena_release(&f->a);
	free(f);
	return 0;
}

typedef int (*write_fn)(struct fx *f, int attempt);

/* Runs w with the 1st, 2nd ... call failing until it succeeds. */
static void fault_sweep(struct fx *f, write_fn w, const char *what)
{
	struct snapshot before, after;
	int n, rc = -1;

	for (n = 1; n < FAULT_TRIES_MAX; n++) {
		snap(f, &before);
		store_fault_arm(f->st, n);
		rc = w(f, n);
		store_fault_arm(f->st, 0);
		if (rc == 0)
			break;
		snap(f, &after);
		if (memcmp(&before, &after, sizeof(before)) != 0)
			fail_msg("%s: the failure of call %d left a change behind (%s)", what, n, f->err.en);
	}
	if (rc != 0)
		fail_msg("%s: never succeeded (%s)", what, f->err.en);
	assert_true(n > 1);   /* the sweep did hit calls before succeeding */
	snap(f, &after);
	assert_true(memcmp(&before, &after, sizeof(before)) != 0);
}

static int w_hamlet(struct fx *f, int attempt)
{
	struct store_actor a = { .user_id = f->officer, .username = "hanoi", .addr = "test",
	                         .now_ms = vntime_now_ms() };
	struct unit u = { .parent_code = "00001", .level = "hamlet", .members = -1 };

	u.name = arena_printf(&f->a, "Thôn %d", attempt);
	return store_unit_create(f->st, &a, &u, &f->a, &f->err);
}

static int w_user(struct fx *f, int attempt)
{
	char name[32];

	snprintf(name, sizeof(name), "u%d", attempt);
	return store_user_create(f->st, &f->sys, name, "Người thử", "h", "commune_officer",
	                         "00001", NULL, &f->err);
}

static int w_import(struct fx *f, int attempt)
{
	static const struct unit_row rows[] = {
		{ "79", "Thành phố Hồ Chí Minh", "province", "", "Thành phố Trung ương", 2 },
		{ "760", "Quận 1", "district", "79", "Quận", 3 },
		{ "26734", "Phường Tân Định", "commune", "760", "Phường", 4 },
	};

	(void)attempt;
	return store_units_import(f->st, &f->sys, rows, 3, NULL, NULL, &f->err);
}

static int w_assign(struct fx *f, int attempt)
{
	(void)attempt;
	return store_assignment_create(f->st, &f->sys, "hanoi", "00001", "theo dõi", NULL, &f->err);
}

static int w_decide(struct fx *f, int attempt)
{
	(void)attempt;
	return store_level_decide(f->st, &f->sys, "00001", "2022-01-20", "2022-01-21", 3,
	                          "ổ dịch mới", NULL, &f->err);
}

static int w_publish(struct fx *f, int attempt)
{
	static const struct level_decision_row rows[] = {
		{ "01", "2022-01-22", 2, NULL, 2 },
		{ "001", "2022-01-22", 1, NULL, 3 },
	};

	(void)attempt;
	return store_levels_import(f->st, &f->sys, rows, 2, NULL, &f->err);
}

static void test_hamlet(void **state) { fault_sweep(*state, w_hamlet, "unit create"); }
static void test_user(void **state) { fault_sweep(*state, w_user, "user create"); }
static void test_import(void **state) { fault_sweep(*state, w_import, "units import"); }
static void test_assign(void **state) { fault_sweep(*state, w_assign, "assignment"); }
static void test_decide(void **state) { fault_sweep(*state, w_decide, "level decision"); }
static void test_publish(void **state) { fault_sweep(*state, w_publish, "levels import"); }

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hamlet),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_assign),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_publish),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	const char *pg = getenv("THC_TEST_PG_URL");
	int failed = run_backend("faults/sqlite", NULL);

	if (pg && pg[0])
		failed += run_backend("faults/postgres", pg);
	return failed ? 1 : 0;
}
