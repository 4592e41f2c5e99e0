/*
 * csv: RFC 4180 reading from memory and from a FILE, error positions and
 * messages in both languages, every cap, records that straddle the reader's
 * internal buffer, and the writer round-tripping through the reader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "base/csv.h"
#include "base/error.h"

/* Mirrors CSV_READ_BUF in src/base/csv.c.  If that changes the boundary
 * tests still pass, they just stop aiming at the exact edge. */
#define READ_BUF 4096

/* A literal and its length (which strlen would get wrong past a NUL). */
#define LIT(s) s, sizeof(s) - 1

/*
 * Reads everything and renders it as "L<line>:f1|f2;..." with CR, LF and
 * '|' escaped, so a whole parse compares as one string.  Returns the last
 * csv_next() result (0 at a clean end, < 0 on error).
 */
static int dump_reader(struct csv_reader *r, char *out, size_t outsz,
                       struct error *err)
{
	struct csv_record rec;
	size_t o = 0;
	int rc;

	out[0] = '\0';
	while ((rc = csv_next(r, &rec, err)) == 1) {
		o += (size_t)snprintf(out + o, outsz - o, "L%ld:", rec.line);
		assert_true(o < outsz);
		for (size_t i = 0; i < rec.nfields; i++) {
			assert_int_equal(strlen(rec.fields[i]), rec.lens[i]);
			for (size_t j = 0; j < rec.lens[i]; j++) {
				char c = rec.fields[i][j];
				const char *esc = c == '\n' ? "\\n" : c == '\r' ? "\\r" :
				                  c == '|' ? "\\|" : NULL;

				if (esc != NULL)
					o += (size_t)snprintf(out + o, outsz - o, "%s", esc);
				else
					o += (size_t)snprintf(out + o, outsz - o, "%c", c);
				assert_true(o < outsz);
			}
			if (i + 1 < rec.nfields)
				o += (size_t)snprintf(out + o, outsz - o, "|");
		}
		o += (size_t)snprintf(out + o, outsz - o, ";");
		assert_true(o < outsz);
	}
	return rc;
}

static int dump_mem_lim(const char *data, size_t len, const struct csv_limits *lim,
                        char *out, size_t outsz, struct error *err)
{
	struct csv_reader *r = NULL;
	int rc;

	assert_int_equal(csv_open_mem(&r, data, len, lim, err), 0);
	rc = dump_reader(r, out, outsz, err);
	csv_free(r);
	return rc;
}

static FILE *file_with(const char *data, size_t len)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	if (len > 0)
		assert_int_equal(fwrite(data, 1, len, f), len);
	rewind(f);
	return f;
}

static int dump_file_lim(const char *data, size_t len, const struct csv_limits *lim,
                         char *out, size_t outsz, struct error *err)
{
	FILE *f = file_with(data, len);
	struct csv_reader *r = NULL;
	int rc;

	assert_int_equal(csv_open_file(&r, f, lim, err), 0);
	rc = dump_reader(r, out, outsz, err);
	csv_free(r);
	fclose(f);
	return rc;
}

/* Parses from memory and from a file; both must agree exactly. */
static void check_csv_n(const char *data, size_t len, const char *want)
{
	char a[4096], b[4096];
	struct error ea = ERROR_INIT, eb = ERROR_INIT;

	if (dump_mem_lim(data, len, NULL, a, sizeof(a), &ea) != 0)
		fail_msg("mem: %s", ea.en);
	if (dump_file_lim(data, len, NULL, b, sizeof(b), &eb) != 0)
		fail_msg("file: %s", eb.en);
	if (strcmp(a, want) != 0)
		fail_msg("mem got  %s\n   want %s", a, want);
	assert_string_equal(b, want);
}

static void check_csv(const char *data, const char *want)
{
	check_csv_n(data, strlen(data), want);
}

