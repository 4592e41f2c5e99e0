/*
 * Idempotency keys (store/idempotency.c) on SQLite and, with
 * THC_TEST_PG_URL, on PostgreSQL: a key and its answer are kept at least
 * IDEM_KEEP_MS (a phone that was a week without signal still gets its first
 * answer), then purged; a key is its owner's; the answer recorded is the
 * one found.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "store/idempotency.h"
#include "store_fixture.h"
#include "base/banned.h"

#define T0 1700000000000LL            /* a fixed "now": the store reads no clock here */
#define SEVEN_DAYS_MS (7LL * 86400 * 1000)  /* what docs/api.md promises */
#define PURGE_BATCH 64                /* the store purges once per this many inserts */

static const char *backend_url;

static int setup(void **state)
{
	*state = sfx_open(backend_url, "store-idem", 0);
	return 0;
}

static int teardown(void **state)
{
	sfx_close(*state);
	return 0;
}

static void put(struct sfx *f, int64_t owner, const char *key, int64_t now_ms)
{
	struct store_idem k = { .owner = owner, .key = key, .now_ms = now_ms };

	memset(k.fingerprint, 'a', IDEM_FP_LEN);
	assert_int_equal(store_idem_insert(f->st, &k, &f->err), 0);
	assert_int_equal(store_idem_answer(f->st, &k, 201, "application/json", "{\"id\":7}", 8,
	                                   &f->err), 0);
}

/* Enough other keys at now_ms that the store purges at least once then. */
static void others(struct sfx *f, const char *tag, int64_t now_ms)
{
	char key[64];

	for (int i = 0; i < PURGE_BATCH; i++) {
		snprintf(key, sizeof(key), "other-%s-%04d-xxxxxxxx", tag, i);
		put(f, 2, key, now_ms);
	}
}

static int found(struct sfx *f, int64_t owner, const char *key, struct idem_row *row)
{
	int rc = store_idem_find(f->st, owner, key, &f->a, row, &f->err);

	assert_true(rc >= 0);
	return rc;
}

static void test_kept_seven_days_then_purged(void **state)
{
	struct sfx *f = *state;
	const char *key = "5b0e9b1c-0000-4000-8000-phone-queue";
	struct idem_row row;

	assert_true(IDEM_KEEP_MS >= SEVEN_DAYS_MS);
	put(f, 1, key, T0);
	others(f, "a", T0 + SEVEN_DAYS_MS - 1000);
	assert_int_equal(found(f, 1, key, &row), 1);
	assert_int_equal(row.answered, 1);
	assert_int_equal(row.status, 201);
	assert_string_equal(row.body, "{\"id\":7}");
	assert_int_equal(found(f, 2, key, &row), 0);   /* another owner never used it */
	others(f, "b", T0 + IDEM_KEEP_MS + 1000);
	assert_int_equal(found(f, 1, key, &row), 0);
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_seven_days_then_purged),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	return sfx_each_backend(run_backend) ? 1 : 0;
}
