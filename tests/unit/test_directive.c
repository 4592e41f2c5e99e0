/*
 * Directive rules (domain/directive): status as of a day (overdue from the
 * day after the deadline), delegated deadlines, the roll-up of delegated
 * rows, key-task periods.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/directive.h"
#include "base/banned.h"

static int32_t day_of(const char *iso)
{
	struct vndate d;

	assert_int_equal(vndate_parse(iso, &d), 0);
	return vndate_to_days(d);
}

static void test_status_as_of(void **state)
{
	int32_t dl = day_of("2021-10-30");

	(void)state;
	assert_int_equal(directive_status(dl, DIRECTIVE_DAY_NONE, day_of("2021-10-29")), DIRECTIVE_OPEN);
	/* The deadline day itself is still open; the day after is overdue. */
	assert_int_equal(directive_status(dl, DIRECTIVE_DAY_NONE, dl), DIRECTIVE_OPEN);
	assert_int_equal(directive_status(dl, DIRECTIVE_DAY_NONE, day_of("2021-10-31")),
	                 DIRECTIVE_OVERDUE);
	/* Done late: overdue until the day it was done, then done. */
	assert_int_equal(directive_status(dl, day_of("2021-11-02"), day_of("2021-11-01")),
	                 DIRECTIVE_OVERDUE);
	assert_int_equal(directive_status(dl, day_of("2021-11-02"), day_of("2021-11-02")),
	                 DIRECTIVE_DONE);
	assert_int_equal(directive_status(dl, day_of("2021-10-28"), day_of("2021-10-28")),
	                 DIRECTIVE_DONE);
	assert_string_equal(directive_status_name(DIRECTIVE_OVERDUE), "overdue");
	assert_true(directive_on_time(dl, dl));
	assert_false(directive_on_time(dl, dl + 1));
	assert_false(directive_on_time(dl, DIRECTIVE_DAY_NONE));
}

static void test_deadlines(void **state)
{
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(directive_delegate_check(day_of("2021-10-30"), day_of("2021-10-27"), &err), 0);
	assert_int_equal(directive_delegate_check(day_of("2021-10-30"), day_of("2021-10-30"), &err),
	                 THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "deadline");
	assert_non_null(strstr(err.en, "2021-10-30"));
	assert_int_equal(directive_deadline_check(day_of("2021-10-15"), day_of("2021-10-15"), "d",
	                                          &err), 0);
	assert_int_equal(directive_deadline_check(day_of("2021-10-15"), day_of("2021-10-14"),
	                                          "tasks[1].deadline", &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "tasks[1].deadline");
}

static void test_rollup(void **state)
{
	/* Province task 1 to districts 193 and 194; 193 delegated it (task 2)
	 * to two communes, one of which delegated further (task 3). */
	struct directive_item it[] = {
		{ .task_id = 1, .issuer_code = "22", .unit_code = "193", .deadline = 30, .done_on = DIRECTIVE_DAY_NONE },
		{ .task_id = 1, .issuer_code = "22", .unit_code = "194", .deadline = 30, .done_on = 29 },
		{ .task_id = 2, .parent_task_id = 1, .issuer_code = "193", .unit_code = "06649", .deadline = 27, .done_on = 26 },
		{ .task_id = 2, .parent_task_id = 1, .issuer_code = "193", .unit_code = "06697", .deadline = 27, .done_on = DIRECTIVE_DAY_NONE },
		{ .task_id = 3, .parent_task_id = 2, .issuer_code = "06697", .unit_code = "x", .deadline = 40, .done_on = DIRECTIVE_DAY_NONE },
	};

	(void)state;
	directive_rollup(it, 5, 31);
	assert_int_equal(it[0].status, DIRECTIVE_OVERDUE);
	assert_int_equal(it[1].status, DIRECTIVE_DONE);
	assert_int_equal(it[0].below_total, 3);
	assert_int_equal(it[0].below_done, 1);
	assert_int_equal(it[0].below_overdue, 1);
	assert_int_equal(it[1].below_total, 0);
	assert_int_equal(it[3].below_total, 1);
	assert_int_equal(it[3].below_overdue, 0);
	assert_int_equal(it[4].status, DIRECTIVE_OPEN);
}

static void test_periods(void **state)
{
	struct error err = ERROR_INIT;
	enum keytask_period k;
	int32_t a, b;

	(void)state;
	assert_int_equal(directive_period_parse("2021-10", &k, &a, &b, &err), 0);
	assert_int_equal(k, KEYTASK_MONTH);
	assert_int_equal(a, day_of("2021-10-01"));
	assert_int_equal(b, day_of("2021-10-31"));
	assert_int_equal(directive_period_parse("2024-02", &k, &a, &b, &err), 0);
	assert_int_equal(b, day_of("2024-02-29"));
	assert_int_equal(directive_period_parse("2021-Q4", &k, &a, &b, &err), 0);
	assert_int_equal(k, KEYTASK_QUARTER);
	assert_int_equal(a, day_of("2021-10-01"));
	assert_int_equal(b, day_of("2021-12-31"));
	assert_int_equal(directive_period_parse("2022", &k, &a, &b, &err), 0);
	assert_int_equal(k, KEYTASK_YEAR);
	assert_int_equal(b, day_of("2022-12-31"));
	assert_string_equal(directive_period_kind_name(k), "year");
	const char *bad[] = { "", "21", "2021-13", "2021-00", "2021-Q5", "2021-Q0", "2021-1",
	                      "2021-10-01", "1999", "abcd", "2021/10" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(directive_period_parse(bad[i], &k, &a, &b, &err), THC_EUNPROCESSABLE);
		assert_string_equal(err.field, "period");
	}
	assert_int_equal(directive_period_parse(NULL, &k, &a, &b, &err), THC_EUNPROCESSABLE);
	assert_string_equal(directive_keytask_suggest(100, 120), "exceeded");
	assert_string_equal(directive_keytask_suggest(100, 100), "met");
	assert_string_equal(directive_keytask_suggest(100, 99.5), "not_met");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_as_of),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_rollup),
		cmocka_unit_test(test_periods),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
