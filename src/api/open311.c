/*
 * Open311 GeoReport v2 under /open311/v2/ (reads): discovery, the service
 * list (the feedback categories: the national ones, and with a province's
 * jurisdiction_id its own in use), a service's definition, the public
 * request list with its filters, one request, a tracking token.  Every
 * reply is JSON or XML by the resource's suffix; errors are the
 * specification's list of {code, description}, never the API's own shape,
 * since Open311 clients read only that.  No contact detail is ever read
 * here (store/open311.h does not select them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/open311.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/feedback.h"
#include "domain/open311.h"
#include "store/fbcatalog.h"
#include "store/open311.h"
#include "base/banned.h"

#define O311_CHANGESET "2026-12-07T00:00:00+07:00"
#define O311_DAY_MS (24LL * 3600 * 1000)

int o311_format(struct api_ctx *r, const struct route_args *a, const char *arg,
                const char **name, enum open311_format *fmt)
{
	const char *seg = route_arg(a, arg);
	size_t n;

	*fmt = OPEN311_JSON;
	if (strcmp(arg, "fmt") == 0) {      /* "/services.{fmt}": the suffix alone */
		if (seg && strcmp(seg, "xml") == 0)
			*fmt = OPEN311_XML;
		else if (seg == NULL || strcmp(seg, "json") != 0)
			return error_set(&r->err, THC_ENOTFOUND, "định dạng chỉ là .json hoặc .xml",
			                 "the format is .json or .xml only");
		return 0;
	}
	if (open311_split(seg, &n, fmt) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "định dạng chỉ là .json hoặc .xml",
		                 "the format is .json or .xml only");
	*name = arena_strndup(r->arena, seg, n);
	return *name ? 0 : error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

int o311_reply(struct api_ctx *r, enum open311_format fmt, unsigned status, const char *root,
               json_t *v)
{
	struct strbuf sb = STRBUF_INIT(16 << 20);
	int rc;

	if (v == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if (fmt == OPEN311_JSON)
		return http_reply_json(r->http, status, v);
	rc = open311_xml(&sb, root, v);
	json_decref(v);
	if (rc < 0) {
		strbuf_release(&sb);
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	/* The buffer is taken by the reply. */
	return http_reply_bytes(r->http, status, "text/xml; charset=utf-8", sb.buf, sb.len);
}

int o311_fail(struct api_ctx *r, enum open311_format fmt, int rc)
{
	int code = r->err.code ? r->err.code : rc;
	unsigned status = code == THC_EFORBIDDEN ? 403 : code == THC_ENOTFOUND ? 404
	                  : code == THC_ERATELIMIT ? 429 : code == THC_EUNAVAILABLE ? 503
	                  : code == THC_ENOMEM || code == THC_ESTORE || code == THC_EINTERNAL ? 500
	                  : 400;
	const char *msg = status == 500 ? (r->http->english ? "internal error" : "lỗi nội bộ")
	                  : r->http->english ? r->err.en : r->err.vi;

	/* Storage details stay in the log (the dispatcher's rule for 5xx). */
	if (status >= 500)
		return rc;
	return o311_reply(r, fmt, status, "errors",
	                  json_pack("[{s:i,s:s}]", "code", (int)status, "description", msg));
}

/* jurisdiction_id: empty is absent; else a province code (404 otherwise). */
int o311_jurisdiction(struct api_ctx *r, const char *j)
{
	int rc;

	if (j == NULL || j[0] == '\0')
		return 0;
	if ((rc = store_open311_province(r->st, j, &r->err)) < 0)
		return rc;
	if (rc == 0)
		return error_set_at(&r->err, THC_ENOTFOUND, "jurisdiction_id",
		                    "jurisdiction_id '%.20s': không phải mã tỉnh, thành phố",
		                    "jurisdiction_id '%.20s' not found (a province code)", j);
	return 1;
}

static const char *o311_param(struct api_ctx *r, const char *name)
{
	const char *v = http_query(r->http, name);

	return v && v[0] ? v : NULL;      /* an empty parameter is an absent one */
}

int api_open311_discovery(struct api_ctx *r, const struct route_args *a)
{
	enum open311_format fmt;
	const char *host = http_header(r->http, "Host");
	char url[300];
	int rc;

	if ((rc = o311_format(r, a, "fmt", NULL, &fmt)) < 0)
		return o311_fail(r, fmt, rc);
	snprintf(url, sizeof(url), "%s://%.200s/open311/v2", r->http->https ? "https" : "http",
	         host ? host : "localhost");
	return o311_reply(r, fmt, 200, "discovery", json_pack(
		"{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}",
		"changeset", O311_CHANGESET,
		"contact", "Ban chỉ đạo phòng, chống dịch COVID-19 của tỉnh, thành phố nơi phản ánh"
		" / the provincial COVID-19 steering committee of the place",
		"key_service", "Khóa API do quản trị hệ thống cấp (thichung apikey add --scope open311)"
		" / API keys are issued by the system's administrators",
		"endpoints", "specification", "http://wiki.open311.org/GeoReport_v2", "url", url,
		"changeset", O311_CHANGESET, "type", "production",
		"formats", "text/xml", "application/json"));
}

static json_t *o311_service_json(const char *code, const char *name_vi, const char *name_en,
                                 const char *level)
{
	return json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s}", "service_code", code,
	                 "service_name", name_vi, "description", name_en, "metadata", 1,
	                 "type", "realtime", "keywords", code,
	                 "group", strcmp(level, "commune") == 0 ? "xã, phường"
	                          : strcmp(level, "district") == 0 ? "quận, huyện"
	                          : "tỉnh, thành phố");
}

