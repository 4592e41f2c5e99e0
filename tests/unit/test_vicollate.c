/*
 * Vietnamese alphabetical order (base/vicollate.c): letters in the order of
 * the alphabet (ă, â after a; đ after d; ê after e; ô, ơ after o; ư after
 * u), then tones (none, huyền, hỏi, ngã, sắc, nặng), then case; only the
 * same bytes are equal; bytes that are not UTF-8 still order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/vicollate.h"
#include "base/banned.h"

static int cmp(const char *a, const char *b)
{
	return vi_compare(a, strlen(a), b, strlen(b));
}

/* Each list is in order: every pair compares as its places do. */
static void in_order(const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int c = cmp(list[i], list[j]);

			if ((i < j && c >= 0) || (i > j && c <= 0) || (i == j && c != 0))
				fail_msg("'%s' vs '%s': %d", list[i], list[j], c);
		}
}

static void test_alphabet(void **state)
{
	static const char *const letters[] = {
		"a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n",
		"o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y",
	};
	(void)state;
	in_order(letters, sizeof(letters) / sizeof(letters[0]));
}

static void test_names(void **state)
{
	/* Đ after every D and before E, whatever follows; tones after letters. */
	static const char *const names[] = {
		"An", "Anh", "Ánh", "Ạnh", "Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Bùi Văn An",
		"Dung", "Dũng", "Dương", "Đào", "Đặng Thị Hồng", "Đặng Văn Dũng", "Đinh", "Em",
		"Lê Thị Đào", "Lê Văn An", "Ngô", "Nguyễn", "Ông", "Ơn", "Trần", "Từ", "Vũ", "Ý", "Zed",
	};
	(void)state;
	in_order(names, sizeof(names) / sizeof(names[0]));
}

static void test_case_spaces_digits_others(void **state)
{
	static const char *const mixed[] = {
		"", " a", "-a", "0", "9", "an", "An", "an toàn", "an-toàn", "anh", "z", "Ω", "中",
	};
	(void)state;
	in_order(mixed, sizeof(mixed) / sizeof(mixed[0]));
	assert_int_equal(cmp("Đặng", "Đặng"), 0);
	/* Decomposed and precomposed forms differ in bytes: not equal, but neighbours. */
	assert_int_not_equal(cmp("A\xcc\x81nh", "Ánh"), 0);
}

static void test_not_utf8(void **state)
{
	(void)state;
	assert_true(vi_compare("\xff", 1, "\xfe", 1) > 0);
	assert_true(vi_compare("a\xc3", 2, "a", 1) > 0);
	assert_true(vi_compare("\xe1\xba", 2, "z", 1) > 0);
	assert_int_equal(vi_compare("\xe1\xba", 2, "\xe1\xba", 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alphabet),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_case_spaces_digits_others),
		cmocka_unit_test(test_not_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
