/*
 * thichung import units|population --db PATH FILE.csv
 * All or nothing: one bad line imports nothing and is named.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/csv.h"
#include "base/parse.h"
#include "cli/cli.h"
#include "base/banned.h"

#define IMPORT_ROWS_MAX 200000
#define IMPORT_COLS_MAX 16

struct csv_table {
	struct arena arena;
	const char *cols[IMPORT_COLS_MAX];
	size_t ncols;
	char ***rows;          /* rows[i][j]: value of column j */
	long *lines;
	size_t n, cap;
};

/* Reads a whole CSV with a header; columns must be among `known`, and the
 * `required` ones present.  Values are in t->arena. */
static int csv_table_read(const char *path, const char *const *known,
                          const char *const *required, struct csv_table *t,
                          struct error *err)
{
	struct csv_limits lim = CSV_LIMITS_DEFAULT;
	struct csv_reader *r = NULL;
	struct csv_record rec;
	FILE *f = fopen(path, "rb");
	int rc;

	memset(t, 0, sizeof(*t));
	t->arena = (struct arena)ARENA_INIT(0);
	if (f == NULL)
		return error_set(err, THC_EUSAGE, "không mở được tệp '%s'", "cannot open file '%s'", path);
	if ((rc = csv_open_file(&r, f, &lim, err)) < 0)
		goto out;
	if ((rc = csv_next(r, &rec, err)) <= 0) {
		if (rc == 0)
			rc = error_set(err, THC_EUNPROCESSABLE, "tệp '%s' rỗng, cần dòng tiêu đề",
			               "file '%s' is empty; a header line is expected", path);
		goto out;
	}
	if (rec.nfields > IMPORT_COLS_MAX) {
		rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: quá nhiều cột (%zu)",
		               "line 1: too many columns (%zu)", rec.nfields);
		goto out;
	}
	for (size_t i = 0; i < rec.nfields; i++) {
		size_t k;
		for (k = 0; known[k] && strcmp(known[k], rec.fields[i]) != 0; k++)
			;
		if (known[k] == NULL) {
			rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: cột '%.40s' không được biết",
			               "line 1: unknown column '%.40s'", rec.fields[i]);
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(t->cols[j], known[k]) == 0) {
				rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: cột '%s' lặp lại",
				               "line 1: column '%s' appears twice", known[k]);
				goto out;
			}
		t->cols[t->ncols++] = known[k];
	}
	for (size_t k = 0; required[k]; k++) {
		size_t j;
		for (j = 0; j < t->ncols && strcmp(t->cols[j], required[k]) != 0; j++)
			;
		if (j == t->ncols) {
			rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: thiếu cột '%s'",
			               "line 1: column '%s' is missing", required[k]);
			goto out;
		}
	}
	while ((rc = csv_next(r, &rec, err)) == 1) {
		char **row;

		if (rec.nfields == 1 && rec.lens[0] == 0)
			continue;      /* a blank line */
		if (rec.nfields != t->ncols) {
			rc = error_set(err, THC_EUNPROCESSABLE, "dòng %ld: có %zu cột, cần %zu",
			               "line %ld: has %zu columns, expected %zu", rec.line,
			               rec.nfields, t->ncols);
			goto out;
		}
		if (t->n == IMPORT_ROWS_MAX) {
			rc = error_set(err, THC_ETOOBIG, "dòng %ld: quá %d dòng",
			               "line %ld: more than %d rows", rec.line, IMPORT_ROWS_MAX);
			goto out;
		}
		if (t->n == t->cap) {
			size_t cap = t->cap ? 2 * t->cap : 1024;
			char ***rows = realloc(t->rows, cap * sizeof(*rows));
			long *lines = rows ? realloc(t->lines, cap * sizeof(*lines)) : NULL;
			if (rows)
				t->rows = rows;
			if (lines == NULL) {
				rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
				goto out;
			}
			t->lines = lines;
			t->cap = cap;
		}
		row = arena_alloc(&t->arena, t->ncols * sizeof(*row));
		for (size_t j = 0; row && j < t->ncols; j++)
			row[j] = arena_strndup(&t->arena, rec.fields[j], rec.lens[j]);
		if (row == NULL) {
			rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
			goto out;
		}
		t->rows[t->n] = row;
		t->lines[t->n++] = rec.line;
	}
