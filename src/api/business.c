/*
 * Businesses over HTTP: the 2194 criteria and bands (public), registration
 * by an official or the business's own account, the officials' list with
 * the latest band and overdue reassessments (JSON or CSV), one business
 * with the tax code that inspections join on, plans, workers on site, the
 * self-assessment and the cases among workers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/business.h"
#include "domain/unit.h"
#include "base/banned.h"

static void biz_day_iso(int32_t day, char out[11])
{
	vndate_format_iso(vndate_from_days(day), out, 11);
}

static int32_t biz_day_of(const char *iso)
{
	struct vndate d;

	return vndate_parse(iso, &d) == 0 ? vndate_to_days(d) : 0;
}

static json_t *biz_band_json(const struct business_risk_rules *rules, const char *band)
{
	int b = business_band_from_name(band);
	const struct business_band_rule *br = b >= 0 ? &rules->bands[b] : NULL;

	if (br == NULL)
		return json_null();
	return json_pack("{s:s,s:{s:s,s:s},s:{s:s,s:s}}", "band", band, "name", "vi", br->name_vi,
	                 "en", br->name_en, "required_actions", "vi", br->action_vi,
	                 "en", br->action_en);
}

/* An assessment: its index (one decimal), band and required actions. */
static json_t *biz_assessment_json(struct api_ctx *r, const struct business_assessment *as)
{
	const struct business_risk_rules *rules = r->app->business;
	json_t *o, *scores = json_array(), *band = biz_band_json(rules, as->band);
	char due[11];

	for (size_t i = 0; i < BUSINESS_CRITERIA; i++)
		json_array_append_new(scores, json_integer(as->scores[i]));
	biz_day_iso(business_reassess_due(rules, biz_day_of(as->assessed_on)), due);
	o = json_pack("{s:I,s:s,s:o,s:f,s:s,s:s,s:s}", "id", (json_int_t)as->id,
	              "assessed_on", as->assessed_on, "scores", scores,
	              "index", as->index_tenths / 10.0, "band", as->band, "due_on", due,
	              "created_at", http_time(r->http, as->created_at_ms));
	if (o && json_is_object(band))
		json_object_set(o, "required_actions", json_object_get(band, "required_actions"));
	json_decref(band);
	return o;
}

/* The reassessment state: never assessed, or its due day before today. */
static int biz_overdue(struct api_ctx *r, const struct business *b)
{
	return b->latest.id == 0 ||
	       business_reassess_due(r->app->business, biz_day_of(b->latest.assessed_on)) <
	       api_today(r);
}

static json_t *biz_json(struct api_ctx *r, const struct business *b)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:s,s:I,s:b,s:I,s:b,s:s}",
	                      "id", (json_int_t)b->id, "tax_code", b->tax_code, "name", b->name,
	                      "sector", b->sector, "unit_code", b->unit_code,
	                      "unit_name", b->unit_name, "address", b->address,
	                      "workers", (json_int_t)b->workers, "registered_by_business", b->owned,
	                      "cases", (json_int_t)b->cases, "reassessment_overdue",
	                      biz_overdue(r, b), "created_at", http_time(r->http, b->created_at_ms));

	if (o == NULL)
		return NULL;
	if (b->owner_view && b->cases > 0 && b->cases < BUSINESS_CASES_SHOWN_MIN) {
		json_object_set_new(o, "cases", json_null());
		json_object_set_new(o, "cases_range", json_pack("[i,i]", 1, BUSINESS_CASES_SHOWN_MIN - 1));
	}
	json_object_set_new(o, "household", json_boolean(b->household));
	if (b->stop_order)
		json_object_set_new(o, "stop", json_pack("{s:s,s:s?,s:s?}", "order", b->stop_order,
		                                         "from", b->stopped_from,
		                                         "until", b->stopped_until));
	json_object_set_new(o, "latest_assessment",
	                    b->latest.id ? biz_assessment_json(r, &b->latest) : json_null());
	return o;
}

