/*
 * The monthly compilation of citizen feedback (Bến Tre Plan 23: the
 * locality's feedback compiled each month and sent to the departments):
 * for a unit and a month, the requests received in its subtree grouped by
 * category; an official forwards a category's requests to a department
 * with a date for its answer, and records the department's answer; the
 * report, as JSON, CSV or a printable HTML page (Vietnamese, dd/mm/yyyy),
 * shows what was asked, who answered, when, and what is overdue.  For
 * officials whose scope holds the unit; never the reporters' contact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/csv.h"
#include "base/strbuf.h"
#include "base/vntime.h"
#include "domain/feedback.h"
#include "domain/open311.h"
#include "domain/unit.h"
#include "store/fbcompile.h"
#include "store/units.h"
#include "base/banned.h"

#define FBC_HTML_MAX ((size_t)16 << 20)

/* "YYYY-MM" into the month's bounds in Asia/Ho_Chi_Minh. */
static int fbc_span(struct api_ctx *r, const char *unit, const char *month, const char *field,
                    const char *unit_field, struct fbcomp_span *sp)
{
	struct vndate a = { 0 }, b;
	char iso[11];

	if (month == NULL || strlen(month) != 7 || month[4] != '-' ||
	    (snprintf(iso, sizeof(iso), "%s-01", month), vndate_parse(iso, &a) < 0))
		return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': cần tháng dạng YYYY-MM", "field '%s': a month YYYY-MM is needed",
		                    field);
	if (unit == NULL || unit[0] == '\0' || strlen(unit) >= UNIT_CODE_MAX)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, unit_field, "cần mã đơn vị '%s'",
		                    "the unit code '%s' is needed", unit_field);
	b = a.month == 12 ? (struct vndate){ a.year + 1, 1, 1 } : (struct vndate){ a.year, a.month + 1, 1 };
	/* Midnight in Việt Nam is 17:00 UTC the day before. */
	*sp = (struct fbcomp_span){ .unit = unit, .month = month,
	                            .from_ms = ((int64_t)vndate_to_days(a) * 86400 - 7 * 3600) * 1000,
	                            .to_ms = ((int64_t)vndate_to_days(b) * 86400 - 7 * 3600) * 1000 };
	return 0;
}

static const char *fbc_vn_day_ms(int64_t ms, char out[11])
{
	if (ms == 0)
		return "";
	vndate_format_vn(vndate_from_days(vntime_day_of(ms / 1000)), out, 11);
	return out;
}

static const char *fbc_vn_iso(const char *iso, char out[11])
{
	struct vndate d;

	if (iso == NULL || vndate_parse(iso, &d) < 0)
		return "";
	vndate_format_vn(d, out, 11);
	return out;
}

static const char *fbc_cat_name(struct api_ctx *r, const struct fbcomp_row *w)
{
	const struct feedback_category *c = feedback_category(r->app->feedback, w->category);

	return c ? c->name_vi : w->category_name ? w->category_name : w->category;
}

/* Forwarded, not answered, and its date for the answer before `asof`. */
static int fbc_overdue(const struct fbcomp_row *w, const char *asof)
{
	return w->forward_id && w->answered_ms == 0 && w->due_on && strcmp(w->due_on, asof) < 0;
}

static json_t *fbc_item(struct api_ctx *r, const struct fbcomp_row *w, const char *asof)
{
	char day[11];
	json_t *o;

	vndate_format_iso(vndate_from_days(vntime_day_of(w->received_ms / 1000)), day, sizeof(day));
	o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)w->feedback_id, "received_on", day,
	              "description", w->description, "status", w->status, "unit_code", w->unit_code);
	json_object_set_new(o, "forward", w->forward_id == 0 ? json_null() : json_pack(
		"{s:I,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:b}", "id", (json_int_t)w->forward_id,
		"department", w->department, "forwarded_at", http_time(r->http, w->forwarded_ms),
		"due_on", w->due_on, "answer", w->answer, "answered_by", w->answered_by,
		"answered_at", w->answered_ms ? http_time(r->http, w->answered_ms) : NULL,
		"overdue", fbc_overdue(w, asof)));
	return o;
}

