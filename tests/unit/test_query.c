/*
 * query: the raw query string read strictly.  What libmicrohttpd let
 * through before (a "%00" cutting a value short, the first of two values
 * winning silently, bytes that are not text) must now be a 400 naming the
 * parameter, and everything a browser or curl sends must still read the
 * same.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "http/query.h"

struct fixture {
	struct arena arena;
	struct query q;
	struct error err;
};

static int setup(void **state)
{
	static struct fixture f;

	f.arena = (struct arena)ARENA_INIT(1u << 20);
	f.q = (struct query)QUERY_INIT;
	f.err = (struct error)ERROR_INIT;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	arena_release(&f->arena);
	return 0;
}

static int parse(struct fixture *f, const char *s)
{
	f->err = (struct error)ERROR_INIT;
	return query_parse(s, strlen(s), &f->arena, &f->q, &f->err);
}

/* Refused with code, both messages naming `mentions`, both valid UTF-8. */
static void refused(struct fixture *f, const char *s, int code, const char *mentions)
{
	int rc = parse(f, s);

	if (rc != code)
		fail_msg("\"%.80s\": got %d, want %d (%s)", s, rc, code, f->err.en);
	assert_int_equal(f->err.code, code);
	assert_int_equal(f->q.n, 0);
	assert_true(text_utf8_valid(f->err.vi, strlen(f->err.vi)));
	assert_true(text_utf8_valid(f->err.en, strlen(f->err.en)));
	if (mentions && (!strstr(f->err.en, mentions) || !strstr(f->err.vi, mentions)))
		fail_msg("\"%.80s\": message should name %s: %s / %s", s, mentions,
		         f->err.vi, f->err.en);
}

static void test_plain(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ""), 0);
	assert_int_equal(f->q.n, 0);
	assert_null(query_get(&f->q, "a"));
	assert_int_equal(parse(f, "parent=01&level=district&limit=5"), 0);
	assert_int_equal(f->q.n, 3);
	assert_string_equal(query_get(&f->q, "parent"), "01");
	assert_string_equal(query_get(&f->q, "level"), "district");
	assert_string_equal(query_get(&f->q, "limit"), "5");
	assert_null(query_get(&f->q, "lim"));
	assert_null(query_get(&f->q, "limits"));
	assert_string_equal(f->q.params[0].name, "parent");   /* order kept */
	assert_string_equal(f->q.params[2].name, "limit");
}

static void test_decoding(void **state)
{
	struct fixture *f = *state;

	/* '+' and %20 are spaces; UTF-8 escapes (upper or lower hex) decode. */
	assert_int_equal(parse(f, "q=ha+noi&r=ha%20n%E1%BB%99i&s=h%c3%a0"), 0);
	assert_string_equal(query_get(&f->q, "q"), "ha noi");
	assert_string_equal(query_get(&f->q, "r"), "ha nội");
	assert_string_equal(query_get(&f->q, "s"), "hà");
	/* %2B is a plus, %26 and %3D are data, not separators. */
	assert_int_equal(parse(f, "a=1%2B1&b=x%26y%3Dz"), 0);
	assert_string_equal(query_get(&f->q, "a"), "1+1");
	assert_string_equal(query_get(&f->q, "b"), "x&y=z");
	assert_int_equal(f->q.n, 2);
	/* Raw UTF-8 (not escaped) is text too; names are decoded alike. */
	assert_int_equal(parse(f, "q=Hà Nội&t%C3%AAn=x"), 0);
	assert_string_equal(query_get(&f->q, "q"), "Hà Nội");
	assert_string_equal(query_get(&f->q, "tên"), "x");
	/* Only the first '=' splits. */
	assert_int_equal(parse(f, "a=b=c"), 0);
	assert_string_equal(query_get(&f->q, "a"), "b=c");
}

static void test_empty_pieces(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "flag&a=&b=2&&c=3&"), 0);
	assert_int_equal(f->q.n, 4);
	assert_string_equal(query_get(&f->q, "flag"), "");
	assert_string_equal(query_get(&f->q, "a"), "");
	assert_string_equal(query_get(&f->q, "b"), "2");
	assert_string_equal(query_get(&f->q, "c"), "3");
	assert_int_equal(parse(f, "&"), 0);
	assert_int_equal(f->q.n, 0);
	refused(f, "=x", THC_EINVAL, "1");
	refused(f, "a=1&=x", THC_EINVAL, "2");
	refused(f, "a=1&%2B=x&=y", THC_EINVAL, "3");
}

static void test_bad_escapes(void **state)
{
	struct fixture *f = *state;

	refused(f, "q=%zz", THC_EINVAL, "'q'");
	refused(f, "q=%4", THC_EINVAL, "'q'");
	refused(f, "q=%", THC_EINVAL, "'q'");
	refused(f, "q=ab%", THC_EINVAL, "'q'");
	refused(f, "q=%%41", THC_EINVAL, "'q'");
	refused(f, "unit=01&q=%g1", THC_EINVAL, "'q'");
	assert_true(strstr(f->err.en, "percent escape") != NULL);
	/* A broken name is quoted as sent. */
	refused(f, "a%zz=1", THC_EINVAL, "'a%zz'");
	refused(f, "a%=1", THC_EINVAL, "'a%'");
	/* ... or by position when it is not printable. */
	refused(f, "a=1&\x01%zz=1", THC_EINVAL, "'#2'");
	refused(f, "\xc3%zz=1", THC_EINVAL, "'#1'");
}

