/* A value made once on first need (base/lazy.h): one maker whatever the
 * number of threads asking at once, the same value for all, and a take
 * that never makes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <sched.h>

#include "base/lazy.h"
#include "base/banned.h"

static int made;
static int value = 42;

static void *make(void *arg)
{
	/* Long enough for the other threads to arrive while it is being made. */
	for (int i = 0; i < 100; i++)
		sched_yield();
	__atomic_add_fetch(&made, 1, __ATOMIC_SEQ_CST);
	return arg;
}

static void *asker(void *arg)
{
	return lazy_get(arg);
}

static void test_made_once_for_all(void **state)
{
	struct lazy l;
	pthread_t t[8];
	void *got;

	(void)state;
	made = 0;
	lazy_init(&l, make, &value);
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, asker, &l), 0);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(t[i], &got), 0);
		assert_ptr_equal(got, &value);
	}
	assert_int_equal(made, 1);
	assert_ptr_equal(lazy_get(&l), &value);
	assert_int_equal(made, 1);
	assert_ptr_equal(lazy_take(&l), &value);
	assert_null(lazy_get(&l));           /* taken: not made again */
	assert_int_equal(made, 1);
	lazy_destroy(&l);
}

static void test_take_unmade(void **state)
{
	struct lazy l;

	(void)state;
	made = 0;
	lazy_init(&l, make, &value);
	assert_null(lazy_take(&l));
	assert_null(lazy_get(&l));
	assert_int_equal(made, 0);
	lazy_destroy(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_made_once_for_all),
		cmocka_unit_test(test_take_unmade),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
