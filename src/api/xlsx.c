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
	lxw_format *head, *date, *dec1;
};

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
	case API_XLSX_TEXT:
		break;
	}
	if (json_is_string(v)) {
		worksheet_write_string(ws, row, col, json_string_value(v), NULL);
		*width = xlsx_width(json_string_value(v)) > *width ? xlsx_width(json_string_value(v))
		                                                   : *width;
	}
}

static int xlsx_write(const char *path, const char *sheet, const struct api_xlsx_col *cols,
                      size_t ncols, json_t *items)
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
	for (size_t c = 0; c < ncols; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].title, f.head);
		width[c] = xlsx_width(cols[c].title);
	}
	json_array_foreach(items, i, it)
		for (size_t c = 0; c < ncols; c++)
			xlsx_cell(ws, &f, (lxw_row_t)(i + 1), (lxw_col_t)c, &cols[c],
			          json_object_get(it, cols[c].key), &width[c]);
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
	rc = xlsx_write(path, sheet, cols, ncols, items);
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
