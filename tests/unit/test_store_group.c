/*
 * Concurrent writes through a connection pool: on SQLite they share
 * commits (store/group.h), on PostgreSQL they run side by side.  Either
 * way every write that succeeded is there once with its audit row, and
 * every write whose body failed after writing left nothing, even when it
 * shared a transaction with writes that succeeded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/testing.h"
#include "store_fixture.h"
#include "base/banned.h"

#define GT_THREADS 6
#define GT_OPS 40
#define GT_CODE_MAX 32

struct gt_thread {
	struct store_pool *pool;
	const struct store_actor *sys;
	int index;
	int ok, failed_in_body, other;
	char codes[GT_OPS][GT_CODE_MAX];   /* each write's key */
};

/* Every third write fails after its insert: its row must go, the others'
 * rows in the same transaction must stay. */
static void *gt_run(void *arg)
{
	struct gt_thread *t = arg;

	for (int i = 0; i < GT_OPS; i++) {
		struct error err = ERROR_INIT;
		struct store *st;
		int rc;

		snprintf(t->codes[i], GT_CODE_MAX, "gt-%d-%d", t->index, i);
		if (store_pool_get(t->pool, 10000, &st, &err) < 0) {
			t->other++;
			continue;
		}
		rc = store_test_write(st, t->sys, t->codes[i], i % 3 == 2, &err);
		store_pool_put(t->pool, st);
		if (rc == 0 && i % 3 != 2)
			t->ok++;
		else if (rc == THC_EUNPROCESSABLE && i % 3 == 2)
			t->failed_in_body++;
		else
			t->other++;
	}
	return NULL;
}

static int gt_cmp(const void *x, const void *y)
{
	return strcmp(x, y);
}

static int gt_backend(const char *backend, const char *url)
{
	static struct gt_thread th[GT_THREADS];
	static char all[GT_THREADS * GT_OPS][GT_CODE_MAX];
	char path[512];
	struct sfx *f;
	struct store_pool *pool;
	struct audit_query aq = { .limit = 1000 };
	struct audit_entry *e;
	size_t n = 0, naudit = 0, nall = 0;

	if (url == NULL) {
		const char *tmp = getenv("THC_TEST_TMP");

		snprintf(path, sizeof(path), "%s/test_store_group-%d.db", tmp ? tmp : "/tmp",
		         (int)getpid());
		unlink(path);
		url = path;
	}
	f = sfx_open(url, "test_store_group", 0);
	if (store_pool_open(url, GT_THREADS, &pool, &f->err) != 0)
		fail_msg("%s pool: %s", backend, f->err.en);
	for (int i = 0; i < GT_THREADS; i++) {
		th[i] = (struct gt_thread){ .pool = pool, .sys = &f->sys, .index = i };
	}
	{
		pthread_t tid[GT_THREADS];

		for (int i = 0; i < GT_THREADS; i++)
			assert_int_equal(pthread_create(&tid[i], NULL, gt_run, &th[i]), 0);
		for (int i = 0; i < GT_THREADS; i++)
			pthread_join(tid[i], NULL);
	}
	store_pool_close(pool);

	for (int i = 0; i < GT_THREADS; i++) {
		assert_int_equal(th[i].other, 0);
		assert_int_equal(th[i].failed_in_body, GT_OPS / 3);
		assert_int_equal(th[i].ok, GT_OPS - GT_OPS / 3);
		for (int j = 0; j < GT_OPS; j++) {
			int found = -1;

			assert_int_equal(store_test_written(f->st, th[i].codes[j], &found, &f->err), 0);
			assert_int_equal(found, j % 3 != 2);
			if (found)
				memcpy(all[nall++], th[i].codes[j], GT_CODE_MAX);
		}
	}
	/* One audit row per write that succeeded, none for those that failed. */
	qsort(all, nall, GT_CODE_MAX, gt_cmp);
	assert_int_equal(store_audit_list(f->st, &f->sys, &aq, &f->a, &e, &naudit, &f->err), 0);
	for (size_t i = 0; i < naudit; i++)
		if (strcmp(e[i].action, "test.write") == 0) {
			assert_non_null(bsearch(e[i].entity_id, all, nall, GT_CODE_MAX, gt_cmp));
			n++;
		}
	assert_int_equal(n, nall);
	sfx_close(f);
	if (url == path)
		unlink(path);
	return 0;
}

static void test_concurrent_writes(void **state)
{
	(void)state;
	assert_int_equal(sfx_each_backend(gt_backend), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