static const char *o311_level(const struct feedback_category *c)
{
	return c->level == FEEDBACK_LEVEL_COMMUNE ? "commune"
	       : c->level == FEEDBACK_LEVEL_DISTRICT ? "district" : "province";
}

/* The national categories, then the province's own in use (jurisdiction_id). */
int api_open311_services(struct api_ctx *r, const struct route_args *a)
{
	const char *j = o311_param(r, "jurisdiction_id");
	const struct feedback_category *c;
	enum open311_format fmt;
	struct fbcat_item *local = NULL;
	size_t n = 0;
	json_t *items;
	int rc;

	if ((rc = o311_format(r, a, "fmt", NULL, &fmt)) < 0 ||
	    (rc = o311_jurisdiction(r, j)) < 0 ||
	    (rc == 1 && (rc = store_fbcat_list(r->st, j, 0, r->arena, &local, &n, &r->err)) < 0))
		return o311_fail(r, fmt, rc);
	if ((items = json_array()) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; (c = feedback_category_at(r->app->feedback, i)) != NULL; i++)
		json_array_append_new(items, o311_service_json(c->code, c->name_vi, c->name_en,
		                                               o311_level(c)));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, o311_service_json(local[i].code, local[i].name_vi,
		                                               local[i].name_en, local[i].level));
	return o311_reply(r, fmt, 200, "services", items);
}

int o311_service_offered(struct api_ctx *r, const char *unit, const char *code)
{
	int rc;

	if (feedback_category(r->app->feedback, code) != NULL)
		return 1;
	if (unit == NULL)
		return 0;
	if ((rc = store_fbcat_offered(r->st, unit, code, &r->err)) < 0)
		return rc;
	return rc;
}

int api_open311_service(struct api_ctx *r, const struct route_args *a)
{
	enum open311_format fmt;
	const char *code = NULL;
	int rc;

	if ((rc = o311_format(r, a, "service", &code, &fmt)) < 0 ||
	    (rc = o311_jurisdiction(r, o311_param(r, "jurisdiction_id"))) < 0 ||
	    (rc = o311_service_offered(r, rc == 1 ? o311_param(r, "jurisdiction_id") : NULL,
	                               code)) < 0)
		return o311_fail(r, fmt, rc);
	if (rc == 0) {
		error_set_at(&r->err, THC_ENOTFOUND, "service_code", "không có service_code %.40s",
		             "service_code %.40s not found", code);
		return o311_fail(r, fmt, THC_ENOTFOUND);
	}
	return o311_reply(r, fmt, 200, "service_definition", json_pack(
		"{s:s,s:[{s:b,s:s,s:s,s:b,s:s,s:i,s:s}]}", "service_code", code, "attributes",
		"variable", 1, "code", O311_ATTR_UNIT, "datatype", "string", "required", 0,
		"datatype_description", "mã đơn vị hành chính (xã, phường, quận, huyện) theo danh mục"
		" của Tổng cục Thống kê / an administrative unit code (GSO list)",
		"order", 1, "description",
		"Nơi cần xử lý (nếu không cho: đơn vị của khóa API hoặc jurisdiction_id) / the place"
		" (when absent: the API key's unit, or jurisdiction_id)"));
}

/* "YYYY-MM-DDTHH:MM:SS+07:00" the end of a VN day. */
static json_t *o311_day_end(const char *day)
{
	struct vndate d;
	char s[40];

	if (day == NULL || vndate_parse(day, &d) < 0)
		return json_null();
	snprintf(s, sizeof(s), "%sT23:59:59+07:00", day);
	return json_string(s);
}