/* Both readers must fail with code and exactly this English message. */
static void check_err_n(const char *data, size_t len, const struct csv_limits *lim,
                        int code, const char *en, const char *vi)
{
	char out[4096];
	struct error ea = ERROR_INIT, eb = ERROR_INIT;

	assert_int_equal(dump_mem_lim(data, len, lim, out, sizeof(out), &ea), code);
	assert_int_equal(ea.code, code);
	if (strcmp(ea.en, en) != 0)
		fail_msg("got \"%s\" want \"%s\"", ea.en, en);
	if (vi != NULL)
		assert_string_equal(ea.vi, vi);
	assert_int_equal(dump_file_lim(data, len, lim, out, sizeof(out), &eb), code);
	assert_string_equal(eb.en, en);
	assert_string_equal(eb.vi, ea.vi);
}

static void check_err(const char *data, int code, const char *en)
{
	check_err_n(data, strlen(data), NULL, code, en, NULL);
}

static void test_basic(void **state)
{
	(void)state;
	check_csv("a,b,c\n1,2,3\n", "L1:a|b|c;L2:1|2|3;");
	check_csv("a,b,c\n1,2,3", "L1:a|b|c;L2:1|2|3;");        /* no final newline */
	check_csv("a\r\nb\r\n", "L1:a;L2:b;");                   /* CRLF */
	check_csv("a\rb\rc", "L1:a;L2:b;L3:c;");                 /* lone CR */
	check_csv("a\r\nb\nc\rd", "L1:a;L2:b;L3:c;L4:d;");      /* mixed */
	check_csv("ma_xa,ten\n00001,Phường Phúc Xá\n", "L1:ma_xa|ten;L2:00001|Phường Phúc Xá;");
	check_csv(" a , b ", "L1: a | b ;");                     /* spaces kept */
}

static void test_empty_things(void **state)
{
	(void)state;
	check_csv("", "");
	check_csv_n(NULL, 0, "");
	check_csv("\n", "L1:;");
	check_csv("a\n\nb\n", "L1:a;L2:;L3:b;");     /* empty line in the middle */
	check_csv("a\n\n", "L1:a;L2:;");
	check_csv("a\r\n\r\nb", "L1:a;L2:;L3:b;");
	check_csv(",", "L1:|;");
	check_csv(",,\n", "L1:||;");
	check_csv("\"\"", "L1:;");
	check_csv("\"\",\"\"\n", "L1:|;");
	check_csv("a,\n", "L1:a|;");
}

static void test_bom(void **state)
{
	(void)state;
	check_csv("\xef\xbb\xbf" "ma,ten\n1,x\n", "L1:ma|ten;L2:1|x;");
	check_csv("\xef\xbb\xbf", "");
	check_csv("\xef\xbb\xbf\n", "L1:;");
	check_csv("\xef\xbb\xbf\"q\"", "L1:q;");
	/* Only at the very start: later it is an ordinary (valid) character. */
	check_csv("a\n\xef\xbb\xbf" "b", "L1:a;L2:\xef\xbb\xbf" "b;");
	/* A partial BOM is not skipped, and is not valid UTF-8. */
	check_err("\xef\xbb", THC_EINVAL, "line 1, column 1: invalid UTF-8");
}

static void test_quoted(void **state)
{
	(void)state;
	check_csv("\"a,b\",c", "L1:a,b|c;");
	check_csv("\"say \"\"hi\"\"\",x", "L1:say \"hi\"|x;");
	check_csv("\"\"\"\"", "L1:\";");
	check_csv("\"\"\"\"\"\"", "L1:\"\";");
	check_csv("\"a\"\"\",\"\"\"b\"", "L1:a\"|\"b;");
	check_csv("\"Hà Nội, Việt Nam\",\"01\"\r\n", "L1:Hà Nội, Việt Nam|01;");
	check_csv("x,\"\"\n", "L1:x|;");
	check_csv("\" padded \"", "L1: padded ;");
}

/* Embedded newlines are kept in the field, and the line count stays right
 * for the records after them. */
