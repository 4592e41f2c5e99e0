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
#include "domain/level.h"
#include "base/banned.h"

#define LR_FORMAT 1
#define LR_PATH_MAX 200
#define LR_VAX_MAX 8
#define LR_ADJ_MAX 8
#define LR_SOURCES_MAX 64
#define LR_NUM_TEXT 32     /* a formatted number */
#define LR_CMP_TEXT (LR_NUM_TEXT + 8)              /* "≥ " and a number */
#define LR_BAND_TEXT (2 * LR_NUM_TEXT + 16)        /* "> 20 – ≤ 50" */

#if defined(__GNUC__) || defined(__clang__)
#define LR_NOINLINE __attribute__((noinline))
#define LR_COLD __attribute__((cold, noinline))
#else
#define LR_NOINLINE
#define LR_COLD
#endif

/* ---- static tables ----------------------------------------------------- */

static const char *const level_field_names[LEVEL_F_COUNT] = {
#define X(id, name) [LEVEL_F_##id] = name,
	LEVEL_FIELDS(X)
#undef X
};

static const struct {
	const char *name, *unit_vi, *unit_en;
	enum level_field count;
	unsigned adj_flag;
} lr_ind_info[LEVEL_IND_COUNT] = {
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

/* The percentages a vaccination condition may test. */
static const struct {
	enum level_field field;
	const char *vi, *en;
} lr_vax_info[] = {
	{ LEVEL_F_VAX1_18PLUS, "người từ 18 tuổi tiêm ít nhất 1 mũi",
	  "adults 18+ with at least one dose" },
	{ LEVEL_F_VAXFULL_ELDERLY, "người cao tuổi tiêm đủ liều",
	  "older people fully vaccinated" },
	{ LEVEL_F_VAXFULL, "dân số tiêm đủ liều", "population fully vaccinated" },
	{ LEVEL_F_VAXFULL_HIGHRISK, "người nguy cơ cao tiêm đủ liều",
	  "high-risk people fully vaccinated" },
};

static const struct {
	const char *name, *vi, *en;
} lr_capacity_info[LEVEL_CAPACITY_COUNT] = {
	[LEVEL_CAPACITY_HIGH]   = { "high", "cao", "high" },
	[LEVEL_CAPACITY_MEDIUM] = { "medium", "trung bình", "medium" },
	[LEVEL_CAPACITY_LOW]    = { "low", "thấp", "low" },
};

/* NULL-terminated: lr_compile_scope() checks the keys of "scope" against it. */
static const char *const lr_scope_names[LEVEL_SCOPE_COUNT + 1] = {
	[LEVEL_SCOPE_COMMUNE] = "commune",
	[LEVEL_SCOPE_DISTRICT] = "district",
	[LEVEL_SCOPE_PROVINCE] = "province",
};

/* 1..7 as in vndate_weekday(); NULL-terminated from index 1 for lr_enum(). */
static const char *const lr_weekdays[9] = {
	NULL, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL,
};

/* Resolution 128/NQ-CP: the four levels and their colours. */
static const struct {
	const char *colour, *colour_vi, *colour_en, *hex, *vi, *en;
} lr_levels[LEVEL_MAX + 1] = {
	[1] = { "green",  "xanh", "green",  "#2e7d32", "nguy cơ thấp (bình thường mới)",
	        "low risk (new normal)" },
	[2] = { "yellow", "vàng", "yellow", "#f9a825", "nguy cơ trung bình", "medium risk" },
	[3] = { "orange", "cam",  "orange", "#ef6c00", "nguy cơ cao", "high risk" },
	[4] = { "red",    "đỏ",   "red",    "#c62828", "nguy cơ rất cao", "very high risk" },
};

/* ---- compiled rule set ------------------------------------------------- */

struct lr_band {
	double min, max;
	unsigned char has_min, has_max, min_incl, max_incl, assumed;
	char text_vi[LR_BAND_TEXT], text_en[LR_BAND_TEXT];   /* "50 – < 150" */
};

struct lr_indicator {
	int nbands;                     /* 0: no bands given */
	struct lr_band band[LEVEL_MAX];
};

struct lr_cond {
	enum level_field field;
	double min;
	unsigned char incl, assumed;
	const char *label_vi, *label_en;
	char min_vi[LR_CMP_TEXT], min_en[LR_CMP_TEXT];    /* "≥ 80" */
};

enum lr_when { LR_WHEN_VACCINATION_NOT_MET, LR_WHEN_ABOVE, LR_WHEN_CAPACITY_NOT_MET };
enum lr_effect { LR_EFFECT_RAISE, LR_EFFECT_NO_DOWNGRADE };
enum lr_stage { LR_STAGE_TRANSMISSION, LR_STAGE_LEVEL };

struct lr_adjust {
	enum lr_when when;
	enum lr_effect effect;
	enum lr_stage stage;
	int by;
	enum level_indicator indicator;   /* LR_WHEN_ABOVE */
	double threshold;
	unsigned char inclusive, assumed;
	char thr_vi[LR_CMP_TEXT], thr_en[LR_CMP_TEXT];    /* "> 6" */
};

enum lr_columns { LR_COLS_VACCINATION, LR_COLS_CAPACITY };
#define LR_COLS_MAX 3

struct lr_threshold {
	int level, at_least;
	double min_share;
	unsigned char incl, assumed;
	char share_vi[LR_CMP_TEXT], share_en[LR_CMP_TEXT]; /* "≥ 30" */
};

struct lr_scope {
	enum level_scope_method method;
	unsigned char assumed;
	struct lr_threshold th[LEVEL_MAX];
	int nth;
	int otherwise;
	unsigned char otherwise_assumed;
};

/*
 * What level_assess() needs, laid out flat by lr_plan_build() once per rule
 * set so that an assessment does no lookups by kind: each band edge as one
 * plain number to compare with, each vaccination condition's place in the input, the
 * raise adjustments of each stage in order, and every "assumption" mark
 * that does not depend on the input folded into one flag.
 */
struct lr_plan {
	/* v is in band i + 1 or below iff v < below[k][i]: an inclusive edge
	 * becomes the next double up, which is exact for every v; the edges
	 * after the last band's are +infinity, which no finite v reaches. */
	double below[LEVEL_IND_COUNT][LEVEL_MAX - 1];
	int nedges[LEVEL_IND_COUNT];                         /* nbands - 1, or -1 */
	unsigned band_assumed[LEVEL_IND_COUNT];              /* bit b: band b + 1 */
	size_t vax_off[LR_VAX_MAX];                          /* offsetof in level_input */
	double vax_least[LR_VAX_MAX];                        /* met iff v >= this */
	unsigned char raise_trans[LR_ADJ_MAX], raise_level[LR_ADJ_MAX];  /* adj indices */
	int nraise_trans, nraise_level;
	unsigned adj_flag[LR_ADJ_MAX];                       /* enum level_adjust_flags */
	int fixed_assumed;                                   /* marks always used */
};

struct level_rules {
	json_t *doc;                    /* the resolved document; strings below borrow from it */
	const char *id, *title_vi, *title_en, *applies_to, *extends;
	int32_t from, to;
	int first_weekday;
	int two_week;
	unsigned char two_week_assumed;
	struct lr_indicator ind[LEVEL_IND_COUNT];
	enum level_indicator trans[LEVEL_IND_COUNT];
	int ntrans;
	unsigned char trans_assumed;
	struct lr_cond vax[LR_VAX_MAX];
	int nvax;
	enum lr_columns columns;
	int ncols;
	int cell[LEVEL_MAX][LR_COLS_MAX];
	unsigned char cell_assumed[LEVEL_MAX][LR_COLS_MAX];
	struct lr_adjust adj[LR_ADJ_MAX];
	int nadj;
	int no_downgrade;               /* index in adj, or -1 */
	struct lr_scope scope[LEVEL_SCOPE_COUNT];
	unsigned used_ind;              /* bit per indicator that is computed */
	unsigned required;              /* LEVEL_HAS bits */
	int any_assumption;
	struct lr_plan plan;            /* derived by lr_plan_build() */
};

/* ---- names, inputs, colours -------------------------------------------- */

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

const char *level_colour(int level)
{
	return level >= LEVEL_MIN && level <= LEVEL_MAX ? lr_levels[level].colour : "";
}

const char *level_colour_name(int level, int english)
{
	if (level < LEVEL_MIN || level > LEVEL_MAX)
		return "";
	return english ? lr_levels[level].colour_en : lr_levels[level].colour_vi;
}

const char *level_colour_hex(int level)
{
	return level >= LEVEL_MIN && level <= LEVEL_MAX ? lr_levels[level].hex : "";
}

const char *level_name(int level, int english)
{
	if (level < LEVEL_MIN || level > LEVEL_MAX)
		return english ? "not assessable" : "không đánh giá được";
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

static double lr_pct_value(const struct level_input *in, enum level_field f)
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
static int lr_input_bad_field(const struct level_input *in)
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

/* ---- number text ------------------------------------------------------- */

/*
 * Fixed-point text without printf (it runs for every assessment): rounds
 * half away from zero to `decimals`, groups thousands ("." in Vietnamese,
 * "," in English), uses a decimal comma in Vietnamese, and with `trim`
 * drops trailing zeros.  out holds at least LR_NUM_TEXT bytes.
 */
static size_t lr_fmt_num(char *out, double v, int decimals, int trim, int english)
{
	static const int64_t pow10[] = { 1, 10, 100, 1000 };
	char digits[24];
	size_t nd = 0, n = 0;
	int64_t scaled, ip, fp;
	int neg = v < 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 3)
		decimals = 3;
	if (!isfinite(v) || fabs(v) > 1e15) {
		memcpy(out, "?", 2);
		return 1;
	}
	scaled = llround(fabs(v) * (double)pow10[decimals]);
	ip = scaled / pow10[decimals];
	fp = scaled % pow10[decimals];
	if (neg && scaled != 0)
		out[n++] = '-';
	do {
		digits[nd++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	while (nd > 0) {
		out[n++] = digits[--nd];
		if (nd > 0 && nd % 3 == 0)
			out[n++] = english ? ',' : '.';
	}
	if (decimals > 0) {
		char frac[4];
		int k = decimals;

		for (int i = decimals - 1; i >= 0; i--) {
			frac[i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		if (trim)
			while (k > 0 && frac[k - 1] == '0')
				k--;
		if (k > 0) {
			out[n++] = english ? '.' : ',';
			memcpy(out + n, frac, (size_t)k);
			n += (size_t)k;
		}
	}
	out[n] = '\0';
	return n;
}

/* "≥ 80", "> 6", "< 20", "≤ 600" */
static void lr_fmt_cmp(char *out, size_t outsz, const char *op, double v, int english)
{
	char num[LR_NUM_TEXT];

	lr_fmt_num(num, v, 2, 1, english);
	snprintf(out, outsz, "%s %s", op, num);
}

/* ---- explanation writer ------------------------------------------------- */

/* Appends whole pieces; a piece that does not fit is dropped and the text
 * ends with "…", so it stays valid UTF-8.  This runs for every assessment,
 * so literals go through T2() with their lengths known at compile time. */
struct lr_text {
	char *p;
	size_t len, cap;
	int full;
};

static void lt_init(struct lr_text *t, char *buf, size_t cap)
{
	t->p = buf;
	t->len = 0;
	t->cap = cap;
	t->full = 0;
	buf[0] = '\0';
}

static void lt_overflow(struct lr_text *t)
{
	static const char ell[] = "…";

	if (!t->full && t->len + sizeof(ell) <= t->cap) {
		memcpy(t->p + t->len, ell, sizeof(ell));
		t->len += sizeof(ell) - 1;
	}
	t->full = 1;
}

static inline void lt_addn(struct lr_text *t, const char *s, size_t n)
{
	/* Room for the piece, a later "…" and the NUL. */
	if (t->full || t->len + n + 4 > t->cap) {
		lt_overflow(t);
		return;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

/* The two languages side by side. */
struct lr_text2 {
	struct lr_text vi, en;
	int on;
};

static inline void t2_addn(struct lr_text2 *t, const char *vi, size_t nvi, const char *en,
                           size_t nen)
{
	if (!t->on)
		return;
	lt_addn(&t->vi, vi, nvi);
	lt_addn(&t->en, en, nen);
}

/* Literals only (the "" makes anything else a compile error). */
#define T2(t, vi, en) t2_addn((t), "" vi, sizeof("" vi) - 1, "" en, sizeof("" en) - 1)

static void t2_add(struct lr_text2 *t, const char *vi, const char *en)
{
	if (t->on)
		t2_addn(t, vi, strlen(vi), en, strlen(en));
}

/* Formats once in English and swaps the separators for Vietnamese. */
static void t2_num(struct lr_text2 *t, double v, int decimals, int trim)
{
	char en[LR_NUM_TEXT], vi[LR_NUM_TEXT];
	size_t n;

	if (!t->on)
		return;
	n = lr_fmt_num(en, v, decimals, trim, 1);
	for (size_t i = 0; i < n; i++)
		vi[i] = en[i] == ',' ? '.' : en[i] == '.' ? ',' : en[i];
	t2_addn(t, vi, n, en, n);
}

static void t2_int(struct lr_text2 *t, long v)
{
	if (v >= 0 && v <= 9) {
		char c = (char)('0' + v);

		t2_addn(t, &c, 1, &c, 1);
	} else {
		t2_num(t, (double)v, 0, 0);
	}
}

static void t2_mark(struct lr_text2 *t, int assumed)
{
	if (assumed)
		T2(t, " (giả định)", " (assumption)");
}

/* ---- JSON reading with paths -------------------------------------------- */

struct lr_ctx {
	const char *file;
	struct error *err;
	char path[LR_PATH_MAX];
	size_t len;
};

static void lr_ctx_init(struct lr_ctx *c, const char *file, struct error *err)
{
	c->file = file ? file : "(rules)";
	c->err = err;
	memcpy(c->path, "$", 2);
	c->len = 1;
}

static size_t lr_push(struct lr_ctx *c, const char *key)
{
	size_t old = c->len;
	int n = snprintf(c->path + c->len, sizeof(c->path) - c->len, ".%s", key);

	if (n > 0)
		c->len += (size_t)n < sizeof(c->path) - c->len ? (size_t)n
		                                                 : sizeof(c->path) - c->len - 1;
	return old;
}

static size_t lr_push_idx(struct lr_ctx *c, size_t i)
{
	size_t old = c->len;
	int n = snprintf(c->path + c->len, sizeof(c->path) - c->len, "[%zu]", i);

	if (n > 0)
		c->len += (size_t)n < sizeof(c->path) - c->len ? (size_t)n
		                                                 : sizeof(c->path) - c->len - 1;
	return old;
}

static void lr_pop(struct lr_ctx *c, size_t old)
{
	c->len = old;
	c->path[old] = '\0';
}

/* "file: $.path: what"; the %.0s swallows the other language's text so that
 * both formats take the same arguments. */
static int lr_fail(struct lr_ctx *c, const char *vi, const char *en)
{
	return error_set(c->err, THC_EINVAL, "%s: %s: %s%.0s", "%s: %s: %.0s%s",
	                 c->file, c->path, vi, en);
}

/* The same about `key` of the current object. */
static int lr_fail_key(struct lr_ctx *c, const char *key, const char *vi, const char *en)
{
	size_t old = lr_push(c, key);
	int rc = lr_fail(c, vi, en);

	lr_pop(c, old);
	return rc;
}

static int lr_check_keys(struct lr_ctx *c, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i;

		for (i = 0; allowed[i] && strcmp(allowed[i], key) != 0; i++)
			;
		if (allowed[i] == NULL) {
			char vi[160], en[160];

			snprintf(vi, sizeof(vi), "khóa không được biết '%.60s'", key);
			snprintf(en, sizeof(en), "unknown key '%.60s'", key);
			return lr_fail(c, vi, en);
		}
	}
	return 0;
}

static int lr_object(struct lr_ctx *c, json_t *parent, const char *key, json_t **out)
{
	json_t *v = json_object_get(parent, key);

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_object(v))
		return lr_fail_key(c, key, "phải là một đối tượng JSON", "must be a JSON object");
	*out = v;
	return 0;
}

static int lr_array(struct lr_ctx *c, json_t *parent, const char *key, size_t min,
                    size_t max, json_t **out)
{
	json_t *v = json_object_get(parent, key);
	char vi[120], en[120];

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_array(v))
		return lr_fail_key(c, key, "phải là một mảng JSON", "must be a JSON array");
	if (json_array_size(v) < min || json_array_size(v) > max) {
		snprintf(vi, sizeof(vi), "phải có từ %zu đến %zu phần tử", min, max);
		snprintf(en, sizeof(en), "must have from %zu to %zu items", min, max);
		return lr_fail_key(c, key, vi, en);
	}
	*out = v;
	return 0;
}

/* A non-empty string; with `nullable`, null gives *out = NULL. */
static int lr_string(struct lr_ctx *c, json_t *parent, const char *key, int nullable,
                     const char **out)
{
	json_t *v = json_object_get(parent, key);

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (nullable && json_is_null(v)) {
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return lr_fail_key(c, key,
		                   nullable ? "phải là chuỗi khác rỗng hoặc null"
		                            : "phải là chuỗi khác rỗng",
		                   nullable ? "must be a non-empty string or null"
		                            : "must be a non-empty string");
	*out = json_string_value(v);
	return 0;
}

/* One of `names` (NULL-terminated): its index. */
static int lr_enum(struct lr_ctx *c, json_t *parent, const char *key,
                   const char *const *names, int *out)
{
	const char *s;
	char vi[200], en[200];
	size_t n = 0;
	int rc;

	if ((rc = lr_string(c, parent, key, 0, &s)) < 0)
		return rc;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return 0;
		}
	n = (size_t)snprintf(en, sizeof(en), "'%.40s' is not one of:", s);
	for (int i = 0; names[i] && n < sizeof(en); i++)
		n += (size_t)snprintf(en + n, sizeof(en) - n, " %s", names[i]);
	n = (size_t)snprintf(vi, sizeof(vi), "'%.40s' không thuộc:", s);
	for (int i = 0; names[i] && n < sizeof(vi); i++)
		n += (size_t)snprintf(vi + n, sizeof(vi) - n, " %s", names[i]);
	return lr_fail_key(c, key, vi, en);
}

static int lr_number(struct lr_ctx *c, json_t *parent, const char *key, double min,
                     double max, double *out)
{
	json_t *v = json_object_get(parent, key);
	char vi[120], en[120], a[LR_NUM_TEXT], b[LR_NUM_TEXT];

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_number(v) || !(json_number_value(v) >= min && json_number_value(v) <= max)) {
		lr_fmt_num(a, min, 2, 1, 1);
		lr_fmt_num(b, max, 2, 1, 1);
		snprintf(vi, sizeof(vi), "phải là một số từ %s đến %s", a, b);
		snprintf(en, sizeof(en), "must be a number from %s to %s", a, b);
		return lr_fail_key(c, key, vi, en);
	}
	*out = json_number_value(v);
	return 0;
}

static int lr_int(struct lr_ctx *c, json_t *parent, const char *key, int min, int max,
                  int *out)
{
	json_t *v = json_object_get(parent, key);
	char vi[120], en[120];

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		snprintf(vi, sizeof(vi), "phải là số nguyên từ %d đến %d", min, max);
		snprintf(en, sizeof(en), "must be a whole number from %d to %d", min, max);
		return lr_fail_key(c, key, vi, en);
	}
	*out = (int)json_integer_value(v);
	return 0;
}

static int lr_bool(struct lr_ctx *c, json_t *parent, const char *key, int *out)
{
	json_t *v = json_object_get(parent, key);

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_boolean(v))
		return lr_fail_key(c, key, "phải là true hoặc false", "must be true or false");
	*out = json_is_true(v);
	return 0;
}

/* Every fact carries "status" (confirmed | assumption) and a "note". */
static int lr_status(struct lr_ctx *c, json_t *obj, unsigned char *assumed)
{
	static const char *const statuses[] = { "confirmed", "assumption", NULL };
	const char *note;
	int s, rc;

	if ((rc = lr_enum(c, obj, "status", statuses, &s)) < 0)
		return rc;
	if ((rc = lr_string(c, obj, "note", 0, &note)) < 0)
		return rc;
	*assumed = (unsigned char)(s == 1);
	return 0;
}

/* A stand-alone value {"value": ..., "status": ..., "note": ...} at
 * parent.key: checks the keys and the status; the caller reads "value"
 * with the path pushed to key. */
static int lr_fact(struct lr_ctx *c, json_t *parent, const char *key, json_t **obj,
                   unsigned char *assumed)
{
	static const char *const keys[] = { "value", "status", "note", NULL };
	size_t old;
	int rc;

	if ((rc = lr_object(c, parent, key, obj)) < 0)
		return rc;
	old = lr_push(c, key);
	if ((rc = lr_check_keys(c, *obj, keys)) == 0 && (rc = lr_status(c, *obj, assumed)) == 0 &&
	    json_object_get(*obj, "value") == NULL)
		rc = lr_fail_key(c, "value", "thiếu trường bắt buộc", "required field is missing");
	lr_pop(c, old);
	return rc;
}

/* ---- compiling a rule set ----------------------------------------------- */

static int lr_date(struct lr_ctx *c, json_t *obj, const char *key, int nullable,
                   int32_t *out, int *is_null)
{
	const char *s;
	struct vndate d;
	int rc;

	if ((rc = lr_string(c, obj, key, nullable, &s)) < 0)
		return rc;
	*is_null = s == NULL;
	if (s == NULL)
		return 0;
	if (vndate_parse(s, &d) < 0)
		return lr_fail_key(c, key, "phải là ngày dạng YYYY-MM-DD",
		                   "must be a date YYYY-MM-DD");
	*out = vndate_to_days(d);
	return 0;
}

static void lr_band_text(struct lr_band *b, int english, char *out, size_t outsz)
{
	char lo[LR_NUM_TEXT], hi[LR_NUM_TEXT];

	lr_fmt_num(lo, b->min, 2, 1, english);
	lr_fmt_num(hi, b->max, 2, 1, english);
	if (!b->has_min && !b->has_max)
		snprintf(out, outsz, "%s", english ? "any value" : "mọi giá trị");
	else if (!b->has_min)
		snprintf(out, outsz, "%s %s", b->max_incl ? "≤" : "<", hi);
	else if (!b->has_max)
		snprintf(out, outsz, "%s %s", b->min_incl ? "≥" : ">", lo);
	else
		snprintf(out, outsz, "%s%s – %s %s", b->min_incl ? "" : "> ", lo,
		         b->max_incl ? "≤" : "<", hi);
}

/* One edge of a band: "min"/"max" (number or null) and its "_inclusive". */
static int lr_edge(struct lr_ctx *c, json_t *b, const char *key, const char *incl_key,
                   double *v, unsigned char *has, unsigned char *incl)
{
	json_t *x = json_object_get(b, key);
	int i, rc;

	if (x == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc (số hoặc null)",
		                   "required field is missing (a number or null)");
	if (json_is_null(x)) {
		*has = 0;
		if (json_object_get(b, incl_key) != NULL)
			return lr_fail_key(c, incl_key, "không dùng khi cận là null",
			                   "not allowed when the edge is null");
		return 0;
	}
	if ((rc = lr_number(c, b, key, 0, 1e9, v)) < 0 ||
	    (rc = lr_bool(c, b, incl_key, &i)) < 0)
		return rc;
	*has = 1;
	*incl = (unsigned char)i;
	return 0;
}

static int lr_compile_bands(struct lr_ctx *c, json_t *ind_obj, struct lr_indicator *ind)
{
	static const char *const keys[] = { "band", "min", "max", "min_inclusive",
		                            "max_inclusive", "status", "note", NULL };
	static const char *const ind_keys[] = { "bands", NULL };
	json_t *arr;
	size_t old = c->len, n;
	int rc;

	if ((rc = lr_check_keys(c, ind_obj, ind_keys)) < 0 ||
	    (rc = lr_array(c, ind_obj, "bands", 1, LEVEL_MAX, &arr)) < 0)
		return rc;
	lr_push(c, "bands");
	n = json_array_size(arr);
	for (size_t i = 0; i < n; i++) {
		json_t *bj = json_array_get(arr, i);
		struct lr_band *b = &ind->band[i];
		size_t o2 = lr_push_idx(c, i);
		int num;

		if (!json_is_object(bj)) {
			rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
			goto out;
		}
		if ((rc = lr_check_keys(c, bj, keys)) < 0 ||
		    (rc = lr_int(c, bj, "band", 1, LEVEL_MAX, &num)) < 0 ||
		    (rc = lr_edge(c, bj, "min", "min_inclusive", &b->min, &b->has_min, &b->min_incl)) < 0 ||
		    (rc = lr_edge(c, bj, "max", "max_inclusive", &b->max, &b->has_max, &b->max_incl)) < 0 ||
		    (rc = lr_status(c, bj, &b->assumed)) < 0)
			goto out;
		if (num != (int)i + 1) {
			rc = lr_fail_key(c, "band", "các khoảng phải đánh số 1, 2, 3, 4 theo thứ tự",
			                 "bands must be numbered 1, 2, 3, 4 in order");
			goto out;
		}
		if (i == 0 && b->has_min) {
			rc = lr_fail_key(c, "min", "khoảng đầu tiên phải có min null (từ 0)",
			                 "the first band's min must be null (from 0)");
			goto out;
		}
		if (i == n - 1 && b->has_max) {
			rc = lr_fail_key(c, "max", "khoảng cuối cùng phải có max null (không giới hạn)",
			                 "the last band's max must be null (no limit)");
			goto out;
		}
		if (i > 0 && !b->has_min) {
			rc = lr_fail_key(c, "min", "chỉ khoảng đầu tiên có min null",
			                 "only the first band may have a null min");
			goto out;
		}
		if (i < n - 1 && !b->has_max) {
			rc = lr_fail_key(c, "max", "chỉ khoảng cuối cùng có max null",
			                 "only the last band may have a null max");
			goto out;
		}
		if (b->has_min && b->has_max && !(b->min < b->max)) {
			rc = lr_fail_key(c, "max", "phải lớn hơn min", "must be greater than min");
			goto out;
		}
		if (i > 0) {
			const struct lr_band *p = &ind->band[i - 1];

			if (p->max != b->min) {
				rc = lr_fail_key(c, "min", "phải bằng max của khoảng trước (các khoảng liền nhau)",
				                 "must equal the previous band's max (bands are contiguous)");
				goto out;
			}
			if (p->max_incl == b->min_incl) {
				rc = lr_fail_key(c, "min_inclusive",
				                 "đúng một trong max_inclusive của khoảng trước và min_inclusive phải là true",
				                 "exactly one of the previous band's max_inclusive and this min_inclusive must be true");
				goto out;
			}
		}
		lr_band_text(b, 0, b->text_vi, sizeof(b->text_vi));
		lr_band_text(b, 1, b->text_en, sizeof(b->text_en));
		lr_pop(c, o2);
	}
	ind->nbands = (int)n;
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_ind_from_name(const char *s)
{
	for (int i = 0; i < LEVEL_IND_COUNT; i++)
		if (strcmp(lr_ind_info[i].name, s) == 0)
			return i;
	return -1;
}

static int lr_compile_indicators(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "cases_per_100k", "oxygen_per_100k",
		                            "deaths_per_100k", NULL };
	json_t *obj, *v;
	const char *key;
	size_t old;
	int rc;

	if ((rc = lr_object(c, doc, "indicators", &obj)) < 0)
		return rc;
	old = lr_push(c, "indicators");
	if ((rc = lr_check_keys(c, obj, keys)) < 0)
		goto out;
	json_object_foreach(obj, key, v) {
		int k = lr_ind_from_name(key);
		size_t o2 = lr_push(c, key);

		if (!json_is_object(v))
			rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
		else
			rc = lr_compile_bands(c, v, &r->ind[k]);
		if (rc < 0)
			goto out;
		lr_pop(c, o2);
	}
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_transmission(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "indicators", "combine", "status", "note", NULL };
	static const char *const combines[] = { "max", NULL };
	json_t *obj, *arr;
	size_t old;
	int rc, comb;

	if ((rc = lr_object(c, doc, "transmission", &obj)) < 0)
		return rc;
	old = lr_push(c, "transmission");
	if ((rc = lr_check_keys(c, obj, keys)) < 0 ||
	    (rc = lr_array(c, obj, "indicators", 1, LEVEL_IND_COUNT, &arr)) < 0 ||
	    (rc = lr_enum(c, obj, "combine", combines, &comb)) < 0 ||
	    (rc = lr_status(c, obj, &r->trans_assumed)) < 0)
		goto out;
	lr_push(c, "indicators");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		int k = json_is_string(v) ? lr_ind_from_name(json_string_value(v)) : -1;

		size_t o2 = lr_push_idx(c, i);

		if (k < 0) {
			rc = lr_fail(c, "phải là cases_per_100k, oxygen_per_100k hoặc deaths_per_100k",
			             "must be cases_per_100k, oxygen_per_100k or deaths_per_100k");
			goto out;
		}
		if (r->ind[k].nbands == 0) {
			rc = lr_fail(c, "chỉ số này chưa có khoảng trong $.indicators",
			             "this indicator has no bands in $.indicators");
			goto out;
		}
		for (int j = 0; j < r->ntrans; j++)
			if (r->trans[j] == (enum level_indicator)k) {
				rc = lr_fail(c, "chỉ số bị lặp lại", "the indicator appears twice");
				goto out;
			}
		r->trans[r->ntrans++] = (enum level_indicator)k;
		r->used_ind |= 1u << k;
		lr_pop(c, o2);
	}
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_vaccination(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "conditions", NULL };
	static const char *const ckeys[] = { "indicator", "min", "min_inclusive", "status",
		                             "note", NULL };
	static const char *const fields[] = { "vax1_18plus_pct", "vaxfull_elderly_pct",
		                              "vaxfull_pct", "vaxfull_highrisk_pct", NULL };
	json_t *obj, *arr;
	size_t old;
	int rc;

	if ((rc = lr_object(c, doc, "vaccination", &obj)) < 0)
		return rc;
	old = lr_push(c, "vaccination");
	if ((rc = lr_check_keys(c, obj, keys)) < 0 ||
	    (rc = lr_array(c, obj, "conditions", 0, LR_VAX_MAX, &arr)) < 0)
		goto out;
	lr_push(c, "conditions");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *cj = json_array_get(arr, i);
		struct lr_cond *cd = &r->vax[i];
		size_t o2 = lr_push_idx(c, i);
		int f, incl;

		if (!json_is_object(cj)) {
			rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
			goto out;
		}
		if ((rc = lr_check_keys(c, cj, ckeys)) < 0 ||
		    (rc = lr_enum(c, cj, "indicator", fields, &f)) < 0 ||
		    (rc = lr_number(c, cj, "min", 0, 100, &cd->min)) < 0 ||
		    (rc = lr_bool(c, cj, "min_inclusive", &incl)) < 0 ||
		    (rc = lr_status(c, cj, &cd->assumed)) < 0)
			goto out;
		cd->field = lr_vax_info[f].field;
		cd->label_vi = lr_vax_info[f].vi;
		cd->label_en = lr_vax_info[f].en;
		cd->incl = (unsigned char)incl;
		lr_fmt_cmp(cd->min_vi, sizeof(cd->min_vi), incl ? "≥" : ">", cd->min, 0);
		lr_fmt_cmp(cd->min_en, sizeof(cd->min_en), incl ? "≥" : ">", cd->min, 1);
		r->required |= LEVEL_HAS(cd->field);
		r->nvax++;
		lr_pop(c, o2);
	}
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_matrix(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "rows", "columns", "cells", NULL };
	static const char *const rows[] = { "transmission", NULL };
	static const char *const columns[] = { "vaccination", "capacity", NULL };
	static const char *const vcols[] = { "met", "not_met", NULL };
	static const char *const ccols[] = { "high", "medium", "low", NULL };
	static const char *const row_keys[] = { "1", "2", "3", "4", NULL };
	static const char *const cell_keys[] = { "level", "status", "note", NULL };
	const char *const *cols;
	json_t *obj, *cells;
	size_t old;
	int rc, rk, ck;

	if ((rc = lr_object(c, doc, "matrix", &obj)) < 0)
		return rc;
	old = lr_push(c, "matrix");
	if ((rc = lr_check_keys(c, obj, keys)) < 0 ||
	    (rc = lr_enum(c, obj, "rows", rows, &rk)) < 0 ||
	    (rc = lr_enum(c, obj, "columns", columns, &ck)) < 0 ||
	    (rc = lr_object(c, obj, "cells", &cells)) < 0)
		goto out;
	r->columns = ck == 0 ? LR_COLS_VACCINATION : LR_COLS_CAPACITY;
	cols = ck == 0 ? vcols : ccols;
	r->ncols = ck == 0 ? 2 : 3;
	if (r->columns == LR_COLS_CAPACITY)
		r->required |= LEVEL_HAS(LEVEL_F_CAPACITY);
	lr_push(c, "cells");
	if ((rc = lr_check_keys(c, cells, row_keys)) < 0)
		goto out;
	for (int i = 0; i < LEVEL_MAX; i++) {
		json_t *row;
		size_t o2;

		if ((rc = lr_object(c, cells, row_keys[i], &row)) < 0)
			goto out;
		o2 = lr_push(c, row_keys[i]);
		if ((rc = lr_check_keys(c, row, cols)) < 0)
			goto out;
		for (int j = 0; j < r->ncols; j++) {
			json_t *cell;
			size_t o3;

			if ((rc = lr_object(c, row, cols[j], &cell)) < 0)
				goto out;
			o3 = lr_push(c, cols[j]);
			if ((rc = lr_check_keys(c, cell, cell_keys)) < 0 ||
			    (rc = lr_int(c, cell, "level", LEVEL_MIN, LEVEL_MAX, &r->cell[i][j])) < 0 ||
			    (rc = lr_status(c, cell, &r->cell_assumed[i][j])) < 0)
				goto out;
			lr_pop(c, o3);
		}
		lr_pop(c, o2);
	}
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_adjustments(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "id", "when", "effect", "by", "stage", "indicator",
		                            "threshold", "inclusive", "status", "note", NULL };
	static const char *const whens[] = { "vaccination_not_met", "above", "capacity_not_met", NULL };
	static const char *const effects[] = { "raise", "no_downgrade", NULL };
	static const char *const stages[] = { "transmission", "level", NULL };
	static const char *const inds[] = { "cases_per_100k", "oxygen_per_100k",
		                            "deaths_per_100k", NULL };
	json_t *arr;
	size_t old, o2;
	int rc;

	r->no_downgrade = -1;
	if ((rc = lr_array(c, doc, "adjustments", 0, LR_ADJ_MAX, &arr)) < 0)
		return rc;
	old = lr_push(c, "adjustments");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *aj = json_array_get(arr, i);
		struct lr_adjust *a = &r->adj[i];
		const char *id;
		int when, effect, v;

		o2 = lr_push_idx(c, i);
		if (!json_is_object(aj)) {
			rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
			goto out;
		}
		if ((rc = lr_check_keys(c, aj, keys)) < 0 ||
		    (rc = lr_string(c, aj, "id", 0, &id)) < 0 ||
		    (rc = lr_enum(c, aj, "when", whens, &when)) < 0 ||
		    (rc = lr_enum(c, aj, "effect", effects, &effect)) < 0 ||
		    (rc = lr_status(c, aj, &a->assumed)) < 0)
			goto out;
		a->when = (enum lr_when)when;
		a->effect = (enum lr_effect)effect;
		if (a->effect == LR_EFFECT_RAISE) {
			if ((rc = lr_int(c, aj, "by", 1, LEVEL_MAX - 1, &a->by)) < 0 ||
			    (rc = lr_enum(c, aj, "stage", stages, &v)) < 0)
				goto out;
			a->stage = (enum lr_stage)v;
			if (a->when == LR_WHEN_CAPACITY_NOT_MET) {
				rc = lr_fail_key(c, "effect", "capacity_not_met chỉ đi với no_downgrade",
				                 "capacity_not_met only goes with no_downgrade");
				goto out;
			}
		} else {
			if (a->when != LR_WHEN_CAPACITY_NOT_MET) {
				rc = lr_fail_key(c, "effect", "no_downgrade chỉ đi với capacity_not_met",
				                 "no_downgrade only goes with capacity_not_met");
				goto out;
			}
			if (json_object_get(aj, "by") || json_object_get(aj, "stage")) {
				rc = lr_fail_key(c, json_object_get(aj, "by") ? "by" : "stage",
				                 "không dùng với no_downgrade", "not used with no_downgrade");
				goto out;
			}
			if (r->no_downgrade >= 0) {
				rc = lr_fail(c, "chỉ được một quy tắc no_downgrade",
				             "only one no_downgrade rule is allowed");
				goto out;
			}
			r->no_downgrade = (int)i;
		}
		if (a->when == LR_WHEN_ABOVE) {
			int incl;

			if ((rc = lr_enum(c, aj, "indicator", inds, &v)) < 0 ||
			    (rc = lr_number(c, aj, "threshold", 0, 1e9, &a->threshold)) < 0 ||
			    (rc = lr_bool(c, aj, "inclusive", &incl)) < 0)
				goto out;
			a->indicator = (enum level_indicator)v;
			a->inclusive = (unsigned char)incl;
			lr_fmt_cmp(a->thr_vi, sizeof(a->thr_vi), incl ? "≥" : ">", a->threshold, 0);
			lr_fmt_cmp(a->thr_en, sizeof(a->thr_en), incl ? "≥" : ">", a->threshold, 1);
			r->used_ind |= 1u << v;
		} else {
			const char *extra = json_object_get(aj, "indicator") ? "indicator"
			                    : json_object_get(aj, "threshold") ? "threshold"
			                    : json_object_get(aj, "inclusive") ? "inclusive" : NULL;
			if (extra) {
				rc = lr_fail_key(c, extra, "chỉ dùng khi when là above",
				                 "only used when 'when' is above");
				goto out;
			}
		}
		if (a->when == LR_WHEN_VACCINATION_NOT_MET) {
			if (r->nvax == 0) {
				rc = lr_fail_key(c, "when", "không có điều kiện tiêm chủng trong $.vaccination",
				                 "there are no vaccination conditions in $.vaccination");
				goto out;
			}
			if (r->columns == LR_COLS_VACCINATION) {
				rc = lr_fail_key(c, "when",
				                 "tiêm chủng đã là cột của ma trận: sẽ tính hai lần",
				                 "vaccination is already the matrix's column: it would count twice");
				goto out;
			}
		}
		r->nadj = (int)i + 1;
		lr_pop(c, o2);
	}
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_scope_one(struct lr_ctx *c, json_t *obj, enum level_scope s,
                                struct lr_scope *sc)
{
	static const char *const keys[] = { "method", "thresholds", "otherwise", "status",
		                            "note", NULL };
	static const char *const tkeys[] = { "level", "children_at_least", "min_share_pct",
		                             "min_share_inclusive", "status", "note", NULL };
	static const char *const methods[] = { "own_totals", "children_levels", NULL };
	json_t *arr, *fact;
	int rc, m;