json_t *o311_request_json(struct api_ctx *r, const struct open311_request *o)
{
	const struct feedback_category *c = feedback_category(r->app->feedback, o->category);
	const char *st = open311_status(o->status);
	int fs = feedback_status_from_name(o->status);
	char id[24], req[OPEN311_DATETIME_MAX], upd[OPEN311_DATETIME_MAX];
	json_t *v;

	snprintf(id, sizeof(id), "%lld", (long long)o->id);
	open311_datetime(o->created_at_ms, req);
	open311_datetime(o->updated_at_ms, upd);
	v = json_pack("{s:s,s:s,s:s?,s:s,s:s,s:n,s:s?,s:n,s:s,s:s,s:o,s:n,s:s,s:n}",
	              "service_request_id", id, "status", st ? st : "open",
	              "status_notes", fs >= 0 ? feedback_status_title((enum feedback_status)fs, "vi")
	                                      : NULL,
	              "service_name", c ? c->name_vi : o->category_name ? o->category_name : o->category,
	              "service_code", o->category,
	              "description", "agency_responsible", o->holder_name,
	              "service_notice", "requested_datetime", req, "updated_datetime", upd,
	              "expected_datetime", st && strcmp(st, "open") == 0
	                                   ? o311_day_end(o->holder_deadline) : json_null(),
	              "address", "address_id", o->location_code, "zipcode");
	if (v == NULL)
		return NULL;
	/* Public: no free text, address or point (store/open311.c says why). */
	json_object_set_new(v, "lat", json_null());
	json_object_set_new(v, "long", json_null());
	json_object_set_new(v, "media_url", json_null());
	return v;
}

/* A W3C datetime parameter; '+' read as a space (an unescaped "+07:00")
 * is put back.  1 when given, 0 when absent. */
static int o311_datetime_param(struct api_ctx *r, const char *name, int64_t *ms)
{
	const char *v = o311_param(r, name);
	char buf[64];
	char *sp;
	int64_t s;

	if (v == NULL)
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	if ((sp = strchr(buf, ' ')) != NULL)
		*sp = '+';
	if (strlen(v) < 11 || vntime_parse(buf, &s) < 0)
		return error_set_at(&r->err, THC_EINVAL, name,
		                    "%s: cần ngày giờ W3C, ví dụ 2021-10-13T08:15:30+07:00",
		                    "%s: a W3C datetime is needed, e.g. 2021-10-13T08:15:30+07:00", name);
	*ms = s * 1000;
	return 1;
}