static void test_embedded_newlines(void **state)
{
	(void)state;
	check_csv("a,\"x\ny\nz\"\nb\n", "L1:a|x\\ny\\nz;L4:b;");
	check_csv("\"x\r\ny\"\r\nb\r\n", "L1:x\\r\\ny;L3:b;");
	check_csv("\"x\ry\"\rb", "L1:x\\ry;L3:b;");
	check_csv("\"\n\n\n\"\nnext", "L1:\\n\\n\\n;L5:next;");
	check_csv("\"a\",\"b\nc\",\"d\"\n\"e\nf\nG\",h\ni",
	          "L1:a|b\\nc|d;L3:e\\nf\\nG|h;L6:i;");
	/* Errors after them name the physical line. */
	check_err("h\n\"multi\nline\",ok\nbad\"quote\n", THC_EINVAL,
	          "line 4, column 1: unexpected quote in unquoted field");
	check_err("\"a\r\nb\r\nc\",x\"\n", THC_EINVAL,
	          "line 3, column 2: unexpected quote in unquoted field");
}

static void test_error_messages(void **state)
{
	(void)state;
	check_err_n(LIT("a,b\nc,d\ne,\"f\ng"), NULL, THC_EINVAL,
	            "line 3, column 2: unterminated quoted field",
	            "dòng 3, cột 2: trường trong ngoặc kép chưa đóng");
	check_err("\"", THC_EINVAL, "line 1, column 1: unterminated quoted field");
	check_err("a,\"b\"\"", THC_EINVAL, "line 1, column 2: unterminated quoted field");
	check_err("ab\"c", THC_EINVAL, "line 1, column 1: unexpected quote in unquoted field");
	check_err("a,b\"", THC_EINVAL, "line 1, column 2: unexpected quote in unquoted field");
	check_err("x\n\"ab\"c", THC_EINVAL,
	          "line 2, column 1: unexpected character after closing quote");
	check_err("\"ab\" ,x", THC_EINVAL,
	          "line 1, column 1: unexpected character after closing quote");
	check_err("a,\"b\"\"c\"d", THC_EINVAL,
	          "line 1, column 2: unexpected character after closing quote");
	check_err("1,2\n3,\xff\n", THC_EINVAL, "line 2, column 2: invalid UTF-8");
	check_err("1,2\n3,\"ok\nH\xe0 N\xf4i\"\n", THC_EINVAL, "line 2, column 2: invalid UTF-8");
	check_err("\xc0\xaf", THC_EINVAL, "line 1, column 1: invalid UTF-8");        /* overlong */
	check_err("a,b,\xed\xa0\x80", THC_EINVAL, "line 1, column 3: invalid UTF-8"); /* surrogate */
	check_err("a,\xe1\xba", THC_EINVAL, "line 1, column 2: invalid UTF-8");       /* truncated */
	check_err_n(LIT("a,b\0c"), NULL, THC_EINVAL, "line 1, column 2: NUL byte",
	            "dòng 1, cột 2: có byte NUL");
	check_err_n(LIT("x\n\"a\0\""), NULL, THC_EINVAL, "line 2, column 1: NUL byte", NULL);
	check_err_n(LIT("\xef\xbb\xbf\0"), NULL, THC_EINVAL, "line 1, column 1: NUL byte", NULL);
	/* Found by fuzz_csv: an empty first field before a bad one (the record
	 * buffer was still NULL when the empty field was checked). */
	check_err_n(LIT(",\xaf" "x)\xfel\xc0,\xff\n"), NULL, THC_EINVAL,
	            "line 1, column 2: invalid UTF-8", NULL);
}

/* Records before the error are returned; the error then repeats. */
static void test_error_sticky(void **state)
{
	const char *data = "ok,1\nbad\"x\nnever,2\n";
	struct csv_reader *r = NULL;
	struct csv_record rec;
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(csv_open_mem(&r, data, strlen(data), NULL, &err), 0);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.nfields, 2);
	assert_string_equal(rec.fields[0], "ok");
	assert_int_equal(csv_next(r, &rec, &err), THC_EINVAL);
	assert_string_equal(err.en, "line 2, column 1: unexpected quote in unquoted field");
	error_clear(&err);
	assert_int_equal(csv_next(r, &rec, &err), THC_EINVAL);
	assert_string_equal(err.en, "line 2, column 1: unexpected quote in unquoted field");
	assert_int_equal(csv_next(r, &rec, NULL), THC_EINVAL);   /* err may be NULL */
	csv_free(r);

	/* A clean end keeps returning 0. */
	assert_int_equal(csv_open_mem(&r, "a", 1, NULL, &err), 0);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(csv_next(r, &rec, &err), 0);
	assert_int_equal(csv_next(r, &rec, &err), 0);
	csv_free(r);
	csv_free(NULL);
}

