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

#define ASSESS_ROWS_MAX 1000000        /* a national year is ~590,000 */
#define ASSESS_WEEKS_FEW 256
#define ASSESS_INPUT_MAX (1 << 30)     /* bytes: a national year is ~30 MB */
#define ASSESS_OUT_BUF (1 << 20)          /* distinct weeks found without sorting every row */

/* Input columns besides the level_input fields. */
enum { ASSESS_COL_UNIT = LEVEL_F_COUNT, ASSESS_COL_WEEK_END, ASSESS_COL_COUNT };

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

/* ---- input -------------------------------------------------------------- */

static const char *assess_col_name(int col)
{
	if (col == ASSESS_COL_UNIT)
		return "unit_code";
	if (col == ASSESS_COL_WEEK_END)
		return "week_end";
	return level_field_name((enum level_field)col);
}

static int assess_col_from_name(const char *name)
{
	if (strcmp(name, "unit_code") == 0)
		return ASSESS_COL_UNIT;
	if (strcmp(name, "week_end") == 0)
		return ASSESS_COL_WEEK_END;
	return level_field_from_name(name);
}

/* "line N: column NAME: <what>", the what taken from err. */
static int assess_cell_error(struct error *err, long line, int col)
{
	error_prefix(err, "dòng %ld: cột %s: ", "line %ld: column %s: ", line,
	             assess_col_name(col));
	if (err->code == 0 || err->code == THC_EINVAL)
		err->code = THC_EUNPROCESSABLE;
	return err->code;
}

static int assess_week_check(const struct level_rules *r, int32_t day, long line,
                             struct error *err)
{
	static const char *const wd_vi[8] = { "", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm",
		                              "thứ Sáu", "thứ Bảy", "Chủ nhật" };
	static const char *const wd_en[8] = { "", "Monday", "Tuesday", "Wednesday", "Thursday",
		                              "Friday", "Saturday", "Sunday" };
	int first = level_rules_first_weekday(r), last = first == 1 ? 7 : first - 1;
	char d[16];

	if (vndate_week_end(day, first) == day)
		return 0;
	vndate_format_iso(vndate_from_days(day), d, sizeof(d));
	error_set(err, THC_EUNPROCESSABLE,
	          "%s là %s%.0s, nhưng bộ quy tắc %s tính tuần kết thúc vào %s%.0s",
	          "%s is a %.0s%s, but rule set %s counts weeks ending on a %.0s%s",
	          d, wd_vi[vndate_weekday(day)], wd_en[vndate_weekday(day)],
	          level_rules_id(r), wd_vi[last], wd_en[last]);
	return assess_cell_error(err, line, ASSESS_COL_WEEK_END);
}

/* Chooses and checks the rule set of one row.  The choice depends only on
 * the province and the week, which the rows before mostly share: the last
 * one found is kept in a->memo. */
static int assess_row_rules(struct assess_ctx *a, struct assess_row *row,
                            const struct level_catalog *cat, const struct level_rules *fixed,
                            struct error *err)
{
	const struct assess_unit *u = &a->units.v[row->unit];
	const char *prov = u->province >= 0 ? a->units.v[u->province].code : NULL;
	const struct level_rules *r = fixed;
	int rc;

	if (a->memo.rules != NULL && a->memo.province == u->province &&
	    a->memo.week_end == row->week_end) {
		row->rules = a->memo.rules;
		return 0;
	}

