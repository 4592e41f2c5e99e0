/*
 * Hotlines and duty shifts (domain/hotline): phone numbers normalised or
 * refused, shifts across midnight, overlaps and the week's bounds, and
 * who is on duty at an instant.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/hotline.h"
#include "base/banned.h"

static int32_t day_of(const char *iso)
{
	struct vndate d;

	assert_int_equal(vndate_parse(iso, &d), 0);
	return vndate_to_days(d);
}

static void phone_ok(const char *in, const char *want)
{
	struct error err = ERROR_INIT;
	char out[HOTLINE_PHONE_MAX];

	assert_int_equal(hotline_phone_normalize(in, "phone", out, sizeof(out), &err), 0);
	assert_string_equal(out, want);
}

static void phone_bad(const char *in)
{
	struct error err = ERROR_INIT;
	char out[HOTLINE_PHONE_MAX];

	assert_int_equal(hotline_phone_normalize(in, "items[2].phone", out, sizeof(out), &err),
	                 THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "items[2].phone");
	assert_non_null(strstr(err.vi, "số điện thoại"));
}

static void test_phone(void **state)
{
	(void)state;
	phone_ok("0912 345 678", "0912345678");
	phone_ok("0912.345.678", "0912345678");
	phone_ok("024 3823 1234", "02438231234");
	phone_ok("113", "113");
	phone_ok("115", "115");
	phone_ok("1022", "1022");
	phone_ok("1900 9095", "19009095");
	phone_ok("1800.1234", "18001234");
	phone_bad("");
	phone_bad("091234567");          /* 9 digits */
	phone_bad("09123456789");        /* 11 digits, not a fixed line */
	phone_bad("0012345678");
	phone_bad("+84912345678");       /* typed as a domestic number only */
	phone_bad("0912-345-678");
	phone_bad("999");
	phone_bad("2000");
	phone_bad("19001");
	phone_bad("091234567890123456789");
	assert_true(hotline_kind_valid("social_support"));
	assert_false(hotline_kind_valid("fire"));
	assert_false(hotline_kind_valid(NULL));
}

static void test_time(void **state)
{
	(void)state;
	assert_int_equal(duty_time_parse("00:00", 0), 0);
	assert_int_equal(duty_time_parse("07:30", 0), 450);
	assert_int_equal(duty_time_parse("23:59", 0), 1439);
	assert_int_equal(duty_time_parse("24:00", 1), 1440);
	assert_int_equal(duty_time_parse("24:00", 0), -1);
	assert_int_equal(duty_time_parse("24:01", 1), -1);
	assert_int_equal(duty_time_parse("12:60", 0), -1);
	assert_int_equal(duty_time_parse("7:30", 0), -1);
	assert_int_equal(duty_time_parse("07h30", 0), -1);
	assert_int_equal(duty_time_parse(NULL, 0), -1);
}

static void test_week_check(void **state)
{
	int32_t mon = day_of("2021-10-18");
	struct error err = ERROR_INIT;
	struct duty_span ok[] = {
		{ mon, 22 * 60, 6 * 60 },           /* night shift, ends Tuesday 06:00 */
		{ mon + 1, 6 * 60, 22 * 60 },
		{ mon + 6, 22 * 60, 6 * 60 },       /* Sunday night into next Monday */
	};
	struct duty_span overlap[] = { { mon, 22 * 60, 6 * 60 }, { mon + 1, 5 * 60, 8 * 60 } };
	struct duty_span empty[] = { { mon, 480, 480 } };
	struct duty_span outside[] = { { mon + 7, 480, 600 } };
	struct duty_span many[DUTY_SHIFTS_MAX + 1];

	(void)state;
	assert_int_equal(duty_week_check(ok, 3, mon, &err), 0);
	assert_int_equal(duty_week_check(overlap, 2, mon, &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "shifts[1].from");
	error_clear(&err);
	assert_int_equal(duty_week_check(empty, 1, mon, &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "shifts[0].to");
	error_clear(&err);
	assert_int_equal(duty_week_check(outside, 1, mon, &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "shifts[0].date");
	error_clear(&err);
	for (int i = 0; i <= DUTY_SHIFTS_MAX; i++)
		many[i] = (struct duty_span){ mon + i / 7, (i % 7) * 120, (i % 7) * 120 + 60 };
	assert_int_equal(duty_week_check(many, DUTY_SHIFTS_MAX, mon, &err), 0);
	assert_int_equal(duty_week_check(many, DUTY_SHIFTS_MAX + 1, mon, &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "shifts");
	error_clear(&err);
}

static void test_on_duty(void **state)
{
	int32_t mon = day_of("2021-10-18");
	struct duty_span s[] = {
		{ mon, 7 * 60, 22 * 60 },
		{ mon, 22 * 60, 7 * 60 },          /* to Tuesday 07:00 */
		{ mon + 1, 7 * 60, 24 * 60 },
	};
	/* 2021-10-18 23:30 in Hà Nội is 16:30 UTC. */
	int64_t utc_2330 = ((int64_t)mon * 86400 + 16 * 3600 + 30 * 60) * 1000;

	(void)state;
	assert_int_equal(duty_minute_of(utc_2330), (int64_t)mon * 1440 + 23 * 60 + 30);
	assert_int_equal(duty_on_now(s, 3, duty_minute_of(utc_2330)), 1);
	assert_int_equal(duty_on_now(s, 3, (int64_t)mon * 1440 + 7 * 60), 0);
	assert_int_equal(duty_on_now(s, 3, (int64_t)mon * 1440 + 22 * 60), 1);
	assert_int_equal(duty_on_now(s, 3, (int64_t)(mon + 1) * 1440 + 6 * 60 + 59), 1);
	assert_int_equal(duty_on_now(s, 3, (int64_t)(mon + 1) * 1440 + 7 * 60), 2);
	assert_int_equal(duty_on_now(s, 3, (int64_t)(mon + 2) * 1440), -1);
	assert_int_equal(duty_on_now(s, 3, (int64_t)mon * 1440 + 6 * 60), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_week_check),
		cmocka_unit_test(test_on_duty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