static json_t *fbc_json(struct api_ctx *r, const struct fbcomp_span *sp,
                        const struct fbcomp_row *w, size_t n, const char *asof)
{
	json_t *groups = json_array(), *g = NULL;

	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(w[i].category, w[i - 1].category) != 0) {
			g = json_pack("{s:s,s:s,s:i,s:i,s:i,s:i,s:[]}", "category", w[i].category,
			              "category_name", fbc_cat_name(r, &w[i]), "received", 0, "forwarded", 0,
			              "answered", 0, "overdue", 0, "items");
			json_array_append_new(groups, g);
		}
#define FBC_INC(k, cond) \
		if (cond) json_object_set_new(g, k, json_integer(json_integer_value(json_object_get(g, k)) + 1))
		FBC_INC("received", 1);
		FBC_INC("forwarded", w[i].forward_id != 0);
		FBC_INC("answered", w[i].answered_ms != 0);
		FBC_INC("overdue", fbc_overdue(&w[i], asof));
#undef FBC_INC
		json_array_append_new(json_object_get(g, "items"), fbc_item(r, &w[i], asof));
	}
	return json_pack("{s:s,s:s,s:s,s:o}", "unit_code", sp->unit, "month", sp->month, "date", asof,
	                 "groups", groups);
}

static int fbc_csv(struct api_ctx *r, const struct fbcomp_span *sp, const struct fbcomp_row *w,
                   size_t n, const char *asof)
{
	static const char *const head[] = { "Loại phản ánh", "Số phản ánh", "Ngày nhận", "Nội dung",
	                                    "Trạng thái", "Cơ quan được chuyển", "Ngày chuyển",
	                                    "Hạn trả lời", "Nội dung trả lời", "Người trả lời",
	                                    "Ngày trả lời", "Quá hạn" };
	char *buf = NULL, disp[120], id[24], d1[11], d2[11], d3[11], d4[11];
	size_t len = 0, nh = sizeof(head) / sizeof(head[0]);
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	fputs("\xEF\xBB\xBF", f);      /* Excel then reads Vietnamese */
	for (size_t j = 0; j < nh; j++)
		csv_write_field(f, head[j], j + 1 == nh);
	for (size_t i = 0; i < n; i++) {
		const char *cells[] = {
			fbc_cat_name(r, &w[i]), id, fbc_vn_day_ms(w[i].received_ms, d1), w[i].description,
			feedback_status_title((enum feedback_status)feedback_status_from_name(w[i].status),
			                      "vi"),
			w[i].department ? w[i].department : "", fbc_vn_day_ms(w[i].forwarded_ms, d2),
			fbc_vn_iso(w[i].due_on, d3), w[i].answer ? w[i].answer : "",
			w[i].answered_by ? w[i].answered_by : "", fbc_vn_day_ms(w[i].answered_ms, d4),
			fbc_overdue(&w[i], asof) ? "Có" : "Không" };

		snprintf(id, sizeof(id), "%lld", (long long)w[i].feedback_id);
		for (size_t j = 0; j < nh; j++)
			csv_write_field(f, cells[j], j + 1 == nh);
	}
	if (fclose(f) != 0) {
		free(buf);
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"phan-anh-%s-%s.csv\"", sp->unit,
	         sp->month);
	http_add_header(r->http, "Content-Disposition", disp);
	return http_reply_bytes(r->http, 200, "text/csv; charset=utf-8", buf, len);
}

/* One HTML table cell of text, escaped. */
static int fbc_td(struct strbuf *sb, const char *s)
{
	int rc = strbuf_adds(sb, "<td>");

	if (rc == 0)
		rc = open311_xml_text(sb, s ? s : "");
	return rc ? rc : strbuf_adds(sb, "</td>");
}

