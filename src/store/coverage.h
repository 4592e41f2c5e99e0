/*
 * Vaccination coverage per age group and treatment capacity, per unit and
 * week (coverage.c), and the level-rule inputs derived from them.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 * store_level_inputs_from_coverage writes into the caller's struct only.
 */
#ifndef THC_STORE_COVERAGE_H
#define THC_STORE_COVERAGE_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;
struct level_indicators;           /* store/levels.h */

#define COVERAGE_ROWS_MAX 20000
/* One age group of a unit-week; numbers < 0 are missing (booster only). */
struct vaccination_row {
	const char *unit_code, *week_end;
	const char *age_group;             /* "18+", "50+", "65+", "high_risk", "all" */
	int64_t population, dose1, full_dose, booster;
	long line;                         /* import line; 0: none */
};
struct capacity_row {
	const char *unit_code, *week_end;
	int capacity_met;                  /* 0/1; -1 missing */
	const char *capacity;              /* high|medium|low; NULL missing */
	int64_t beds_free, icu_beds_free, mobile_teams;   /* -1 missing */
	int oxygen_ready;                  /* 0/1; -1 missing */
	int64_t updated_at_ms;             /* reads */
	const char *updated_by;            /* reads */
	long line;
};
/* Officials and health workers in scope.  Checks full_dose <= dose1 <=
 * population and booster <= full_dose, naming group and field (and line).
 * replace_week: the rows are all of their unit-week (other groups go).
 * All or nothing. */
int store_vaccination_put(struct store *st, const struct store_actor *actor,
                          const struct vaccination_row *rows, size_t n,
                          int replace_week, struct error *err);
/* Groups of a unit-week (unit visible to the actor), ordered by group. */
int store_vaccination_get(struct store *st, const struct store_actor *actor,
                          const char *unit_code, const char *week_end,
                          struct arena *a, struct vaccination_row **out,
                          size_t *n, struct error *err);
int store_capacity_put(struct store *st, const struct store_actor *actor,
                       const struct capacity_row *rows, size_t n, struct error *err);
/* THC_ENOTFOUND when nothing is stored for the unit-week. */
int store_capacity_get(struct store *st, const struct store_actor *actor,
                       const char *unit_code, const char *week_end, struct arena *a,
                       struct capacity_row *out, struct error *err);
/* Fills the level-rule inputs these tables know for a unit-week (vaccination
 * percentages 0..100, capacity_met, capacity), leaving the other fields of
 * *io alone; a group without data leaves its field as it was.  No scope
 * (system use, e.g. assessment). */
int store_level_inputs_from_coverage(struct store *st, const char *unit_code,
                                     const char *week_end, struct level_indicators *io,
                                     struct error *err);

#endif
