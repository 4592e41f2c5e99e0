/*
 * Directives and their tasks down the unit hierarchy (Quảng Ninh's
 * Conclusion 20 / Directive 18 study: districts before 30/10, the
 * affiliated party committees before 10/11, the branches on 3/11), and the
 * key tasks a unit registers for a period (Hàm Thuận Bắc).
 *
 * Pure: no I/O, no clock.  Days count from 1970-01-01 (base/vntime.h) in
 * Asia/Ho_Chi_Minh.  A deadline is a day: the task must be done by the end
 * of it, so it is overdue from the day after.  As of a day, a task is done
 * when it was reported done on or before that day.
 */
#ifndef THC_DIRECTIVE_H
#define THC_DIRECTIVE_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

#define DIRECTIVE_TASKS_MAX 50        /* tasks in one directive */
#define DIRECTIVE_UNITS_MAX 2000      /* units one task is assigned to */
#define DIRECTIVE_ITEMS_MAX 20000     /* (task, unit) rows one progress read holds */
#define DIRECTIVE_NUMBER_MAX 60
#define DIRECTIVE_TITLE_MAX 500
#define DIRECTIVE_TEXT_MAX 4000       /* a summary, a note, a message */
#define DIRECTIVE_EVIDENCE_MAX 1000   /* a reference or a link to the evidence */
#define DIRECTIVE_DAY_NONE INT32_MIN  /* no day (not done) */

enum directive_status {
	DIRECTIVE_OPEN,
	DIRECTIVE_DONE,
	DIRECTIVE_OVERDUE,
};

/* The status as of `asof`: done if done_on <= asof, else overdue after the
 * deadline, else open.  done_on DIRECTIVE_DAY_NONE: not done. */
enum directive_status directive_status(int32_t deadline, int32_t done_on, int32_t asof);
const char *directive_status_name(enum directive_status s);   /* "open" ... */
/* Done by the end of the deadline? (done_on set) */
int directive_on_time(int32_t deadline, int32_t done_on);

/* A delegated deadline comes before the delegating unit's own, so that it
 * has time to gather the results: 0, or THC_EUNPROCESSABLE on `deadline`. */
int directive_delegate_check(int32_t own_deadline, int32_t deadline, struct error *err);
/* A task's deadline may not precede the directive's date: 0 or 422 on `field`. */
int directive_deadline_check(int32_t issued_on, int32_t deadline, const char *field,
                             struct error *err);

/* One (task, unit) row of a directive's progress, and its roll-up: the
 * rows delegated below it, at any depth. */
struct directive_item {
	int64_t task_id;
	int64_t parent_task_id;       /* the task it was delegated from; 0 none */
	const char *issuer_code;      /* who assigned it: the directive's issuer, or the delegating unit */
	const char *unit_code;
	int32_t deadline, done_on;
	enum directive_status status;
	int below_total, below_done, below_overdue;
};
/* Sets status as of asof and the roll-up counts of every item. */
void directive_rollup(struct directive_item *items, size_t n, int32_t asof);

/* A replaced directive (one that another says it replaces): its unfinished
 * tasks are no longer overdue, since the replacing directive carries the
 * work; they stay open, and no reminder goes out for them. */
enum directive_status directive_superseded(enum directive_status s);
/* The same over rows already rolled up: overdue -> open, none below overdue. */
void directive_supersede(struct directive_item *items, size_t n);

/* Key tasks: the period a unit commits to. */
enum keytask_period { KEYTASK_MONTH, KEYTASK_QUARTER, KEYTASK_YEAR };
/* "2021-10" (month), "2021-Q4" (quarter) or "2021" (year): its kind and
 * first and last days; THC_EUNPROCESSABLE on `period` otherwise. */
int directive_period_parse(const char *period, enum keytask_period *kind, int32_t *first,
                           int32_t *last, struct error *err);
const char *directive_period_kind_name(enum keytask_period k);  /* "month" ... */

#define KEYTASK_RATINGS(X) \
	X(EXCEEDED, "exceeded", "vượt chỉ tiêu",      "exceeded") \
	X(MET,      "met",      "đạt chỉ tiêu",       "met") \
	X(NOT_MET,  "not_met",  "không đạt chỉ tiêu", "not met")
/* The rating the figures suggest: progress against target (target > 0). */
const char *directive_keytask_suggest(double target, double progress);

#endif
