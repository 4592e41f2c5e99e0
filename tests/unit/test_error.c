#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/error.h"
#include "base/text.h"

static void test_table(void **state)
{
	(void)state;
	assert_int_equal(error_http_status(THC_EINVAL), 400);
	assert_int_equal(error_http_status(THC_ENOTFOUND), 404);
	assert_int_equal(error_http_status(THC_ETOOBIG), 413);
	assert_int_equal(error_http_status(THC_EUNPROCESSABLE), 422);
	assert_int_equal(error_http_status(THC_ERATELIMIT), 429);
	assert_int_equal(error_http_status(THC_EUNAVAILABLE), 503);
	assert_int_equal(error_http_status(-9999), 500);
	assert_string_equal(error_slug(THC_ENOTFOUND), "not_found");
	assert_string_equal(error_slug(THC_ECSRF), "csrf");
	assert_string_equal(error_slug(12345), "internal");
	assert_string_equal(error_text(THC_ENOTFOUND, 1), "not found");
	assert_string_equal(error_text(THC_ENOTFOUND, 0), "không tìm thấy");
}

static void test_set_both_languages(void **state)
{
	struct error e = ERROR_INIT;

	(void)state;
	assert_int_equal(error_set(&e, THC_EUNPROCESSABLE, "dòng %d: cột '%s' sai",
	                           "line %d: column '%s' is wrong", 7, "level"),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(e.code, THC_EUNPROCESSABLE);
	assert_string_equal(e.vi, "dòng 7: cột 'level' sai");
	assert_string_equal(e.en, "line 7: column 'level' is wrong");
	error_prefix(&e, "tệp %s: ", "file %s: ", "a.csv");
	assert_string_equal(e.en, "file a.csv: line 7: column 'level' is wrong");
	assert_string_equal(error_message(&e, 0), "tệp a.csv: dòng 7: cột 'level' sai");
	error_clear(&e);
	assert_int_equal(e.code, 0);
	e.code = THC_EAUTH;
	assert_string_equal(error_message(&e, 1), "authentication required");
	assert_int_equal(error_set(NULL, THC_EIO, "x", "y"), THC_EIO);
}

static void test_long_message_truncates(void **state)
{
	struct error e = ERROR_INIT;
	char big[1000];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	error_set(&e, THC_EINVAL, "%s", "%s", big);
	assert_int_equal(strlen(e.en), sizeof(e.en) - 1);
	/* Truncation never leaves half a UTF-8 character behind. */
	for (int shift = 0; shift < 4; shift++) {
		char vi[1000] = "";
		size_t n = 0;
		for (int i = 0; i < shift; i++)
			vi[n++] = 'x';
		while (n + 3 < sizeof(vi)) {
			memcpy(vi + n, "ệ", 3);
			n += 3;
		}
		vi[n] = '\0';
		error_set(&e, THC_EINVAL, "%s", "%s", vi);
		assert_true(text_utf8_valid(e.vi, strlen(e.vi)));
		assert_true(strlen(e.vi) >= sizeof(e.vi) - 4);
		error_prefix(&e, "dòng %d: ", "line %d: ", 12);
		assert_true(text_utf8_valid(e.vi, strlen(e.vi)));
		assert_int_equal(strncmp(e.vi, "dòng 12: ", 10), 0);
	}
}

/*
 * Found by tests/fuzz (fuzz_csvtab, fuzz_quarantine): a "%.40s" that cuts a
 * quoted value inside a character, or a JSON parser's error text quoting
 * the bytes it could not read, left invalid UTF-8 inside the message, and
 * the JSON reply then fell back to the bare error text.  Bad bytes are
 * dropped wherever they are; the rest of the message stays.
 */
static void test_invalid_utf8_inside_dropped(void **state)
{
	struct error e = ERROR_INIT;

	(void)state;
	/* "aấb" cut after 3 bytes: half of "ấ" between two quotes. */
	error_set(&e, THC_EINVAL, "cột '%.3s' lạ", "column '%.3s' unknown", "aấb");
	assert_string_equal(e.en, "column 'a' unknown");
	assert_string_equal(e.vi, "cột 'a' lạ");
	/* A lone lead, a lone continuation, an overlong, a surrogate, > U+10FFFF. */
	error_set(&e, THC_EINVAL, "gần '%s' (dòng %d)", "near '%s' (line %d)",
	          "\xc6" "x" "\x80" "\xc0\xaf" "y" "\xed\xa0\x80" "z" "\xf4\x90\x80\x80", 3);
	assert_string_equal(e.en, "near 'xyz' (line 3)");
	assert_string_equal(e.vi, "gần 'xyz' (dòng 3)");
	/* Valid characters of every length stay. */
	error_set(&e, THC_EINVAL, "%s", "%s", "é ệ 𝔸 ~");
	assert_string_equal(e.en, "é ệ 𝔸 ~");
	error_prefix(&e, "%s: ", "%s: ", "\xe1\xba");
	assert_string_equal(e.en, ": é ệ 𝔸 ~");
}

static void test_field(void **state)
{
	struct error e = ERROR_INIT;
	char longname[100];

	(void)state;
	error_set(&e, THC_EUNPROCESSABLE, "thiếu giá trị", "is missing");
	assert_string_equal(e.field, "");
	assert_int_equal(error_in_field(&e, "person.full_name"), THC_EUNPROCESSABLE);
	assert_string_equal(e.en, "field 'person.full_name': is missing");
	assert_string_equal(e.vi, "trường 'person.full_name': thiếu giá trị");
	assert_string_equal(e.field, "person.full_name");
	error_prefix(&e, "dòng %d: ", "line %d: ", 4);          /* kept by a prefix */
	assert_string_equal(e.field, "person.full_name");
	error_set(&e, THC_EUNPROCESSABLE, "x", "x");           /* cleared by a new error */
	assert_string_equal(e.field, "");
	error_in_field(&e, "@detected_on");
	assert_string_equal(e.en, "column detected_on: x");
	assert_string_equal(e.field, "detected_on");
	assert_int_equal(error_set_at(&e, THC_ECONFLICT, "unit_code", "a %d", "b %d", 7),
	                 THC_ECONFLICT);
	assert_string_equal(e.en, "b 7");
	assert_string_equal(e.field, "unit_code");
	/* A name that does not fit is left out rather than cut. */
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	error_at(&e, longname);
	assert_string_equal(e.field, "");
	error_clear(&e);
	assert_string_equal(e.field, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_set_both_languages),
		cmocka_unit_test(test_long_message_truncates),
		cmocka_unit_test(test_invalid_utf8_inside_dropped),
		cmocka_unit_test(test_field),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
