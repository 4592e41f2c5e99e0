/*
 * Route patterns: "/api/v1/units/{code}/levels" against a request path.
 * Pure: no I/O and no state; a fuzz target drives it (tests/fuzz).
 */
#ifndef THC_HTTP_ROUTE_H
#define THC_HTTP_ROUTE_H

#include "base/arena.h"

#define ROUTE_PARAMS_MAX 4

struct route_args {
	int n;
	const char *name[ROUTE_PARAMS_MAX];
	const char *value[ROUTE_PARAMS_MAX];
};

/* 1 when path matches pattern, filling args (names and values copied into
 * the arena); 0 otherwise.  A parameter matches one non-empty segment. */
int route_pattern_match(const char *pattern, const char *path, struct arena *a,
                        struct route_args *args);
/* The value of parameter name, or NULL. */
const char *route_arg(const struct route_args *a, const char *name);

#endif
