/*
 * Supervision assignments: who follows which unit, and how it is doing.
 */
#include <stdio.h>

#include "api/api.h"
#include "api/field.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/unit.h"
#include "base/banned.h"

int api_assignments_mine(struct api_ctx *r, const struct route_args *a)
{
	struct assignment *x;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = store_assignments_of(r->st, r->user->id, r->arena, &x, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?}",
		        "id", (json_int_t)x[i].id, "unit_code", x[i].unit_code,
		        "unit_name", x[i].unit_name, "unit_level", x[i].unit_level,
		        "assigned_by", x[i].assigned_by, "created_at", http_time(r->http, x[i].created_at_ms),
		        "note", x[i].note, "status", x[i].status, "status_note", x[i].status_note,
		        "status_at", http_time(r->http, x[i].status_at_ms)));
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

struct assignment_in {
	const char *username, *unit_code, *status, *note;
};

static const struct field assignment_fields[] = {
	FIELD_TEXT("username", struct assignment_in, username, FIELD_REQUIRED, USER_NAME_MAX),
	FIELD_TEXT("unit_code", struct assignment_in, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("note", struct assignment_in, note, FIELD_MULTILINE, ASSIGNMENT_NOTE_MAX),
};

static const struct field report_fields[] = {
	FIELD_TEXT("status", struct assignment_in, status, FIELD_REQUIRED, 20),
	FIELD_TEXT("note", struct assignment_in, note, FIELD_MULTILINE, ASSIGNMENT_NOTE_MAX),
};

int api_assignments_create(struct api_ctx *r, const struct route_args *a)
{
	struct assignment_in in;
	json_t *doc = NULL;
	int64_t id;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(assignment_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	if ((rc = store_assignment_create(r->st, &r->actor, in.username, in.unit_code, in.note, &id,
	                                  &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/assignments/%lld", (long long)id);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, json_pack("{s:I}", "id", (json_int_t)id));
out:
	json_decref(doc);
	return rc;
}

int api_assignments_report(struct api_ctx *r, const struct route_args *a)
{
	struct assignment_in in;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if (parse_int64(route_arg(a, "id"), 1, INT64_MAX, &id) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có phân công '%.20s'",
		                 "no assignment '%.20s'", route_arg(a, "id"));
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(report_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	if ((rc = store_assignment_report(r->st, &r->actor, id, in.status, in.note, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:s}", "assignment_id", (json_int_t)id,
	                                       "status", in.status));
out:
	json_decref(doc);
	return rc;
}