int api_business_criteria(struct api_ctx *r, const struct route_args *a)
{
	const struct business_risk_rules *rules = r->app->business;
	json_t *crit = json_array(), *bands = json_array();

	(void)a;
	for (size_t i = 0; i < BUSINESS_CRITERIA; i++) {
		const struct business_criterion *c = &rules->criteria[i];

		json_array_append_new(crit, json_pack("{s:s,s:{s:s,s:s},s:i,s:b}", "code", c->code,
		                      "name", "vi", c->name_vi, "en", c->name_en,
		                      "max", BUSINESS_SCORE_MAX, "assumption", c->assumption));
	}
	for (int b = 0; b < BUSINESS_BAND_COUNT; b++) {
		const struct business_band_rule *br = &rules->bands[b];

		json_array_append_new(bands, json_pack("{s:s,s:i,s:{s:s,s:s},s:{s:s,s:s},s:b}",
		                      "code", business_band_name((enum business_band)b), "max", br->max,
		                      "name", "vi", br->name_vi, "en", br->name_en,
		                      "required_actions", "vi", br->action_vi, "en", br->action_en,
		                      "assumption", br->assumption));
	}
	return http_reply_json(r->http, 200, json_pack("{s:o,s:o,s:i,s:b}", "criteria", crit,
	                       "bands", bands, "reassess_days", rules->reassess_days,
	                       "reassess_assumption", rules->reassess_assumption));
}

static const struct field biz_fields[] = {
	FIELD_CHECKED("tax_code", struct business, tax_code, FIELD_REQUIRED, BUSINESS_TAX_CODE_MAX,
	              business_tax_code_check),
	FIELD_TEXT("name", struct business, name, FIELD_REQUIRED, BUSINESS_NAME_MAX),
	FIELD_TEXT("sector", struct business, sector, FIELD_REQUIRED, BUSINESS_SECTOR_MAX),
	FIELD_TEXT("unit_code", struct business, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("address", struct business, address, FIELD_REQUIRED, BUSINESS_ADDRESS_MAX),
	FIELD_INT("workers", struct business, workers, FIELD_REQUIRED, 0, BUSINESS_WORKERS_MAX, 0),
	FIELD_BOOL("household", struct business, household, 0, 0),
	FIELD_TEXT("stop_order", struct business, stop_order, 0, 100),
	FIELD_DAY("stopped_from", struct business, stopped_from, FIELD_PAST),
	FIELD_DAY("stopped_until", struct business, stopped_until, 0),
};

/* A stop is a household business's (policy 11), from a day, by an order. */
static int biz_stop_check(struct api_ctx *r, const struct business *b)
{
	if ((b->stopped_from || b->stopped_until) && b->stop_order == NULL)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "stop_order",
		                    "trường 'stop_order': cần số quyết định tạm dừng hoạt động",
		                    "field 'stop_order': give the number of the order that stopped it");
	if (b->stop_order && !b->household)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "household",
		                    "trường 'household': lệnh tạm dừng chỉ ghi cho hộ kinh doanh",
		                    "field 'household': a stop is recorded for a household business only");
	if (b->stop_order && b->stopped_from == NULL)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "stopped_from",
		                    "trường 'stopped_from': cần ngày bắt đầu tạm dừng",
		                    "field 'stopped_from': give the day it stopped");
	if (b->stopped_until && strcmp(b->stopped_until, b->stopped_from) < 0)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "stopped_until",
		                    "trường 'stopped_until': trước ngày bắt đầu tạm dừng",
		                    "field 'stopped_until': before the day it stopped");
	return 0;
}

static int biz_reply_one(struct api_ctx *r, int status, int64_t id)
{
	struct business b;
	char loc[64];
	int rc;

	if ((rc = store_business_get(r->st, &r->actor, id, r->arena, &b, &r->err)) < 0)
		return rc;
	if (status == 201) {
		snprintf(loc, sizeof(loc), "/api/v1/businesses/%lld", (long long)id);
		http_add_header(r->http, "Location", loc);
	}
	return http_reply_json(r->http, status, biz_json(r, &b));
}

