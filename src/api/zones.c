/*
 * Zones (blockades) over HTTP: creation by officials, the active zones of a
 * subtree for officials, health workers and team members in scope, a public
 * count per unit, and ending a zone under the server's end rule.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/unit.h"
#include "domain/zone.h"
#include "base/banned.h"

static json_t *zone_json(struct api_ctx *r, const struct zone *z)
{
	return json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s}",
	                 "id", (json_int_t)z->id, "unit_code", z->unit_code,
	                 "unit_name", z->unit_name, "unit_level", z->unit_level,
	                 "area_name", z->area_name, "reason", z->reason,
	                 "started_on", z->started_on, "planned_end", z->planned_end,
	                 "ended_on", z->ended_on, "end_override_reason", z->end_override_reason,
	                 "created_at", http_time(r->http, z->created_at_ms), "created_by", z->created_by);
}

static const struct field zone_fields[] = {
	FIELD_TEXT("unit_code", struct zone, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("area_name", struct zone, area_name, 0, ZONE_AREA_NAME_MAX),
	FIELD_TEXT("reason", struct zone, reason, FIELD_REQUIRED | FIELD_MULTILINE, ZONE_REASON_MAX),
	FIELD_DAY("started_on", struct zone, started_on, FIELD_REQUIRED),
	FIELD_DAY("planned_end", struct zone, planned_end, 0),
};

struct zone_end_in {
	const char *ended_on, *override_reason;
};

static const struct field zone_end_fields[] = {
	FIELD_DAY("ended_on", struct zone_end_in, ended_on, FIELD_REQUIRED),
	FIELD_TEXT("override_reason", struct zone_end_in, override_reason, FIELD_MULTILINE,
	           ZONE_REASON_MAX),
};

int api_zones_create(struct api_ctx *r, const struct route_args *a)
{
	struct zone z = { 0 };
	json_t *doc = NULL;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(zone_fields), doc, NULL, api_today(r), &z, &r->err)) < 0)
		goto out;
	z.created_by = r->actor.username;
	if ((rc = store_zone_create(r->st, &r->actor, &z, &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/zones/%lld", (long long)z.id);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, zone_json(r, &z));
out:
	json_decref(doc);
	return rc;
}

static const struct api_xlsx_col zone_cols[] = {
	{ "id", "Mã vùng", API_XLSX_INT },
	{ "unit_code", "Mã đơn vị", API_XLSX_TEXT },
	{ "unit_name", "Tên đơn vị", API_XLSX_TEXT },
	{ "area_name", "Khu vực", API_XLSX_TEXT },
	{ "reason", "Lý do", API_XLSX_TEXT },
	{ "started_on", "Ngày bắt đầu", API_XLSX_DATE },
	{ "planned_end", "Ngày dự kiến kết thúc", API_XLSX_DATE },
	{ "ended_on", "Ngày kết thúc", API_XLSX_DATE },
	{ "end_override_reason", "Lý do kết thúc sớm", API_XLSX_TEXT },
	{ "created_by", "Người tạo", API_XLSX_TEXT },
	{ "created_at", "Ngày tạo", API_XLSX_TIME },
};

static const char *const zone_sorts[ZONE_SORT_COUNT] = {
	[ZONE_SORT_UNIT] = "unit", [ZONE_SORT_STARTED] = "started",
	[ZONE_SORT_PLANNED_END] = "planned_end",
};
static const char *const zone_statuses[ZONE_STATUS_COUNT] = {
	[ZONE_STATUS_ACTIVE] = "active", [ZONE_STATUS_ENDED] = "ended", [ZONE_STATUS_ALL] = "all",
};

/* ?status=&sort=&order=&limit=&cursor= ("KEY.ID" as `next` gives it: the
 * unit's path, the day started or the planned end). */
