/*
 * Public reads served from memory.  On level-change day millions of people
 * open the map, anonymously, asking the same few URLs: the answer of a
 * public GET is kept per request target and served again without the
 * database until a write through this server changes anything (the
 * generation moves on) or it is older than the time to live, which bounds
 * how late a change made elsewhere (the command line, another server on
 * the same PostgreSQL) shows.
 *
 * A fixed table of slots (a target hashes to one, which a fresh answer
 * keeps until it is stale), each behind one of a few mutexes: readers copy the bytes
 * out under it, so an entry is never freed while in use.
 */
#ifndef THC_API_PUBCACHE_H
#define THC_API_PUBCACHE_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

#define PUBCACHE_ETAG_MAX 24          /* "\"" 16 hex digits "\"" and NUL */
#define PUBCACHE_TYPE_MAX 64          /* a Content-Type and NUL */
#define PUBCACHE_TYPE_JSON "application/json; charset=utf-8"
#define PUBCACHE_TTL_MS_DEFAULT 1000
#define PUBCACHE_TTL_MS_MAX 60000

struct pubcache;

/* ttl_ms 0: nothing is kept (pubcache_get always misses). */
int pubcache_new(int64_t ttl_ms, struct pubcache **out, struct error *err);
void pubcache_free(struct pubcache *c);

/* The generation to pass to pubcache_put for an answer read from now on. */
uint64_t pubcache_generation(struct pubcache *c);
/* Everything kept so far is stale: a write changed the data. */
void pubcache_invalidate(struct pubcache *c);

/* A fresh answer for target: a malloc'd copy of its body (the caller's),
 * its ETag and (type not NULL) its Content-Type; NULL when there is none. */
char *pubcache_get(struct pubcache *c, const char *target, int64_t now_ms, size_t *len,
                   char etag[PUBCACHE_ETAG_MAX], char type[PUBCACHE_TYPE_MAX]);
/* Keeps body as the answer for target, read at generation gen (kept only if
 * nothing was written since); bodies over the cap are not kept. */
void pubcache_put(struct pubcache *c, const char *target, uint64_t gen, int64_t now_ms,
                  const char *body, size_t len);
/* The same for an answer of another Content-Type than JSON's (one longer
 * than PUBCACHE_TYPE_MAX is not kept). */
void pubcache_put_as(struct pubcache *c, const char *target, uint64_t gen, int64_t now_ms,
                     const char *type, const char *body, size_t len);

#endif
