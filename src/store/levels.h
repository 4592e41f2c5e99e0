/*
 * Epidemic levels (levels.c): weekly indicators, computed assessments,
 * decided and published levels, measures per level.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 * store_measures_get gives JSON text in the arena too.
 */
#ifndef THC_STORE_LEVELS_H
#define THC_STORE_LEVELS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

/* Published or decided levels: one row a (unit, date from which it applies). */
struct level_decision_row {
	const char *unit_code;
	const char *effective_from;   /* YYYY-MM-DD */
	int level;                    /* 1..4 */
	const char *source_url;       /* imports: where it was published */
	long line;
};
/* Loads published levels (source 'import'; levels_import.c); rows already
 * present, or earlier in the file, are skipped.  All or nothing. */
int store_levels_import(struct store *st, const struct store_actor *actor,
                        const struct level_decision_row *rows, size_t n,
                        size_t *inserted, struct error *err);

struct level_in_force {
	const char *code, *name, *unit_level, *parent_code;
	int level;                    /* 0: none decided */
	const char *effective_from;
	const char *week_end;
	const char *source;
};
/* The decided level in force on `date` for each public child of parent
 * (NULL: the provinces), ordered by code. */
int store_levels_in_force(struct store *st, const char *parent, const char *date,
                          struct arena *a, struct level_in_force **out,
                          size_t *n, struct error *err);

struct level_history_entry {
	const char *kind;             /* "assessment" or "decision" */
	const char *week_end, *effective_from;
	int level;                    /* 0: not assessable */
	int computed_level;
	double cases_per_100k;        /* < 0: none */
	const char *rule_set, *explanation_vi, *explanation_en, *missing, *reason;
	const char *source, *source_url, *by;
	int assumption;
	int64_t at_ms;
};
/* Assessments and decisions of a unit, newest first (scope as store_unit_get). */
int store_level_history(struct store *st, const struct store_actor *actor,
                        const char *code, int limit, struct arena *a,
                        struct level_history_entry **out, size_t *n,
                        struct error *err);

/* Weekly indicators of a unit (the inputs of an assessment). */
struct level_indicators {
	const char *unit_code, *week_end;
	const char *parent_code, *province, *unit_level;   /* filled by reads */
	/* -1: missing */
	int64_t population, cases_week, cases_prev_week, oxygen_cases_week, deaths_week;
	double vax1_18plus_pct, vaxfull_elderly_pct, vaxfull_pct, vaxfull_highrisk_pct;
	int capacity_met;             /* 0/1; -1 missing */
	const char *capacity;         /* high|medium|low; NULL missing */
	long line;                    /* errors name it: CSV line N, or JSON item -N */
	int reported;                 /* bits: the week's (1), the week before's (2) figures
	                               * are the unit's DHIS2 report, not counted */
};
/* Upserts indicators; every unit must be in the actor's scope with a role in
 * role_mask, and, with rules, every week must end on the day the rule set
 * in force for the unit's province ends its weeks.  All or nothing. */
struct level_catalog;
int store_level_indicators_put(struct store *st, const struct store_actor *actor,
                               unsigned role_mask, const struct level_catalog *rules,
                               const struct level_indicators *rows, size_t n,
                               struct error *err);
/* Indicators of the units under `code` (itself included) for a week. */
int store_level_indicators_list(struct store *st, const struct store_actor *actor,
                                const char *code, const char *week_end,
                                struct arena *a, struct level_indicators **out,
                                size_t *n, struct error *err);

struct level_assessment {
	const char *unit_code, *week_end, *rule_set;
	int level;                    /* 0: not assessable */
	double cases_per_100k;        /* < 0: none */
	const char *explanation_vi, *explanation_en, *missing;
	int assumption;
};
int store_level_assessments_put(struct store *st, const struct store_actor *actor,
                                const struct level_assessment *rows, size_t n,
                                struct error *err);
/* The level in force for a unit the day before `date` (for no-downgrade); 0 if none. */
int store_level_previous(struct store *st, const char *code, const char *date,
                         int *level, struct error *err);
/* Confirms (level = computed) or overrides (reason required) a unit's level
 * for a week, in force from effective_from.  Officials in scope only. */
int store_level_decide(struct store *st, const struct store_actor *actor,
                       const char *code, const char *week_end,
                       const char *effective_from, int level, const char *reason,
                       int64_t *id, struct error *err);
/* Measures per level (JSON array text) of a province, or national ('VN'). */
int store_measures_put(struct store *st, const struct store_actor *actor,
                       const char *province, const char *const json_by_level[5],
                       struct error *err);
/* json_by_level[1..4]: the province's own measures, else the national ones;
 * NULL where none are loaded. */
int store_measures_get(struct store *st, const char *province, struct arena *a,
                       const char *json_by_level[5], struct error *err);

struct level_change {
	const char *code, *name;
	int before, after;            /* 0: none */
};
/* Public children of parent (NULL: provinces) whose level in force on `date`
 * differs from the one in force on `before_date`. */
int store_level_changes(struct store *st, const char *parent, const char *date,
                        const char *before_date, struct arena *a,
                        struct level_change **out, size_t *n, struct error *err);

#endif
