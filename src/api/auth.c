/*
 * Sessions and passwords.  Who is calling: bearer token or session cookie, with CSRF protection for
 * cookie-authenticated writes.  Tokens are random; only their hashes are
 * stored, so a leaked database does not leak sessions.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "base/banned.h"

int auth_init(void)
{
	return sodium_init() < 0 ? THC_EINTERNAL : 0;
}

int auth_password_check(const char *password, struct error *err)
{
	size_t n = password ? strlen(password) : 0;

	if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "mật khẩu phải dài %d..%d ký tự", "the password must be %d..%d characters",
		                 AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
	return 0;
}

int auth_password_hash(const char *password, char *out, size_t outsz,
                       struct error *err)
{
	if (outsz < crypto_pwhash_STRBYTES)
		return error_set(err, THC_EINTERNAL, "bộ đệm quá nhỏ", "buffer too small");
	if (crypto_pwhash_str_alg(out, password, strlen(password),
	                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return error_set(err, THC_ENOMEM, "không đủ bộ nhớ để băm mật khẩu",
		                 "out of memory hashing the password");
	return 0;
}

int auth_password_verify(const char *hash, const char *password)
{
	return hash && password &&
	       crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

_Static_assert(AUTH_HASH_MAX >= crypto_pwhash_STRBYTES, "AUTH_HASH_MAX holds a password hash");

int auth_dummy_hash(char *out, size_t outsz, struct error *err)
{
	char password[65];
	int rc;

	auth_random_hex(password, 32);
	rc = auth_password_hash(password, out, outsz, err);
	sodium_memzero(password, sizeof(password));
	return rc;
}

static char dummy_hash[AUTH_HASH_MAX];
static int dummy_ok;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void auth_dummy_make(void)
{
	struct error err = ERROR_INIT;

	dummy_ok = auth_dummy_hash(dummy_hash, sizeof(dummy_hash), &err) == 0;
}

const char *auth_dummy(void)
{
	pthread_once(&dummy_once, auth_dummy_make);
	return dummy_ok ? dummy_hash : NULL;
}

void auth_random_hex(char *out, size_t nbytes)
{
	unsigned char raw[64];

	if (nbytes > sizeof(raw))
		nbytes = sizeof(raw);
	randombytes_buf(raw, nbytes);
	sodium_bin2hex(out, 2 * nbytes + 1, raw, nbytes);
}

void auth_token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* The value of cookie `name` in the Cookie header, into the arena. */
static const char *cookie_get(struct api_ctx *r, const char *name)
{
	const char *c = http_header(r->http, "Cookie");
	size_t nl = strlen(name);

	while (c && *c) {
		while (*c == ' ' || *c == ';')
			c++;
		if (strncmp(c, name, nl) == 0 && c[nl] == '=') {
			const char *v = c + nl + 1;
			return arena_strndup(r->arena, v, strcspn(v, ";"));
		}
		c = strchr(c, ';');
	}
	return NULL;
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	       strcmp(method, "OPTIONS") != 0;
}

int auth_identify(struct api_ctx *r)
{
	const char *authz = http_header(r->http, "Authorization");
	const char *token = NULL;
	char hash[65];
	struct session s;
	struct user *u;
	struct error ignore = ERROR_INIT;
	int rc;

	if (authz && strncmp(authz, "Bearer ", 7) == 0) {
		token = authz + 7;
	} else if ((token = cookie_get(r, "thc_session")) != NULL) {
		r->via_cookie = 1;
	} else {
		return 0;
	}
	if (strlen(token) != AUTH_TOKEN_HEX)
		goto bad;
	u = arena_alloc(r->arena, sizeof(*u));
	if (u == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	auth_token_hash(token, hash);
	rc = store_session_lookup(r->st, hash, r->http->start_ms, r->arena, &s, u,
	                          r->via_cookie ? &ignore : &r->err);
	if (rc == THC_EAUTH)
		goto bad;
	if (rc < 0)
		return rc;
	if (r->via_cookie && is_write(r->http->method)) {
		const char *h = http_header(r->http, "X-CSRF-Token");
		if (h == NULL || strlen(h) != strlen(s.csrf) ||
		    sodium_memcmp(h, s.csrf, strlen(s.csrf)) != 0)
			return error_set(&r->err, THC_ECSRF,
			                 "thiếu hoặc sai tiêu đề X-CSRF-Token cho yêu cầu dùng cookie",
			                 "missing or wrong X-CSRF-Token header for a cookie-authenticated request");
	}
	r->user = u;
	r->token_hash = arena_strdup(r->arena, hash);
	r->actor.user_id = u->id;
	r->actor.username = u->username;
	return 0;
bad:
	if (r->via_cookie)   /* a stale cookie: carry on as anonymous */
		return 0;
	return error_set(&r->err, THC_EAUTH, "mã phiên không hợp lệ, đã hết hạn hoặc đã bị thu hồi",
	                 "the token is invalid, expired or revoked");
}
