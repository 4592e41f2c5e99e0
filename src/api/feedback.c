/*
 * Citizen feedback over HTTP: the categories (public), a request sent by
 * anyone (with a tracking code to follow it), the officials' queue in
 * scope, one request with the reporter's contact (audited), the actions of
 * the lifecycle, the reporter's own list and tracking by code.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/field.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/case.h"
#include "domain/feedback.h"
#include "domain/unit.h"
#include "store/fbcatalog.h"
#include "store/feedback.h"
#include "base/banned.h"

/* Tracking codes: 12 characters of 32 that are not confused with one
 * another when read over the phone (no I, O, 0, 1): 60 random bits. */
#define FB_CODE_LEN API_FEEDBACK_CODE_LEN
static const char fb_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

void api_feedback_new_code(char out[API_FEEDBACK_CODE_LEN + 1])
{
	unsigned char r[FB_CODE_LEN];

	randombytes_buf(r, sizeof(r));
	for (size_t i = 0; i < FB_CODE_LEN; i++)
		out[i] = fb_alphabet[r[i] & 31];
	out[FB_CODE_LEN] = '\0';
}

/* The hash of a code as typed: letters upper-cased, spaces and dashes
 * dropped.  0, or -1 when it cannot be a code. */
int api_feedback_code_hash(const char *typed, char hash[65])
{
	char code[FB_CODE_LEN + 1];
	size_t n = 0;

	for (const char *p = typed; p && *p; p++) {
		char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;

		if (c == ' ' || c == '-')
			continue;
		if (n == FB_CODE_LEN || strchr(fb_alphabet, c) == NULL || c == '\0')
			return -1;
		code[n++] = c;
	}
	if (n != FB_CODE_LEN)
		return -1;
	code[n] = '\0';
	auth_token_hash(code, hash);
	return 0;
}

static json_t *fb_events_json(struct api_ctx *r, const struct feedback_item *f)
{
	json_t *a = json_array();

	for (size_t i = 0; i < f->nevents; i++) {
		const struct feedback_event *e = &f->events[i];

		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s?,s:s?}", "at",
		                                   http_time(r->http, e->at_ms), "action", e->action,
		                                   "status", e->status, "unit_code", e->unit_code,
		                                   "note", e->note));
	}
	return a;
}

/* What anyone entitled to the request sees; contact only when `contact`. */
static json_t *fb_json(struct api_ctx *r, const struct feedback_item *f, int contact)
{
	const struct feedback_category *c = feedback_category(r->app->feedback, f->category);
	int st = feedback_status_from_name(f->status);
	char today[11];
	json_t *o;

	vndate_format_iso(vndate_from_days(api_today(r)), today, sizeof(today));
	o = json_pack("{s:I,s:s,s:s?,s:s,s:s,s:s?,s:s,s:s,s:s?,s:s,s:I,s:s,s:s,s:b,s:s?,s:s?,"
	              "s:s?,s:s,s:s}",
	              "id", (json_int_t)f->id, "category", f->category,
	              "category_name", c ? c->name_vi : f->category_name, "description", f->description,
	              "location_code", f->location_code, "address", f->address,
	              "source", f->source, "unit_code", f->unit_code,
	              "assigned_code", f->assigned_code, "holder_code", f->holder_code,
	              "escalations", (json_int_t)f->escalations, "status", f->status,
	              "deadline", f->deadline,
	              "overdue", st >= 0 && feedback_status_open((enum feedback_status)st) &&
	                         strcmp(f->deadline, today) < 0,
	              "answer", f->answer,
	              "answered_at", f->answered_at_ms ? http_time(r->http, f->answered_at_ms) : NULL,
	              "reject_reason", f->reject_reason,
	              "created_at", http_time(r->http, f->created_at_ms),
	              "updated_at", http_time(r->http, f->updated_at_ms));
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "holder_deadline", json_string(f->holder_deadline));
	json_object_set_new(o, "department", f->department ? json_string(f->department) : json_null());
	if (f->has_point) {
		json_object_set_new(o, "lat", json_real(f->lat));
		json_object_set_new(o, "long", json_real(f->lon));
	}
	if (contact)
		json_object_set_new(o, "reporter", json_pack("{s:s?,s:s?}", "name", f->reporter_name,
		                                             "phone", f->reporter_phone));
	if (f->events)
		json_object_set_new(o, "history", fb_events_json(r, f));
	return o;
}