	if ((rc = lr_check_keys(c, obj, keys)) < 0 ||
	    (rc = lr_enum(c, obj, "method", methods, &m)) < 0 ||
	    (rc = lr_status(c, obj, &sc->assumed)) < 0)
		return rc;
	sc->method = m == 0 ? LEVEL_OWN_TOTALS : LEVEL_CHILDREN_LEVELS;
	if (sc->method == LEVEL_OWN_TOTALS) {
		if (json_object_get(obj, "thresholds") || json_object_get(obj, "otherwise"))
			return lr_fail_key(c, json_object_get(obj, "thresholds") ? "thresholds" : "otherwise",
			                   "chỉ dùng với children_levels", "only used with children_levels");
		return 0;
	}
	if (s == LEVEL_SCOPE_COMMUNE)
		return lr_fail_key(c, "method", "xã/phường không có đơn vị trực thuộc được đánh giá",
		                   "a commune has no assessed units below it");
	if ((rc = lr_array(c, obj, "thresholds", 1, LEVEL_MAX, &arr)) < 0)
		return rc;
	{
		size_t old = lr_push(c, "thresholds");

		for (size_t i = 0; i < json_array_size(arr); i++) {
			json_t *tj = json_array_get(arr, i);
			struct lr_threshold *t = &sc->th[i];
			size_t o2 = lr_push_idx(c, i);
			int incl;

			if (!json_is_object(tj))
				rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
			else if ((rc = lr_check_keys(c, tj, tkeys)) == 0 &&
			         (rc = lr_int(c, tj, "level", LEVEL_MIN, LEVEL_MAX, &t->level)) == 0 &&
			         (rc = lr_int(c, tj, "children_at_least", LEVEL_MIN, LEVEL_MAX,
			                      &t->at_least)) == 0 &&
			         (rc = lr_number(c, tj, "min_share_pct", 0, 100, &t->min_share)) == 0 &&
			         (rc = lr_bool(c, tj, "min_share_inclusive", &incl)) == 0 &&
			         (rc = lr_status(c, tj, &t->assumed)) == 0 &&
			         i > 0 && t->level >= sc->th[i - 1].level)
				rc = lr_fail_key(c, "level",
				                 "các ngưỡng phải theo cấp giảm dần",
				                 "thresholds must come in decreasing level order");
			if (rc < 0) {
				lr_pop(c, old);
				return rc;
			}
			t->incl = (unsigned char)incl;
			lr_fmt_cmp(t->share_vi, sizeof(t->share_vi), incl ? "≥" : ">", t->min_share, 0);
			lr_fmt_cmp(t->share_en, sizeof(t->share_en), incl ? "≥" : ">", t->min_share, 1);
			lr_pop(c, o2);
		}
		lr_pop(c, old);
	}
	sc->nth = (int)json_array_size(arr);
	if ((rc = lr_fact(c, obj, "otherwise", &fact, &sc->otherwise_assumed)) < 0)
		return rc;
	{
		size_t old = lr_push(c, "otherwise");

		rc = lr_int(c, fact, "value", LEVEL_MIN, LEVEL_MAX, &sc->otherwise);
		if (rc == 0 && sc->otherwise >= sc->th[sc->nth - 1].level)
			rc = lr_fail_key(c, "value", "phải thấp hơn cấp của mọi ngưỡng",
			                 "must be lower than every threshold's level");
		lr_pop(c, old);
	}
	return rc;
}

