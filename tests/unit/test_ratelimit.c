#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "http/ratelimit.h"

static void test_blocks_after_max_and_window_resets(void **state)
{
	struct ratelimit *rl = ratelimit_new(3, 60000, 64);
	int64_t t = 1000000;

	(void)state;
	assert_non_null(rl);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ratelimit_blocked(rl, "phucxa", t), 0);
		ratelimit_fail(rl, "phucxa", t + i);
	}
	assert_int_equal(ratelimit_blocked(rl, "phucxa", t + 10), 60);
	assert_int_equal(ratelimit_blocked(rl, "trucbach", t + 10), 0);   /* other keys unaffected */
	assert_int_equal(ratelimit_blocked(rl, "phucxa", t + 59001), 1);
	assert_int_equal(ratelimit_blocked(rl, "phucxa", t + 60000), 0);  /* window over */
	ratelimit_fail(rl, "phucxa", t + 60000);
	assert_int_equal(ratelimit_blocked(rl, "phucxa", t + 60001), 0);  /* counting anew */
	ratelimit_clear(rl, "phucxa");
	ratelimit_free(rl);
}

static void test_many_keys_fixed_memory(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 60000, 16);
	char key[32];

	(void)state;
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "10.0.0.%d", i);
		ratelimit_fail(rl, key, 5000 + i);
	}
	/* The newest key is still remembered. */
	assert_true(ratelimit_blocked(rl, "10.0.0.999", 6000) > 0);
	ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_after_max_and_window_resets),
		cmocka_unit_test(test_many_keys_fixed_memory),
	};
	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