out:
	csv_free(r);
	fclose(f);
	return rc < 0 ? rc : 0;
}

static void csv_table_free(struct csv_table *t)
{
	free(t->rows);
	free(t->lines);
	arena_release(&t->arena);
}

static const char *col(const struct csv_table *t, size_t row, const char *name)
{
	for (size_t j = 0; j < t->ncols; j++)
		if (strcmp(t->cols[j], name) == 0)
			return t->rows[row][j];
	return NULL;
}

int cli_import_units_file(struct store *st, const char *path, size_t *ins,
                          size_t *upd, struct error *err)
{
	static const char *const known[] = { "code", "name", "level", "parent_code", "type", NULL };
	static const char *const required[] = { "code", "name", "level", "parent_code", NULL };
	struct store_actor actor = cli_actor();
	struct csv_table t;
	struct unit_row *rows = NULL;
	int rc;

	if ((rc = csv_table_read(path, known, required, &t, err)) < 0)
		goto out;
	rows = calloc(t.n ? t.n : 1, sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		rows[i].code = col(&t, i, "code");
		rows[i].name = col(&t, i, "name");
		rows[i].level = col(&t, i, "level");
		rows[i].parent_code = col(&t, i, "parent_code");
		rows[i].type = col(&t, i, "type");
		rows[i].line = t.lines[i];
	}
	rc = store_units_import(st, &actor, rows, t.n, ins, upd, err);
out:
	free(rows);
	csv_table_free(&t);
	return rc;
}

int cli_import_population_file(struct store *st, const char *path, size_t *n,
                               struct error *err)
{
	static const char *const known[] = { "code", "population", "year", "basis", NULL };
	static const char *const required[] = { "code", "population", NULL };
	struct store_actor actor = cli_actor();
	struct csv_table t;
	struct unit_population_row *rows = NULL;
	int rc;

	if ((rc = csv_table_read(path, known, required, &t, err)) < 0)
		goto out;
	rows = calloc(t.n ? t.n : 1, sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		rows[i].code = col(&t, i, "code");
		rows[i].line = t.lines[i];
		if (parse_int64(col(&t, i, "population"), 0, 2000000000, &rows[i].population) < 0) {
			rc = error_set(err, THC_EUNPROCESSABLE,
			               "dòng %ld: cột 'population': '%.20s' phải là số nguyên không âm",
			               "line %ld: column 'population': '%.20s' must be a whole number >= 0",
			               t.lines[i], col(&t, i, "population"));
			goto out;
		}
	}
	rc = store_units_set_population(st, &actor, rows, t.n, err);
	if (rc == 0 && n)
		*n = t.n;
out:
	free(rows);
	csv_table_free(&t);
	return rc;
}

static void import_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage:\n"
	        "  thichung import units --db PATH FILE.csv\n"
	        "      đơn vị hành chính (code,name,level,parent_code[,type]) / administrative units\n"
	        "  thichung import population --db PATH FILE.csv\n"
	        "      dân số (code,population[,year,basis]) / population\n"
	        "Tất cả hoặc không: một dòng lỗi thì không nhập gì / all or nothing.\n");
}

int cli_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct error err = ERROR_INIT;
	struct store *st = NULL;
	const char *db = NULL, *what;
	size_t a = 0, b = 0;
	int c, rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		import_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	what = argv[1];
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (c == 'd') {
			db = optarg;
		} else if (c == 'h') {
			import_usage(stdout);
			return CLI_OK;
		} else {
			import_usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc - 2 || db == NULL ||
	    (strcmp(what, "units") != 0 && strcmp(what, "population") != 0)) {
		import_usage(stderr);
		return CLI_USAGE;
	}
	if ((rc = cli_store_open(db, &st, &err)) < 0)
		return cli_fail(&err);
	if (strcmp(what, "units") == 0) {
		rc = cli_import_units_file(st, argv[optind + 1], &a, &b, &err);
		if (rc == 0)
			printf("Đã nhập / imported: %zu mới / new, %zu cập nhật / updated\n", a, b);
	} else {
		rc = cli_import_population_file(st, argv[optind + 1], &a, &err);
		if (rc == 0)
			printf("Đã cập nhật dân số / population set: %zu đơn vị / units\n", a);
	}
	store_close(st);
	return rc < 0 ? cli_fail(&err) : CLI_OK;
}
