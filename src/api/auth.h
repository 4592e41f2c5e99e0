/*
 * Sessions: opaque random tokens (stored hashed), bearer or cookie,
 * CSRF tokens for cookie-authenticated writes, argon2id passwords.
 */
#ifndef THC_AUTH_H
#define THC_AUTH_H

#include <stddef.h>
#include "base/error.h"

struct api_ctx;

#define AUTH_SESSION_TTL_MS (12LL * 3600 * 1000)
#define AUTH_TOKEN_HEX 64            /* 32 random bytes as hex */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 256

int auth_init(void);                 /* libsodium; 0 or THC_EINTERNAL */
/* Argon2id hash (libsodium's crypto_pwhash_str) into out (>= 128 bytes). */
int auth_password_hash(const char *password, char *out, size_t outsz,
                       struct error *err);
int auth_password_verify(const char *hash, const char *password);  /* 1 = match */
/* A hash (as auth_password_hash, same cost) of a random password nobody
 * knows.  A sign-in for an unknown or disabled account is verified against
 * it, so it takes as long as a wrong password and does not reveal which
 * usernames exist.  out must hold AUTH_HASH_MAX bytes. */
#define AUTH_HASH_MAX 128            /* crypto_pwhash_STRBYTES */
int auth_dummy_hash(char *out, size_t outsz, struct error *err);
/* The process's dummy hash, made on the first sign-in of an unknown user
 * rather than at start (Argon2 costs a tenth of a second); NULL only when
 * it could not be made (memory). */
const char *auth_dummy(void);
int auth_password_check(const char *password, struct error *err);  /* policy */
/* Random hex token (2*nbytes+1 chars) and its hash for storage. */
void auth_random_hex(char *out, size_t nbytes);
void auth_token_hash(const char *token, char out[65]);

/* Finds the session of the request (bearer or cookie) and fills r->user/actor
 * (the store connection r->st is needed).
 * 0 when anonymous or signed in; THC_EAUTH for a bad bearer token;
 * THC_ECSRF for a cookie-authenticated write without the CSRF header. */
int auth_identify(struct api_ctx *r);

/*
 * The API key check any route can use (apikey.c): the key given by another
 * system (Open311's api_key field; the DHIS2 exchange will pass its key the
 * same way, with scope "dhis2") must exist, not be revoked, carry `scope`
 * and be within its rate.  The use is counted in the key's window.  0 with
 * *out filled and r->actor named "apikey:<name>" (so that what the key does
 * is audited under it); THC_EFORBIDDEN for a missing, malformed, unknown,
 * revoked or out-of-scope key (one message for all, so that a caller learns
 * nothing about keys it does not hold); THC_ERATELIMIT with Retry-After.
 */
struct apikey;
/* The key of an "Authorization: ApiKey <key>" header, or NULL. */
const char *api_key_header(struct api_ctx *r);
int auth_api_key(struct api_ctx *r, const char *key, const char *scope, struct apikey *out);

#endif
