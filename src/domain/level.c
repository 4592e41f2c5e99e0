/*
 * Epidemic levels: rule sets parsed from JSON into a flat compiled form,
 * then assessed without allocation.  The format is in docs/levels.md.
 *
 * Parsing is strict: every object's keys are checked (a misspelt key in a
 * province variant must not silently fall back to the national value), and
 * every error names the file and the JSON path of the field.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "base/vntime.h"
#include "domain/level-private.h"
#include "base/banned.h"


/* ---- static tables ----------------------------------------------------- */

const char *const level_field_names[LEVEL_F_COUNT] = {
#define X(id, name) [LEVEL_F_##id] = name,
	LEVEL_FIELDS(X)
#undef X
};

const struct lr_ind_info lr_ind_info[LEVEL_IND_COUNT] = {
	[LEVEL_IND_CASES]  = { "cases_per_100k", "ca/100.000 dân/tuần",
	                       "cases per 100,000 per week", LEVEL_F_CASES_WEEK,
	                       LEVEL_ADJ_ABOVE_CASES },
	[LEVEL_IND_OXYGEN] = { "oxygen_per_100k", "ca thở ô xy/100.000 dân/tuần",
	                       "oxygen cases per 100,000 per week", LEVEL_F_OXYGEN_CASES_WEEK,
	                       LEVEL_ADJ_ABOVE_OXYGEN },
	[LEVEL_IND_DEATHS] = { "deaths_per_100k", "ca tử vong/100.000 dân/tuần",
	                       "deaths per 100,000 per week", LEVEL_F_DEATHS_WEEK,
	                       LEVEL_ADJ_ABOVE_DEATHS },
};

const struct lr_vax_info lr_vax_info[LR_VAX_INFO_COUNT] = {
	{ LEVEL_F_VAX1_18PLUS, "người từ 18 tuổi tiêm ít nhất 1 mũi",
	  "adults 18+ with at least one dose" },
	{ LEVEL_F_VAXFULL_ELDERLY, "người cao tuổi tiêm đủ liều",
	  "older people fully vaccinated" },
	{ LEVEL_F_VAXFULL, "dân số tiêm đủ liều", "population fully vaccinated" },
	{ LEVEL_F_VAXFULL_HIGHRISK, "người nguy cơ cao tiêm đủ liều",
	  "high-risk people fully vaccinated" },
};

const struct lr_capacity_info lr_capacity_info[LEVEL_CAPACITY_COUNT] = {
	[LEVEL_CAPACITY_HIGH]   = { "high", "cao", "high" },
	[LEVEL_CAPACITY_MEDIUM] = { "medium", "trung bình", "medium" },
	[LEVEL_CAPACITY_LOW]    = { "low", "thấp", "low" },
};

/* NULL-terminated: lr_compile_scope() checks the keys of "scope" against it. */
const char *const lr_scope_names[LEVEL_SCOPE_COUNT + 1] = {
	[LEVEL_SCOPE_COMMUNE] = "commune",
	[LEVEL_SCOPE_DISTRICT] = "district",
	[LEVEL_SCOPE_PROVINCE] = "province",
};

const char *const lr_weekdays[9] = {
	NULL, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL,
};

/* Resolution 128/NQ-CP's four levels and their colours, and 0 for a unit
 * not assessed: the one table the API and the web application use
 * (web/build.mjs reads it through `thichung constants`). */
const struct lr_level_info lr_levels[LEVEL_MAX + 1] = {
	[0] = { "grey",   "xám",  "grey",   "#b8bcc2", "Chưa đánh giá", "Not assessed" },
	[1] = { "green",  "xanh", "green",  "#3a9d23", "Nguy cơ thấp (bình thường mới)",
	        "Low risk (new normal)" },
	[2] = { "yellow", "vàng", "yellow", "#f2c200", "Nguy cơ trung bình", "Medium risk" },
	[3] = { "orange", "cam",  "orange", "#f28c00", "Nguy cơ cao", "High risk" },
	[4] = { "red",    "đỏ",   "red",    "#d7263d", "Nguy cơ rất cao", "Very high risk" },
};

int level_field_from_name(const char *name)
{
	for (int i = 0; i < LEVEL_F_COUNT; i++)
		if (name && strcmp(name, level_field_names[i]) == 0)
			return i;
	return -1;
}

