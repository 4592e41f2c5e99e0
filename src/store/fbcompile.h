/*
 * The monthly compilation of feedback (Bến Tre Plan 23): for a unit and a
 * month, the requests received in its subtree grouped by category, each
 * forwarded (once per month's compilation) to a department, whose answer
 * an official records.  Officials whose scope holds the unit; the
 * reporter's contact is never part of it.  Strings live in the arena.
 */
#ifndef THC_STORE_FBCOMPILE_H
#define THC_STORE_FBCOMPILE_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

#define FBCOMP_ROWS_MAX 5000

struct fbcomp_span {
	const char *unit;            /* the compiling unit */
	const char *month;           /* YYYY-MM */
	int64_t from_ms, to_ms;      /* the month in Asia/Ho_Chi_Minh, [from, to) */
};

struct fbcomp_row {
	int64_t feedback_id;
	const char *category, *category_name;   /* name: a province's own, else NULL */
	const char *description, *status, *unit_code;
	int64_t received_ms;
	int64_t forward_id;                      /* 0: not forwarded */
	const char *department, *due_on, *answer, *answered_by;
	int64_t forwarded_ms, answered_ms;       /* 0: none */
};

/* The month's requests in span->unit's subtree, by category then id;
 * THC_ENOTFOUND when the unit is outside the actor's scope. */
int store_fbcomp_rows(struct store *st, const struct store_actor *actor,
                      const struct fbcomp_span *span, struct arena *a, struct fbcomp_row **out,
                      size_t *n, struct error *err);
/* Forwards the month's requests of `category` not yet forwarded to
 * `department`, the answer due on `due_on` (YYYY-MM-DD); *count gets how
 * many (none: THC_ECONFLICT naming category).  Audit "feedback.forward". */
int store_fbcomp_forward(struct store *st, const struct store_actor *actor,
                         const struct fbcomp_span *span, const char *category,
                         const char *department, const char *due_on, int64_t *count,
                         struct error *err);
/* Records a department's answer to forward `id`, once (THC_ECONFLICT after);
 * its compiling unit must be in the actor's scope (404).  Audit
 * "feedback.forward.answer". */
int store_fbcomp_answer(struct store *st, const struct store_actor *actor, int64_t id,
                        const char *answer, const char *answered_by, struct error *err);

#endif
