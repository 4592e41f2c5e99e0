/*
 * Sign in and out.  Every attempt goes through the sign-in counters
 * (store_login_attempt, domain/throttle.h): past a few failures, further
 * attempts wait a growing time, for everyone on every server of the
 * database.  Every attempt that is let through costs one Argon2 run, so the
 * time of the answer does not tell whether the username exists.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/log.h"
#include "base/text.h"
#include "base/vntime.h"
#include "domain/throttle.h"
#include "api/auth.h"
#include "base/banned.h"

json_t *api_user_json(struct api_ctx *r, const struct user *u)
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

static int login_refuse_limited(struct api_ctx *r, int64_t wait_ms)
{
	int64_t s = throttle_retry_after_s(wait_ms);
	char v[24];

	snprintf(v, sizeof(v), "%lld", (long long)s);
	http_add_header(r->http, "Retry-After", v);
	if (s < 120)
		return error_set(&r->err, THC_ERATELIMIT,
		                 "đăng nhập sai nhiều lần: vui lòng chờ %lld giây rồi thử lại",
		                 "too many failed sign-ins: please wait %lld seconds, then try again",
		                 (long long)s);
	return error_set(&r->err, THC_ERATELIMIT,
	                 "đăng nhập sai nhiều lần: vui lòng chờ %lld phút rồi thử lại",
	                 "too many failed sign-ins: please wait %lld minutes, then try again",
	                 (long long)((s + 59) / 60));
}

static int login_issue(struct api_ctx *r, struct user *u)
{
	char token[AUTH_TOKEN_HEX + 1], hash[65], csrf[33], cookie[200];
	int64_t expires = r->http->start_ms + AUTH_SESSION_TTL_MS;
	int rc;

	auth_random_hex(token, AUTH_TOKEN_HEX / 2);
	auth_random_hex(csrf, 16);
	auth_token_hash(token, hash);
	r->actor.user_id = u->id;
	r->actor.username = u->username;
	if ((rc = store_session_create(r->st, &r->actor, u->id, hash, csrf, expires, &r->err)) < 0)
		return rc;
	/* Fixed-length values: a cut would be a bug, never a short cookie. */
	if (text_fmt(cookie, sizeof(cookie), "thc_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld%s",
	             token, (long long)(AUTH_SESSION_TTL_MS / 1000), http_cookie_attrs(r->http)) < 0)
		return error_set(&r->err, THC_EINTERNAL, "cookie quá dài", "cookie too long");
	http_add_header(r->http, "Set-Cookie", cookie);
	/* Readable by the page's script, which echoes it in X-CSRF-Token. */
	if (text_fmt(cookie, sizeof(cookie), "thc_csrf=%s; SameSite=Strict; Path=/; Max-Age=%lld%s",
	             csrf, (long long)(AUTH_SESSION_TTL_MS / 1000), http_cookie_attrs(r->http)) < 0)
		return error_set(&r->err, THC_EINTERNAL, "cookie quá dài", "cookie too long");
	http_add_header(r->http, "Set-Cookie", cookie);
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:s,s:o}", "token", token, "csrf", csrf,
	                                         "expires_at", http_time(r->http, expires),
	                                         "user", api_user_json(r, u)));
}

struct login_in {
	const char *username, *password;
};

static const struct field login_fields[] = {
	FIELD_TEXT("username", struct login_in, username, FIELD_REQUIRED, USER_NAME_MAX),
	FIELD_TEXT("password", struct login_in, password, FIELD_REQUIRED | FIELD_MULTILINE, 256),
};

int api_login(struct api_ctx *r, const struct route_args *a)
{
	struct login_in in;
	const char *username, *password;
	struct user u;
	struct store_login counted;
	struct error ignore = ERROR_INIT;
	json_t *doc = NULL;
	int64_t wait;
	char q[600];
	int rc, found, ok;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(login_fields), doc, NULL, api_today(r), &in, &r->err)) < 0)
		goto out;
	username = in.username;
	password = in.password;
	/* Counted as a failure now, taken back below if the password is right. */
	if ((rc = store_login_attempt(r->st, r->app->login_rules, r->http->addr, username, r->http->start_ms,
	                              &counted, &wait, &r->err)) < 0)
		goto out;
	if (wait > 0) {
		rc = login_refuse_limited(r, wait);
		goto out;
	}
	rc = store_user_by_name(r->st, username, r->arena, &u, &ignore);
	if (rc < 0 && rc != THC_ENOTFOUND) {
		r->err = ignore;
		goto out;
	}
	/* Unknown and disabled accounts are verified against the dummy hash:
	 * the same Argon2 cost as a wrong password, always a mismatch. */
	found = rc == 0 && !u.disabled;
	ok = auth_password_verify(found ? u.password_hash : auth_dummy(), password);
	if (!found || !ok) {
		/* The wait starts with the answer (the check above takes time);
		 * the answer is the same whether that worked or not. */
		if (store_login_failed(r->st, r->app->login_rules, &counted, vntime_now_ms(),
		                       &ignore) < 0)
			log_warn("login.failed", "error=%s", log_value(ignore.en, q, sizeof(q)));
		/* One message for unknown user and wrong password. */
		rc = error_set(&r->err, THC_EAUTH, "sai tên đăng nhập hoặc mật khẩu",
		               "wrong username or password");
		goto out;
	}
	if ((rc = store_login_succeeded(r->st, r->app->login_rules, &counted, r->http->start_ms,
	                                &r->err)) < 0)
		goto out;
	rc = login_issue(r, &u);
out:
	json_decref(doc);
	return rc;
}

int api_logout(struct api_ctx *r, const struct route_args *a)
{
	char cookie[100];
	int rc;

	(void)a;
	if ((rc = store_session_revoke(r->st, &r->actor, r->token_hash, &r->err)) < 0)
		return rc;
	if (text_fmt(cookie, sizeof(cookie), "thc_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
	             http_cookie_attrs(r->http)) < 0)
		return error_set(&r->err, THC_EINTERNAL, "cookie quá dài", "cookie too long");
	http_add_header(r->http, "Set-Cookie", cookie);
	return http_reply_json(r->http, 200, json_pack("{s:b}", "ok", 1));
}

int api_me(struct api_ctx *r, const struct route_args *a)
{
	(void)a;
	return http_reply_json(r->http, 200, api_user_json(r, r->user));
}
