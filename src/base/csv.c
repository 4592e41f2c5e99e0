/*
 * RFC 4180 CSV reader.  Input is read byte by byte through a small window
 * (the caller's memory, or a fixed buffer refilled from a FILE), so a record
 * may span any number of refills; the decoded record is copied into one
 * growable buffer whose size is bounded by the limits, which is what makes
 * untrusted uploads safe to read.
 *
 * Error positions: "line" is the physical line (LF, CRLF or a lone CR end a
 * line, also inside quotes), "column" is the 1-based field number, which is
 * what a user sees as the column in a spreadsheet.  Errors found at one byte
 * (stray quote, NUL, junk after a quote) name that byte's line; errors about
 * a whole field (UTF-8, unterminated quote, size) name the line where the
 * field starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "text.h"
#include "banned.h"

/* Small on purpose: stdio already buffers underneath, this only saves a
 * call per byte.  tests/unit/test_csv.c aims records across this size. */
#define CSV_READ_BUF 4096

#define CSV_EOF (-1)

struct csv_reader {
	/* Input window: the caller's memory, or fbuf refilled from f. */
	const unsigned char *in;
	size_t in_len, in_pos;
	FILE *f;
	unsigned char *fbuf;
	int io_error;

	struct csv_limits lim;
	long line;             /* physical line of the next byte */

	/* The current record: fields stored back to back, each NUL-terminated. */
	char *rec;
	size_t rec_len, rec_cap;
	size_t *starts;        /* offset of each field in rec */
	size_t *lens;
	char **fields;
	size_t fields_cap;

	int status;            /* 0, or the sticky error code */
	int done;
	struct error saved;    /* repeated on every call after an error */
};

static void csv_limits_fill(struct csv_limits *dst, const struct csv_limits *src)
{
	static const struct csv_limits def = CSV_LIMITS_DEFAULT;

	/* A zero member means "default", so a caller can set only the cap it
	 * cares about with a designated initializer. */
	*dst = def;
	if (src == NULL)
		return;
	if (src->max_field != 0)
		dst->max_field = src->max_field;
	if (src->max_fields != 0)
		dst->max_fields = src->max_fields;
	if (src->max_record != 0)
		dst->max_record = src->max_record;
}

static int csv_new(struct csv_reader **out, const struct csv_limits *lim,
                   struct error *err)
{
	struct csv_reader *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ khi đọc CSV",
		                 "out of memory reading CSV");
	csv_limits_fill(&r->lim, lim);
	r->line = 1;
	*out = r;
	return 0;
}

/* Refills the window from the FILE; 0 at end of input or on error. */
static size_t csv_refill(struct csv_reader *r)
{
	size_t n;

	if (r->f == NULL || r->io_error)
		return 0;
	n = fread(r->fbuf, 1, CSV_READ_BUF, r->f);
	if (n == 0 && ferror(r->f))
		r->io_error = 1;
	r->in = r->fbuf;
	r->in_len = n;
	r->in_pos = 0;
	return n;
}

static int csv_peek(struct csv_reader *r)
{
	if (r->in_pos == r->in_len && csv_refill(r) == 0)
		return CSV_EOF;
	return r->in[r->in_pos];
}

static int csv_get(struct csv_reader *r)
{
	int c = csv_peek(r);

	if (c != CSV_EOF)
		r->in_pos++;
	return c;
}

/* Skips a UTF-8 byte order mark at the very start: spreadsheet programs
 * write one, and it would otherwise end up in the first header name. */
static void csv_skip_bom(struct csv_reader *r)
{
	static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };

	if (csv_peek(r) == CSV_EOF)
		return;
	/* fread fills the whole buffer unless the input ends, so a file's
	 * first three bytes are all in the window here. */
	if (r->in_len - r->in_pos >= 3 && memcmp(r->in + r->in_pos, bom, 3) == 0)
		r->in_pos += 3;
}

