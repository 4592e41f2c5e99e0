/*
 * Dated quarantine rules (domain/quarantine) and the case checks
 * (domain/case): parsing, the period in force, the shipped rules file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/vntime.h"
#include "domain/case.h"
#include "domain/quarantine.h"
#include "base/banned.h"

static int32_t day_of(const char *iso)
{
	struct vndate d;

	assert_int_equal(vndate_parse(iso, &d), 0);
	return vndate_to_days(d);
}

static const char rules[] =
	"{\"periods\":["
	"{\"from\":\"2020-01-01\",\"f1_days\":14,\"f2_days\":7,\"note\":\"a\",\"status\":\"confirmed\"},"
	"{\"from\":\"2021-10-11\",\"f1_days\":7,\"f2_days\":0,\"note\":\"b\",\"status\":\"assumption\"}]}";

static void test_compute_by_exposure_day(void **state)
{
	struct quarantine_rules *r;
	struct error err = ERROR_INIT;
	int32_t s, e;
	const char *id, *note;
	int assumption;

	(void)state;
	assert_int_equal(quarantine_rules_parse(rules, strlen(rules), &r, &err), 0);
	assert_int_equal(quarantine_compute(r, 1, day_of("2021-10-10"), &s, &e, &id, &err), 0);
	assert_int_equal(e - s, 14);
	assert_string_equal(id, "2020-01-01");
	assert_int_equal(quarantine_compute(r, 1, day_of("2021-10-11"), &s, &e, &id, &err), 0);
	assert_int_equal(e - s, 7);
	assert_string_equal(id, "2021-10-11");
	assert_int_equal(quarantine_compute(r, 2, day_of("2021-10-11"), &s, &e, &id, &err), 0);
	assert_int_equal(e, s);
	assert_int_equal(quarantine_rule_info(r, day_of("2022-01-01"), &note, &assumption), 0);
	assert_string_equal(note, "b");
	assert_int_equal(assumption, 1);
	assert_int_equal(quarantine_compute(r, 3, day_of("2021-10-11"), &s, &e, &id, &err),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(quarantine_compute(r, 1, day_of("2019-12-31"), &s, &e, &id, &err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "exposure_on"));
	quarantine_rules_free(r);
}

static void test_parse_errors_name_the_period(void **state)
{
	static const char *const bad[] = {
		"{\"periods\":[]}",
		"{\"periods\":[{\"from\":\"2020-01-01\",\"f1_days\":99,\"f2_days\":0,\"status\":\"confirmed\"}]}",
		"{\"periods\":[{\"from\":\"2020-01-01\",\"f1_days\":1,\"f2_days\":0,\"status\":\"maybe\"}]}",
		("{\"periods\":[{\"from\":\"2021-01-01\",\"f1_days\":1,\"f2_days\":0,\"status\":\"confirmed\"},"
		 "{\"from\":\"2020-01-01\",\"f1_days\":1,\"f2_days\":0,\"status\":\"confirmed\"}]}"),
		"not json",
	};
	struct quarantine_rules *r;
	struct error err = ERROR_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(quarantine_rules_parse(bad[i], strlen(bad[i]), &r, &err),
		                 THC_EUNPROCESSABLE);
		assert_null(r);
	}
	assert_non_null(strstr(err.en, "JSON"));
}

/*
 * Found by tests/fuzz/fuzz_quarantine: jansson's error text quotes the
 * bytes near the error, here the first byte of a two-byte character, and
 * the message then was not valid UTF-8.
 */
static void test_json_error_message_utf8(void **state)
{
	static const char bad[] = "\"=U<\\\xc6\x91";
	struct quarantine_rules *r;
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(quarantine_rules_parse(bad, strlen(bad), &r, &err), THC_EUNPROCESSABLE);
	assert_null(r);
	assert_non_null(strstr(err.en, "malformed JSON at line 1"));
	assert_true(text_utf8_valid(err.en, strlen(err.en)));
	assert_true(text_utf8_valid(err.vi, strlen(err.vi)));
}

static void test_shipped_rules_file(void **state)
{
	const char *dir = getenv("THC_DATA_DIR");
	struct quarantine_rules *r;
	struct error err = ERROR_INIT;
	char path[1024], buf[QUARANTINE_RULES_MAX_BYTES];
	int32_t s, e;
	const char *id;
	size_t n;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/quarantine.json", dir && dir[0] ? dir : THC_DATA_DIR);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(quarantine_rules_parse(buf, n, &r, &err), 0);
	assert_int_equal(quarantine_compute(r, 1, day_of("2021-03-01"), &s, &e, &id, &err), 0);
	assert_int_equal(e - s, 14);
	assert_int_equal(quarantine_compute(r, 1, day_of("2021-11-01"), &s, &e, &id, &err), 0);
	assert_int_equal(e - s, 7);
	assert_int_equal(quarantine_compute(r, 1, day_of("2022-04-01"), &s, &e, &id, &err), 0);
	assert_int_equal(e - s, 0);
	quarantine_rules_free(r);
}

static void test_case_checks(void **state)
{
	struct error err = ERROR_INIT;
	int32_t today = day_of("2022-03-01"), d;

	(void)state;
	assert_int_equal(case_check_id_number("id_number", "001080000001", &err), 0);
	assert_int_equal(case_check_id_number("id_number", "123456789", &err), 0);
	assert_int_equal(case_check_id_number("id_number", "12345678", &err), THC_EUNPROCESSABLE);
	assert_int_equal(case_check_phone("phone", "0912 345 678", &err), 0);
	assert_int_equal(case_check_phone("phone", "+84-912.345.678", &err), 0);
	assert_int_equal(case_check_phone("phone", "", &err), 0);
	assert_int_equal(case_check_phone("phone", "0912 34", &err), THC_EUNPROCESSABLE);
	assert_int_equal(case_check_phone("phone", "0912 345 678 x2", &err), THC_EUNPROCESSABLE);
	assert_int_equal(case_check_phone("phone", "09+12345678", &err), THC_EUNPROCESSABLE);
	assert_int_equal(case_check_phone("phone", "1234567890123456", &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "phone");
	assert_int_equal(case_check_day("detected_on", "2022-03-01", today, &d, &err), 0);
	assert_int_equal(case_check_day("detected_on", "2022-03-02", today, &d, &err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "field 'detected_on'"));
	assert_string_equal(err.field, "detected_on");
	assert_int_equal(case_check_day("@detected_on", "2019-12-31", today, &d, &err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "column detected_on: "));
	assert_string_equal(err.field, "detected_on");      /* the column, without '@' */
	assert_int_equal(case_check_enum("sex", "x", case_sexes, &err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "male|female|other"));
	assert_true(case_severity_needs_oxygen("moderate"));
	assert_false(case_severity_needs_oxygen("mild"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compute_by_exposure_day),
		cmocka_unit_test(test_parse_errors_name_the_period),
		cmocka_unit_test(test_json_error_message_utf8),
		cmocka_unit_test(test_shipped_rules_file),
		cmocka_unit_test(test_case_checks),
	};

	return cmocka_run_group_tests_name("quarantine", tests, NULL, NULL);
}
