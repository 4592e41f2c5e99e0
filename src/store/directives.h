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
	int replaced;
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
	int delegated, replaced;
};
struct inbox_notice {
	int64_t id, directive_id, task_id;
	const char *kind, *from_code, *from_name, *message;
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

/* ---- links between directives (directive_links.c) ----
 * A directive implements (thực hiện) earlier ones and replaces (thay thế)
 * at most one; each is replaced by at most one.  Linked by the issuing
 * chain of the linking directive, to directives the caller may see and
 * issued on or before its own day; no self-link, no cycle (possible among
 * directives of the same day).  A replaced directive's unfinished tasks are no
 * longer overdue (nor reminded): the replacing one carries the work. */
#define DIRECTIVE_LINKS_MAX 20
struct directive_link_in {
	int64_t id;
	const int64_t *implements;
	size_t nimplements;
	int64_t replaces;              /* 0: none */
	size_t added;                  /* out: new links */
};
int store_directive_link(struct store *st, const struct store_actor *actor,
                         struct directive_link_in *in, struct error *err);

struct directive_ref {
	int64_t id;
	const char *number, *issued_on, *issuer_code, *issuer_name, *title;
};
/* Both directions, only the directives the caller may see. */
struct directive_links {
	struct directive_ref *implements, *implemented_by;
	size_t nimplements, nimplemented_by;
	struct directive_ref replaces, replaced_by;   /* id 0: none (or not visible) */
};
int store_directive_links(struct store *st, const struct store_actor *actor, int64_t id,
                          struct arena *a, struct directive_links *out, struct error *err);

/* The directives a unit issued, or received (a task row of the unit
 * itself), newest first, a page at a time (before: the id the next page
 * starts under, 0 for the first).  q: a piece of the number or title
 * (ASCII letters in any case); from/to: issued_on bounds.  Counts of the
 * rows as of `today`: the issuer's own tasks for "issued", the unit's
 * rows for "received". */
#define DIRECTIVE_PAGE_MAX 100
struct directive_list_q {
	const char *unit_code, *q, *from, *to;
	int received;
	int64_t before;
	size_t limit;
	int32_t today;
};
struct directive_summary {
	struct directive_ref ref;
	int64_t total, done, open, overdue;
	int replaced;
};
int store_directive_list(struct store *st, const struct store_actor *actor,
                         const struct directive_list_q *q, struct arena *a,
                         struct directive_summary **out, size_t *n, int64_t *next,
                         struct error *err);

/* 0 if the caller's scope holds the directive's issuer (the issuing chain,
 * which attaches, deletes and links); THC_EFORBIDDEN if it only sees the
 * directive; THC_ENOTFOUND if not even that.  *issuer: its code (or NULL). */
int store_directive_issuer_check(struct store *st, const struct store_actor *actor, int64_t id,
                                 char *issuer, size_t issuersz, struct error *err);

/* ---- attached files (directive_files.c) ----
 * Attached and deleted by the issuing chain; listed and downloaded by
 * whoever may see the directive.  Kind, size and count are checked by the
 * caller (domain/attachment.h) and again here: count under a lock on the
 * directive. */
struct directive_file {
	int64_t id, directive_id, size, created_at;
	const char *filename, *content_type, *created_by;
	char sha256[65];
};
int store_directive_file_add(struct store *st, const struct store_actor *actor,
                             struct directive_file *f, const unsigned char *data, size_t len,
                             struct error *err);
int store_directive_files(struct store *st, const struct store_actor *actor, int64_t id,
                          struct arena *a, struct directive_file **out, size_t *n,
                          struct error *err);
/* One file with its bytes (*data malloc'd, the caller's to free). */
int store_directive_file_get(struct store *st, const struct store_actor *actor, int64_t id,
                             int64_t file_id, struct arena *a, struct directive_file *f,
                             unsigned char **data, size_t *len, struct error *err);
int store_directive_file_delete(struct store *st, const struct store_actor *actor, int64_t id,
                                int64_t file_id, struct error *err);

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