int csv_open_mem(struct csv_reader **out, const char *data, size_t len,
                 const struct csv_limits *lim, struct error *err)
{
	struct csv_reader *r;
	int rc;

	if (out == NULL || (data == NULL && len != 0))
		return error_set(err, THC_EINVAL, "thiếu dữ liệu CSV",
		                 "missing CSV data");
	if ((rc = csv_new(&r, lim, err)) < 0)
		return rc;
	r->in = (const unsigned char *)data;
	r->in_len = len;
	csv_skip_bom(r);
	*out = r;
	return 0;
}

int csv_open_file(struct csv_reader **out, FILE *f,
                  const struct csv_limits *lim, struct error *err)
{
	struct csv_reader *r;
	int rc;

	if (out == NULL || f == NULL)
		return error_set(err, THC_EINVAL, "thiếu tệp CSV", "missing CSV file");
	if ((rc = csv_new(&r, lim, err)) < 0)
		return rc;
	r->fbuf = malloc(CSV_READ_BUF);
	if (r->fbuf == NULL) {
		csv_free(r);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ khi đọc CSV",
		                 "out of memory reading CSV");
	}
	r->f = f;
	csv_skip_bom(r);
	*out = r;
	return 0;
}

void csv_free(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->rec);
	free(r->starts);
	free(r->lens);
	free(r->fields);
	free(r->fbuf);
	free(r);
}

size_t csv_offset(const struct csv_reader *r)
{
	return r->f == NULL ? r->in_pos : 0;
}

long csv_line(const struct csv_reader *r)
{
	return r->line;
}

void csv_set_line(struct csv_reader *r, long line)
{
	r->line = line;
}

/* Records the error so that later calls repeat it instead of resuming in
 * the middle of a broken record. */
static int csv_fail(struct csv_reader *r, struct error *err)
{
	r->status = r->saved.code;
	if (err != NULL)
		*err = r->saved;
	return r->status;
}

static int csv_nomem(struct csv_reader *r, struct error *err)
{
	error_set(&r->saved, THC_ENOMEM, "hết bộ nhớ khi đọc CSV",
	          "out of memory reading CSV");
	return csv_fail(r, err);
}

/* Appends one decoded byte to the record buffer.  The buffer never needs
 * more than max_record + max_fields (terminators) bytes, because the caps
 * are checked before any append. */
static int csv_put(struct csv_reader *r, char c)
{
	if (r->rec_len == r->rec_cap) {
		size_t cap = r->rec_cap ? r->rec_cap * 2 : 256;
		char *p = realloc(r->rec, cap);

		if (p == NULL)
			return THC_ENOMEM;
		r->rec = p;
		r->rec_cap = cap;
	}
	r->rec[r->rec_len++] = c;
	return 0;
}

/* Makes room for field number n (0-based) in the per-field arrays;
 * n < max_fields, so the arrays never outgrow that cap. */
static int csv_reserve_fields(struct csv_reader *r, size_t n)
{
	size_t cap;
	size_t *s, *l;
	char **f;

	if (n < r->fields_cap)
		return 0;
	cap = r->fields_cap ? r->fields_cap * 2 : 16;
	if (cap > r->lim.max_fields)
		cap = r->lim.max_fields;
	s = realloc(r->starts, cap * sizeof(*s));
	if (s == NULL)
		return THC_ENOMEM;
	r->starts = s;
	l = realloc(r->lens, cap * sizeof(*l));
	if (l == NULL)
		return THC_ENOMEM;
	r->lens = l;
	f = realloc(r->fields, cap * sizeof(*f));
	if (f == NULL)
		return THC_ENOMEM;
	r->fields = f;
	r->fields_cap = cap;
	return 0;
}

/* Counts one byte of the record against max_record; the line end that
 * closes the record is not part of it. */
static int csv_count_raw(struct csv_reader *r, struct error *err, size_t *raw,
                         long line, size_t col)
{
	if (++*raw <= r->lim.max_record)
		return 0;
	error_set(&r->saved, THC_ETOOBIG, "dòng %ld, cột %zu: bản ghi dài quá %zu byte",
	          "line %ld, column %zu: record longer than %zu bytes",
	          line, col, r->lim.max_record);
	return csv_fail(r, err);
}