static void test_limit_field(void **state)
{
	struct csv_limits lim = { .max_field = 5 };
	char out[256];
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(dump_mem_lim(LIT("12345,x"), &lim, out, sizeof(out), &err), 0);
	assert_string_equal(out, "L1:12345|x;");
	/* Decoded length counts: "a""bcd" is 5 bytes. */
	assert_int_equal(dump_mem_lim(LIT("\"a\"\"bcd\""), &lim, out, sizeof(out), &err), 0);
	assert_string_equal(out, "L1:a\"bcd;");
	assert_int_equal(dump_file_lim(LIT("ok\n\"1\r\n34\""), &lim, out, sizeof(out), &err), 0);
	assert_string_equal(out, "L1:ok;L2:1\\r\\n34;");
	check_err_n(LIT("x,123456"), &lim, THC_ETOOBIG,
	            "line 1, column 2: field longer than 5 bytes",
	            "dòng 1, cột 2: trường dài quá 5 byte");
	check_err_n(LIT("x\ny,\"1\n3456\""), &lim, THC_ETOOBIG,
	            "line 2, column 2: field longer than 5 bytes", NULL);
	check_err_n(LIT("\"12\r\n45\""), &lim, THC_ETOOBIG,
	            "line 1, column 1: field longer than 5 bytes", NULL);
}

static void test_limit_fields(void **state)
{
	struct csv_limits lim = { .max_fields = 3 };
	char out[256];
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(dump_mem_lim(LIT("a,b,c\n,,\n"), &lim, out, sizeof(out), &err), 0);
	assert_string_equal(out, "L1:a|b|c;L2:||;");
	check_err_n(LIT("a,b,c\n1,2,3,4\n"), &lim, THC_ETOOBIG,
	            "line 2, column 4: more than 3 fields in a record",
	            "dòng 2, cột 4: bản ghi có quá 3 trường");
	check_err_n(LIT(",,,"), &lim, THC_ETOOBIG,
	            "line 1, column 4: more than 3 fields in a record", NULL);
}

/* Many fields: the per-field arrays grow past their first size. */
static void test_many_fields(void **state)
{
	static char data[2000];
	struct csv_reader *r = NULL;
	struct csv_record rec;
	struct error err = ERROR_INIT;
	size_t o = 0;

	(void)state;
	for (int i = 0; i < 256; i++)
		o += (size_t)snprintf(data + o, sizeof(data) - o, "%s%d", i ? "," : "", i);
	assert_int_equal(csv_open_mem(&r, data, o, NULL, &err), 0);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.nfields, 256);
	for (int i = 0; i < 256; i++) {
		char want[8];

		snprintf(want, sizeof(want), "%d", i);
		assert_string_equal(rec.fields[i], want);
	}
	csv_free(r);
	/* The default cap is 256 fields: one more is refused. */
	o += (size_t)snprintf(data + o, sizeof(data) - o, ",x");
	check_err_n(data, o, NULL, THC_ETOOBIG,
	            "line 1, column 257: more than 256 fields in a record", NULL);
}

static void test_limit_record(void **state)
{
	struct csv_limits lim = { .max_record = 8 };
	char out[256];
	struct error err = ERROR_INIT;

	(void)state;
	/* 8 bytes plus the line end is fine: the newline is not counted. */
	assert_int_equal(dump_mem_lim(LIT("1234,678\r\nab"), &lim, out, sizeof(out), &err), 0);
	assert_string_equal(out, "L1:1234|678;L2:ab;");
	/* Quotes and commas count: the raw record is 9 bytes. */
	check_err_n(LIT("\"12\",5678"), &lim, THC_ETOOBIG,
	            "line 1, column 2: record longer than 8 bytes",
	            "dòng 1, cột 2: bản ghi dài quá 8 byte");
	check_err_n(LIT("ok\n1,2,3,4,5"), &lim, THC_ETOOBIG,
	            "line 2, column 5: record longer than 8 bytes", NULL);
	/* An escaped quote's second byte counts too. */
	check_err_n(LIT("\"123456\"\"\""), &lim, THC_ETOOBIG,
	            "line 1, column 1: record longer than 8 bytes", NULL);
	/* An endless quoted field stops at the cap, not at end of input. */
	check_err_n(LIT("\"\n\n\n\n\n\n\n\n\n\n\n\n"), &lim, THC_ETOOBIG,
	            "line 1, column 1: record longer than 8 bytes", NULL);
}