static int lr_compile_scope(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	json_t *obj;
	size_t old;
	int rc;

	if ((rc = lr_object(c, doc, "scope", &obj)) < 0)
		return rc;
	old = lr_push(c, "scope");
	if ((rc = lr_check_keys(c, obj, lr_scope_names)) < 0)
		goto out;
	for (int s = 0; s < LEVEL_SCOPE_COUNT; s++) {
		json_t *so;
		size_t o2;

		if ((rc = lr_object(c, obj, lr_scope_names[s], &so)) < 0)
			goto out;
		o2 = lr_push(c, lr_scope_names[s]);
		rc = lr_compile_scope_one(c, so, (enum level_scope)s, &r->scope[s]);
		if (rc < 0)
			goto out;
		lr_pop(c, o2);
	}
out:
	lr_pop(c, old);
	return rc;
}

static int lr_id_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= LEVEL_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '_' || ch == '.'))
			return 0;
	}
	return 1;
}

static int lr_compile_header(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const title_keys[] = { "vi", "en", NULL };
	static const char *const eff_keys[] = { "from", "to", "status", "note", NULL };
	json_t *title, *sources, *eff;
	unsigned char assumed;
	int rc, fmt, is_null;
	size_t old;

	if ((rc = lr_int(c, doc, "format", LR_FORMAT, LR_FORMAT, &fmt)) < 0 ||
	    (rc = lr_string(c, doc, "id", 0, &r->id)) < 0)
		return rc;
	if (!lr_id_valid(r->id))
		return lr_fail_key(c, "id", "chỉ gồm a-z, 0-9, '-', '_', '.' (tối đa 63 ký tự)",
		                   "only a-z, 0-9, '-', '_', '.' (at most 63 characters)");
	if ((rc = lr_object(c, doc, "title", &title)) < 0)
		return rc;
	old = lr_push(c, "title");
	if ((rc = lr_check_keys(c, title, title_keys)) == 0 &&
	    (rc = lr_string(c, title, "vi", 0, &r->title_vi)) == 0)
		rc = lr_string(c, title, "en", 0, &r->title_en);
	lr_pop(c, old);
	if (rc < 0 || (rc = lr_array(c, doc, "sources", 0, LR_SOURCES_MAX, &sources)) < 0)
		return rc;
	old = lr_push(c, "sources");
	for (size_t i = 0; i < json_array_size(sources); i++) {
		json_t *s = json_array_get(sources, i);

		if (!json_is_string(s) || json_string_length(s) == 0) {
			lr_push_idx(c, i);
			rc = lr_fail(c, "phải là chuỗi khác rỗng", "must be a non-empty string");
			lr_pop(c, old);
			return rc;
		}
	}
	lr_pop(c, old);
	if ((rc = lr_string(c, doc, "applies_to", 1, &r->applies_to)) < 0)
		return rc;
	if (r->applies_to && !(strlen(r->applies_to) == 2 && r->applies_to[0] >= '0' &&
	                       r->applies_to[0] <= '9' && r->applies_to[1] >= '0' &&
	                       r->applies_to[1] <= '9'))
		return lr_fail_key(c, "applies_to", "phải là null (toàn quốc) hoặc mã tỉnh 2 chữ số",
		                   "must be null (national) or a 2-digit province code");
	if ((rc = lr_string(c, doc, "extends", 1, &r->extends)) < 0)
		return rc;
	if ((rc = lr_object(c, doc, "effective", &eff)) < 0)
		return rc;
	old = lr_push(c, "effective");
	r->to = LEVEL_OPEN_END;
	if ((rc = lr_check_keys(c, eff, eff_keys)) == 0 &&
	    (rc = lr_date(c, eff, "from", 0, &r->from, &is_null)) == 0 &&
	    (rc = lr_date(c, eff, "to", 1, &r->to, &is_null)) == 0 &&
	    (rc = lr_status(c, eff, &assumed)) == 0) {
		if (is_null)
			r->to = LEVEL_OPEN_END;
		if (r->to < r->from)
			rc = lr_fail_key(c, "to", "không được trước ngày from", "must not be before from");
	}
	lr_pop(c, old);
	return rc;
}

