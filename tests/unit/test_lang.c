/*
 * http/lang: the reply language from Accept-Language (RFC 9110, 12.5.4).
 * English only when the client ranks it above Vietnamese.  The RFC cases
 * below were found by tests/fuzz/fuzz_lang's reference reading: valid
 * headers whose weight was ignored or misread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "http/lang.h"

static void test_common_headers(void **state)
{
	(void)state;
	assert_int_equal(http_lang_english(NULL), 0);
	assert_int_equal(http_lang_english(""), 0);
	assert_int_equal(http_lang_english("en"), 1);
	assert_int_equal(http_lang_english("EN-us"), 1);
	assert_int_equal(http_lang_english("en-US,en;q=0.9"), 1);
	assert_int_equal(http_lang_english("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"), 0);
	assert_int_equal(http_lang_english("en;q=0.9,vi;q=0.8"), 1);
	assert_int_equal(http_lang_english("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), 1);
	assert_int_equal(http_lang_english("*"), 0);
	assert_int_equal(http_lang_english("eng,env"), 0);
	/* A tie goes to Vietnamese; q=0 means "not English". */
	assert_int_equal(http_lang_english("en,vi"), 0);
	assert_int_equal(http_lang_english("en;q=0.5,vi;q=0.500"), 0);
	assert_int_equal(http_lang_english("en;q=0"), 0);
	assert_int_equal(http_lang_english("en;q=0.000"), 0);
	assert_int_equal(http_lang_english("en;q=0.001"), 1);
}

/* Optional white space around ';' and around elements (RFC 9110, 5.6.6). */
static void test_ows_around_weight(void **state)
{
	(void)state;
	assert_int_equal(http_lang_english("vi;q=0.6, en; q=0.5"), 0);
	assert_int_equal(http_lang_english("vi;q=0.6, en ; q=0.5"), 0);
	assert_int_equal(http_lang_english("vi;q=0.5,en\t;q=0.9"), 1);
	assert_int_equal(http_lang_english("vi;q=0.5,\ten;q=0.9 "), 1);
	assert_int_equal(http_lang_english("en;q=0.5\t,vi;q=0.4"), 1);
}

/* "q" is case-insensitive; "0." and "1." are valid qvalues. */
static void test_qvalue_spellings(void **state)
{
	(void)state;
	assert_int_equal(http_lang_english("en;Q=0,vi;q=0.1"), 0);
	assert_int_equal(http_lang_english("en;q=0."), 0);
	assert_int_equal(http_lang_english("en;q=1.,vi;q=0.9"), 1);
	assert_int_equal(http_lang_english("en;q=1.000,vi;q=0.999"), 1);
	/* A weight followed by another parameter is still the weight. */
	assert_int_equal(http_lang_english("vi;q=0.6,en;q=0.5;x=1"), 0);
}

/* Malformed weights count as 1 (lenient, as lang.c says). */
static void test_malformed_weight_is_one(void **state)
{
	(void)state;
	assert_int_equal(http_lang_english("en;q=abc,vi;q=0.9"), 1);
	assert_int_equal(http_lang_english("en;q=0.0001,vi;q=0.9"), 1);
	assert_int_equal(http_lang_english("en;q=1.5,vi;q=0.9"), 1);
	assert_int_equal(http_lang_english("en;q=,vi;q=0.9"), 1);
	assert_int_equal(http_lang_english("en;q=abc,vi"), 0);
}

/* Only a real '-' ends the primary subtag: a control byte is not one. */
static void test_subtag_boundary(void **state)
{
	(void)state;
	assert_int_equal(http_lang_english("en\r,vi;q=0.5"), 0);
	assert_int_equal(http_lang_english("en-\r,vi;q=0.5"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_headers),
		cmocka_unit_test(test_ows_around_weight),
		cmocka_unit_test(test_qvalue_spellings),
		cmocka_unit_test(test_malformed_weight_is_one),
		cmocka_unit_test(test_subtag_boundary),
	};
	return cmocka_run_group_tests_name("lang", tests, NULL, NULL);
}