int api_feedback_categories(struct api_ctx *r, const struct route_args *a)
{
	json_t *items = json_array();
	const struct feedback_category *c;

	(void)a;
	for (size_t i = 0; (c = feedback_category_at(r->app->feedback, i)) != NULL; i++) {
		json_t *o = json_pack("{s:s,s:{s:s,s:s},s:i,s:s,s:b}", "code", c->code,
		                      "name", "vi", c->name_vi, "en", c->name_en, "days", c->days,
		                      "level", c->level == FEEDBACK_LEVEL_COMMUNE ? "commune"
		                               : c->level == FEEDBACK_LEVEL_DISTRICT ? "district" : "province",
		                      "assumption", c->assumption);

		/* The department answering for it in a unit of each level. */
		if (o && c->department[FEEDBACK_LEVEL_PROVINCE])
			json_object_set_new(o, "departments", json_pack("{s:s,s:s,s:s}",
			                    "province", c->department[FEEDBACK_LEVEL_PROVINCE],
			                    "district", c->department[FEEDBACK_LEVEL_DISTRICT],
			                    "commune", c->department[FEEDBACK_LEVEL_COMMUNE]));
		json_array_append_new(items, o);
	}
	if (api_feedback_local_categories(r, items) < 0) {
		json_decref(items);
		return r->err.code;
	}
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

struct fb_in {
	const char *category, *description, *location_code, *address, *name, *phone;
	double lat, lon;
};

static const struct field fb_fields[] = {
	FIELD_TEXT("category", struct fb_in, category, FIELD_REQUIRED, FEEDBACK_CODE_MAX),
	FIELD_TEXT("description", struct fb_in, description, FIELD_REQUIRED | FIELD_MULTILINE,
	           FEEDBACK_DESCRIPTION_MAX),
	/* Not required with a point: its district is then the place. */
	FIELD_TEXT("location_code", struct fb_in, location_code, 0, UNIT_CODE_MAX),
	FIELD_TEXT("address", struct fb_in, address, 0, FEEDBACK_ADDRESS_MAX),
	FIELD_REAL("lat", struct fb_in, lat, 0, -90, 90, 1000),
	FIELD_REAL("long", struct fb_in, lon, 0, -180, 180, 1000),
	FIELD_TEXT("name", struct fb_in, name, 0, FEEDBACK_NAME_MAX),
	/* A number the commune can call back (the same check as a person's). */
	FIELD_CHECKED("phone", struct fb_in, phone, 0, FEEDBACK_PHONE_MAX, case_check_phone),
};

int api_feedback_submit(struct api_ctx *r, const struct route_args *a)
{
	struct feedback_item f = { 0 };
	struct store_actor anon = r->actor;
	struct fb_in in;
	json_t *doc = NULL, *out;
	char code[FB_CODE_LEN + 1], hash[65], loc[64];
	int rc;

	(void)a;
	if ((rc = api_anon_limit_check(r)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(fb_fields), doc, NULL, api_today(r), &in, &r->err)) < 0)
		goto out;
	if ((in.lat == 1000) != (in.lon == 1000)) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, in.lat == 1000 ? "lat" : "long",
		                  "cần cả 'lat' và 'long'", "'lat' and 'long' go together");
		goto out;
	}
	f = (struct feedback_item){ .category = in.category, .description = in.description,
	                            .location_code = in.location_code, .address = in.address,
	                            .reporter_name = in.name, .reporter_phone = in.phone,
	                            .has_point = in.lat != 1000, .lat = in.lat, .lon = in.lon,
	                            .source = "web" };
	if ((rc = api_feedback_locate(r, &f, "location_code")) < 0)
		goto out;
	api_feedback_new_code(code);
	auth_token_hash(code, hash);
	/* Anonymous: no user id (-1), and named so in the history and the trail. */
	if (r->user == NULL)
		anon.username = "anonymous";
	if ((rc = store_feedback_create(r->st, &anon, r->app->feedback,
	                                api_today(r), hash, &f, r->arena, &r->err)) < 0)
		goto out;
	out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s?}", "id", (json_int_t)f.id,
	                "tracking_code", code, "status", "new", "unit_code", f.unit_code,
	                "deadline", f.deadline, "category", f.category, "department", f.department);
	snprintf(loc, sizeof(loc), "/api/v1/feedback/track/%s", code);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, out);
