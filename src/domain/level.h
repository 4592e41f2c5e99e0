/*
 * Epidemic levels (Resolution 128/NQ-CP): versioned rule sets held as data
 * (Decision 4800/QĐ-BYT of 2021, 218/QĐ-BYT of 2022, province variants),
 * the assessment of one unit-week, the "children_levels" aggregation and
 * the four colours.  The rule file format is described in docs/levels.md.
 *
 * Pure: no I/O, no clock.  Callers read the rule files and pass buffers;
 * dates are days since 1970-01-01 (base/vntime.h).
 *
 * Ownership: a struct level_rules comes from level_rules_parse() (caller
 * frees it with level_rules_free) or is borrowed from a struct level_catalog
 * (valid until level_catalog_free).  Strings returned by accessors are
 * borrowed from the rules.  A struct level_result holds everything by value
 * except rule_set, which is borrowed from the rules that produced it.
 */
#ifndef THC_LEVEL_H
#define THC_LEVEL_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "domain/unit.h"

#define LEVEL_NONE 0              /* not assessable */
#define LEVEL_MIN 1
#define LEVEL_MAX 4

/* Caps on what a rule file may hold. */
#define LEVEL_RULES_MAX_BYTES (256 * 1024)
#define LEVEL_CATALOG_MAX 64      /* rule sets in one catalog */
#define LEVEL_EXTENDS_MAX_DEPTH 8
#define LEVEL_ID_MAX 64           /* bytes of a rule set id, with NUL */
#define LEVEL_TEXT_MAX 768        /* bytes of one explanation, with NUL */

/* No end date: in force until replaced. */
#define LEVEL_OPEN_END INT32_MAX

/* ---- inputs ------------------------------------------------------------ */

/* The inputs of one unit-week; the name is the CSV column and JSON field. */
#define LEVEL_FIELDS(X) \
	X(POPULATION,        "population") \
	X(CASES_WEEK,        "cases_week") \
	X(CASES_PREV_WEEK,   "cases_prev_week") \
	X(VAX1_18PLUS,       "vax1_18plus_pct") \
	X(VAXFULL_ELDERLY,   "vaxfull_elderly_pct") \
	X(CAPACITY_MET,      "capacity_met") \
	X(CAPACITY,          "capacity") \
	X(PREVIOUS_LEVEL,    "previous_level") \
	X(OXYGEN_CASES_WEEK, "oxygen_cases_week") \
	X(DEATHS_WEEK,       "deaths_week") \
	X(VAXFULL,           "vaxfull_pct") \
	X(VAXFULL_HIGHRISK,  "vaxfull_highrisk_pct")

enum level_field {
#define X(id, name) LEVEL_F_##id,
	LEVEL_FIELDS(X)
#undef X
	LEVEL_F_COUNT
};
#define LEVEL_HAS(f) (1u << (f))

/* Largest accepted values (a bigger one is a data-entry error). */
#define LEVEL_POPULATION_MAX UNIT_POPULATION_MAX
#define LEVEL_COUNT_MAX      1000000000LL

enum level_capacity {
	LEVEL_CAPACITY_HIGH,
	LEVEL_CAPACITY_MEDIUM,
	LEVEL_CAPACITY_LOW,
	LEVEL_CAPACITY_COUNT
};

/*
 * A field counts only when its LEVEL_HAS bit is in `present`: a missing
 * input is never read as 0.
 */
struct level_input {
	unsigned present;             /* LEVEL_HAS(enum level_field) bits */
	int64_t population;           /* > 0 */
	int64_t cases_week;           /* new community cases in the week, >= 0 */
	int64_t cases_prev_week;      /* the same in the week before */
	int64_t oxygen_cases_week;    /* new cases needing oxygen in the week */
	int64_t deaths_week;          /* deaths in the week */
	double vax1_18plus_pct;       /* 0..100: aged 18+ with >= 1 dose */
	double vaxfull_elderly_pct;   /* 0..100: elderly fully vaccinated */
	double vaxfull_pct;           /* 0..100: population fully vaccinated */
	double vaxfull_highrisk_pct;  /* 0..100: high-risk people fully vaccinated */
	int capacity_met;             /* 1 met, 0 not met */
	enum level_capacity capacity; /* response capacity (Decision 218) */
	int previous_level;           /* 1..4: the last assessment */
};
#define LEVEL_INPUT_INIT { 0 }

