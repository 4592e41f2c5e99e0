/*
 * Directives in the store (store/directives.c, directive_read.c) on SQLite
 * and, with THC_TEST_PG_URL, on PostgreSQL: the completion counts per unit
 * the emulation indicators read, recomputed here from the progress rows;
 * and every storage failure of an issue, a report, a delegation or a
 * reminder leaving everything as it was, with no audit row.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "store/store.h"
#include "store_fixture.h"
#include "base/banned.h"

static const char *backend_url;

static int setup(void **state)
{
	struct sfx *f = sfx_open(backend_url, "store-directives", 1);

	*state = f;
	return 0;
}

static int teardown(void **state)
{
	sfx_close(*state);
	return 0;
}

static int32_t day_of(const char *iso)
{
	struct vndate d;

	assert_int_equal(vndate_parse(iso, &d), 0);
	return vndate_to_days(d);
}

static int64_t issue(struct sfx *f, const char *number, int64_t task_ids[2])
{
	const char *districts[] = { "001", "002" };
	struct directive_task_in t[2] = {
		{ .title = "Quận hoàn thành", .deadline = "2021-10-30",
		  .who = { .units = districts, .nunits = 2, .field = "tasks[0].assignees" } },
		{ .title = "Phường hoàn thành", .deadline = "2021-11-10",
		  .who = { .children_of = "01", .level = "commune", .field = "tasks[1].assignees" } },
	};
	struct directive_in d = { .number = number, .issued_on = "2021-10-15", .issuer = "01",
	                          .title = "Kế hoạch thử", .tasks = t, .ntasks = 2 };

	if (store_directive_create(f->st, &f->sys, &d, &f->err) != 0)
		fail_msg("issue: %s", f->err.en);
	assert_int_equal(t[0].assigned, 2);
	assert_int_equal(t[1].assigned, 3);
	task_ids[0] = t[0].id;
	task_ids[1] = t[1].id;
	return d.id;
}

static void report(struct sfx *f, int64_t task, const char *unit, const char *done_on)
{
	struct task_report_in in = { .task_id = task, .unit_code = unit, .note = "xong",
	                             .done_on = done_on, .done = 1 };

	if (store_task_report(f->st, &f->sys, &in, &f->err) != 0)
		fail_msg("report %s: %s", unit, f->err.en);
}

/* The counts for the units under parent, computed from the progress rows. */
static void recount(struct sfx *f, int64_t id, const char *parent, const char *from,
                    const char *to, const struct task_completion *c, size_t n)
{
	struct directive_head h;
	struct directive_row *rows;
	size_t nr;

	assert_int_equal(store_directive_progress(f->st, &f->sys, id, day_of("2030-01-01"), &f->a,
	                                          &h, &rows, &nr, &f->err), 0);
	for (size_t i = 0; i < n; i++) {
		int64_t tasks = 0, done = 0, on_time = 0;

		for (size_t j = 0; j < nr; j++) {
			const struct directive_item *it = &rows[j].item;

			if (strcmp(it->unit_code, c[i].unit_code) != 0 ||
			    it->deadline < day_of(from) || it->deadline > day_of(to))
				continue;
			tasks++;
			done += it->done_on != DIRECTIVE_DAY_NONE;
			on_time += directive_on_time(it->deadline, it->done_on);
		}
		assert_int_equal(c[i].tasks, tasks);
		assert_int_equal(c[i].done, done);
		assert_int_equal(c[i].on_time, on_time);
	}
	(void)parent;
}

static void test_completion_counts(void **state)
{
	struct sfx *f = *state;
	struct task_completion *c;
	int64_t t[2], id;
	size_t n;

	id = issue(f, "C-1", t);
	report(f, t[0], "001", "2021-10-28");
	report(f, t[0], "002", "2021-11-02");          /* late */
	report(f, t[1], "00001", "2021-11-09");
	report(f, t[1], "00037", "2021-11-11");        /* late */

	assert_int_equal(store_task_completion(f->st, "01", "2021-10-01", "2021-10-31", &f->a, &c,
	                                       &n, &f->err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].unit_code, "001");
	assert_int_equal(c[0].tasks, 1);
	assert_int_equal(c[0].done, 1);
	assert_int_equal(c[0].on_time, 1);
	assert_string_equal(c[1].unit_code, "002");
	assert_int_equal(c[1].done, 1);
	assert_int_equal(c[1].on_time, 0);
	recount(f, id, "01", "2021-10-01", "2021-10-31", c, n);

	assert_int_equal(store_task_completion(f->st, "001", "2021-11-01", "2021-11-30", &f->a, &c,
	                                       &n, &f->err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].unit_code, "00001");
	assert_int_equal(c[0].on_time, 1);
	assert_string_equal(c[1].unit_code, "00004");
	assert_int_equal(c[1].tasks, 1);
	assert_int_equal(c[1].done, 0);
	recount(f, id, "001", "2021-11-01", "2021-11-30", c, n);
	assert_int_equal(store_task_completion(f->st, "002", "2021-11-01", "2021-11-30", &f->a, &c,
	                                       &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].on_time, 0);
	assert_int_equal(c[0].done, 1);
	/* A period with no deadline in it counts nothing. */
	assert_int_equal(store_task_completion(f->st, "01", "2022-01-01", "2022-12-31", &f->a, &c,
	                                       &n, &f->err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].tasks + c[1].tasks, 0);
}

