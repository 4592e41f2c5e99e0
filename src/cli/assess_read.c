/*
 * Reading the input of `thichung assess`: the whole text in one buffer, the
 * header mapped to columns once, then every row parsed and checked (its
 * unit, its figures, its rule set) into an array sized once.
 *
 * A large input without quotes (so no record spans lines) is split at a
 * line end and its halves read by two threads, each with its own reader
 * (told the line it starts on) and its own memory of the last date and
 * rule set.  The rows land in the array in input order, and the errors are
 * those of one pass from the start: the first bad line of the first half,
 * else of the second, named with its line in the whole input.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "base/csv.h"
#include "base/outbuf.h"
#include "base/vntime.h"
#include "cli/assess.h"
#include "domain/unit.h"
#include "base/banned.h"

#define ASSESS_INPUT_MAX (1 << 30)     /* bytes: a national year is ~30 MB */
#ifdef MAP_POPULATE
#define ASSESS_MAP_POPULATE MAP_POPULATE
#else
#define ASSESS_MAP_POPULATE 0
#endif
#define ASSESS_SPLIT_MIN (256 << 10)   /* bytes of rows worth a second thread */

/* One reader's share of the rows and what it remembers between them. */
struct assess_part {
	const struct assess_ctx *a;
	const struct level_catalog *cat;
	const struct level_rules *fixed;
	const int *cols;
	size_t ncols;
	struct csv_reader *r;
	struct assess_row *rows;       /* room for cap rows */
	size_t n, cap;
	char last_date[16];            /* the last week_end read, and its day */
	int32_t last_days;             /* ASSESS_NO_WEEK: none yet */
	struct {                       /* the last rule set chosen */
		const struct level_rules *rules;
		int province;
		int32_t week_end;
	} memo;
	struct error err;
	int rc;
	atomic_int *stop;              /* set: the first half failed, give up */
};

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

int assess_cell_error(struct error *err, long line, int col)
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

/* The rule set named with --rules, checked against the row's unit and week. */
static int assess_fixed_check(const struct assess_part *p, const struct assess_row *row,
                              const char *prov, struct error *err)
{
	const struct level_rules *r = p->fixed;
	const struct assess_unit *u = &p->a->units.v[row->unit];

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
	return 0;
}

/* Chooses and checks the rule set of one row.  The choice depends only on
 * the province and the week, which the rows before mostly share: the last
 * one found is kept in p->memo. */
static int assess_row_rules(struct assess_part *p, struct assess_row *row, struct error *err)
{
	const struct assess_units *units = &p->a->units;
	const struct assess_unit *u = &units->v[row->unit];
	const char *prov = u->province >= 0 ? units->v[u->province].code : NULL;
	const struct level_rules *r = p->fixed;
	int rc;

	if (p->memo.rules != NULL && p->memo.province == u->province &&
	    p->memo.week_end == row->week_end) {
		row->rules = p->memo.rules;
		return 0;
	}
	if (r != NULL) {
		if ((rc = assess_fixed_check(p, row, prov, err)) < 0)
			return rc;
	} else {
		if (row->week_end == ASSESS_NO_WEEK) {
			error_set(err, THC_EUNPROCESSABLE,
			          "cần ngày cuối tuần để chọn bộ quy tắc (hoặc dùng --rules ID)",
			          "a week end date is needed to choose the rule set (or give --rules ID)");
			return assess_cell_error(err, row->line, ASSESS_COL_WEEK_END);
		}
		if ((rc = level_catalog_pick(p->cat, prov, row->week_end, &r, err)) < 0)
			return assess_cell_error(err, row->line, ASSESS_COL_WEEK_END);
	}
	if (row->week_end != ASSESS_NO_WEEK &&
	    (rc = assess_week_check(r, row->week_end, row->line, err)) < 0)
		return rc;
	row->rules = r;
	p->memo.rules = r;
	p->memo.province = u->province;
	p->memo.week_end = row->week_end;
	return 0;
}

/*
 * The common shapes of a figure read without the general parser: digits
 * for a count or the population (at most 9, so no overflow), digits with
 * at most one '.' between digits for a percentage (at most 15 digits:
 * exact as a double, then one correctly rounded division, which is what
 * parse_double does with them), "0"/"1" for capacity_met, one digit for
 * previous_level.  1 when the field is set; 0 leaves it to
 * level_input_parse(), which then decides (and names what is wrong).
 */
