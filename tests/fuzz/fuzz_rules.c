/*
 * libFuzzer target for the level rule sets (domain/level.c): the JSON
 * rule-file loader, then the engine on what it loaded.  Seeds are the
 * files of data/rules/.
 *
 * An input without a NUL byte is one stand-alone file (level_rules_parse);
 * NUL bytes split it into up to four files for a catalog
 * (level_catalog_load: "extends", merging, conflicts), which JSON text
 * cannot contain otherwise.  A loaded rule set must then:
 *   - report sane accessors (id, dates, first weekday, required inputs);
 *   - assess a fixed set of inputs without crashing, each result within
 *     its ranges: level 0..4, 0 only with the missing inputs named, never
 *     below the matrix cell, bands and rows 1..4, explanations valid UTF-8
 *     that fit; LEVEL_NO_TEXT gives the same figures without text;
 *   - aggregate fixed child levels for children_levels scopes, with a
 *     result that never falls when a child's level rises;
 *   - load again from its own level_rules_json() and give the same results.
 * jansson (pkg-config) is linked as a library: it is not what is tested.
 */
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/level.h"
#include "fuzz.h"
#include "level_check.h"
#include "base/banned.h"

#define FUZZ_FILES_MAX 4

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_object_seed(1);     /* the same hashing in every run */
	return 0;
}

#define ALL_FIELDS ((1u << LEVEL_F_COUNT) - 1)

