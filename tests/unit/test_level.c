/*
 * Epidemic levels: the shipped rule files, every worked example of
 * the rules research summarised in docs/levels.md, band edges on both sides, adjustments,
 * missing inputs, province variants, selection by date, aggregation and
 * malformed rule files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/vntime.h"
#include "domain/level.h"

static const char *const rule_files[] = {
	"qd4800-2021.json", "qd218-2022.json", "qd4800-2021-hcm.json",
};
#define NFILES (sizeof(rule_files) / sizeof(rule_files[0]))

struct fixture {
	char *text[NFILES];
	size_t len[NFILES];
	struct level_catalog *cat;
	const struct level_rules *r4800, *r218, *hcm;
};

static const char *data_dir(void)
{
	const char *d = getenv("THC_DATA_DIR");
	return d && d[0] ? d : THC_DATA_DIR;
}

static char *read_rules(const char *name, size_t *len)
{
	char path[1024];
	char *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/rules/%s", data_dir(), name);
	f = fopen(path, "rb");
	assert_non_null(f);
	buf = malloc(LEVEL_RULES_MAX_BYTES + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, LEVEL_RULES_MAX_BYTES, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct level_source src[NFILES];
	struct error err = ERROR_INIT;

	for (size_t i = 0; i < NFILES; i++) {
		fx->text[i] = read_rules(rule_files[i], &fx->len[i]);
		src[i].name = rule_files[i];
		src[i].json = fx->text[i];
		src[i].len = fx->len[i];
	}
	if (level_catalog_load(&fx->cat, src, NFILES, &err) != 0) {
		fprintf(stderr, "%s\n", err.en);
		return -1;
	}
	fx->r4800 = level_catalog_get(fx->cat, "qd4800-2021");
	fx->r218 = level_catalog_get(fx->cat, "qd218-2022");
	fx->hcm = level_catalog_get(fx->cat, "qd4800-2021-hcm");
	*state = fx;
	return fx->r4800 && fx->r218 && fx->hcm ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	level_catalog_free(fx->cat);
	for (size_t i = 0; i < NFILES; i++)
		free(fx->text[i]);
	free(fx);
	return 0;
}

static int32_t day(const char *iso)
{
	struct vndate d;

	assert_int_equal(vndate_parse(iso, &d), 0);
	return vndate_to_days(d);
}

/* Sets fields from "name=value" pairs, NULL-terminated. */
static struct level_input input(const char *first, ...)
{
	struct level_input in = LEVEL_INPUT_INIT;
	struct error err = ERROR_INIT;
	va_list ap;

	va_start(ap, first);
	for (const char *kv = first; kv; kv = va_arg(ap, const char *)) {
		char name[64];
		const char *eq = strchr(kv, '=');
		int f;

		assert_non_null(eq);
		snprintf(name, sizeof(name), "%.*s", (int)(eq - kv), kv);
		f = level_field_from_name(name);
		assert_true(f >= 0);
		assert_int_equal(level_input_parse(&in, (enum level_field)f, eq + 1, &err), 0);
	}
	va_end(ap);
	return in;
}

static struct level_result assess(const struct level_rules *r, struct level_input in)
{
	struct level_result res;

	assert_int_equal(level_assess(r, &in, 0, &res), 0);
	assert_true(text_utf8_valid(res.explain_vi, strlen(res.explain_vi)));
	assert_true(text_utf8_valid(res.explain_en, strlen(res.explain_en)));
	assert_true(res.explain_vi[0] != '\0');
	assert_true(res.explain_en[0] != '\0');
	return res;
}

#define ASSERT_CONTAINS(hay, needle) do { \
	if (strstr((hay), (needle)) == NULL) \
		fail_msg("'%s' not in '%s'", (needle), (hay)); \
} while (0)

/* A 4800 unit with vaccination met and capacity met. */
static struct level_input in4800(const char *pop, const char *c1, const char *c2)
{
	struct level_input in = input("vax1_18plus_pct=95", "vaxfull_elderly_pct=90",
	                              "capacity_met=1", NULL);
	struct error err = ERROR_INIT;

	assert_int_equal(level_input_parse(&in, LEVEL_F_POPULATION, pop, &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_WEEK, c1, &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_PREV_WEEK, c2, &err), 0);
	return in;
}

/* A 218 unit: vaccination met, no oxygen cases, no deaths, given capacity. */
static struct level_input in218(const char *pop, const char *c1, const char *c2,
                                const char *capacity)
{
	struct level_input in = input("vaxfull_pct=80", "vaxfull_highrisk_pct=95",
	                              "oxygen_cases_week=0", "deaths_week=0", NULL);
	struct error err = ERROR_INIT;

	assert_int_equal(level_input_parse(&in, LEVEL_F_POPULATION, pop, &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_WEEK, c1, &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_PREV_WEEK, c2, &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CAPACITY, capacity, &err), 0);
	return in;
}

static void test_catalog(void **state)
{
	struct fixture *fx = *state;
	char *json;

	assert_int_equal(level_catalog_count(fx->cat), 3);
	assert_string_equal(level_rules_id(fx->r4800), "qd4800-2021");
	assert_null(level_rules_applies_to(fx->r4800));
	assert_null(level_rules_extends(fx->r4800));
	assert_int_equal(level_rules_from(fx->r4800), day("2021-10-12"));
	assert_int_equal(level_rules_to(fx->r4800), day("2022-01-26"));
	assert_int_equal(level_rules_from(fx->r218), day("2022-01-27"));
	assert_int_equal(level_rules_to(fx->r218), LEVEL_OPEN_END);
	assert_int_equal(level_rules_first_weekday(fx->r4800), 1);
	assert_int_equal(level_rules_first_weekday(fx->hcm), 5);      /* Friday */
	assert_string_equal(level_rules_applies_to(fx->hcm), "79");
	assert_string_equal(level_rules_extends(fx->hcm), "qd4800-2021");
	assert_int_equal(level_rules_to(fx->hcm), day("2022-01-26"));
	ASSERT_CONTAINS(level_rules_title(fx->r218, 0), "218/QĐ-BYT");
	ASSERT_CONTAINS(level_rules_title(fx->r218, 1), "Decision 218");
	assert_true(level_rules_has_assumptions(fx->r4800));
	assert_true(level_rules_has_assumptions(fx->r218));
	assert_int_equal(level_rules_scope_method(fx->r4800, LEVEL_SCOPE_PROVINCE), LEVEL_OWN_TOTALS);
	assert_int_equal(level_rules_scope_method(fx->r218, LEVEL_SCOPE_DISTRICT), LEVEL_OWN_TOTALS);
	assert_true(level_rules_required(fx->r4800) & LEVEL_HAS(LEVEL_F_CASES_PREV_WEEK));
	assert_false(level_rules_required(fx->r4800) & LEVEL_HAS(LEVEL_F_CAPACITY));
	assert_true(level_rules_required(fx->r218) & LEVEL_HAS(LEVEL_F_DEATHS_WEEK));
	assert_true(level_rules_required(fx->r218) & LEVEL_HAS(LEVEL_F_CAPACITY));
	assert_null(level_catalog_get(fx->cat, "qd9999"));
	/* The variant's resolved document: its own week, the base's bands. */
	json = level_rules_json(fx->hcm);
	assert_non_null(json);
	ASSERT_CONTAINS(json, "\"friday\"");
	ASSERT_CONTAINS(json, "cases_per_100k");
	free(json);
}