int level_field_from_name(const char *name);       /* enum level_field or -1 */
const char *level_field_name(enum level_field f);  /* "cases_week"; "?" */
/*
 * Sets one field from text ("" = absent: the bit is cleared).  Integers are
 * plain decimals, percentages plain decimals 0..100, capacity_met "1" or
 * "0", capacity "high", "medium" or "low", previous_level 1..4.  On a bad
 * value returns THC_EINVAL with a message that quotes it and says what is
 * expected (the caller adds the line and column).
 */
int level_input_parse(struct level_input *in, enum level_field f, const char *s,
                      struct error *err);
/* Checks the ranges of the present fields; names the first bad one. */
int level_input_check(const struct level_input *in, struct error *err);

const char *level_capacity_name(enum level_capacity c);      /* "high" */
const char *level_capacity_title(enum level_capacity c, int english); /* "cao" */

/* ---- rule sets --------------------------------------------------------- */

enum level_indicator {
	LEVEL_IND_CASES,      /* new community cases per 100,000 per week */
	LEVEL_IND_OXYGEN,     /* new cases needing oxygen per 100,000 per week */
	LEVEL_IND_DEATHS,     /* deaths per 100,000 per week */
	LEVEL_IND_COUNT
};
const char *level_indicator_name(enum level_indicator i);  /* "cases_per_100k" */

enum level_scope {
	LEVEL_SCOPE_COMMUNE,
	LEVEL_SCOPE_DISTRICT,
	LEVEL_SCOPE_PROVINCE,
	LEVEL_SCOPE_COUNT
};
const char *level_scope_name(enum level_scope s);  /* "commune" */

enum level_scope_method {
	LEVEL_OWN_TOTALS,      /* level_assess() on the unit's own figures */
	LEVEL_CHILDREN_LEVELS  /* level_aggregate() of the units directly below */
};

struct level_rules;

/*
 * Parses one stand-alone rule set (its "extends" must be null; a variant
 * needs its base: use a catalog).  `name` (a file name) starts every error
 * message, followed by the JSON path of the bad field:
 * "qd218-2022.json: $.matrix.cells.2.medium.level: ...".  THC_EINVAL,
 * THC_ETOOBIG (over LEVEL_RULES_MAX_BYTES) or THC_ENOMEM.
 */
int level_rules_parse(struct level_rules **out, const char *name,
                      const char *json, size_t len, struct error *err);
void level_rules_free(struct level_rules *r);

const char *level_rules_id(const struct level_rules *r);
const char *level_rules_title(const struct level_rules *r, int english);
const char *level_rules_applies_to(const struct level_rules *r); /* NULL = national */
const char *level_rules_extends(const struct level_rules *r);    /* NULL = none */
int32_t level_rules_from(const struct level_rules *r);           /* first day */
int32_t level_rules_to(const struct level_rules *r);             /* last day or LEVEL_OPEN_END */
int level_rules_first_weekday(const struct level_rules *r);      /* 1 Monday .. 7 Sunday */
/* 1 if `day` (a week end) is in the period and the rule set applies to
 * `province` (2 digits; NULL or "" = a national rule set only). */
int level_rules_in_force(const struct level_rules *r, const char *province,
                         int32_t day);
enum level_scope_method level_rules_scope_method(const struct level_rules *r,
                                                 enum level_scope s);
/* The inputs level_assess() always needs (LEVEL_HAS bits).  capacity_met
 * is needed besides when a no-downgrade rule meets a higher previous_level. */
