/* Public answers kept in memory (api/pubcache.h): hits, the time to live,
 * the generation a write moves on, answers read before a write, slots
 * shared by two targets, the caps, and readers racing a writer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/pubcache.h"
#include "base/banned.h"

static struct pubcache *cache_new(int64_t ttl)
{
	struct pubcache *c = NULL;
	struct error err = ERROR_INIT;

	assert_int_equal(pubcache_new(ttl, &c, &err), 0);
	return c;
}

/* The kept body of target as a string, or NULL. */
static char *get(struct pubcache *c, const char *target, int64_t now, char etag[PUBCACHE_ETAG_MAX])
{
	size_t len = 0;
	char *b = pubcache_get(c, target, now, &len, etag, NULL);
	char *s;

	if (b == NULL)
		return NULL;
	s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, b, len);
	s[len] = '\0';
	free(b);
	return s;
}

static void test_hit_and_ttl(void **state)
{
	struct pubcache *c = cache_new(1000);
	char etag[PUBCACHE_ETAG_MAX], etag2[PUBCACHE_ETAG_MAX];
	char *s;

	(void)state;
	assert_null(get(c, "/a", 0, etag));
	pubcache_put(c, "/a", pubcache_generation(c), 10000, "{\"x\":1}", 7);
	s = get(c, "/a", 10500, etag);
	assert_string_equal(s, "{\"x\":1}");
	free(s);
	assert_int_equal(strlen(etag), 18);
	assert_true(etag[0] == '"' && etag[17] == '"');
	assert_null(get(c, "/a", 11000, etag2));       /* as old as the time to live */
	assert_null(get(c, "/a", 9999, etag2));        /* a clock that went back */
	assert_null(get(c, "/a?x=1", 10500, etag2));   /* another target */
	/* The same bytes, the same ETag; other bytes, another. */
	pubcache_put(c, "/b", pubcache_generation(c), 10000, "{\"x\":1}", 7);
	free(get(c, "/b", 10001, etag2));
	assert_string_equal(etag, etag2);
	pubcache_put(c, "/b", pubcache_generation(c), 10000, "{\"x\":2}", 7);
	free(get(c, "/b", 10001, etag2));
	assert_string_not_equal(etag, etag2);
	pubcache_free(c);
}

/* Each answer keeps its own Content-Type: JSON's by default, GeoJSON's
 * when put as such; a type too long for the entry is not kept at all. */
static void test_content_type(void **state)
{
	struct pubcache *c = cache_new(1000);
	char etag[PUBCACHE_ETAG_MAX], type[PUBCACHE_TYPE_MAX];
	char long_type[PUBCACHE_TYPE_MAX + 8];
	size_t len = 0;
	char *s;

	(void)state;
	pubcache_put(c, "/levels", pubcache_generation(c), 10000, "{}", 2);
	pubcache_put_as(c, "/levels.geojson", pubcache_generation(c), 10000,
	                "application/geo+json; charset=utf-8", "{\"type\":1}", 10);
	s = pubcache_get(c, "/levels", 10001, &len, etag, type);
	assert_non_null(s);
	assert_string_equal(type, PUBCACHE_TYPE_JSON);
	free(s);
	s = pubcache_get(c, "/levels.geojson", 10001, &len, etag, type);
	assert_non_null(s);
	assert_string_equal(type, "application/geo+json; charset=utf-8");
	assert_int_equal(len, 10);
	free(s);
	memset(long_type, 'x', sizeof(long_type) - 1);
	long_type[sizeof(long_type) - 1] = '\0';
	pubcache_put_as(c, "/long", pubcache_generation(c), 10000, long_type, "{}", 2);
	assert_null(pubcache_get(c, "/long", 10001, &len, etag, type));
	pubcache_free(c);
}

static void test_generation(void **state)
{
	struct pubcache *c = cache_new(60000);
	char etag[PUBCACHE_ETAG_MAX];
	uint64_t before;
	char *s;

	(void)state;
	pubcache_put(c, "/a", pubcache_generation(c), 0, "old", 3);
	before = pubcache_generation(c);      /* a reader starts... */
	pubcache_invalidate(c);               /* ...a write commits... */
	assert_null(get(c, "/a", 1, etag));   /* what was kept is stale */
	pubcache_put(c, "/a", before, 2, "old", 3);      /* ...the reader's answer is not kept */
	assert_null(get(c, "/a", 3, etag));
	pubcache_put(c, "/a", pubcache_generation(c), 4, "new", 3);
	s = get(c, "/a", 5, etag);
	assert_string_equal(s, "new");
	free(s);
	pubcache_free(c);
}