static void test_standalone_parse(void **state)
{
	struct fixture *fx = *state;
	struct level_rules *r = NULL;
	struct error err = ERROR_INIT;
	struct level_result res;

	assert_int_equal(level_rules_parse(&r, "qd4800-2021.json", fx->text[0], fx->len[0], &err), 0);
	res = assess(r, input("population=9145000", "cases_week=6635", "cases_prev_week=6815",
	                      "vax1_18plus_pct=99", "vaxfull_elderly_pct=92", "capacity_met=1", NULL));
	assert_int_equal(res.level, 2);
	assert_string_equal(res.rule_set, "qd4800-2021");
	level_rules_free(r);
	/* A variant alone has no base. */
	assert_int_equal(level_rules_parse(&r, "qd4800-2021-hcm.json", fx->text[2], fx->len[2], &err),
	                 THC_EINVAL);
	assert_null(r);
	ASSERT_CONTAINS(err.en, "qd4800-2021-hcm.json: $.extends");
}

/* 24-10-2021, HCMC: 6,635 and 6,815 cases, 9,145,000 people -> 73.5 -> 2. */
static void test_hcmc_73_5(void **state)
{
	struct fixture *fx = *state;
	struct level_result res;

	res = assess(fx->r4800, input("population=9145000", "cases_week=6635",
	                              "cases_prev_week=6815", "vax1_18plus_pct=99",
	                              "vaxfull_elderly_pct=92", "capacity_met=1", NULL));
	assert_int_equal(res.level, 2);
	assert_true(fabs(res.cases_per_100k - 73.537) < 0.001);
	assert_int_equal(res.cases_band, 3);
	assert_int_equal(res.vaccination, 1);
	assert_int_equal(res.adjustments, 0);
	assert_int_equal(res.missing, 0);
	assert_int_equal(res.assumption, 1);     /* the two-week average is inferred */
	ASSERT_CONTAINS(res.explain_vi, "Cấp 2: 73,5 ca/100.000 dân/tuần (50 – < 150)");
	ASSERT_CONTAINS(res.explain_vi, "tiêm chủng đạt");
	ASSERT_CONTAINS(res.explain_vi, "(giả định)");
	ASSERT_CONTAINS(res.explain_en, "Level 2: 73.5 cases per 100,000 per week (50 – < 150)");
	ASSERT_CONTAINS(res.explain_en, "vaccination met");
	ASSERT_CONTAINS(res.explain_en, "(assumption)");
	/* The same under the city's own variant. */
	res = assess(fx->hcm, input("population=9145000", "cases_week=6635",
	                            "cases_prev_week=6815", "vax1_18plus_pct=99",
	                            "vaxfull_elderly_pct=92", "capacity_met=1", NULL));
	assert_int_equal(res.level, 2);
	assert_string_equal(res.rule_set, "qd4800-2021-hcm");
}

/* ~15-10-2021, HCMC: about 150 per 100,000 per week, > 98 % adults -> 3. */
static void test_hcmc_150(void **state)
{
	struct fixture *fx = *state;
	struct level_result res;

	res = assess(fx->r4800, input("population=9145000", "cases_week=13720",
	                              "cases_prev_week=13720", "vax1_18plus_pct=98.5",
	                              "vaxfull_elderly_pct=85", "capacity_met=1", NULL));
	assert_int_equal(res.level, 3);
	assert_int_equal(res.cases_band, 4);
	ASSERT_CONTAINS(res.explain_vi, "Cấp 3: 150,0 ca/100.000 dân/tuần (≥ 150)");
	ASSERT_CONTAINS(res.explain_en, "Level 3: 150.0 cases per 100,000 per week (≥ 150)");
	/* Hanoi, Đống Đa: 177 -> 3. */
	res = assess(fx->r4800, in4800("100000", "177", "177"));
	assert_int_equal(res.level, 3);
	ASSERT_CONTAINS(res.explain_vi, "177,0 ca/100.000");
}

/* 24-10-2021, Long An: 65+ full-dose share 51.59 % -> one level up (2). */
static void test_long_an(void **state)
{
	struct fixture *fx = *state;
	struct level_result res;

	res = assess(fx->r4800, input("population=1700000", "cases_week=100", "cases_prev_week=120",
	                              "vax1_18plus_pct=95", "vaxfull_elderly_pct=85",
	                              "capacity_met=1", NULL));
	assert_int_equal(res.level, 1);
	res = assess(fx->r4800, input("population=1700000", "cases_week=100", "cases_prev_week=120",
	                              "vax1_18plus_pct=95", "vaxfull_elderly_pct=51.59",
	                              "capacity_met=1", NULL));
	assert_int_equal(res.level, 2);
	assert_int_equal(res.vaccination, 0);
	assert_int_equal(res.assumption, 1);
	ASSERT_CONTAINS(res.explain_vi, "tiêm chủng chưa đạt: người cao tuổi tiêm đủ liều 51,59 % (cần ≥ 80 %)");
	ASSERT_CONTAINS(res.explain_vi, "→ cấp 2 (giả định)");
	ASSERT_CONTAINS(res.explain_en, "vaccination not met: older people fully vaccinated 51.59 % (needs ≥ 80 %)");
	ASSERT_CONTAINS(res.explain_en, "→ level 2 (assumption)");
}

static void test_4800_band_edges(void **state)
{
	static const struct { const char *c; int band, level; } cases[] = {
		{ "0", 1, 1 }, { "199", 1, 1 }, { "200", 2, 1 }, { "499", 2, 1 }, { "500", 3, 2 },
		{ "1499", 3, 2 }, { "1500", 4, 3 }, { "100000", 4, 3 },
	};
	struct fixture *fx = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		/* 1,000,000 people: c cases in each week is c / 10 per 100,000. */
		struct level_result res = assess(fx->r4800, in4800("1000000", cases[i].c, cases[i].c));

		if (res.cases_band != cases[i].band || res.level != cases[i].level)
			fail_msg("%s cases: band %d level %d", cases[i].c, res.cases_band, res.level);
	}
	/* Exactly 20 from an uneven pair: (150 + 250) / 2 = 200. */
	assert_int_equal(assess(fx->r4800, in4800("1000000", "150", "250")).cases_band, 2);
	assert_int_equal(assess(fx->r4800, in4800("1000000", "150", "249")).cases_band, 1);
}