out:
	json_decref(doc);
	return rc;
}

static const char *const fb_sorts[FEEDBACK_SORT_COUNT] = {
	[FEEDBACK_SORT_ID] = "id", [FEEDBACK_SORT_DUE] = "due",
	[FEEDBACK_SORT_CREATED] = "created", [FEEDBACK_SORT_UPDATED] = "updated",
};

/* ?sort=due|created|updated&order=asc|desc; the cursor of a sorted page is
 * "KEY.ID" (the last row's deadline or time in ms, and its id), as `next`
 * gives it. */
static int fb_query_sort(struct api_ctx *r, struct feedback_query *q)
{
	const char *key;
	int sort, rc;

	if ((rc = api_list_sort(r, fb_sorts, FEEDBACK_SORT_COUNT, 1, &sort, &q->desc, &key,
	                        &q->after)) < 0)
		return rc;
	q->sort = (enum feedback_sort)sort;
	if (key == NULL)
		return 0;
	if (q->sort == FEEDBACK_SORT_DUE ? !api_list_key_day(key)
	                                 : parse_int64(key, 0, INT64_MAX, &q->after_ms) < 0)
		return api_list_cursor_bad(r);
	q->after_due = key;
	return 0;
}

/* The cursor of the page after the one ending with f. */
static json_t *fb_next_json(struct api_ctx *r, const struct feedback_query *q,
                            const struct feedback_item *f, int64_t next)
{
	if (next == 0)
		return json_null();
	if (q->sort == FEEDBACK_SORT_ID)
		return json_integer(next);
	if (q->sort == FEEDBACK_SORT_DUE)
		return api_list_next(r, f->deadline, f->id);
	return api_list_next_num(r, q->sort == FEEDBACK_SORT_CREATED ? f->created_at_ms
	                                                             : f->updated_at_ms, f->id);
}

/* ?status=&category=&department=&unit=&overdue=1&escalated=1&sort=&order=
 * &limit=&cursor= */
static int fb_query(struct api_ctx *r, struct feedback_query *q)
{
	const char *status = http_query(r->http, "status");
	int64_t v;
	int rc;

	*q = (struct feedback_query){ .unit = http_query(r->http, "unit"), .status = status,
	                              .category = http_query(r->http, "category"),
	                              .department = http_query(r->http, "department"),
	                              .today = api_today(r), .limit = 100 };
	if (status && feedback_status_from_name(status) < 0)
		return error_set_at(&r->err, THC_EINVAL, "status",
		                    "tham số 'status': '%.20s' không phải trạng thái (new, acknowledged, in_progress, answered, closed, rejected)",
		                    "parameter 'status': '%.20s' is not a status (new, acknowledged, in_progress, answered, closed, rejected)",
		                    status);
	if (q->category && feedback_category(r->app->feedback, q->category) == NULL &&
	    store_fbcat_exists(r->st, q->category, &r->err) != 1)
		return error_set_at(&r->err, THC_EINVAL, "category",
		                    "tham số 'category': không có loại '%.40s'",
		                    "parameter 'category': no category '%.40s'", q->category);
	if ((rc = api_query_int(r, "limit", 1, FEEDBACK_LIST_MAX, &v)) < 0)
		return rc;
	q->limit = rc == 1 ? 100 : v;
	if ((rc = fb_query_sort(r, q)) < 0)
		return rc;
	if (q->department && (q->department[0] == '\0' || strlen(q->department) >= FEEDBACK_DEPARTMENT_MAX))
		return error_set_at(&r->err, THC_EINVAL, "department",
		                    "tham số 'department': cần tên phòng ban (tối đa %d byte)",
		                    "parameter 'department': a department's name is needed (at most %d bytes)",
		                    FEEDBACK_DEPARTMENT_MAX - 1);
	if ((rc = api_query_int(r, "overdue", 0, 1, &v)) < 0)
		return rc;
	q->overdue = rc == 1 ? 0 : (int)v;
	if ((rc = api_query_int(r, "escalated", 0, 1, &v)) < 0)
		return rc;
	q->escalated = rc == 1 ? 0 : (int)v;
	q->geo_flag = http_query(r->http, "geo_flag");
	if (q->geo_flag && strcmp(q->geo_flag, "any") != 0 && strcmp(q->geo_flag, "near_border") != 0 &&
	    strcmp(q->geo_flag, "outside") != 0 && strcmp(q->geo_flag, "mismatch") != 0)
		return error_set_at(&r->err, THC_EINVAL, "geo_flag",
		                    "tham số 'geo_flag': '%.20s' không phải any, near_border, outside hoặc mismatch",
		                    "parameter 'geo_flag': '%.20s' is not any, near_border, outside or mismatch",
		                    q->geo_flag);
	return 0;
}