static void test_off_and_caps(void **state)
{
	struct pubcache *c = cache_new(0);
	char etag[PUBCACHE_ETAG_MAX], target[32];
	size_t big = (1u << 20) + 1;
	char *body = calloc(1, big);
	int kept = 0;

	(void)state;
	assert_non_null(body);
	pubcache_put(c, "/a", pubcache_generation(c), 0, "x", 1);
	assert_null(get(c, "/a", 0, etag));            /* time to live 0: nothing kept */
	pubcache_free(c);
	c = cache_new(60000);
	pubcache_put(c, "/big", pubcache_generation(c), 0, body, big);
	assert_null(get(c, "/big", 1, etag));          /* over the body cap */
	/* 200 answers of 1 MiB: the total cap (64 MiB) keeps only some. */
	for (int i = 0; i < 200; i++) {
		snprintf(target, sizeof(target), "/t%d", i);
		pubcache_put(c, target, pubcache_generation(c), 0, body, big - 1);
	}
	for (int i = 0; i < 200; i++) {
		size_t len;
		char *b;

		snprintf(target, sizeof(target), "/t%d", i);
		if ((b = pubcache_get(c, target, 1, &len, etag, NULL)) != NULL) {
			assert_int_equal(len, big - 1);
			kept++;
			free(b);
		}
	}
	assert_true(kept > 0 && kept <= 64);
	free(body);
	pubcache_free(c);
}

/* Many targets, 1024 slots: each answers only for itself; a fresh answer
 * keeps its slot against another target, and yields it once stale. */
static void test_shared_slot(void **state)
{
	struct pubcache *c = cache_new(60000);
	char etag[PUBCACHE_ETAG_MAX], t[32];
	int found = 0;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		snprintf(t, sizeof(t), "/u/%d", i);
		pubcache_put(c, t, pubcache_generation(c), 0, t, strlen(t));
	}
	for (int i = 0; i < 5000; i++) {
		char *s;

		snprintf(t, sizeof(t), "/u/%d", i);
		if ((s = get(c, t, 1, etag)) != NULL) {
			assert_string_equal(s, t);
			found++;
			free(s);
		}
	}
	assert_true(found > 0 && found <= 1024);
	pubcache_free(c);
	/* "/u/0" fresh in its slot: find another target of that slot. */
	for (int i = 1; i < 100000; i++) {
		char *s;

		c = cache_new(1000);
		pubcache_put(c, "/u/0", pubcache_generation(c), 0, "zero", 4);
		snprintf(t, sizeof(t), "/u/%d", i);
		pubcache_put(c, t, pubcache_generation(c), 10, "other", 5);
		if ((s = get(c, t, 11, etag)) != NULL) {     /* t went to another slot */
			free(s);
			pubcache_free(c);
			continue;
		}
		s = get(c, "/u/0", 11, etag);               /* t shares the slot: it kept it */
		assert_string_equal(s, "zero");
		free(s);
		pubcache_put(c, t, pubcache_generation(c), 1000, "other", 5);   /* "/u/0" is stale */
		s = get(c, t, 1001, etag);
		assert_string_equal(s, "other");
		free(s);
		pubcache_free(c);
		return;
	}
	fail_msg("no two targets shared a slot");
}

struct racer {
	struct pubcache *c;
	int writer;
	int bad;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	char etag[PUBCACHE_ETAG_MAX], body[64];

	for (int i = 0; i < 20000; i++) {
		if (r->writer) {
			snprintf(body, sizeof(body), "answer %d", i);
			pubcache_put(r->c, "/map", pubcache_generation(r->c), 0, body, strlen(body));
			if (i % 7 == 0)
				pubcache_invalidate(r->c);
		} else {
			size_t len;
			char *b = pubcache_get(r->c, "/map", 1, &len, etag, NULL);

			if (b && (len < 8 || memcmp(b, "answer ", 7) != 0))
				r->bad++;
			free(b);
		}
	}
	return NULL;
}

static void test_readers_race_a_writer(void **state)
{
	struct pubcache *c = cache_new(60000);
	struct racer r[4] = { { c, 1, 0 }, { c, 0, 0 }, { c, 0, 0 }, { c, 0, 0 } };
	pthread_t th[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(r[i].bad, 0);
	}
	pubcache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_and_ttl),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_off_and_caps),
		cmocka_unit_test(test_shared_slot),
		cmocka_unit_test(test_readers_race_a_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
