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

#endif