/* Closes field number nf (0-based) that started at field_line. */
static int csv_end_field(struct csv_reader *r, struct error *err, size_t nf,
                         size_t start, long field_line)
{
	size_t len = r->rec_len - start;

	/* len == 0 skips the check: rec is still NULL before the first byte. */
	if (len > 0 && !text_utf8_valid(r->rec + start, len)) {
		error_set(&r->saved, THC_EINVAL, "dòng %ld, cột %zu: không phải UTF-8 hợp lệ",
		          "line %ld, column %zu: invalid UTF-8", field_line, nf + 1);
		return csv_fail(r, err);
	}
	if (csv_put(r, '\0') < 0)
		return csv_nomem(r, err);
	r->starts[nf] = start;
	r->lens[nf] = len;
	return 0;
}

enum csv_state {
	CSV_FIELD_START,   /* nothing read in this field yet */
	CSV_UNQUOTED,
	CSV_QUOTED,
	CSV_AFTER_QUOTE,   /* a closing quote was read */
};

static int csv_field_too_big(struct csv_reader *r, struct error *err, long field_line,
                             size_t nf)
{
	error_set(&r->saved, THC_ETOOBIG, "dòng %ld, cột %zu: trường dài quá %zu byte",
	          "line %ld, column %zu: field longer than %zu bytes",
	          field_line, nf + 1, r->lim.max_field);
	return csv_fail(r, err);
}

/* A character read inside quotes: 1 when it closed the field's quotes, 0
 * when *c is content (a doubled quote read as one, a CRLF kept whole, *c
 * then its LF), or an error. */
static int csv_in_quotes(struct csv_reader *r, struct error *err, int *c, size_t *raw,
                         long field_line, size_t nf, size_t start)
{
	if (*c == CSV_EOF) {
		error_set(&r->saved, THC_EINVAL, "dòng %ld, cột %zu: trường trong ngoặc kép chưa đóng",
		          "line %ld, column %zu: unterminated quoted field", field_line, nf + 1);
		return csv_fail(r, err);
	}
	if (*c == '"') {
		if (csv_peek(r) != '"')
			return 1;
		csv_get(r);        /* "" is one literal quote */
		return csv_count_raw(r, err, raw, field_line, nf + 1) < 0 ? r->status : 0;
	}
	if (*c != '\r' && *c != '\n')
		return 0;
	/* Kept in the field as written; CRLF is one line. */
	r->line++;
	if (*c == '\r' && csv_peek(r) == '\n') {
		if (r->rec_len - start >= r->lim.max_field)
			return csv_field_too_big(r, err, field_line, nf);
		if (csv_put(r, '\r') < 0)
			return csv_nomem(r, err);
		*c = csv_get(r);
		if (csv_count_raw(r, err, raw, field_line, nf + 1) < 0)
			return r->status;
	}
	return 0;
}

/* The record's fields, as the caller sees them. */
static void csv_record_done(struct csv_reader *r, struct csv_record *rec, size_t nf,
                            long rec_line)
{
	for (size_t i = 0; i < nf; i++) {
		r->fields[i] = r->rec + r->starts[i];
		/* What csv_write_field neutralised reads back as it was. */
		if (r->lens[i] > 1 && r->fields[i][0] == '\'' && csv_formula_like(r->fields[i] + 1)) {
			r->fields[i]++;
			r->lens[i]--;
		}
	}
	rec->nfields = nf;
	rec->fields = r->fields;
	rec->lens = r->lens;
	rec->line = rec_line;
}

/* Makes the record buffer hold at least need bytes (doubling). */
static int csv_grow(struct csv_reader *r, size_t need)
{
	size_t cap = r->rec_cap ? r->rec_cap : 256;
	char *q;

	while (cap < need)
		cap *= 2;
	if ((q = realloc(r->rec, cap)) == NULL)
		return THC_ENOMEM;
	r->rec = q;
	r->rec_cap = cap;
	return 0;
}

