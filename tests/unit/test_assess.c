/*
 * The quick paths of `thichung assess` against the general ones they stand
 * in for: a figure read by assess_fast_field() must be exactly what
 * level_input_parse() reads (and a shape it does not take is left alone
 * for the parser to judge); the line count that splits the input counts
 * as the CSV reader does; a reader started part-way through a text (as
 * each half of a split input is) names the lines of the whole text; the
 * numbers of the explanations round half away from zero as llround() does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/error.h"
#include "cli/assess.h"
#include "domain/level.h"
#include "domain/level-private.h"

static const char *const shapes[] = {
	"0", "1", "2", "4", "5", "9", "00", "007", "10", "31279", "999999999", "1000000000",
	"1234567890", "2000000000", "2000000001", "99999999999999999999", "0.0", "0.5", "00.50",
	"67.1", "99.99", "100", "100.0", "100.00000000001", "100.1", "101", "3.14159",
	"12345678901234.5", "1234567890123456", "123456789012345.6", "0.000000000000001",
	"1.", ".5", "1..2", "1.2.3", "-0", "-1", "+1", " 5", "5 ", "1e2", "0x10", "inf", "nan",
	"", "high", "medium", "low", "1,5", "٣", "1\t",
};

/* What level_input_parse() makes of s in field f, from an input with
 * every bit set and odd values (so that a field left alone shows). */
static void parse_general(struct level_input *in, int f, const char *s, int *ok)
{
	struct error err = ERROR_INIT;

	*ok = level_input_parse(in, (enum level_field)f, s, &err) == 0;
}

static void start(struct level_input *in)
{
	memset(in, 0x5a, sizeof(*in));
	in->present = 0x0f0fu;
}

static void test_fast_field_same_as_parser(void **state)
{
	(void)state;
	for (int f = 0; f < LEVEL_F_COUNT; f++)
		for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
			struct level_input fast, slow;
			int ok;

			start(&fast);
			start(&slow);
			if (!assess_fast_field(&fast, f, shapes[k], strlen(shapes[k]))) {
				start(&slow);
				if (memcmp(&fast, &slow, sizeof(fast)) != 0)
					fail_msg("field %d, '%s': refused but changed", f, shapes[k]);
				continue;
			}
			parse_general(&slow, f, shapes[k], &ok);
			if (!ok)
				fail_msg("field %d, '%s': taken, but the parser refuses it", f, shapes[k]);
			if (memcmp(&fast, &slow, sizeof(fast)) != 0)
				fail_msg("field %d, '%s': not what the parser reads", f, shapes[k]);
		}
}

/* The shapes the bulk input is written in do take the quick path. */
static void test_fast_field_takes_plain_figures(void **state)
{
	struct level_input in;

	(void)state;
	memset(&in, 0, sizeof(in));
	assert_true(assess_fast_field(&in, LEVEL_F_POPULATION, "31279", 5));
	assert_true(assess_fast_field(&in, LEVEL_F_CASES_WEEK, "0", 1));
	assert_true(assess_fast_field(&in, LEVEL_F_DEATHS_WEEK, "999999999", 9));
	assert_true(assess_fast_field(&in, LEVEL_F_VAX1_18PLUS, "67.1", 4));
	assert_true(assess_fast_field(&in, LEVEL_F_VAXFULL, "100", 3));
	assert_true(assess_fast_field(&in, LEVEL_F_CAPACITY_MET, "0", 1));
	assert_true(assess_fast_field(&in, LEVEL_F_PREVIOUS_LEVEL, "4", 1));
	assert_int_equal(in.population, 31279);
	assert_int_equal(in.deaths_week, 999999999);
	assert_true(in.vax1_18plus_pct == 67.1);
	assert_int_equal(in.capacity_met, 0);
	assert_int_equal(in.previous_level, 4);
	/* Left to the parser: a population of 0, a tenth digit, a text. */
	assert_false(assess_fast_field(&in, LEVEL_F_POPULATION, "0", 1));
	assert_false(assess_fast_field(&in, LEVEL_F_CASES_WEEK, "1000000000", 10));
	assert_false(assess_fast_field(&in, LEVEL_F_CAPACITY, "high", 4));
	assert_false(assess_fast_field(&in, LEVEL_F_PREVIOUS_LEVEL, "5", 1));
}

/* Random digits with a point somewhere: the same double as the parser. */
static void test_fast_field_percentages_sweep(void **state)
{
	char s[24];

	(void)state;
	srand(4800);
	for (int i = 0; i < 200000; i++) {
		int nd = 1 + rand() % 16, dot = rand() % (nd + 1);
		size_t n = 0;
		struct level_input fast, slow;
		int ok;

		for (int d = 0; d < nd; d++) {
			if (d == dot && d > 0)
				s[n++] = '.';
			s[n++] = (char)('0' + (d == 0 ? rand() % 2 : rand() % 10));
		}
		s[n] = '\0';
		start(&fast);
		start(&slow);
		if (!assess_fast_field(&fast, LEVEL_F_VAXFULL_ELDERLY, s, n))
			continue;
		parse_general(&slow, LEVEL_F_VAXFULL_ELDERLY, s, &ok);
		if (!ok || memcmp(&fast, &slow, sizeof(fast)) != 0)
			fail_msg("'%s': %.17g, the parser %s", s, fast.vaxfull_elderly_pct,
			         ok ? "reads another value" : "refuses it");
	}
}