int api_feedback_list(struct api_ctx *r, const struct route_args *a)
{
	enum api_table_format fmt;
	struct feedback_query q;
	struct feedback_item *f;
	size_t n;
	int64_t next;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = api_table_format(r, &fmt)) < 0 || (rc = fb_query(r, &q)) < 0)
		return rc;
	/* A file holds a whole page of the most a list gives, unless told. */
	if (fmt != API_TABLE_JSON && http_query(r->http, "limit") == NULL)
		q.limit = FEEDBACK_LIST_MAX;
	if ((rc = store_feedback_list(r->st, &r->actor, &q, r->arena, &f, &n, &next, &r->err)) < 0)
		return rc;
	if (fmt != API_TABLE_JSON)
		return api_feedback_table(r, fmt, f, n, next);
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = fb_json(r, &f[i], 0);

		api_feedback_geo_json(o, &f[i]);
		json_array_append_new(items, o);
	}
	return http_reply_json(r->http, 200, json_pack("{s:o,s:o}", "items", items, "next",
	                                               fb_next_json(r, &q, n ? &f[n - 1] : NULL,
	                                                            next)));
}

int api_feedback_mine(struct api_ctx *r, const struct route_args *a)
{
	struct feedback_item *f;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = store_feedback_mine(r->st, &r->actor, r->arena, &f, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, fb_json(r, &f[i], 0));
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

int api_feedback_get(struct api_ctx *r, const struct route_args *a)
{
	struct feedback_item f;
	json_t *o;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = store_feedback_get(r->st, &r->actor, id, r->arena, &f, &r->err)) < 0)
		return rc;
	o = fb_json(r, &f, 1);
	api_feedback_geo_json(o, &f);
	json_object_set_new(o, "photos", api_feedback_photos_json(r, &f));
	return http_reply_json(r->http, 200, o);
}