/* In an unquoted field: the plain bytes that follow in the window (none of
 * ',', '"', CR, LF or NUL) go in with one copy instead of a pass of the
 * loop each.  The run stops short of the caps, so the loop still finds
 * and reports the byte that breaks one, as before. */
static int csv_plain_run(struct csv_reader *r, size_t *raw, size_t start)
{
	const unsigned char *p = r->in + r->in_pos, *end = r->in + r->in_len;
	size_t n, room_field = r->lim.max_field - (r->rec_len - start);
	size_t room_raw = r->lim.max_record - *raw;

	for (n = 0; p + n < end; n++) {
		unsigned char c = p[n];

		if (c == ',' || c == '"' || c == '\n' || c == '\r' || c == '\0')
			break;
	}
	if (n > room_field)
		n = room_field;
	if (n > room_raw)
		n = room_raw;
	if (n == 0)
		return 0;
	if (r->rec_len + n > r->rec_cap && csv_grow(r, r->rec_len + n) < 0)
		return THC_ENOMEM;
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
	r->in_pos += n;
	*raw += n;
	return 0;
}

/*
 * A whole line in the window with nothing to decode (no quote, lone CR or
 * NUL, within every cap, valid UTF-8) is split in one pass: the slow loop
 * below would read it the same way byte by byte.  1 when the record is
 * done, 0 to read it with the loop (which then finds any error).
 */
static int csv_fast_line(struct csv_reader *r, struct csv_record *rec)
{
	/* 1: ends a field; 2: needs the slow loop; 4: not ASCII; 8: an
	 * apostrophe, which csv_record_done() may have to take off. */
	static const unsigned char cls[256] = {
		[0] = 2, [','] = 1, ['"'] = 2, ['\r'] = 2, ['\''] = 8,
		[0x80 ... 0xff] = 4,
	};
	const unsigned char *p = r->in + r->in_pos;
	const unsigned char *nl = memchr(p, '\n', r->in_len - r->in_pos);
	unsigned char *q, seen = 0;
	size_t len, nf = 0, start = 0, i = 0, maxf = r->lim.max_field, maxfs, *starts, *lens;

	if (nl == NULL)
		return 0;
	len = (size_t)(nl - p) - (nl > p && nl[-1] == '\r');
	if (len > r->lim.max_record || (len + 1 > r->rec_cap && csv_grow(r, len + 1) < 0))
		return 0;
	/* Room for every field the line can hold, up to the cap, so that the
	 * loop keeps the arrays and caps at hand. */
	maxfs = r->lim.max_fields;
	while (r->fields_cap < (len + 1 < maxfs ? len + 1 : maxfs))
		if (csv_reserve_fields(r, r->fields_cap) < 0)
			return 0;
	/* The line copied whole, a ',' after it to end its last field; then
	 * only the bytes of the table are looked at. */
	q = (unsigned char *)r->rec;
	memcpy(q, p, len);
	q[len] = ',';
	starts = r->starts;
	lens = r->lens;
	for (char **fields = r->fields; ; i++) {
		unsigned char k;

		while ((k = cls[q[i]]) == 0)
			i++;
		seen |= k;
		if (k != 1)
			continue;
		if (i - start > maxf || (nf + 1 == maxfs && i < len))
			return 0;
		q[i] = '\0';
		starts[nf] = start;
		fields[nf] = (char *)q + start;
		lens[nf++] = i - start;
		start = i + 1;
		if (i == len)
			break;
	}
	if (seen & 2)
		return 0;
	for (i = 0; (seen & 4) && i < nf; i++)
		if (!text_utf8_valid(r->rec + r->starts[i], r->lens[i]))
			return 0;
	r->rec_len = len + 1;
	r->in_pos = (size_t)(nl - r->in) + 1;
	if (seen & 8) {
		csv_record_done(r, rec, nf, r->line++);
		return 1;
	}
	rec->nfields = nf;
	rec->fields = r->fields;
	rec->lens = r->lens;
	rec->line = r->line++;
	return 1;
}