/* The defaults apply with no limits and to zero members: 64 KiB fields. */
static void test_limits_default(void **state)
{
	struct csv_limits def = CSV_LIMITS_DEFAULT;
	struct csv_limits zero = { 0, 0, 0 };
	size_t n = def.max_field;
	char *big = malloc(n + 1);
	struct csv_reader *r = NULL;
	struct csv_record rec;
	struct error err = ERROR_INIT;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', n + 1);
	assert_int_equal(csv_open_mem(&r, big, n, &zero, &err), 0);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.lens[0], n);
	assert_int_equal(csv_next(r, &rec, &err), 0);
	csv_free(r);
	check_err_n(big, n + 1, NULL, THC_ETOOBIG,
	            "line 1, column 1: field longer than 65536 bytes", NULL);
	check_err_n(big, n + 1, &zero, THC_ETOOBIG,
	            "line 1, column 1: field longer than 65536 bytes", NULL);
	free(big);
}

/*
 * The tricky sequences (CRLF, "" escape, closing quote then comma, a
 * multi-byte character) placed at every offset around the end of the
 * reader's first and second buffer fill: the file reader must give exactly
 * what the memory reader gives, including line numbers.
 */
static void test_buffer_boundaries(void **state)
{
	static const char tail[] =
		"\r\n\"q\"\"x\r\ny\",z\r\n\"Hà Nội\",\"\"\"\"\r\nĐắk Lắk\rlast";
	char *data = malloc(3 * READ_BUF);
	char *a = malloc(4 * READ_BUF), *b = malloc(4 * READ_BUF);

	(void)state;
	assert_non_null(data);
	assert_non_null(a);
	assert_non_null(b);
	for (size_t base = READ_BUF; base <= 2 * READ_BUF; base += READ_BUF) {
		for (size_t pad = base - 48; pad <= base + 4; pad++) {
			struct error ea = ERROR_INIT, eb = ERROR_INIT;
			size_t len;
			const char *want_tail =
				";L2:q\"x\\r\\ny|z;L4:Hà Nội|\";L5:Đắk Lắk;L6:last;";

			/* One long field, then the tail; with a BOM on odd pads so
			 * the BOM skip shifts the window too. */
			len = 0;
			if (pad % 2) {
				memcpy(data, "\xef\xbb\xbf", 3);
				len = 3;
			}
			memset(data + len, 'p', pad - len);
			len = pad;
			memcpy(data + len, tail, sizeof(tail) - 1);
			len += sizeof(tail) - 1;
			assert_int_equal(dump_mem_lim(data, len, NULL, a, 4 * READ_BUF, &ea), 0);
			assert_int_equal(dump_file_lim(data, len, NULL, b, 4 * READ_BUF, &eb), 0);
			assert_string_equal(a, b);
			assert_non_null(strstr(b, want_tail));
		}
	}
	free(data);
	free(a);
	free(b);
}

/* Deterministic pseudo-random input, for the large streaming test. */
static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static const char *const rnd_pieces[] = {
	"a", "Hà", "Nội", " ", ",", "\"", "\n", "\r\n", "\r", "x", "1234567890",
	"Đắk Lắk", "ư", "😷", "|",
};

/* Random fields written with csv_write_field to a file, read back from the
 * file (crossing the buffer many times) and from memory: both must return
 * the original fields and the same line numbers. */