int assess_fast_field(struct level_input *in, int col, const char *s, size_t len)
{
	static const double pow10[16] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
		                          1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	int64_t m = 0, *count;
	double d, *pct;
	size_t i = 0, dot = 0;

	switch (col) {
	case LEVEL_F_POPULATION: count = &in->population; break;
	case LEVEL_F_CASES_WEEK: count = &in->cases_week; break;
	case LEVEL_F_CASES_PREV_WEEK: count = &in->cases_prev_week; break;
	case LEVEL_F_OXYGEN_CASES_WEEK: count = &in->oxygen_cases_week; break;
	case LEVEL_F_DEATHS_WEEK: count = &in->deaths_week; break;
	case LEVEL_F_VAX1_18PLUS: pct = &in->vax1_18plus_pct; goto pct;
	case LEVEL_F_VAXFULL_ELDERLY: pct = &in->vaxfull_elderly_pct; goto pct;
	case LEVEL_F_VAXFULL: pct = &in->vaxfull_pct; goto pct;
	case LEVEL_F_VAXFULL_HIGHRISK: pct = &in->vaxfull_highrisk_pct; goto pct;
	case LEVEL_F_CAPACITY_MET:
		if (len != 1 || (s[0] != '0' && s[0] != '1'))
			return 0;
		in->capacity_met = s[0] == '1';
		goto set;
	case LEVEL_F_PREVIOUS_LEVEL:
		if (len != 1 || s[0] < '0' + LEVEL_MIN || s[0] > '0' + LEVEL_MAX)
			return 0;
		in->previous_level = s[0] - '0';
		goto set;
	default:
		return 0;
	}
	/* A count: 1 to 9 digits, under LEVEL_COUNT_MAX; a population > 0. */
	if (len == 0 || len > 9)
		return 0;
	for (; i < len; i++) {
		unsigned c = (unsigned char)s[i] - '0';

		if (c > 9)
			return 0;
		m = m * 10 + c;
	}
	if (m == 0 && col == LEVEL_F_POPULATION)
		return 0;
	*count = m;
	goto set;
pct:
	/* digits, or digits '.' digits: 15 digits at most. */
	if (len == 0 || len > 16)
		return 0;
	for (; i < len; i++) {
		unsigned c = (unsigned char)s[i] - '0';

		if (c <= 9)
			m = m * 10 + c;
		else if (s[i] == '.' && dot == 0 && i > 0 && i + 1 < len)
			dot = len - 1 - i;
		else
			return 0;
	}
	if (len - (dot > 0) > 15 || !((d = (double)m / pow10[dot]) <= 100))
		return 0;
	*pct = d;
set:
	in->present |= LEVEL_HAS(col);
	return 1;
}

static int assess_unit_cell(struct assess_part *p, const char *s, long line,
                            struct assess_row *row, struct error *err)
{
	int lv;

	if (s[0] == '\0') {
		error_set(err, THC_EUNPROCESSABLE, "bắt buộc", "required");
		return assess_cell_error(err, line, ASSESS_COL_UNIT);
	}
	if ((row->unit = assess_unit_find(&p->a->units, s)) >= 0)
		return 0;
	lv = unit_code_level(s);
	if (lv == UNIT_HAMLET || lv == UNIT_HOUSEHOLD || lv == UNIT_COUNTRY)
		error_set(err, THC_EUNPROCESSABLE, "'%.20s': chỉ đánh giá tỉnh, huyện và xã",
		          "'%.20s': only provinces, districts and communes are assessed", s);
	else
		error_set(err, THC_EUNPROCESSABLE, "không có đơn vị '%.20s'",
		          "there is no unit '%.20s'", s);
	return assess_cell_error(err, line, ASSESS_COL_UNIT);
}

static int assess_week_cell(struct assess_part *p, const char *s, size_t len, long line,
                            struct assess_row *row, struct error *err)
{
	struct vndate d;

