/*
 * Route matching and the one place where login, the database connection
 * and error replies are handled for every handler.
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "http/auth.h"
#include "http/router.h"
#include "http/static.h"
#include "base/banned.h"

#define DB_WAIT_MS 5000

static void router_reply_rc(struct req *r, int rc)
{
	if (r->err.code == 0)
		r->err.code = rc;
	/* Storage details (file paths, sockets, SQL) go to the log only. */
	if (r->err.code == THC_ESTORE || r->err.code == THC_EINTERNAL ||
	    r->err.code == THC_ENOMEM || r->err.code == THC_EUNAVAILABLE) {
		char q[600];
		/* The detail goes to the log; the client gets the fixed text. */
		log_error("http.error", "rid=%s code=%s detail=%s", r->rid,
		          error_slug(r->err.code), log_value(r->err.en, q, sizeof(q)));
		http_reply_error(r, r->err.code, NULL);
		return;
	}
	http_reply_error(r, r->err.code, &r->err);
}

void router_dispatch(struct req *r)
{
	char allow[128] = "";
	size_t an = 0;
	const struct route *found = NULL;
	struct route_args args = { 0 };
	int rc;

	/* Only the path: MHD hands the query string separately. */
	for (size_t i = 0; i < api_routes_count; i++) {
		const struct route *rt = &api_routes[i];
		struct route_args a;

		if (!route_pattern_match(rt->pattern, r->path, &r->arena, &a))
			continue;
		if (strcmp(rt->method, r->method) == 0 ||
		    (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
			found = rt;
			args = a;
			break;
		}
		if (!strstr(allow, rt->method)) {
			int k = snprintf(allow + an, sizeof(allow) - an, "%s%s", an ? ", " : "",
			                 rt->method);
			if (k > 0 && (size_t)k < sizeof(allow) - an)
				an += (size_t)k;
		}
	}
	if (found == NULL) {
		if (an) {
			http_add_header(r, "Allow", allow);
			error_set(&r->err, THC_EMETHOD, "phương thức %s không dùng được cho %s (dùng %s)",
			          "method %s is not allowed on %s (use %s)", r->method, r->path, allow);
			router_reply_rc(r, THC_EMETHOD);
		} else if (static_handles(r->method, r->path)) {
			/* The web application: its files, or index.html for its routes. */
			if ((rc = static_serve(r)) < 0)
				router_reply_rc(r, rc);
		} else {
			error_set(&r->err, THC_ENOTFOUND, "không có địa chỉ %s", "no such path: %s",
			          r->path);
			router_reply_rc(r, THC_ENOTFOUND);
		}
		return;
	}
	if (!(found->flags & ROUTE_NO_DB)) {
		if ((rc = store_pool_get(r->app->pool, DB_WAIT_MS, &r->st, &r->err)) < 0)
			goto fail;
		if ((rc = store_ping(r->st, &r->err)) < 0)
			goto fail;
		if ((rc = auth_identify(r)) < 0)
			goto fail;
	}
	if ((found->flags & ROUTE_LOGIN) && r->user == NULL) {
		rc = error_set(&r->err, THC_EAUTH, "cần đăng nhập", "you need to sign in");
		goto fail;
	}
	if ((rc = found->fn(r, &args)) < 0)
		goto fail;
	if (!r->replied) {
		rc = error_set(&r->err, THC_EINTERNAL, "không có phản hồi", "no reply was made");
		goto fail;
	}
	return;
fail:
	if (!r->replied)
		router_reply_rc(r, rc);
}