static void test_4800_vaccination_edge(void **state)
{
	struct fixture *fx = *state;
	struct level_input in = in4800("1000000", "10", "10");
	struct error err = ERROR_INIT;
	struct level_result res;

	assert_int_equal(level_input_parse(&in, LEVEL_F_VAX1_18PLUS, "69.9", &err), 0);
	res = assess(fx->r4800, in);
	assert_int_equal(res.vaccination, 0);
	assert_int_equal(res.level, 2);
	ASSERT_CONTAINS(res.explain_vi, "69,9 % (cần ≥ 70 %)");
	assert_int_equal(level_input_parse(&in, LEVEL_F_VAX1_18PLUS, "70", &err), 0);
	res = assess(fx->r4800, in);
	assert_int_equal(res.vaccination, 1);
	assert_int_equal(res.level, 1);
	/* Elderly: 79.99 / 80. */
	assert_int_equal(level_input_parse(&in, LEVEL_F_VAXFULL_ELDERLY, "79.99", &err), 0);
	assert_int_equal(assess(fx->r4800, in).level, 2);
	assert_int_equal(level_input_parse(&in, LEVEL_F_VAXFULL_ELDERLY, "80", &err), 0);
	assert_int_equal(assess(fx->r4800, in).level, 1);
	/* Not met in the top band: the assumed cell 4. */
	assert_int_equal(level_input_parse(&in, LEVEL_F_VAX1_18PLUS, "50", &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_WEEK, "2000", &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_PREV_WEEK, "2000", &err), 0);
	assert_int_equal(assess(fx->r4800, in).level, 4);
}

static void test_no_downgrade(void **state)
{
	struct fixture *fx = *state;
	struct level_input in = in4800("1000000", "10", "10");   /* level 1 on its own */
	struct error err = ERROR_INIT;
	struct level_result res;

	/* Capacity met: the level may go down from 3 to 1. */
	assert_int_equal(level_input_parse(&in, LEVEL_F_PREVIOUS_LEVEL, "3", &err), 0);
	res = assess(fx->r4800, in);
	assert_int_equal(res.level, 1);
	assert_int_equal(res.adjustments, 0);
	/* Not met: stays at 3. */
	assert_int_equal(level_input_parse(&in, LEVEL_F_CAPACITY_MET, "0", &err), 0);
	res = assess(fx->r4800, in);
	assert_int_equal(res.level, 3);
	assert_int_equal(res.matrix_level, 1);
	assert_int_equal(res.adjustments, LEVEL_ADJ_NO_DOWNGRADE);
	ASSERT_CONTAINS(res.explain_vi, "năng lực y tế chưa đạt: giữ cấp 3");
	ASSERT_CONTAINS(res.explain_en, "health capacity not met: stays at the previous level 3");
	/* Unknown capacity with a higher previous level: not a guess. */
	assert_int_equal(level_input_parse(&in, LEVEL_F_CAPACITY_MET, "", &err), 0);
	res = assess(fx->r4800, in);
	assert_int_equal(res.level, 0);
	assert_int_equal(res.missing, LEVEL_HAS(LEVEL_F_CAPACITY_MET));
	ASSERT_CONTAINS(res.explain_en, "missing health capacity met");
	/* ... but without a previous level, capacity does not matter. */
	assert_int_equal(level_input_parse(&in, LEVEL_F_PREVIOUS_LEVEL, "", &err), 0);
	assert_int_equal(assess(fx->r4800, in).level, 1);
	/* Going up is never held back. */
	in = in4800("1000000", "1000", "1000");          /* level 2 */
	assert_int_equal(level_input_parse(&in, LEVEL_F_CAPACITY_MET, "0", &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_PREVIOUS_LEVEL, "1", &err), 0);
	res = assess(fx->r4800, in);
	assert_int_equal(res.level, 2);
	assert_int_equal(res.adjustments, 0);
	ASSERT_CONTAINS(res.explain_vi, "năng lực y tế chưa đạt");
}

static void test_not_assessable(void **state)
{
	struct fixture *fx = *state;
	struct level_result res;

	res = assess(fx->r4800, input("population=1000", "cases_week=3", "vax1_18plus_pct=90",
	                              NULL));
	assert_int_equal(res.level, 0);
	assert_int_equal(res.missing, LEVEL_HAS(LEVEL_F_CASES_PREV_WEEK) |
	                                  LEVEL_HAS(LEVEL_F_VAXFULL_ELDERLY));
	ASSERT_CONTAINS(res.explain_vi, "Không đánh giá được: thiếu ca mắc tuần trước, % người cao tuổi tiêm đủ liều");
	ASSERT_CONTAINS(res.explain_en, "Not assessable: missing cases last week, % elderly fully vaccinated");
	assert_true(res.cases_per_100k < 0);
	/* 218 needs oxygen, deaths and capacity; a 4800 row is not enough. */
	res = assess(fx->r218, in4800("1000", "1", "1"));
	assert_int_equal(res.level, 0);
	assert_true(res.missing & LEVEL_HAS(LEVEL_F_OXYGEN_CASES_WEEK));
	assert_true(res.missing & LEVEL_HAS(LEVEL_F_DEATHS_WEEK));
	assert_true(res.missing & LEVEL_HAS(LEVEL_F_CAPACITY));
	assert_true(res.missing & LEVEL_HAS(LEVEL_F_VAXFULL));
	assert_false(res.missing & LEVEL_HAS(LEVEL_F_CASES_WEEK));
	/* Nothing at all. */
	res = assess(fx->r4800, input(NULL));
	assert_int_equal(res.level, 0);
	assert_true(res.missing & LEVEL_HAS(LEVEL_F_POPULATION));
}

static void test_invalid_input(void **state)
{
	struct fixture *fx = *state;
	struct level_input in = in4800("1000", "1", "1");
	struct level_result res;
	struct error err = ERROR_INIT;

	in.population = 0;
	assert_int_equal(level_assess(fx->r4800, &in, 0, &res), THC_EINVAL);
	assert_int_equal(res.level, 0);
	assert_int_equal(level_input_check(&in, &err), THC_EINVAL);
	ASSERT_CONTAINS(err.en, "population");
	in.population = 1000;
	in.vax1_18plus_pct = 100.5;
	assert_int_equal(level_assess(fx->r4800, &in, 0, &res), THC_EINVAL);
	assert_int_equal(level_assess(NULL, &in, 0, &res), THC_EINVAL);
	assert_int_equal(level_assess(fx->r4800, NULL, 0, &res), THC_EINVAL);

	in = (struct level_input)LEVEL_INPUT_INIT;
	assert_int_equal(level_input_parse(&in, LEVEL_F_POPULATION, "0", &err), THC_EINVAL);
	ASSERT_CONTAINS(err.en, "'0' must be a whole number > 0");
	ASSERT_CONTAINS(err.vi, "'0' phải là số nguyên > 0");
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_WEEK, "-1", &err), THC_EINVAL);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_WEEK, "1.5", &err), THC_EINVAL);
	assert_int_equal(level_input_parse(&in, LEVEL_F_VAXFULL, "70,5", &err), THC_EINVAL);
	assert_int_equal(level_input_parse(&in, LEVEL_F_VAXFULL, "101", &err), THC_EINVAL);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CAPACITY_MET, "yes", &err), THC_EINVAL);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CAPACITY, "cao", &err), THC_EINVAL);
	assert_int_equal(level_input_parse(&in, LEVEL_F_PREVIOUS_LEVEL, "5", &err), THC_EINVAL);
	assert_int_equal(in.present, 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CAPACITY, "low", &err), 0);
	assert_int_equal(in.capacity, LEVEL_CAPACITY_LOW);
	assert_int_equal(in.present, LEVEL_HAS(LEVEL_F_CAPACITY));
	assert_int_equal(level_input_parse(&in, LEVEL_F_CAPACITY, "", &err), 0);
	assert_int_equal(in.present, 0);
	assert_int_equal(level_field_from_name("vaxfull_highrisk_pct"), LEVEL_F_VAXFULL_HIGHRISK);
	assert_int_equal(level_field_from_name("unit_code"), -1);
	assert_string_equal(level_field_name(LEVEL_F_CASES_PREV_WEEK), "cases_prev_week");
}