/* ",a,b," from "a,b", each checked by ok(); NULL when v is. */
static int o311_list(struct api_ctx *r, const char *name, const char *v, int ids,
                     const char **out)
{
	struct strbuf sb = STRBUF_INIT(64 * 1024);
	const char *p = v;
	size_t count = 0;
	int rc = 0;

	*out = NULL;
	if (v == NULL)
		return 0;
	rc = strbuf_addch(&sb, ',');
	while (rc == 0 && *p) {
		size_t n = strcspn(p, ",");
		char item[64];
		int64_t id;

		snprintf(item, sizeof(item), "%.*s", (int)(n < 63 ? n : 63), p);
		if (n == 0 || n > 63 || ++count > OPEN311_IDS_MAX ||
		    (ids && parse_int64(item, 1, INT64_MAX, &id) < 0)) {
			strbuf_release(&sb);
			return error_set_at(&r->err, THC_EINVAL, name,
			                    "%s: danh sách có mục không hợp lệ '%.40s' (tối đa %d mục)",
			                    "%s: the list has a bad item '%.40s' (at most %d items)",
			                    name, item, OPEN311_IDS_MAX);
		}
		if (!ids && feedback_category(r->app->feedback, item) == NULL &&
		    store_fbcat_exists(r->st, item, &r->err) != 1) {
			strbuf_release(&sb);
			return error_set_at(&r->err, THC_ENOTFOUND, name, "không có service_code %.40s",
			                    "service_code %.40s not found", item);
		}
		if ((rc = strbuf_add(&sb, p, n)) == 0)
			rc = strbuf_addch(&sb, ',');
		p += n + (p[n] == ',');
	}
	*out = rc == 0 ? arena_strndup(r->arena, sb.buf, sb.len) : NULL;
	strbuf_release(&sb);
	return *out ? 0 : error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

static int o311_status_param(struct api_ctx *r, int *status)
{
	const char *v = o311_param(r, "status");
	int open = 0, closed = 0;

	*status = 0;
	for (const char *p = v; p && *p;) {
		size_t n = strcspn(p, ",");

		if (n == 4 && strncmp(p, "open", 4) == 0)
			open = 1;
		else if (n == 6 && strncmp(p, "closed", 6) == 0)
			closed = 1;
		else
			return error_set_at(&r->err, THC_EINVAL, "status",
			                    "status: chỉ nhận open, closed", "status: open or closed only");
		p += n + (p[n] == ',');
	}
	*status = open == closed ? 0 : open ? 1 : 2;
	return 0;
}

/* The filters of GET requests (the specification's section 2). */
static int o311_query(struct api_ctx *r, struct open311_query *q)
{
	int64_t start = 0, end = 0;
	int rc, has_start, has_end, j;

	*q = (struct open311_query){ .limit = OPEN311_LIMIT };
	if ((rc = o311_list(r, "service_request_id", o311_param(r, "service_request_id"), 1,
	                    &q->ids)) < 0 ||
	    (rc = o311_list(r, "service_code", o311_param(r, "service_code"), 0,
	                    &q->categories)) < 0 ||
	    (rc = o311_status_param(r, &q->status)) < 0 ||
	    (rc = has_start = o311_datetime_param(r, "start_date", &start)) < 0 ||
	    (rc = has_end = o311_datetime_param(r, "end_date", &end)) < 0 ||
	    (rc = j = o311_jurisdiction(r, o311_param(r, "jurisdiction_id"))) < 0)
		return rc;
	if (j)
		q->province = o311_param(r, "jurisdiction_id");
	if (!has_end)
		end = has_start ? start + OPEN311_SPAN_DAYS * O311_DAY_MS : r->http->start_ms;
	if (!has_start)
		start = end - OPEN311_SPAN_DAYS * O311_DAY_MS;
	if (end < start || end - start > OPEN311_SPAN_DAYS * O311_DAY_MS)
		return error_set_at(&r->err, THC_EINVAL, "end_date",
		                    "start_date..end_date: tối đa %d ngày, không ngược chiều",
		                    "start_date..end_date: at most %d days, in order",
		                    OPEN311_SPAN_DAYS);
	q->start_ms = start;
	q->end_ms = end;
	return 0;
}

static int o311_requests_reply(struct api_ctx *r, enum open311_format fmt,
                               const struct open311_query *q, int one)
{
	struct open311_request *o;
	json_t *items;
	size_t n;
	int rc;

	if ((rc = store_open311_requests(r->st, q, r->arena, &o, &n, &r->err)) < 0)
		return o311_fail(r, fmt, rc);
	if (one && n == 0) {
		/* q->ids is ",N,": the number alone */
		error_set(&r->err, THC_ENOTFOUND, "không có phản ánh số %.*s",
		          "service_request_id %.*s not found", (int)strcspn(q->ids + 1, ","),
		          q->ids + 1);
		return o311_fail(r, fmt, THC_ENOTFOUND);
	}
	if ((items = json_array()) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, o311_request_json(r, &o[i]));
	return o311_reply(r, fmt, 200, "service_requests", items);
}

int api_open311_requests(struct api_ctx *r, const struct route_args *a)
{
	struct open311_query q;
	enum open311_format fmt;
	int rc;

	if ((rc = o311_format(r, a, "fmt", NULL, &fmt)) < 0 || (rc = o311_query(r, &q)) < 0)
		return o311_fail(r, fmt, rc);
	return o311_requests_reply(r, fmt, &q, 0);
}

int api_open311_request(struct api_ctx *r, const struct route_args *a)
{
	struct open311_query q = { .limit = 1 };
	enum open311_format fmt;
	const char *id = NULL;
	char ids[32];
	int64_t v;
	int rc;

	if ((rc = o311_format(r, a, "id", &id, &fmt)) < 0 ||
	    (rc = o311_jurisdiction(r, o311_param(r, "jurisdiction_id"))) < 0)
		return o311_fail(r, fmt, rc);
	if (parse_int64(id, 1, INT64_MAX, &v) < 0) {
		error_set(&r->err, THC_ENOTFOUND, "không có phản ánh số %.20s",
		          "service_request_id %.20s not found", id);
		return o311_fail(r, fmt, THC_ENOTFOUND);
	}
	snprintf(ids, sizeof(ids), ",%lld,", (long long)v);
	if ((q.ids = arena_strdup(r->arena, ids)) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	return o311_requests_reply(r, fmt, &q, 1);
}

int api_open311_token(struct api_ctx *r, const struct route_args *a)
{
	enum open311_format fmt;
	const char *token = NULL;
	char hash[65], id[24];
	int64_t v;
	int rc;

	if ((rc = o311_format(r, a, "token", &token, &fmt)) < 0 ||
	    (rc = o311_jurisdiction(r, o311_param(r, "jurisdiction_id"))) < 0)
		return o311_fail(r, fmt, rc);
	if (api_feedback_code_hash(token, hash) < 0) {
		error_set(&r->err, THC_ENOTFOUND, "không có phản ánh với mã này",
		          "no request with this token");
		return o311_fail(r, fmt, THC_ENOTFOUND);
	}
	if ((rc = store_open311_token(r->st, hash, &v, &r->err)) < 0)
		return o311_fail(r, fmt, rc);
	snprintf(id, sizeof(id), "%lld", (long long)v);
	return o311_reply(r, fmt, 200, "service_requests",
	                  json_pack("[{s:s,s:s}]", "service_request_id", id, "token", token));
}
