/*
 * A list download written once as a table (typed columns, rows as JSON
 * objects) and rendered as CSV or as an Excel file, so that both forms
 * of a list hold the same columns in the same order.  CSV: the column
 * keys as header, UTF-8 with a BOM (Excel then reads Vietnamese), numbers
 * as text (one decimal with a comma, as the communes' spreadsheets write
 * it); XLSX: api_reply_xlsx (Vietnamese titles, numbers and dates typed).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/csv.h"
#include "base/banned.h"

int api_table_format(struct api_ctx *r, enum api_table_format *out)
{
	const char *f = http_query(r->http, "format");

	*out = !f || strcmp(f, "json") == 0 ? API_TABLE_JSON
	       : strcmp(f, "csv") == 0      ? API_TABLE_CSV
	       : strcmp(f, "xlsx") == 0     ? API_TABLE_XLSX
	                                    : (enum api_table_format)-1;
	if ((int)*out < 0)
		return error_set_at(&r->err, THC_EINVAL, "format", "tham số 'format': json, csv hoặc xlsx",
		                    "parameter 'format': json, csv or xlsx");
	return 0;
}

/* One cell as CSV text into buf (NULL and absent: empty). */
static const char *table_text(const struct api_xlsx_col *c, json_t *v, char *buf, size_t sz)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, sz, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_number(v)) {
		long long t = llround(json_number_value(v) * 10);

		if (c->type == API_XLSX_DEC1)
			snprintf(buf, sz, "%s%lld,%lld", t < 0 ? "-" : "", llabs(t) / 10, llabs(t) % 10);
		else
			snprintf(buf, sz, "%g", json_number_value(v));
		return buf;
	}
	return "";
}

static int table_csv(struct api_ctx *r, const char *name, const struct api_xlsx_col *cols,
                     size_t ncols, json_t *rows)
{
	char *buf = NULL, cell[48], disp[160];
	size_t len = 0, i;
	json_t *row;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	fputs("\xEF\xBB\xBF", f);
	for (size_t j = 0; j < ncols; j++)
		csv_write_field(f, cols[j].key, j + 1 == ncols);
	json_array_foreach(rows, i, row)
		for (size_t j = 0; j < ncols; j++)
			csv_write_field(f, table_text(&cols[j], api_xlsx_get(row, cols[j].key), cell,
			                              sizeof(cell)), j + 1 == ncols);
	if (fclose(f) != 0) {
		free(buf);
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.csv\"", name);
	http_add_header(r->http, "Content-Disposition", disp);
	return http_reply_bytes(r->http, 200, "text/csv; charset=utf-8", buf, len);
}

int api_reply_table(struct api_ctx *r, enum api_table_format fmt, const char *name,
                    const struct api_xlsx_col *cols, size_t ncols, json_t *rows, int64_t next)
{
	return api_reply_table_more(r, fmt, name, cols, ncols, rows, next, next != 0);
}

int api_reply_table_more(struct api_ctx *r, enum api_table_format fmt, const char *name,
                         const struct api_xlsx_col *cols, size_t ncols, json_t *rows,
                         int64_t next, int more)
{
	char nx[24], file[96], note[300];
	int rc;

	if (rows == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	/* A file is never kept with a public list's answers, here or by a CDN. */
	r->http->keep_reply = 0;
	r->http->cache_public = 0;
	if (next) {
		snprintf(nx, sizeof(nx), "%lld", (long long)next);
		http_add_header(r->http, "X-Next-Cursor", nx);
	}
	if (fmt == API_TABLE_XLSX) {
		snprintf(file, sizeof(file), "%s.xlsx", name);
		if (more && next)
			snprintf(note, sizeof(note), "Tệp chỉ gồm %zu dòng đầu (giới hạn một lần tải); "
			         "phần còn lại: tải tiếp với tham số cursor=%lld.",
			         json_array_size(rows), (long long)next);
		else if (more)
			snprintf(note, sizeof(note), "Tệp chỉ gồm %zu dòng đầu (giới hạn một lần tải); "
			         "có thể còn dòng khác: thu hẹp bộ lọc (đơn vị, ngày) để tải hết.",
			         json_array_size(rows));
		return api_reply_xlsx_note(r, name, file, cols, ncols, rows, more ? note : NULL);
	}
	rc = table_csv(r, name, cols, ncols, rows);
	json_decref(rows);
	return rc;
}

int api_reply_list(struct api_ctx *r, enum api_table_format fmt, const char *name,
                   const struct api_xlsx_col *cols, size_t ncols, json_t *body, int more)
{
	json_t *items;
	int rc;

	if (body == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if (fmt == API_TABLE_JSON)
		return http_reply_json(r->http, 200, body);
	items = json_incref(json_object_get(body, "items"));
	json_decref(body);
	if (items == NULL)
		return error_set(&r->err, THC_EINTERNAL, "danh sách không có 'items'",
		                 "the list has no 'items'");
	rc = api_reply_table_more(r, fmt, name, cols, ncols, items, 0, more);
	return rc;
}