static int lr_compile_week(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "first_weekday", "cases_two_week_average", NULL };
	json_t *week, *fact;
	unsigned char assumed;
	size_t old, o2;
	int rc, wd;

	if ((rc = lr_object(c, doc, "week", &week)) < 0)
		return rc;
	old = lr_push(c, "week");
	if ((rc = lr_check_keys(c, week, keys)) < 0 ||
	    (rc = lr_fact(c, week, "first_weekday", &fact, &assumed)) < 0)
		goto out;
	o2 = lr_push(c, "first_weekday");
	rc = lr_enum(c, fact, "value", lr_weekdays + 1, &wd);
	lr_pop(c, o2);
	if (rc < 0 || (rc = lr_fact(c, week, "cases_two_week_average", &fact,
	                            &r->two_week_assumed)) < 0)
		goto out;
	r->first_weekday = wd + 1;
	o2 = lr_push(c, "cases_two_week_average");
	rc = lr_bool(c, fact, "value", &r->two_week);
	lr_pop(c, o2);
out:
	lr_pop(c, old);
	return rc;
}

/* Is any "status" in the document "assumption"? */
static int lr_doc_has_assumption(json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_t *s = json_object_get(v, "status");
		if (json_is_string(s) && strcmp(json_string_value(s), "assumption") == 0)
			return 1;
		json_object_foreach(v, key, x)
			if (lr_doc_has_assumption(x))
				return 1;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (lr_doc_has_assumption(x))
				return 1;
	}
	return 0;
}

