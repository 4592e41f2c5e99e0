/* Sign-in throttling rules (domain/throttle.h): the delay schedule, waits,
 * the address key, and what the default numbers let an attacker do. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "domain/throttle.h"
#include "base/banned.h"

static const struct throttle_rule r5 = { 5, 1000, 900000, 86400000 };

static void test_delay_schedule(void **state)
{
	(void)state;
	for (int64_t n = 0; n < 5; n++)
		assert_int_equal(throttle_delay_ms(&r5, n), 0);
	assert_int_equal(throttle_delay_ms(&r5, 5), 1000);
	assert_int_equal(throttle_delay_ms(&r5, 6), 2000);
	assert_int_equal(throttle_delay_ms(&r5, 7), 4000);
	assert_int_equal(throttle_delay_ms(&r5, 14), 512000);
	assert_int_equal(throttle_delay_ms(&r5, 15), 900000);   /* 1024 s, capped */
	/* Never more than the cap, however many failures: a delay, not a lockout. */
	assert_int_equal(throttle_delay_ms(&r5, 1000), 900000);
	assert_int_equal(throttle_delay_ms(&r5, INT64_MAX), 900000);
	for (int64_t n = 5; n < 200; n++)
		assert_true(throttle_delay_ms(&r5, n + 1) >= throttle_delay_ms(&r5, n));
	assert_int_equal(throttle_next_at(&r5, 6, 10000), 12000);
	assert_int_equal(throttle_next_at(&r5, 2, 10000), 0);    /* free: no wait at all */
}

static void test_wait(void **state)
{
	struct throttle_state s = { 6, 0, 0 };
	int64_t t = 5000000;

	(void)state;
	assert_int_equal(throttle_wait_ms(&r5, NULL, t), 0);
	s.window_start = t - 1000;
	s.next_at = throttle_next_at(&r5, s.failures, t);
	assert_int_equal(throttle_wait_ms(&r5, &s, t), 2000);
	assert_int_equal(throttle_wait_ms(&r5, &s, t + 1999), 1);
	assert_int_equal(throttle_wait_ms(&r5, &s, t + 2000), 0);
	/* Waits end with the window even when next_at is later. */
	s.failures = 40;
	s.next_at = t + 900000;
	s.window_start = t - r5.window_ms + 60000;
	assert_int_equal(throttle_wait_ms(&r5, &s, t), 60000);
	assert_false(throttle_window_over(&r5, &s, t + 59999));
	assert_true(throttle_window_over(&r5, &s, t + 60000));
	assert_int_equal(throttle_wait_ms(&r5, &s, t + 60000), 0);
	/* A row without failures (a known address) never makes anyone wait. */
	s.failures = 0;
	s.window_start = t;
	assert_int_equal(throttle_wait_ms(&r5, &s, t), 0);
	assert_int_equal(throttle_retry_after_s(1), 1);
	assert_int_equal(throttle_retry_after_s(1000), 1);
	assert_int_equal(throttle_retry_after_s(1001), 2);
	assert_int_equal(throttle_retry_after_s(0), 1);
	assert_int_equal(throttle_retry_after_s(900000), 900);
}

static void test_addr_key(void **state)
{
	char out[THROTTLE_ADDR_MAX], small[8];

	(void)state;
	throttle_addr_key("203.0.113.7", out, sizeof(out));
	assert_string_equal(out, "203.0.113.7");
	throttle_addr_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd", out, sizeof(out));
	assert_string_equal(out, "2001:db8:1:2::/64");
	throttle_addr_key("2001:db8:1:2::9", out, sizeof(out));
	assert_string_equal(out, "2001:db8:1:2::/64");   /* same subscriber, same counter */
	throttle_addr_key("::1", out, sizeof(out));
	assert_string_equal(out, "::/64");
	throttle_addr_key("::ffff:198.51.100.4", out, sizeof(out));
	assert_string_equal(out, "::ffff:198.51.100.4");   /* an IPv4 client stays itself */
	throttle_addr_key("?", out, sizeof(out));
	assert_string_equal(out, "?");
	throttle_addr_key(NULL, out, sizeof(out));
	assert_string_equal(out, "");
	throttle_addr_key("2001:db8:1:2::9", small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

/* Attempts an attacker gets at one counter in `period` when trying at every
 * moment the rule allows (every attempt failing). */
static int64_t budget(const struct throttle_rule *r, int64_t period)
{
	struct throttle_state s = { 0, 0, 0 };
	int64_t t = 0, n = 0, w;

	while (t < period) {
		if ((w = throttle_wait_ms(r, &s, t)) > 0) {
			t += w;
			continue;
		}
		if (s.failures == 0 || throttle_window_over(r, &s, t)) {
			s.failures = 0;
			s.window_start = t;
		}
		s.failures++;
		s.next_at = throttle_next_at(r, s.failures, t);
		n++;
	}
	return n;
}

/* The figures docs/api.md and throttle.h give for the default rules. */
static void test_default_budgets(void **state)
{
	const struct throttle_rules d = THROTTLE_RULES_DEFAULT;

	(void)state;
	assert_int_equal(budget(&d.pair, THROTTLE_HOUR_MS), 17);
	assert_int_equal(budget(&d.pair, THROTTLE_DAY_MS), 109);
	assert_int_equal(budget(&d.user, THROTTLE_DAY_MS), 124);
	assert_int_equal(budget(&d.addr, THROTTLE_HOUR_MS), 119);
	assert_true(d.user.free > d.pair.free);
	assert_true(d.addr.free > d.user.free);
	assert_int_equal(throttle_delay_ms(&d.pair, 1000000), 15 * THROTTLE_MINUTE_MS);
	assert_int_equal(throttle_delay_ms(&d.addr, 1000000), 5 * THROTTLE_MINUTE_MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_schedule),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_addr_key),
		cmocka_unit_test(test_default_budgets),
	};
	return cmocka_run_group_tests_name("throttle", tests, NULL, NULL);
}
