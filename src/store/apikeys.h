/*
 * API keys (apikeys.c): kept by their hash only (domain/apikey.h says why
 * a fast hash suffices), with a name, a scope, an optional unit, a rate
 * and whether they are revoked.  Adding and revoking are audited
 * ("apikey.add", "apikey.revoke"); using a key counts it in its window.
 * Strings returned live in the caller's arena.
 */
#ifndef THC_STORE_APIKEYS_H
#define THC_STORE_APIKEYS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

#define APIKEY_LIST_MAX 1000

struct apikey {
	int64_t id;
	const char *name, *prefix, *scope;
	const char *unit_code;         /* NULL: any unit */
	int64_t rate_per_min;
	int64_t created_at_ms, revoked_at_ms, last_used_at_ms;   /* 0: not */
	const char *created_by;
};

/* A new key (k: name, prefix, scope, unit_code, rate_per_min) stored by
 * key_hash; fills in k->id.  THC_EUNPROCESSABLE naming the field for an
 * unknown scope or unit. */
int store_apikey_add(struct store *st, const struct store_actor *actor, const char *key_hash,
                     struct apikey *k, struct error *err);
/* Every key, newest first (at most APIKEY_LIST_MAX). */
int store_apikey_list(struct store *st, struct arena *a, struct apikey **out, size_t *n,
                      struct error *err);
/* Revokes the key with this id (THC_ENOTFOUND; THC_ECONFLICT when revoked). */
int store_apikey_revoke(struct store *st, const struct store_actor *actor, int64_t id,
                        struct error *err);
/*
 * A request made with the key whose hash is key_hash: counted in the key's
 * window (atomically, so that every server process counts the same
 * requests).  1 and *k, *window_start_ms, *window_count when the key exists,
 * is not revoked and has this scope; 0 when not (a key of another scope is
 * neither counted nor marked used).
 */
int store_apikey_use(struct store *st, const char *key_hash, const char *scope, int64_t now_ms,
                     struct arena *a, struct apikey *k, int64_t *window_start_ms,
                     int64_t *window_count, struct error *err);

#endif
