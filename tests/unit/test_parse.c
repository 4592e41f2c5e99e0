/*
 * parse: the strict replacements for atoi/strtod.  Every spelling that the
 * C library would quietly accept (space, "+", junk, hex, exponents, nan,
 * inf) must be refused, and the range checks must hold at INT64 bounds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/parse.h"

static void check_i64(const char *s, int64_t want)
{
	int64_t v = -7;

	if (parse_int64(s, INT64_MIN, INT64_MAX, &v) != 0)
		fail_msg("rejected \"%s\"", s);
	assert_int_equal(v, want);
}

static void test_int64_good(void **state)
{
	(void)state;
	check_i64("0", 0);
	check_i64("-0", 0);
	check_i64("7", 7);
	check_i64("-7", -7);
	check_i64("007", 7);
	check_i64("1234567890", 1234567890);
	check_i64("9223372036854775807", INT64_MAX);
	check_i64("-9223372036854775808", INT64_MIN);
	check_i64("-9223372036854775807", INT64_MIN + 1);
	check_i64("00000000000000000000000000009", 9);
}

static void test_int64_bad(void **state)
{
	static const char *const bad[] = {
		"", "-", "+", "+1", " 1", "1 ", "\t1", "1\n", "1a", "a1", "0x10",
		"1.0", "1e3", "1,000", "1_000", "--1", "-+1", "- 1", "١", "１",
		"9223372036854775808", "-9223372036854775809",
		"99999999999999999999999999", "-99999999999999999999999999",
		"nan", "inf",
	};
	int64_t v = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_int64(bad[i], INT64_MIN, INT64_MAX, &v) != THC_EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(v, 42);        /* untouched on failure */
	assert_int_equal(parse_int64(NULL, 0, 1, &v), THC_EINVAL);
	assert_int_equal(parse_int64("1", 0, 1, NULL), THC_EINVAL);
}