static size_t lines_slow(const char *p, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += p[i] == '\n' || (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n'));
	return k;
}

static void test_count_lines(void **state)
{
	static const char *const texts[] = {
		"", "\n", "a", "a\n", "a\r\n", "a\rb\r", "\r", "\r\n\r\n", "\n\r", "abcdefg\n",
		"abcdefgh\n", "abcdefghi\r\n", "1234567\r\n1234567\r\n", "\r\r\n\n",
	};
	size_t big = 64 * 1024;
	char *buf = malloc(big);

	(void)state;
	for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++)
		assert_int_equal(assess_count_lines(texts[k], strlen(texts[k])),
		                 lines_slow(texts[k], strlen(texts[k])));
	/* Past 255 words (the sums are bytes), every offset of the end. */
	assert_non_null(buf);
	srand(13);
	for (size_t i = 0; i < big; i++) {
		int r = rand() % 10;

		buf[i] = r == 0 ? '\n' : r == 1 ? '\r' : (char)('a' + r);
	}
	for (size_t n = big - 20; n <= big; n++)
		assert_int_equal(assess_count_lines(buf, n), lines_slow(buf, n));
	memset(buf, '\n', big);
	assert_int_equal(assess_count_lines(buf, big), big);
	free(buf);
}

/* A second reader from where the first stopped, told its line: the
 * records and the errors name the lines of the whole text. */
static void test_csv_reader_part_way(void **state)
{
	static const char text[] = "h1,h2\r\nx,1\n\ny,2\nz,\"3\nq,4\n";
	struct csv_reader *r = NULL, *s = NULL;
	struct csv_record rec;
	struct error err = ERROR_INIT;
	size_t off;

	(void)state;
	assert_int_equal(csv_open_mem(&r, text, sizeof(text) - 1, NULL, &err), 0);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(csv_line(r), 2);
	off = csv_offset(r);
	assert_int_equal(off, 7);
	assert_int_equal(csv_open_mem(&s, text + off, sizeof(text) - 1 - off, NULL, &err), 0);
	csv_set_line(s, csv_line(r));
	assert_int_equal(csv_next(s, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_string_equal(rec.fields[0], "x");
	assert_int_equal(csv_next(s, &rec, &err), 1);      /* the blank line */
	assert_int_equal(rec.line, 3);
	assert_int_equal(csv_next(s, &rec, &err), 1);
	assert_int_equal(rec.line, 4);
	assert_string_equal(rec.fields[1], "2");
	assert_true(csv_next(s, &rec, &err) < 0);            /* the quote never closes */
	assert_non_null(strstr(err.en, "line 5,"));
	csv_free(s);
	csv_free(r);
}

/* lr_fmt_num() rounds half away from zero, as llround() does. */
static void test_fmt_num_rounds_as_llround(void **state)
{
	static const double pow10[] = { 1, 10, 100, 1000 };
	static const double edge[] = { 0, 0.05, 0.15, 0.25, 0.45, 0.49999999999999994, 0.5, 1.5,
		                       2.5, 2.675, 1.005, 1234.5, 4503599627370495.5,
		                       4503599627370497.0, 999999999999999.9, 1e15 };
	char out[LR_NUM_TEXT], want[LR_NUM_TEXT];

	(void)state;
	srand(128);
	for (int i = 0; i < 200000 + (int)(sizeof(edge) / sizeof(edge[0])); i++) {
		double v = i < (int)(sizeof(edge) / sizeof(edge[0])) ? edge[i]
		           : (double)rand() / RAND_MAX * pow10[rand() % 4] * (rand() % 2 ? 1 : 1000);
		int dec = rand() % 4;
		long long s = llround(fabs(v) * pow10[dec]);
		long long ip = s / (long long)pow10[dec], fp = s % (long long)pow10[dec];

		if (fabs(v) > 1e15)
			continue;
		if (dec == 0)
			snprintf(want, sizeof(want), "%lld", ip);
		else
			snprintf(want, sizeof(want), "%lld.%0*lld", ip, dec, fp);
		/* English, untrimmed, the thousands' commas taken out: "ip.fp". */
		lr_fmt_num(out, v, dec, 0, 1);
		for (char *c = out, *o = out;; c++)
			if (*c != ',' && (*o++ = *c) == '\0')
				break;
		if (strcmp(out, want) != 0)
			fail_msg("%.17g to %d decimals: '%s', llround gives '%s'", v, dec, out, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_field_same_as_parser),
		cmocka_unit_test(test_fast_field_takes_plain_figures),
		cmocka_unit_test(test_fast_field_percentages_sweep),
		cmocka_unit_test(test_count_lines),
		cmocka_unit_test(test_csv_reader_part_way),
		cmocka_unit_test(test_fmt_num_rounds_as_llround),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
