/* Zoning rules (domain/zone.h): which units, dates, the end rule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/zone.h"
#include "base/banned.h"

static int32_t day(const char *s)
{
	struct vndate d;

	assert_int_equal(vndate_parse(s, &d), 0);
	return vndate_to_days(d);
}

static void test_units_that_fit(void **state)
{
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(zone_check_unit_level(UNIT_HOUSEHOLD, &err), 0);
	assert_int_equal(zone_check_unit_level(UNIT_HAMLET, &err), 0);
	assert_int_equal(zone_check_unit_level(UNIT_COMMUNE, &err), 0);
	assert_int_equal(zone_check_unit_level(UNIT_DISTRICT, &err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "district"));
	assert_non_null(strstr(err.en, "'unit_code'"));
	assert_int_equal(zone_check_unit_level(UNIT_COUNTRY, &err), THC_EUNPROCESSABLE);
	assert_int_equal(zone_check_dates(day("2021-09-01"), -1, &err), 0);
	assert_int_equal(zone_check_dates(day("2021-09-01"), day("2021-09-01"), &err), 0);
	assert_int_equal(zone_check_dates(day("2021-09-01"), day("2021-08-31"), &err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "'planned_end'"));
}

static void test_end_rule(void **state)
{
	struct error err = ERROR_INIT;
	struct zone_rule r0 = { 0 }, r21 = { 21 };
	int32_t start = day("2021-09-01"), last = day("2021-09-10");

	(void)state;
	/* No case: any day from the start. */
	assert_int_equal(zone_check_end(NULL, start, start, -1, NULL, &err), 0);
	assert_int_equal(zone_check_end(NULL, start, start - 1, -1, "lý do", &err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "'ended_on'"));
	/* Default 14 days after the last case: 2021-09-24 is the first allowed day. */
	assert_int_equal(zone_check_end(NULL, start, day("2021-09-24"), last, NULL, &err), 0);
	assert_int_equal(zone_check_end(NULL, start, day("2021-09-23"), last, NULL, &err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "14 days"));
	assert_non_null(strstr(err.en, "2021-09-10"));
	assert_non_null(strstr(err.en, "2021-09-24"));
	assert_non_null(strstr(err.en, "override_reason"));
	assert_non_null(strstr(err.vi, "14 ngày"));
	assert_int_equal(zone_check_end(NULL, start, day("2021-09-23"), last, "", &err),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(zone_check_end(NULL, start, day("2021-09-23"), last, "đã xét nghiệm", &err), 1);
	/* Configured per server. */
	assert_int_equal(zone_check_end(&r0, start, last, last, NULL, &err), 0);
	assert_int_equal(zone_check_end(&r21, start, day("2021-09-24"), last, NULL, &err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "21 days"));
	assert_non_null(strstr(err.en, "2021-10-01"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_that_fit),
		cmocka_unit_test(test_end_rule),
	};

	return cmocka_run_group_tests_name("zone", tests, NULL, NULL);
}
