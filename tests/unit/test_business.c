/*
 * Businesses (domain/business): the tax code, the 2194 index with its
 * rounding, the band edges 15/16, 30/31, 50/51, 80/81, the reassessment
 * day and the rules file (the shipped one and broken ones).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/business.h"
#include "base/banned.h"

static struct business_risk_rules *shipped(void)
{
	static char buf[BUSINESS_RULES_MAX_BYTES + 1];
	struct business_risk_rules *r = NULL;
	struct error err = ERROR_INIT;
	const char *dir = getenv("THC_DATA_DIR");
	char path[1024];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/business/risk-2194.json", dir && dir[0] ? dir : THC_DATA_DIR);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(business_risk_parse(buf, n, &r, &err), 0);
	return r;
}

/* Scores adding up to `sum`: 20s first, the rest in one criterion. */
static void spread(int sum, int64_t s[BUSINESS_CRITERIA])
{
	for (size_t i = 0; i < BUSINESS_CRITERIA; i++) {
		s[i] = sum > 20 ? 20 : sum;
		sum -= (int)s[i];
	}
}

static int index_of(int sum)
{
	int64_t s[BUSINESS_CRITERIA];

	spread(sum, s);
	return business_risk_index(s);
}

static void test_tax_code(void **state)
{
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(business_tax_code_check("tax_code", "0101234567", &err), 0);
	assert_int_equal(business_tax_code_check("tax_code", "0101234567-001", &err), 0);
	assert_int_equal(business_tax_code_check("tax_code", "010123456", &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "tax_code");
	assert_int_equal(business_tax_code_check("tax_code", "01012345678", &err), THC_EUNPROCESSABLE);
	assert_int_equal(business_tax_code_check("tax_code", "0101234567001", &err), THC_EUNPROCESSABLE);
	assert_int_equal(business_tax_code_check("tax_code", "0101234567-01", &err), THC_EUNPROCESSABLE);
	assert_int_equal(business_tax_code_check("tax_code", "010123456a", &err), THC_EUNPROCESSABLE);
	assert_int_equal(business_tax_code_check("tax_code", "0101234567_001", &err), THC_EUNPROCESSABLE);
	assert_int_equal(business_tax_code_check("tax_code", "", &err), THC_EUNPROCESSABLE);
}

static void test_index_rounding(void **state)
{
	int64_t s[BUSINESS_CRITERIA] = { 0 };

	(void)state;
	assert_int_equal(index_of(0), 0);
	assert_int_equal(index_of(1), 3);       /* 0.333 -> 0.3 */
	assert_int_equal(index_of(2), 7);       /* 0.667 -> 0.7 */
	assert_int_equal(index_of(35), 117);    /* 11.667 -> 11.7: the shipyard of the template */
	assert_int_equal(index_of(46), 153);    /* 15.333 -> 15.3 */
	assert_int_equal(index_of(47), 157);
	assert_int_equal(index_of(300), 1000);
	s[3] = 21;
	assert_int_equal(business_risk_index(s), -1);
	s[3] = -1;
	assert_int_equal(business_risk_index(s), -1);
}

static void expect_band(const struct business_risk_rules *r, int sum, enum business_band b)
{
	assert_string_equal(business_band_name(business_band_of(r, index_of(sum))),
	                    business_band_name(b));
}

static void test_band_edges(void **state)
{
	struct business_risk_rules *r = shipped();

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		const struct business_risk_rules *x = pass ? r : NULL;

		expect_band(x, 0, BUSINESS_BAND_VERY_LOW);
		expect_band(x, 45, BUSINESS_BAND_VERY_LOW);     /* 15.0 */
		expect_band(x, 46, BUSINESS_BAND_LOW);          /* 15.3: above 15 */
		expect_band(x, 48, BUSINESS_BAND_LOW);          /* 16.0 */
		expect_band(x, 90, BUSINESS_BAND_LOW);          /* 30.0 */
		expect_band(x, 93, BUSINESS_BAND_MEDIUM);       /* 31.0 */
		expect_band(x, 150, BUSINESS_BAND_MEDIUM);      /* 50.0 */
		expect_band(x, 153, BUSINESS_BAND_HIGH);        /* 51.0 */
		expect_band(x, 240, BUSINESS_BAND_HIGH);        /* 80.0 */
		expect_band(x, 241, BUSINESS_BAND_VERY_HIGH);   /* 80.3 */
		expect_band(x, 243, BUSINESS_BAND_VERY_HIGH);   /* 81.0 */
		expect_band(x, 300, BUSINESS_BAND_VERY_HIGH);
	}
	assert_int_equal(business_band_from_name("medium"), BUSINESS_BAND_MEDIUM);
	assert_int_equal(business_band_from_name("moderate"), -1);
	business_risk_free(r);
}

static void test_shipped_rules(void **state)
{
	struct business_risk_rules *r = shipped();

	(void)state;
	assert_string_equal(r->criteria[0].code, "CS1");
	assert_string_equal(r->criteria[14].code, "CS15");
	/* The names are not known: every criterion says so. */
	for (size_t i = 0; i < BUSINESS_CRITERIA; i++)
		assert_true(r->criteria[i].assumption);
	assert_int_equal(r->bands[0].max, 15);
	assert_int_equal(r->bands[4].max, 100);
	assert_false(r->bands[0].assumption);    /* very low: reported */
	assert_true(r->bands[3].assumption);
	assert_true(r->reassess_assumption);
	assert_int_equal(business_reassess_due(r, 100), 100 + r->reassess_days);
	business_risk_free(r);
}

static void test_bad_rules(void **state)
{
	struct business_risk_rules *r = NULL;
	struct error err = ERROR_INIT;
	char buf[8192];
	size_t n = 0;

	(void)state;
	assert_int_equal(business_risk_parse("{", 1, &r, &err), THC_EUNPROCESSABLE);
	assert_null(r);
	assert_int_equal(business_risk_parse("{\"criteria\":[]}", 15, &r, &err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "15 criteria"));
	/* 15 criteria, bands out of order. */
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "{\"criteria\":[");
	for (int i = 1; i <= 15; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s{\"code\":\"CS%d\",\"name\":{\"vi\":\"a\","
		                      "\"en\":\"a\"},\"status\":\"assumption\"}", i > 1 ? "," : "", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "],\"bands\":[");
	{
		static const char *const codes[] = { "very_low", "low", "medium", "high", "very_high" };
		static const int tops[] = { 15, 50, 30, 80, 100 };

		for (int b = 0; b < 5; b++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s{\"code\":\"%s\",\"max\":%d,"
			                      "\"name\":{\"vi\":\"a\",\"en\":\"a\"},\"actions\":{\"vi\":\"a\","
			                      "\"en\":\"a\"},\"status\":\"assumption\"}", b ? "," : "",
			                      codes[b], tops[b]);
	}
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "],\"reassess_days\":14}");
	assert_int_equal(business_risk_parse(buf, n, &r, &err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "rise"));
	/* The same with the bands in order is accepted. */
	memcpy(strstr(buf, "\"max\":50"), "\"max\":30", 8);
	memcpy(strstr(buf + (strstr(buf, "\"max\":30") - buf) + 1, "\"max\":30"), "\"max\":50", 8);
	assert_int_equal(business_risk_parse(buf, n, &r, &err), 0);
	assert_int_equal(r->bands[2].max, 50);
	business_risk_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tax_code),
		cmocka_unit_test(test_index_rounding),
		cmocka_unit_test(test_band_edges),
		cmocka_unit_test(test_shipped_rules),
		cmocka_unit_test(test_bad_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