static const struct level_input inputs[] = {
	/* A typical week, everything given. */
	{ ALL_FIELDS & ~LEVEL_HAS(LEVEL_F_PREVIOUS_LEVEL), 100000, 50, 40, 3, 1,
	  80, 85, 75, 90, 1, LEVEL_CAPACITY_MEDIUM, 0 },
	/* Population only. */
	{ LEVEL_HAS(LEVEL_F_POPULATION), 5000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	/* Lowest values, a higher previous level, capacity not met. */
	{ ALL_FIELDS, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, LEVEL_CAPACITY_LOW, 4 },
	/* Highest values. */
	{ ALL_FIELDS, 1, LEVEL_COUNT_MAX, LEVEL_COUNT_MAX, LEVEL_COUNT_MAX, LEVEL_COUNT_MAX,
	  100, 100, 100, 100, 1, LEVEL_CAPACITY_HIGH, 1 },
	{ ALL_FIELDS, LEVEL_POPULATION_MAX, LEVEL_COUNT_MAX, 0, 1, 0,
	  69.99, 80, 100, 0, 1, LEVEL_CAPACITY_HIGH, 3 },
	/* A higher previous level without capacity_met: not assessable when
	 * a no-downgrade rule applies. */
	{ ALL_FIELDS & ~LEVEL_HAS(LEVEL_F_CAPACITY_MET), 200000, 1, 1, 0, 0,
	  100, 100, 100, 100, 0, LEVEL_CAPACITY_HIGH, 4 },
	/* Exactly on common band edges: 20, 50, 150 cases per 100,000. */
	{ ALL_FIELDS, 1000000, 200, 200, 50, 60, 70, 80, 75, 75, 1, LEVEL_CAPACITY_MEDIUM, 2 },
	{ ALL_FIELDS, 100000, 50, 50, 5, 6, 70, 80, 75, 75, 0, LEVEL_CAPACITY_LOW, 2 },
	{ ALL_FIELDS, 100000, 150, 150, 10, 7, 70, 80, 75, 75, 0, LEVEL_CAPACITY_LOW, 2 },
	/* Out of range: refused, never assessed. */
	{ ALL_FIELDS, 1000, -1, 0, 0, 0, 50, 50, 50, 50, 1, LEVEL_CAPACITY_HIGH, 1 },
	{ ALL_FIELDS, 1000, 0, 0, 0, 0, NAN, 50, 50, 50, 1, LEVEL_CAPACITY_HIGH, 1 },
};

/* Children below a district or province, each set >= the one before it
 * child by child within a group, so a result may only rise. */
static const int children[][6] = {
	{ 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 2, 2 }, { 1, 2, 2, 3, 3, 4 },
	{ 3, 3, 3, 4, 4, 4 }, { 4, 4, 4, 4, 4, 4 },
};

static void check_aggregate(const struct level_rules *r)
{
	struct level_result res, quiet;

	for (int s = 0; s < LEVEL_SCOPE_COUNT; s++) {
		int prev = LEVEL_NONE, rc;

		if (level_rules_scope_method(r, (enum level_scope)s) != LEVEL_CHILDREN_LEVELS) {
			rc = level_aggregate(r, (enum level_scope)s, children[0], 6, 0, &res);
			FUZZ_CHECK(rc == THC_EINVAL && res.level == LEVEL_NONE);
			continue;
		}
		FUZZ_CHECK(s != LEVEL_SCOPE_COMMUNE);
		for (size_t i = 0; i < ARRAY_SIZE(children); i++) {
			rc = level_aggregate(r, (enum level_scope)s, children[i], 6, 0, &res);
			FUZZ_CHECK(rc == 0 && res.level >= LEVEL_MIN && res.level <= LEVEL_MAX);
			FUZZ_CHECK(res.level >= prev);
			FUZZ_CHECK(res.children == 6 && res.children_unknown == 0);
			check_text(res.explain_vi);
			check_text(res.explain_en);
			FUZZ_CHECK(level_aggregate(r, (enum level_scope)s, children[i], 6,
			                           LEVEL_NO_TEXT, &quiet) == 0);
			FUZZ_CHECK(quiet.level == res.level && quiet.explain_en[0] == '\0');
			prev = res.level;
		}
		/* Unknown children: a level only when they cannot change it. */
		{
			static const int some[] = { 1, 0, 4, 0, 2, 3 };
			int lo[6], hi[6];
			struct level_result rlo, rhi;

			for (int i = 0; i < 6; i++) {
				lo[i] = some[i] ? some[i] : 1;
				hi[i] = some[i] ? some[i] : 4;
			}
			FUZZ_CHECK(level_aggregate(r, (enum level_scope)s, some, 6, 0, &res) == 0);
			FUZZ_CHECK(level_aggregate(r, (enum level_scope)s, lo, 6, 0, &rlo) == 0);
			FUZZ_CHECK(level_aggregate(r, (enum level_scope)s, hi, 6, 0, &rhi) == 0);
			FUZZ_CHECK(rlo.level <= rhi.level);
			FUZZ_CHECK(res.level == (rlo.level == rhi.level ? rlo.level : LEVEL_NONE));
			FUZZ_CHECK(res.children_unknown == 2);
		}
		FUZZ_CHECK(level_aggregate(r, (enum level_scope)s, NULL, 0, 0, &res) == 0 &&
		           res.level == LEVEL_NONE);
		FUZZ_CHECK(level_aggregate(r, (enum level_scope)s, (const int[]){ 5 }, 1, 0,
		                           &res) == THC_EINVAL);
	}
}

/* The resolved document, with "extends" cleared, loads on its own. */
static struct level_rules *reload(const struct level_rules *r)
{
	struct level_rules *again = NULL;
	struct error err = ERROR_INIT;
	char *text = level_rules_json(r), *flat;
	json_t *doc;

	FUZZ_CHECK(text != NULL);
	doc = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	FUZZ_CHECK(doc != NULL);
	FUZZ_CHECK(json_object_set_new(doc, "extends", json_null()) == 0);
	flat = json_dumps(doc, JSON_COMPACT);
	FUZZ_CHECK(flat != NULL);
	if (level_rules_parse(&again, "again.json", flat, strlen(flat), &err) != 0) {
		fprintf(stderr, "reload: %s\n", err.en);
		FUZZ_CHECK(!"a loaded rule set loads again from its own JSON");
	}
	json_decref(doc);
	free(flat);
	free(text);
	return again;
}

static void check_rules(const struct level_rules *r)
{
	const char *id = level_rules_id(r), *app = level_rules_applies_to(r);
	struct level_rules *again = reload(r);
	int32_t from = level_rules_from(r), to = level_rules_to(r);

	FUZZ_CHECK(id != NULL && id[0] != '\0' && strlen(id) < LEVEL_ID_MAX);
	FUZZ_CHECK(level_rules_title(r, 0) != NULL && level_rules_title(r, 1) != NULL);
	FUZZ_CHECK(from <= to);
	FUZZ_CHECK(level_rules_first_weekday(r) >= 1 && level_rules_first_weekday(r) <= 7);
	FUZZ_CHECK(level_rules_required(r) & LEVEL_HAS(LEVEL_F_POPULATION));
	FUZZ_CHECK(level_rules_has_assumptions(r) == 0 || level_rules_has_assumptions(r) == 1);
	FUZZ_CHECK(level_rules_in_force(r, app, from) == 1);
	FUZZ_CHECK(level_rules_in_force(r, app, from - 1) == 0);
	FUZZ_CHECK(level_rules_in_force(r, NULL, from) == (app == NULL));
	if (to != LEVEL_OPEN_END)
		FUZZ_CHECK(level_rules_in_force(r, app, to + 1) == 0);

	for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
		struct level_result res, quiet, res2;
		int rc = level_assess(r, &inputs[i], 0, &res);

		check_result(r, &inputs[i], rc, &res);
		FUZZ_CHECK(level_assess(r, &inputs[i], LEVEL_NO_TEXT, &quiet) == rc);
		FUZZ_CHECK(same_result(&res, &quiet));
		FUZZ_CHECK(quiet.explain_vi[0] == '\0' && quiet.explain_en[0] == '\0');
		FUZZ_CHECK(level_assess(again, &inputs[i], 0, &res2) == rc);
		FUZZ_CHECK(same_result(&res, &res2));
		FUZZ_CHECK(strcmp(res.explain_en, res2.explain_en) == 0);
		FUZZ_CHECK(strcmp(res.explain_vi, res2.explain_vi) == 0);
	}
	check_aggregate(r);
	level_rules_free(again);
}

