#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/csvtab.h"
#include "base/text.h"

static const char *const known[] = { "date", "unit_code", "level", "source", NULL };
static const char *const required[] = { "date", "unit_code", "level", NULL };

static void test_columns_any_order(void **state)
{
	const char *csv = "level,unit_code,date\r\n2,79,2022-01-22\r\n\r\n1,01,2022-01-22\r\n";
	struct csvtab t;
	struct error e = ERROR_INIT;

	(void)state;
	assert_int_equal(csvtab_read_mem(&t, csv, strlen(csv), known, required, 100, &e), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(csvtab_get(&t, 0, "unit_code"), "79");
	assert_string_equal(csvtab_get(&t, 1, "level"), "1");
	assert_int_equal(t.lines[1], 4);       /* the blank line is skipped but counted */
	assert_null(csvtab_get(&t, 0, "source"));
	csvtab_release(&t);
}

static void test_header_errors(void **state)
{
	struct csvtab t;
	struct error e = ERROR_INIT;
	const char *unknown = "date,unit_code,level,colour\n";
	const char *missing = "date,level\n";
	const char *twice = "date,unit_code,level,date\n";

	(void)state;
	assert_int_equal(csvtab_read_mem(&t, unknown, strlen(unknown), known, required, 10, &e),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(e.en, "line 1: unknown column 'colour'"));
	csvtab_release(&t);
	assert_int_equal(csvtab_read_mem(&t, missing, strlen(missing), known, required, 10, &e),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(e.en, "column 'unit_code' is missing"));
	csvtab_release(&t);
	assert_int_equal(csvtab_read_mem(&t, twice, strlen(twice), known, required, 10, &e),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(e.en, "appears twice"));
	csvtab_release(&t);
	assert_int_equal(csvtab_read_mem(&t, "", 0, known, required, 10, &e), THC_EUNPROCESSABLE);
	csvtab_release(&t);
}

static void test_row_errors_and_cap(void **state)
{
	struct csvtab t;
	struct error e = ERROR_INIT;
	const char *short_row = "date,unit_code,level\n2022-01-22,01,1\n2022-01-22,02\n";
	const char *many = "date,unit_code,level\na,b,c\na,b,c\na,b,c\n";

	(void)state;
	assert_int_equal(csvtab_read_mem(&t, short_row, strlen(short_row), known, required, 10, &e),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(e.en, "line 3: has 2 columns, expected 3"));
	assert_non_null(strstr(e.vi, "dòng 3"));
	csvtab_release(&t);
	assert_int_equal(csvtab_read_mem(&t, many, strlen(many), known, required, 2, &e), THC_ETOOBIG);
	assert_non_null(strstr(e.en, "line 4"));
	csvtab_release(&t);
}

/*
 * Found by tests/fuzz/fuzz_csvtab: the message quotes at most 40 bytes of an
 * unknown column's name, and a Vietnamese name was cut inside a character;
 * the API's JSON reply then dropped the message.  It stays valid UTF-8 and
 * names the line and the start of the column.
 */
static void test_unknown_column_message_utf8(void **state)
{
	/* 38 ASCII bytes, then "ấ" (3 bytes) across the 40-byte limit. */
	const char *csv = "date,unit_code,level,mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmấp độ\n";
	struct csvtab t;
	struct error e = ERROR_INIT;

	(void)state;
	assert_int_equal(csvtab_read_mem(&t, csv, strlen(csv), known, required, 10, &e),
	                 THC_EUNPROCESSABLE);
	assert_true(text_utf8_valid(e.en, strlen(e.en)));
	assert_true(text_utf8_valid(e.vi, strlen(e.vi)));
	assert_non_null(strstr(e.en, "line 1: unknown column 'mmmmmmmmmm"));
	assert_non_null(strstr(e.vi, "dòng 1: cột 'mmmmmmmmmm"));
	csvtab_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_any_order),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_row_errors_and_cap),
		cmocka_unit_test(test_unknown_column_message_utf8),
	};
	return cmocka_run_group_tests_name("csvtab", tests, NULL, NULL);
}