/* 14-02-2022, HCMC wards: transmission 2 + medium -> 2, 3 + high -> 2. */
static void test_218_matrix(void **state)
{
	struct fixture *fx = *state;
	struct level_result res;

	res = assess(fx->r218, in218("100000", "50", "50", "medium"));   /* 50: band 2 */
	assert_int_equal(res.transmission, 2);
	assert_int_equal(res.level, 2);
	assert_int_equal(res.capacity, LEVEL_CAPACITY_MEDIUM);
	ASSERT_CONTAINS(res.explain_vi, "Cấp 2: lây nhiễm cấp 2");
	ASSERT_CONTAINS(res.explain_vi, "năng lực đáp ứng trung bình");
	ASSERT_CONTAINS(res.explain_en, "Level 2: transmission 2");
	ASSERT_CONTAINS(res.explain_en, "response capacity medium");
	res = assess(fx->r218, in218("100000", "200", "200", "high"));   /* 200: band 3 */
	assert_int_equal(res.transmission, 3);
	assert_int_equal(res.level, 2);
	ASSERT_CONTAINS(res.explain_en, "response capacity high");
	/* The other cells are the working assumption, marked as such. */
	res = assess(fx->r218, in218("100000", "200", "200", "low"));
	assert_int_equal(res.level, 4);
	ASSERT_CONTAINS(res.explain_en, "→ level 4 (assumption)");
	res = assess(fx->r218, in218("100000", "1", "1", "high"));
	assert_int_equal(res.level, 1);
	/* Oxygen decides when it is the higher band: 12 per 100,000 -> band 3. */
	{
		struct level_input in = in218("100000", "1", "1", "medium");
		struct error err = ERROR_INIT;

		assert_int_equal(level_input_parse(&in, LEVEL_F_OXYGEN_CASES_WEEK, "12", &err), 0);
		res = assess(fx->r218, in);
		assert_int_equal(res.oxygen_band, 3);
		assert_int_equal(res.cases_band, 1);
		assert_int_equal(res.transmission, 3);
		assert_int_equal(res.level, 3);
		/* The deciding indicator comes first. */
		ASSERT_CONTAINS(res.explain_en, "(highest indicator, assumption): 12.0 oxygen cases");
	}
}

static void test_218_band_edges(void **state)
{
	static const struct { const char *c; int band; } cases[] = {
		{ "199", 1 }, { "200", 2 }, { "1499", 2 }, { "1500", 3 }, { "5999", 3 },
		{ "6000", 3 }, { "6001", 4 },
	};
	struct fixture *fx = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct level_result res = assess(fx->r218, in218("1000000", cases[i].c, cases[i].c,
		                                                  "medium"));
		if (res.cases_band != cases[i].band)
			fail_msg("%s cases: band %d", cases[i].c, res.cases_band);
	}
	/* 600 is not "more than 600". */
	ASSERT_CONTAINS(assess(fx->r218, in218("1000000", "6000", "6000", "medium")).explain_vi,
	                "600,0 ca/100.000 dân/tuần (150 – ≤ 600, giả định)");
	ASSERT_CONTAINS(assess(fx->r218, in218("1000000", "6001", "6001", "medium")).explain_en,
	                "600.1 cases per 100,000 per week (> 600)");
}

/* Deaths above 6 per 100,000 per week raise the level by one. */
static void test_218_deaths(void **state)
{
	struct fixture *fx = *state;
	struct level_input in = in218("100000", "1", "1", "high");
	struct error err = ERROR_INIT;
	struct level_result res;

	assert_int_equal(level_input_parse(&in, LEVEL_F_DEATHS_WEEK, "6", &err), 0);
	res = assess(fx->r218, in);                 /* exactly 6: not above */
	assert_int_equal(res.level, 1);
	assert_int_equal(res.adjustments, 0);
	assert_true(fabs(res.deaths_per_100k - 6.0) < 1e-9);
	assert_int_equal(level_input_parse(&in, LEVEL_F_DEATHS_WEEK, "7", &err), 0);
	res = assess(fx->r218, in);
	assert_int_equal(res.level, 2);
	assert_int_equal(res.matrix_level, 1);
	assert_int_equal(res.adjustments, LEVEL_ADJ_ABOVE_DEATHS);
	ASSERT_CONTAINS(res.explain_vi, "7,0 ca tử vong/100.000 dân/tuần (> 6, giả định) → cấp 2");
	ASSERT_CONTAINS(res.explain_en, "7.0 deaths per 100,000 per week (> 6, assumption) → level 2");
	/* One death in a ward under 16,667 people crosses it. */
	assert_int_equal(level_input_parse(&in, LEVEL_F_DEATHS_WEEK, "1", &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_POPULATION, "16666", &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_WEEK, "0", &err), 0);
	assert_int_equal(level_input_parse(&in, LEVEL_F_CASES_PREV_WEEK, "0", &err), 0);
	assert_int_equal(assess(fx->r218, in).level, 2);
	assert_int_equal(level_input_parse(&in, LEVEL_F_POPULATION, "16667", &err), 0);
	assert_int_equal(assess(fx->r218, in).level, 1);
	/* Capped at 4. */
	in = in218("100000", "5000", "5000", "low");
	assert_int_equal(level_input_parse(&in, LEVEL_F_DEATHS_WEEK, "20", &err), 0);
	assert_int_equal(assess(fx->r218, in).level, 4);
}

