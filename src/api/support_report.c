/*
 * Support reports over HTTP: the public posting of a commune and programme
 * (names and amounts only), totals per programme with the reconciliation
 * of payments, and the no-one-left-behind report (JSON or CSV).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/vntime.h"
#include "domain/support.h"
#include "store/support.h"
#include "base/banned.h"

static int sp_need(struct api_ctx *r, const char *name, const char **out)
{
	*out = http_query(r->http, name);
	if (*out == NULL || (*out)[0] == '\0')
		return error_set_at(&r->err, THC_EINVAL, name, "thiếu tham số '%s'",
		                    "parameter '%s' is missing", name);
	return 0;
}

int api_support_postings(struct api_ctx *r, const struct route_args *a)
{
	const char *unit, *prog;
	const struct support_programme *p;
	struct support_posted *v;
	char today[11];
	json_t *items;
	size_t n;
	int truncated, rc;

	(void)a;
	if ((rc = sp_need(r, "unit", &unit)) < 0 || (rc = sp_need(r, "programme", &prog)) < 0)
		return rc;
	if ((p = support_programme(r->app->support, prog)) == NULL)
		return error_set_at(&r->err, THC_ENOTFOUND, "programme",
		                    "không có chương trình '%.40s'", "no programme '%.40s'", prog);
	vndate_format_iso(vndate_from_days(api_today(r)), today, sizeof(today));
	if ((rc = store_support_postings(r->st, unit, prog, today, r->arena, &v, &n, &truncated,
	                                 &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:I}", "line", (json_int_t)v[i].line,
		                                       "full_name", v[i].full_name,
		                                       "amount", (json_int_t)v[i].amount));
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:{s:s,s:s},s:b,s:i,s:s,s:o,s:b}",
	                       "unit", unit, "programme", p->id, "programme_name", "vi", p->name_vi,
	                       "en", p->name_en, "posting_required", p->posting_days > 0,
	                       "posting_working_days", p->posting_days, "on", today,
	                       "items", items, "truncated", truncated));
}

int api_support_totals(struct api_ctx *r, const struct route_args *a)
{
	struct support_total *t;
	const char *unit;
	json_t *items;
	size_t n;
	int rc;

	(void)a;
	if ((rc = sp_need(r, "unit", &unit)) < 0 ||
	    (rc = store_support_totals(r->st, &r->actor, unit, r->arena, &t, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
		                      "programme", t[i].programme,
		                      "applications", (json_int_t)t[i].applications,
		                      "pending", (json_int_t)t[i].pending,
		                      "rejected", (json_int_t)t[i].rejected,
		                      "approved", (json_int_t)t[i].approved,
		                      "approved_amount", (json_int_t)t[i].approved_amount,
		                      "paid", (json_int_t)t[i].paid,
		                      "paid_amount", (json_int_t)t[i].paid_amount,
		                      "unpaid_amount", (json_int_t)t[i].unpaid_amount));
	return http_reply_json(r->http, 200, json_pack("{s:s,s:o}", "unit", unit, "items", items));
}

static const struct api_xlsx_col sp_left_cols[] = {
	{ "STT", "STT", API_XLSX_INT },
	{ "Loại", "Loại", API_XLSX_TEXT },
	{ "Lý do", "Lý do", API_XLSX_TEXT },
	{ "Họ tên / Hộ", "Họ tên / Hộ", API_XLSX_TEXT },
	{ "Mã đơn vị", "Mã đơn vị", API_XLSX_TEXT },
	{ "Mã người", "Mã người", API_XLSX_INT },
};

static int sp_left_table(struct api_ctx *r, enum api_table_format fmt,
                         const struct support_left *v, size_t n)
{
	json_t *rows = json_array();

	for (size_t i = 0; rows && i < n; i++)
		json_array_append_new(rows, json_pack(
			"{s:I,s:s,s:s?,s:s?,s:s?,s:o}", "STT", (json_int_t)(i + 1),
			"Loại", strcmp(v[i].kind, "person") == 0 ? "người"
			        : strcmp(v[i].kind, "business") == 0 ? "hộ kinh doanh" : "hộ",
			"Lý do", v[i].reason,
			"Họ tên / Hộ", v[i].name, "Mã đơn vị", v[i].unit_code,
			"Mã người", v[i].person_id ? json_integer(v[i].person_id) : json_null()));
	return api_reply_table(r, fmt, "support-left-behind", sp_left_cols,
	                       sizeof(sp_left_cols) / sizeof(sp_left_cols[0]), rows, 0);
}

int api_support_left_behind(struct api_ctx *r, const struct route_args *a)
{
	const char *unit;
	enum api_table_format fmt;
	struct support_left *v;
	json_t *items;
	size_t n;
	int truncated, rc;

	(void)a;
	if ((rc = api_table_format(r, &fmt)) < 0 || (rc = sp_need(r, "unit", &unit)) < 0 ||
	    (rc = store_support_left_behind(r->st, &r->actor, unit, r->arena, &v, &n, &truncated,
	                                    &r->err)) < 0)
		return rc;
	if (fmt != API_TABLE_JSON)
		return sp_left_table(r, fmt, v, n);
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "kind", v[i].kind, "reason", v[i].reason,
		                      "unit_code", v[i].unit_code, "name", v[i].name);

		if (v[i].person_id)
			json_object_set_new(o, "person_id", json_integer(v[i].person_id));
		json_array_append_new(items, o);
	}
	return http_reply_json(r->http, 200, json_pack("{s:s,s:o,s:b}", "unit", unit, "items", items,
	                                               "truncated", truncated));
}
