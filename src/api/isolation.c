/*
 * Home and facility isolation follow-up over HTTP: opening an isolation,
 * daily check-ins, the follow-up lists (active, overdue, low SpO2,
 * released) and release.  Scope and who sees names: the store.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/unit.h"
#include "base/banned.h"

#define ISOLATIONS_LIMIT_DEFAULT 100

static const struct field isolation_fields[] = {
	FIELD_INT("person_id", struct isolation, person_id, FIELD_REQUIRED, 1, INT64_MAX, 0),
	FIELD_ENUM("kind", struct isolation, kind, FIELD_REQUIRED, isolation_kinds, NULL),
	FIELD_TEXT("unit_code", struct isolation, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_DAY("started_on", struct isolation, started_on, FIELD_REQUIRED),
	FIELD_DAY("planned_end", struct isolation, planned_end, 0),
	FIELD_INT("case_id", struct isolation, case_id, 0, 1, INT64_MAX, 0),
	FIELD_INT("contact_id", struct isolation, contact_id, 0, 1, INT64_MAX, 0),
};

static const struct field checkin_fields[] = {
	FIELD_INT("spo2", struct checkin, spo2, 0, ISOLATION_SPO2_MIN, ISOLATION_SPO2_MAX, -1),
	FIELD_REAL("temperature", struct checkin, temperature, 0, ISOLATION_TEMP_MIN,
	           ISOLATION_TEMP_MAX, -1),
	FIELD_TEXT("symptoms", struct checkin, symptoms, FIELD_MULTILINE, ISOLATION_TEXT_MAX),
	FIELD_TEXT("note", struct checkin, note, FIELD_MULTILINE, ISOLATION_TEXT_MAX),
	FIELD_TEXT("measured_at", struct checkin, measured_at, 0, 40),
	FIELD_BOOL("after_release", struct checkin, after_release, 0, 0),
};

/* How far a device's own clock may be ahead, and how old a measure kept on
 * a phone without signal may be when it is finally sent. */
#define CHECKIN_AHEAD_MS  (5 * 60 * 1000LL)
#define CHECKIN_OLDEST_MS (14 * 86400 * 1000LL)

struct release_in {
	const char *released_on;
};

static const struct field release_fields[] = {
	FIELD_DAY("released_on", struct release_in, released_on, FIELD_REQUIRED),
};

static int isolation_id(struct api_ctx *r, const struct route_args *a, int64_t *id)
{
	if (parse_int64(route_arg(a, "id"), 1, INT64_MAX, id) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có đợt cách ly '%.20s'",
		                 "no isolation '%.20s'", route_arg(a, "id"));
	return 0;
}

int api_isolations_create(struct api_ctx *r, const struct route_args *a)
{
	struct isolation in = { 0 };
	json_t *doc = NULL;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(isolation_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	if ((rc = store_isolation_create(r->st, &r->actor, &in, &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/isolations/%lld", (long long)in.id);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s?}", "id", (json_int_t)in.id,
	                                       "person_id", (json_int_t)in.person_id,
	                                       "kind", in.kind, "unit_code", in.unit_code,
	                                       "started_on", in.started_on,
	                                       "planned_end", in.planned_end));
out:
	json_decref(doc);
	return rc;
}

/* measured_at: an instant with its time (RFC 3339), not ahead of the
 * server's clock by more than a few minutes nor older than two weeks. */
static int checkin_time(struct api_ctx *r, struct checkin *c)
{
	int64_t s, now = r->actor.now_ms;
	char oldest[17];

	if (c->measured_at == NULL)
		return 0;
	if (strlen(c->measured_at) <= 10 || vntime_parse(c->measured_at, &s) < 0)
		return error_set_at(&r->err, THC_EINVAL, "measured_at",
		                    "trường 'measured_at': '%.40s' không phải thời điểm dạng"
		                    " 2021-10-15T08:30:00+07:00",
		                    "field 'measured_at': '%.40s' is not a time such as"
		                    " 2021-10-15T08:30:00+07:00", c->measured_at);
	c->at_ms = s * 1000;
	if (c->at_ms > now + CHECKIN_AHEAD_MS)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "measured_at",
		                    "trường 'measured_at': thời điểm đo ở tương lai (xem lại đồng hồ"
		                    " của máy)", "field 'measured_at': the time measured is in the future"
		                    " (check the device's clock)");
	vntime_format_vn((now - CHECKIN_OLDEST_MS) / 1000, oldest, sizeof(oldest));
	if (c->at_ms < now - CHECKIN_OLDEST_MS)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "measured_at",
		                    "trường 'measured_at': đo quá 14 ngày trước (trước %s)",
		                    "field 'measured_at': measured more than 14 days ago (before %s)",
		                    oldest);
	return 0;
}