/* Vaccination missed: the transmission level rises by one. */
static void test_218_vaccination(void **state)
{
	struct fixture *fx = *state;
	struct level_input in = in218("100000", "1", "1", "medium");   /* 1 + medium -> 1 */
	struct error err = ERROR_INIT;
	struct level_result res;

	assert_int_equal(assess(fx->r218, in).level, 1);
	assert_int_equal(level_input_parse(&in, LEVEL_F_VAXFULL, "74.9", &err), 0);
	res = assess(fx->r218, in);
	assert_int_equal(res.vaccination, 0);
	assert_int_equal(res.transmission_base, 1);
	assert_int_equal(res.transmission, 2);
	assert_int_equal(res.level, 2);
	assert_int_equal(res.adjustments, LEVEL_ADJ_VACCINATION);
	ASSERT_CONTAINS(res.explain_vi, "tiêm chủng chưa đạt: dân số tiêm đủ liều 74,9 % (cần ≥ 75 %) → lây nhiễm cấp 2");
	ASSERT_CONTAINS(res.explain_en, "vaccination not met: population fully vaccinated 74.9 % (needs ≥ 75 %) → transmission 2");
	assert_int_equal(level_input_parse(&in, LEVEL_F_VAXFULL, "75", &err), 0);
	assert_int_equal(assess(fx->r218, in).level, 1);
	assert_int_equal(level_input_parse(&in, LEVEL_F_VAXFULL_HIGHRISK, "89.99", &err), 0);
	res = assess(fx->r218, in);
	assert_int_equal(res.level, 2);
	ASSERT_CONTAINS(res.explain_en, "high-risk people fully vaccinated 89.99 %");
}

static void test_no_text_flag(void **state)
{
	struct fixture *fx = *state;
	struct level_input in = in218("100000", "200", "200", "high");
	struct level_result res;

	assert_int_equal(level_assess(fx->r218, &in, LEVEL_NO_TEXT, &res), 0);
	assert_int_equal(res.level, 2);
	assert_string_equal(res.explain_vi, "");
	assert_string_equal(res.explain_en, "");
}

static void test_pick(void **state)
{
	struct fixture *fx = *state;
	const struct level_rules *r;
	struct error err = ERROR_INIT;

	/* The HCMC variant: only province 79, only from 2021-10-15. */
	assert_int_equal(level_catalog_pick(fx->cat, "79", day("2021-10-21"), &r, &err), 0);
	assert_ptr_equal(r, fx->hcm);
	assert_int_equal(level_catalog_pick(fx->cat, "79", day("2021-10-15"), &r, &err), 0);
	assert_ptr_equal(r, fx->hcm);
	assert_int_equal(level_catalog_pick(fx->cat, "79", day("2021-10-14"), &r, &err), 0);
	assert_ptr_equal(r, fx->r4800);
	assert_int_equal(level_catalog_pick(fx->cat, "01", day("2021-10-21"), &r, &err), 0);
	assert_ptr_equal(r, fx->r4800);
	assert_int_equal(level_catalog_pick(fx->cat, NULL, day("2021-10-21"), &r, &err), 0);
	assert_ptr_equal(r, fx->r4800);
	assert_false(level_rules_in_force(fx->hcm, "01", day("2021-10-21")));
	assert_false(level_rules_in_force(fx->hcm, NULL, day("2021-10-21")));
	assert_true(level_rules_in_force(fx->hcm, "79", day("2021-10-21")));
	/* By date: 4800 to 26-01-2022, 218 from 27-01-2022, for 79 too. */
	assert_int_equal(level_catalog_pick(fx->cat, "01", day("2022-01-26"), &r, &err), 0);
	assert_ptr_equal(r, fx->r4800);
	assert_int_equal(level_catalog_pick(fx->cat, "01", day("2022-01-27"), &r, &err), 0);
	assert_ptr_equal(r, fx->r218);
	assert_int_equal(level_catalog_pick(fx->cat, "79", day("2022-01-27"), &r, &err), 0);
	assert_ptr_equal(r, fx->r218);
	assert_int_equal(level_catalog_pick(fx->cat, "79", day("2023-06-30"), &r, &err), 0);
	assert_ptr_equal(r, fx->r218);
	/* Nothing before 4800. */
	assert_int_equal(level_catalog_pick(fx->cat, "01", day("2021-10-11"), &r, &err),
	                 THC_ENOTFOUND);
	assert_null(r);
	ASSERT_CONTAINS(err.en, "2021-10-11");
	/* District codes are not province codes. */
	assert_int_equal(level_catalog_pick(fx->cat, "760", day("2021-10-21"), &r, &err),
	                 THC_EINVAL);
}

/* ---- malformed rule files --------------------------------------------- */

/* Loads the 218 file edited by `edit`, expecting rc, "bad.json: <path>: " in
 * both languages and `en` (if given) in the English message. */
static void expect_bad(struct fixture *fx, void (*edit)(json_t *), int rc, const char *path,
                       const char *en)
{
	char want[200];

	json_error_t jerr;
	json_t *doc = json_loads(fx->text[1], 0, &jerr);
	struct level_rules *r = NULL;
	struct error err = ERROR_INIT;
	char *text;

	assert_non_null(doc);
	edit(doc);
	text = json_dumps(doc, 0);
	assert_non_null(text);
	assert_int_equal(level_rules_parse(&r, "bad.json", text, strlen(text), &err), rc);
	assert_null(r);
	snprintf(want, sizeof(want), "bad.json: %s: ", path);
	ASSERT_CONTAINS(err.en, want);
	ASSERT_CONTAINS(err.vi, want);
	if (en)
		ASSERT_CONTAINS(err.en, en);
	free(text);
	json_decref(doc);
}

static json_t *at(json_t *doc, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(doc, a);
	if (b)
		v = json_object_get(v, b);
	if (c)
		v = json_object_get(v, c);
	assert_non_null(v);
	return v;
}

static void edit_no_matrix(json_t *d) { json_object_del(d, "matrix"); }
static void edit_level_5(json_t *d)
{
	json_object_set_new(at(at(d, "matrix", "cells", "2"), "medium", NULL, NULL), "level",
	                    json_integer(5));
}
static void edit_level_text(json_t *d)
{
	json_object_set_new(at(at(d, "matrix", "cells", "3"), "low", NULL, NULL), "level",
	                    json_string("red"));
}
static void edit_unknown_column(json_t *d)
{
	json_object_set(at(d, "matrix", "cells", "1"), "mediumm",
	                json_object_get(at(d, "matrix", "cells", "1"), "medium"));
}
static void edit_missing_cell(json_t *d) { json_object_del(at(d, "matrix", "cells", "4"), "low"); }
static void edit_gap(json_t *d)
{
	json_t *b = json_array_get(at(d, "indicators", "cases_per_100k", "bands"), 2);
	json_object_set_new(b, "min", json_integer(160));
}
static void edit_both_inclusive(json_t *d)
{
	json_t *b = json_array_get(at(d, "indicators", "cases_per_100k", "bands"), 3);
	json_object_set_new(b, "min_inclusive", json_true());
}
static void edit_status(json_t *d)
{
	json_t *b = json_array_get(at(d, "indicators", "oxygen_per_100k", "bands"), 1);
	json_object_set_new(b, "status", json_string("probably"));
}
static void edit_no_note(json_t *d) { json_object_del(at(d, "effective", NULL, NULL), "note"); }
static void edit_unknown_key(json_t *d) { json_object_set_new(d, "colour", json_string("red")); }
static void edit_bad_date(json_t *d)
{
	json_object_set_new(at(d, "effective", NULL, NULL), "from", json_string("27/01/2022"));
}
static void edit_bad_indicator(json_t *d)
{
	json_array_append_new(at(d, "transmission", "indicators", NULL),
	                      json_string("deaths_per_100k"));
}
static void edit_bad_weekday(json_t *d)
{
	json_object_set_new(at(d, "week", "first_weekday", NULL), "value", json_string("fri"));
}
static void edit_bad_adjust(json_t *d)
{
	json_object_set_new(json_array_get(at(d, "adjustments", NULL, NULL), 1), "stage",
	                    json_string("week"));
}
static void edit_bad_scope(json_t *d)
{
	json_object_set_new(at(d, "scope", "commune", NULL), "method",
	                    json_string("children_levels"));
}

