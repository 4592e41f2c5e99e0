/*
 * The public answers kept in memory (pubcache.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/pubcache.h"
#include "base/text.h"
#include "http/http.h"
#include "base/banned.h"

#define PUBCACHE_SLOTS 1024           /* targets kept at once, at most */
#define PUBCACHE_STRIPES 16           /* mutexes, each guarding every 16th slot */
#define PUBCACHE_BODY_MAX (1u << 20)  /* an answer larger than this is not kept */
#define PUBCACHE_BYTES_MAX (64u << 20) /* all bodies together */

struct pubcache_entry {
	char *target;
	char *body;
	size_t len;
	uint64_t gen;
	int64_t at_ms;
	char etag[PUBCACHE_ETAG_MAX];
	char type[PUBCACHE_TYPE_MAX];   /* its Content-Type, replayed with it */
};

struct pubcache {
	int64_t ttl_ms;
	atomic_uint_fast64_t gen;
	atomic_size_t bytes;
	pthread_mutex_t mu[PUBCACHE_STRIPES];
	struct pubcache_entry slot[PUBCACHE_SLOTS];
};

_Static_assert(PUBCACHE_ETAG_MAX == HTTP_ETAG_MAX, "a kept answer's ETag is http_etag's");

int pubcache_new(int64_t ttl_ms, struct pubcache **out, struct error *err)
{
	struct pubcache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	c->ttl_ms = ttl_ms;
	atomic_init(&c->gen, 1);
	atomic_init(&c->bytes, 0);
	for (size_t i = 0; i < PUBCACHE_STRIPES; i++)
		pthread_mutex_init(&c->mu[i], NULL);
	*out = c;
	return 0;
}

static void pubcache_drop(struct pubcache *c, struct pubcache_entry *e)
{
	if (e->body)
		atomic_fetch_sub(&c->bytes, e->len);
	free(e->target);
	free(e->body);
	memset(e, 0, sizeof(*e));
}

void pubcache_free(struct pubcache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < PUBCACHE_SLOTS; i++)
		pubcache_drop(c, &c->slot[i]);
	for (size_t i = 0; i < PUBCACHE_STRIPES; i++)
		pthread_mutex_destroy(&c->mu[i]);
	free(c);
}

uint64_t pubcache_generation(struct pubcache *c)
{
	return atomic_load(&c->gen);
}

void pubcache_invalidate(struct pubcache *c)
{
	atomic_fetch_add(&c->gen, 1);
}

char *pubcache_get(struct pubcache *c, const char *target, int64_t now_ms, size_t *len,
                   char etag[PUBCACHE_ETAG_MAX], char type[PUBCACHE_TYPE_MAX])
{
	size_t i = (size_t)(text_fnv1a(target, strlen(target), TEXT_FNV_SEED) % PUBCACHE_SLOTS);
	pthread_mutex_t *mu = &c->mu[i % PUBCACHE_STRIPES];
	struct pubcache_entry *e = &c->slot[i];
	char *copy = NULL;

	if (c->ttl_ms <= 0)
		return NULL;
	pthread_mutex_lock(mu);
	if (e->body && e->gen == atomic_load(&c->gen) && now_ms - e->at_ms < c->ttl_ms &&
	    now_ms >= e->at_ms && strcmp(e->target, target) == 0 &&
	    (copy = malloc(e->len ? e->len : 1)) != NULL) {
		memcpy(copy, e->body, e->len);
		*len = e->len;
		memcpy(etag, e->etag, PUBCACHE_ETAG_MAX);
		if (type)
			memcpy(type, e->type, PUBCACHE_TYPE_MAX);
	}
	pthread_mutex_unlock(mu);
	return copy;
}

void pubcache_put(struct pubcache *c, const char *target, uint64_t gen, int64_t now_ms,
                  const char *body, size_t len)
{
	pubcache_put_as(c, target, gen, now_ms, PUBCACHE_TYPE_JSON, body, len);
}

void pubcache_put_as(struct pubcache *c, const char *target, uint64_t gen, int64_t now_ms,
                     const char *type, const char *body, size_t len)
{
	size_t i = (size_t)(text_fnv1a(target, strlen(target), TEXT_FNV_SEED) % PUBCACHE_SLOTS);
	pthread_mutex_t *mu = &c->mu[i % PUBCACHE_STRIPES];
	struct pubcache_entry *e = &c->slot[i];
	char *t, *b;

	if (c->ttl_ms <= 0 || len > PUBCACHE_BODY_MAX || gen != atomic_load(&c->gen) ||
	    strlen(type) >= PUBCACHE_TYPE_MAX)
		return;
	t = strdup(target);
	b = malloc(len ? len : 1);
	if (t == NULL || b == NULL) {
		free(t);
		free(b);
		return;
	}
	memcpy(b, body, len);
	pthread_mutex_lock(mu);
	/* A fresh answer for another target keeps its slot until it is stale,
	 * so a flood of made-up URLs cannot keep pushing the map out. */
	if (e->body && strcmp(e->target, target) != 0 && e->gen == atomic_load(&c->gen) &&
	    now_ms >= e->at_ms && now_ms - e->at_ms < c->ttl_ms)
		goto out;
	pubcache_drop(c, e);
	/* Over the total, the slot stays empty: the next reader goes to the
	 * database, as without a cache. */
	if (atomic_load(&c->bytes) + len <= PUBCACHE_BYTES_MAX) {
		e->target = t;
		e->body = b;
		e->len = len;
		e->gen = gen;
		e->at_ms = now_ms;
		memcpy(e->type, type, strlen(type) + 1);
		http_etag(body, len, e->etag);
		atomic_fetch_add(&c->bytes, len);
		t = b = NULL;
	}
out:
	pthread_mutex_unlock(mu);
	free(t);
	free(b);
}