int api_isolation_checkin(struct api_ctx *r, const struct route_args *a)
{
	struct checkin c = { 0 };
	json_t *doc = NULL;
	int64_t id = 0;
	int rc;

	if ((rc = isolation_id(r, a, &c.isolation_id)) < 0)
		return rc;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(checkin_fields), doc, NULL, api_today(r), &c,
	                          &r->err)) < 0)
		goto out;
	if ((rc = checkin_time(r, &c)) < 0)
		goto out;
	if ((rc = store_isolation_checkin(r->st, &r->actor, &c, &id, &r->err)) < 0) {
		if (rc == THC_ECONFLICT && c.released_on[0])   /* the isolation as it is now */
			r->http->error_more = json_pack("{s:s}", "released_on", c.released_on);
		goto out;
	}
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:I,s:s,s:b}", "id", (json_int_t)id,
	                                       "isolation_id", (json_int_t)c.isolation_id,
	                                       "at", http_time(r->http, c.at_ms),
	                                       "after_release", c.released_on[0] != 0));
out:
	json_decref(doc);
	return rc;
}

int api_isolation_release(struct api_ctx *r, const struct route_args *a)
{
	struct release_in in;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = isolation_id(r, a, &id)) < 0)
		return rc;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(release_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	if ((rc = store_isolation_release(r->st, &r->actor, id, in.released_on, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id,
	                                       "released_on", in.released_on));
out:
	json_decref(doc);
	return rc;
}

static json_t *isolation_json(struct api_ctx *r, const struct isolation *x)
{
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s,s:I}",
	                      "id", (json_int_t)x->id, "person_id", (json_int_t)x->person_id,
	                      "kind", x->kind, "unit_code", x->unit_code,
	                      "started_on", x->started_on, "planned_end", x->planned_end,
	                      "released_on", x->released_on,
	                      "created_at", http_time(r->http, x->created_at_ms),
	                      "created_by", x->created_by, "checkins", (json_int_t)x->checkins);

	json_object_set_new(o, "low_spo2", json_boolean(x->low_spo2));
	json_object_set_new(o, "overdue", json_boolean(x->overdue));
	json_object_set_new(o, "case_id", x->case_id ? json_integer(x->case_id) : json_null());
	json_object_set_new(o, "contact_id", x->contact_id ? json_integer(x->contact_id)
	                                                   : json_null());
	if (x->last_checkin_ms)
		json_object_set_new(o, "last_checkin", json_pack("{s:s,s:o,s:o,s:s?}",
		        "at", http_time(r->http, x->last_checkin_ms),
		        "spo2", x->last_spo2 >= 0 ? json_integer(x->last_spo2) : json_null(),
		        "temperature", x->last_temperature >= 0 ? json_real(x->last_temperature)
		                                                : json_null(),
		        "symptoms", x->last_symptoms));
	else
		json_object_set_new(o, "last_checkin", json_null());
	json_object_set_new(o, "place", json_pack("{s:s,s:s?,s:s?,s:s?}", "code", x->unit_code,
	                                          "name", x->place_name, "level", x->place_level,
	                                          "address", x->place_address));
	/* Only officials and health workers in scope get names (the store decides). */
	if (x->full_name)
		json_object_set_new(o, "person", json_pack("{s:s,s:s?}", "full_name", x->full_name,
		                                           "id_number", x->id_number));
	return o;
}

/* ?unit= (required), ?hours= and ?spo2_below= of the follow-up lists. */
static int isolation_query_read(struct api_ctx *r, struct isolation_query *q)
{
	int64_t v;
	int rc;

	q->unit = http_query(r->http, "unit");
	if (q->unit == NULL || q->unit[0] == '\0')
		return error_set(&r->err, THC_EINVAL, "thiếu tham số 'unit' (mã đơn vị)",
		                 "parameter 'unit' (a unit code) is missing");
	if ((rc = api_query_int(r, "hours", 1, 720, &v)) < 0)
		return rc;
	if (rc == 0)
		q->hours = (int)v;
	if ((rc = api_query_int(r, "spo2_below", ISOLATION_SPO2_MIN + 1, ISOLATION_SPO2_MAX, &v)) < 0)
		return rc;
	if (rc == 0)
		q->spo2_below = (int)v;
	return 0;
}

