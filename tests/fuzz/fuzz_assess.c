/*
 * libFuzzer target for the inputs of an assessment: level_input_parse (the
 * text of each field, as `thichung assess` and the indicators import read
 * it) and level_assess with the shipped rule sets (every .json in data/rules,
 * loaded once).  The input is one row, "population,cases_week,..." in
 * LEVEL_FIELDS order (missing fields are empty, i.e. absent); its first
 * byte picks the rule set.  Checked:
 *   - each field parses or fails with a message (valid UTF-8); an empty
 *     field clears its bit; what parses passes level_input_check;
 *   - the result keeps its ranges (level_check.h), with and without text;
 *   - the shipped rule sets are monotone: more cases, oxygen cases or
 *     deaths, or a lower vaccination share, never lower an assessed level.
 */
#include <dirent.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/level.h"
#include "fuzz.h"
#include "level_check.h"
#include "base/banned.h"

#ifndef THC_FUZZ_DATA_DIR
#error "THC_FUZZ_DATA_DIR: the data/ directory (set by tests/fuzz/CMakeLists.txt)"
#endif

#define FUZZ_RULES_MAX 16
#define FUZZ_FIELD_MAX 64

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Loaded once: read-only afterwards. */
static struct level_catalog *catalog;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(LEVEL_RULES_MAX_BYTES + 1);

	if (f == NULL || buf == NULL)
		abort();
	*len = fread(buf, 1, LEVEL_RULES_MAX_BYTES + 1, f);
	fclose(f);
	return buf;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct level_source src[FUZZ_RULES_MAX];
	struct error err = ERROR_INIT;
	char path[512], *names[FUZZ_RULES_MAX];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	(void)argc;
	(void)argv;
	json_object_seed(1);
	if ((d = opendir(THC_FUZZ_DATA_DIR "/rules")) == NULL)
		abort();
	while ((e = readdir(d)) != NULL && n < FUZZ_RULES_MAX) {
		size_t k = strlen(e->d_name);

		if (k < 6 || strcmp(e->d_name + k - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/rules/%s", THC_FUZZ_DATA_DIR, e->d_name);
		names[n] = strdup(e->d_name);
		src[n].name = names[n];
		src[n].json = slurp(path, &src[n].len);
		n++;
	}
	closedir(d);
	if (level_catalog_load(&catalog, src, n, &err) != 0) {
		fprintf(stderr, "fuzz_assess: the shipped rules do not load: %s\n", err.en);
		abort();
	}
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		free((char *)src[i].json);
	}
	return 0;
}

/* Assesses and checks; the level, or -1 when refused. */
static int assess(const struct level_rules *r, const struct level_input *in)
{
	struct level_result res, quiet;
	int rc = level_assess(r, in, 0, &res);

	check_result(r, in, rc, &res);
	FUZZ_CHECK(level_assess(r, in, LEVEL_NO_TEXT, &quiet) == rc);
	FUZZ_CHECK(same_result(&res, &quiet));
	return rc < 0 ? -1 : res.level;
}

/* A copy of `in` with one count raised, or one share lowered. */
static int64_t raise_count(int64_t v, uint8_t by)
{
	int64_t r = v + 1 + v * (by % 4);

	return r > LEVEL_COUNT_MAX ? LEVEL_COUNT_MAX : r;
}

static void check_monotone(const struct level_rules *r, const struct level_input *in,
                           int level, uint8_t by)
{
	struct level_input more;
	int l2;

	if (level <= LEVEL_NONE)
		return;
	more = *in;
	more.cases_week = raise_count(in->cases_week, by);
	more.cases_prev_week = raise_count(in->cases_prev_week, by);
	if ((l2 = assess(r, &more)) > LEVEL_NONE)
		FUZZ_CHECK(l2 >= level);
	more = *in;
	more.oxygen_cases_week = raise_count(in->oxygen_cases_week, by);
	more.deaths_week = raise_count(in->deaths_week, by);
	if ((l2 = assess(r, &more)) > LEVEL_NONE)
		FUZZ_CHECK(l2 >= level);
	more = *in;
	more.vax1_18plus_pct /= 2;
	more.vaxfull_elderly_pct /= 2;
	more.vaxfull_pct /= 2;
	more.vaxfull_highrisk_pct -= more.vaxfull_highrisk_pct > 1 ? 1 : 0;
	if ((l2 = assess(r, &more)) > LEVEL_NONE)
		FUZZ_CHECK(l2 >= level);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct level_input in = LEVEL_INPUT_INIT;
	const struct level_rules *r;
	uint8_t sel = (uint8_t)fuzz_take(&data, &size, 1);
	const char *p = (const char *)data, *end = p + size;
	int level;

	r = level_catalog_at(catalog, sel % level_catalog_count(catalog));
	for (int f = 0; f < LEVEL_F_COUNT; f++) {
		const char *comma = p < end ? memchr(p, ',', (size_t)(end - p)) : NULL;
		size_t len = p < end ? (size_t)((comma ? comma : end) - p) : 0;
		char field[FUZZ_FIELD_MAX];
		struct error err = ERROR_INIT;
		unsigned before = in.present;
		int rc;

		/* A NUL ends the C string as it would end a CSV field's text. */
		snprintf(field, sizeof(field), "%.*s", (int)(len < sizeof(field) ? len : sizeof(field) - 1), p);
		rc = level_input_parse(&in, (enum level_field)f, field, &err);
		if (rc < 0) {
			fuzz_check_error(&err, rc);
			FUZZ_CHECK(rc == THC_EINVAL && in.present == before);
		} else {
			FUZZ_CHECK(rc == 0);
			FUZZ_CHECK(field[0] == '\0' ? !(in.present & LEVEL_HAS(f))
			                            : (in.present & LEVEL_HAS(f)) != 0);
		}
		p = comma ? comma + 1 : end;
	}
	FUZZ_CHECK(level_input_check(&in, &(struct error)ERROR_INIT) == 0);
	level = assess(r, &in);
	FUZZ_CHECK(level >= LEVEL_NONE);
	check_monotone(r, &in, level, sel);
	return 0;
}
