/* Every route of the API, as data. */
#include "api/api.h"

const struct route api_routes[] = {
	{ "GET",    "/healthz",                          api_health,             ROUTE_NO_DB },
	{ "POST",   "/api/v1/login",                     api_login,              0 },
	{ "POST",   "/api/v1/logout",                    api_logout,             ROUTE_LOGIN },
	{ "GET",    "/api/v1/me",                        api_me,                 ROUTE_LOGIN },
	{ "GET",    "/api/v1/me/assignments",            api_assignments_mine,   ROUTE_LOGIN },
	{ "GET",    "/api/v1/units",                     api_units_list,         0 },
	{ "POST",   "/api/v1/units",                     api_units_create,       ROUTE_LOGIN },
	{ "GET",    "/api/v1/units/{code}",              api_units_get,          0 },
	{ "GET",    "/api/v1/units/{code}/levels",       api_unit_levels,        0 },
	{ "POST",   "/api/v1/units/{code}/levels",       api_unit_level_decide,  ROUTE_LOGIN },
	{ "GET",    "/api/v1/levels",                    api_levels_map,         0 },
	{ "GET",    "/api/v1/levels/changes",            api_levels_changes,     0 },
	{ "POST",   "/api/v1/levels/indicators",         api_levels_indicators,  ROUTE_LOGIN },
	{ "POST",   "/api/v1/levels/assess",             api_levels_assess,      ROUTE_LOGIN },
	{ "POST",   "/api/v1/levels/import",             api_levels_import,      ROUTE_LOGIN },
	{ "GET",    "/api/v1/audit",                     api_audit_list,         ROUTE_LOGIN },
	{ "POST",   "/api/v1/assignments",               api_assignments_create, ROUTE_LOGIN },
	{ "POST",   "/api/v1/assignments/{id}/reports",  api_assignments_report, ROUTE_LOGIN },
};
const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
