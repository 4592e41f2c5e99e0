#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"

static void test_alloc_aligned_and_zeroed(void **state)
{
	struct arena a = ARENA_INIT(0);

	(void)state;
	for (int i = 1; i < 2000; i += 7) {
		unsigned char *p = arena_alloc(&a, (size_t)i);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (int k = 0; k < i; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, (size_t)i);
	}
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
}

static void test_big_blocks_and_strings(void **state)
{
	struct arena a = ARENA_INIT(0);
	char *s, *big;

	(void)state;
	s = arena_strdup(&a, "Phường Phúc Xá");
	big = arena_alloc(&a, 100000);
	assert_non_null(big);
	memset(big, 1, 100000);
	assert_string_equal(s, "Phường Phúc Xá");
	/* The head chunk keeps its room after a big block. */
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(arena_printf(&a, "%s-%03d", "00001", 7), "00001-007");
	assert_null(arena_strdup(&a, NULL));
	arena_release(&a);
}

static void test_cap(void **state)
{
	struct arena a = ARENA_INIT(20000);
	int n = 0;

	(void)state;
	while (arena_alloc(&a, 1000) != NULL)
		n++;
	assert_true(n > 0 && n < 20);
	assert_true(a.total <= 20000);
	arena_release(&a);
	/* Usable again after release. */
	assert_non_null(arena_alloc(&a, 100));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_aligned_and_zeroed),
		cmocka_unit_test(test_big_blocks_and_strings),
		cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
