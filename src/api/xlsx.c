/*
 * Spreadsheet replies (libxlsxwriter): one sheet of rows given as JSON
 * objects, each column a member of a known type, so that Excel and
 * LibreOffice see numbers as numbers and dates as dates (shown dd/mm/yyyy),
 * a bold header row that stays frozen, and columns as wide as their text.
 * libxlsxwriter writes a file: it goes to the temporary directory, is read
 * back into the reply and removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "api/api.h"
#include "base/vntime.h"
#include "base/banned.h"

#define XLSX_WIDTH_MAX 60.0
#define XLSX_MAX ((size_t)64 << 20)

/* Characters, not bytes: a Vietnamese letter is one column wide. */
static double xlsx_width(const char *s)
{
	double n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static const char *xlsx_tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d && d[0] ? d : "/tmp";
}

struct xlsx_fmt {
	lxw_format *head, *date, *dec1, *time, *note;
};

json_t *api_xlsx_get(json_t *row, const char *key)
{
	const char *dot;
	char part[64];

	while ((dot = strchr(key, '.')) != NULL && row) {
		size_t n = (size_t)(dot - key) < sizeof(part) ? (size_t)(dot - key) : sizeof(part) - 1;

		memcpy(part, key, n);
		part[n] = '\0';
		row = json_object_get(row, part);
		key = dot + 1;
	}
	return row ? json_object_get(row, key) : NULL;
}

/* An RFC 3339 instant as Vietnam's wall clock (UTC+7, no summer time). */
static int xlsx_time(const char *s, lxw_datetime *out)
{
	int64_t t;
	struct vndate d;
	int32_t days;
	int sec;

	if (vntime_parse(s, &t) < 0 || strlen(s) <= 10)
		return -1;
	t += 7 * 3600;
	days = (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
	sec = (int)(t - (int64_t)days * 86400);
	d = vndate_from_days(days);
	*out = (lxw_datetime){ d.year, d.month, d.day, sec / 3600, sec / 60 % 60, sec % 60 };
	return 0;
}

static void xlsx_cell(lxw_worksheet *ws, const struct xlsx_fmt *f, lxw_row_t row, lxw_col_t col,
                      const struct api_xlsx_col *c, json_t *v, double *width)
{
	struct vndate d;
	char shown[32];

	if (json_is_null(v) || v == NULL)
		return;
	switch (c->type) {
	case API_XLSX_INT:
	case API_XLSX_DEC1:
		if (!json_is_number(v))
			break;
		worksheet_write_number(ws, row, col, json_number_value(v),
		                       c->type == API_XLSX_DEC1 ? f->dec1 : NULL);
		snprintf(shown, sizeof(shown), c->type == API_XLSX_DEC1 ? "%.1f" : "%.0f",
		         json_number_value(v));
		*width = xlsx_width(shown) > *width ? xlsx_width(shown) : *width;
		return;
	case API_XLSX_DATE:
		if (json_is_string(v) && vndate_parse(json_string_value(v), &d) == 0) {
			lxw_datetime dt = { d.year, d.month, d.day, 0, 0, 0 };

			worksheet_write_datetime(ws, row, col, &dt, f->date);
			*width = *width < 10 ? 10 : *width;
			return;
		}
		break;
	case API_XLSX_TIME:
		if (json_is_string(v) && vndate_parse(json_string_value(v), &d) == 0) {
			lxw_datetime dt = { d.year, d.month, d.day, 0, 0, 0 };

			worksheet_write_datetime(ws, row, col, &dt, f->date);
			*width = *width < 10 ? 10 : *width;
			return;
		}
		if (json_is_string(v)) {
			lxw_datetime dt;

			if (xlsx_time(json_string_value(v), &dt) == 0) {
				worksheet_write_datetime(ws, row, col, &dt, f->time);
				*width = *width < 16 ? 16 : *width;
				return;
			}
		}
		break;
	case API_XLSX_TEXT:
		break;
	}
	if (json_is_boolean(v)) {
		worksheet_write_string(ws, row, col, json_is_true(v) ? "có" : "không", NULL);
		*width = *width < 5 ? 5 : *width;
		return;
	}
	if (json_is_string(v)) {
		worksheet_write_string(ws, row, col, json_string_value(v), NULL);
		*width = xlsx_width(json_string_value(v)) > *width ? xlsx_width(json_string_value(v))
		                                                   : *width;
	}
}

static int xlsx_write(const char *path, const char *sheet, const struct api_xlsx_col *cols,
                      size_t ncols, json_t *items, const char *note)
{
	lxw_workbook_options o = { .constant_memory = LXW_FALSE, .tmpdir = (char *)xlsx_tmpdir() };
	lxw_workbook *wb = workbook_new_opt(path, &o);
	lxw_worksheet *ws;
	struct xlsx_fmt f;
	double width[32];
	json_t *it;
	size_t i;

	if (wb == NULL || ncols > 32)
		return -1;
	ws = workbook_add_worksheet(wb, sheet);
	f.head = workbook_add_format(wb);
	format_set_bold(f.head);
	f.date = workbook_add_format(wb);
	format_set_num_format(f.date, "dd/mm/yyyy");
	f.dec1 = workbook_add_format(wb);
	format_set_num_format(f.dec1, "#,##0.0");
	f.time = workbook_add_format(wb);
	format_set_num_format(f.time, "dd/mm/yyyy hh:mm");
	f.note = workbook_add_format(wb);
	format_set_italic(f.note);
	for (size_t c = 0; c < ncols; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].title, f.head);
		width[c] = xlsx_width(cols[c].title);
	}
	json_array_foreach(items, i, it)
		for (size_t c = 0; c < ncols; c++)
			xlsx_cell(ws, &f, (lxw_row_t)(i + 1), (lxw_col_t)c, &cols[c],
			          api_xlsx_get(it, cols[c].key), &width[c]);
	if (note)       /* wider than a column: it runs over the empty cells */
		worksheet_write_string(ws, (lxw_row_t)(json_array_size(items) + 2), 0, note, f.note);
	for (size_t c = 0; c < ncols; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
		                     width[c] + 2 > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : width[c] + 2, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

static char *xlsx_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;

	if (fp && (buf = malloc(XLSX_MAX + 1)) != NULL &&
	    (*len = fread(buf, 1, XLSX_MAX + 1, fp)) > XLSX_MAX) {
		free(buf);
		buf = NULL;
	}
	if (fp)
		fclose(fp);
	return buf;
}

