/*
 * The lists the web shows, as files: ?format=xlsx (or csv) on a list route
 * whose handler answers JSON only.  The handler runs as it is (the same
 * caller, scope and filters), its JSON answer is kept instead of sent
 * (http_req.capture), and the rows it holds are written by table.c.  So a
 * file can never show what the list would not.
 *
 * A list with a `limit` parameter is asked for its largest when the query
 * gives none; a file that reached it says so under its rows.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/banned.h"

struct export {
	api_fn fn;
	const char *name;                /* the file's and sheet's name */
	const char *rows;                /* the member holding the rows */
	const char *limit;               /* its limit parameter, or NULL */
	int limit_max;                   /* ... its largest value */
	const struct api_xlsx_col *cols;
	size_t ncols;
};

static const struct api_xlsx_col inspection_cols[] = {
	{ "id", "Mã cuộc kiểm tra", API_XLSX_INT },
	{ "title", "Tên cuộc kiểm tra", API_XLSX_TEXT },
	{ "issuer", "Đơn vị ra quyết định", API_XLSX_TEXT },
	{ "target.unit_code", "Đơn vị được kiểm tra", API_XLSX_TEXT },
	{ "target.business_name", "Doanh nghiệp", API_XLSX_TEXT },
	{ "target.tax_code", "Mã số thuế", API_XLSX_TEXT },
	{ "kind", "Loại", API_XLSX_TEXT },
	{ "template", "Mẫu kiểm tra", API_XLSX_TEXT },
	{ "period_from", "Kiểm tra từ ngày", API_XLSX_DATE },
	{ "period_to", "Đến ngày", API_XLSX_DATE },
	{ "status", "Trạng thái", API_XLSX_TEXT },
	{ "concluded_on", "Ngày kết luận", API_XLSX_DATE },
	{ "conclusion", "Kết luận", API_XLSX_TEXT },
	{ "public", "Công khai", API_XLSX_TEXT },
};

static const struct api_xlsx_col movement_cols[] = {
	{ "id", "Mã phong trào", API_XLSX_INT },
	{ "name", "Tên phong trào", API_XLSX_TEXT },
	{ "parent_code", "Đơn vị phát động", API_XLSX_TEXT },
	{ "period_from", "Từ ngày", API_XLSX_DATE },
	{ "period_to", "Đến ngày", API_XLSX_DATE },
};

static const struct api_xlsx_col ranking_cols[] = {
	{ "rank", "Hạng", API_XLSX_INT },
	{ "unit_code", "Mã đơn vị", API_XLSX_TEXT },
	{ "name", "Tên đơn vị", API_XLSX_TEXT },
	{ "total", "Tổng điểm", API_XLSX_DEC1 },
};

static const struct api_xlsx_col progress_cols[] = {
	{ "task_id", "Mã nhiệm vụ", API_XLSX_INT },
	{ "unit_code", "Mã đơn vị", API_XLSX_TEXT },
	{ "unit_name", "Tên đơn vị", API_XLSX_TEXT },
	{ "task_title", "Nhiệm vụ", API_XLSX_TEXT },
	{ "assigned_by", "Đơn vị giao", API_XLSX_TEXT },
	{ "status", "Trạng thái", API_XLSX_TEXT },
	{ "deadline", "Hạn", API_XLSX_DATE },
	{ "done_on", "Ngày hoàn thành", API_XLSX_DATE },
	{ "delegated", "Đã giao tiếp", API_XLSX_TEXT },
	{ "below.total", "Cấp dưới: số đơn vị", API_XLSX_INT },
	{ "below.done", "Cấp dưới: đã xong", API_XLSX_INT },
	{ "below.overdue", "Cấp dưới: quá hạn", API_XLSX_INT },
	{ "note", "Ghi chú", API_XLSX_TEXT },
	{ "evidence", "Minh chứng", API_XLSX_TEXT },
};

