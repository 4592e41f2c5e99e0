/* The per-key limit in a fixed table (domain/ratelimit.h): the window, the
 * wait, other keys, and that a full table evicts instead of growing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/ratelimit.h"
#include "base/banned.h"

static void test_window(void **state)
{
	struct ratelimit_slot slots[64];
	struct ratelimit t = { slots, 64, 3, 600000 };
	int64_t now = 1000000;

	(void)state;
	memset(slots, 0, sizeof(slots));
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_hit(&t, "10.0.0.1", now + i), 0);
	assert_int_equal(ratelimit_hit(&t, "10.0.0.1", now + 10), 600000 - 10);
	assert_int_equal(ratelimit_hit(&t, "10.0.0.1", now + 20), 600000 - 20);  /* not counted */
	assert_int_equal(ratelimit_hit(&t, "10.0.0.2", now + 20), 0);           /* another address */
	assert_int_equal(ratelimit_hit(&t, "10.0.0.1", now + 600000), 0);      /* a new window */
	t.limit = 0;                                                            /* off */
	for (int i = 0; i < 100; i++)
		assert_int_equal(ratelimit_hit(&t, "10.0.0.1", now + 600001), 0);
}

static void test_bounded(void **state)
{
	struct ratelimit_slot slots[16];
	struct ratelimit t = { slots, 16, 1, 600000 };
	char key[32];
	int64_t now = 5000000;

	(void)state;
	memset(slots, 0, sizeof(slots));
	assert_int_equal(ratelimit_hit(&t, "victim", now), 0);
	assert_true(ratelimit_hit(&t, "victim", now + 1) > 0);
	/* a thousand fresh addresses: the table holds 16, each is limited once
	 * seen, and memory does not grow */
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "10.1.%d.%d", i / 256, i % 256);
		assert_int_equal(ratelimit_hit(&t, key, now + 2 + i), 0);
		assert_true(ratelimit_hit(&t, key, now + 2 + i) > 0);
	}
	for (size_t i = 0; i < 16; i++)
		assert_true(slots[i].key[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
