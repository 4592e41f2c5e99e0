/*
 * The limit on anonymous feedback submissions per client address, kept in
 * the server's memory in a fixed table (domain/ratelimit.h): a flood from
 * one address cannot fill the queue, and the table cannot grow.  IPv6
 * addresses count by their /64 (throttle_addr_key), as sign-ins do.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "domain/ratelimit.h"
#include "domain/throttle.h"
#include "base/banned.h"

struct api_anon_limit {
	pthread_mutex_t mu;
	struct ratelimit rl;
};

int api_anon_limit_new(int64_t limit, int64_t window_ms, struct api_anon_limit **out,
                       struct error *err)
{
	struct api_anon_limit *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (l == NULL || (l->rl.slots = calloc(API_ANON_SLOTS, sizeof(*l->rl.slots))) == NULL) {
		free(l);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	l->rl.nslots = API_ANON_SLOTS;
	l->rl.limit = limit;
	l->rl.window_ms = window_ms;
	pthread_mutex_init(&l->mu, NULL);
	*out = l;
	return 0;
}

void api_anon_limit_free(struct api_anon_limit *l)
{
	if (l == NULL)
		return;
	pthread_mutex_destroy(&l->mu);
	free(l->rl.slots);
	free(l);
}

int api_anon_limit_check(struct api_ctx *r)
{
	struct api_anon_limit *l = r->app->anon;
	char key[THROTTLE_ADDR_MAX], v[24];
	int64_t wait, s;

	if (l == NULL || r->user != NULL)
		return 0;
	throttle_addr_key(r->http->addr, key, sizeof(key));
	pthread_mutex_lock(&l->mu);
	wait = ratelimit_hit(&l->rl, key, r->http->start_ms);
	pthread_mutex_unlock(&l->mu);
	if (wait <= 0)
		return 0;
	s = throttle_retry_after_s(wait);
	snprintf(v, sizeof(v), "%lld", (long long)s);
	http_add_header(r->http, "Retry-After", v);
	return error_set(&r->err, THC_ERATELIMIT,
	                 "địa chỉ này đã gửi quá %lld phản ánh không đăng nhập trong %lld phút:"
	                 " vui lòng chờ %lld giây, hoặc đăng nhập",
	                 "this address sent more than %lld requests without signing in in %lld"
	                 " minutes: wait %lld s, or sign in", (long long)l->rl.limit,
	                 (long long)(l->rl.window_ms / 60000), (long long)s);
}