static void test_write_read_round_trip(void **state)
{
	enum { NREC = 3000, MAXF = 6 };
	uint32_t seed = 20211011;
	FILE *f = tmpfile();
	char **want = calloc(NREC * MAXF, sizeof(char *));
	size_t *nf = calloc(NREC, sizeof(size_t));
	struct csv_reader *rf = NULL, *rm = NULL;
	struct csv_record rec, recm;
	struct error err = ERROR_INIT;
	char *mem;
	long size;
	long line = 1;

	(void)state;
	assert_non_null(f);
	assert_non_null(want);
	assert_non_null(nf);
	for (size_t i = 0; i < NREC; i++) {
		nf[i] = 1 + rng_next(&seed) % MAXF;
		for (size_t j = 0; j < nf[i]; j++) {
			char buf[256];
			size_t o = 0, np = rng_next(&seed) % 12;

			for (size_t k = 0; k < np; k++)
				o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s",
				                      rnd_pieces[rng_next(&seed) % 15]);
			want[i * MAXF + j] = strdup(buf);
			assert_non_null(want[i * MAXF + j]);
			assert_int_equal(csv_write_field(f, buf, j + 1 == nf[i]), 0);
		}
	}
	size = ftell(f);
	assert_true(size > 20 * READ_BUF);
	rewind(f);
	mem = malloc((size_t)size);
	assert_non_null(mem);
	assert_int_equal(fread(mem, 1, (size_t)size, f), (size_t)size);
	rewind(f);

	assert_int_equal(csv_open_file(&rf, f, NULL, &err), 0);
	assert_int_equal(csv_open_mem(&rm, mem, (size_t)size, NULL, &err), 0);
	for (size_t i = 0; i < NREC; i++) {
		assert_int_equal(csv_next(rf, &rec, &err), 1);
		assert_int_equal(csv_next(rm, &recm, &err), 1);
		/* A record with one empty field is written as an empty line. */
		assert_int_equal(rec.nfields, nf[i]);
		assert_int_equal(rec.line, line);
		assert_int_equal(recm.line, line);
		for (size_t j = 0; j < nf[i]; j++) {
			const char *w = want[i * MAXF + j];

			assert_string_equal(rec.fields[j], w);
			assert_string_equal(recm.fields[j], w);
			/* Line ends inside the field are physical lines. */
			for (const char *p = w; *p; p++)
				if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
					line++;
		}
		line++;
	}
	assert_int_equal(csv_next(rf, &rec, &err), 0);
	assert_int_equal(csv_next(rm, &recm, &err), 0);
	csv_free(rf);
	csv_free(rm);
	fclose(f);
	free(mem);
	for (size_t i = 0; i < NREC * MAXF; i++)
		free(want[i]);
	free(want);
	free(nf);
}

static char *write_to_string(const char *const *fields, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(csv_write_field(f, fields[i], i + 1 == n), 0);
	fclose(f);
	return buf;
}

static void test_write_field(void **state)
{
	static const char *const f1[] = {
		"plain", "a,b", "say \"hi\"", " lead", "trail ", "line\nbreak",
		"cr\r", "", NULL, "Hà Nội", "in side", "\ttab",
	};
	char *s;

	(void)state;
	s = write_to_string(f1, sizeof(f1) / sizeof(f1[0]));
	assert_string_equal(s,
		"plain,\"a,b\",\"say \"\"hi\"\"\",\" lead\",\"trail \",\"line\nbreak\","
		"\"cr\r\",,,Hà Nội,in side,\"'\ttab\"\r\n");
	free(s);
	/* A read-only stream cannot be written. */
	{
		FILE *ro = fopen("/dev/null", "r");

		assert_non_null(ro);
		assert_int_equal(csv_write_field(ro, "x", 1), THC_EIO);
		assert_int_equal(csv_write_field(ro, "a,b", 0), THC_EIO);
		fclose(ro);
	}
	assert_int_equal(csv_write_field(NULL, "x", 1), THC_EINVAL);
}

/* Cells a spreadsheet would run as formulas are written as text (a leading
 * apostrophe) and read back as they were; numbers are left alone
 * (security finding 5: CSV formula injection). */
