/*
 * Directives and tasks down the hierarchy (directives.c: writes;
 * directive_read.c: progress, inboxes, the completion counts), reminders
 * to the overdue units' inboxes, and key tasks (keytasks.c).
 *
 * Scope: a directive is issued by an official whose scope holds the issuer
 * unit, to units strictly below it.  A task is reported and delegated only
 * by an official granted on the assigned unit itself.  The issuing chain
 * (scope over the issuer of a task) sees its progress; a unit sees only the
 * rows of its own subtree.  Out of scope reads as not found.
 *
 * Days are YYYY-MM-DD in Asia/Ho_Chi_Minh; `today` is days since 1970-01-01.
 * Strings and arrays returned live in the caller's arena `a`; what is
 * passed in is borrowed for the call only.
 */
#ifndef THC_STORE_DIRECTIVES_H
#define THC_STORE_DIRECTIVES_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "domain/directive.h"

struct store;
struct store_actor;

/* Who a task goes to: listed units, or every unit of `level` under
 * children_of.  `field` names the input in errors ("tasks[0].assignees"). */
struct directive_assignees {
	const char **units;
	size_t nunits;
	const char *children_of, *level;
	const char *field;
};

struct directive_task_in {
	const char *title, *deadline;
	struct directive_assignees who;
	int64_t id;                    /* out */
	size_t assigned;               /* out: how many units */
};

struct directive_in {
	const char *number, *issued_on, *issuer, *title, *summary;
	struct directive_task_in *tasks;
	size_t ntasks;
	int64_t id;                    /* out */
};

int store_directive_create(struct store *st, const struct store_actor *actor,
                           struct directive_in *d, struct error *err);

/* A completion report (done) or a progress note (not done) of unit_code on
 * task_id; done_on defaults to today.  THC_ECONFLICT when already done. */
struct task_report_in {
	int64_t task_id;
	const char *unit_code, *note, *evidence, *done_on;
	int done;
};
int store_task_report(struct store *st, const struct store_actor *actor,
                      const struct task_report_in *in, struct error *err);

/* unit_code passes task_id to units one level below it, with a deadline
 * before its own; once per task and unit.  *id: the new task. */
struct task_delegate_in {
	int64_t task_id;
	const char *unit_code, *title, *deadline;
	struct directive_assignees who;
	int64_t id;                    /* out */
	size_t assigned;               /* out */
};
int store_task_delegate(struct store *st, const struct store_actor *actor,
                        struct task_delegate_in *in, struct error *err);

/* One (task, unit) row as a reader sees it. */
struct directive_row {
	struct directive_item item;    /* status and roll-up as of the day asked */
	const char *task_title, *unit_name, *unit_level, *note, *evidence;
	int delegated;
};
struct directive_head {
	int64_t id;
	const char *number, *issued_on, *issuer_code, *issuer_name, *title, *summary;
};
/* The directive and the rows the caller may see, in task then unit order;
 * THC_ENOTFOUND when it sees none of it. */
int store_directive_progress(struct store *st, const struct store_actor *actor, int64_t id,
                             int32_t asof, struct arena *a, struct directive_head *head,
                             struct directive_row **rows, size_t *n, struct error *err);

/* Sends a reminder to every unit overdue as of `asof` on a task the caller
 * assigned (its scope holds the task's issuer); *units: their codes. */
int store_directive_remind(struct store *st, const struct store_actor *actor, int64_t id,
                           int32_t asof, const char *message, struct arena *a,
                           const char ***units, size_t *n, struct error *err);

/* A unit's inbox: its tasks (status as of asof) and the notices sent to it. */
struct inbox_task {
	int64_t directive_id, task_id;
	const char *number, *directive_title, *task_title, *issuer_code, *deadline, *done_on;
	enum directive_status status;
	int delegated;
};
struct inbox_notice {
	int64_t id, directive_id, task_id;
	const char *kind, *from_code, *message;
	int64_t at_ms;
};
#define INBOX_MAX 500
int store_unit_inbox(struct store *st, const struct store_actor *actor, const char *unit_code,
                     int32_t asof, struct arena *a, struct inbox_task **tasks, size_t *nt,
                     struct inbox_notice **notices, size_t *nn, struct error *err);

/*
 * For the units directly under parent_code, the tasks whose deadline lies
 * in [from, to] (YYYY-MM-DD): how many, how many done, how many done on
 * time.  Aggregates, read for the emulation indicators; no scope.
 */
struct task_completion {
	const char *unit_code;
	int64_t tasks, done, on_time;
};
int store_task_completion(struct store *st, const char *parent_code, const char *from,
                          const char *to, struct arena *a, struct task_completion **out,
                          size_t *n, struct error *err);

/* ---- key tasks (keytasks.c) ---- */
#define KEYTASK_LIST_MAX 500
struct keytask {
	int64_t id;
	const char *unit_code, *period, *period_kind, *period_end, *title, *measure;
	double target, progress;
	const char *progress_note, *rating, *review_note, *reviewed_by;
};
/* An official of the unit registers it; *id out. */
int store_keytask_create(struct store *st, const struct store_actor *actor,
                         struct keytask *k, struct error *err);
int store_keytask_list(struct store *st, const struct store_actor *actor, const char *unit_code,
                       const char *period, struct arena *a, struct keytask **out, size_t *n,
                       struct error *err);
/* An official of the unit updates the progress (not after the review). */
int store_keytask_progress(struct store *st, const struct store_actor *actor, int64_t id,
                           double progress, const char *note, struct error *err);
/* An official of the level above reviews it, once, from the last day of the period. */
int store_keytask_review(struct store *st, const struct store_actor *actor, int64_t id,
                         const char *rating, const char *note, int32_t today,
                         struct error *err);

#endif