	if (s[0] == '\0')
		return 0;
	/* Rows come week by week: most repeat the last date. */
	if (len < sizeof(p->last_date) && p->last_days != ASSESS_NO_WEEK &&
	    memcmp(s, p->last_date, len + 1) == 0) {
		row->week_end = p->last_days;
		return 0;
	}
	if (vndate_parse(s, &d) < 0) {
		error_set(err, THC_EUNPROCESSABLE, "'%.20s' phải là ngày YYYY-MM-DD",
		          "'%.20s' must be a date YYYY-MM-DD", s);
		return assess_cell_error(err, line, ASSESS_COL_WEEK_END);
	}
	row->week_end = vndate_to_days(d);
	if (len < sizeof(p->last_date)) {
		memcpy(p->last_date, s, len + 1);
		p->last_days = row->week_end;
	}
	return 0;
}

static int assess_parse_row(struct assess_part *p, const struct csv_record *rec,
                            struct assess_row *row, struct error *err)
{
	memset(row, 0, sizeof(*row));
	row->line = (int32_t)rec->line;
	row->week_end = ASSESS_NO_WEEK;
	row->unit = -1;
	for (size_t j = 0; j < p->ncols; j++) {
		const char *s = rec->fields[j];
		int col = p->cols[j];

		if (col == ASSESS_COL_UNIT) {
			if (assess_unit_cell(p, s, rec->line, row, err) < 0)
				return err->code;
		} else if (col == ASSESS_COL_WEEK_END) {
			if (assess_week_cell(p, s, rec->lens[j], rec->line, row, err) < 0)
				return err->code;
		} else if (!assess_fast_field(&row->in, col, s, rec->lens[j])) {
			if (col == LEVEL_F_POPULATION && s[0] == '\0') {
				error_set(err, THC_EUNPROCESSABLE, "bắt buộc", "required");
				return assess_cell_error(err, rec->line, col);
			}
			if (level_input_parse(&row->in, (enum level_field)col, s, err) < 0)
				return assess_cell_error(err, rec->line, col);
		}
	}
	return 0;
}

/* The rows of one reader, to its end or its first error (p->rc, p->err). */
static void assess_read_part(struct assess_part *p)
{
	struct csv_record rec;
	int rc;

	while ((rc = csv_next(p->r, &rec, &p->err)) == 1) {
		if (p->stop != NULL && atomic_load_explicit(p->stop, memory_order_relaxed))
			break;
		if (rec.nfields == 1 && rec.lens[0] == 0)
			continue;      /* a blank line */
		if (rec.nfields != p->ncols) {
			rc = error_set(&p->err, THC_EUNPROCESSABLE, "dòng %ld: có %zu cột, cần %zu",
			               "line %ld: has %zu columns, expected %zu", rec.line,
			               rec.nfields, p->ncols);
			break;
		}
		if (p->n == p->cap) {  /* the room is every line, up to the cap */
			rc = error_set(&p->err, THC_ETOOBIG, "dòng %ld: quá %d dòng",
			               "line %ld: more than %d rows", rec.line, ASSESS_ROWS_MAX);
			break;
		}
		if ((rc = assess_parse_row(p, &rec, &p->rows[p->n], &p->err)) < 0 ||
		    (rc = assess_row_rules(p, &p->rows[p->n], &p->err)) < 0)
			break;
		p->n++;
	}
	p->rc = rc < 0 ? rc : 0;
	/* The first half's error is the one reported: the second need not go on. */
	if (p->rc < 0 && p->stop != NULL)
		atomic_store_explicit(p->stop, 1, memory_order_relaxed);
}

static void *assess_read_thread(void *arg)
{
	assess_read_part(arg);
	return NULL;
}

/* The bytes equal to c in [p, p + n), 8 at a time: a byte of 1 where p
 * has c, summed bytewise (at most 255 rounds), then added up. */
static size_t assess_count_byte(const char *p, size_t n, unsigned char c)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
	size_t k = 0, i = 0;

	while (i + 8 <= n) {
		uint64_t sum = 0;

		for (int round = 0; round < 255 && i + 8 <= n; round++, i += 8) {
			uint64_t w;

			memcpy(&w, p + i, sizeof(w));
			w ^= ones * c;          /* a byte equal to c is now 0 */
			sum += (~(((w & low7) + low7) | w) >> 7) & ones;
		}
		/* Bytes of at most 255 to 16-bit lanes of at most 510, then summed. */
		sum = (sum & UINT64_C(0x00ff00ff00ff00ff)) + ((sum >> 8) & UINT64_C(0x00ff00ff00ff00ff));
		k += (size_t)((sum * UINT64_C(0x0001000100010001)) >> 48);
	}
	for (; i < n; i++)
		k += (unsigned char)p[i] == c;
	return k;
}