unsigned level_rules_required(const struct level_rules *r);
/* 1 if any value of the rule set is marked "assumption". */
int level_rules_has_assumptions(const struct level_rules *r);
/* The resolved rule set ("extends" applied) as JSON text; caller free()s;
 * NULL when out of memory. */
char *level_rules_json(const struct level_rules *r);

/*
 * Several rule sets: national ones and province variants.  Each source is
 * one file's text; `extends` is resolved by id (a variant gives only what
 * it changes: objects merge key by key, anything else is replaced; its
 * effective.to defaults to its base's).  Two rule sets for the same scope
 * (national, or one province) starting on the same day are a conflict.
 */
struct level_source {
	const char *name;     /* file name, for messages */
	const char *json;
	size_t len;
};
struct level_catalog;

int level_catalog_load(struct level_catalog **out, const struct level_source *src,
                       size_t n, struct error *err);
void level_catalog_free(struct level_catalog *c);
size_t level_catalog_count(const struct level_catalog *c);
const struct level_rules *level_catalog_at(const struct level_catalog *c, size_t i);
const struct level_rules *level_catalog_get(const struct level_catalog *c,
                                            const char *id);   /* NULL if none */
/*
 * The rule set in force for a unit of `province` (2 digits, or NULL/"" for
 * national ones only) for the week ending `week_end`: a variant for that
 * province in force that day wins over a national one; within each kind
 * the latest start wins.  GSO district and commune codes do not carry
 * their province's code, so the caller finds the province in the unit
 * hierarchy.  THC_ENOTFOUND when nothing is in force, THC_EINVAL for a
 * province code that is not 2 digits.
 */
int level_catalog_pick(const struct level_catalog *c, const char *province,
                       int32_t week_end, const struct level_rules **out,
                       struct error *err);
/* 0 when `week_end` is the last day of a week of the rule set in force for
 * the province that day (or none is in force), else THC_EUNPROCESSABLE at
 * field "week_end", naming both days: HCMC's weeks end on Thursdays. */
int level_catalog_check_week(const struct level_catalog *c, const char *province,
                             int32_t week_end, struct error *err);

/* ---- assessment -------------------------------------------------------- */

enum level_adjust_flags {
	LEVEL_ADJ_VACCINATION  = 1 << 0,  /* vaccination not met raised it */
	LEVEL_ADJ_ABOVE_CASES  = 1 << 1,  /* an indicator above a threshold raised it */
	LEVEL_ADJ_ABOVE_OXYGEN = 1 << 2,
	LEVEL_ADJ_ABOVE_DEATHS = 1 << 3,  /* e.g. deaths > 6 per 100,000 */
	LEVEL_ADJ_NO_DOWNGRADE = 1 << 4,  /* kept at previous_level: capacity not met */
};

enum level_assess_flags {
	LEVEL_NO_TEXT = 1 << 0,   /* skip the explanations (bulk runs) */
};

struct level_result {
	int level;                /* 1..4; 0 = not assessable */
	const char *rule_set;     /* id of the rules used (borrowed) */
	/* Per 100,000 per week; < 0 when not computed.  Cases are the
	 * two-week average when the rule set says so. */
	double cases_per_100k, oxygen_per_100k, deaths_per_100k;
	int cases_band, oxygen_band, deaths_band;  /* 1..4; 0 = not used */
	int transmission_base;    /* highest band of the transmission indicators */
	int transmission;         /* the matrix row, after raises */
	int matrix_level;         /* the matrix cell, before level raises */
	int vaccination;          /* 1 met, 0 not met, -1 not part of the rules */
	int capacity;             /* enum level_capacity in the matrix, or -1 */
	unsigned adjustments;     /* enum level_adjust_flags that applied */
	int assumption;           /* 1 if a value marked "assumption" was used */
	unsigned missing;         /* LEVEL_HAS bits of missing inputs (level 0) */
	/* level_aggregate() only */
	int children;             /* units below counted */
	int children_unknown;     /* of which without a level */
	char explain_vi[LEVEL_TEXT_MAX];  /* "Cấp 2: 73,5 ca/100.000 dân/tuần (50 – < 150), ..." */
	char explain_en[LEVEL_TEXT_MAX];  /* "Level 2: 73.5 cases per 100,000 per week (50 – < 150), ..." */
};