static void test_int64_range(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(parse_int64("0", 0, 100, &v), 0);
	assert_int_equal(parse_int64("100", 0, 100, &v), 0);
	assert_int_equal(v, 100);
	assert_int_equal(parse_int64("101", 0, 100, &v), THC_EINVAL);
	assert_int_equal(parse_int64("-1", 0, 100, &v), THC_EINVAL);
	assert_int_equal(v, 100);
	assert_int_equal(parse_int64("5", 5, 5, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(parse_int64("5", 6, 4, &v), THC_EINVAL); /* empty range */
	assert_int_equal(parse_int64("9223372036854775807", INT64_MIN, INT64_MAX - 1, &v),
	                 THC_EINVAL);
	assert_int_equal(parse_int64("-9223372036854775808", INT64_MIN + 1, INT64_MAX, &v),
	                 THC_EINVAL);
}

static void check_dbl(const char *s, double want)
{
	double v = -7;

	if (parse_double(s, -DBL_MAX, DBL_MAX, &v) != 0)
		fail_msg("rejected \"%s\"", s);
	if (v != want)
		fail_msg("\"%s\" = %.17g, want %.17g", s, v, want);
}

static void test_double_good(void **state)
{
	(void)state;
	check_dbl("0", 0.0);
	check_dbl("-0", 0.0);
	check_dbl("12.5", 12.5);
	check_dbl("-3", -3.0);
	check_dbl("0.1", 0.1);
	check_dbl("100.000", 100.0);
	check_dbl("007.25", 7.25);
	check_dbl("21.0285", 21.0285);            /* Hà Nội latitude */
	check_dbl("105.8542", 105.8542);
	check_dbl("-0.5", -0.5);
	check_dbl("123456789012345678901234567890", 123456789012345678901234567890.0);
	/* Underflow rounds to the nearest representable value, which is fine. */
	{
		char tiny[400];

		memset(tiny, '0', sizeof(tiny));
		tiny[1] = '.';
		tiny[sizeof(tiny) - 2] = '1';
		tiny[sizeof(tiny) - 1] = '\0';
		check_dbl(tiny, 0.0);
	}
}

static void test_double_bad(void **state)
{
	static const char *const bad[] = {
		"", "-", ".", "-.", ".5", "-.5", "1.", "-1.", "1..2", "1.2.3", "+1",
		" 1", "1 ", "1\n", "1e3", "1E3", "1e-3", "1.5e2", "nan", "NaN", "inf",
		"-inf", "infinity", "0x1p3", "0x10", "1,5", "1_000", "--1", "1f",
		"12.5abc",
	};
	double v = 42;
	char huge[400];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_double(bad[i], -DBL_MAX, DBL_MAX, &v) != THC_EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	/* 1 followed by 398 zeros overflows to infinity: refused. */
	memset(huge, '0', sizeof(huge));
	huge[0] = '1';
	huge[sizeof(huge) - 1] = '\0';
	assert_int_equal(parse_double(huge, -INFINITY, INFINITY, &v), THC_EINVAL);
	huge[0] = '-';
	huge[1] = '1';
	assert_int_equal(parse_double(huge, -INFINITY, INFINITY, &v), THC_EINVAL);
	assert_true(v == 42);
	assert_int_equal(parse_double(NULL, 0, 1, &v), THC_EINVAL);
	assert_int_equal(parse_double("1", 0, 1, NULL), THC_EINVAL);
}

static void test_double_range(void **state)
{
	double v = 0;

	(void)state;
	assert_int_equal(parse_double("0", 0, 1, &v), 0);
	assert_int_equal(parse_double("1", 0, 1, &v), 0);
	assert_true(v == 1.0);
	assert_int_equal(parse_double("1.0000001", 0, 1, &v), THC_EINVAL);
	assert_int_equal(parse_double("-0.0000001", 0, 1, &v), THC_EINVAL);
	assert_int_equal(parse_double("-90.5", -90, 90, &v), THC_EINVAL);
	assert_int_equal(parse_double("90", -90, 90, &v), 0);
	assert_int_equal(parse_double("1", 2, 1, &v), THC_EINVAL);      /* empty range */
	assert_int_equal(parse_double("1", NAN, 2, &v), THC_EINVAL);
	assert_int_equal(parse_double("1", 0, NAN, &v), THC_EINVAL);
	assert_true(v == 90.0);
}

/* A Vietnamese locale writes decimals with ","; numbers in files and APIs
 * still use ".", so parsing must not depend on LC_NUMERIC. */
static void test_double_locale_independent(void **state)
{
	static const char *const locales[] = {
		"vi_VN.UTF-8", "de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8",
	};
	double v = 0;
	int tried = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(locales) / sizeof(locales[0]); i++) {
		if (setlocale(LC_NUMERIC, locales[i]) == NULL)
			continue;
		tried++;
		assert_int_equal(parse_double("12.5", 0, 100, &v), 0);
		assert_true(v == 12.5);
		assert_int_equal(parse_double("12,5", 0, 100, &v), THC_EINVAL);
	}
	setlocale(LC_NUMERIC, "C");
	if (tried == 0)
		print_message("no comma-decimal locale installed; only C checked\n");
	assert_int_equal(parse_double("12.5", 0, 100, &v), 0);
	assert_true(v == 12.5);
}

/* Numbers of up to 15 digits are converted without strtod: the same
 * double every time, checked against strtod on a sweep of the shapes CSV
 * imports hold (percentages, coordinates, counts) and the edges of the
 * fast path (15 and 16 digits, leading zeros, a sign). */
static void check_same_as_strtod(const char *s)
{
	double v = -7, want = strtod(s, NULL);

	if (parse_double(s, -DBL_MAX, DBL_MAX, &v) != 0)
		fail_msg("rejected \"%s\"", s);
	if (memcmp(&v, &want, sizeof(v)) != 0)
		fail_msg("\"%s\" = %.17g, strtod %.17g", s, v, want);
}

static void test_double_fast_path(void **state)
{
	static const char *const edge[] = {
		"0.000000000000001", "999999999999999", "9999999999999999",
		"1.23456789012345", "1.234567890123456", "0.1", "0.7", "-0.0", "-0.3",
		"000000000000000.5", "100.00", "9007199254740993", "123456789012345.6",
		"0.30000000000000004", "21.0285", "105.8542", "8.9", "99.99",
	};
	char s[32];
	unsigned seed = 4800;

	(void)state;
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		check_same_as_strtod(edge[i]);
	for (int i = 0; i <= 100000; i++) {      /* 0.000 .. 100.000 */
		snprintf(s, sizeof(s), "%d.%03d", i / 1000, i % 1000);
		check_same_as_strtod(s);
		snprintf(s, sizeof(s), "%d.%d", i / 1000, i % 1000);
		check_same_as_strtod(s);
	}
	for (int i = 0; i < 100000; i++) {       /* random shapes of 1..15 digits */
		int whole = 1 + (int)(rand_r(&seed) % 8), frac = (int)(rand_r(&seed) % 8);
		size_t n = 0;

		if (rand_r(&seed) % 4 == 0)
			s[n++] = '-';
		for (int d = 0; d < whole; d++)
			s[n++] = (char)('0' + rand_r(&seed) % 10);
		if (frac > 0) {
			s[n++] = '.';
			for (int d = 0; d < frac; d++)
				s[n++] = (char)('0' + rand_r(&seed) % 10);
		}
		s[n] = '\0';
		check_same_as_strtod(s);
	}
}

static void test_int64_fast_path(void **state)
{
	(void)state;
	check_i64("999999999999999999", 999999999999999999LL);     /* 18 digits */
	check_i64("-99999999999999999", -99999999999999999LL);     /* 18 with the sign */
	check_i64("-999999999999999999", -999999999999999999LL);   /* 19: strtoll */
	check_i64("9223372036854775807", INT64_MAX);
	check_i64("000000000000000042", 42);
	check_i64("-0", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int64_good),
		cmocka_unit_test(test_int64_bad),
		cmocka_unit_test(test_int64_range),
		cmocka_unit_test(test_double_good),
		cmocka_unit_test(test_double_bad),
		cmocka_unit_test(test_double_range),
		cmocka_unit_test(test_double_locale_independent),
		cmocka_unit_test(test_double_fast_path),
		cmocka_unit_test(test_int64_fast_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