static const struct api_xlsx_col inbox_cols[] = {
	{ "task_id", "Mã nhiệm vụ", API_XLSX_INT },
	{ "number", "Số văn bản", API_XLSX_TEXT },
	{ "directive_title", "Văn bản", API_XLSX_TEXT },
	{ "title", "Nhiệm vụ", API_XLSX_TEXT },
	{ "assigned_by", "Đơn vị giao", API_XLSX_TEXT },
	{ "deadline", "Hạn", API_XLSX_DATE },
	{ "status", "Trạng thái", API_XLSX_TEXT },
	{ "done_on", "Ngày hoàn thành", API_XLSX_DATE },
	{ "delegated", "Đã giao tiếp", API_XLSX_TEXT },
};

static const struct api_xlsx_col duty_cols[] = {
	{ "date", "Ngày", API_XLSX_DATE },
	{ "from", "Từ giờ", API_XLSX_TEXT },
	{ "to", "Đến giờ", API_XLSX_TEXT },
	{ "name", "Người trực", API_XLSX_TEXT },
	{ "phone", "Điện thoại", API_XLSX_TEXT },
};

static const struct api_xlsx_col level_history_cols[] = {
	{ "week_end", "Tuần kết thúc", API_XLSX_DATE },
	{ "kind", "Loại", API_XLSX_TEXT },
	{ "level", "Cấp độ dịch", API_XLSX_INT },
	{ "computed_level", "Cấp độ tính theo tiêu chí", API_XLSX_INT },
	{ "effective_from", "Hiệu lực từ", API_XLSX_DATE },
	{ "cases_per_100k", "Ca cộng đồng / 100.000 dân", API_XLSX_DEC1 },
	{ "rule_set", "Bộ tiêu chí", API_XLSX_TEXT },
	{ "reason", "Lý do", API_XLSX_TEXT },
	{ "source", "Nguồn", API_XLSX_TEXT },
	{ "by", "Người quyết định", API_XLSX_TEXT },
	{ "at", "Thời điểm", API_XLSX_TIME },
};

static const struct api_xlsx_col weekly_cols[] = {
	{ "week_end", "Tuần kết thúc", API_XLSX_DATE },
	{ "population", "Dân số", API_XLSX_INT },
	{ "cases", "Ca mắc trong tuần", API_XLSX_INT },
	{ "community_cases", "Ca cộng đồng", API_XLSX_INT },
	{ "quarantine_cases", "Ca trong khu cách ly", API_XLSX_INT },
	{ "imported_cases", "Ca nhập cảnh", API_XLSX_INT },
	{ "oxygen_cases", "Ca thở oxy", API_XLSX_INT },
	{ "deaths", "Tử vong", API_XLSX_INT },
	{ "cases_per_100k", "Ca cộng đồng / 100.000 dân", API_XLSX_DEC1 },
};

static const struct api_xlsx_col changes_cols[] = {
	{ "code", "Mã đơn vị", API_XLSX_TEXT },
	{ "name", "Tên đơn vị", API_XLSX_TEXT },
	{ "before", "Cấp độ trước", API_XLSX_INT },
	{ "after", "Cấp độ nay", API_XLSX_INT },
};

/* Published decisions: what the public list shows, nothing more. */
static const struct api_xlsx_col public_decision_cols[] = {
	{ "date", "Ngày quyết định", API_XLSX_DATE },
	{ "decision.number", "Số quyết định", API_XLSX_TEXT },
	{ "decision.kind", "Loại", API_XLSX_TEXT },
	{ "decision.form", "Hình thức", API_XLSX_TEXT },
	{ "name", "Cá nhân", API_XLSX_TEXT },
	{ "unit", "Đơn vị", API_XLSX_TEXT },
	{ "reason", "Lý do", API_XLSX_TEXT },
};

#define EXPORT(f, file, member, lim, max, c) \
	{ .fn = f, .name = file, .rows = member, .limit = lim, .limit_max = max, .cols = c, \
	  .ncols = ARRAY_SIZE(c) }