/*
 * Assesses one unit-week on its own totals.  Pure and allocation-free.
 * Missing inputs give level 0 with `missing` set and listed in the
 * explanations, never a guess.  Returns 0, or THC_EINVAL for a NULL
 * argument or an out-of-range present input (level 0).
 */
int level_assess(const struct level_rules *r, const struct level_input *in,
                 unsigned flags, struct level_result *out);

/*
 * The "children_levels" scope rule: the level of a district or province
 * from the levels (0 = unknown) of all the units directly below it.
 * Unknown children are allowed when they cannot change the result (the
 * result is the same with all of them at 1 and all at 4); otherwise level
 * 0.  THC_EINVAL if the scope's method is not children_levels or a level
 * is out of 0..4.
 */
int level_aggregate(const struct level_rules *r, enum level_scope scope,
                    const int *child_levels, size_t n, unsigned flags,
                    struct level_result *out);

/*
 * Bulk explanations (level_cache.c): level_assess() with the explanation in
 * one language only (english or not, as the cache was made; the other is
 * left empty), the same bytes, written from a cache of the texts already
 * made for the same shape (band, conditions, adjustments) with this
 * input's numbers put in.  One cache per thread.
 */
struct level_text_cache;
int level_text_cache_new(struct level_text_cache **out, int english);  /* THC_ENOMEM */
void level_text_cache_free(struct level_text_cache *c);
int level_assess_cached(struct level_text_cache *c, const struct level_rules *r,
                        const struct level_input *in, struct level_result *out);

/* ---- a tree of units for one week (level_tree.c) --------------------- */

/*
 * The hierarchy of the units to assess, built once: parent[i] is the index
 * of node i's parent (-1: none), scope[i] its level.  THC_EINVAL for a
 * parent out of range, THC_ENOMEM.
 */
struct level_tree;
int level_tree_new(struct level_tree **out, const int *parent, const enum level_scope *scope,
                   size_t n, struct error *err);
void level_tree_free(struct level_tree *t);
/* The most children of one node: the size of level_tree_*'s scratch. */
size_t level_tree_max_children(const struct level_tree *t);
/*
 * One week: rules[i] is node i's rule set (NULL: not assessed, level 0),
 * in[i] its own totals (NULL: none).  Fills levels[i] for every node: own
 * totals first, then districts, then provinces from the levels of all
 * their children when their rule set says children_levels (a child
 * without a level counts as unknown).  scratch holds
 * level_tree_max_children() ints; res is a work area.
 */
void level_tree_assess(const struct level_tree *t, const struct level_rules *const *rules,
                       const struct level_input *const *in, int *levels, int *scratch,
                       struct level_result *res);
/* Node i's full result (with its explanation unless LEVEL_NO_TEXT), given
 * the levels level_tree_assess found.  0 or level_assess's errors. */
int level_tree_result(const struct level_tree *t, const struct level_rules *const *rules,
                      const struct level_input *const *in, const int *levels, size_t i,
                      unsigned flags, int *scratch, struct level_result *out);

/* ---- colours ----------------------------------------------------------- */

/* 0 (not assessed) .. 4; "" outside. */
const char *level_colour(int level);                   /* "grey", "green" .. "red" */
const char *level_colour_name(int level, int english); /* "xanh" / "green" */
const char *level_colour_hex(int level);               /* "#3a9d23" */
/* "nguy cơ thấp (bình thường mới)" / "low risk (new normal)" */
const char *level_name(int level, int english);

#endif