/* ---- fault injection ---- */

static void snap(struct sfx *f, void *ctx, char *out, size_t outsz)
{
	struct task_completion *c;
	struct inbox_task *it;
	struct inbox_notice *nt;
	size_t n, ni, nn;
	int64_t sum = 0;


	(void)ctx;
	assert_int_equal(store_task_completion(f->st, "001", "2020-01-01", "2030-12-31", &f->a, &c,
	                                       &n, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		sum += c[i].tasks * 10000 + c[i].done * 100 + c[i].on_time;
	assert_int_equal(store_task_completion(f->st, "01", "2020-01-01", "2030-12-31", &f->a, &c,
	                                       &n, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		sum += c[i].tasks * 10000 + c[i].done * 100 + c[i].on_time;
	for (size_t u = 0; u < 3; u++) {
		const char *code = (const char *[]){ "001", "002", "00004" }[u];

		assert_int_equal(store_unit_inbox(f->st, &f->sys, code, day_of("2021-12-01"), &f->a,
		                                  &it, &ni, &nt, &nn, &f->err), 0);
		sum += (int64_t)(ni * 1000000 + nn * 100000000);
	}
	snprintf(out, outsz, "sum=%lld", (long long)sum);
}

static int64_t fx_task[2], fx_directive;

static int w_issue(struct sfx *f, void *ctx, int attempt)
{
	const char *units[] = { "001", "002" };
	struct directive_task_in t = { .title = "Học tập", .deadline = "2021-10-30",
	                               .who = { .units = units, .nunits = 2, .field = "t" } };
	struct directive_in d = { .number = "F-1", .issued_on = "2021-10-15", .issuer = "01",
	                          .title = "Thử", .tasks = &t, .ntasks = 1 };
	int rc;

	(void)ctx;
	(void)attempt;
	if ((rc = store_directive_create(f->st, &f->sys, &d, &f->err)) == 0)
		fx_directive = d.id, fx_task[0] = t.id;
	return rc;
}

static int w_report(struct sfx *f, void *ctx, int attempt)
{
	struct task_report_in in = { .task_id = fx_task[0], .unit_code = "002", .note = "xong",
	                             .evidence = "BC 1", .done_on = "2021-10-29", .done = 1 };

	(void)ctx;
	(void)attempt;
	return store_task_report(f->st, &f->sys, &in, &f->err);
}

static int w_delegate(struct sfx *f, void *ctx, int attempt)
{
	struct task_delegate_in in = { .task_id = fx_task[0], .unit_code = "001", .title = "Phường",
	                               .deadline = "2021-10-25",
	                               .who = { .children_of = "001", .level = "commune",
	                                        .field = "assignees" } };

	(void)ctx;
	(void)attempt;
	return store_task_delegate(f->st, &f->sys, &in, &f->err);
}

static int w_remind(struct sfx *f, void *ctx, int attempt)
{
	const char **units;
	size_t n;

	(void)ctx;
	(void)attempt;
	/* 002 is done; 001 and its two communes are overdue. */
	return store_directive_remind(f->st, &f->sys, fx_directive, day_of("2021-11-01"), NULL,
	                              &f->a, &units, &n, &f->err);
}

#define AUDIT(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_fault_sweeps(void **state)
{
	struct sfx *f = *state;
	struct inbox_task *it;
	struct inbox_notice *nt;
	size_t ni, nn;

	sfx_fault_sweep(f, snap, w_issue, NULL, "directive create", AUDIT("directive.create"));
	sfx_fault_sweep(f, snap, w_report, NULL, "task report", AUDIT("task.done"));
	sfx_fault_sweep(f, snap, w_delegate, NULL, "task delegate", AUDIT("task.delegate"));
	sfx_fault_sweep(f, snap, w_remind, NULL, "reminders", AUDIT("directive.remind"));
	assert_int_equal(store_unit_inbox(f->st, &f->sys, "00004", day_of("2021-11-01"), &f->a, &it,
	                                  &ni, &nt, &nn, &f->err), 0);
	assert_int_equal(nn, 1);
	assert_int_equal(ni, 2);
	assert_non_null(strstr(nt[0].message, "2021-10-25"));
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_completion_counts),
		cmocka_unit_test(test_fault_sweeps),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	return sfx_each_backend(run_backend) ? 1 : 0;
}