/* Compiles a resolved document; takes a reference to it on success. */
static size_t lr_pct_offset(enum level_field f)
{
	switch (f) {
	case LEVEL_F_VAX1_18PLUS: return offsetof(struct level_input, vax1_18plus_pct);
	case LEVEL_F_VAXFULL_ELDERLY: return offsetof(struct level_input, vaxfull_elderly_pct);
	case LEVEL_F_VAXFULL: return offsetof(struct level_input, vaxfull_pct);
	default: return offsetof(struct level_input, vaxfull_highrisk_pct);
	}
}

/* Derives r->plan from the compiled rule set (see struct lr_plan). */
static void lr_plan_build(struct level_rules *r)
{
	struct lr_plan *p = &r->plan;
	int fixed = r->trans_assumed;

	memset(p, 0, sizeof(*p));
	for (int k = 0; k < LEVEL_IND_COUNT; k++) {
		const struct lr_indicator *ind = &r->ind[k];

		p->nedges[k] = ind->nbands - 1;
		for (int i = 0; i < LEVEL_MAX - 1; i++)
			p->below[k][i] = INFINITY;
		for (int i = 0; i < ind->nbands; i++) {
			if (i < ind->nbands - 1)
				p->below[k][i] = ind->band[i].max_incl ?
				                 nextafter(ind->band[i].max, INFINITY) : ind->band[i].max;
			if (ind->band[i].assumed)
				p->band_assumed[k] |= 1u << i;
		}
	}
	if ((r->used_ind & (1u << LEVEL_IND_CASES)) && r->two_week_assumed)
		fixed = 1;
	for (int i = 0; i < r->nvax; i++) {
		p->vax_off[i] = lr_pct_offset(r->vax[i].field);
		p->vax_least[i] = r->vax[i].incl ? r->vax[i].min : nextafter(r->vax[i].min, INFINITY);
		fixed |= r->vax[i].assumed;
	}
	for (int i = 0; i < r->nadj; i++) {
		const struct lr_adjust *a = &r->adj[i];

		if (a->effect == LR_EFFECT_NO_DOWNGRADE)
			p->adj_flag[i] = LEVEL_ADJ_NO_DOWNGRADE;
		else if (a->when == LR_WHEN_VACCINATION_NOT_MET)
			p->adj_flag[i] = LEVEL_ADJ_VACCINATION;
		else
			p->adj_flag[i] = lr_ind_info[a->indicator].adj_flag;
		if (a->effect != LR_EFFECT_RAISE)
			continue;
		fixed |= a->assumed;
		if (a->stage == LR_STAGE_TRANSMISSION)
			p->raise_trans[p->nraise_trans++] = (unsigned char)i;
		else
			p->raise_level[p->nraise_level++] = (unsigned char)i;
	}
	p->fixed_assumed = fixed;
}

static int lr_compile(struct level_rules *r, json_t *doc, struct lr_ctx *c)
{
	static const char *const keys[] = { "format", "id", "title", "sources", "applies_to",
		                            "extends", "effective", "week", "indicators",
		                            "transmission", "vaccination", "matrix",
		                            "adjustments", "scope", NULL };
	int rc;

	memset(r, 0, sizeof(*r));
	r->no_downgrade = -1;
	if (!json_is_object(doc))
		return lr_fail(c, "tệp quy tắc phải là một đối tượng JSON",
		               "a rule file must be a JSON object");
	if ((rc = lr_check_keys(c, doc, keys)) < 0 ||
	    (rc = lr_compile_header(c, doc, r)) < 0 ||
	    (rc = lr_compile_week(c, doc, r)) < 0 ||
	    (rc = lr_compile_indicators(c, doc, r)) < 0 ||
	    (rc = lr_compile_transmission(c, doc, r)) < 0 ||
	    (rc = lr_compile_vaccination(c, doc, r)) < 0 ||
	    (rc = lr_compile_matrix(c, doc, r)) < 0 ||
	    (rc = lr_compile_adjustments(c, doc, r)) < 0 ||
	    (rc = lr_compile_scope(c, doc, r)) < 0)
		return rc;
	if (r->nvax > 0 && r->columns != LR_COLS_VACCINATION) {
		int used = 0;

		for (int i = 0; i < r->nadj; i++)
			used |= r->adj[i].when == LR_WHEN_VACCINATION_NOT_MET;
		if (!used)
			return lr_fail_key(c, "vaccination",
			                   "có điều kiện tiêm chủng nhưng ma trận và điều chỉnh không dùng",
			                   "vaccination conditions are given but neither the matrix nor an adjustment uses them");
	}
	if (r->columns == LR_COLS_VACCINATION && r->nvax == 0)
		return lr_fail_key(c, "matrix", "cột vaccination cần điều kiện trong $.vaccination",
		                   "vaccination columns need conditions in $.vaccination");
	r->required |= LEVEL_HAS(LEVEL_F_POPULATION);
	for (int k = 0; k < LEVEL_IND_COUNT; k++)
		if (r->used_ind & (1u << k))
			r->required |= LEVEL_HAS(lr_ind_info[k].count);
	if ((r->used_ind & (1u << LEVEL_IND_CASES)) && r->two_week)
		r->required |= LEVEL_HAS(LEVEL_F_CASES_PREV_WEEK);
	r->any_assumption = lr_doc_has_assumption(doc);
	lr_plan_build(r);
	r->doc = json_incref(doc);
	return 0;
}

/* ---- one rule set ------------------------------------------------------- */

static int lr_load_json(struct lr_ctx *c, const char *json, size_t len, json_t **out)
{
	json_error_t jerr;

	*out = NULL;
	if (json == NULL)
		return error_set(c->err, THC_EINVAL, "%s: không có nội dung", "%s: no content", c->file);
	if (len > LEVEL_RULES_MAX_BYTES)
		return error_set(c->err, THC_ETOOBIG, "%s: tệp quy tắc quá lớn (tối đa %d byte)",
		                 "%s: the rule file is too large (at most %d bytes)", c->file,
		                 LEVEL_RULES_MAX_BYTES);
	*out = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (*out == NULL)
		return error_set(c->err, THC_EINVAL, "%s: dòng %d, cột %d: JSON không hợp lệ: %s",
		                 "%s: line %d, column %d: invalid JSON: %s", c->file, jerr.line,
		                 jerr.column, jerr.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return lr_fail(c, "tệp quy tắc phải là một đối tượng JSON",
		               "a rule file must be a JSON object");
	}
	return 0;
}

static void lr_rules_release(struct level_rules *r)
{
	if (r != NULL) {
		json_decref(r->doc);
		r->doc = NULL;
	}
}

int level_rules_parse(struct level_rules **out, const char *name, const char *json,
                      size_t len, struct error *err)
{
	struct level_rules *r = NULL;
	struct lr_ctx c;
	json_t *doc = NULL;
	int rc;

	*out = NULL;
	lr_ctx_init(&c, name, err);
	if ((rc = lr_load_json(&c, json, len, &doc)) < 0)
		goto out;
	if (json_is_string(json_object_get(doc, "extends"))) {
		rc = lr_fail_key(&c, "extends", "bộ quy tắc mở rộng cần bộ gốc: hãy nạp cả hai vào một danh mục",
		                 "a variant needs its base: load both into a catalog");
		goto out;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = lr_compile(r, doc, &c)) < 0)
		goto out;
	*out = r;
	r = NULL;