/* Found by tests/fuzz/fuzz_rules: "scope"'s keys were checked against a
 * list without its NULL end, so an unknown one read past it (ASan:
 * global-buffer-overflow in lr_check_keys). */
static void edit_scope_typo(json_t *d)
{
	json_t *scope = at(d, "scope", NULL, NULL);

	json_object_set(scope, "distdict", json_object_get(scope, "district"));
	json_object_del(scope, "district");
}

static void test_scope_unknown_key(void **state)
{
	expect_bad(*state, edit_scope_typo, THC_EINVAL, "$.scope", "unknown key 'distdict'");
}

static void test_malformed(void **state)
{
	struct fixture *fx = *state;
	struct level_rules *r = NULL;
	struct error err = ERROR_INIT;
	static const char broken[] = "{\n  \"format\": 1,\n  \"id\": \"x\",\n}";

	assert_int_equal(level_rules_parse(&r, "broken.json", broken, strlen(broken), &err),
	                 THC_EINVAL);
	ASSERT_CONTAINS(err.en, "broken.json: line 4");
	ASSERT_CONTAINS(err.en, "invalid JSON");
	ASSERT_CONTAINS(err.vi, "JSON không hợp lệ");
	assert_int_equal(level_rules_parse(&r, "arr.json", "[1]", 3, &err), THC_EINVAL);
	ASSERT_CONTAINS(err.en, "arr.json");
	assert_int_equal(level_rules_parse(&r, "dup.json", "{\"id\":1,\"id\":2}", 15, &err),
	                 THC_EINVAL);

	expect_bad(fx, edit_no_matrix, THC_EINVAL, "$.matrix", "required field is missing");
	expect_bad(fx, edit_level_5, THC_EINVAL, "$.matrix.cells.2.medium.level",
	           "must be a whole number from 1 to 4");
	expect_bad(fx, edit_level_text, THC_EINVAL, "$.matrix.cells.3.low.level", NULL);
	expect_bad(fx, edit_unknown_column, THC_EINVAL, "$.matrix.cells.1", "unknown key 'mediumm'");
	expect_bad(fx, edit_missing_cell, THC_EINVAL, "$.matrix.cells.4.low", NULL);
	expect_bad(fx, edit_gap, THC_EINVAL, "$.indicators.cases_per_100k.bands[2].min",
	           "contiguous");
	expect_bad(fx, edit_both_inclusive, THC_EINVAL,
	           "$.indicators.cases_per_100k.bands[3].min_inclusive", NULL);
	expect_bad(fx, edit_status, THC_EINVAL, "$.indicators.oxygen_per_100k.bands[1].status",
	           "'probably' is not one of: confirmed assumption");
	expect_bad(fx, edit_no_note, THC_EINVAL, "$.effective.note", NULL);
	expect_bad(fx, edit_unknown_key, THC_EINVAL, "$", "unknown key 'colour'");
	expect_bad(fx, edit_bad_date, THC_EINVAL, "$.effective.from", "YYYY-MM-DD");
	expect_bad(fx, edit_bad_indicator, THC_EINVAL, "$.transmission.indicators[2]", "no bands");
	expect_bad(fx, edit_bad_weekday, THC_EINVAL, "$.week.first_weekday.value", NULL);
	expect_bad(fx, edit_bad_adjust, THC_EINVAL, "$.adjustments[1].stage", NULL);
	expect_bad(fx, edit_bad_scope, THC_EINVAL, "$.scope.commune.method", NULL);

	/* Too big. */
	{
		char *big = malloc(LEVEL_RULES_MAX_BYTES + 2);

		memset(big, ' ', LEVEL_RULES_MAX_BYTES + 1);
		big[LEVEL_RULES_MAX_BYTES + 1] = '\0';
		assert_int_equal(level_rules_parse(&r, "big.json", big, LEVEL_RULES_MAX_BYTES + 1, &err),
		                 THC_ETOOBIG);
		free(big);
	}
}

/* A catalog of the two national files plus `variant`. */
static int load_with(struct fixture *fx, const char *variant, struct level_catalog **cat,
                     struct error *err)
{
	struct level_source src[3] = {
		{ "qd4800-2021.json", fx->text[0], fx->len[0] },
		{ "qd218-2022.json", fx->text[1], fx->len[1] },
		{ "variant.json", variant, strlen(variant) },
	};
	return level_catalog_load(cat, src, 3, err);
}

#define VARIANT_HEAD(id, ext, from) \
	"{\"format\":1,\"id\":\"" id "\",\"title\":{\"vi\":\"v\",\"en\":\"v\"},\"sources\":[]," \
	"\"applies_to\":\"01\",\"extends\":" ext "," \
	"\"effective\":{\"from\":\"" from "\",\"status\":\"assumption\",\"note\":\"test\"}"

