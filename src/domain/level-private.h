/*
 * Inside the epidemic-level engine (src/domain/level*.c): the compiled form
 * of a rule set, the tables every part reads, the bilingual text writer and
 * the functions the parts share.  Not included outside src/domain/level*.c.
 *
 *   level.c          names, inputs, colours and the static tables
 *   level_json.c     reading rule-set JSON, with the path in every error
 *   level_rules.c    compiling one rule set, and its accessors
 *   level_catalog.c  the catalogue: files, variants (extends), choosing one
 *   level_assess.c   assessment and aggregation (the hot path)
 *   level_text.c     numbers and the explanations, Vietnamese and English
 */
#ifndef THC_LEVEL_PRIVATE_H
#define THC_LEVEL_PRIVATE_H

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "domain/level.h"

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


/* ---- static tables (level.c) ------------------------------------------- */

extern const char *const level_field_names[LEVEL_F_COUNT];
struct lr_ind_info {
	const char *name, *unit_vi, *unit_en;
	enum level_field count;
	unsigned adj_flag;
};
extern const struct lr_ind_info lr_ind_info[LEVEL_IND_COUNT];
/* The percentages a vaccination condition may test. */
#define LR_VAX_INFO_COUNT 4
struct lr_vax_info {
	enum level_field field;
	const char *vi, *en;
};
extern const struct lr_vax_info lr_vax_info[LR_VAX_INFO_COUNT];
struct lr_capacity_info {
	const char *name, *vi, *en;
};
extern const struct lr_capacity_info lr_capacity_info[LEVEL_CAPACITY_COUNT];
/* NULL-terminated: lr_compile_scope() checks the keys of "scope" against it. */
extern const char *const lr_scope_names[LEVEL_SCOPE_COUNT + 1];
/* 1..7 as in vndate_weekday(); NULL-terminated from index 1 for lr_enum(). */
extern const char *const lr_weekdays[9];
/* Resolution 128/NQ-CP: the four levels and their colours; 0 not assessed. */
struct lr_level_info {
	const char *colour, *colour_vi, *colour_en, *hex, *vi, *en;
};
extern const struct lr_level_info lr_levels[LEVEL_MAX + 1];

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

/* What one assessment found, kept for the explanation. */
struct lr_eval {
	double val[LEVEL_IND_COUNT];
	int band[LEVEL_IND_COUNT];
	int t0, t, m, l, decider, vacc, col, kept;
	unsigned vax_failed;            /* bit per failed condition */
	unsigned applied;               /* bit per adjustment that applied */
	int after[LR_ADJ_MAX];          /* transmission or level after it */
};


/* ---- numbers as text (level_text.c) ----------------------------------- */

/* v with `decimals` (trim: drop trailing zeros), English or Vietnamese
 * separators, into out (LR_NUM_TEXT bytes); returns the length. */
size_t lr_fmt_num(char *out, double v, int decimals, int trim, int english);
/* "≥ 80": op and a number. */
void lr_fmt_cmp(char *out, size_t outsz, const char *op, double v, int english);

/* ---- the explanation writer -------------------------------------------- */

/* Appends whole pieces; a piece that does not fit is dropped and the text
 * ends with "…", so it stays valid UTF-8.  This runs for every assessment,
 * so literals go through T2() with their lengths known at compile time. */
struct lr_text {
	char *p;
	size_t len, cap;
	int full;
};

static inline void lt_init(struct lr_text *t, char *buf, size_t cap)
{
	t->p = buf;
	t->len = 0;
	t->cap = cap;
	t->full = 0;
	buf[0] = '\0';
}

static inline void lt_overflow(struct lr_text *t)
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

/* Where the numbers of an input went in an explanation, so that
 * level_cache.c can write the same text again with another input's. */
#define LR_SLOTS_MAX 16
enum lr_slot_src { LR_SLOT_VAL, LR_SLOT_PCT };   /* ev->val[idx], a percentage field */
struct lr_slot {
	unsigned short vi_from, vi_to, en_from, en_to;
	unsigned char src, idx;
};
struct lr_slots {
	struct lr_slot v[LR_SLOTS_MAX];
	int n, over;
};