static int fbc_html_rows(struct api_ctx *r, struct strbuf *sb, const struct fbcomp_row *w,
                         size_t n, const char *asof)
{
	char id[24], d1[11], d2[11], d3[11], d4[11];
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		if (i == 0 || strcmp(w[i].category, w[i - 1].category) != 0) {
			rc = strbuf_adds(sb, i ? "</tbody></table>\n<h2>" : "<h2>");
			rc = rc ? rc : open311_xml_text(sb, fbc_cat_name(r, &w[i]));
			rc = rc ? rc : strbuf_adds(sb, "</h2>\n<table border=\"1\" cellpadding=\"4\">"
			                           "<thead><tr><th>Số</th><th>Ngày nhận</th><th>Nội dung</th>"
			                           "<th>Trạng thái</th><th>Cơ quan được chuyển</th>"
			                           "<th>Ngày chuyển</th><th>Hạn trả lời</th><th>Trả lời</th>"
			                           "<th>Người trả lời</th><th>Ngày trả lời</th>"
			                           "<th>Quá hạn</th></tr></thead><tbody>");
		}
		snprintf(id, sizeof(id), "%lld", (long long)w[i].feedback_id);
		rc = rc ? rc : strbuf_adds(sb, "<tr>");
		rc = rc ? rc : fbc_td(sb, id);
		rc = rc ? rc : fbc_td(sb, fbc_vn_day_ms(w[i].received_ms, d1));
		rc = rc ? rc : fbc_td(sb, w[i].description);
		rc = rc ? rc : fbc_td(sb, feedback_status_title(
			(enum feedback_status)feedback_status_from_name(w[i].status), "vi"));
		rc = rc ? rc : fbc_td(sb, w[i].forward_id ? w[i].department : "Chưa chuyển");
		rc = rc ? rc : fbc_td(sb, fbc_vn_day_ms(w[i].forwarded_ms, d2));
		rc = rc ? rc : fbc_td(sb, fbc_vn_iso(w[i].due_on, d3));
		rc = rc ? rc : fbc_td(sb, w[i].answer);
		rc = rc ? rc : fbc_td(sb, w[i].answered_by);
		rc = rc ? rc : fbc_td(sb, fbc_vn_day_ms(w[i].answered_ms, d4));
		rc = rc ? rc : fbc_td(sb, fbc_overdue(&w[i], asof) ? "QUÁ HẠN" : "");
		rc = rc ? rc : strbuf_adds(sb, "</tr>\n");
	}
	return rc ? rc : strbuf_adds(sb, n ? "</tbody></table>\n"
	                                   : "<p>Không có phản ánh nào trong tháng.</p>\n");
}

static int fbc_html(struct api_ctx *r, const struct fbcomp_span *sp, const struct fbcomp_row *w,
                    size_t n, const char *asof)
{
	struct strbuf sb = STRBUF_INIT(FBC_HTML_MAX);
	struct unit u;
	char today[11], asof_vn[11];
	size_t len;
	char *body;
	int rc;

	if ((rc = store_unit_get(r->st, NULL, sp->unit, r->arena, &u, &r->err)) < 0)
		return rc;
	vndate_format_vn(vndate_from_days(api_today(r)), today, sizeof(today));
	rc = strbuf_addf(&sb, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
	                 "<title>Tổng hợp phản ánh, kiến nghị tháng %.2s/%.4s</title></head><body>\n"
	                 "<h1>Tổng hợp phản ánh, kiến nghị tháng %.2s/%.4s</h1>\n<p>Đơn vị: ",
	                 sp->month + 5, sp->month, sp->month + 5, sp->month);
	rc = rc ? rc : open311_xml_text(&sb, u.name);
	rc = rc ? rc : strbuf_addf(&sb, " (%s). Lập ngày %s; quá hạn tính đến ngày %s.</p>\n",
	                           sp->unit, today, fbc_vn_iso(asof, asof_vn));
	rc = rc ? rc : fbc_html_rows(r, &sb, w, n, asof);
	rc = rc ? rc : strbuf_adds(&sb, "</body></html>\n");
	if (rc < 0) {
		strbuf_release(&sb);
		return error_set(&r->err, THC_ETOOBIG, "báo cáo quá lớn", "the report is too large");
	}
	body = strbuf_detach(&sb, &len);
	return http_reply_bytes(r->http, 200, "text/html; charset=utf-8", body, len);
}