static void test_bad_variants(void **state)
{
	struct fixture *fx = *state;
	struct level_catalog *cat = NULL;
	struct error err = ERROR_INIT;

	assert_int_equal(load_with(fx, VARIANT_HEAD("v", "\"qd9999\"", "2021-11-01") "}", &cat, &err),
	                 THC_EINVAL);
	ASSERT_CONTAINS(err.en, "variant.json: $.extends: there is no rule set 'qd9999'");
	assert_int_equal(load_with(fx, VARIANT_HEAD("v", "\"v\"", "2021-11-01") "}", &cat, &err),
	                 THC_EINVAL);
	ASSERT_CONTAINS(err.en, "$.extends");
	assert_int_equal(load_with(fx, VARIANT_HEAD("qd218-2022", "\"qd4800-2021\"", "2021-11-01") "}",
	                           &cat, &err), THC_ECONFLICT);
	/* A variant must name its own start. */
	assert_int_equal(load_with(fx, "{\"format\":1,\"id\":\"v\",\"title\":{\"vi\":\"v\",\"en\":\"v\"},"
	                           "\"sources\":[],\"applies_to\":\"01\",\"extends\":\"qd4800-2021\"}",
	                           &cat, &err), THC_EINVAL);
	ASSERT_CONTAINS(err.en, "variant.json: $.effective");
	/* A misspelt key in a variant is not silently ignored. */
	assert_int_equal(load_with(fx, VARIANT_HEAD("v", "\"qd4800-2021\"", "2021-11-01")
	                           ",\"week\":{\"first_weekday\":{\"valeu\":\"friday\"}}}", &cat, &err),
	                 THC_EINVAL);
	ASSERT_CONTAINS(err.en, "$.week.first_weekday: unknown key 'valeu'");
	/* Two national rule sets from the same day. */
	assert_int_equal(load_with(fx, "{\"format\":1,\"id\":\"v\",\"title\":{\"vi\":\"v\",\"en\":\"v\"},"
	                           "\"sources\":[],\"applies_to\":null,\"extends\":\"qd218-2022\","
	                           "\"effective\":{\"from\":\"2022-01-27\",\"status\":\"confirmed\","
	                           "\"note\":\"n\"}}", &cat, &err), THC_ECONFLICT);
	assert_null(cat);
	/* More rule sets than a catalog holds. */
	{
		struct level_source many[LEVEL_CATALOG_MAX + 1];

		for (size_t i = 0; i < ARRAY_SIZE(many); i++)
			many[i] = (struct level_source){ "x.json", fx->text[0], fx->len[0] };
		assert_int_equal(level_catalog_load(&cat, many, ARRAY_SIZE(many), &err), THC_ETOOBIG);
		assert_null(cat);
	}
}

/* A variant for Hanoi (01) from 2021-11-01: another threshold, Decision
 * 2686-style districts from their communes' levels. */
static const char hanoi_variant[] =
	VARIANT_HEAD("hn-test", "\"qd4800-2021\"", "2021-11-01") ","
	"\"indicators\":{\"cases_per_100k\":{\"bands\":["
	" {\"band\":1,\"min\":null,\"max\":10,\"max_inclusive\":false,\"status\":\"assumption\",\"note\":\"n\"},"
	" {\"band\":2,\"min\":10,\"min_inclusive\":true,\"max\":50,\"max_inclusive\":false,\"status\":\"assumption\",\"note\":\"n\"},"
	" {\"band\":3,\"min\":50,\"min_inclusive\":true,\"max\":150,\"max_inclusive\":false,\"status\":\"assumption\",\"note\":\"n\"},"
	" {\"band\":4,\"min\":150,\"min_inclusive\":true,\"max\":null,\"status\":\"assumption\",\"note\":\"n\"}]}},"
	"\"scope\":{\"district\":{\"method\":\"children_levels\",\"status\":\"assumption\",\"note\":\"2686\","
	" \"thresholds\":["
	"  {\"level\":4,\"children_at_least\":4,\"min_share_pct\":30,\"min_share_inclusive\":true,\"status\":\"assumption\",\"note\":\"n\"},"
	"  {\"level\":3,\"children_at_least\":3,\"min_share_pct\":50,\"min_share_inclusive\":true,\"status\":\"assumption\",\"note\":\"n\"},"
	"  {\"level\":2,\"children_at_least\":2,\"min_share_pct\":50,\"min_share_inclusive\":true,\"status\":\"assumption\",\"note\":\"n\"}],"
	" \"otherwise\":{\"value\":1,\"status\":\"assumption\",\"note\":\"n\"}}}}";

static void test_variant_and_aggregate(void **state)
{
	struct fixture *fx = *state;
	struct level_catalog *cat = NULL;
	const struct level_rules *hn, *r;
	struct error err = ERROR_INIT;
	struct level_result res;
	int lv[10];

	if (load_with(fx, hanoi_variant, &cat, &err) != 0)
		fail_msg("%s", err.en);
	hn = level_catalog_get(cat, "hn-test");
	assert_non_null(hn);
	/* Inherited from 4800 (end date, week), overridden bands. */
	assert_int_equal(level_rules_to(hn), day("2022-01-26"));
	assert_int_equal(level_rules_first_weekday(hn), 1);
	assert_int_equal(level_rules_scope_method(hn, LEVEL_SCOPE_DISTRICT), LEVEL_CHILDREN_LEVELS);
	assert_int_equal(level_rules_scope_method(hn, LEVEL_SCOPE_PROVINCE), LEVEL_OWN_TOTALS);
	/* 15 per 100,000: band 2 under Hanoi's 10, band 1 nationally. */
	assert_int_equal(assess(hn, in4800("100000", "15", "15")).cases_band, 2);
	assert_int_equal(assess(level_catalog_get(cat, "qd4800-2021"),
	                        in4800("100000", "15", "15")).cases_band, 1);
	/* Only Hanoi's units, only from its date. */
	assert_int_equal(level_catalog_pick(cat, "01", day("2021-11-07"), &r, &err), 0);
	assert_ptr_equal(r, hn);
	assert_int_equal(level_catalog_pick(cat, "01", day("2021-10-31"), &r, &err), 0);
	assert_string_equal(level_rules_id(r), "qd4800-2021");
	assert_int_equal(level_catalog_pick(cat, "02", day("2021-11-07"), &r, &err), 0);
	assert_string_equal(level_rules_id(r), "qd4800-2021");

	/* >= 30 % of communes at 4 -> 4. */
	for (int i = 0; i < 10; i++)
		lv[i] = i < 3 ? 4 : 1;
	assert_int_equal(level_aggregate(hn, LEVEL_SCOPE_DISTRICT, lv, 10, 0, &res), 0);
	assert_int_equal(res.level, 4);
	assert_int_equal(res.children, 10);
	ASSERT_CONTAINS(res.explain_vi, "Cấp 4: 3/10 đơn vị trực thuộc (30,0 %) ở cấp 4 (≥ 30 %)");
	ASSERT_CONTAINS(res.explain_en, "Level 4: 3 of 10 units below (30.0 %) at level 4 (≥ 30 %)");
	/* 2 at 4 and 3 at 3: 50 % at >= 3 -> 3. */
	lv[2] = 3, lv[3] = 3, lv[4] = 3;
	assert_int_equal(level_aggregate(hn, LEVEL_SCOPE_DISTRICT, lv, 10, 0, &res), 0);
	assert_int_equal(res.level, 3);
	ASSERT_CONTAINS(res.explain_en, "at level ≥ 3 (≥ 50 %)");
	/* All 1 -> otherwise. */
	for (int i = 0; i < 10; i++)
		lv[i] = 1;
	assert_int_equal(level_aggregate(hn, LEVEL_SCOPE_DISTRICT, lv, 10, 0, &res), 0);
	assert_int_equal(res.level, 1);
	ASSERT_CONTAINS(res.explain_en, "no threshold reached");
	/* One unknown commune that cannot change it. */
	lv[9] = 0;
	assert_int_equal(level_aggregate(hn, LEVEL_SCOPE_DISTRICT, lv, 10, 0, &res), 0);
	assert_int_equal(res.level, 1);
	assert_int_equal(res.children_unknown, 1);
	ASSERT_CONTAINS(res.explain_en, "1 without a level, not decisive");
	/* 2 at 4 and one unknown: 20 % or 30 % -> not assessable. */
	lv[0] = 4, lv[1] = 4;
	assert_int_equal(level_aggregate(hn, LEVEL_SCOPE_DISTRICT, lv, 10, 0, &res), 0);
	assert_int_equal(res.level, 0);
	ASSERT_CONTAINS(res.explain_en, "Not assessable: 1 of 10 units below have no level");
	/* No children; wrong scope; bad level. */
	assert_int_equal(level_aggregate(hn, LEVEL_SCOPE_DISTRICT, lv, 0, 0, &res), 0);
	assert_int_equal(res.level, 0);
	assert_int_equal(level_aggregate(hn, LEVEL_SCOPE_PROVINCE, lv, 10, 0, &res), THC_EINVAL);
	assert_int_equal(level_aggregate(fx->r4800, LEVEL_SCOPE_DISTRICT, lv, 10, 0, &res),
	                 THC_EINVAL);
	lv[5] = 7;
	assert_int_equal(level_aggregate(hn, LEVEL_SCOPE_DISTRICT, lv, 10, 0, &res), THC_EINVAL);
	level_catalog_free(cat);
}

