/*
 * Sign in and out.  Failed attempts are counted per account and per client
 * address; past the limit even the right password is refused for a while.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/vntime.h"
#include "http/auth.h"
#include "http/ratelimit.h"
#include "base/banned.h"

json_t *api_user_json(struct req *r, const struct user *u)
{
	json_t *grants = json_array();

	(void)r;
	for (size_t i = 0; i < u->ngrants; i++)
		json_array_append_new(grants, json_pack("{s:s,s:s,s:s,s:s}",
		                      "role", u->grants[i].role, "unit_code", u->grants[i].unit_code,
		                      "unit_name", u->grants[i].unit_name,
		                      "unit_level", u->grants[i].unit_level));
	return json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)u->id, "username", u->username,
	                 "full_name", u->full_name ? u->full_name : "", "grants", grants);
}

static int login_refuse_limited(struct req *r, int64_t wait_s)
{
	char v[24];

	snprintf(v, sizeof(v), "%lld", (long long)wait_s);
	http_add_header(r, "Retry-After", v);
	return error_set(&r->err, THC_ERATELIMIT,
	                 "đăng nhập sai quá nhiều lần, thử lại sau %lld giây",
	                 "too many failed sign-ins, try again in %lld seconds", (long long)wait_s);
}

static int login_issue(struct req *r, struct user *u)
{
	char token[AUTH_TOKEN_HEX + 1], hash[65], csrf[33], cookie[200];
	int64_t expires = r->start_ms + AUTH_SESSION_TTL_MS;
	int rc;

	auth_random_hex(token, AUTH_TOKEN_HEX / 2);
	auth_random_hex(csrf, 16);
	auth_token_hash(token, hash);
	r->actor.user_id = u->id;
	r->actor.username = u->username;
	if ((rc = store_session_create(r->st, &r->actor, u->id, hash, csrf, expires, &r->err)) < 0)
		return rc;
	snprintf(cookie, sizeof(cookie), "thc_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld",
	         token, (long long)(AUTH_SESSION_TTL_MS / 1000));
	http_add_header(r, "Set-Cookie", cookie);
	/* Readable by the page's script, which echoes it in X-CSRF-Token. */
	snprintf(cookie, sizeof(cookie), "thc_csrf=%s; SameSite=Strict; Path=/; Max-Age=%lld",
	         csrf, (long long)(AUTH_SESSION_TTL_MS / 1000));
	http_add_header(r, "Set-Cookie", cookie);
	return http_reply_json(r, 200, json_pack("{s:s,s:s,s:s,s:o}", "token", token, "csrf", csrf,
	                                         "expires_at", http_time(r, expires),
	                                         "user", api_user_json(r, u)));
}

int api_login(struct req *r, const struct route_args *a)
{
	const char *username, *password;
	struct user u;
	struct error ignore = ERROR_INIT;
	json_t *doc = NULL;
	int64_t wait;
	int rc;

	(void)a;
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = json_field_string(doc, "username", 1, 64, &username, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "password", 1, 256, &password, &r->err)) < 0)
		goto out;
	if ((wait = ratelimit_blocked(r->app->login_ip, r->addr, r->start_ms)) > 0 ||
	    (wait = ratelimit_blocked(r->app->login_user, username, r->start_ms)) > 0) {
		rc = login_refuse_limited(r, wait);
		goto out;
	}
	rc = store_user_by_name(r->st, username, &r->arena, &u, &ignore);
	if (rc < 0 && rc != THC_ENOTFOUND) {
		r->err = ignore;
		goto out;
	}
	if (rc < 0 || u.disabled || !auth_password_verify(u.password_hash, password)) {
		ratelimit_fail(r->app->login_ip, r->addr, r->start_ms);
		ratelimit_fail(r->app->login_user, username, r->start_ms);
		/* One message for unknown user and wrong password. */
		rc = error_set(&r->err, THC_EAUTH, "sai tên đăng nhập hoặc mật khẩu",
		               "wrong username or password");
		goto out;
	}
	ratelimit_clear(r->app->login_user, username);
	rc = login_issue(r, &u);
out:
	json_decref(doc);
	return rc;
}

int api_logout(struct req *r, const struct route_args *a)
{
	int rc;

	(void)a;
	if ((rc = store_session_revoke(r->st, &r->actor, r->token_hash, &r->err)) < 0)
		return rc;
	http_add_header(r, "Set-Cookie", "thc_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
	return http_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

int api_me(struct req *r, const struct route_args *a)
{
	(void)a;
	return http_reply_json(r, 200, api_user_json(r, r->user));
}