int api_feedback_compilation(struct api_ctx *r, const struct route_args *a)
{
	const char *format = http_query(r->http, "format"), *date = http_query(r->http, "date");
	struct fbcomp_span sp;
	struct vndate d;
	char asof[11];
	struct fbcomp_row *w;
	size_t n;
	int rc;

	(void)a;
	if (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "html") != 0)
		return error_set_at(&r->err, THC_EINVAL, "format", "tham số 'format': json, csv hoặc html",
		                    "parameter 'format': json, csv or html");
	if ((rc = fbc_span(r, http_query(r->http, "unit"), http_query(r->http, "month"), "month",
	                   "unit", &sp)) < 0) {
		r->err.code = THC_EINVAL;   /* a query parameter: 400 */
		return THC_EINVAL;
	}
	/* ?date=: what was overdue as of that day (default today). */
	if (date && vndate_parse(date, &d) < 0)
		return error_set_at(&r->err, THC_EINVAL, "date",
		                    "tham số 'date': '%.20s' không phải ngày dạng YYYY-MM-DD",
		                    "parameter 'date': '%.20s' is not a date YYYY-MM-DD", date);
	vndate_format_iso(date ? d : vndate_from_days(api_today(r)), asof, sizeof(asof));
	if ((rc = store_fbcomp_rows(r->st, &r->actor, &sp, r->arena, &w, &n, &r->err)) < 0)
		return rc;
	if (format && strcmp(format, "csv") == 0)
		return fbc_csv(r, &sp, w, n, asof);
	if (format && strcmp(format, "html") == 0)
		return fbc_html(r, &sp, w, n, asof);
	return http_reply_json(r->http, 200, fbc_json(r, &sp, w, n, asof));
}

struct fbc_fwd_in {
	const char *unit_code, *month, *category, *department;
	int64_t days;
};

static const struct field fbc_fwd_fields[] = {
	FIELD_TEXT("unit_code", struct fbc_fwd_in, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("month", struct fbc_fwd_in, month, FIELD_REQUIRED, 8),
	FIELD_TEXT("category", struct fbc_fwd_in, category, FIELD_REQUIRED, FEEDBACK_CODE_MAX),
	FIELD_TEXT("department", struct fbc_fwd_in, department, FIELD_REQUIRED, 200),
	FIELD_INT("days", struct fbc_fwd_in, days, 0, 1, FEEDBACK_DAYS_MAX, 10),
};

int api_feedback_forward(struct api_ctx *r, const struct route_args *a)
{
	struct fbc_fwd_in in;
	struct fbcomp_span sp;
	json_t *doc = NULL;
	int64_t count = 0;
	char due[11] = "";
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		return rc;
	if ((rc = field_read_json(FIELDS(fbc_fwd_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) == 0 &&
	    (rc = fbc_span(r, in.unit_code, in.month, "month", "unit_code", &sp)) == 0) {
		/* The department answers within `days` working days of today. */
		vndate_format_iso(vndate_from_days(feedback_deadline(r->app->feedback, api_today(r),
		                                                     (int)in.days)), due, sizeof(due));
		rc = store_fbcomp_forward(r->st, &r->actor, &sp, in.category, in.department, due,
		                          &count, &r->err);
	}
	json_decref(doc);
	return rc < 0 ? rc : http_reply_json(r->http, 200, json_pack("{s:I,s:s}", "forwarded",
	                                                             (json_int_t)count, "due_on", due));
}

struct fbc_ans_in {
	const char *answer, *answered_by;
};

static const struct field fbc_ans_fields[] = {
	FIELD_TEXT("answer", struct fbc_ans_in, answer, FIELD_REQUIRED | FIELD_MULTILINE,
	           FEEDBACK_TEXT_MAX),
	FIELD_TEXT("answered_by", struct fbc_ans_in, answered_by, FIELD_REQUIRED, 200),
};

int api_feedback_forward_answer(struct api_ctx *r, const struct route_args *a)
{
	struct fbc_ans_in in;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		return rc;
	if ((rc = field_read_json(FIELDS(fbc_ans_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) == 0)
		rc = store_fbcomp_answer(r->st, &r->actor, id, in.answer, in.answered_by, &r->err);
	json_decref(doc);
	return rc < 0 ? rc : http_reply_json(r->http, 200, json_pack("{s:I,s:s}", "id",
	                                                             (json_int_t)id, "answer", in.answer));
}
