/*
 * CSV request bodies read through field tables (csvbody.c).
 */
#ifndef THC_API_CSVBODY_H
#define THC_API_CSVBODY_H

#include <stddef.h>
#include "api/field.h"
#include "base/csvtab.h"

struct api_ctx;

/* What a CSV import reads: the records' field sets, their size and where
 * each keeps its input line (a `long`). */
struct api_csv {
	const struct field_set *const *sets;
	size_t nsets;
	size_t row_size, line_at;
	size_t max_rows;
};

/* The body (text/csv: the route says so) as t->n records in the request's arena (*rows); their strings
 * live in t, which the caller releases (also on error). */
int api_csv_rows(struct api_ctx *r, const struct api_csv *spec, struct csvtab *t, void **rows);

/* A file is refused whole, but with every bad line (its first bad cell),
 * so that a person mends it once, not once per line: the import keeps
 * reading after a bad line and reports each with api_csv_bad_line (1: go
 * on, 0: enough lines reported, < 0: e was not about the file's content
 * and is now r->err), then api_csv_refused (the first bad line as r->err
 * and its code; 0 when every line was good).  The lines go with the error
 * as error.errors. */
#define CSV_ERRORS_MAX 100
int api_csv_bad_line(struct api_ctx *r, long line, const struct error *e);
int api_csv_refused(struct api_ctx *r);

#endif
