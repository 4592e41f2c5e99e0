/*
 * Fault injection on the administrative writes (units, users, assignments,
 * levels): every write is tried with its 1st, 2nd, 3rd ... storage call
 * failing; each failure must leave the data and the audit trail exactly as
 * they were, and the success must write exactly its audit row.  Runs on
 * SQLite and, with THC_TEST_PG_URL, on PostgreSQL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "store/store.h"
#include "store/fault.h"
#include "store_fixture.h"
#include "base/banned.h"

static const char *backend_url;

/* What these writes may change, read back through the public API. */
static void snap(struct sfx *f, void *ctx, char *out, size_t outsz)
{
	struct unit_query q = { .limit = 1 };
	struct unit_page p;
	struct user *u;
	struct assignment *x;
	struct level_history_entry *h;
	struct level_in_force *lv;
	const struct store_actor *hanoi = ctx;
	int64_t officer = hanoi->user_id, grants = 0, published = 0;
	size_t nu, nx, nh, nl;

	assert_int_equal(store_units_list(f->st, &f->sys, &q, &f->a, &p, &f->err), 0);
	assert_int_equal(store_users_list(f->st, &f->a, &u, &nu, &f->err), 0);
	for (size_t i = 0; i < nu; i++)
		grants += (int64_t)u[i].ngrants;
	assert_int_equal(store_assignments_of(f->st, officer, &f->a, &x, &nx, &f->err), 0);
	assert_int_equal(store_level_history(f->st, &f->sys, "00001", 100, &f->a, &h, &nh,
	                                     &f->err), 0);
	assert_int_equal(store_levels_in_force(f->st, NULL, "2030-01-01", &f->a, &lv, &nl,
	                                       &f->err), 0);
	for (size_t i = 0; i < nl; i++)
		published += lv[i].level;
	snprintf(out, outsz, "units=%lld users=%zu grants=%lld assignments=%zu history=%zu "
	         "published=%lld", (long long)p.total, nu, (long long)grants, nx, nh,
	         (long long)published);
}

static int setup(void **state)
{
	struct sfx *f = sfx_open(backend_url, "faults", 1);

	sfx_user(f, "hanoi", "province_officer", "01");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	sfx_close(*state);
	return 0;
}

static int w_hamlet(struct sfx *f, void *ctx, int attempt)
{
	const struct store_actor *hanoi = ctx;
	struct unit u = { .parent_code = "00001", .level = "hamlet", .members = -1 };

	u.name = arena_printf(&f->a, "Thôn %d", attempt);
	return store_unit_create(f->st, hanoi, &u, &f->a, &f->err);
}

static int w_user(struct sfx *f, void *ctx, int attempt)
{
	char name[32];

	(void)ctx;
	snprintf(name, sizeof(name), "u%d", attempt);
	return store_user_create(f->st, &f->sys, name, "Người thử", "h", "commune_officer",
	                         "00001", NULL, &f->err);
}

static int w_import(struct sfx *f, void *ctx, int attempt)
{
	static const struct unit_row rows[] = {
		{ "48", "Thành phố Đà Nẵng", "province", "", "Thành phố Trung ương", 2 },
		{ "490", "Quận Liên Chiểu", "district", "48", "Quận", 3 },
		{ "20194", "Phường Hòa Hiệp Bắc", "commune", "490", "Phường", 4 },
	};

	(void)ctx;
	(void)attempt;
	return store_units_import(f->st, &f->sys, rows, 3, NULL, NULL, &f->err);
}

static int w_assign(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	(void)attempt;
	return store_assignment_create(f->st, &f->sys, "hanoi", "00001", "theo dõi", NULL, &f->err);
}

static int w_decide(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	(void)attempt;
	return store_level_decide(f->st, &f->sys, "00001", "2022-01-20", "2022-01-21", 3,
	                          "ổ dịch mới", NULL, &f->err);
}

static int w_publish(struct sfx *f, void *ctx, int attempt)
{
	static const struct level_decision_row rows[] = {
		{ "01", "2022-01-22", 2, NULL, 2 },
		{ "001", "2022-01-22", 1, NULL, 3 },
	};

	(void)ctx;
	(void)attempt;
	return store_levels_import(f->st, &f->sys, rows, 2, NULL, &f->err);
}

#define AUDIT(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_sweeps(void **state)
{
	struct sfx *f = *state;
	struct store_actor hanoi = sfx_actor(f, "hanoi");
	void *officer = &hanoi;

	sfx_fault_sweep(f, snap, w_hamlet, officer, "unit create", AUDIT("unit.create"));
	sfx_fault_sweep(f, snap, w_user, officer, "user create", AUDIT("user.create", "user.grant"));
	sfx_fault_sweep(f, snap, w_import, officer, "units import", AUDIT("units.import"));
	sfx_fault_sweep(f, snap, w_assign, officer, "assignment", AUDIT("assignment.create"));
	sfx_fault_sweep(f, snap, w_decide, officer, "level decision", AUDIT("level.decide"));
	sfx_fault_sweep(f, snap, w_publish, officer, "levels import", AUDIT("levels.import"));
}

/* A bind that fails (the driver out of memory) is kept by the statement and
 * reported by its step: the write fails whole instead of running with the
 * parameter left NULL or stale.  Every bind of the write is failed in turn. */
static void test_bind_failures_are_reported(void **state)
{
	struct sfx *f = *state;
	struct store_actor hanoi = sfx_actor(f, "hanoi");
	char before[1024], after[1024];
	int n, rc = -1;

	for (n = 1; n < 200; n++) {
		struct unit u = { .parent_code = "00001", .level = "hamlet", .members = -1,
		                  .type = "thôn" };

		u.name = arena_printf(&f->a, "Thôn gán %d", n);
		snap(f, &hanoi, before, sizeof(before));
		store_fault_arm_bind(f->st, n);
		rc = store_unit_create(f->st, &hanoi, &u, &f->a, &f->err);
		store_fault_arm_bind(f->st, 0);
		if (rc == 0)
			break;
		assert_int_equal(rc, THC_ENOMEM);
		snap(f, &hanoi, after, sizeof(after));
		assert_string_equal(before, after);
	}
	assert_int_equal(rc, 0);
	assert_true(n > 5);       /* the insert alone binds ten parameters */
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweeps),
		cmocka_unit_test(test_bind_failures_are_reported),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	return sfx_each_backend(run_backend) ? 1 : 0;
}
