/*
 * Citizen feedback at a glance (feedback_stats.c): per unit directly below
 * a unit, how many requests it handles (routed there or assigned below it),
 * open, overdue and answered, the median time to answer and the unit's
 * population; and the same for the requests the unit handles itself, and
 * per department.
 * Officials whose scope holds the unit; counts only, no request.
 */
#ifndef THC_STORE_FEEDBACK_STATS_H
#define THC_STORE_FEEDBACK_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

struct feedback_stat {
	const char *code, *name;
	int64_t population;            /* -1: not known */
	int64_t total, open, overdue, escalated, answered;
	int64_t median_ms;             /* created to answered; -1: none answered */
};

/* out[0] is the unit itself (the requests it handles at its own level),
 * then each unit directly below, by code, zeros included; depts the same
 * requests (the unit's and below) per department (code and name the
 * department's name, "" for none named; population -1), by name.  `today`
 * decides what is overdue (open, deadline before it).  Out of scope:
 * THC_ENOTFOUND. */
int store_feedback_stats(struct store *st, const struct store_actor *actor, const char *unit,
                         int32_t today, struct arena *a, struct feedback_stat **out,
                         size_t *n, struct feedback_stat **depts, size_t *ndepts,
                         struct error *err);

#endif
