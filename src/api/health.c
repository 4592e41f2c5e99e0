#include "api/api.h"
#include "base/banned.h"

int api_health(struct api_ctx *r, const struct route_args *a)
{
	struct store *st = NULL;
	struct error err = ERROR_INIT;
	int ok;

	(void)a;
	/* A short wait: a health probe must answer even when the pool is busy. */
	ok = store_pool_get(r->app->pool, 1000, &st, &err) == 0 && store_ping(st, &err) == 0;
	if (st)
		store_pool_put(r->app->pool, st);
	return http_reply_json(r->http, ok ? 200 : 503,
	                       json_pack("{s:s,s:s,s:s}", "status", ok ? "ok" : "degraded",
	                                 "db", ok ? "ok" : "unavailable", "version", THC_VERSION));
}
