/*
 * The API key check (auth.h's auth_api_key): hashed like session tokens,
 * found by its hash, counted in its window.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "domain/apikey.h"
#include "domain/throttle.h"
#include "store/apikeys.h"
#include "base/banned.h"

static int apikey_refuse(struct api_ctx *r)
{
	return error_set_at(&r->err, THC_EFORBIDDEN, "api_key",
	                    "thiếu khóa API (api_key) hoặc khóa không hợp lệ",
	                    "api_key missing or not valid");
}

const char *api_key_header(struct api_ctx *r)
{
	const char *v = http_header(r->http, "Authorization");

	return v && strncmp(v, "ApiKey ", 7) == 0 ? v + 7 : NULL;
}

int auth_api_key(struct api_ctx *r, const char *key, const char *scope, struct apikey *out)
{
	struct apikey k;
	struct apikey_window w;
	char hash[65], v[24], *who;
	int rc;

	if (!apikey_well_formed(key))
		return apikey_refuse(r);
	auth_token_hash(key, hash);
	if ((rc = store_apikey_use(r->st, hash, scope, r->http->start_ms, r->arena, &k, &w.start_ms,
	                           &w.count, &r->err)) < 0)
		return rc;
	if (rc == 0)
		return apikey_refuse(r);
	if (!apikey_window_allowed(w, k.rate_per_min)) {
		int64_t s = throttle_retry_after_s(apikey_window_wait_ms(w, r->http->start_ms));

		snprintf(v, sizeof(v), "%lld", (long long)s);
		http_add_header(r->http, "Retry-After", v);
		return error_set_at(&r->err, THC_ERATELIMIT, "api_key",
		                    "khóa API đã dùng quá %lld yêu cầu mỗi phút: chờ %lld giây",
		                    "the API key made more than %lld requests a minute: wait %lld s",
		                    (long long)k.rate_per_min, (long long)s);
	}
	if ((who = arena_alloc(r->arena, strlen(k.name) + 8)) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	snprintf(who, strlen(k.name) + 8, "apikey:%s", k.name);
	r->actor.username = who;
	*out = k;
	return 0;
}