	if (r != NULL) {
		if (level_rules_applies_to(r) && (prov == NULL || strcmp(prov, level_rules_applies_to(r)) != 0)) {
			error_set(err, THC_EUNPROCESSABLE,
			          "bộ quy tắc %s chỉ áp dụng cho tỉnh %s, đơn vị '%s' thuộc tỉnh %s",
			          "rule set %s applies only to province %s; unit '%s' is in province %s",
			          level_rules_id(r), level_rules_applies_to(r), u->code, prov ? prov : "-");
			return assess_cell_error(err, row->line, ASSESS_COL_UNIT);
		}
		if (row->week_end != ASSESS_NO_WEEK && !level_rules_in_force(r, prov, row->week_end)) {
			char from[16], to[16];

			vndate_format_iso(vndate_from_days(level_rules_from(r)), from, sizeof(from));
			if (level_rules_to(r) == LEVEL_OPEN_END)
				snprintf(to, sizeof(to), "...");
			else
				vndate_format_iso(vndate_from_days(level_rules_to(r)), to, sizeof(to));
			error_set(err, THC_EUNPROCESSABLE, "bộ quy tắc %s có hiệu lực từ %s đến %s",
			          "rule set %s is in force from %s to %s", level_rules_id(r), from, to);
			return assess_cell_error(err, row->line, ASSESS_COL_WEEK_END);
		}
	} else {
		if (row->week_end == ASSESS_NO_WEEK) {
			error_set(err, THC_EUNPROCESSABLE,
			          "cần ngày cuối tuần để chọn bộ quy tắc (hoặc dùng --rules ID)",
			          "a week end date is needed to choose the rule set (or give --rules ID)");
			return assess_cell_error(err, row->line, ASSESS_COL_WEEK_END);
		}
		if ((rc = level_catalog_pick(cat, prov, row->week_end, &r, err)) < 0)
			return assess_cell_error(err, row->line, ASSESS_COL_WEEK_END);
	}
	if (row->week_end != ASSESS_NO_WEEK &&
	    (rc = assess_week_check(r, row->week_end, row->line, err)) < 0)
		return rc;
	row->rules = r;
	a->memo.rules = r;
	a->memo.province = u->province;
	a->memo.week_end = row->week_end;
	return 0;
}

static int assess_parse_row(struct assess_ctx *a, const int *cols, size_t ncols,
                            const struct csv_record *rec, struct assess_row *row,
                            struct error *err)
{
	memset(row, 0, sizeof(*row));
	row->line = rec->line;
	row->week_end = ASSESS_NO_WEEK;
	row->unit = -1;
	for (size_t j = 0; j < ncols; j++) {
		const char *s = rec->fields[j];

		if (cols[j] == ASSESS_COL_UNIT) {
			int lv;

			if (s[0] == '\0') {
				error_set(err, THC_EUNPROCESSABLE, "bắt buộc", "required");
				return assess_cell_error(err, rec->line, cols[j]);
			}
			if ((row->unit = assess_unit_find(&a->units, s)) < 0) {
				lv = unit_code_level(s);
				if (lv == UNIT_HAMLET || lv == UNIT_HOUSEHOLD || lv == UNIT_COUNTRY)
					error_set(err, THC_EUNPROCESSABLE,
					          "'%.20s': chỉ đánh giá tỉnh, huyện và xã",
					          "'%.20s': only provinces, districts and communes are assessed", s);
				else
					error_set(err, THC_EUNPROCESSABLE, "không có đơn vị '%.20s'",
					          "there is no unit '%.20s'", s);
				return assess_cell_error(err, rec->line, cols[j]);
			}
		} else if (cols[j] == ASSESS_COL_WEEK_END) {
			struct vndate d;

			if (s[0] == '\0')
				continue;
			/* Rows come week by week: most repeat the last date. */
			if (rec->lens[j] < sizeof(a->last_date) && a->last_days != ASSESS_NO_WEEK &&
			    strcmp(s, a->last_date) == 0) {
				row->week_end = a->last_days;
				continue;
			}
			if (vndate_parse(s, &d) < 0) {
				error_set(err, THC_EUNPROCESSABLE, "'%.20s' phải là ngày YYYY-MM-DD",
				          "'%.20s' must be a date YYYY-MM-DD", s);
				return assess_cell_error(err, rec->line, cols[j]);
			}
			row->week_end = vndate_to_days(d);
			if (rec->lens[j] < sizeof(a->last_date)) {
				memcpy(a->last_date, s, rec->lens[j] + 1);
				a->last_days = row->week_end;
			}
		} else {
			if (cols[j] == LEVEL_F_POPULATION && s[0] == '\0') {
				error_set(err, THC_EUNPROCESSABLE, "bắt buộc", "required");
				return assess_cell_error(err, rec->line, cols[j]);
			}
			if (level_input_parse(&row->in, (enum level_field)cols[j], s, err) < 0)
				return assess_cell_error(err, rec->line, cols[j]);
		}
	}
	return 0;
}

/* The lines of the input (at most ASSESS_ROWS_MAX): room for every row at
 * once, without copying as the array grows. */
static size_t assess_lines(const char *p, size_t len)
{
	const char *end = p + len;
	size_t n = 1;

	while (n <= ASSESS_ROWS_MAX && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		n++;
	}
	return n;
}

