/*
 * Support, what the public sends: the tracking of a citizen's own
 * application (its status only), the commune's verification of it,
 * objections to a line of the public posting (anyone, during the posting;
 * closed after it) and the commune's queue of those objections.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/vntime.h"
#include "domain/support.h"
#include "store/support.h"
#include "base/banned.h"

int api_support_track(struct api_ctx *r, const struct route_args *a)
{
	struct support_tracked t;
	const struct support_programme *p;
	char hash[65];
	int rc;

	if (api_feedback_code_hash(route_arg(a, "token"), hash) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có hồ sơ với mã theo dõi này",
		                 "no application with this tracking code");
	if ((rc = store_support_track(r->st, hash, r->arena, &t, &r->err)) < 0)
		return rc;
	p = support_programme(r->app->support, t.programme);
	/* Status only: whoever holds the code learns nothing of the person. */
	return http_reply_json(r->http, 200, json_pack(
		"{s:s,s:{s:s?,s:s?},s:s,s:b,s:I,s:s?,s:s,s:b,s:I}", "programme", t.programme,
		"programme_name", "vi", p ? p->name_vi : NULL, "en", p ? p->name_en : NULL,
		"status", t.status, "verified", t.verified, "step", (json_int_t)t.step,
		"step_deadline", strcmp(t.status, "pending") == 0 ? t.step_deadline : NULL,
		"received_on", t.received_on, "overdue",
		support_step_overdue(t.status, t.step_deadline, api_today(r)),
		"amount", (json_int_t)t.amount));
}

struct sp_verify_in {
	const char *note;
};

static const struct field sp_verify_fields[] = {
	FIELD_TEXT("note", struct sp_verify_in, note, FIELD_MULTILINE, SUPPORT_TEXT_MAX),
};

int api_support_verify(struct api_ctx *r, const struct route_args *a)
{
	struct sp_verify_in in = { 0 };
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if (r->json && (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if (doc && (rc = field_read_json(FIELDS(sp_verify_fields), doc, NULL, api_today(r), &in,
	                                 &r->err)) < 0)
		goto out;
	if ((rc = store_support_verify(r->st, &r->actor, id, in.note, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id,
	                                             "verified", 1));
out:
	json_decref(doc);
	return rc;
}

struct sp_object_in {
	const char *name, *contact, *reason;
};

static const struct field sp_object_fields[] = {
	FIELD_TEXT("name", struct sp_object_in, name, FIELD_REQUIRED, SUPPORT_OBJECTION_NAME_MAX),
	FIELD_TEXT("contact", struct sp_object_in, contact, 0, SUPPORT_OBJECTION_CONTACT_MAX),
	FIELD_TEXT("reason", struct sp_object_in, reason, FIELD_REQUIRED | FIELD_MULTILINE,
	           SUPPORT_TEXT_MAX),
};

/* Anyone objects to a posted line, limited per address as the anonymous
 * forms are.  The answer says only that it was received. */
int api_support_object(struct api_ctx *r, const struct route_args *a)
{
	struct store_actor anon = r->actor;
	struct support_objection o = { 0 };
	struct sp_object_in in;
	char today[11], until[11];
	json_t *doc = NULL;
	int64_t line;
	int rc;

	if ((rc = api_id_arg(r, a, &line)) < 0)
		return rc;
	if ((rc = api_anon_limit_check(r)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(sp_object_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	o = (struct support_objection){ .line = line, .name = in.name, .contact = in.contact,
	                                .reason = in.reason };
	vndate_format_iso(vndate_from_days(api_today(r)), today, sizeof(today));
	if (r->user == NULL)
		anon.username = "anonymous";
	if ((rc = store_support_object(r->st, &anon, &o, today, until, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 201, json_pack("{s:b,s:s}", "received", 1, "on", today));
out:
	json_decref(doc);
	return rc;
}

int api_support_objections(struct api_ctx *r, const struct route_args *a)
{
	const char *unit = http_query(r->http, "unit");
	struct support_objection *v;
	int64_t after, next;
	json_t *items;
	size_t n;
	int rc;

	(void)a;
	if (unit == NULL || unit[0] == '\0')
		return error_set_at(&r->err, THC_EINVAL, "unit", "thiếu tham số 'unit'",
		                    "parameter 'unit' is missing");
	if ((rc = api_query_int(r, "cursor", 1, INT64_MAX, &after)) < 0)
		return rc;
	if (rc == 1)
		after = 0;
	if ((rc = store_support_objections(r->st, &r->actor, unit, after, r->arena, &v, &n, &next,
	                                   &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s?,s:s,s:s,s:s}",
		                      "id", (json_int_t)v[i].id, "application_id", (json_int_t)v[i].line,
		                      "programme", v[i].programme, "full_name", v[i].full_name,
		                      "name", v[i].name, "contact", v[i].contact, "reason", v[i].reason,
		                      "received_on", v[i].received_on,
		                      "created_at", http_time(r->http, v[i].created_at_ms)));
	return http_reply_json(r->http, 200, json_pack("{s:s,s:o,s:o,s:b}", "unit", unit,
	                       "items", items, "next", next ? json_integer(next) : json_null(),
	                       "truncated", next != 0));
}