static void test_colours(void **state)
{
	static const char *const en[] = { "", "green", "yellow", "orange", "red" };
	static const char *const vi[] = { "", "xanh", "vàng", "cam", "đỏ" };

	(void)state;
	for (int l = 1; l <= 4; l++) {
		assert_string_equal(level_colour(l), en[l]);
		assert_string_equal(level_colour_name(l, 1), en[l]);
		assert_string_equal(level_colour_name(l, 0), vi[l]);
		assert_int_equal(level_colour_hex(l)[0], '#');
	}
	/* 0: not assessed, grey on the map; nothing outside 0..4. */
	assert_string_equal(level_colour(0), "grey");
	assert_string_equal(level_name(0, 0), "Chưa đánh giá");
	assert_string_equal(level_colour(5), "");
	assert_string_equal(level_colour(-1), "");
	assert_string_equal(level_colour_name(5, 0), "");
	assert_string_equal(level_name(1, 1), "Low risk (new normal)");
	assert_string_equal(level_name(4, 0), "Nguy cơ rất cao");
	assert_string_equal(level_capacity_title(LEVEL_CAPACITY_MEDIUM, 0), "trung bình");
	assert_string_equal(level_scope_name(LEVEL_SCOPE_DISTRICT), "district");
	assert_string_equal(level_indicator_name(LEVEL_IND_DEATHS), "deaths_per_100k");
}

/* Large figures keep their thousands separators apart from the decimals. */
static void test_number_text(void **state)
{
	struct fixture *fx = *state;
	struct level_result res = assess(fx->r4800, in4800("1000", "12345", "12345"));

	ASSERT_CONTAINS(res.explain_vi, "1.234.500,0 ca/100.000 dân/tuần");
	ASSERT_CONTAINS(res.explain_en, "1,234,500.0 cases per 100,000 per week");
}

/* A random input of every field (some left out, some out of range), so
 * that every shape of explanation turns up. */
static void random_input(struct level_input *in, unsigned *seed)
{
	memset(in, 0, sizeof(*in));
	in->present = (unsigned)rand_r(seed) % 64 == 0 ? (unsigned)rand_r(seed) & 0xfffu : 0xfffu;
	in->population = 1 + rand_r(seed) % (rand_r(seed) % 2 ? 40000 : 3000000);
	in->cases_week = rand_r(seed) % (rand_r(seed) % 4 ? 80 : 20000);
	in->cases_prev_week = rand_r(seed) % 80;
	in->oxygen_cases_week = rand_r(seed) % 40;
	in->deaths_week = rand_r(seed) % (rand_r(seed) % 2 ? 3 : 400);
	in->vax1_18plus_pct = (rand_r(seed) % 10001) / 100.0;
	in->vaxfull_elderly_pct = (rand_r(seed) % 1001) / 10.0;
	in->vaxfull_pct = (rand_r(seed) % 10001) / 100.0;
	in->vaxfull_highrisk_pct = rand_r(seed) % 3 ? (rand_r(seed) % 101) : 100.5;
	in->capacity_met = rand_r(seed) % 2;
	in->capacity = (enum level_capacity)(rand_r(seed) % LEVEL_CAPACITY_COUNT);
	in->previous_level = 1 + rand_r(seed) % 4;
}

/* level_assess_cached writes what level_assess writes, row after row,
 * from the cache or not, in each language. */
static void test_cached_text(void **state)
{
	struct fixture *fx = *state;
	const struct level_rules *rules[] = { fx->r4800, fx->r218, fx->hcm };
	static struct level_result want, got;
	unsigned seed = 128;

	for (int english = 0; english <= 1; english++) {
		struct level_text_cache *c;

		assert_int_equal(level_text_cache_new(&c, english), 0);
		for (int i = 0; i < 30000; i++) {
			const struct level_rules *r = rules[i % 3];
			struct level_input in;
			int rw, rg;

			random_input(&in, &seed);
			rw = level_assess(r, &in, 0, &want);
			rg = level_assess_cached(c, r, &in, &got);
			assert_int_equal(rg, rw);
			assert_int_equal(got.level, want.level);
			assert_int_equal(got.adjustments, want.adjustments);
			assert_int_equal(got.assumption, want.assumption);
			assert_int_equal(got.missing, want.missing);
			assert_memory_equal(&got.cases_per_100k, &want.cases_per_100k, sizeof(double));
			if (english)
				assert_string_equal(got.explain_en, want.explain_en);
			else
				assert_string_equal(got.explain_vi, want.explain_vi);
		}
		level_text_cache_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog),
		cmocka_unit_test(test_standalone_parse),
		cmocka_unit_test(test_hcmc_73_5),
		cmocka_unit_test(test_hcmc_150),
		cmocka_unit_test(test_long_an),
		cmocka_unit_test(test_4800_band_edges),
		cmocka_unit_test(test_4800_vaccination_edge),
		cmocka_unit_test(test_no_downgrade),
		cmocka_unit_test(test_not_assessable),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_218_matrix),
		cmocka_unit_test(test_218_band_edges),
		cmocka_unit_test(test_218_deaths),
		cmocka_unit_test(test_218_vaccination),
		cmocka_unit_test(test_no_text_flag),
		cmocka_unit_test(test_cached_text),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_scope_unknown_key),
		cmocka_unit_test(test_bad_variants),
		cmocka_unit_test(test_variant_and_aggregate),
		cmocka_unit_test(test_colours),
		cmocka_unit_test(test_number_text),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