static void test_formula_cells(void **state)
{
	static const char *const cells[] = {
		"=HYPERLINK(\"http://x\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1)", "=1", "\rcmd",
		"-5", "+84912345678", "18,2", "-0.5", "a=b", "'=already", "", "Hà Nội",
	};
	static const char *const written =
		"\"'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")\",\"'+1+1\",\"'-2+3\",\"'@SUM(A1)\","
		"\"'=1\",\"'\rcmd\",-5,+84912345678,\"18,2\",-0.5,a=b,\"''=already\",,Hà Nội\r\n";
	struct csv_reader *r = NULL;
	struct csv_record rec;
	struct error err = ERROR_INIT;
	char *s;

	(void)state;
	s = write_to_string(cells, sizeof(cells) / sizeof(cells[0]));
	assert_string_equal(s, written);
	assert_int_equal(csv_open_mem(&r, s, strlen(s), NULL, &err), 0);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.nfields, sizeof(cells) / sizeof(cells[0]));
	for (size_t i = 0; i < rec.nfields; i++) {
		assert_string_equal(rec.fields[i], cells[i]);
		assert_int_equal(rec.lens[i], strlen(cells[i]));
	}
	csv_free(r);
	free(s);
}

/*
 * Found by tests/fuzz/fuzz_csv's write-and-read-back check: a first field
 * that starts with U+FEFF, written unquoted at the start of a file, was read
 * back as a byte order mark and lost.  It is quoted now.
 */
static void test_write_leading_bom(void **state)
{
	static const char *const rec[] = { "\xEF\xBB\xBF" "a", "b" };
	struct csv_reader *r = NULL;
	struct csv_record got;
	struct error err = ERROR_INIT;
	char *s;

	(void)state;
	s = write_to_string(rec, 2);
	assert_int_equal(csv_open_mem(&r, s, strlen(s), NULL, &err), 0);
	assert_int_equal(csv_next(r, &got, &err), 1);
	assert_int_equal(got.nfields, 2);
	assert_string_equal(got.fields[0], "\xEF\xBB\xBF" "a");
	assert_string_equal(got.fields[1], "b");
	assert_int_equal(csv_next(r, &got, &err), 0);
	csv_free(r);
	free(s);
}

/* A stream whose first read succeeds and whose next read fails. */
struct failing_stream {
	int calls;
};

static ssize_t failing_read(void *cookie, char *buf, size_t size)
{
	struct failing_stream *fs = cookie;
	static const char data[] = "a,b\nc,d\npartial";

	if (fs->calls++ == 0) {
		size_t n = sizeof(data) - 1 < size ? sizeof(data) - 1 : size;

		memcpy(buf, data, n);
		return (ssize_t)n;
	}
	errno = EIO;
	return -1;
}

/* A read error is THC_EIO, not a clean end: the records read before it are
 * returned, the cut-off record is not. */
static void test_read_error(void **state)
{
	struct failing_stream fs = { 0 };
	cookie_io_functions_t io = { .read = failing_read };
	FILE *f = fopencookie(&fs, "r", io);
	struct csv_reader *r = NULL;
	struct csv_record rec;
	struct error err = ERROR_INIT;

	(void)state;
	assert_non_null(f);
	assert_int_equal(csv_open_file(&r, f, NULL, &err), 0);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_string_equal(rec.fields[0], "a");
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_string_equal(rec.fields[1], "d");
	assert_int_equal(csv_next(r, &rec, &err), THC_EIO);
	assert_int_equal(err.code, THC_EIO);
	assert_string_equal(err.en, "error reading CSV file");
	assert_string_equal(err.vi, "lỗi đọc tệp CSV");
	assert_int_equal(csv_next(r, &rec, &err), THC_EIO);
	csv_free(r);
	fclose(f);

	/* Reading a directory fails at once. */
	f = fopen("/", "r");
	if (f != NULL) {
		assert_int_equal(csv_open_file(&r, f, NULL, &err), 0);
		assert_int_equal(csv_next(r, &rec, &err), THC_EIO);
		csv_free(r);
		fclose(f);
	}
}

