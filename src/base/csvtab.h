/*
 * A whole CSV file with a header row read into memory, columns looked up by
 * name.  Unknown or repeated columns, missing required ones, rows with the
 * wrong number of fields: errors naming the line.  Blank lines are skipped.
 */
#ifndef THC_CSVTAB_H
#define THC_CSVTAB_H

#include <stddef.h>
#include <stdio.h>
#include "base/arena.h"
#include "base/error.h"

#define CSVTAB_COLS_MAX 32

struct csvtab {
	struct arena arena;
	const char *cols[CSVTAB_COLS_MAX];   /* the header, as names from `known` */
	size_t ncols;
	char ***rows;                        /* rows[i][j]: value of column j */
	long *lines;                         /* input line of each row */
	size_t n, cap;
	size_t max_rows;
};

/* known and required are NULL-terminated lists of column names. */
int csvtab_read_file(struct csvtab *t, FILE *f, const char *const *known,
                     const char *const *required, size_t max_rows,
                     struct error *err);
int csvtab_read_mem(struct csvtab *t, const char *data, size_t len,
                    const char *const *known, const char *const *required,
                    size_t max_rows, struct error *err);
/* Value of a column in a row; NULL when the file has no such column. */
const char *csvtab_get(const struct csvtab *t, size_t row, const char *col);
void csvtab_release(struct csvtab *t);

#endif