static int zones_query(struct api_ctx *r, struct zone_query *q)
{
	const char *status = http_query(r->http, "status");
	int64_t v;
	int sort, rc;

	for (int k = 0; status && k < ZONE_STATUS_COUNT; k++)
		if (strcmp(status, zone_statuses[k]) == 0)
			q->status = (enum zone_status)k;
	if (status && strcmp(status, zone_statuses[q->status]) != 0)
		return error_set_at(&r->err, THC_EINVAL, "status",
		                    "tham số 'status': '%.20s' không phải active, ended hoặc all",
		                    "parameter 'status': '%.20s' is not active, ended or all", status);
	if ((rc = api_query_int(r, "limit", 1, ZONE_LIST_MAX, &v)) < 0)
		return rc;
	if (rc == 0)
		q->limit = v;
	if ((rc = api_list_sort(r, zone_sorts, ZONE_SORT_COUNT, 0, &sort, &q->desc, &q->after_key,
	                        &q->after)) < 0)
		return rc;
	q->sort = (enum zone_sort)sort;
	if (q->after_key == NULL)
		return 0;
	if (q->sort == ZONE_SORT_UNIT ? q->after_key[0] != '/'
	    : !api_list_key_day(q->after_key) &&
	      (q->sort != ZONE_SORT_PLANNED_END || strcmp(q->after_key, ZONE_NO_END) != 0))
		return api_list_cursor_bad(r);
	return 0;
}

static json_t *zones_next_json(struct api_ctx *r, const struct zone_query *q,
                               const struct zone *z, int64_t next)
{
	if (next == 0)
		return json_null();
	return api_list_next(r, q->sort == ZONE_SORT_UNIT ? z->unit_path
	                        : q->sort == ZONE_SORT_STARTED ? z->started_on
	                        : z->planned_end ? z->planned_end : ZONE_NO_END, next);
}

int api_zones_list(struct api_ctx *r, const struct route_args *a)
{
	struct zone_query q = { .unit = http_query(r->http, "unit"), .limit = 100 };
	enum api_table_format fmt;
	struct zone *z;
	char day[11];
	int64_t next;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = api_table_format(r, &fmt)) < 0)
		return rc;
	if (q.unit == NULL || q.unit[0] == '\0')
		return error_set_at(&r->err, THC_EINVAL, "unit", "thiếu tham số 'unit' (mã đơn vị)",
		                    "parameter 'unit' (a unit code) is missing");
	if ((rc = api_query_iso_day(r, "active_on", day)) < 0 || (rc = zones_query(r, &q)) < 0)
		return rc;
	q.day = day;
	if (fmt != API_TABLE_JSON && http_query(r->http, "limit") == NULL)
		q.limit = ZONE_LIST_MAX;        /* a file: all there may be, up to the cap */
	if ((rc = store_zones_page(r->st, &r->actor, &q, r->arena, &z, &n, &next, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, zone_json(r, &z[i]));
	return api_reply_list(r, fmt, "vung-phong-toa", zone_cols, ARRAY_SIZE(zone_cols),
	                      json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "unit", q.unit,
	                                "active_on", day, "status", zone_statuses[q.status],
	                                "sort", zone_sorts[q.sort], "order", q.desc ? "desc" : "asc",
	                                "items", items,
	                                "next", zones_next_json(r, &q, n ? &z[n - 1] : NULL, next)),
	                      next != 0);
}

int api_unit_zones_count(struct api_ctx *r, const struct route_args *a)
{
	struct zone_count *c;
	int64_t total;
	char day[11];
	size_t n;
	json_t *children;
	int rc;

	if ((rc = api_query_iso_day(r, "active_on", day)) < 0)
		return rc;
	if ((rc = store_zones_count(r->st, route_arg(a, "code"), day, r->arena, &total, &c, &n,
	                            &r->err)) < 0)
		return rc;
	children = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(children, json_pack("{s:s,s:s,s:s,s:I}", "code", c[i].code,
		                      "name", c[i].name, "level", c[i].level,
		                      "active", (json_int_t)c[i].active));
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:I,s:o}", "unit_code",
	                                         route_arg(a, "code"), "active_on", day,
	                                         "active", (json_int_t)total, "children", children));
}

int api_zone_end(struct api_ctx *r, const struct route_args *a)
{
	struct zone_end_in in;
	json_t *doc = NULL;
	int64_t id;
	int over = 0, rc;

	if (parse_int64(route_arg(a, "id"), 1, INT64_MAX, &id) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có vùng phong tỏa '%.20s'",
		                 "no zone '%.20s'", route_arg(a, "id"));
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(zone_end_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	if ((rc = store_zone_end(r->st, &r->actor, id, in.ended_on, in.override_reason,
	                         r->app->zones, &over, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)id,
	                                       "ended_on", in.ended_on, "override", over));
out:
	json_decref(doc);
	return rc;
}