static void check_error(const struct error *err, int rc, const char *name)
{
	fuzz_check_error(err, rc);
	FUZZ_CHECK(rc == THC_EINVAL || rc == THC_ETOOBIG || rc == THC_ENOMEM ||
	           rc == THC_ECONFLICT);
	/* Messages about a file start with its name. */
	if (name != NULL && rc != THC_ENOMEM && rc != THC_ECONFLICT)
		FUZZ_CHECK(strncmp(err->en, name, strlen(name)) == 0);
}

static void fuzz_one(const uint8_t *data, size_t size)
{
	struct level_rules *r = NULL;
	struct error err = ERROR_INIT;
	int rc = level_rules_parse(&r, "fuzz.json", (const char *)data, size, &err);

	if (rc < 0) {
		FUZZ_CHECK(r == NULL);
		check_error(&err, rc, "fuzz.json");
		return;
	}
	FUZZ_CHECK(rc == 0 && r != NULL && level_rules_extends(r) == NULL);
	check_rules(r);
	level_rules_free(r);
}

static void fuzz_catalog(const uint8_t *data, size_t size)
{
	static const char *const names[FUZZ_FILES_MAX] = { "a.json", "b.json", "c.json", "d.json" };
	static const char *const provinces[] = { NULL, "", "79", "01", "7" };
	struct level_source src[FUZZ_FILES_MAX];
	struct level_catalog *cat = NULL;
	struct error err = ERROR_INIT;
	size_t n = 0;
	int rc;

	while (n < FUZZ_FILES_MAX) {
		const uint8_t *nul = n + 1 < FUZZ_FILES_MAX ? memchr(data, '\0', size) : NULL;
		size_t len = nul ? (size_t)(nul - data) : size;

		src[n].name = names[n];
		src[n].json = (const char *)data;
		src[n++].len = len;
		if (nul == NULL)
			break;
		data += len + 1;
		size -= len + 1;
	}
	rc = level_catalog_load(&cat, src, n, &err);
	if (rc < 0) {
		FUZZ_CHECK(cat == NULL);
		check_error(&err, rc, NULL);
		return;
	}
	FUZZ_CHECK(level_catalog_count(cat) == n);
	for (size_t i = 0; i < n; i++) {
		const struct level_rules *r = level_catalog_at(cat, i);

		FUZZ_CHECK(level_catalog_get(cat, level_rules_id(r)) == r);
		check_rules(r);
	}
	/* The pick is in force, and a province's own rule set wins. */
	for (size_t i = 0; i < n; i++) {
		int32_t day = level_rules_from(level_catalog_at(cat, i));

		for (size_t p = 0; p < ARRAY_SIZE(provinces); p++) {
			const struct level_rules *got = NULL;
			const char *prov = provinces[p];

			rc = level_catalog_pick(cat, prov, day, &got, &err);
			if (prov != NULL && prov[0] != '\0' && strlen(prov) != 2) {
				FUZZ_CHECK(rc == THC_EINVAL && got == NULL);
				continue;
			}
			if (prov != NULL && prov[0] == '\0')
				prov = NULL;
			if (rc < 0) {
				fuzz_check_error(&err, rc);
				FUZZ_CHECK(rc == THC_ENOTFOUND && got == NULL);
				continue;
			}
			FUZZ_CHECK(level_rules_in_force(got, prov, day));
			for (size_t j = 0; j < n; j++) {
				const struct level_rules *o = level_catalog_at(cat, j);

				if (!level_rules_in_force(o, prov, day))
					continue;
				if (level_rules_applies_to(o) != NULL)
					FUZZ_CHECK(level_rules_applies_to(got) != NULL);
				if ((level_rules_applies_to(o) == NULL) ==
				    (level_rules_applies_to(got) == NULL))
					FUZZ_CHECK(level_rules_from(o) <= level_rules_from(got));
			}
		}
	}
	level_catalog_free(cat);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memchr(data, '\0', size) != NULL)
		fuzz_catalog(data, size);
	else
		fuzz_one(data, size);
	return 0;
}