int api_businesses_create(struct api_ctx *r, const struct route_args *a)
{
	struct business b = { 0 };
	json_t *doc = NULL;
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(biz_fields), doc, NULL, api_today(r), &b, &r->err)) < 0 ||
	    (rc = biz_stop_check(r, &b)) < 0 ||
	    (rc = store_business_create(r->st, &r->actor, &b, &r->err)) < 0)
		goto out;
	rc = biz_reply_one(r, 201, b.id);
out:
	json_decref(doc);
	return rc;
}

static const char *const biz_sorts[BUSINESS_SORT_COUNT] = {
	[BUSINESS_SORT_ID] = "id", [BUSINESS_SORT_NAME] = "name",
	[BUSINESS_SORT_TAX_CODE] = "tax_code", [BUSINESS_SORT_COMMUNE] = "commune",
	[BUSINESS_SORT_WORKERS] = "workers", [BUSINESS_SORT_RISK] = "risk",
	[BUSINESS_SORT_DUE] = "due",
};

/* The key of row b in q's order, as the cursor carries it: text, or a
 * number (-1: a risk never assessed). */
static void biz_sort_key(enum business_sort s, const struct business *b, const char **text,
                         int64_t *num)
{
	int has = b->latest.id != 0;

	*text = s == BUSINESS_SORT_NAME ? b->name : s == BUSINESS_SORT_TAX_CODE ? b->tax_code
	        : s == BUSINESS_SORT_COMMUNE ? b->unit_name
	        : s == BUSINESS_SORT_DUE ? (has ? b->latest.assessed_on : "") : NULL;
	*num = s == BUSINESS_SORT_WORKERS ? b->workers
	       : s == BUSINESS_SORT_RISK ? (has ? b->latest.index_tenths : -1) : b->id;
}

/* ?sort=&order=&cursor=: by id the cursor is the last id (a number), in
 * another order "KEY.ID" as `next` gives it. */
static int biz_query_sort(struct api_ctx *r, struct business_query *q)
{
	int sort, rc;

	if ((rc = api_list_sort(r, biz_sorts, BUSINESS_SORT_COUNT, 1, &sort, &q->desc,
	                        &q->after_text, &q->after)) < 0)
		return rc;
	q->sort = (enum business_sort)sort;
	if (q->after_text == NULL)
		return 0;
	/* Never assessed: "" by due day, -1 by risk. */
	if (BUSINESS_SORT_TEXT(q->sort)
	    ? q->sort == BUSINESS_SORT_DUE && q->after_text[0] != '\0' && !api_list_key_day(q->after_text)
	    : parse_int64(q->after_text, -1, INT64_MAX, &q->after_num) < 0)
		return api_list_cursor_bad(r);
	return 0;
}

/* The `next` of a page ending with b (NULL: none). */
static json_t *biz_next_json(struct api_ctx *r, const struct business_query *q,
                             const struct business *b, int64_t next)
{
	const char *text;
	int64_t num;

	if (next == 0 || q->sort == BUSINESS_SORT_ID)
		return next ? json_integer(next) : json_null();
	biz_sort_key(q->sort, b, &text, &num);
	return text ? api_list_next(r, text, next) : api_list_next_num(r, num, next);
}

/* ?unit=&band=&overdue=1&sort=&order=&limit=&cursor= */
static int biz_query(struct api_ctx *r, int csv, struct business_query *q, char due[11])
{
	int64_t v;
	int rc;

	*q = (struct business_query){ .unit = http_query(r->http, "unit"),
	                              .band = http_query(r->http, "band"), .limit = 100 };
	if (q->band && business_band_from_name(q->band) < 0)
		return error_set_at(&r->err, THC_EINVAL, "band",
		                    "tham số 'band': '%.20s' không phải mức nguy cơ (very_low, low, medium, high, very_high)",
		                    "parameter 'band': '%.20s' is not a risk band (very_low, low, medium, high, very_high)",
		                    q->band);
	if ((rc = api_query_int(r, "limit", 1, csv ? BUSINESS_EXPORT_MAX : BUSINESS_LIST_MAX, &v)) < 0)
		return rc;
	q->limit = rc == 1 ? (csv ? BUSINESS_EXPORT_MAX : 100) : v;
	if ((rc = biz_query_sort(r, q)) < 0)
		return rc;
	if ((rc = api_query_int(r, "overdue", 0, 1, &v)) < 0)
		return rc;
	q->overdue = rc == 1 ? 0 : (int)v;
	/* Overdue: the latest assessment's due day (assessed + period) is before today. */
	biz_day_iso(api_today(r) - r->app->business->reassess_days, due);
	q->due_before = due;
	return 0;
}