/* The list as a file (?format=csv|xlsx): what the JSON holds, names only
 * where the JSON has them (the store decides). */
static const struct api_xlsx_col isolation_cols[] = {
	{ "id", "Mã theo dõi", API_XLSX_INT },
	{ "kind", "Hình thức cách ly", API_XLSX_TEXT },
	{ "person.full_name", "Họ và tên", API_XLSX_TEXT },
	{ "person.id_number", "Số CCCD/CMND", API_XLSX_TEXT },
	{ "unit_code", "Mã nơi cách ly", API_XLSX_TEXT },
	{ "place.name", "Nơi cách ly", API_XLSX_TEXT },
	{ "place.address", "Địa chỉ", API_XLSX_TEXT },
	{ "started_on", "Ngày bắt đầu", API_XLSX_DATE },
	{ "planned_end", "Ngày dự kiến kết thúc", API_XLSX_DATE },
	{ "released_on", "Ngày kết thúc", API_XLSX_DATE },
	{ "checkins", "Số lần theo dõi", API_XLSX_INT },
	{ "last_checkin.at", "Lần theo dõi gần nhất", API_XLSX_TIME },
	{ "last_checkin.spo2", "SpO2 (%)", API_XLSX_INT },
	{ "last_checkin.temperature", "Nhiệt độ (°C)", API_XLSX_DEC1 },
	{ "last_checkin.symptoms", "Triệu chứng", API_XLSX_TEXT },
	{ "case_id", "Mã ca bệnh", API_XLSX_INT },
	{ "contact_id", "Mã tiếp xúc", API_XLSX_INT },
	{ "created_at", "Ngày tạo", API_XLSX_TIME },
};

static const char *const iso_sorts[ISOLATION_SORT_COUNT] = {
	[ISOLATION_SORT_STARTED] = "started", [ISOLATION_SORT_URGENT] = "urgent",
};

/* ?state=&sort=&order=&limit=&cursor= of the lists; the cursor is "KEY.ID"
 * as `next` gives it (KEY: the day started, after 0, 1 or 2 by urgency). */
static int isolation_list_query(struct api_ctx *r, struct isolation_query *q, const char *state,
                                const char *const *states, size_t nstates)
{
	const char *day;
	int64_t v;
	int sort, rc;

	if (state) {
		size_t i;

		for (i = 0; i < nstates; i++)
			if (strcmp(state, states[i]) == 0)
				break;
		if (i == nstates)
			return error_set_at(&r->err, THC_EINVAL, "state",
			                    "tham số 'state': '%.20s' phải là active, overdue, low_spo2 hoặc released",
			                    "parameter 'state': '%.20s' must be active, overdue, low_spo2 or released",
			                    state);
		q->state = (enum isolation_state)i;
	}
	if ((rc = api_query_int(r, "limit", 1, ISOLATION_LIST_MAX, &v)) < 0)
		return rc;
	if (rc == 0)
		q->limit = (int)v;
	if ((rc = api_list_sort(r, iso_sorts, ISOLATION_SORT_COUNT, 0, &sort, &q->desc, &q->after_key,
	                        &q->after)) < 0)
		return rc;
	q->sort = (enum isolation_sort)sort;
	if ((day = q->after_key) == NULL)
		return 0;
	if (q->sort == ISOLATION_SORT_URGENT) {
		if (day[0] < '0' || day[0] > '2')
			return api_list_cursor_bad(r);
		day++;
	}
	return api_list_key_day(day) ? 0 : api_list_cursor_bad(r);
}

/* The `next` of a page ending with x. */
static json_t *isolation_next_json(struct api_ctx *r, const struct isolation_query *q,
                                   const struct isolation *x, int64_t next)
{
	if (next == 0)
		return json_null();
	if (q->sort == ISOLATION_SORT_STARTED)
		return api_list_next(r, x->started_on, next);
	return api_list_next(r, arena_printf(r->arena, "%c%s", x->low_spo2 ? '0' : x->overdue ? '1' : '2',
	                                     x->started_on), next);
}