/* The lines [p, p + n) ends: LF, CRLF and a lone CR, as csv_next counts. */
size_t assess_count_lines(const char *p, size_t n)
{
	size_t k = assess_count_byte(p, n, '\n');
	const char *cr = memchr(p, '\r', n), *end = p + n;

	for (; cr != NULL; cr = memchr(cr + 1, '\r', (size_t)(end - cr - 1)))
		if (cr + 1 == end || cr[1] != '\n')
			k++;
	return k;
}

/* A line end near the middle of the rows, or 0 when the input is not one
 * to split: small, with quotes (a record could span lines) or a byte
 * order mark where a half would start. */
static size_t assess_split_at(const char *body, size_t len)
{
	const char *mid;

	if (len < ASSESS_SPLIT_MIN || memchr(body, '"', len) != NULL ||
	    sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return 0;
	if ((mid = memchr(body + len / 2, '\n', len - len / 2)) == NULL || mid + 1 == body + len)
		return 0;
	if (memcmp(body, "\xEF\xBB\xBF", len < 3 ? len : 3) == 0 ||
	    (body + len - (mid + 1) >= 3 && memcmp(mid + 1, "\xEF\xBB\xBF", 3) == 0))
		return 0;
	return (size_t)(mid + 1 - body);
}

/* The rows after the header: by one reader (hdr, reading on), or split
 * in two halves read at once.  The rows array has room for every line. */
static int assess_read_rows(struct assess_ctx *a, struct assess_part *p,
                            struct csv_reader *hdr, struct error *err)
{
	size_t off = csv_offset(hdr), len = a->input_len - off, cut, n1 = 0, n2, cap;
	const char *body = a->input + off;
	struct assess_part q;
	atomic_int stop = 0;
	pthread_t t;
	int rc, two;

	cut = assess_split_at(body, len);
	if (cut > 0)
		n1 = assess_count_lines(body, cut);
	n2 = assess_count_lines(body + cut, len - cut) + 1;
	if (n1 + n2 >= ASSESS_ROWS_MAX)
		cut = 0;      /* one reader, which stops at the cap */
	cap = n1 + n2 < ASSESS_ROWS_MAX ? n1 + n2 : ASSESS_ROWS_MAX;
	if ((a->rows = outbuf_realloc(NULL, cap * sizeof(*a->rows))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	p->rows = a->rows;
	p->cap = cap;
	if (cut == 0) {
		p->r = hdr;
		assess_read_part(p);
		a->n = p->n;
		if (p->rc < 0)
			*err = p->err;
		return p->rc;
	}
	q = *p;
	p->stop = &stop;
	p->cap = n1;
	q.rows = a->rows + n1;
	q.cap = n2;
	if ((rc = csv_open_mem(&p->r, body, cut, NULL, err)) < 0)
		return rc;
	if ((rc = csv_open_mem(&q.r, body + cut, len - cut, NULL, err)) < 0) {
		csv_free(p->r);
		return rc;
	}
	csv_set_line(p->r, csv_line(hdr));
	csv_set_line(q.r, csv_line(hdr) + (long)n1);
	if ((two = pthread_create(&t, NULL, assess_read_thread, &q) == 0) == 0)
		assess_read_part(&q);
	assess_read_part(p);
	if (two)
		pthread_join(t, NULL);
	csv_free(p->r);
	csv_free(q.r);
	/* Blank lines leave room unused: the second half follows the first. */
	if (p->rc == 0 && q.rc == 0 && p->n < p->cap)
		memmove(a->rows + p->n, q.rows, q.n * sizeof(*a->rows));
	a->n = p->n + q.n;
	if (p->rc < 0 || q.rc < 0)
		*err = p->rc < 0 ? p->err : q.err;
	return p->rc < 0 ? p->rc : q.rc;
}

/* A regular file mapped whole, its pages filled at once (no copy, no
 * fault per page as the rows are read); 0 when it is not one to map. */
static int assess_map(FILE *in, struct assess_ctx *a)
{
	struct stat st;
	void *p;

	if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size >= ASSESS_INPUT_MAX || ftello(in) != 0)
		return 0;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | ASSESS_MAP_POPULATE,
	         fileno(in), 0);
	if (p == MAP_FAILED)
		return 0;
	a->input = p;
	a->input_len = (size_t)st.st_size;
	a->input_mapped = 1;
	return 1;
}

void assess_input_free(struct assess_ctx *a)
{
	if (a->input_mapped)
		munmap(a->input, a->input_len);
	else
		free(a->input);
	a->input = NULL;
}

/* The whole input in one buffer (read in large pieces, parsed in place). */
static int assess_slurp(FILE *in, struct assess_ctx *a, struct error *err)
{
	size_t cap = 1 << 20, n = 0;
	char *buf, *p;

	if (assess_map(in, a))
		return 0;
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
	a->input = buf;
	a->input_len = n;
	return 0;
}

/* The header: each column known, once, with unit_code and population. */
static int assess_header(const struct csv_record *rec, const struct level_rules *fixed,
                         int *cols, size_t *ncols, struct error *err)
{
	int have_unit = 0, have_pop = 0, have_week = 0;

	if (rec->nfields > ASSESS_COL_COUNT)
		return error_set(err, THC_EUNPROCESSABLE, "dòng 1: quá nhiều cột (%zu)",
		                 "line 1: too many columns (%zu)", rec->nfields);
	*ncols = 0;
	for (size_t i = 0; i < rec->nfields; i++) {
		int c = assess_col_from_name(rec->fields[i]);

		if (c < 0)
			return error_set(err, THC_EUNPROCESSABLE, "dòng 1: cột %.40s: không được biết",
			                 "line 1: column %.40s: unknown column", rec->fields[i]);
		for (size_t j = 0; j < i; j++)
			if (cols[j] == c)
				return error_set(err, THC_EUNPROCESSABLE, "dòng 1: cột %s: lặp lại",
				                 "line 1: column %s: appears twice", rec->fields[i]);
		cols[(*ncols)++] = c;
		have_unit |= c == ASSESS_COL_UNIT;
		have_pop |= c == LEVEL_F_POPULATION;
		have_week |= c == ASSESS_COL_WEEK_END;
	}
	if (!have_unit || !have_pop)
		return error_set(err, THC_EUNPROCESSABLE, "dòng 1: cột %s: thiếu",
		                 "line 1: column %s: missing", have_unit ? "population" : "unit_code");
	if (fixed == NULL && !have_week)
		return error_set(err, THC_EUSAGE,
		                 "dòng 1: cần cột week_end hoặc --rules ID để chọn bộ quy tắc",
		                 "line 1: a week_end column or --rules ID is needed to choose the rule set");
	return 0;
}

int assess_read(struct assess_ctx *a, FILE *in, const struct level_catalog *cat,
                const struct level_rules *fixed, struct error *err)
{
	struct csv_reader *r = NULL;
	struct csv_record rec;
	int cols[ASSESS_COL_COUNT];
	struct assess_part p = { .a = a, .cat = cat, .fixed = fixed, .cols = cols,
		                 .last_days = ASSESS_NO_WEEK, .err = ERROR_INIT };
	int rc;

	if ((rc = assess_slurp(in, a, err)) < 0 ||
	    (rc = csv_open_mem(&r, a->input, a->input_len, NULL, err)) < 0)
		goto out;
	if ((rc = csv_next(r, &rec, err)) <= 0) {
		if (rc == 0)
			rc = error_set(err, THC_EUNPROCESSABLE, "dòng 1: đầu vào rỗng, cần dòng tiêu đề",
			               "line 1: the input is empty; a header line is expected");
		goto out;
	}
	if ((rc = assess_header(&rec, fixed, cols, &p.ncols, err)) < 0)
		goto out;
	rc = assess_read_rows(a, &p, r, err);
out:
	csv_free(r);
	return rc < 0 ? rc : 0;
}