/* The list as communes keep it, one row a business. */
static const struct api_xlsx_col biz_cols[] = {
	{ "id", "Mã", API_XLSX_INT },
	{ "tax_code", "Mã số thuế", API_XLSX_TEXT },
	{ "name", "Tên cơ sở", API_XLSX_TEXT },
	{ "sector", "Ngành", API_XLSX_TEXT },
	{ "unit_code", "Mã đơn vị", API_XLSX_TEXT },
	{ "unit_name", "Đơn vị", API_XLSX_TEXT },
	{ "address", "Địa chỉ", API_XLSX_TEXT },
	{ "workers", "Số lao động", API_XLSX_INT },
	{ "assessed_on", "Ngày đánh giá", API_XLSX_DATE },
	{ "index", "Chỉ số", API_XLSX_DEC1 },
	{ "band", "Mức", API_XLSX_TEXT },
	{ "due_on", "Hạn đánh giá lại", API_XLSX_DATE },
	{ "reassessment_overdue", "Quá hạn đánh giá lại", API_XLSX_INT },
	{ "cases", "Số ca", API_XLSX_INT },
};

static json_t *biz_row(struct api_ctx *r, const struct business *b)
{
	int has = b->latest.id != 0;
	char due[11] = "";
	json_t *o;

	if (has)
		biz_day_iso(business_reassess_due(r->app->business, biz_day_of(b->latest.assessed_on)),
		            due);
	o = json_pack("{s:I,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:I,s:I,s:I}", "id", (json_int_t)b->id,
	              "tax_code", b->tax_code, "name", b->name, "sector", b->sector,
	              "unit_code", b->unit_code, "unit_name", b->unit_name, "address", b->address,
	              "workers", (json_int_t)b->workers,
	              "reassessment_overdue", (json_int_t)(biz_overdue(r, b) ? 1 : 0),
	              "cases", (json_int_t)b->cases);
	if (o && b->owner_view && b->cases > 0 && b->cases < BUSINESS_CASES_SHOWN_MIN)
		json_object_set_new(o, "cases", json_null());   /* as biz_json: no count under 5 */
	if (o && has) {
		json_object_set_new(o, "assessed_on", json_string(b->latest.assessed_on));
		json_object_set_new(o, "index", json_real(b->latest.index_tenths / 10.0));
		json_object_set_new(o, "band", json_string(b->latest.band));
		json_object_set_new(o, "due_on", json_string(due));
	}
	return o;
}

int api_businesses_list(struct api_ctx *r, const struct route_args *a)
{
	enum api_table_format fmt;
	int csv;
	struct business_query q;
	struct business *b;
	char due[11];
	size_t n;
	int64_t next;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = api_table_format(r, &fmt)) < 0)
		return rc;
	csv = fmt != API_TABLE_JSON;    /* a file: CSV or Excel */
	if ((rc = biz_query(r, csv, &q, due)) < 0 ||
	    (rc = store_business_list(r->st, &r->actor, &q, r->arena, &b, &n, &next, &r->err)) < 0)
		return rc;
	if (csv) {
		json_t *rows = json_array();

		for (size_t i = 0; rows && i < n; i++)
			json_array_append_new(rows, biz_row(r, &b[i]));
		/* The header's cursor is an id: only in the order of ids. */
		return api_reply_table_more(r, fmt, "businesses", biz_cols,
		                            sizeof(biz_cols) / sizeof(biz_cols[0]), rows,
		                            q.sort == BUSINESS_SORT_ID ? next : 0, next != 0);
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, biz_json(r, &b[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o,s:o}", "items", items, "next",
	                                               biz_next_json(r, &q, n ? &b[n - 1] : NULL,
	                                                             next)));
}