int csv_next(struct csv_reader *r, struct csv_record *rec, struct error *err)
{
	enum csv_state st = CSV_FIELD_START;
	size_t nf = 0, start = 0, raw = 0;
	long rec_line, field_line;
	int c;

	if (r == NULL || rec == NULL)
		return error_set(err, THC_EINVAL, "thiếu bộ đọc CSV", "missing CSV reader");
	if (r->status < 0)
		return csv_fail(r, err);
	if (r->done)
		return 0;
	r->rec_len = 0;
	/* An empty final line (input ending in a newline) is not a record. */
	if (csv_peek(r) == CSV_EOF)
		goto eof;
	if (csv_fast_line(r, rec))
		return 1;
	rec_line = field_line = r->line;
	if (csv_reserve_fields(r, 0) < 0)
		return csv_nomem(r, err);

	for (;;) {
		int ends_line;

		c = csv_get(r);
		if (c == CSV_EOF && r->io_error)
			goto eof;
		ends_line = c == '\r' || c == '\n';
		if (c != CSV_EOF && (st == CSV_QUOTED || !ends_line) &&
		    csv_count_raw(r, err, &raw, field_line, nf + 1) < 0)
			return r->status;
		if (c == 0) {
			error_set(&r->saved, THC_EINVAL, "dòng %ld, cột %zu: có byte NUL",
			          "line %ld, column %zu: NUL byte", r->line, nf + 1);
			return csv_fail(r, err);
		}

		if (st == CSV_QUOTED) {
			int q = csv_in_quotes(r, err, &c, &raw, field_line, nf, start);

			if (q < 0)
				return q;
			if (q == 1) {
				st = CSV_AFTER_QUOTE;
				continue;
			}
		} else if (c == ',' || ends_line || c == CSV_EOF) {
			int rc = csv_end_field(r, err, nf, start, field_line);

			if (rc < 0)
				return rc;
			nf++;
			if (c != ',') {
				if (c == '\r' && csv_peek(r) == '\n')
					csv_get(r);
				if (c != CSV_EOF)
					r->line++;
				break;
			}
			if (nf >= r->lim.max_fields) {
				error_set(&r->saved, THC_ETOOBIG,
				          "dòng %ld, cột %zu: bản ghi có quá %zu trường",
				          "line %ld, column %zu: more than %zu fields in a record",
				          r->line, nf + 1, r->lim.max_fields);
				return csv_fail(r, err);
			}
			if (csv_reserve_fields(r, nf) < 0)
				return csv_nomem(r, err);
			st = CSV_FIELD_START;
			start = r->rec_len;
			field_line = r->line;
			continue;
		} else if (st == CSV_AFTER_QUOTE) {
			error_set(&r->saved, THC_EINVAL,
			          "dòng %ld, cột %zu: ký tự không hợp lệ sau dấu ngoặc kép đóng",
			          "line %ld, column %zu: unexpected character after closing quote",
			          r->line, nf + 1);
			return csv_fail(r, err);
		} else if (c == '"') {
			if (st == CSV_FIELD_START) {
				st = CSV_QUOTED;
				continue;
			}
			error_set(&r->saved, THC_EINVAL,
			          "dòng %ld, cột %zu: dấu ngoặc kép nằm giữa trường không có ngoặc kép",
			          "line %ld, column %zu: unexpected quote in unquoted field",
			          r->line, nf + 1);
			return csv_fail(r, err);
		} else {
			st = CSV_UNQUOTED;
		}

		/* Only field content reaches here. */
		if (r->rec_len - start >= r->lim.max_field)
			goto field_too_big;
		if (csv_put(r, (char)c) < 0)
			return csv_nomem(r, err);
		if (st == CSV_UNQUOTED && csv_plain_run(r, &raw, start) < 0)
			return csv_nomem(r, err);
	}

	csv_record_done(r, rec, nf, rec_line);
	return 1;

field_too_big:
	return csv_field_too_big(r, err, field_line, nf);

eof:
	if (r->io_error) {
		error_set(&r->saved, THC_EIO, "lỗi đọc tệp CSV", "error reading CSV file");
		return csv_fail(r, err);
	}
	r->done = 1;
	return 0;
}