int api_feedback_track(struct api_ctx *r, const struct route_args *a)
{
	struct feedback_item f;
	char hash[65];
	int rc;

	if (api_feedback_code_hash(route_arg(a, "token"), hash) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có phản ánh với mã theo dõi này",
		                 "no feedback request with this tracking code");
	if ((rc = store_feedback_track(r->st, hash, r->arena, &f, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, fb_json(r, &f, 0));
}

struct fb_act_in {
	const char *unit_code, *answer, *reason, *department;
};

static const struct field fb_act_fields[] = {
	FIELD_TEXT("unit_code", struct fb_act_in, unit_code, 0, UNIT_CODE_MAX),
	FIELD_TEXT("department", struct fb_act_in, department, 0, FEEDBACK_DEPARTMENT_MAX - 1),
	FIELD_TEXT("answer", struct fb_act_in, answer, FIELD_MULTILINE, FEEDBACK_TEXT_MAX),
	FIELD_TEXT("reason", struct fb_act_in, reason, FIELD_MULTILINE, FEEDBACK_TEXT_MAX),
};

static int fb_act(struct api_ctx *r, const struct route_args *a, enum feedback_action action)
{
	struct fb_act_in in = { 0 };
	struct feedback_item f;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if (r->json && (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if (doc && (rc = field_read_json(FIELDS(fb_act_fields), doc, NULL, api_today(r), &in,
	                                 &r->err)) < 0)
		goto out;
	rc = action == FEEDBACK_REASSIGN
	     ? store_feedback_reassign(r->st, &r->actor, r->app->feedback, id, in.unit_code,
	                               in.department, in.reason, &r->err)
	     : store_feedback_act(r->st, &r->actor, id, action, in.unit_code,
	                          action == FEEDBACK_ANSWER ? in.answer
	                          : action == FEEDBACK_REJECT ? in.reason : NULL, &r->err);
	if (rc < 0)
		goto out;
	/* The request as it is now: the reporter's contact stays out of the
	 * answer to an action (read it with GET, audited). */
	{
		struct feedback_query q = { .limit = 1, .after = id - 1, .today = api_today(r) };
		struct feedback_item *items;
		size_t n;
		int64_t next;

		if ((rc = store_feedback_list(r->st, &r->actor, &q, r->arena, &items, &n, &next,
		                              &r->err)) < 0)
			goto out;
		f = n == 1 ? items[0] : (struct feedback_item){ .id = id, .status = "?", .deadline = "" };
		/* Reassigned out of the caller's scope: what it may still know. */
		if (n == 0 && action == FEEDBACK_REASSIGN) {
			rc = http_reply_json(r->http, 200, json_pack("{s:I,s:s,s:s?,s:s?}", "id",
			                     (json_int_t)id, "status", "new", "unit_code", in.unit_code,
			                     "holder_code", in.unit_code));
			goto out;
		}
	}
	rc = http_reply_json(r->http, 200, fb_json(r, &f, 0));
out:
	json_decref(doc);
	return rc;
}

int api_feedback_acknowledge(struct api_ctx *r, const struct route_args *a)
{
	return fb_act(r, a, FEEDBACK_ACKNOWLEDGE);
}

int api_feedback_assign(struct api_ctx *r, const struct route_args *a)
{
	return fb_act(r, a, FEEDBACK_ASSIGN);
}

int api_feedback_answer(struct api_ctx *r, const struct route_args *a)
{
	return fb_act(r, a, FEEDBACK_ANSWER);
}

int api_feedback_close(struct api_ctx *r, const struct route_args *a)
{
	return fb_act(r, a, FEEDBACK_CLOSE);
}

int api_feedback_reject(struct api_ctx *r, const struct route_args *a)
{
	return fb_act(r, a, FEEDBACK_REJECT);
}

int api_feedback_reassign(struct api_ctx *r, const struct route_args *a)
{
	return fb_act(r, a, FEEDBACK_REASSIGN);
}

struct fb_reopen_in {
	const char *reason;
};

static const struct field fb_reopen_fields[] = {
	FIELD_TEXT("reason", struct fb_reopen_in, reason, FIELD_REQUIRED | FIELD_MULTILINE,
	           FEEDBACK_TEXT_MAX),
};

/* The reporter, holding the tracking code, reopens an answer that did not
 * settle it: no sign-in, since most reporters have none. */
int api_feedback_reopen(struct api_ctx *r, const struct route_args *a)
{
	struct store_actor actor = r->actor;
	struct fb_reopen_in in;
	struct feedback_item f;
	json_t *doc = NULL;
	char hash[65];
	int64_t id;
	int rc;

	if (api_feedback_code_hash(route_arg(a, "token"), hash) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có phản ánh với mã theo dõi này",
		                 "no feedback request with this tracking code");
	if ((rc = api_body_json(r, &doc)) < 0)
		return rc;
	rc = field_read_json(FIELDS(fb_reopen_fields), doc, NULL, api_today(r), &in, &r->err);
	if (rc == 0 && r->user == NULL)
		actor.username = "reporter";
	if (rc == 0)
		rc = store_feedback_reopen(r->st, &actor, r->app->feedback, api_today(r), hash,
		                           in.reason, &id, &r->err);
	if (rc == 0)
		rc = store_feedback_track(r->st, hash, r->arena, &f, &r->err);
	json_decref(doc);
	return rc < 0 ? rc : http_reply_json(r->http, 200, fb_json(r, &f, 0));
}
