/*
 * The officials' feedback queue as a file (GET /api/v1/feedback?format=
 * xlsx or csv, table.c): one row a request, as the list has it, without
 * the reporter's contact; dates as days (Việt Nam).
 */
#include <string.h>

#include "api/api.h"
#include "base/vntime.h"
#include "domain/feedback.h"
#include "store/feedback.h"
#include "base/banned.h"

static const struct api_xlsx_col fbt_cols[] = {
	{ "id", "Số", API_XLSX_INT },
	{ "received_on", "Ngày nhận", API_XLSX_DATE },
	{ "category_name", "Loại phản ánh", API_XLSX_TEXT },
	{ "description", "Nội dung", API_XLSX_TEXT },
	{ "location_code", "Mã nơi phản ánh", API_XLSX_TEXT },
	{ "address", "Địa chỉ", API_XLSX_TEXT },
	{ "unit_code", "Đơn vị chịu trách nhiệm", API_XLSX_TEXT },
	{ "assigned_code", "Giao cho", API_XLSX_TEXT },
	{ "holder_code", "Đang giữ", API_XLSX_TEXT },
	{ "department", "Phòng ban", API_XLSX_TEXT },
	{ "status", "Trạng thái", API_XLSX_TEXT },
	{ "deadline", "Hạn trả lời", API_XLSX_DATE },
	{ "overdue", "Quá hạn", API_XLSX_INT },
	{ "escalations", "Số lần chuyển lên", API_XLSX_INT },
	{ "answered_on", "Ngày trả lời", API_XLSX_DATE },
	{ "answer", "Trả lời", API_XLSX_TEXT },
};

/* The day (Việt Nam) of an instant in ms, as YYYY-MM-DD. */
static void fbt_day(int64_t ms, char out[11])
{
	int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);

	vndate_format_iso(vndate_from_days(vntime_day_of(s)), out, 11);
}

static json_t *fbt_row(struct api_ctx *r, const struct feedback_item *f, const char *today)
{
	const struct feedback_category *c = feedback_category(r->app->feedback, f->category);
	int st = feedback_status_from_name(f->status);
	char rec[11], ans[11];
	json_t *o;

	fbt_day(f->created_at_ms, rec);
	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:s,s:s?,s:s,s:s,s:s,s:I,s:I,s:s?}",
	              "id", (json_int_t)f->id, "received_on", rec,
	              "category_name", c ? c->name_vi : f->category, "description", f->description,
	              "location_code", f->location_code, "address", f->address,
	              "unit_code", f->unit_code, "assigned_code", f->assigned_code,
	              "holder_code", f->holder_code,
	              "status", st >= 0 ? feedback_status_title((enum feedback_status)st, "vi") : f->status,
	              "deadline", f->deadline,
	              "overdue", (json_int_t)(st >= 0 && feedback_status_open((enum feedback_status)st) &&
	                                      strcmp(f->deadline, today) < 0),
	              "escalations", (json_int_t)f->escalations, "answer", f->answer);
	if (o && f->department)
		json_object_set_new(o, "department", json_string(f->department));
	if (o && f->answered_at_ms) {
		fbt_day(f->answered_at_ms, ans);
		json_object_set_new(o, "answered_on", json_string(ans));
	}
	return o;
}

int api_feedback_table(struct api_ctx *r, enum api_table_format fmt,
                       const struct feedback_item *f, size_t n, int64_t next)
{
	json_t *rows = json_array();
	char today[11];

	vndate_format_iso(vndate_from_days(api_today(r)), today, sizeof(today));
	for (size_t i = 0; rows && i < n; i++)
		json_array_append_new(rows, fbt_row(r, &f[i], today));
	return api_reply_table(r, fmt, "phan-anh", fbt_cols, sizeof(fbt_cols) / sizeof(fbt_cols[0]),
	                       rows, next);
}
