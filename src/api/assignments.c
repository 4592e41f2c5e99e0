/*
 * Supervision assignments: who follows which unit, and how it is doing.
 */
#include <stdio.h>

#include "api/api.h"
#include "base/parse.h"
#include "base/banned.h"

int api_assignments_mine(struct req *r, const struct route_args *a)
{
	struct assignment *x;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = store_assignments_of(r->st, r->user->id, &r->arena, &x, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?}",
		        "id", (json_int_t)x[i].id, "unit_code", x[i].unit_code,
		        "unit_name", x[i].unit_name, "unit_level", x[i].unit_level,
		        "assigned_by", x[i].assigned_by, "created_at", http_time(r, x[i].created_at_ms),
		        "note", x[i].note, "status", x[i].status, "status_note", x[i].status_note,
		        "status_at", http_time(r, x[i].status_at_ms)));
	return http_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

int api_assignments_create(struct req *r, const struct route_args *a)
{
	const char *username, *unit, *note;
	json_t *doc = NULL;
	int64_t id;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = json_field_string(doc, "username", 1, USER_NAME_MAX, &username, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "unit_code", 1, 32, &unit, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "note", 0, 2000, &note, &r->err)) < 0)
		goto out;
	if ((rc = store_assignment_create(r->st, &r->actor, username, unit, note, &id,
	                                  &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/assignments/%lld", (long long)id);
	http_add_header(r, "Location", loc);
	rc = http_reply_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
out:
	json_decref(doc);
	return rc;
}

int api_assignments_report(struct req *r, const struct route_args *a)
{
	const char *status, *note;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if (parse_int64(route_arg(a, "id"), 1, INT64_MAX, &id) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có phân công '%.20s'",
		                 "no assignment '%.20s'", route_arg(a, "id"));
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = json_field_string(doc, "status", 1, 20, &status, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "note", 0, 2000, &note, &r->err)) < 0)
		goto out;
	if ((rc = store_assignment_report(r->st, &r->actor, id, status, note, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r, 201, json_pack("{s:I,s:s}", "assignment_id", (json_int_t)id,
	                                       "status", status));
out:
	json_decref(doc);
	return rc;
}