out:
	level_rules_free(r);
	json_decref(doc);
	return rc;
}

void level_rules_free(struct level_rules *r)
{
	lr_rules_release(r);
	free(r);
}

const char *level_rules_id(const struct level_rules *r)
{
	return r->id;
}

const char *level_rules_title(const struct level_rules *r, int english)
{
	return english ? r->title_en : r->title_vi;
}

const char *level_rules_applies_to(const struct level_rules *r)
{
	return r->applies_to;
}

const char *level_rules_extends(const struct level_rules *r)
{
	return r->extends;
}

int32_t level_rules_from(const struct level_rules *r)
{
	return r->from;
}

int32_t level_rules_to(const struct level_rules *r)
{
	return r->to;
}

int level_rules_first_weekday(const struct level_rules *r)
{
	return r->first_weekday;
}

int level_rules_in_force(const struct level_rules *r, const char *province, int32_t day)
{
	if (day < r->from || day > r->to)
		return 0;
	if (r->applies_to == NULL)
		return 1;
	return province != NULL && strcmp(province, r->applies_to) == 0;
}

enum level_scope_method level_rules_scope_method(const struct level_rules *r,
                                                 enum level_scope s)
{
	return (unsigned)s < LEVEL_SCOPE_COUNT ? r->scope[s].method : LEVEL_OWN_TOTALS;
}

unsigned level_rules_required(const struct level_rules *r)
{
	return r->required;
}

int level_rules_has_assumptions(const struct level_rules *r)
{
	return r->any_assumption;
}

char *level_rules_json(const struct level_rules *r)
{
	return json_dumps(r->doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

/* ---- catalog ------------------------------------------------------------ */

struct lr_entry {
	char *name;
	json_t *raw, *merged;
	const char *id, *extends;       /* borrowed from raw */
	int state;                      /* 0 new, 1 resolving, 2 resolved */
	int compiled;
	struct level_rules rules;
};

struct level_catalog {
	size_t n;
	struct lr_entry *e;
};

/* Objects merge key by key; anything else is replaced.  At the top level
 * the title is replaced whole (a variant names itself in both languages). */
static int lr_merge(json_t *dst, json_t *patch, int top)
{
	const char *key;
	json_t *v;

	json_object_foreach(patch, key, v) {
		json_t *d = json_object_get(dst, key);

		if (json_is_object(v) && json_is_object(d) && !(top && strcmp(key, "title") == 0)) {
			if (lr_merge(d, v, 0) < 0)
				return -1;
		} else if (json_object_set_new(dst, key, json_deep_copy(v)) < 0) {
			return -1;
		}
	}
	return 0;
}

static int lr_resolve(struct level_catalog *cat, size_t i, int depth, struct error *err)
{
	static const char *const own[] = { "format", "title", "sources", "applies_to",
		                           "effective", NULL };
	struct lr_entry *e = &cat->e[i];
	struct lr_ctx c;
	json_t *eff;
	size_t j;
	int rc;

	if (e->state == 2)
		return 0;
	lr_ctx_init(&c, e->name, err);
	if (e->state == 1 || depth > LEVEL_EXTENDS_MAX_DEPTH)
		return lr_fail_key(&c, "extends", "chuỗi extends bị vòng lặp hoặc quá sâu",
		                   "the extends chain loops or is too deep");
	if (e->extends == NULL) {
		e->merged = json_incref(e->raw);
		e->state = 2;
		return 0;
	}
	e->state = 1;
	for (j = 0; j < cat->n && strcmp(cat->e[j].id, e->extends) != 0; j++)
		;
	if (j == cat->n) {
		char vi[160], en[160];

		snprintf(vi, sizeof(vi), "không có bộ quy tắc '%.60s'", e->extends);
		snprintf(en, sizeof(en), "there is no rule set '%.60s'", e->extends);
		return lr_fail_key(&c, "extends", vi, en);
	}
	if ((rc = lr_resolve(cat, j, depth + 1, err)) < 0)
		return rc;
	for (size_t k = 0; own[k]; k++)
		if (json_object_get(e->raw, own[k]) == NULL)
			return lr_fail_key(&c, own[k], "bộ quy tắc mở rộng phải tự ghi trường này",
			                   "a variant must give this field itself");
	eff = json_object_get(e->raw, "effective");
	if (json_is_object(eff) && json_object_get(eff, "from") == NULL) {
		size_t old = lr_push(&c, "effective");

		rc = lr_fail_key(&c, "from", "bộ quy tắc mở rộng phải tự ghi ngày bắt đầu",
		                 "a variant must give its own start date");
		lr_pop(&c, old);
		return rc;
	}
	e->merged = json_deep_copy(cat->e[j].merged);
	if (e->merged == NULL || lr_merge(e->merged, e->raw, 1) < 0)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	e->state = 2;
	return 0;
}

void level_catalog_free(struct level_catalog *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->e[i].name);
		json_decref(c->e[i].raw);
		json_decref(c->e[i].merged);
		if (c->e[i].compiled)
			lr_rules_release(&c->e[i].rules);
	}
	free(c->e);
	free(c);
}

int level_catalog_load(struct level_catalog **out, const struct level_source *src,
                       size_t n, struct error *err)
{
	struct level_catalog *cat;
	int rc = 0;

	*out = NULL;
	if (n > LEVEL_CATALOG_MAX)
		return error_set(err, THC_ETOOBIG, "quá nhiều bộ quy tắc (%zu, tối đa %d)",
		                 "too many rule sets (%zu, at most %d)", n, LEVEL_CATALOG_MAX);
	cat = calloc(1, sizeof(*cat));
	if (cat == NULL || (n > 0 && (cat->e = calloc(n, sizeof(*cat->e))) == NULL)) {
		free(cat);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct lr_entry *e = &cat->e[i];
		struct lr_ctx c;

		cat->n = i + 1;
		e->name = strdup(src[i].name ? src[i].name : "(rules)");
		if (e->name == NULL) {
			rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
			goto out;
		}
		lr_ctx_init(&c, e->name, err);
		if ((rc = lr_load_json(&c, src[i].json, src[i].len, &e->raw)) < 0 ||
		    (rc = lr_string(&c, e->raw, "id", 0, &e->id)) < 0 ||
		    (rc = lr_string(&c, e->raw, "extends", 1, &e->extends)) < 0)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (strcmp(cat->e[j].id, e->id) == 0) {
				rc = error_set(err, THC_ECONFLICT, "%s: bộ quy tắc '%s' đã có trong %s",
				               "%s: rule set '%s' is already in %s", e->name, e->id,
				               cat->e[j].name);
				goto out;
			}
	}
	for (size_t i = 0; i < n; i++) {
		struct lr_entry *e = &cat->e[i];
		struct lr_ctx c;

		if ((rc = lr_resolve(cat, i, 0, err)) < 0)
			goto out;
		lr_ctx_init(&c, e->name, err);
		if ((rc = lr_compile(&e->rules, e->merged, &c)) < 0)
			goto out;
		e->compiled = 1;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			const struct level_rules *a = &cat->e[i].rules, *b = &cat->e[j].rules;
			int same = (a->applies_to == NULL && b->applies_to == NULL) ||
			           (a->applies_to && b->applies_to &&
			            strcmp(a->applies_to, b->applies_to) == 0);

			if (same && a->from == b->from) {
				char day[16];

				vndate_format_iso(vndate_from_days(a->from), day, sizeof(day));
				rc = error_set(err, THC_ECONFLICT,
				               "%s và %s: cùng phạm vi (%s) và cùng ngày bắt đầu %s",
				               "%s and %s: same scope (%s) and same start %s",
				               cat->e[i].name, cat->e[j].name,
				               a->applies_to ? a->applies_to : "national", day);
				goto out;
			}
		}
	*out = cat;
	cat = NULL;
out:
	level_catalog_free(cat);
	return rc;
}

size_t level_catalog_count(const struct level_catalog *c)
{
	return c ? c->n : 0;
}

const struct level_rules *level_catalog_at(const struct level_catalog *c, size_t i)
{
	return c && i < c->n ? &c->e[i].rules : NULL;
}

const struct level_rules *level_catalog_get(const struct level_catalog *c, const char *id)
{
	for (size_t i = 0; c && id && i < c->n; i++)
		if (strcmp(c->e[i].rules.id, id) == 0)
			return &c->e[i].rules;
	return NULL;
}

int level_catalog_pick(const struct level_catalog *c, const char *province,
                       int32_t week_end, const struct level_rules **out,
                       struct error *err)
{
	const struct level_rules *nat = NULL, *prov = NULL;
	char day[16];

	*out = NULL;
	if (province != NULL && province[0] == '\0')
		province = NULL;
	if (province != NULL && !(strlen(province) == 2 && province[0] >= '0' &&
	                          province[0] <= '9' && province[1] >= '0' && province[1] <= '9'))
		return error_set(err, THC_EINVAL, "'%.20s' không phải mã tỉnh 2 chữ số",
		                 "'%.20s' is not a 2-digit province code", province);
	for (size_t i = 0; c && i < c->n; i++) {
		const struct level_rules *r = &c->e[i].rules;

		if (!level_rules_in_force(r, province, week_end))
			continue;
		if (r->applies_to == NULL) {
			if (nat == NULL || r->from > nat->from)
				nat = r;
		} else if (prov == NULL || r->from > prov->from) {
			prov = r;
		}
	}
	*out = prov ? prov : nat;
	if (*out != NULL)
		return 0;
	vndate_format_iso(vndate_from_days(week_end), day, sizeof(day));
	return error_set(err, THC_ENOTFOUND,
	                 "không có bộ quy tắc nào có hiệu lực ngày %s (mã tỉnh: %s)",
	                 "no rule set is in force on %s (province code: %s)", day,
	                 province ? province : "-");
}

/* ---- assessment ---------------------------------------------------------- */

/* What one assessment found, kept for the explanation. */
struct lr_eval {
	double val[LEVEL_IND_COUNT];
	int band[LEVEL_IND_COUNT];
	int t0, t, m, l, decider, vacc, col, kept;
	unsigned vax_failed;            /* bit per failed condition */
	unsigned applied;               /* bit per adjustment that applied */
	int after[LR_ADJ_MAX];          /* transmission or level after it */
};

static void lr_result_reset(const struct level_rules *r, struct level_result *out)
{
	out->level = LEVEL_NONE;
	out->rule_set = r ? r->id : NULL;
	out->cases_per_100k = out->oxygen_per_100k = out->deaths_per_100k = -1;
	out->cases_band = out->oxygen_band = out->deaths_band = 0;
	out->transmission_base = out->transmission = out->matrix_level = 0;
	out->vaccination = -1;
	out->capacity = -1;
	out->adjustments = 0;
	out->assumption = 0;
	out->missing = 0;
	out->children = out->children_unknown = 0;
	out->explain_vi[0] = '\0';
	out->explain_en[0] = '\0';
}

/* With LEVEL_NO_TEXT the explanations are only emptied (t2_* do nothing). */
static void lr_text_begin(struct lr_text2 *t, struct level_result *out, unsigned flags)
{
	t->on = !(flags & LEVEL_NO_TEXT);
	if (!t->on) {
		out->explain_vi[0] = '\0';
		out->explain_en[0] = '\0';
		return;
	}
	lt_init(&t->vi, out->explain_vi, sizeof(out->explain_vi));
	lt_init(&t->en, out->explain_en, sizeof(out->explain_en));
}

