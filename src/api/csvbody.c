/*
 * CSV request bodies (the dispatcher checked the Content-Type): the table with the columns of the
 * field sets, and each row read into a record by field_read_csv.  All or
 * nothing: the first bad cell is the error (line and column named), and
 * the first bad cell of each other bad line (up to CSV_ERRORS_MAX) goes
 * with it, so that a person mends the file once, not once per line.
 */
#include <string.h>

#include "api/api.h"
#include "api/csvbody.h"
#include "base/banned.h"

#define CSV_COLUMNS_MAX 48

int api_csv_bad_line(struct api_ctx *r, long line, const struct error *e)
{
	struct http_req *h = r->http;

	if (e->code != THC_EINVAL && e->code != THC_EUNPROCESSABLE) {
		r->err = *e;                    /* not the file's fault: stop there */
		return e->code;
	}
	if (h->error_items == NULL &&
	    (h->error_items = arena_alloc(r->arena, CSV_ERRORS_MAX * sizeof(*h->error_items))) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	h->error_items[h->n_error_items].line = line;
	h->error_items[h->n_error_items++].err = *e;
	return h->n_error_items < CSV_ERRORS_MAX;
}

int api_csv_refused(struct api_ctx *r)
{
	if (r->http->n_error_items == 0)
		return 0;
	r->err = r->http->error_items[0].err;   /* the first bad line is the error */
	return r->err.code;
}

int api_csv_rows(struct api_ctx *r, const struct api_csv *spec, struct csvtab *t, void **rows)
{
	const char *known[CSV_COLUMNS_MAX], *required[CSV_COLUMNS_MAX];
	char *v;
	int rc;

	*rows = NULL;
	memset(t, 0, sizeof(*t));
	if (field_columns(spec->sets, spec->nsets, known, required, CSV_COLUMNS_MAX) < 0)
		return error_set(&r->err, THC_EINTERNAL, "quá nhiều cột", "too many columns");
	if ((rc = csvtab_read_mem(t, r->http->body.buf, r->http->body.len, known, required,
	                          spec->max_rows, &r->err)) < 0)
		return rc;
	if ((v = arena_alloc(r->arena, (t->n ? t->n : 1) * spec->row_size)) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < t->n; i++) {
		char *rec = v + i * spec->row_size;
		struct error e = ERROR_INIT;

		memcpy(rec + spec->line_at, &t->lines[i], sizeof(long));
		rc = 0;
		for (size_t s = 0; s < spec->nsets && rc == 0; s++)
			rc = field_read_csv(spec->sets[s], t, i, api_today(r), rec, &e);
		if (rc < 0 && (rc = api_csv_bad_line(r, t->lines[i], &e)) <= 0)
			break;
	}
	if (rc < 0 || (rc = api_csv_refused(r)) < 0)
		return rc;
	*rows = v;
	return 0;
}