static void test_bad_arguments(void **state)
{
	struct csv_reader *r = NULL;
	struct csv_record rec;
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(csv_open_mem(&r, NULL, 3, NULL, &err), THC_EINVAL);
	assert_int_equal(csv_open_mem(NULL, "a", 1, NULL, &err), THC_EINVAL);
	assert_int_equal(csv_open_file(&r, NULL, NULL, &err), THC_EINVAL);
	assert_int_equal(csv_next(NULL, &rec, &err), THC_EINVAL);
	assert_int_equal(csv_open_mem(&r, "a", 1, NULL, NULL), 0);
	assert_int_equal(csv_next(r, NULL, &err), THC_EINVAL);
	csv_free(r);
}

/* Whole plain lines are split in one pass: mixed with lines that need the
 * byte-by-byte reader, at the caps, with CRLF, blank lines and non-ASCII
 * text, the records and errors are the same as that reader's. */
static void test_plain_lines(void **state)
{
	struct csv_limits lim = { 4, 3, 12 };
	char out[4096];
	struct error err = ERROR_INIT;

	(void)state;
	check_csv("a,b,c\n1,\"2,x\",3\r\n\nHà Nội,,z\n'=1,4\n",
	          "L1:a|b|c;L2:1|2,x|3;L3:;L4:Hà Nội||z;L5:=1|4;");
	check_csv("x\ny\rz\n", "L1:x;L2:y;L3:z;");
	check_err("ok,1\nbad,\xC3\x28\nok,2\n", THC_EINVAL, "line 2, column 2: invalid UTF-8");
	check_err_n(LIT("ok,1\na\0b\n"), NULL, THC_EINVAL, "line 2, column 1: NUL byte", NULL);
	check_err("ok,1\nab\"c\n", THC_EINVAL,
	          "line 2, column 1: unexpected quote in unquoted field");
	/* At the caps (4 bytes a field, 3 fields, 12 bytes a record). */
	assert_int_equal(dump_mem_lim(LIT("abcd,e,f\nabcd,efgh,ij\n"), &lim, out, sizeof(out),
	                              &err), 0);
	assert_string_equal(out, "L1:abcd|e|f;L2:abcd|efgh|ij;");
	check_err_n(LIT("a,b\nabcde\n"), &lim, THC_ETOOBIG,
	            "line 2, column 1: field longer than 4 bytes", NULL);
	check_err_n(LIT("a,b\na,b,c,d\n"), &lim, THC_ETOOBIG,
	            "line 2, column 4: more than 3 fields in a record", NULL);
	check_err_n(LIT("a\nabcd,efgh,ijk\n"), &lim, THC_ETOOBIG,
	            "line 2, column 3: record longer than 12 bytes", NULL);
}

/* csv_format_field writes what csv_write_field writes. */
static void test_format_field(void **state)
{
	static const char *const f[] = {
		"plain", "a,b", "say \"hi\"", " lead", "trail ", "line\nbreak", "cr\r", "",
		NULL, "Hà Nội", "\ttab", "=SUM(A1)", "-3", "+84912345678", "@x", "\"\"",
		"\xEF\xBB\xBF" "bom", "'=1", "Cấp 3: 57,5 ca/100.000 dân/tuần",
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		for (int last = 0; last <= 1; last++) {
			FILE *m = tmpfile();
			char want[256];
			size_t n = csv_format_field(buf, f[i], last), k;

			assert_non_null(m);
			assert_int_equal(csv_write_field(m, f[i], last), 0);
			rewind(m);
			k = fread(want, 1, sizeof(want), m);
			fclose(m);
			assert_int_equal(n, k);
			assert_memory_equal(buf, want, n);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lines),
		cmocka_unit_test(test_format_field),
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_empty_things),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_embedded_newlines),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_error_sticky),
		cmocka_unit_test(test_limit_field),
		cmocka_unit_test(test_limit_fields),
		cmocka_unit_test(test_many_fields),
		cmocka_unit_test(test_limit_record),
		cmocka_unit_test(test_limits_default),
		cmocka_unit_test(test_buffer_boundaries),
		cmocka_unit_test(test_write_read_round_trip),
		cmocka_unit_test(test_write_field),
		cmocka_unit_test(test_formula_cells),
		cmocka_unit_test(test_write_leading_bom),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