/* The whole input in one buffer (read in large pieces, parsed in place). */
static int assess_slurp(FILE *in, char **out, size_t *len, struct error *err)
{
	struct stat st;
	size_t cap = 1 << 20, n = 0;
	char *buf, *p;

	/* A file's size is known: one piece, one more byte to see its end. */
	if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size < ASSESS_INPUT_MAX)
		cap = (size_t)st.st_size + 1;
	buf = outbuf_realloc(NULL, cap);

	for (;;) {
		if (buf == NULL)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		n += fread(buf + n, 1, cap - n, in);
		if (n < cap)
			break;
		if (cap >= ASSESS_INPUT_MAX) {
			free(buf);
			return error_set(err, THC_ETOOBIG, "đầu vào lớn quá %d MiB",
			                 "the input is larger than %d MiB", ASSESS_INPUT_MAX >> 20);
		}
		if ((p = outbuf_realloc(buf, 2 * cap)) == NULL)
			free(buf);
		buf = p;
		cap *= 2;
	}
	if (ferror(in)) {
		free(buf);
		return error_set(err, THC_EIO, "lỗi đọc đầu vào", "cannot read the input");
	}
	*out = buf;
	*len = n;
	return 0;
}

static int assess_read(struct assess_ctx *a, FILE *in, const struct level_catalog *cat,
                       const struct level_rules *fixed, struct error *err)
{
	struct csv_limits lim = CSV_LIMITS_DEFAULT;
	struct csv_reader *r = NULL;
	struct csv_record rec;
	int cols[ASSESS_COL_COUNT];
	size_t ncols = 0;
	int have_unit = 0, have_pop = 0, have_week = 0, rc;

	if ((rc = assess_slurp(in, &a->input, &a->input_len, err)) < 0 ||
	    (rc = csv_open_mem(&r, a->input, a->input_len, &lim, err)) < 0)
		goto out;
	if ((rc = csv_next(r, &rec, err)) <= 0) {
		if (rc == 0)
			rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: đầu vào rỗng, cần dòng tiêu đề",
			               "line 1: the input is empty; a header line is expected");
		goto out;
	}
	if (rec.nfields > ASSESS_COL_COUNT) {
		rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: quá nhiều cột (%zu)",
		               "line 1: too many columns (%zu)", rec.nfields);
		goto out;
	}
	for (size_t i = 0; i < rec.nfields; i++) {
		int c = assess_col_from_name(rec.fields[i]);

		if (c < 0) {
			rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: cột %.40s: không được biết",
			               "line 1: column %.40s: unknown column", rec.fields[i]);
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (cols[j] == c) {
				rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: cột %s: lặp lại",
				               "line 1: column %s: appears twice", rec.fields[i]);
				goto out;
			}
		cols[ncols++] = c;
		have_unit |= c == ASSESS_COL_UNIT;
		have_pop |= c == LEVEL_F_POPULATION;
		have_week |= c == ASSESS_COL_WEEK_END;
	}
	if (!have_unit || !have_pop) {
		rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: cột %s: thiếu",
		               "line 1: column %s: missing", have_unit ? "population" : "unit_code");
		goto out;
	}
	if (fixed == NULL && !have_week) {
		rc = error_set(err, THC_EUSAGE,
		               "dòng 1: cần cột week_end hoặc --rules ID để chọn bộ quy tắc",
		               "line 1: a week_end column or --rules ID is needed to choose the rule set");
		goto out;
	}
	while ((rc = csv_next(r, &rec, err)) == 1) {
		struct assess_row *row;

		if (rec.nfields == 1 && rec.lens[0] == 0)
			continue;      /* a blank line */
		if (rec.nfields != ncols) {
			rc = error_set(err, THC_EUNPROCESSABLE, "dòng %ld: có %zu cột, cần %zu",
			               "line %ld: has %zu columns, expected %zu", rec.line,
			               rec.nfields, ncols);
			goto out;
		}
		if (a->n == ASSESS_ROWS_MAX) {
			rc = error_set(err, THC_ETOOBIG, "dòng %ld: quá %d dòng",
			               "line %ld: more than %d rows", rec.line, ASSESS_ROWS_MAX);
			goto out;
		}
		if (a->n == a->cap) {
			size_t cap = a->cap ? 2 * a->cap : assess_lines(a->input, a->input_len);
			struct assess_row *rows = outbuf_realloc(a->rows, cap * sizeof(*rows));

			if (rows == NULL) {
				rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
				goto out;
			}
			a->rows = rows;
			a->cap = cap;
		}
		row = &a->rows[a->n];
		if ((rc = assess_parse_row(a, cols, ncols, &rec, row, err)) < 0 ||
		    (rc = assess_row_rules(a, row, cat, fixed, err)) < 0)
			goto out;
		a->n++;
	}