static void lr_text_missing(struct lr_text2 *t, unsigned missing)
{
	const char *sep = "";

	T2(t, "Không đánh giá được: thiếu ", "Not assessable: missing ");
	for (int f = 0; f < LEVEL_F_COUNT; f++)
		if (missing & LEVEL_HAS(f)) {
			t2_add(t, sep, sep);
			t2_add(t, level_field_names[f], level_field_names[f]);
			sep = ", ";
		}
}

static void lr_text_indicator(struct lr_text2 *t, const struct level_rules *r,
                              const struct lr_eval *ev, enum level_indicator k)
{
	const struct lr_band *b = &r->ind[k].band[ev->band[k] - 1];

	t2_num(t, ev->val[k], 1, 0);
	T2(t, " ", " ");
	t2_add(t, lr_ind_info[k].unit_vi, lr_ind_info[k].unit_en);
	T2(t, " (", " (");
	t2_add(t, b->text_vi, b->text_en);
	if (b->assumed)
		T2(t, ", giả định", ", assumption");
	T2(t, ")", ")");
	if (k == LEVEL_IND_CASES && r->two_week) {
		T2(t, ", trung bình 2 tuần", ", two-week average");
		t2_mark(t, r->two_week_assumed);
	}
}

/* "; 7,0 ca tử vong/100.000 dân/tuần (> 6, giả định)" */
static void lr_text_above(struct lr_text2 *t, const struct lr_adjust *a,
                          const struct lr_eval *ev)
{
	T2(t, "; ", "; ");
	t2_num(t, ev->val[a->indicator], 1, 0);
	T2(t, " ", " ");
	t2_add(t, lr_ind_info[a->indicator].unit_vi, lr_ind_info[a->indicator].unit_en);
	T2(t, " (", " (");
	t2_add(t, a->thr_vi, a->thr_en);
	if (a->assumed)
		T2(t, ", giả định", ", assumption");
	T2(t, ")", ")");
}

/* Out of line: a bulk run (LEVEL_NO_TEXT) keeps level_assess() small. */
LR_NOINLINE static void lr_explain(const struct level_rules *r, const struct level_input *in,
                                   const struct lr_eval *ev, struct lr_text2 *t)
{
	T2(t, "Cấp ", "Level ");
	t2_int(t, ev->l);
	T2(t, ": ", ": ");
	if (r->ntrans > 1) {
		T2(t, "lây nhiễm cấp ", "transmission ");
		t2_int(t, ev->t0);
		T2(t, " (chỉ số cao nhất", " (highest indicator");
		if (r->trans_assumed)
			T2(t, ", giả định", ", assumption");
		T2(t, "): ", "): ");
		lr_text_indicator(t, r, ev, r->trans[ev->decider]);
		for (int i = 0; i < r->ntrans; i++)
			if (i != ev->decider) {
				T2(t, " và ", " and ");
				lr_text_indicator(t, r, ev, r->trans[i]);
			}
	} else {
		lr_text_indicator(t, r, ev, r->trans[0]);
	}
	if (r->nvax > 0) {
		if (ev->vacc) {
			T2(t, "; tiêm chủng đạt", "; vaccination met");
		} else {
			const char *sep_vi = ": ", *sep_en = ": ";

			T2(t, "; tiêm chủng chưa đạt", "; vaccination not met");
			for (int i = 0; i < r->nvax; i++) {
				const struct lr_cond *cd = &r->vax[i];

				if (!(ev->vax_failed & (1u << i)))
					continue;
				t2_add(t, sep_vi, sep_en);
				t2_add(t, cd->label_vi, cd->label_en);
				T2(t, " ", " ");
				t2_num(t, lr_pct_value(in, cd->field), 2, 1);
				T2(t, " % (cần ", " % (needs ");
				t2_add(t, cd->min_vi, cd->min_en);
				T2(t, " %", " %");
				if (cd->assumed)
					T2(t, ", giả định", ", assumption");
				T2(t, ")", ")");
				sep_vi = " và ";
				sep_en = " and ";
			}
		}
	}
	for (int i = 0; i < r->nadj; i++) {
		const struct lr_adjust *a = &r->adj[i];

		if (!(ev->applied & (1u << i)) || a->effect != LR_EFFECT_RAISE ||
		    a->stage != LR_STAGE_TRANSMISSION)
			continue;
		if (a->when == LR_WHEN_ABOVE)
			lr_text_above(t, a, ev);
		T2(t, " → lây nhiễm cấp ", " → transmission ");
		t2_int(t, ev->after[i]);
		t2_mark(t, a->assumed);
	}
	if (r->columns == LR_COLS_CAPACITY) {
		T2(t, "; năng lực đáp ứng ", "; response capacity ");
		t2_add(t, lr_capacity_info[ev->col].vi, lr_capacity_info[ev->col].en);
	}
	if (r->cell_assumed[ev->t - 1][ev->col] || ev->m != ev->l ||
	    (r->columns == LR_COLS_VACCINATION && !ev->vacc)) {
		T2(t, " → cấp ", " → level ");
		t2_int(t, ev->m);
		t2_mark(t, r->cell_assumed[ev->t - 1][ev->col]);
	}
	for (int i = 0; i < r->nadj; i++) {
		const struct lr_adjust *a = &r->adj[i];

		if (!(ev->applied & (1u << i)) || a->effect != LR_EFFECT_RAISE ||
		    a->stage != LR_STAGE_LEVEL)
			continue;
		if (a->when == LR_WHEN_ABOVE)
			lr_text_above(t, a, ev);
		else
			T2(t, "; tiêm chủng chưa đạt", "; vaccination not met");
		T2(t, " → cấp ", " → level ");
		t2_int(t, ev->after[i]);
		t2_mark(t, a->assumed);
	}
	if (r->no_downgrade >= 0 && (in->present & LEVEL_HAS(LEVEL_F_CAPACITY_MET)) &&
	    in->capacity_met == 0) {
		T2(t, "; năng lực y tế chưa đạt", "; health capacity not met");
		if (ev->kept) {
			T2(t, ": giữ cấp ", ": stays at the previous level ");
			t2_int(t, in->previous_level);
			T2(t, " của lần đánh giá trước", "");
			t2_mark(t, r->adj[r->no_downgrade].assumed);
		}
	}
}

/*
 * 0 when no input is out of range, present or not; else lr_input_bad_field()
 * decides.  A quick test that may answer 1 for nothing (an absent field's
 * value, -0.0, counts whose bits together pass the cap) but never 0 for a
 * bad present field: counts OR'ed stay under a cap only if each does, and
 * percentages from +0 to 100 order like their bits.
 */
#define LR_BITS_100 UINT64_C(0x4059000000000000)   /* the bits of 100.0 */
static inline int lr_input_maybe_bad(const struct level_input *in)
{
	uint64_t p[4];
	uint64_t counts = (uint64_t)in->cases_week | (uint64_t)in->cases_prev_week |
	                  (uint64_t)in->oxygen_cases_week | (uint64_t)in->deaths_week;
	unsigned prev = (in->present >> LEVEL_F_PREVIOUS_LEVEL) & 1u;

	memcpy(&p[0], &in->vax1_18plus_pct, sizeof(p[0]));
	memcpy(&p[1], &in->vaxfull_elderly_pct, sizeof(p[1]));
	memcpy(&p[2], &in->vaxfull_pct, sizeof(p[2]));
	memcpy(&p[3], &in->vaxfull_highrisk_pct, sizeof(p[3]));
	return ((uint64_t)in->population - 1u > (uint64_t)LEVEL_POPULATION_MAX - 1u) |
	       (counts > (uint64_t)LEVEL_COUNT_MAX) |
	       (p[0] > LR_BITS_100) | (p[1] > LR_BITS_100) | (p[2] > LR_BITS_100) |
	       (p[3] > LR_BITS_100) |
	       ((unsigned)in->capacity_met > 1u) |
	       ((unsigned)in->capacity >= LEVEL_CAPACITY_COUNT) |
	       (prev & ((unsigned)in->previous_level - LEVEL_MIN > LEVEL_MAX - LEVEL_MIN));
}

/*
 * The band of a finite v: the edges rise strictly (the parser checks
 * min < max and contiguity), so the band is 1 + the number of edges v is
 * not below: the first band whose upper edge v is under (or on, when
 * inclusive), without jumps.  The values are finite: integer counts over a
 * population of at least 1.
 */
static inline int lr_plan_band(const struct lr_plan *p, int k, double v)
{
#if LEVEL_MAX != 4
#error "lr_plan_band() compares with LEVEL_MAX - 1 = 3 edges"
#endif
	return 1 + !(v < p->below[k][0]) + !(v < p->below[k][1]) + !(v < p->below[k][2]);
}

static inline int lr_plan_fires(const struct lr_adjust *a, const struct lr_eval *ev)
{
	double v;

	if (a->when == LR_WHEN_VACCINATION_NOT_MET)
		return ev->vacc == 0;
	v = ev->val[a->indicator];
	return a->inclusive ? v >= a->threshold : v > a->threshold;
}

/* The rare endings: no rules or input, an input out of range, a missing one. */
LR_COLD static int lr_assess_fail(const struct level_rules *r, const struct level_input *in,
                          unsigned flags, struct level_result *out)
{
	struct lr_text2 t;
	unsigned miss;
	int bad;

	lr_result_reset(r, out);
	lr_text_begin(&t, out, flags);
	if (r == NULL || in == NULL) {
		T2(&t, "Không đánh giá được: thiếu quy tắc hoặc dữ liệu",
		       "Not assessable: no rules or no input");
		return THC_EINVAL;
	}
	if ((bad = lr_input_bad_field(in)) >= 0) {
		T2(&t, "Không đánh giá được: giá trị ngoài khoảng ở ",
		       "Not assessable: value out of range in ");
		t2_add(&t, level_field_names[bad], level_field_names[bad]);
		return THC_EINVAL;
	}
	miss = r->required & ~in->present;
	out->missing = miss;
	lr_text_missing(&t, miss);
	return 0;
}

