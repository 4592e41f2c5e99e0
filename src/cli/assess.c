/*
 * thichung assess [--rules ID] [--lang vi|en] [--rules-dir DIR] [FILE]
 *
 * Epidemic levels for the rows of a CSV (FILE or standard input), written
 * as CSV to standard output.  Every row is read and checked before anything
 * is written: one bad value writes nothing and names its line and column.
 * The rule set is --rules ID, or the one in force for the unit's province
 * on the row's week_end.  Units come from <data dir>/units.csv (their level
 * and their province: GSO district and commune codes do not contain the
 * province's code).  A district or province whose rule set assesses it from
 * its children's levels takes them from the rows of the same week.
 */
#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "base/csv.h"
#include "base/outbuf.h"
#include "base/text.h"
#include "base/vntime.h"
#include "cli/assess.h"
#include "cli/cli.h"
#include "domain/level.h"
#include "domain/unit.h"
#include "base/banned.h"

#define ASSESS_WEEKS_FEW 256           /* distinct weeks found without sorting every row */

static void assess_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage:\n"
	        "  thichung assess [--rules ID] [--lang vi|en] [--rules-dir DIR] [FILE]\n"
	        "Tính cấp độ dịch cho từng dòng CSV (FILE hoặc đầu vào chuẩn) /\n"
	        "assesses the epidemic level of each CSV row (FILE or standard input).\n"
	        "Cột / columns: unit_code, population (bắt buộc / required), week_end (YYYY-MM-DD),\n"
	        "  cases_week, cases_prev_week, vax1_18plus_pct, vaxfull_elderly_pct,\n"
	        "  capacity_met (1|0), capacity (high|medium|low), previous_level (1-4),\n"
	        "  oxygen_cases_week, deaths_week, vaxfull_pct, vaxfull_highrisk_pct\n"
	        "Bộ quy tắc / rule set: --rules ID, hoặc theo week_end và tỉnh / or by week_end\n"
	        "  and province, from --rules-dir (default <data dir>/rules).\n"
	        "Kết quả / output: unit_code,level,cases_per_100k,rule_set,explanation\n");
}

/* ---- rule files --------------------------------------------------------- */

static int assess_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a whole file of at most `max` bytes into a malloc'd buffer. */
static int assess_read_file(const char *path, size_t max, char **out, size_t *len,
                            struct error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;
	int rc = 0;

	*out = NULL;
	if (f == NULL)
		return error_set(err, THC_EIO, "không mở được tệp '%s'", "cannot open file '%s'", path);
	if ((buf = malloc(max + 1)) == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		rc = error_set(err, THC_EIO, "lỗi đọc tệp '%s'", "cannot read file '%s'", path);
		goto out;
	}
	if (n > max) {
		rc = error_set(err, THC_ETOOBIG, "tệp '%s' quá lớn (tối đa %zu byte)",
		               "file '%s' is too large (at most %zu bytes)", path, max);
		goto out;
	}
	*out = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return rc;
}

/* Loads every *.json of dir, in name order. */
int cli_level_rules_load(const char *dir, struct level_catalog **cat, struct error *err)
{
	struct level_source src[LEVEL_CATALOG_MAX];
	char *names[LEVEL_CATALOG_MAX];
	size_t n = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	memset(src, 0, sizeof(src));
	if (d == NULL)
		return error_set(err, THC_EIO, "không mở được thư mục quy tắc '%s'",
		                 "cannot open the rules directory '%s'", dir);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (n == LEVEL_CATALOG_MAX) {
			rc = error_set(err, THC_ETOOBIG, "thư mục '%s' có quá %d tệp quy tắc",
			               "directory '%s' holds more than %d rule files", dir,
			               LEVEL_CATALOG_MAX);
			goto out;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
			goto out;
		}
		n++;
	}
	if (n == 0) {
		rc = error_set(err, THC_ENOTFOUND, "thư mục '%s' không có tệp quy tắc *.json",
		               "directory '%s' holds no *.json rule file", dir);
		goto out;
	}
	qsort(names, n, sizeof(names[0]), assess_name_cmp);
	for (i = 0; i < n; i++) {
		char path[4096];
		char *buf;

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path)) {
			rc = error_set(err, THC_EUSAGE, "đường dẫn quá dài: '%.80s...'",
			               "path too long: '%.80s...'", dir);
			goto out;
		}
		if ((rc = assess_read_file(path, LEVEL_RULES_MAX_BYTES, &buf, &src[i].len, err)) < 0)
			goto out;
		src[i].json = buf;
		src[i].name = names[i];
	}
	rc = level_catalog_load(cat, src, n, err);
out:
	for (i = 0; i < n; i++) {
		free((char *)src[i].json);
		free(names[i]);
	}
	closedir(d);
	return rc;
}

/* ---- assessing ---------------------------------------------------------- */

static int assess_week_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

