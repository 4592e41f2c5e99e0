#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/strbuf.h"

static void test_empty_needs_no_allocation(void **state)
{
	struct strbuf sb = STRBUF_INIT(16);

	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.alloc, 0);
	strbuf_release(&sb);
	assert_string_equal(sb.buf, "");
}

static void test_appends(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);

	(void)state;
	assert_int_equal(strbuf_adds(&sb, "Hà "), 0);
	assert_int_equal(strbuf_addf(&sb, "%s %d", "Nội", 1), 0);
	assert_int_equal(strbuf_addch(&sb, '!'), 0);
	assert_string_equal(sb.buf, "Hà Nội 1!");
	assert_int_equal(sb.len, strlen("Hà Nội 1!"));
	for (int i = 0; i < 1000; i++)
		assert_int_equal(strbuf_addch(&sb, 'x'), 0);
	assert_int_equal(sb.len, strlen("Hà Nội 1!") + 1000);
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_cap_refuses_and_keeps_content(void **state)
{
	struct strbuf sb = STRBUF_INIT(8);

	(void)state;
	assert_int_equal(strbuf_adds(&sb, "12345678"), 0);   /* exactly the cap */
	assert_int_equal(strbuf_addch(&sb, '9'), THC_ETOOBIG);
	assert_int_equal(strbuf_addf(&sb, "%d", 42), THC_ETOOBIG);
	assert_string_equal(sb.buf, "12345678");
	assert_int_equal(sb.len, 8);
	strbuf_release(&sb);
	assert_int_equal(strbuf_adds(&sb, "abcdefghij"), THC_ETOOBIG);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_json_string(void **state)
{
	struct strbuf sb = STRBUF_INIT(64);

	(void)state;
	assert_int_equal(strbuf_add_json_str(&sb, "a\"b\\c\nd\x01"), 0);
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\nd\\u0001\"");
	strbuf_reset(&sb);
	/* Too big: the buffer is left as it was. */
	assert_int_equal(strbuf_adds(&sb, "x"), 0);
	assert_int_equal(strbuf_add_json_str(&sb, "0123456789012345678901234567890123456789"
	                                          "0123456789012345678901234567890123456789"),
	                 THC_ETOOBIG);
	assert_string_equal(sb.buf, "x");
	strbuf_release(&sb);
}

static void test_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	size_t n;
	char *p;

	(void)state;
	p = strbuf_detach(&sb, &n);
	assert_string_equal(p, "");
	assert_int_equal(n, 0);
	free(p);
	assert_int_equal(strbuf_adds(&sb, "xã"), 0);
	p = strbuf_detach(&sb, &n);
	assert_string_equal(p, "xã");
	assert_int_equal(n, 3);
	assert_string_equal(sb.buf, "");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_needs_no_allocation),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_cap_refuses_and_keeps_content),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_detach),
	};
	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
