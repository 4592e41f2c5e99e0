/*
 * thichung routes [--json]: the HTTP API's routes as the server dispatches
 * them (api/dispatch.c), for operators and for the scope-matrix test, which
 * refuses to pass while a route is missing from it.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "domain/role.h"
#include "base/banned.h"

static void routes_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage: thichung routes [--json | --openapi]\n"
	        "  Các địa chỉ của API: phương thức, mẫu, có cần đăng nhập, nội dung nhận.\n"
	        "  The API's routes: method, pattern, whether a sign-in is needed, the body taken.\n"
	        "  --openapi: tài liệu OpenAPI 3.1 / the OpenAPI 3.1 document (GET /api/v1/openapi.json)\n");
}

static const char *const routes_bodies[] = {
	[API_BODY_NONE] = "none", [API_BODY_JSON] = "json", [API_BODY_JSON_OPTIONAL] = "json?",
	[API_BODY_CSV] = "csv", [API_BODY_JSON_OR_CSV] = "json|csv", [API_BODY_FORM] = "form",
	[API_BODY_BYTES] = "bytes",
};

static const char *const routes_caches[] = {
	[API_CACHE_NONE] = "none", [API_CACHE_KEEP] = "keep", [API_CACHE_DROP] = "drop",
};

static json_t *routes_row(const struct api_route *rt)
{
	json_t *roles = json_array();

	for (int k = 0; k < ROLE_COUNT; k++)
		if (rt->roles & ROLE_BIT(k))
			json_array_append_new(roles, json_string(role_name((enum role)k)));
	int login = rt->access == API_SIGNED_IN || rt->access == API_SIGNED_IN_OR_KEY;

	return json_pack("{s:s,s:s,s:b,s:b,s:b,s:o,s:s,s:s}", "method", rt->method,
	                 "pattern", rt->pattern, "login", login,
	                 "apikey", rt->access == API_SIGNED_IN_OR_KEY, "database", rt->access != API_NO_DB,
	                 "roles", roles, "body", routes_bodies[rt->body],
	                 "cache", routes_caches[rt->cache]);
}

static int routes_json(int openapi)
{
	json_t *a = openapi ? api_openapi_doc() : json_array();
	char *s;

	for (size_t i = 0; a && !openapi && i < api_routes_count; i++)
		json_array_append_new(a, routes_row(&api_routes[i]));
	s = a ? json_dumps(a, JSON_INDENT(1)) : NULL;
	json_decref(a);
	if (s == NULL) {
		fprintf(stderr, "thichung: hết bộ nhớ / out of memory\n");
		return CLI_FAIL;
	}
	puts(s);
	free(s);
	return CLI_OK;
}

int cli_routes(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "openapi", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, json = 0;

	(void)env;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = json ? json : 1; break;
		case 'o': json = 2; break;
		case 'h': routes_usage(stdout); return CLI_OK;
		default: routes_usage(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		routes_usage(stderr);
		return CLI_USAGE;
	}
	if (json)
		return routes_json(json == 2);
	for (size_t i = 0; i < api_routes_count; i++)
		printf("%-6s %-48s %-30s %s\n", api_routes[i].method, api_routes[i].pattern,
		       api_routes[i].access == API_SIGNED_IN ? "đăng nhập / sign-in"
		       : api_routes[i].access == API_SIGNED_IN_OR_KEY ? "đăng nhập, khóa API / sign-in, API key"
		       : "công khai / public",
		       routes_bodies[api_routes[i].body]);
	return CLI_OK;
}
