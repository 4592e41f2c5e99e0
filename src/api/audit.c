/*
 * Reading the audit trail (officials only: the route says so).  There is
 * deliberately no route that changes it.
 */
#include <string.h>

#include "api/api.h"
#include "domain/role.h"
#include "base/banned.h"

#define AUDIT_LIMIT_DEFAULT 100
#define AUDIT_LIMIT_MAX 1000

static json_t *json_or_null(const char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;
	return v ? v : json_null();
}

int api_audit_list(struct api_ctx *r, const struct route_args *a)
{
	struct audit_query q = { .limit = AUDIT_LIMIT_DEFAULT };
	struct audit_entry *e;
	size_t n;
	int64_t v;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = api_query_int(r, "limit", 1, AUDIT_LIMIT_MAX, &v)) < 0)
		return rc;
	if (rc == 0)
		q.limit = (int)v;
	if ((rc = api_query_int(r, "before", 1, INT64_MAX, &v)) < 0)
		return rc;
	if (rc == 0)
		q.before_id = v;
	if ((rc = api_query_day(r, "from", 0, &q.from_ms)) < 0 ||
	    (rc = api_query_day(r, "to", 1, &q.to_ms)) < 0)   /* "to" includes that day */
		return rc;
	q.unit = http_query(r->http, "unit");
	q.actor = http_query(r->http, "actor");
	if (q.unit && (rc = store_scope_check(r->st, &r->actor, q.unit, ROLE_MASK_AUDIT_READ,
	                                      &r->err)) < 0)
		return rc;
	if ((rc = store_audit_list(r->st, &r->actor, &q, r->arena, &e, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s?,s:s,s:s,s:s?,s:s?,s:o,s:o}",
		        "id", (json_int_t)e[i].id, "at", http_time(r->http, e[i].at_ms),
		        "actor", e[i].actor, "client_addr", e[i].client_addr,
		        "action", e[i].action, "entity", e[i].entity,
		        "entity_id", e[i].entity_id, "unit_code", e[i].unit_code,
		        "before", json_or_null(e[i].before_json),
		        "after", json_or_null(e[i].after_json)));
	return http_reply_json(r->http, 200, json_pack("{s:o,s:o}", "items", items, "next",
	                       n == (size_t)q.limit ? json_integer(e[n - 1].id) : json_null()));
}
