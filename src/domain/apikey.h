/*
 * API keys for other systems (Open311 clients, the DHIS2 exchange): the
 * scopes a key may carry, the key's form and the per-key rate rule.
 *
 * A key is "thc_" followed by 32 characters of base32 (160 random bits).
 * Only a hash of it is stored: with that much entropy a fast cryptographic
 * hash (BLAKE2b) cannot be reversed by guessing, and it lets the server
 * find the key by an index instead of trying a slow hash against each row.
 *
 * Pure: no I/O, no clock; the caller passes the random bytes and times.
 */
#ifndef THC_APIKEY_H
#define THC_APIKEY_H

#include <stddef.h>
#include <stdint.h>

#define APIKEY_RANDOM_BYTES 20
#define APIKEY_LEN (4 + 32)            /* "thc_" + base32 of 20 bytes */
#define APIKEY_PREFIX_LEN 8            /* "thc_" + 4: shown in lists */
#define APIKEY_NAME_MAX 100
#define APIKEY_SCOPE_MAX 16
#define APIKEY_RATE_DEFAULT 120        /* requests a minute */
#define APIKEY_RATE_MAX 100000
#define APIKEY_WINDOW_MS 60000LL

/* One scope: what a key with it may call (data, not code paths). */
struct apikey_scope {
	const char *name;
	const char *vi, *en;
};

/* The scopes, NULL-terminated by name. */
extern const struct apikey_scope apikey_scopes[];
/* The scope with this name, or NULL. */
const struct apikey_scope *apikey_scope(const char *name);

/* The key for APIKEY_RANDOM_BYTES random bytes into out (APIKEY_LEN + 1). */
void apikey_format(const unsigned char bytes[APIKEY_RANDOM_BYTES], char out[APIKEY_LEN + 1]);
/* 1 when s has the form of a key (checked before any hashing or look-up). */
int apikey_well_formed(const char *s);

/*
 * The fixed window of a key: counting starts again APIKEY_WINDOW_MS after
 * the window's first request.  Given the window as stored and the time of
 * a request, apikey_window_next() gives the window after counting it; the
 * request is allowed when the count is at most rate_per_min, else the
 * caller waits apikey_window_wait_ms().
 */
struct apikey_window {
	int64_t start_ms;
	int64_t count;
};
struct apikey_window apikey_window_next(struct apikey_window w, int64_t now_ms);
int apikey_window_allowed(struct apikey_window w, int64_t rate_per_min);
int64_t apikey_window_wait_ms(struct apikey_window w, int64_t now_ms);

#endif