const char *level_field_name(enum level_field f)
{
	return (unsigned)f < LEVEL_F_COUNT ? level_field_names[f] : "?";
}

const char *level_indicator_name(enum level_indicator i)
{
	return (unsigned)i < LEVEL_IND_COUNT ? lr_ind_info[i].name : "?";
}

const char *level_scope_name(enum level_scope s)
{
	return (unsigned)s < LEVEL_SCOPE_COUNT ? lr_scope_names[s] : "?";
}

const char *level_capacity_name(enum level_capacity c)
{
	return (unsigned)c < LEVEL_CAPACITY_COUNT ? lr_capacity_info[c].name : "?";
}

const char *level_capacity_title(enum level_capacity c, int english)
{
	if ((unsigned)c >= LEVEL_CAPACITY_COUNT)
		return "?";
	return english ? lr_capacity_info[c].en : lr_capacity_info[c].vi;
}

/* Levels outside 0..4 have no colour and no name. */
static int lr_level_known(int level)
{
	return level >= LEVEL_NONE && level <= LEVEL_MAX;
}

const char *level_colour(int level)
{
	return lr_level_known(level) ? lr_levels[level].colour : "";
}

const char *level_colour_name(int level, int english)
{
	if (!lr_level_known(level))
		return "";
	return english ? lr_levels[level].colour_en : lr_levels[level].colour_vi;
}

const char *level_colour_hex(int level)
{
	return lr_level_known(level) ? lr_levels[level].hex : "";
}

const char *level_name(int level, int english)
{
	if (!lr_level_known(level))
		return "";
	return english ? lr_levels[level].en : lr_levels[level].vi;
}

static int lr_is_pct_field(enum level_field f)
{
	return f == LEVEL_F_VAX1_18PLUS || f == LEVEL_F_VAXFULL_ELDERLY ||
	       f == LEVEL_F_VAXFULL || f == LEVEL_F_VAXFULL_HIGHRISK;
}

static double *lr_pct_slot(struct level_input *in, enum level_field f)
{
	switch (f) {
	case LEVEL_F_VAX1_18PLUS: return &in->vax1_18plus_pct;
	case LEVEL_F_VAXFULL_ELDERLY: return &in->vaxfull_elderly_pct;
	case LEVEL_F_VAXFULL: return &in->vaxfull_pct;
	case LEVEL_F_VAXFULL_HIGHRISK: return &in->vaxfull_highrisk_pct;
	default: return NULL;
	}
}

double lr_pct_value(const struct level_input *in, enum level_field f)
{
	switch (f) {
	case LEVEL_F_VAX1_18PLUS: return in->vax1_18plus_pct;
	case LEVEL_F_VAXFULL_ELDERLY: return in->vaxfull_elderly_pct;
	case LEVEL_F_VAXFULL: return in->vaxfull_pct;
	case LEVEL_F_VAXFULL_HIGHRISK: return in->vaxfull_highrisk_pct;
	default: return 0;
	}
}

static int64_t *lr_count_slot(struct level_input *in, enum level_field f)
{
	switch (f) {
	case LEVEL_F_POPULATION: return &in->population;
	case LEVEL_F_CASES_WEEK: return &in->cases_week;
	case LEVEL_F_CASES_PREV_WEEK: return &in->cases_prev_week;
	case LEVEL_F_OXYGEN_CASES_WEEK: return &in->oxygen_cases_week;
	case LEVEL_F_DEATHS_WEEK: return &in->deaths_week;
	default: return NULL;
	}
}

int level_input_parse(struct level_input *in, enum level_field f, const char *s,
                      struct error *err)
{
	int64_t v;
	double d;

