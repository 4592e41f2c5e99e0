/*
 * Inside `thichung assess` (src/cli/assess*.c): the rows read, the units
 * they name (from units.csv, found by code) and the writing of the results.
 */
#ifndef THC_CLI_ASSESS_H
#define THC_CLI_ASSESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "base/error.h"
#include "domain/level.h"

#define ASSESS_UNITS_MAX 50000
#define ASSESS_CODE_MAX 8              /* province, district and commune codes */
#define ASSESS_NO_WEEK INT32_MIN
/* Output: the caller's buffer before each write(), and the memory a chunk
 * made by the second thread starts with (it goes out in one write()).
 * Small, since every page touched for the first time costs a fault. */
#define ASSESS_OUT_BUF (128 << 10)
#define ASSESS_CHUNK_ROWS 1024
#define ASSESS_CHUNK_BUF (512 << 10)
#define ASSESS_ROWS_MAX 1000000        /* a national year is ~590,000 */

/* Input columns besides the level_input fields. */
enum { ASSESS_COL_UNIT = LEVEL_F_COUNT, ASSESS_COL_WEEK_END, ASSESS_COL_COUNT };

struct assess_unit {
	char code[ASSESS_CODE_MAX];
	int level;                     /* enum unit_level */
	int parent;                    /* index, -1 for none */
	int province;                  /* index of its province, -1 if none */
};

struct assess_units {
	struct assess_unit *v;
	size_t n;
	struct level_tree *tree;       /* the same units as a hierarchy */
	int *index;                    /* hash of the codes: unit + 1, 0 empty */
	size_t index_mask;
};

struct assess_row {
	struct level_input in;
	const struct level_rules *rules;
	int32_t line;                  /* the input is at most 1 GiB */
	uint32_t week;                 /* index in weeks */
	int32_t week_end;              /* ASSESS_NO_WEEK when not given */
	int unit;                      /* index in units */
};

/* One week's inputs by unit (the tree's nodes), and its levels. */
struct assess_week {
	int32_t week_end;
	int *levels;                   /* by unit */
};

struct assess_ctx {
	struct assess_units units;
	struct assess_row *rows;
	size_t n, cap;
	struct assess_week *weeks;     /* the distinct weeks, ascending */
	size_t nweeks;
	int english;
	char *input;                   /* the whole input */
	size_t input_len;
	int input_mapped;              /* input is a file mapped, not malloc'd */
};

/* Reads in the input: a->input, a->rows (a->n), every row checked; the
 * first bad one is an error naming its line and column (assess_read.c). */
int assess_read(struct assess_ctx *a, FILE *in, const struct level_catalog *cat,
                const struct level_rules *fixed, struct error *err);
void assess_input_free(struct assess_ctx *a);
/* "line N: column NAME: " before err's message; returns its code. */
int assess_cell_error(struct error *err, long line, int col);
/* A figure in a common shape (plain digits, one '.') set in *in: 1; 0
 * leaves the field to level_input_parse().  col is an enum level_field. */
int assess_fast_field(struct level_input *in, int col, const char *s, size_t len);
/* The line ends in [p, p + n) (LF, CRLF, a lone CR), as csv_next counts. */
size_t assess_count_lines(const char *p, size_t n);

/* The work areas of assessing and writing. */
struct assess_scratch {
	const struct level_rules **rules;      /* by unit, NULL but while used */
	const struct level_input **in;
	int *scratch;                          /* level_tree_max_children() + 1 */
	struct level_result *res;
	struct level_text_cache *cache;
};

/* The work areas of assessing and writing, for a->units; THC_ENOMEM. */
int assess_scratch_new(struct assess_scratch *w, const struct assess_ctx *a);
void assess_scratch_free(struct assess_scratch *w);
/* The header and a line per row, in row order; THC_EIO. */
struct outbuf;
int assess_write(const struct assess_ctx *a, struct outbuf *o, struct assess_scratch *w);

/* The provinces, districts and communes of units.csv, with parents. */
int assess_units_load(const char *path, struct assess_units *u, struct error *err);
void assess_units_free(struct assess_units *u);
/* The index of the unit with this code, or -1. */
int assess_unit_find(const struct assess_units *u, const char *code);
enum level_scope assess_scope(int unit_level);

#endif