static void test_nul_and_utf8(void **state)
{
	struct fixture *f = *state;

	refused(f, "unit=01%00' OR 1=1", THC_EINVAL, "'unit'");
	assert_true(strstr(f->err.en, "NUL") != NULL);
	refused(f, "a%00b=1", THC_EINVAL, "'a%00b'");
	refused(f, "q=%C3%28", THC_EINVAL, "'q'");         /* bad continuation */
	assert_true(strstr(f->err.en, "UTF-8") != NULL);
	refused(f, "q=%C0%80", THC_EINVAL, "'q'");         /* overlong NUL */
	refused(f, "q=%ED%A0%80", THC_EINVAL, "'q'");      /* surrogate */
	refused(f, "q=%F4%90%80%80", THC_EINVAL, "'q'");   /* past U+10FFFF */
	refused(f, "q=%E1%BB", THC_EINVAL, "'q'");         /* truncated */
	refused(f, "q=\xff", THC_EINVAL, "'q'");
	refused(f, "%FF=1", THC_EINVAL, "'%FF'");
}

static void test_twice(void **state)
{
	struct fixture *f = *state;

	refused(f, "unit=01&unit=79", THC_EINVAL, "'unit'");
	assert_true(strstr(f->err.en, "given twice") != NULL);
	assert_true(strstr(f->err.vi, "hai lần") != NULL);
	refused(f, "a=1&b=2&%61=3", THC_EINVAL, "'a'");     /* same once decoded */
	refused(f, "flag&flag", THC_EINVAL, "'flag'");
	refused(f, "t%C3%AAn=1&tên=2", THC_EINVAL, "'tên'");
	/* Names differ by case: both kept. */
	assert_int_equal(parse(f, "a=1&A=2"), 0);
	assert_string_equal(query_get(&f->q, "A"), "2");
}

static void test_caps(void **state)
{
	struct fixture *f = *state;
	char buf[QUERY_MAX_LEN + 64];
	size_t n = 0;

	/* QUERY_MAX_PARAMS pieces pass, one more is refused (empty ones count). */
	for (int i = 0; i < QUERY_MAX_PARAMS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%sp%d=%d", i ? "&" : "", i, i);
	assert_int_equal(parse(f, buf), 0);
	assert_int_equal(f->q.n, QUERY_MAX_PARAMS);
	assert_string_equal(query_get(&f->q, "p31"), "31");
	snprintf(buf + n, sizeof(buf) - n, "&");
	refused(f, buf, THC_EINVAL, "32");
	memset(buf, '&', QUERY_MAX_PARAMS);
	buf[QUERY_MAX_PARAMS] = '\0';
	refused(f, buf, THC_EINVAL, "32");
	buf[QUERY_MAX_PARAMS - 1] = '\0';
	assert_int_equal(parse(f, buf), 0);

	/* QUERY_MAX_LEN bytes pass, one more is a 414. */
	memcpy(buf, "q=", 2);
	memset(buf + 2, 'x', QUERY_MAX_LEN - 2);
	buf[QUERY_MAX_LEN] = '\0';
	assert_int_equal(parse(f, buf), 0);
	assert_int_equal(strlen(query_get(&f->q, "q")), QUERY_MAX_LEN - 2);
	buf[QUERY_MAX_LEN] = 'x';
	buf[QUERY_MAX_LEN + 1] = '\0';
	refused(f, buf, THC_EURITOOLONG, "4096");
}

static void test_long_names_in_messages(void **state)
{
	struct fixture *f = *state;
	char buf[1024], name[128];
	size_t n = 0;

	/* A long name is clipped, with an ellipsis, on a character boundary. */
	memset(buf, 'n', 200);
	memcpy(buf + 200, "=%zz", 5);
	refused(f, buf, THC_EINVAL, "…'");
	assert_true(strlen(f->err.en) < 200);
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(name + n, sizeof(name) - n, "ộ");
	snprintf(buf, sizeof(buf), "%s=1&%s=2", name, name);
	refused(f, buf, THC_EINVAL, "…'");
	assert_true(strstr(f->err.en, "ộộộ") != NULL);
}

static void test_out_of_memory(void **state)
{
	struct arena small = ARENA_INIT(64);
	struct query q = QUERY_INIT;
	struct error err = ERROR_INIT;
	char buf[600];

	(void)state;
	memset(buf, 'v', sizeof(buf) - 1);
	memcpy(buf, "a=", 2);
	buf[sizeof(buf) - 1] = '\0';
	assert_int_equal(query_parse(buf, strlen(buf), &small, &q, &err), THC_ENOMEM);
	assert_int_equal(q.n, 0);
	arena_release(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_and_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_names_in_messages, setup, teardown),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