static const struct export exports[] = {
	EXPORT(api_inspections_list,   "kiem-tra",            "items",  NULL, 0, inspection_cols),
	EXPORT(api_emulation_list,     "phong-trao-thi-dua",  "items",  NULL, 0, movement_cols),
	EXPORT(api_emulation_rankings, "xep-hang-thi-dua",    "items",  NULL, 0, ranking_cols),
	EXPORT(api_directive_progress, "tien-do-van-ban",     "items",  NULL, 0, progress_cols),
	EXPORT(api_unit_inbox,         "nhiem-vu-duoc-giao",  "tasks",  NULL, 0, inbox_cols),
	EXPORT(api_unit_duty_get,      "lich-truc",           "shifts", NULL, 0, duty_cols),
	EXPORT(api_unit_levels,        "lich-su-cap-do",      "items",  "limit", 520,
	       level_history_cols),
	EXPORT(api_unit_weekly,        "so-lieu-tuan",        "items",  NULL, 0, weekly_cols),
	EXPORT(api_levels_changes,     "thay-doi-cap-do",     "items",  NULL, 0, changes_cols),
	EXPORT(api_decisions_public,   "khen-thuong-ky-luat", "items",  NULL, 0,
	       public_decision_cols),
};

int api_export_known(api_fn fn)
{
	for (size_t i = 0; i < ARRAY_SIZE(exports); i++)
		if (exports[i].fn == fn)
			return 1;
	return 0;
}

/* ?limit= at its largest when the query has none (in the request's arena). */
static int export_limit(struct api_ctx *r, const struct export *x)
{
	struct query *q = &r->http->query;
	struct query_param *p;
	char *max;

	if (x->limit == NULL || http_query(r->http, x->limit) != NULL)
		return 0;
	if ((p = arena_alloc(r->arena, (q->n + 1) * sizeof(*p))) == NULL ||
	    (max = arena_alloc(r->arena, 16)) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if (q->n)
		memcpy(p, q->params, q->n * sizeof(*p));
	snprintf(max, 16, "%d", x->limit_max);
	p[q->n] = (struct query_param){ .name = x->limit, .value = max };
	q->params = p;
	q->n++;
	return 0;
}

int api_export_run(struct api_ctx *r, api_fn fn, const struct route_args *a, int *done)
{
	enum api_table_format fmt;
	const struct export *x = NULL;
	json_t *body = NULL, *rows;
	int64_t limit = 0;
	int rc;

	*done = 0;
	for (size_t i = 0; i < ARRAY_SIZE(exports) && !x; i++)
		if (exports[i].fn == fn)
			x = &exports[i];
	if (x == NULL || http_query(r->http, "format") == NULL)
		return 0;
	*done = 1;
	if ((rc = api_table_format(r, &fmt)) < 0)
		return rc;
	if (fmt == API_TABLE_JSON) {
		*done = 0;
		return 0;
	}
	if ((rc = export_limit(r, x)) < 0)
		return rc;
	r->http->capture = &body;
	rc = fn(r, a);
	r->http->capture = NULL;
	if (rc < 0 || r->http->replied) {   /* an error, or an answer that was not a list */
		json_decref(body);
		return rc;
	}
	if ((rows = json_incref(json_object_get(body, x->rows))) == NULL) {
		json_decref(body);
		return error_set(&r->err, THC_EINTERNAL, "danh sách không có '%s'",
		                 "the list has no '%s'", x->rows);
	}
	/* The handler took the limit, so it reads. */
	rc = x->limit && api_query_int(r, x->limit, 1, INT64_MAX, &limit) == 1 &&
	     json_array_size(rows) >= (size_t)limit;
	json_decref(body);
	return api_reply_table_more(r, fmt, x->name, x->cols, x->ncols, rows, 0, rc);
}