int api_businesses_get(struct api_ctx *r, const struct route_args *a)
{
	struct business b;
	json_t *o, *plans = json_array(), *hist = json_array(), *days = json_array();
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = store_business_get(r->st, &r->actor, id, r->arena, &b, &r->err)) < 0) {
		json_decref(plans);
		json_decref(hist);
		json_decref(days);
		return rc;
	}
	for (size_t i = 0; i < b.nplans; i++) {
		const struct business_plan *p = &b.plans[i];

		json_array_append_new(plans, json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:s?,s:s?,s:s,s:s}",
		                      "id", (json_int_t)p->id, "kind", p->kind, "starts_on", p->starts_on,
		                      "ends_on", p->ends_on, "workers_on_site", (json_int_t)p->workers_on_site,
		                      "shifts", (json_int_t)p->shifts, "lodging", p->lodging, "note", p->note,
		                      "status", "recorded", "created_at", http_time(r->http, p->created_at_ms)));
	}
	for (size_t i = 0; i < b.nassessments; i++)
		json_array_append_new(hist, biz_assessment_json(r, &b.assessments[i]));
	for (size_t i = 0; i < b.ndays; i++)
		json_array_append_new(days, json_pack("{s:s,s:I}", "day", b.days[i].day, "on_site",
		                                      (json_int_t)b.days[i].on_site));
	o = biz_json(r, &b);
	{
		json_t *insp = json_array(), *wc = json_array();

		for (size_t i = 0; i < b.ninspections; i++)
			json_array_append_new(insp, json_pack("{s:I,s:s,s:s,s:s?}", "id",
			                      (json_int_t)b.inspections[i].id, "title",
			                      b.inspections[i].title, "status", b.inspections[i].status,
			                      "concluded_on", b.inspections[i].concluded_on));
		for (size_t i = 0; i < b.nworker_cases; i++)
			json_array_append_new(wc, json_integer(b.worker_cases[i]));
		json_object_set_new(o, "inspections", insp);
		json_object_set_new(o, "worker_cases", wc);
	}
	json_object_set_new(o, "plans", plans);
	json_object_set_new(o, "assessments", hist);
	json_object_set_new(o, "on_site", days);
	return http_reply_json(r->http, 200, o);
}

struct biz_assess_in {
	const char *assessed_on;
};

static const struct field biz_assess_fields[] = {
	FIELD_DAY("assessed_on", struct biz_assess_in, assessed_on, FIELD_REQUIRED | FIELD_PAST),
};

/* scores: exactly 15 whole numbers, each 0..20; the error names the item. */
static int biz_scores(struct api_ctx *r, json_t *doc, int64_t scores[BUSINESS_CRITERIA])
{
	json_t *arr = json_object_get(doc, "scores"), *v;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) != BUSINESS_CRITERIA)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "scores",
		                    "trường 'scores': cần đúng 15 điểm (CS1..CS15)",
		                    "field 'scores': exactly 15 scores (CS1..CS15) are needed");
	json_array_foreach(arr, i, v) {
		char at[32];

		snprintf(at, sizeof(at), "scores[%zu]", i);
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > BUSINESS_SCORE_MAX)
			return error_set_at(&r->err, THC_EUNPROCESSABLE, at,
			                    "trường '%s': điểm là số nguyên từ 0 đến 20",
			                    "field '%s': a score is a whole number from 0 to 20", at);
		scores[i] = json_integer_value(v);
	}
	return 0;
}

int api_business_assess(struct api_ctx *r, const struct route_args *a)
{
	struct business_assessment as = { 0 };
	struct biz_assess_in in;
	json_t *doc = NULL, *out;
	char loc[64];
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(biz_assess_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0 || (rc = biz_scores(r, doc, as.scores)) < 0)
		goto out;
	as.assessed_on = in.assessed_on;
	as.index_tenths = business_risk_index(as.scores);
	as.band = business_band_name(business_band_of(r->app->business, as.index_tenths));
	if ((rc = store_business_assess(r->st, &r->actor, id, &as, &r->err)) < 0)
		goto out;
	out = biz_assessment_json(r, &as);
	snprintf(loc, sizeof(loc), "/api/v1/businesses/%lld", (long long)id);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, out);