out:
	csv_free(r);
	return rc < 0 ? rc : 0;
}

/* ---- assessing ---------------------------------------------------------- */

static int assess_week_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

/* The distinct weeks of the rows, and each row's week; a unit given twice
 * for one week is an error naming the second line. */
static int assess_weeks(struct assess_ctx *a, struct error *err)
{
	size_t nu = a->units.n ? a->units.n : 1;
	int32_t *w = malloc((a->n ? a->n : 1) * sizeof(*w));
	long *seen = NULL;
	size_t k = 0;
	int rc = 0;

	if (w == NULL || (a->week_of = malloc((a->n ? a->n : 1) * sizeof(*a->week_of))) == NULL)
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
	{
		size_t m = 0;

		for (size_t i = 0; i < k; i++)
			if (i == 0 || w[i] != w[m - 1])
				w[m++] = w[i];
		k = m;
	}
	if ((a->weeks = calloc(k ? k : 1, sizeof(*a->weeks))) == NULL ||
	    (seen = malloc(k * nu * sizeof(*seen) + 1)) == NULL)
		goto nomem;
	a->nweeks = k;
	for (size_t j = 0; j < k; j++) {
		a->weeks[j].week_end = w[j];
		if ((a->weeks[j].levels = malloc(nu * sizeof(int))) == NULL)
			goto nomem;
	}
	for (size_t j = 0; j < k * nu; j++)
		seen[j] = -1;
	for (size_t i = 0; rc == 0 && i < a->n; i++) {
		const struct assess_row *row = &a->rows[i];
		const int32_t *hit = bsearch(&row->week_end, w, k, sizeof(*w), assess_week_cmp);
		size_t at;

		a->week_of[i] = (size_t)(hit - w);
		at = a->week_of[i] * nu + (size_t)row->unit;
		if (seen[at] >= 0) {
			error_set(err, THC_EUNPROCESSABLE, "'%s' lặp lại cho cùng tuần (dòng %ld)",
			          "'%s' appears twice for the same week (line %ld)",
			          a->units.v[row->unit].code, seen[at]);
			rc = assess_cell_error(err, row->line, ASSESS_COL_UNIT);
		}
		seen[at] = row->line;
	}
	free(w);
	free(seen);
	return rc;
nomem:
	free(w);
	free(seen);
	return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

/* Per week, the tree of units with the rows of that week as its inputs:
 * every level, aggregates from all the units below (those without a row
 * count as unknown). */
static int assess_run(struct assess_ctx *a, const struct level_rules **rules,
                      const struct level_input **in, int *scratch, struct level_result *res,
                      struct error *err)
{
	size_t *order;
	size_t i = 0;
	int rc;

	if ((rc = assess_weeks(a, err)) < 0)
		return rc;
	if ((order = malloc((a->n ? a->n : 1) * sizeof(*order))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	/* Rows grouped by week: a counting sort on week_of. */
	{
		size_t *start = calloc(a->nweeks + 1, sizeof(*start));

		if (start == NULL) {
			free(order);
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		}
		for (size_t r = 0; r < a->n; r++)
			start[a->week_of[r] + 1]++;
		for (size_t j = 0; j < a->nweeks; j++)
			start[j + 1] += start[j];
		for (size_t r = 0; r < a->n; r++)
			order[start[a->week_of[r]]++] = r;
		free(start);
	}
	for (size_t j = 0; j < a->nweeks; j++) {
		size_t from = i;
		int aggregates = 0;

		for (; i < a->n && a->week_of[order[i]] == j; i++) {
			const struct assess_row *row = &a->rows[order[i]];

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
			const struct assess_row *row = &a->rows[order[k]];

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
	a.last_days = ASSESS_NO_WEEK;
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
	free(a.input);
	for (size_t j = 0; j < a.nweeks; j++)
		free(a.weeks[j].levels);
	free(a.weeks);
	free(a.week_of);
	assess_units_free(&a.units);
	level_catalog_free(cat);
	return rc < 0 ? cli_fail(&err) : CLI_OK;
}