/* The distinct weeks of the rows, and each row's week. */
static int assess_weeks(struct assess_ctx *a, struct error *err)
{
	size_t nu = a->units.n ? a->units.n : 1;
	int32_t *w = malloc((a->n ? a->n : 1) * sizeof(*w));
	size_t k = 0, m = 0, last = 0;

	if (w == NULL)
		goto nomem;
	/* The distinct weeks, found by a look at the few already seen (rows
	 * come week by week); past ASSESS_WEEKS_FEW, every row is sorted. */
	for (size_t i = 0; i < a->n && k <= ASSESS_WEEKS_FEW; i++) {
		size_t j = k;

		while (j > 0 && w[j - 1] != a->rows[i].week_end)
			j--;
		if (j == 0)
			w[k++] = a->rows[i].week_end;
	}
	if (k > ASSESS_WEEKS_FEW) {
		for (size_t i = 0; i < a->n; i++)
			w[i] = a->rows[i].week_end;
		k = a->n;
	}
	qsort(w, k, sizeof(*w), assess_week_cmp);
	for (size_t i = 0; i < k; i++)
		if (i == 0 || w[i] != w[m - 1])
			w[m++] = w[i];
	k = m;
	if ((a->weeks = calloc(k ? k : 1, sizeof(*a->weeks))) == NULL)
		goto nomem;
	a->nweeks = k;
	for (size_t j = 0; j < k; j++) {
		a->weeks[j].week_end = w[j];
		if ((a->weeks[j].levels = malloc(nu * sizeof(int))) == NULL)
			goto nomem;
	}
	for (size_t i = 0; i < a->n; i++) {
		const int32_t *hit;

		if (k > 0 && w[last] == a->rows[i].week_end) {   /* mostly the row before's */
			a->rows[i].week = (uint32_t)last;
			continue;
		}
		hit = bsearch(&a->rows[i].week_end, w, k, sizeof(*w), assess_week_cmp);
		last = (size_t)(hit - w);
		a->rows[i].week = (uint32_t)last;
	}
	free(w);
	return 0;
nomem:
	free(w);
	return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

/* The i-th row by week: order NULL when the input came week by week. */
static inline uint32_t assess_at(const uint32_t *order, size_t i)
{
	return order != NULL ? order[i] : (uint32_t)i;
}

/* A unit given twice for one week is an error naming the second line: the
 * first such row of the input (order: the rows grouped by week, each
 * week's in input order). */
static int assess_dups(const struct assess_ctx *a, const uint32_t *order, struct error *err)
{
	size_t nu = a->units.n ? a->units.n : 1, i = 0, bad = SIZE_MAX, first = 0;
	uint32_t *stamp = calloc(nu, sizeof(*stamp)), *at = malloc(nu * sizeof(*at));

	if (stamp == NULL || at == NULL) {
		free(stamp);
		free(at);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	for (uint32_t j = 0; j < a->nweeks; j++)
		for (; i < a->n && a->rows[assess_at(order, i)].week == j; i++) {
			uint32_t r = assess_at(order, i);
			int u = a->rows[r].unit;

			if (stamp[u] != j + 1) {
				stamp[u] = j + 1;
				at[u] = r;
			} else if (r < bad) {
				bad = r;
				first = at[u];
			}
		}
	free(stamp);
	free(at);
	if (bad == SIZE_MAX)
		return 0;
	error_set(err, THC_EUNPROCESSABLE, "'%s' lặp lại cho cùng tuần (dòng %ld)",
	          "'%s' appears twice for the same week (line %ld)",
	          a->units.v[a->rows[bad].unit].code, (long)a->rows[first].line);
	return assess_cell_error(err, a->rows[bad].line, ASSESS_COL_UNIT);
}

/* Per week, the tree of units with the rows of that week as its inputs:
 * every level, aggregates from all the units below (those without a row
 * count as unknown). */
static int assess_run(struct assess_ctx *a, const struct level_rules **rules,
                      const struct level_input **in, int *scratch, struct level_result *res,
                      struct error *err)
{
	uint32_t *order = NULL;
	size_t *start, i = 0, sorted = 1;
	int rc;

	if ((rc = assess_weeks(a, err)) < 0)
		return rc;
	for (size_t r = 1; r < a->n && sorted; r++)
		sorted = a->rows[r - 1].week <= a->rows[r].week;
	if (!sorted) {
		/* Rows grouped by week: a counting sort on the week. */
		order = malloc(a->n * sizeof(*order));
		start = calloc(a->nweeks + 1, sizeof(*start));
		if (order == NULL || start == NULL) {
			free(order);
			free(start);
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		}
		for (size_t r = 0; r < a->n; r++)
			start[a->rows[r].week + 1]++;
		for (size_t j = 0; j < a->nweeks; j++)
			start[j + 1] += start[j];
		for (size_t r = 0; r < a->n; r++)
			order[start[a->rows[r].week]++] = (uint32_t)r;
		free(start);
	}
	if ((rc = assess_dups(a, order, err)) < 0) {
		free(order);
		return rc;
	}
	for (size_t j = 0; j < a->nweeks; j++) {
		size_t from = i;
		int aggregates = 0;

		for (; i < a->n && a->rows[assess_at(order, i)].week == j; i++) {
			const struct assess_row *row = &a->rows[assess_at(order, i)];

			rules[row->unit] = row->rules;
			in[row->unit] = &row->in;
			aggregates |= level_rules_scope_method(row->rules,
			                      assess_scope(a->units.v[row->unit].level)) != LEVEL_OWN_TOTALS;
		}
		/* Only an aggregate reads the levels of the week's other units:
		 * a week of units on their own totals is assessed as written. */
		if (aggregates)
			level_tree_assess(a->units.tree, rules, in, a->weeks[j].levels, scratch, res);
		for (size_t k = from; k < i; k++) {
			const struct assess_row *row = &a->rows[assess_at(order, k)];

			rules[row->unit] = NULL;
			in[row->unit] = NULL;
		}
	}
	free(order);
	return 0;
}

int cli_assess(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "rules-dir", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct assess_ctx a;
	struct error err = ERROR_INIT;
	struct level_catalog *cat = NULL;
	const struct level_rules *fixed = NULL;
	struct assess_scratch w;
	struct outbuf out = { .fd = -1 };
	const char *rules_id = NULL, *rules_dir = NULL, *lang = "vi", *path = NULL;
	char dirbuf[4096], unitsbuf[4096];
	FILE *in = NULL;
	int c, rc;

	(void)env;
	memset(&a, 0, sizeof(a));
	memset(&w, 0, sizeof(w));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rules_id = optarg; break;
		case 'd': rules_dir = optarg; break;
		case 'l': lang = optarg; break;
		case 'h': assess_usage(stdout); return CLI_OK;
		default: assess_usage(stderr); return CLI_USAGE;
		}
	}
	if (optind < argc - 1 || (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0)) {
		assess_usage(stderr);
		return CLI_USAGE;
	}
	if (optind == argc - 1 && strcmp(argv[optind], "-") != 0)
		path = argv[optind];
	a.english = strcmp(lang, "en") == 0;
	if ((rc = cli_data_path(cli_data_dir(), "rules", dirbuf, sizeof(dirbuf), &err)) < 0 ||
	    (rc = cli_data_path(cli_data_dir(), "units.csv", unitsbuf, sizeof(unitsbuf), &err)) < 0)
		goto out;
	if (rules_dir == NULL)
		rules_dir = dirbuf;

	if ((rc = cli_level_rules_load(rules_dir, &cat, &err)) < 0) {
		if (rc == THC_EIO && rules_dir != dirbuf)
			err.code = THC_EUSAGE;      /* the user's --rules-dir */
		goto out;
	}
	if (rules_id != NULL && (fixed = level_catalog_get(cat, rules_id)) == NULL) {
		char known[512];
		size_t n = 0;

		known[0] = '\0';
		for (size_t i = 0; i < level_catalog_count(cat) && n < sizeof(known); i++)
			n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s", i ? ", " : "",
			                      level_rules_id(level_catalog_at(cat, i)));
		rc = error_set(&err, THC_EUSAGE, "--rules: không có bộ quy tắc '%s' (có: %s)",
		               "--rules: there is no rule set '%s' (known: %s)", rules_id, known);
		goto out;
	}
	if ((rc = assess_units_load(unitsbuf, &a.units, &err)) < 0)
		goto out;
	if (path != NULL && (in = fopen(path, "rb")) == NULL) {
		rc = error_set(&err, THC_EUSAGE, "không mở được tệp '%s'", "cannot open file '%s'", path);
		goto out;
	}
	if ((rc = assess_read(&a, in ? in : stdin, cat, fixed, &err)) < 0)
		goto out;
	if (assess_scratch_new(&w, &a) < 0 || outbuf_init(&out, STDOUT_FILENO, ASSESS_OUT_BUF) < 0) {
		rc = error_set(&err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = assess_run(&a, w.rules, w.in, w.scratch, w.res, &err)) < 0)
		goto out;
	/* Every row is valid by now, so nothing but a failing stdout can stop
	 * the output half-way: it goes out as it is made, a MiB a write. */
	if (fflush(stdout) != 0 || assess_write(&a, &out, &w) < 0)
		rc = error_set(&err, THC_EIO, "lỗi ghi đầu ra chuẩn", "cannot write standard output");
out:
	outbuf_free(&out);
	assess_scratch_free(&w);
	if (in != NULL)
		fclose(in);
	free(a.rows);
	assess_input_free(&a);
	for (size_t j = 0; j < a.nweeks; j++)
		free(a.weeks[j].levels);
	free(a.weeks);
	assess_units_free(&a.units);
	level_catalog_free(cat);
	return rc < 0 ? cli_fail(&err) : CLI_OK;
}
