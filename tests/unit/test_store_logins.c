/*
 * Sign-in counters (store/logins.c) on SQLite and, with THC_TEST_PG_URL, on
 * PostgreSQL: the delays of domain/throttle.h as the database applies them,
 * what a success clears, known addresses, windows, pruning, parallel
 * attempts on several connections (several servers), no raw names stored,
 * and every storage failure leaving the counters as they were.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/throttle.h"
#include "store/fault.h"
#include "store/store.h"
#include "base/banned.h"

#define T0 1700000000000LL            /* a fixed "now": the store reads no clock here */
#define WINDOW (3600 * 1000LL)
#define FAULT_TRIES_MAX 64

/* Small numbers so that every rule is reached in a few calls. */
static const struct throttle_rules rules = {
	.pair = { 3, 1000, 8000, WINDOW },
	.user = { 6, 1000, 8000, WINDOW },
	.addr = { 12, 1000, 8000, WINDOW },
	.known_ms = 10 * WINDOW,
};

struct fx {
	struct store *st;             /* fault:<url>, so faults can be armed */
	char url[600];                /* the plain backend */
	char file[512];               /* the SQLite file, "" on PostgreSQL */
	struct error err;
};

static const char *backend_url;   /* NULL: a fresh SQLite file */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char furl[700];

	if (backend_url == NULL) {
		const char *tmp = getenv("THC_TEST_TMP");
		snprintf(f->file, sizeof(f->file), "%s/logins-%d.db", tmp ? tmp : "/tmp", (int)getpid());
		unlink(f->file);
		snprintf(f->url, sizeof(f->url), "%s", f->file);
	} else {
		snprintf(f->url, sizeof(f->url), "%s", backend_url);
	}
	snprintf(furl, sizeof(furl), "fault:%s", f->url);
	if (store_open(furl, &f->st, &f->err) != 0)
		fail_msg("open %s: %s", furl, f->err.en);
	assert_int_equal(store_migrate(f->st, NULL, &f->err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	free(f);
	return 0;
}

/* The wait for one attempt (0: let through and counted). */
static int64_t attempt(struct fx *f, const char *addr, const char *user, int64_t now,
                       struct store_login *l)
{
	struct store_login ignore;
	int64_t wait = -1;

	if (store_login_attempt(f->st, &rules, addr, user, now, l ? l : &ignore, &wait,
	                        &f->err) != 0)
		fail_msg("attempt %s@%s: %s", user, addr, f->err.en);
	return wait;
}

static void succeed(struct fx *f, const struct store_login *l, int64_t now)
{
	if (store_login_succeeded(f->st, &rules, l, now, &f->err) != 0)
		fail_msg("succeeded: %s", f->err.en);
}

/* ---- many connections at once: one counter, one secret ---- */

struct racer {
	const char *url;
	pthread_barrier_t *start;
	int64_t wait;
	int rc;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct store *st = NULL;
	struct store_login l;
	struct error err = ERROR_INIT;

	r->rc = store_open(r->url, &st, &err);
	pthread_barrier_wait(r->start);
	if (r->rc == 0)
		r->rc = store_login_attempt(st, &rules, "192.0.2.50", "racer", T0, &l, &r->wait, &err);
	store_close(st);
	return NULL;
}

/* Runs first, on a database without a secret yet: every connection must
 * agree on one secret, and parallel attempts pass only as many as are free. */
static void test_parallel_connections_share_limits(void **state)
{
	struct fx *f = *state;
	enum { N = 8 };
	struct racer r[N];
	pthread_t th[N];
	pthread_barrier_t start;
	int through = 0;

	pthread_barrier_init(&start, NULL, N);
	for (int i = 0; i < N; i++) {
		r[i] = (struct racer){ .url = f->url, .start = &start, .wait = -1 };
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(r[i].rc, 0);
		through += r[i].wait == 0;
	}
	pthread_barrier_destroy(&start);
	assert_int_equal(through, rules.pair.free);
	/* This connection sees the same counter. */
	assert_int_equal(attempt(f, "192.0.2.50", "racer", T0, NULL), 1000);
}

struct mixer {
	const char *url;
	int id, errors;
	char msg[256];
};

/* Attempts and successes on one pair from several connections at once. */
static void *mix(void *arg)
{
	struct mixer *m = arg;
	struct store *st = NULL;
	struct store_login l;
	struct error err = ERROR_INIT;
	int64_t wait;

	if (store_open(m->url, &st, &err) != 0) {
		m->errors++;
		snprintf(m->msg, sizeof(m->msg), "%s", err.en);
		return NULL;
	}
	for (int i = 0; i < 40; i++) {
		int64_t now = T0 + 3000 * WINDOW + i * 10000;
		int rc = store_login_attempt(st, &rules, "192.0.2.90", "mixed", now, &l, &wait, &err);
		if (rc == 0 && wait == 0 && m->id % 2 == 0)
			rc = store_login_succeeded(st, &rules, &l, now, &err);
		if (rc != 0) {
			m->errors++;
			snprintf(m->msg, sizeof(m->msg), "%s", err.en);
		}
	}
	store_close(st);
	return NULL;
}

/* A success takes its locks in the order attempts do: no deadlock (which
 * PostgreSQL would break by failing one of them). */
static void test_parallel_successes_and_failures(void **state)
{
	struct fx *f = *state;
	enum { N = 6 };
	struct mixer m[N];
	pthread_t th[N];

	for (int i = 0; i < N; i++) {
		m[i] = (struct mixer){ .url = f->url, .id = i };
		assert_int_equal(pthread_create(&th[i], NULL, mix, &m[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		if (m[i].errors)
			fail_msg("connection %d: %d errors, last: %s", i, m[i].errors, m[i].msg);
	}
}

static void test_free_then_growing_waits(void **state)
{
	struct fx *f = *state;
	struct throttle_state model = { 0, T0, 0 };
	int64_t t = T0, w;

	for (int i = 0; i < (int)rules.pair.free; i++)
		assert_int_equal(attempt(f, "192.0.2.1", "victim1", t, NULL), 0);
	model.failures = rules.pair.free;
	model.next_at = throttle_next_at(&rules.pair, model.failures, t);
	/* Each wait is the schedule's: 1 s, 2 s, 4 s, then the 8 s cap. */
	for (int i = 0; i < 6; i++) {
		w = attempt(f, "192.0.2.1", "victim1", t, NULL);
		assert_int_equal(w, throttle_wait_ms(&rules.pair, &model, t));
		assert_int_equal(w, throttle_delay_ms(&rules.pair, model.failures));
		/* Refused attempts count nothing: the wait only shrinks with time. */
		assert_int_equal(attempt(f, "192.0.2.1", "victim1", t + w - 1, NULL), 1);
		t += w;
		assert_int_equal(attempt(f, "192.0.2.1", "victim1", t, NULL), 0);
		model.failures++;
		model.next_at = throttle_next_at(&rules.pair, model.failures, t);
	}
	assert_int_equal(attempt(f, "192.0.2.1", "victim1", t, NULL), rules.pair.cap_ms);
	/* Other usernames from this address are not held up by the pair ... */
	assert_int_equal(attempt(f, "192.0.2.1", "someone-else", t, NULL), 0);
	/* ... but past its 6 free, the username waits from every address. */
	assert_int_equal(attempt(f, "192.0.2.2", "victim1", t, NULL),
	                 throttle_delay_ms(&rules.user, 9));
}

static void failed(struct fx *f, const struct store_login *l, int64_t now)
{
	if (store_login_failed(f->st, &rules, l, now, &f->err) != 0)
		fail_msg("failed: %s", f->err.en);
}

/* A wait starts with the answer: a password check that took 3 s leaves the
 * whole wait after it, and a free failure stays free. */
static void test_wait_starts_with_the_answer(void **state)
{
	struct fx *f = *state;
	struct store_login l;
	int64_t t = T0;

	for (int i = 0; i < (int)rules.pair.free - 1; i++) {
		assert_int_equal(attempt(f, "192.0.2.20", "slow", t, &l), 0);
		failed(f, &l, t + 3000);
	}
	/* Those set no wait, moved or not: the last free failure goes through
	 * at once, and sets 1 s from its arrival; its answer came 3 s later. */
	assert_int_equal(attempt(f, "192.0.2.20", "slow", t, &l), 0);
	failed(f, &l, t + 3000);
	t += 3000;
	assert_int_equal(attempt(f, "192.0.2.20", "slow", t, NULL), 1000);
	assert_int_equal(attempt(f, "192.0.2.20", "slow", t + 999, NULL), 1);
	assert_int_equal(attempt(f, "192.0.2.20", "slow", t + 1000, &l), 0);
	/* An answer no later than the arrival changes nothing. */
	failed(f, &l, t + 1000);
	assert_int_equal(attempt(f, "192.0.2.20", "slow", t + 1000 + 2000, NULL), 0);
}

static void test_success_clears_pair_and_user_not_address(void **state)
{
	struct fx *f = *state;
	struct store_login l;
	char user[32];
	int64_t t = T0;

	/* Address 192.0.2.10 fails 5 times on other usernames. */
	for (int i = 0; i < 5; i++) {
		snprintf(user, sizeof(user), "spray%d", i);
		assert_int_equal(attempt(f, "192.0.2.10", user, t, NULL), 0);
	}
	/* Then 3 times on its own account (the pair's free), the 4th waits. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(attempt(f, "192.0.2.10", "own", t, NULL), 0);
	assert_int_equal(attempt(f, "192.0.2.10", "own", t, NULL), 1000);
	t += 1000;
	assert_int_equal(attempt(f, "192.0.2.10", "own", t, &l), 0);
	succeed(f, &l, t);
	/* The pair and username counters are gone: three free attempts again. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(attempt(f, "192.0.2.10", "own", t, i == 2 ? &l : NULL), 0);
	succeed(f, &l, t);
	/* The address kept its 10 failures (5 + 3 + 2; the two successes were
	 * taken back): 11 and 12 are free, the next one waits.  Had a success
	 * reset it, these would all be free. */
	assert_int_equal(attempt(f, "192.0.2.10", "spray-a", t, NULL), 0);
	assert_int_equal(attempt(f, "192.0.2.10", "spray-b", t, NULL), 0);
	assert_int_equal(attempt(f, "192.0.2.10", "spray-c", t, NULL), 1000);
}

static void test_known_address_skips_username_rule(void **state)
{
	struct fx *f = *state;
	struct store_login l;
	char addr[32];
	int64_t t = T0;

	/* The official signs in at the office once. */
	assert_int_equal(attempt(f, "198.51.100.1", "official", t, &l), 0);
	succeed(f, &l, t);
	/* Attackers on three addresses, 2 failures each: 6, the username's free. */
	for (int i = 0; i < 3; i++) {
		snprintf(addr, sizeof(addr), "203.0.113.%d", i + 1);
		assert_int_equal(attempt(f, addr, "official", t, NULL), 0);
		assert_int_equal(attempt(f, addr, "official", t, NULL), 0);
	}
	/* A fifth address now waits on the username rule ... */
	assert_int_equal(attempt(f, "203.0.113.9", "official", t, NULL), 1000);
	/* ... and so does the official from an address never used ... */
	assert_int_equal(attempt(f, "198.51.100.2", "official", t, NULL), 1000);
	/* ... but not from the office, which the attackers cannot make known. */
	assert_int_equal(attempt(f, "198.51.100.1", "official", t, &l), 0);
	succeed(f, &l, t);
	/* That success cleared the username counter for everyone. */
	assert_int_equal(attempt(f, "203.0.113.9", "official", t, NULL), 0);
	/* Known addresses are forgotten after known_ms. */
	t += rules.known_ms;
	for (int i = 0; i < 6; i++) {
		snprintf(addr, sizeof(addr), "203.0.114.%d", i + 1);
		assert_int_equal(attempt(f, addr, "official", t, NULL), 0);
	}
	assert_int_equal(attempt(f, "198.51.100.1", "official", t, NULL), 1000);
}

static void test_window_restarts_counting(void **state)
{
	struct fx *f = *state;
	int64_t t = T0;

	for (int i = 0; i < 3; i++)
		assert_int_equal(attempt(f, "192.0.2.30", "windowed", t + i, NULL), 0);
	for (int i = 0; i < 4; i++) {
		int64_t w = attempt(f, "192.0.2.30", "windowed", t + 2, NULL);
		assert_true(w > 0);
		assert_int_equal(attempt(f, "192.0.2.30", "windowed", t + 2 + w, NULL), 0);
		t += w;
	}
	/* The window (from the first failure at T0) ends: three free again. */
	t = T0 + WINDOW;
	for (int i = 0; i < 3; i++)
		assert_int_equal(attempt(f, "192.0.2.30", "windowed", t, NULL), 0);
	assert_int_equal(attempt(f, "192.0.2.30", "windowed", t, NULL), 1000);
}

static void test_prune_by_time_only(void **state)
{
	struct fx *f = *state;
	int64_t t = T0 + 1000 * WINDOW;     /* later than every other test's rows */
	int n = 0;

	/* Clear out what earlier tests left (all of it has ended by now). */
	do
		assert_int_equal(store_login_prune(f->st, t + 100 * WINDOW, 1000, &n, &f->err), 0);
	while (n > 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(attempt(f, "192.0.2.40", "pruned", t, NULL), i < 3 ? 0 : 1000);
	/* A row is never removed while it counts, however many there are ... */
	assert_int_equal(store_login_prune(f->st, t + WINDOW - 1, 1000, &n, &f->err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(attempt(f, "192.0.2.40", "pruned", t, NULL), 1000);
	/* ... and goes when its window ends: pair, username, address. */
	assert_int_equal(store_login_prune(f->st, t + WINDOW, 2, &n, &f->err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_login_prune(f->st, t + WINDOW, 1000, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(attempt(f, "192.0.2.40", "pruned", t + WINDOW, NULL), 0);
}

/* More counters than the old in-process table had slots (4,096): none of
 * them pushes out the victim's, which is still limiting afterwards. */
static void test_many_other_counters_evict_nothing(void **state)
{
	struct fx *f = *state;
	char addr[32], user[32];
	int64_t t = T0 + 2000 * WINDOW;

	for (int i = 0; i < 3; i++)
		assert_int_equal(attempt(f, "192.0.2.80", "evictee", t, NULL), 0);
	assert_int_equal(attempt(f, "192.0.2.80", "evictee", t, NULL), 1000);
	for (int i = 0; i < 4200; i++) {
		snprintf(addr, sizeof(addr), "10.200.%d.%d", i / 250, i % 250);
		snprintf(user, sizeof(user), "other%d", i);
		assert_int_equal(attempt(f, addr, user, t + 1 + i % 500, NULL), 0);
	}
	assert_int_equal(attempt(f, "192.0.2.80", "evictee", t + 500, NULL), 500);
}

/* The table holds keyed hashes, not the username or the address. */
static void test_no_raw_names_stored(void **state)
{
	struct fx *f = *state;
	static const char *const probes[] = { "probe-username-zq7", "198.51.100.177" };
	char path[600];

	if (f->file[0] == '\0')
		skip();   /* the bytes of a PostgreSQL cluster are not ours to read */
	assert_int_equal(attempt(f, probes[1], probes[0], T0, NULL), 0);
	for (int k = 0; k < 2; k++) {
		FILE *fp;
		char *buf;
		long len;

		snprintf(path, sizeof(path), "%s%s", f->file, k ? "-wal" : "");
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		fseek(fp, 0, SEEK_SET);
		buf = malloc((size_t)len + 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
		fclose(fp);
		for (size_t p = 0; p < ARRAY_SIZE(probes); p++)
			if (memmem(buf, (size_t)len, probes[p], strlen(probes[p])) != NULL)
				fail_msg("'%s' is stored in %s", probes[p], path);
		free(buf);
	}
}

/*
 * What the counters of (10.<tag>.0.1, user) hold, read through attempts:
 * got[0] attempts the pair still lets through, got[1] the username (from
 * fresh addresses), got[2] the address (with fresh usernames).
 */
static void probe(struct fx *f, int tag, const char *user, int got[3])
{
	char a[32], b[32], u[64];

	snprintf(a, sizeof(a), "10.%d.0.1", tag);
	for (got[0] = 0; got[0] < 50 && attempt(f, a, user, T0, NULL) == 0; got[0]++)
		;
	for (got[1] = 0; got[1] < 50; got[1]++) {
		snprintf(b, sizeof(b), "10.%d.1.%d", tag, got[1]);
		if (attempt(f, b, user, T0, NULL) != 0)
			break;
	}
	for (got[2] = 0; got[2] < 50; got[2]++) {
		snprintf(u, sizeof(u), "%s-other%d", user, got[2]);
		if (attempt(f, a, u, T0, NULL) != 0)
			break;
	}
}

/* Every call of an attempt failing in turn counts nothing. */
static void test_attempt_faults_count_nothing(void **state)
{
	struct fx *f = *state;
	struct store_login l;
	char user[32], addr[32];
	int64_t wait;
	int n, rc = -1, got[3];

	for (n = 1; n < FAULT_TRIES_MAX; n++) {
		snprintf(user, sizeof(user), "fault-a%d", n);
		snprintf(addr, sizeof(addr), "10.%d.0.1", n);
		store_fault_arm(f->st, n);
		rc = store_login_attempt(f->st, &rules, addr, user, T0, &l, &wait, &f->err);
		store_fault_arm(f->st, 0);
		if (rc == 0)
			break;
		/* As if never tried: 3 for the pair (counting 3 on each counter),
		 * then 6 - 3 for the username, 12 - 3 for the address. */
		probe(f, n, user, got);
		if (got[0] != 3 || got[1] != 3 || got[2] != 9)
			fail_msg("the failure of call %d left counts behind: %d %d %d (%s)", n,
			         got[0], got[1], got[2], f->err.en);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(wait, 0);
	assert_true(n > 3);
	probe(f, n, user, got);
	assert_int_equal(got[0], 2);   /* and the one that went through counted */
}

/* Every call of a success failing in turn clears nothing. */
static void test_success_faults_clear_nothing(void **state)
{
	struct fx *f = *state;
	struct store_login l;
	char user[32], addr[32];
	int n, rc = -1, got[3];

	for (n = 1; n < FAULT_TRIES_MAX; n++) {
		snprintf(user, sizeof(user), "fault-s%d", n);
		snprintf(addr, sizeof(addr), "10.%d.0.1", 100 + n);
		for (int i = 0; i < 3; i++)
			assert_int_equal(attempt(f, addr, user, T0, &l), 0);
		store_fault_arm(f->st, n);
		rc = store_login_succeeded(f->st, &rules, &l, T0, &f->err);
		store_fault_arm(f->st, 0);
		if (rc == 0)
			break;
		probe(f, 100 + n, user, got);
		if (got[0] != 0 || got[1] != 3 || got[2] != 9)
			fail_msg("the failure of call %d changed the counts: %d %d %d (%s)", n,
			         got[0], got[1], got[2], f->err.en);
	}
	assert_int_equal(rc, 0);
	assert_true(n > 3);
	/* Cleared pair and username; the address keeps 2 of its 3 and is now
	 * known for the username, so the pair's 3 did not count on it. */
	probe(f, 100 + n, user, got);
	assert_int_equal(got[0], 3);
	assert_int_equal(got[1], 6);
	assert_int_equal(got[2], 7);
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parallel_connections_share_limits),
		cmocka_unit_test(test_parallel_successes_and_failures),
		cmocka_unit_test(test_free_then_growing_waits),
		cmocka_unit_test(test_wait_starts_with_the_answer),
		cmocka_unit_test(test_success_clears_pair_and_user_not_address),
		cmocka_unit_test(test_known_address_skips_username_rule),
		cmocka_unit_test(test_window_restarts_counting),
		cmocka_unit_test(test_prune_by_time_only),
		cmocka_unit_test(test_many_other_counters_evict_nothing),
		cmocka_unit_test(test_no_raw_names_stored),
		cmocka_unit_test(test_attempt_faults_count_nothing),
		cmocka_unit_test(test_success_faults_clear_nothing),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	const char *pg = getenv("THC_TEST_PG_URL");
	int failed = run_backend("logins/sqlite", NULL);

	if (pg && pg[0])
		failed += run_backend("logins/postgres", pg);
	return failed ? 1 : 0;
}