	if (in == NULL || (unsigned)f >= LEVEL_F_COUNT || s == NULL)
		return error_set(err, THC_EINVAL, "tham số không hợp lệ", "invalid argument");
	if (s[0] == '\0') {
		in->present &= ~LEVEL_HAS(f);
		return 0;
	}
	if (f == LEVEL_F_POPULATION) {
		if (parse_int64(s, 1, LEVEL_POPULATION_MAX, &v) < 0)
			return error_set(err, THC_EINVAL,
			                 "'%.20s' phải là số nguyên > 0 (tối đa %lld)",
			                 "'%.20s' must be a whole number > 0 (at most %lld)",
			                 s, LEVEL_POPULATION_MAX);
		in->population = v;
	} else if (lr_count_slot(in, f) != NULL) {
		if (parse_int64(s, 0, LEVEL_COUNT_MAX, &v) < 0)
			return error_set(err, THC_EINVAL,
			                 "'%.20s' phải là số nguyên >= 0 (tối đa %lld)",
			                 "'%.20s' must be a whole number >= 0 (at most %lld)",
			                 s, LEVEL_COUNT_MAX);
		*lr_count_slot(in, f) = v;
	} else if (lr_is_pct_field(f)) {
		if (parse_double(s, 0, 100, &d) < 0)
			return error_set(err, THC_EINVAL,
			                 "'%.20s' phải là số thập phân từ 0 đến 100 (dấu chấm thập phân)",
			                 "'%.20s' must be a decimal number from 0 to 100 (with a dot)", s);
		*lr_pct_slot(in, f) = d;
	} else if (f == LEVEL_F_CAPACITY_MET) {
		if (strcmp(s, "1") != 0 && strcmp(s, "0") != 0)
			return error_set(err, THC_EINVAL, "'%.20s' phải là 1 (đạt) hoặc 0 (chưa đạt)",
			                 "'%.20s' must be 1 (met) or 0 (not met)", s);
		in->capacity_met = s[0] == '1';
	} else if (f == LEVEL_F_CAPACITY) {
		int c;

		for (c = 0; c < LEVEL_CAPACITY_COUNT; c++)
			if (strcmp(s, lr_capacity_info[c].name) == 0)
				break;
		if (c == LEVEL_CAPACITY_COUNT)
			return error_set(err, THC_EINVAL, "'%.20s' phải là high, medium hoặc low",
			                 "'%.20s' must be high, medium or low", s);
		in->capacity = (enum level_capacity)c;
	} else {    /* LEVEL_F_PREVIOUS_LEVEL */
		if (parse_int64(s, LEVEL_MIN, LEVEL_MAX, &v) < 0)
			return error_set(err, THC_EINVAL, "'%.20s' phải là cấp độ từ 1 đến 4",
			                 "'%.20s' must be a level from 1 to 4", s);
		in->previous_level = (int)v;
	}
	in->present |= LEVEL_HAS(f);
	return 0;
}

/* The first present field out of range, or -1. */
int lr_input_bad_field(const struct level_input *in)
{
	for (int f = 0; f < LEVEL_F_COUNT; f++) {
		if (!(in->present & LEVEL_HAS(f)))
			continue;
		switch (f) {
		case LEVEL_F_POPULATION:
			if (in->population < 1 || in->population > LEVEL_POPULATION_MAX)
				return f;
			break;
		case LEVEL_F_CASES_WEEK: case LEVEL_F_CASES_PREV_WEEK:
		case LEVEL_F_OXYGEN_CASES_WEEK: case LEVEL_F_DEATHS_WEEK: {
			int64_t v = *lr_count_slot((struct level_input *)in, (enum level_field)f);
			if (v < 0 || v > LEVEL_COUNT_MAX)
				return f;
			break;
		}
		case LEVEL_F_CAPACITY_MET:
			if (in->capacity_met != 0 && in->capacity_met != 1)
				return f;
			break;
		case LEVEL_F_CAPACITY:
			if ((unsigned)in->capacity >= LEVEL_CAPACITY_COUNT)
				return f;
			break;
		case LEVEL_F_PREVIOUS_LEVEL:
			if (in->previous_level < LEVEL_MIN || in->previous_level > LEVEL_MAX)
				return f;
			break;
		default: {
			double v = lr_pct_value(in, (enum level_field)f);
			if (!(v >= 0 && v <= 100))
				return f;
		}
		}
	}
	return -1;
}

int level_input_check(const struct level_input *in, struct error *err)
{
	int f;

	if (in == NULL)
		return error_set(err, THC_EINVAL, "thiếu dữ liệu đầu vào", "no input");
	if ((f = lr_input_bad_field(in)) >= 0)
		return error_set(err, THC_EINVAL, "trường '%s' ngoài khoảng cho phép",
		                 "field '%s' is out of range", level_field_names[f]);
	return 0;
}

