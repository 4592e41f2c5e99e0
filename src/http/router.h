/*
 * Routes are data: method, pattern with {params}, handler, flags.  The
 * dispatcher answers 404/405, checks login, takes a database connection
 * and replies with the error a handler returns.
 */
#ifndef THC_ROUTER_H
#define THC_ROUTER_H

#include "http/http.h"
#include "http/route.h"

enum route_flags {
	ROUTE_LOGIN = 1 << 0,      /* 401 without a valid session */
	ROUTE_NO_DB = 1 << 1,      /* does not need a database connection */
};

typedef int (*route_fn)(struct req *r, const struct route_args *a);

struct route {
	const char *method;
	const char *pattern;
	route_fn fn;
	unsigned flags;
};

/* The application's table (api/routes.c). */
extern const struct route api_routes[];
extern const size_t api_routes_count;

/* Finds and runs the route; always replies. */
void router_dispatch(struct req *r);

#endif