out:
	json_decref(doc);
	return rc;
}

static const struct field biz_plan_fields[] = {
	FIELD_ENUM("kind", struct business_plan, kind, FIELD_REQUIRED, business_plan_kinds, NULL),
	FIELD_DAY("starts_on", struct business_plan, starts_on, FIELD_REQUIRED),
	FIELD_DAY("ends_on", struct business_plan, ends_on, FIELD_REQUIRED),
	FIELD_INT("workers_on_site", struct business_plan, workers_on_site, FIELD_REQUIRED, 0,
	          BUSINESS_WORKERS_MAX, 0),
	FIELD_INT("shifts", struct business_plan, shifts, 0, 1, 4, 1),
	FIELD_TEXT("lodging", struct business_plan, lodging, 0, BUSINESS_ADDRESS_MAX),
	FIELD_TEXT("note", struct business_plan, note, FIELD_MULTILINE, BUSINESS_NOTE_MAX),
};

int api_business_plan(struct api_ctx *r, const struct route_args *a)
{
	struct business_plan p = { 0 };
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(biz_plan_fields), doc, NULL, api_today(r), &p,
	                          &r->err)) < 0)
		goto out;
	if (strcmp(p.ends_on, p.starts_on) < 0) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "ends_on",
		                  "trường 'ends_on': ngày kết thúc trước ngày bắt đầu",
		                  "field 'ends_on': the end is before the start");
		goto out;
	}
	/* "1 route, 2 destinations" names the one place of lodging. */
	if (strcmp(p.kind, "one_route") == 0 && p.lodging == NULL) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "lodging",
		                  "trường 'lodging': phương án 1 cung đường 2 điểm đến cần nơi lưu trú",
		                  "field 'lodging': a 1-route-2-destinations plan needs the place of lodging");
		goto out;
	}
	if ((rc = store_business_plan_add(r->st, &r->actor, id, &p, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:s}", "id",
	                     (json_int_t)p.id, "kind", p.kind, "starts_on", p.starts_on,
	                     "ends_on", p.ends_on, "workers_on_site", (json_int_t)p.workers_on_site,
	                     "shifts", (json_int_t)p.shifts, "status", "recorded"));
out:
	json_decref(doc);
	return rc;
}

struct biz_day_in {
	const char *day;
	int64_t on_site;
};

static const struct field biz_day_fields[] = {
	FIELD_DAY("day", struct biz_day_in, day, FIELD_REQUIRED | FIELD_PAST),
	FIELD_INT("on_site", struct biz_day_in, on_site, FIELD_REQUIRED, 0, BUSINESS_WORKERS_MAX, 0),
};

int api_business_on_site(struct api_ctx *r, const struct route_args *a)
{
	struct biz_day_in in;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(biz_day_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0 ||
	    (rc = store_business_on_site(r->st, &r->actor, id, in.day, in.on_site, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:s,s:I}", "day", in.day, "on_site",
	                                             (json_int_t)in.on_site));
out:
	json_decref(doc);
	return rc;
}

struct biz_case_in {
	int64_t case_id;
};

static const struct field biz_case_fields[] = {
	FIELD_INT("case_id", struct biz_case_in, case_id, FIELD_REQUIRED, 1, INT64_MAX, 0),
};

int api_business_case_link(struct api_ctx *r, const struct route_args *a)
{
	struct biz_case_in in;
	json_t *doc = NULL;
	int64_t id, cases;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(biz_case_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0 ||
	    (rc = store_business_case_link(r->st, &r->actor, id, in.case_id, &cases,
	                                   &r->err)) < 0)
		goto out;
	/* Health workers link cases without reading the business's file. */
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:I,s:I}", "business_id", (json_int_t)id,
	                                             "case_id", (json_int_t)in.case_id,
	                                             "cases", (json_int_t)cases));
out:
	json_decref(doc);
	return rc;
}