/* Quotes a field when a reader would otherwise split it, take it for a
 * quoted field, (for outer spaces) trim it, or, for a leading U+FEFF at the
 * start of a file, drop it as a byte order mark.  n is strlen(s). */
static int csv_needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 1;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return 1;
	return strpbrk(s, ",\"\r\n") != NULL;
}

/* A plain decimal number ("-3", "+84912345678", "18,2"): a spreadsheet
 * reads it as a number, never as a formula. */
static int csv_is_number(const char *s)
{
	const char *p = s + (*s == '-' || *s == '+');
	int digits = 0, sep = 0;

	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if ((*p == '.' || *p == ',') && !sep && digits)
			sep = 1;
		else
			return 0;
	}
	return digits > 0 && p[-1] >= '0' && p[-1] <= '9';
}

/* Leading apostrophes aside, does s start like a formula?  The writer adds
 * one apostrophe to such a cell and the reader takes one off, so a cell that
 * already started with one round-trips too. */
int csv_formula_like(const char *s)
{
	while (*s == '\'')
		s++;
	return (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	        s[0] == '\r') && !csv_is_number(s);
}

/* Records end in CRLF as RFC 4180 says; spreadsheet programs expect it.
 * A cell that a spreadsheet would run as a formula ("=HYPERLINK(...)",
 * "@SUM(...)") gets a leading apostrophe, which shows it as text (the OWASP
 * advice for CSV injection); csv_next takes it off again. */
int csv_write_field(FILE *f, const char *s, int last)
{
	int formula;

	if (f == NULL)
		return THC_EINVAL;
	if (s == NULL)
		s = "";
	formula = csv_formula_like(s);
	if (formula || csv_needs_quotes(s, strlen(s))) {
		if (fputc('"', f) == EOF)
			return THC_EIO;
		if (formula && fputc('\'', f) == EOF)
			return THC_EIO;
		/* Runs between quotes in one call each; a quote is written twice. */
		for (const char *p = s; *p != '\0';) {
			size_t n = strcspn(p, "\"");

			if (n && fwrite(p, 1, n, f) != n)
				return THC_EIO;
			p += n;
			if (*p == '"') {
				if (fputs("\"\"", f) == EOF)
					return THC_EIO;
				p++;
			}
		}
		if (fputc('"', f) == EOF)
			return THC_EIO;
	} else if (fputs(s, f) == EOF) {
		return THC_EIO;
	}
	if (fputs(last ? "\r\n" : ",", f) == EOF)
		return THC_EIO;
	return 0;
}

/* One pass for the length, one for the characters that need quotes (none
 * but the first byte when it is not a formula's), one per quote inside. */
size_t csv_format_field(char *out, const char *s, int last)
{
	char *o = out;
	size_t n;
	int formula;

	if (s == NULL)
		s = "";
	n = strlen(s);
	formula = (unsigned char)s[0] <= '@' && csv_formula_like(s);
	if (formula || csv_needs_quotes(s, n)) {
		const char *p = s, *end = s + n;

		*o++ = '"';
		if (formula)
			*o++ = '\'';
		while (p < end) {
			const char *q = memchr(p, '"', (size_t)(end - p));
			size_t k = q ? (size_t)(q - p) : (size_t)(end - p);

			memcpy(o, p, k);
			o += k;
			p += k;
			if (q != NULL) {
				memcpy(o, "\"\"", 2);
				o += 2;
				p++;
			}
		}
		*o++ = '"';
	} else {
		memcpy(o, s, n);
		o += n;
	}
	if (last) {
		memcpy(o, "\r\n", 2);
		o += 2;
	} else {
		*o++ = ',';
	}
	return (size_t)(o - out);
}
