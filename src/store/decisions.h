/*
 * Reward and discipline decisions (decisions.c): who (a person's name
 * and/or a unit), the kind, the form ("Bằng khen", "Khiển trách"), the
 * decision's number, reason and date, the issuing unit, optionally the
 * inspection it follows.  Officials whose grant holds the issuing unit
 * record and read them; the public list carries only the decisions marked
 * public, and of them only the name, the unit, the decision, the reason and
 * the date.  Strings returned live in the arena `a`.
 */
#ifndef THC_STORE_DECISIONS_H
#define THC_STORE_DECISIONS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

#define DECISION_LIST_MAX 500

struct decision {
	int64_t id;
	const char *kind;               /* "reward" or "discipline" */
	const char *form, *number, *person_name, *unit_code, *unit_name, *reason, *decided_on;
	const char *issuer_code;
	int64_t inspection_id;          /* 0: none */
	int is_public;
	int64_t created_at_ms;
};

/* A new decision: the actor's scope holds the issuer; the unit concerned,
 * if any, lies in the issuer's subtree; the inspection, if any, is one the
 * actor may read.  Fills in id. */
int store_decision_create(struct store *st, const struct store_actor *actor,
                          struct decision *d, struct error *err);
/* Decisions issued in the actor's scope, newest first; unit: issued in
 * that subtree (NULL: all).  They name people: the read is audited
 * ("decision.list"). */
int store_decision_list(struct store *st, const struct store_actor *actor, const char *unit,
                        struct arena *a, struct decision **out, size_t *n, struct error *err);
/* Public decisions, newest first (unit: issued in that subtree, NULL all);
 * only person_name, unit_name, kind, form, number, reason and decided_on
 * are filled in. */
int store_decision_public(struct store *st, const char *unit, struct arena *a,
                          struct decision **out, size_t *n, struct error *err);

#endif