/* The two languages side by side. */
struct lr_text2 {
	struct lr_text vi, en;
	int on;
	struct lr_slots *slots;         /* NULL, or records where numbers go */
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

static inline void t2_add(struct lr_text2 *t, const char *vi, const char *en)
{
	if (t->on)
		t2_addn(t, vi, strlen(vi), en, strlen(en));
}

/* Formats once in English and swaps the separators for Vietnamese. */
static inline void t2_num(struct lr_text2 *t, double v, int decimals, int trim)
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

/* A number of the input: ev->val[idx] with 1 decimal, or the percentage
 * field idx with up to 2; recorded when t->slots is set. */
static inline void t2_slot(struct lr_text2 *t, enum lr_slot_src src, int idx, double v)
{
	struct lr_slot *sl = NULL;

	if (t->on && t->slots) {
		if (t->slots->n < LR_SLOTS_MAX)
			sl = &t->slots->v[t->slots->n++];
		else
			t->slots->over = 1;
	}
	if (sl) {
		sl->src = (unsigned char)src;
		sl->idx = (unsigned char)idx;
		sl->vi_from = (unsigned short)t->vi.len;
		sl->en_from = (unsigned short)t->en.len;
	}
	t2_num(t, v, src == LR_SLOT_PCT ? 2 : 1, src == LR_SLOT_PCT);
	if (sl) {
		sl->vi_to = (unsigned short)t->vi.len;
		sl->en_to = (unsigned short)t->en.len;
	}
}

static inline void t2_int(struct lr_text2 *t, long v)
{
	if (v >= 0 && v <= 9) {
		char c = (char)('0' + v);

		t2_addn(t, &c, 1, &c, 1);
	} else {
		t2_num(t, (double)v, 0, 0);
	}
}

static inline void t2_mark(struct lr_text2 *t, int assumed)
{
	if (assumed)
		T2(t, " (giả định)", " (assumption)");
}


/* ---- explanations (level_text.c) --------------------------------------- */

/* With LEVEL_NO_TEXT the explanations are only emptied (t2_* do nothing). */
void lr_text_begin(struct lr_text2 *t, struct level_result *out, unsigned flags);
void lr_text_missing(struct lr_text2 *t, unsigned missing);
/* level_assess() up to its explanation: 1 when it found a level (*ev then
 * holds what lr_explain() needs, t is begun), 0 when out is complete (not
 * assessable, its text written unless LEVEL_NO_TEXT), or an error. */
int lr_assess_eval(const struct level_rules *r, const struct level_input *in, unsigned flags,
                   struct level_result *out, struct lr_eval *ev, struct lr_text2 *t);
void lr_text_field(struct lr_text2 *t, enum level_field f);
/* The explanation of an assessment that found a level. */
void lr_explain(const struct level_rules *r, const struct level_input *in,
                const struct lr_eval *ev, struct lr_text2 *t);

/* ---- reading rule-set JSON (level_json.c) ------------------------------ */

struct lr_ctx {
	const char *file;
	struct error *err;
	char path[LR_PATH_MAX];
	size_t len;
};

void lr_ctx_init(struct lr_ctx *c, const char *file, struct error *err);
size_t lr_push(struct lr_ctx *c, const char *key);
size_t lr_push_idx(struct lr_ctx *c, size_t i);
void lr_pop(struct lr_ctx *c, size_t old);
int lr_fail(struct lr_ctx *c, const char *vi, const char *en);
int lr_fail_key(struct lr_ctx *c, const char *key, const char *vi, const char *en);
int lr_check_keys(struct lr_ctx *c, json_t *obj, const char *const *allowed);
int lr_object(struct lr_ctx *c, json_t *parent, const char *key, json_t **out);
int lr_array(struct lr_ctx *c, json_t *parent, const char *key, size_t min,
	size_t max, json_t **out);
int lr_string(struct lr_ctx *c, json_t *parent, const char *key, int nullable,
	const char **out);
int lr_enum(struct lr_ctx *c, json_t *parent, const char *key,
	const char *const *names, int *out);
int lr_number(struct lr_ctx *c, json_t *parent, const char *key, double min,
	double max, double *out);
int lr_int(struct lr_ctx *c, json_t *parent, const char *key, int min, int max,
	int *out);
int lr_bool(struct lr_ctx *c, json_t *parent, const char *key, int *out);
int lr_status(struct lr_ctx *c, json_t *obj, unsigned char *assumed);
int lr_fact(struct lr_ctx *c, json_t *parent, const char *key, json_t **obj,
	unsigned char *assumed);

/* ---- compiled forms (level_rules.c, level_assess.c) -------------------- */

/* Compiles a resolved document into r; takes a reference to it on success. */
int lr_compile(struct level_rules *r, json_t *doc, struct lr_ctx *c);
/* Parses a rule-set file's text (its errors name the file). */
int lr_load_json(struct lr_ctx *c, const char *json, size_t len, json_t **out);
void lr_rules_release(struct level_rules *r);
/* Derives r->plan from the compiled rule set (see struct lr_plan). */
void lr_plan_build(struct level_rules *r);
/* A vaccination percentage of the input (level.c). */
double lr_pct_value(const struct level_input *in, enum level_field f);
/* The first present input out of its range (a field), or -1 (level.c). */
int lr_input_bad_field(const struct level_input *in);
void lr_result_reset(const struct level_rules *r, struct level_result *out);

#endif
