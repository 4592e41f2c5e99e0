/*
 * Case statistics (case_stats.c): weekly aggregates per unit (public, no
 * personal data), the last case per hamlet, and the published daily counts
 * per province.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 */
#ifndef THC_STORE_CASE_STATS_H
#define THC_STORE_CASE_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

/* Aggregates per ISO week (Monday..Sunday, week_end the Sunday). */
struct case_week {
	const char *week_end;
	const char *commune_code;     /* store_cases_weekly_communes only */
	int64_t cases, community, quarantine, imported, oxygen, deaths;
};
/* Weeks of a unit (a commune or any unit above it) with week_end in
 * [from_week, to_week], only weeks with figures, ascending.  Public: no
 * personal data.  A province (and the country) also counts the published
 * daily figures of days on which it has no individual case. */
int store_cases_weekly(struct store *st, const char *code, const char *from_week,
                       const char *to_week, struct arena *a, struct case_week **out,
                       size_t *n, int64_t *population, struct error *err);
/* A commune's, district's or province's level (enum unit_level) and
 * population (its own, else the sum of its communes'; -1: none): 1 found,
 * 0 not (nor any other level). */
int store_unit_stats(struct store *st, const char *code, int *level, int64_t *population,
                     struct error *err);
/* Every commune's weeks in one query (commune, week ascending); rows are
 * counted, and given to fn when not NULL. */
int store_cases_weekly_communes(struct store *st, const char *from_week,
                                const char *to_week,
                                void (*fn)(void *ctx, const struct case_week *w),
                                void *ctx, size_t *rows, struct error *err);

/* ---- the units below a province or district for one week (public) ---- */
struct child_week {
	const char *code, *name, *level;
	int64_t population;             /* own, else its communes'; -1: unknown */
	int64_t cases, community;       /* the week ending week_end */
	int64_t prev_cases, prev_community;   /* the week before */
	const char *last_assessed;      /* week_end of its latest assessment up to week_end; NULL: none */
	const char *last_decided;       /* effective_from of its latest decided level up to week_end; NULL */
};
/* Every district of a province, or commune of a district, in code order,
 * with the individual cases of its communes in the week ending week_end
 * (a Sunday, YYYY-MM-DD) and the week before (prev_week).  Public: counts
 * only.  THC_ENOTFOUND for an unknown unit, THC_EINVAL for another level. */
int store_children_week(struct store *st, const char *code, const char *week_end,
                        const char *prev_week, struct arena *a, struct child_week **out,
                        size_t *n, struct error *err);

struct hamlet_f0 {
	const char *code, *name;
	const char *last_case_on;     /* NULL: never */
};
/* Hamlets of a commune visible to the actor (officials, health workers and
 * team members in scope) with the day of their last case up to `date`. */
int store_hamlets_last_case(struct store *st, const struct store_actor *actor,
                            const char *commune, const char *date, struct arena *a,
                            struct hamlet_f0 **out, size_t *n, struct error *err);

/* Published daily counts per province (date,province_code,new_cases,community_cases). */
struct daily_cases_row {
	const char *day, *province_code;
	int64_t new_cases, community_cases;   /* community -1: unknown */
	long line;
};
int store_daily_cases_import(struct store *st, const struct store_actor *actor,
                             const struct daily_cases_row *rows, size_t n,
                             size_t *stored, struct error *err);

#endif