int api_reply_xlsx(struct api_ctx *r, const char *sheet, const char *filename,
                   const struct api_xlsx_col *cols, size_t ncols, json_t *items)
{
	return api_reply_xlsx_note(r, sheet, filename, cols, ncols, items, NULL);
}

int api_reply_xlsx_note(struct api_ctx *r, const char *sheet, const char *filename,
                        const struct api_xlsx_col *cols, size_t ncols, json_t *items,
                        const char *note)
{
	char path[512], disp[200];
	char *body = NULL;
	size_t len = 0;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/thc-xlsx-XXXXXX", xlsx_tmpdir());
	if ((fd = mkstemp(path)) < 0) {
		json_decref(items);
		return error_set(&r->err, THC_EIO, "không tạo được tệp tạm", "cannot create a temporary file");
	}
	close(fd);
	/* A file of a public list is never kept with the list's answers (the
	 * cache would replay it without its attachment header). */
	r->http->keep_reply = 0;
	r->http->cache_public = 0;
	rc = xlsx_write(path, sheet, cols, ncols, items, note);
	json_decref(items);
	if (rc == 0)
		body = xlsx_slurp(path, &len);
	unlink(path);
	if (body == NULL)
		return error_set(&r->err, THC_EIO, "không viết được tệp Excel", "cannot write the Excel file");
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
	if ((rc = http_add_header(r->http, "Content-Disposition", disp)) < 0 ||
	    (rc = http_add_header(r->http, "Cache-Control", "private, no-store")) < 0) {
		free(body);
		return error_set(&r->err, rc, "hết bộ nhớ", "out of memory");
	}
	return http_reply_bytes(r->http, 200,
	                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	                        body, len);
}
