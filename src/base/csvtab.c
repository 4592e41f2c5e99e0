#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/csvtab.h"
#include "banned.h"

static int csvtab_header(struct csvtab *t, const struct csv_record *rec,
                         const char *const *known, const char *const *required,
                         struct error *err)
{
	if (rec->nfields > CSVTAB_COLS_MAX)
		return error_set(err, THC_EUNPROCESSABLE, "dòng %ld: quá nhiều cột (%zu)",
		                 "line %ld: too many columns (%zu)", rec->line, rec->nfields);
	for (size_t i = 0; i < rec->nfields; i++) {
		size_t k;

		for (k = 0; known[k] && strcmp(known[k], rec->fields[i]) != 0; k++)
			;
		if (known[k] == NULL)
			return error_set(err, THC_EUNPROCESSABLE,
			                 "dòng %ld: cột '%.40s' không được biết",
			                 "line %ld: unknown column '%.40s'", rec->line, rec->fields[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(t->cols[j], known[k]) == 0)
				return error_set(err, THC_EUNPROCESSABLE, "dòng %ld: cột '%s' lặp lại",
				                 "line %ld: column '%s' appears twice", rec->line, known[k]);
		t->cols[t->ncols++] = known[k];
	}
	for (size_t k = 0; required[k]; k++)
		if (csvtab_get(t, 0, required[k]) == NULL)
			return error_set(err, THC_EUNPROCESSABLE, "dòng %ld: thiếu cột '%s'",
			                 "line %ld: column '%s' is missing", rec->line, required[k]);
	return 0;
}

static int csvtab_add(struct csvtab *t, const struct csv_record *rec, struct error *err)
{
	char **row;

	if (rec->nfields != t->ncols)
		return error_set(err, THC_EUNPROCESSABLE, "dòng %ld: có %zu cột, cần %zu",
		                 "line %ld: has %zu columns, expected %zu", rec->line,
		                 rec->nfields, t->ncols);
	if (t->n == t->max_rows)
		return error_set(err, THC_ETOOBIG, "dòng %ld: quá %zu dòng dữ liệu",
		                 "line %ld: more than %zu data rows", rec->line, t->max_rows);
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		char ***rows = realloc(t->rows, cap * sizeof(*rows));
		long *lines;

		if (rows == NULL)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		t->rows = rows;
		if ((lines = realloc(t->lines, cap * sizeof(*lines))) == NULL)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		t->lines = lines;
		t->cap = cap;
	}
	row = arena_alloc(&t->arena, t->ncols * sizeof(*row));
	for (size_t j = 0; row && j < t->ncols; j++)
		if ((row[j] = arena_strndup(&t->arena, rec->fields[j], rec->lens[j])) == NULL)
			row = NULL;
	if (row == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	t->rows[t->n] = row;
	t->lines[t->n++] = rec->line;
	return 0;
}

static int csvtab_read(struct csvtab *t, struct csv_reader *r, const char *const *known,
                       const char *const *required, struct error *err)
{
	struct csv_record rec;
	int rc;

	if ((rc = csv_next(r, &rec, err)) <= 0)
		return rc < 0 ? rc : error_set(err, THC_EUNPROCESSABLE,
		                               "dữ liệu rỗng, cần dòng tiêu đề",
		                               "the data is empty; a header line is expected");
	if ((rc = csvtab_header(t, &rec, known, required, err)) < 0)
		return rc;
	while ((rc = csv_next(r, &rec, err)) == 1) {
		if (rec.nfields == 1 && rec.lens[0] == 0)
			continue;      /* a blank line */
		if ((rc = csvtab_add(t, &rec, err)) < 0)
			return rc;
	}
	return rc < 0 ? rc : 0;
}

static void csvtab_init(struct csvtab *t, size_t max_rows)
{
	memset(t, 0, sizeof(*t));
	t->arena = (struct arena)ARENA_INIT(0);
	t->max_rows = max_rows;
}

int csvtab_read_file(struct csvtab *t, FILE *f, const char *const *known,
                     const char *const *required, size_t max_rows,
                     struct error *err)
{
	struct csv_limits lim = CSV_LIMITS_DEFAULT;
	struct csv_reader *r = NULL;
	int rc;

	csvtab_init(t, max_rows);
	if ((rc = csv_open_file(&r, f, &lim, err)) < 0)
		return rc;
	rc = csvtab_read(t, r, known, required, err);
	csv_free(r);
	return rc;
}

int csvtab_read_mem(struct csvtab *t, const char *data, size_t len,
                    const char *const *known, const char *const *required,
                    size_t max_rows, struct error *err)
{
	struct csv_limits lim = CSV_LIMITS_DEFAULT;
	struct csv_reader *r = NULL;
	int rc;

	csvtab_init(t, max_rows);
	if ((rc = csv_open_mem(&r, data, len, &lim, err)) < 0)
		return rc;
	rc = csvtab_read(t, r, known, required, err);
	csv_free(r);
	return rc;
}

const char *csvtab_get(const struct csvtab *t, size_t row, const char *col)
{
	for (size_t j = 0; j < t->ncols; j++)
		if (strcmp(t->cols[j], col) == 0)
			return row < t->n ? t->rows[row][j] : "";
	return NULL;
}

void csvtab_release(struct csvtab *t)
{
	free(t->rows);
	free(t->lines);
	arena_release(&t->arena);
	memset(t, 0, sizeof(*t));
}
