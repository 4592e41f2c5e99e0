/*
 * libFuzzer target for the CSV reader: any bytes must either parse or fail
 * with a positioned error, never crash, leak or read out of bounds.  The
 * same input also goes through csv_open_file (fmemopen) with tiny caps so
 * that the streaming path and every cap are exercised, and both readers
 * must agree record for record.  The records read are then written back
 * with csv_write_field (as the exports do) and must read back the same:
 * whatever we export, we can import.
 *
 * Build and run (clang only):
 *   CC=clang cmake -B build-fuzz -DTHC_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_csv fuzz_text
 *   build-fuzz/tests/fuzz/fuzz_csv -max_total_time=30 -max_len=20000 \
 *       tests/fuzz/corpus/csv
 * (-max_len above the reader's 4 KiB buffer lets records straddle refills.)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/error.h"
#include "base/text.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every returned field must honour the reader's promises. */
static void fuzz_check_record(const struct csv_record *rec, const struct csv_limits *lim)
{
	if (rec->nfields == 0 || rec->nfields > lim->max_fields || rec->line < 1)
		abort();
	for (size_t i = 0; i < rec->nfields; i++) {
		if (rec->lens[i] > lim->max_field || rec->fields[i][rec->lens[i]] != '\0' ||
		    memchr(rec->fields[i], '\0', rec->lens[i]) != NULL ||
		    !text_utf8_valid(rec->fields[i], rec->lens[i]))
			abort();
	}
}

static int fuzz_same(const struct csv_record *a, const struct csv_record *b)
{
	if (a->nfields != b->nfields || a->line != b->line)
		return 0;
	for (size_t i = 0; i < a->nfields; i++)
		if (a->lens[i] != b->lens[i] ||
		    memcmp(a->fields[i], b->fields[i], a->lens[i]) != 0)
			return 0;
	return 1;
}

/*
 * Writes every record the reader gives (until its end or error) with
 * csv_write_field, then reads the output again with the default caps
 * (quoting makes records longer): the same records, then the end.
 */
static void fuzz_round_trip(const uint8_t *data, size_t size, const struct csv_limits *lim)
{
	struct csv_limits big = CSV_LIMITS_DEFAULT;
	struct csv_reader *r = NULL, *back = NULL;
	struct csv_record a, b;
	struct error e = ERROR_INIT;
	char *out = NULL;
	size_t outlen = 0;
	FILE *w = open_memstream(&out, &outlen);
	int n = 0;

	if (w == NULL || csv_open_mem(&r, (const char *)data, size, lim, &e) != 0)
		abort();
	while (csv_next(r, &a, &e) == 1) {
		for (size_t i = 0; i < a.nfields; i++)
			if (csv_write_field(w, a.fields[i], i + 1 == a.nfields) != 0)
				abort();
		n++;
	}
	if (fclose(w) != 0)
		abort();
	csv_free(r);
	if (csv_open_mem(&r, (const char *)data, size, lim, &e) != 0 ||
	    csv_open_mem(&back, out, outlen, &big, &e) != 0)
		abort();
	for (int i = 0; i < n; i++) {
		if (csv_next(r, &a, &e) != 1 || csv_next(back, &b, &e) != 1)
			abort();
		if (a.nfields != b.nfields)
			abort();
		for (size_t j = 0; j < a.nfields; j++)
			if (a.lens[j] != b.lens[j] || memcmp(a.fields[j], b.fields[j], a.lens[j]) != 0)
				abort();
	}
	if (csv_next(back, &b, &e) != 0)
		abort();
	csv_free(r);
	csv_free(back);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Small caps, chosen from the first byte, so inputs hit them. */
	struct csv_limits lim = { 64, 8, 256 };
	struct csv_reader *rm = NULL, *rf = NULL;
	struct csv_record a, b;
	struct error ea = ERROR_INIT, eb = ERROR_INIT;
	FILE *f = NULL;
	int ra, rb;
	long prev_line = 0;

	if (size > 0) {
		lim.max_field = 1 + (data[0] & 0x1F) * 4;
		lim.max_fields = 1 + (data[0] >> 5);
	}
	if (csv_open_mem(&rm, (const char *)data, size, &lim, &ea) != 0)
		abort();
	if (size > 0) {
		f = fmemopen((void *)(uintptr_t)data, size, "r");
		if (f == NULL || csv_open_file(&rf, f, &lim, &eb) != 0)
			abort();
	}
	for (;;) {
		ra = csv_next(rm, &a, &ea);
		if (ra == 1) {
			fuzz_check_record(&a, &lim);
			if (a.line <= prev_line)
				abort();
			prev_line = a.line;
		}
		if (rf != NULL) {
			rb = csv_next(rf, &b, &eb);
			if (ra != rb || (ra == 1 && !fuzz_same(&a, &b)))
				abort();
			if (ra < 0 && strcmp(ea.en, eb.en) != 0)
				abort();
		}
		if (ra != 1)
			break;
	}
	if (ra < 0 && (ea.code != ra || ea.en[0] == '\0' || ea.vi[0] == '\0'))
		abort();
	/* After the end or an error, the reader stays there. */
	if (csv_next(rm, &a, &ea) != ra)
		abort();
	csv_free(rm);
	csv_free(rf);
	if (f != NULL)
		fclose(f);
	fuzz_round_trip(data, size, &lim);
	return 0;
}