int level_assess(const struct level_rules *r, const struct level_input *in,
                 unsigned flags, struct level_result *out)
{
	const struct lr_plan *p;
	struct lr_text2 t;
	struct lr_eval ev;
	unsigned adjustments = 0;
	double pop;
	int assumed;

	if (out == NULL)
		return THC_EINVAL;
	if (r == NULL || in == NULL || (r->required & ~in->present) ||
	    (lr_input_maybe_bad(in) && lr_input_bad_field(in) >= 0))
		return lr_assess_fail(r, in, flags, out);
	p = &r->plan;

	/* Integer numerators and denominators, so that a value exactly on an
	 * edge (200 cases in 1,000,000 people = 20) is exactly it. */
	pop = (double)in->population;
	ev.val[LEVEL_IND_CASES] = ev.val[LEVEL_IND_OXYGEN] = ev.val[LEVEL_IND_DEATHS] = -1;
	ev.band[LEVEL_IND_CASES] = ev.band[LEVEL_IND_OXYGEN] = ev.band[LEVEL_IND_DEATHS] = 0;
	if (r->used_ind & (1u << LEVEL_IND_CASES)) {
		if (r->two_week)
			ev.val[LEVEL_IND_CASES] = (double)((in->cases_week + in->cases_prev_week) * 100000) /
			                          (2.0 * pop);
		else
			ev.val[LEVEL_IND_CASES] = (double)(in->cases_week * 100000) / pop;
		if (p->nedges[LEVEL_IND_CASES] >= 0)
			ev.band[LEVEL_IND_CASES] = lr_plan_band(p, LEVEL_IND_CASES, ev.val[LEVEL_IND_CASES]);
	}
	if (r->used_ind & (1u << LEVEL_IND_OXYGEN)) {
		ev.val[LEVEL_IND_OXYGEN] = (double)(in->oxygen_cases_week * 100000) / pop;
		if (p->nedges[LEVEL_IND_OXYGEN] >= 0)
			ev.band[LEVEL_IND_OXYGEN] = lr_plan_band(p, LEVEL_IND_OXYGEN, ev.val[LEVEL_IND_OXYGEN]);
	}
	if (r->used_ind & (1u << LEVEL_IND_DEATHS)) {
		ev.val[LEVEL_IND_DEATHS] = (double)(in->deaths_week * 100000) / pop;
		if (p->nedges[LEVEL_IND_DEATHS] >= 0)
			ev.band[LEVEL_IND_DEATHS] = lr_plan_band(p, LEVEL_IND_DEATHS, ev.val[LEVEL_IND_DEATHS]);
	}

	assumed = p->fixed_assumed;
	ev.decider = 0;
	if (r->ntrans == 1) {           /* Decision 4800: cases alone */
		enum level_indicator k = r->trans[0];

		ev.t0 = ev.band[k];
		assumed |= (int)(p->band_assumed[k] >> (ev.t0 - 1)) & 1;
	} else {
		ev.t0 = 0;
		for (int i = 0; i < r->ntrans; i++) {
			enum level_indicator k = r->trans[i];
			int b = ev.band[k];

			assumed |= (int)(p->band_assumed[k] >> (b - 1)) & 1;
			ev.decider = b > ev.t0 ? i : ev.decider;
			ev.t0 = b > ev.t0 ? b : ev.t0;
		}
	}

	ev.vacc = -1;
	ev.vax_failed = 0;
	if (r->nvax > 0) {
		for (int i = 0; i < r->nvax; i++) {
			double v;

			memcpy(&v, (const char *)in + p->vax_off[i], sizeof(v));
			ev.vax_failed |= (unsigned)!(v >= p->vax_least[i]) << i;
		}
		ev.vacc = ev.vax_failed == 0;
	}

	ev.applied = 0;
	ev.t = ev.t0;
	for (int j = 0; j < p->nraise_trans; j++) {
		int i = p->raise_trans[j];
		const struct lr_adjust *a = &r->adj[i];

		if (lr_plan_fires(a, &ev)) {
			ev.t = ev.t + a->by > LEVEL_MAX ? LEVEL_MAX : ev.t + a->by;
			ev.after[i] = ev.t;
			ev.applied |= 1u << i;
			adjustments |= p->adj_flag[i];
		}
	}
	ev.col = r->columns == LR_COLS_VACCINATION ? (ev.vacc ? 0 : 1) : (int)in->capacity;
	ev.m = r->cell[ev.t - 1][ev.col];
	assumed |= r->cell_assumed[ev.t - 1][ev.col];
	ev.l = ev.m;
	for (int j = 0; j < p->nraise_level; j++) {
		int i = p->raise_level[j];
		const struct lr_adjust *a = &r->adj[i];

		if (lr_plan_fires(a, &ev)) {
			ev.l = ev.l + a->by > LEVEL_MAX ? LEVEL_MAX : ev.l + a->by;
			ev.after[i] = ev.l;
			ev.applied |= 1u << i;
			adjustments |= p->adj_flag[i];
		}
	}

	out->rule_set = r->id;
	out->cases_per_100k = ev.val[LEVEL_IND_CASES];
	out->oxygen_per_100k = ev.val[LEVEL_IND_OXYGEN];
	out->deaths_per_100k = ev.val[LEVEL_IND_DEATHS];
	out->cases_band = ev.band[LEVEL_IND_CASES];
	out->oxygen_band = ev.band[LEVEL_IND_OXYGEN];
	out->deaths_band = ev.band[LEVEL_IND_DEATHS];
	out->transmission_base = ev.t0;
	out->transmission = ev.t;
	out->matrix_level = ev.m;
	out->vaccination = ev.vacc;
	out->capacity = r->columns == LR_COLS_CAPACITY ? (int)in->capacity : -1;
	out->missing = 0;
	out->children = out->children_unknown = 0;
	lr_text_begin(&t, out, flags);

	/* No downgrade: the comparison with previous_level is data, so it
	 * selects rather than jumps. */
	ev.kept = 0;
	if (r->no_downgrade >= 0) {
		int nd = r->no_downgrade;
		int need = (int)((in->present >> LEVEL_F_PREVIOUS_LEVEL) & 1u) &
		           (in->previous_level > ev.l);

		/* Whether the level may go down depends on capacity: unknown
		 * capacity here is a missing input, not a guess. */
		if (need && !(in->present & LEVEL_HAS(LEVEL_F_CAPACITY_MET))) {
			out->level = LEVEL_NONE;
			out->adjustments = 0;
			out->assumption = 0;
			out->missing = LEVEL_HAS(LEVEL_F_CAPACITY_MET);
			lr_text_missing(&t, out->missing);
			return 0;
		}
		assumed |= need & r->adj[nd].assumed;
		ev.kept = need & (in->capacity_met == 0);
		ev.l = ev.kept ? in->previous_level : ev.l;
		ev.applied |= (unsigned)ev.kept << nd;
		adjustments |= ev.kept ? (unsigned)LEVEL_ADJ_NO_DOWNGRADE : 0u;
	}

	out->level = ev.l;
	out->assumption = assumed;
	out->adjustments = adjustments;
	if (t.on)
		lr_explain(r, in, &ev, &t);
	return 0;
}

/* ---- aggregation from the units below --------------------------------- */

/* The first threshold met, or -1 (then "otherwise"). */
static int lr_agg_eval(const struct lr_scope *sc, const size_t *at_least_count, size_t n)
{
	for (int i = 0; i < sc->nth; i++) {
		const struct lr_threshold *th = &sc->th[i];
		double share = 100.0 * (double)at_least_count[th->at_least] / (double)n;

		if (th->incl ? share >= th->min_share : share > th->min_share)
			return i;
	}
	return -1;
}

int level_aggregate(const struct level_rules *r, enum level_scope scope,
                    const int *child_levels, size_t n, unsigned flags,
                    struct level_result *out)
{
	size_t count[LEVEL_MAX + 1] = { 0 }, lo[LEVEL_MAX + 1], hi[LEVEL_MAX + 1];
	const struct lr_scope *sc;
	struct lr_text2 t;
	int ilo, ihi, level;

	if (out == NULL)
		return THC_EINVAL;
	lr_result_reset(r, out);
	lr_text_begin(&t, out, flags);
	if (r == NULL || (unsigned)scope >= LEVEL_SCOPE_COUNT ||
	    r->scope[scope].method != LEVEL_CHILDREN_LEVELS || (n > 0 && child_levels == NULL)) {
		T2(&t, "Không đánh giá được: phạm vi này không tính theo đơn vị trực thuộc",
		       "Not assessable: this scope is not assessed from the units below");
		return THC_EINVAL;
	}
	sc = &r->scope[scope];
	for (size_t i = 0; i < n; i++) {
		if (child_levels[i] < LEVEL_NONE || child_levels[i] > LEVEL_MAX) {
			T2(&t, "Không đánh giá được: cấp độ đơn vị trực thuộc không hợp lệ",
			       "Not assessable: invalid level of a unit below");
			return THC_EINVAL;
		}
		count[child_levels[i]]++;
	}
	out->children = (int)n;
	out->children_unknown = (int)count[LEVEL_NONE];
	if (n == 0) {
		T2(&t, "Không đánh giá được: không có đơn vị trực thuộc",
		       "Not assessable: no units below");
		return 0;
	}
	/* lo[k] / hi[k]: children at level >= k with every unknown at 1 / at 4. */
	lo[LEVEL_MAX] = count[LEVEL_MAX];
	for (int k = LEVEL_MAX - 1; k >= LEVEL_MIN; k--)
		lo[k] = lo[k + 1] + count[k];
	lo[LEVEL_MIN] += count[LEVEL_NONE];
	for (int k = LEVEL_MIN; k <= LEVEL_MAX; k++)
		hi[k] = lo[k] + (k > LEVEL_MIN ? count[LEVEL_NONE] : 0);
	ilo = lr_agg_eval(sc, lo, n);
	ihi = lr_agg_eval(sc, hi, n);
	if (ilo != ihi) {
		T2(&t, "Không đánh giá được: ", "Not assessable: ");
		t2_int(&t, (long)count[LEVEL_NONE]);
		T2(&t, "/", " of ");
		t2_int(&t, (long)n);
		T2(&t, " đơn vị trực thuộc chưa có cấp độ", " units below have no level");
		return 0;
	}
	level = ilo >= 0 ? sc->th[ilo].level : sc->otherwise;
	out->level = level;
	out->assumption = sc->assumed || (ilo >= 0 ? sc->th[ilo].assumed : sc->otherwise_assumed);
	for (int i = 0; i < sc->nth && i <= ilo; i++)
		out->assumption |= sc->th[i].assumed;
	if (!t.on)
		return 0;
	T2(&t, "Cấp ", "Level ");
	t2_int(&t, level);
	T2(&t, ": ", ": ");
	if (ilo >= 0) {
		const struct lr_threshold *th = &sc->th[ilo];

		t2_int(&t, (long)lo[th->at_least]);
		T2(&t, "/", " of ");
		t2_int(&t, (long)n);
		T2(&t, " đơn vị trực thuộc (", " units below (");
		t2_num(&t, 100.0 * (double)lo[th->at_least] / (double)n, 1, 0);
		T2(&t, " %) ở cấp ", " %) at level ");
		if (th->at_least < LEVEL_MAX)
			T2(&t, "≥ ", "≥ ");
		t2_int(&t, th->at_least);
		T2(&t, " (", " (");
		t2_add(&t, th->share_vi, th->share_en);
		T2(&t, " %)", " %)");
		t2_mark(&t, th->assumed || sc->assumed);
	} else {
		T2(&t, "không ngưỡng nào đạt (", "no threshold reached (");
		t2_int(&t, (long)n);
		T2(&t, " đơn vị trực thuộc)", " units below)");
		t2_mark(&t, sc->otherwise_assumed || sc->assumed);
	}
	if (count[LEVEL_NONE] > 0) {
		T2(&t, "; ", "; ");
		t2_int(&t, (long)count[LEVEL_NONE]);
		T2(&t, " đơn vị chưa có cấp độ, không ảnh hưởng kết quả",
		       " without a level, not decisive");
	}
	return 0;
}
