/*
 * CSV request bodies (the dispatcher checked the Content-Type): the table with the columns of the
 * field sets, and each row read into a record by field_read_csv.  All or
 * nothing: the first bad cell is the error (line and column named).
 */
#include <string.h>

#include "api/api.h"
#include "api/csvbody.h"
#include "base/banned.h"

#define CSV_COLUMNS_MAX 48

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

		memcpy(rec + spec->line_at, &t->lines[i], sizeof(long));
		for (size_t s = 0; s < spec->nsets; s++)
			if ((rc = field_read_csv(spec->sets[s], t, i, api_today(r), rec, &r->err)) < 0)
				return rc;
	}
	*rows = v;
	return 0;
}
