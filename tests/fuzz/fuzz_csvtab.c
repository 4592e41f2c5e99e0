/*
 * libFuzzer target for csvtab (base/csvtab.c), the header-and-columns table
 * reader under every CSV import (cases, published levels, indicators,
 * vaccination, capacity).  The first byte picks the column set of one of
 * those imports and a row cap; the rest is the file.  Both entry points
 * (memory and stream) must agree, and the result keeps its promises:
 *   - success: the header names known columns, each once, with every
 *     required one; at most max_rows rows, each with a value per column,
 *     input lines rising; csvtab_get gives NULL for a column the file does
 *     not have and "" past the last row;
 *   - failure: the code it returns, messages in both languages that are
 *     valid UTF-8 (they go into a JSON reply);
 *   - csvtab_release frees everything, after success or failure.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csvtab.h"
#include "base/error.h"
#include "fuzz.h"
#include "base/banned.h"

struct colset {
	const char *const *known, *const *required;
};

/* The column sets of the real imports (src/api/cases.c, levels.c). */
static const char *const cases_known[] = {
	"external_id", "full_name", "id_number", "birth_year", "sex", "unit_code", "phone",
	"detected_on", "source", "test_type", "severity", "needs_oxygen", "care_place",
	"outcome", "outcome_on", NULL,
};
static const char *const cases_required[] = {
	"external_id", "full_name", "unit_code", "detected_on", "test_type", NULL,
};
static const char *const levels_known[] = {
	"date", "unit_code", "unit_name", "level", "listed", "source", NULL,
};
static const char *const levels_required[] = { "date", "unit_code", "level", NULL };
static const char *const ind_known[] = {
	"unit_code", "week_end", "population", "cases_week", "cases_prev_week",
	"oxygen_cases_week", "deaths_week", "vax1_18plus_pct", "vaxfull_elderly_pct",
	"vaxfull_pct", "vaxfull_highrisk_pct", "capacity_met", "capacity", NULL,
};
static const char *const ind_required[] = { "unit_code", "week_end", NULL };
static const char *const none[] = { NULL };

static const struct colset colsets[] = {
	{ levels_known, levels_required },
	{ cases_known, cases_required },
	{ ind_known, ind_required },
	{ ind_known, none },
};

static int in_list(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

static void check_table(const struct csvtab *t, const struct colset *cs, size_t max_rows)
{
	FUZZ_CHECK(t->ncols >= 1 && t->ncols <= CSVTAB_COLS_MAX);
	for (size_t j = 0; j < t->ncols; j++) {
		FUZZ_CHECK(in_list(cs->known, t->cols[j]));
		for (size_t k = 0; k < j; k++)
			FUZZ_CHECK(t->cols[k] != t->cols[j]);
	}
	for (size_t k = 0; cs->required[k]; k++)
		FUZZ_CHECK(csvtab_get(t, 0, cs->required[k]) != NULL);
	for (size_t k = 0; cs->known[k]; k++) {
		const char *v = csvtab_get(t, t->n, cs->known[k]);

		FUZZ_CHECK(v == NULL || v[0] == '\0');
	}
	FUZZ_CHECK(csvtab_get(t, 0, "no such column") == NULL);
	FUZZ_CHECK(t->n <= max_rows);
	for (size_t i = 0; i < t->n; i++) {
		FUZZ_CHECK(t->lines[i] >= 2);
		FUZZ_CHECK(i == 0 || t->lines[i] > t->lines[i - 1]);
		for (size_t j = 0; j < t->ncols; j++) {
			const char *v = t->rows[i][j];

			FUZZ_CHECK(v != NULL && text_utf8_valid(v, strlen(v)));
			FUZZ_CHECK(csvtab_get(t, i, t->cols[j]) == v);
		}
		/* A blank line is skipped, so no row is one empty field. */
		FUZZ_CHECK(t->ncols > 1 || t->rows[i][0][0] != '\0');
	}
}

static int same_table(const struct csvtab *a, const struct csvtab *b)
{
	if (a->ncols != b->ncols || a->n != b->n)
		return 0;
	for (size_t j = 0; j < a->ncols; j++)
		if (a->cols[j] != b->cols[j])
			return 0;
	for (size_t i = 0; i < a->n; i++) {
		if (a->lines[i] != b->lines[i])
			return 0;
		for (size_t j = 0; j < a->ncols; j++)
			if (strcmp(a->rows[i][j], b->rows[i][j]) != 0)
				return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t sel = fuzz_take(&data, &size, 1);
	const struct colset *cs = &colsets[sel % ARRAY_SIZE(colsets)];
	size_t max_rows = (size_t)(sel >> 2) % 8;   /* small, so the cap is hit */
	struct csvtab tm, tf;
	struct error em = ERROR_INIT, ef = ERROR_INIT;
	int rm, rf = 0;
	FILE *f = NULL;

	rm = csvtab_read_mem(&tm, (const char *)data, size, cs->known, cs->required,
	                     max_rows, &em);
	if (rm == 0)
		check_table(&tm, cs, max_rows);
	else
		fuzz_check_error(&em, rm);

	/* The stream reader gives the same table or the same error. */
	if (size > 0 && (f = fmemopen((void *)(uintptr_t)data, size, "r")) != NULL) {
		rf = csvtab_read_file(&tf, f, cs->known, cs->required, max_rows, &ef);
		FUZZ_CHECK(rf == rm);
		if (rf == 0)
			FUZZ_CHECK(same_table(&tm, &tf));
		else
			FUZZ_CHECK(strcmp(em.en, ef.en) == 0 && strcmp(em.vi, ef.vi) == 0);
		csvtab_release(&tf);
		fclose(f);
	}
	csvtab_release(&tm);
	return 0;
}