int api_isolations_list(struct api_ctx *r, const struct route_args *a)
{
	static const char *const states[] = {
		[ISOLATION_ACTIVE] = "active", [ISOLATION_OVERDUE] = "overdue",
		[ISOLATION_LOW_SPO2] = "low_spo2", [ISOLATION_RELEASED] = "released",
	};
	struct isolation_query q = { .state = ISOLATION_ACTIVE,
	                             .hours = ISOLATION_OVERDUE_HOURS_DEFAULT,
	                             .spo2_below = ISOLATION_SPO2_BELOW_DEFAULT,
	                             .limit = ISOLATIONS_LIMIT_DEFAULT };
	struct isolation_rollup c;
	enum api_table_format fmt;
	struct isolation *x;
	int64_t next;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = api_table_format(r, &fmt)) < 0 || (rc = isolation_query_read(r, &q)) < 0 ||
	    (rc = isolation_list_query(r, &q, http_query(r->http, "state"), states,
	                               ARRAY_SIZE(states))) < 0)
		return rc;
	if (fmt != API_TABLE_JSON && http_query(r->http, "limit") == NULL)
		q.limit = ISOLATION_LIST_MAX;   /* a file: all there may be, up to the store's cap */
	if ((rc = store_isolations_page(r->st, &r->actor, &q, r->arena, &x, &n, &next,
	                                &r->err)) < 0 ||
	    (rc = store_isolations_counts(r->st, &r->actor, &q, &c, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, isolation_json(r, &x[i]));
	return api_reply_list(r, fmt, "cach-ly", isolation_cols, ARRAY_SIZE(isolation_cols),
	                      json_pack("{s:s,s:s,s:i,s:i,s:s,s:s,s:o,s:o,s:{s:I,s:I,s:I}}",
	                                "unit", q.unit, "state", states[q.state], "hours", q.hours,
	                                "spo2_below", q.spo2_below, "sort", iso_sorts[q.sort],
	                                "order", q.desc ? "desc" : "asc", "items", items,
	                                "next", isolation_next_json(r, &q, n ? &x[n - 1] : NULL, next),
	                                "counts", "active", (json_int_t)c.active,
	                                "overdue", (json_int_t)c.overdue,
	                                "low_spo2", (json_int_t)c.low_spo2),
	                      next != 0);
}

int api_isolation_checkins(struct api_ctx *r, const struct route_args *a)
{
	struct checkin *c;
	int64_t id;
	size_t n;
	json_t *items;
	int rc;

	if ((rc = isolation_id(r, a, &id)) < 0)
		return rc;
	if ((rc = store_isolation_checkins(r->st, &r->actor, id, r->arena, &c, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o,s:o,s:s?,s:s?,s:s}",
		        "id", (json_int_t)c[i].id, "at", http_time(r->http, c[i].at_ms), "day", c[i].day,
		        "spo2", c[i].spo2 >= 0 ? json_integer(c[i].spo2) : json_null(),
		        "temperature", c[i].temperature >= 0 ? json_real(c[i].temperature) : json_null(),
		        "symptoms", c[i].symptoms, "note", c[i].note, "by", c[i].created_by));
	return http_reply_json(r->http, 200, json_pack("{s:I,s:o}", "isolation_id", (json_int_t)id,
	                                         "items", items));
}

/* Active, overdue and low-SpO2 isolations per unit below (officials). */
int api_isolations_rollup(struct api_ctx *r, const struct route_args *a)
{
	struct isolation_query q = { .hours = ISOLATION_OVERDUE_HOURS_DEFAULT,
	                             .spo2_below = ISOLATION_SPO2_BELOW_DEFAULT };
	struct isolation_rollup *x;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = isolation_query_read(r, &q)) < 0)
		return rc;
	if ((rc = store_isolations_rollup(r->st, &r->actor, &q, r->arena, &x, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:I,s:I,s:I}", "code", x[i].code,
		        "name", x[i].name, "active", (json_int_t)x[i].active,
		        "overdue", (json_int_t)x[i].overdue, "low_spo2", (json_int_t)x[i].low_spo2));
	return http_reply_json(r->http, 200, json_pack("{s:s,s:i,s:i,s:o}", "unit", q.unit,
	                                         "hours", q.hours, "spo2_below", q.spo2_below,
	                                         "items", items));
}
