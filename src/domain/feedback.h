/*
 * Citizen feedback (phản ánh, kiến nghị): the categories and their answer
 * periods, working days, routing to the responsible unit, the status
 * lifecycle and escalation.  The categories and the holidays are data
 * (data/feedback.json): categories [{code, name{vi,en}, days, level,
 * department{province,district,commune}, status}] and holidays [{from, to,
 * name, status}].
 *
 * Pure: no I/O, no clock.  Days count from 1970-01-01 (base/vntime.h) in
 * Asia/Ho_Chi_Minh.  A deadline is a day: the request must be answered by
 * the end of it.  It is the `days`-th working day after the day of receipt
 * (the day of receipt does not count); working days skip Saturdays,
 * Sundays and the holidays of the file.
 *
 * Lifecycle:  new -> acknowledged -> in_progress -> answered -> closed,
 * and new | acknowledged | in_progress -> rejected (with a reason); an open
 * request reassigned to another responsible unit (misrouted) is new again
 * there, its deadline unchanged (the reporter's wait does not restart).
 * An open request (new, acknowledged, in_progress) whose deadline has
 * passed is overdue, and escalates to the parent of the unit that holds it,
 * up to the province; each escalation gives the new holder the category's
 * days again.
 *
 * Ownership: feedback_rules_parse() returns rules the caller frees with
 * feedback_rules_free(); categories and their strings are borrowed from them.
 */
#ifndef THC_FEEDBACK_H
#define THC_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

#define FEEDBACK_CATEGORIES_MAX 64
#define FEEDBACK_HOLIDAYS_MAX 512
#define FEEDBACK_DAYS_MAX 60
#define FEEDBACK_CODE_MAX 32          /* bytes of a category code, NUL included */
#define FEEDBACK_RULES_MAX_BYTES (256 * 1024)
#define FEEDBACK_DESCRIPTION_MAX 4000 /* bytes; Open311's limit in characters */
#define FEEDBACK_TEXT_MAX 2000        /* an answer, a reason */
#define FEEDBACK_ADDRESS_MAX 300
#define FEEDBACK_NAME_MAX 200
#define FEEDBACK_PHONE_MAX 20

#define FEEDBACK_STATUS_LIST(X) \
	X(NEW,          "new",          "mới tiếp nhận",   "new") \
	X(ACKNOWLEDGED, "acknowledged", "đã xác nhận",     "acknowledged") \
	X(IN_PROGRESS,  "in_progress",  "đang xử lý",      "in progress") \
	X(ANSWERED,     "answered",     "đã trả lời",      "answered") \
	X(CLOSED,       "closed",       "đã đóng",         "closed") \
	X(REJECTED,     "rejected",     "từ chối",         "rejected")

enum feedback_status {
#define X(id, name, vi, en) FEEDBACK_##id,
	FEEDBACK_STATUS_LIST(X)
#undef X
	FEEDBACK_STATUS_COUNT
};

/* What an official does to a request. */
enum feedback_action {
	FEEDBACK_ACKNOWLEDGE,
	FEEDBACK_ASSIGN,      /* to a unit below the responsible one */
	FEEDBACK_ANSWER,
	FEEDBACK_CLOSE,
	FEEDBACK_REJECT,
	FEEDBACK_REASSIGN,    /* to another responsible unit, with a reason: back to new */
};

/* Levels a category may be handled at (domain/unit.h's names). */
enum feedback_level {
	FEEDBACK_LEVEL_PROVINCE = 1,
	FEEDBACK_LEVEL_DISTRICT = 2,
	FEEDBACK_LEVEL_COMMUNE = 3,
};

#define FEEDBACK_DEPARTMENT_MAX 200    /* bytes of a department's name, NUL included */

struct feedback_category {
	const char *code;
	const char *name_vi, *name_en;
	int days;                         /* working days to answer, 1..FEEDBACK_DAYS_MAX */
	enum feedback_level level;
	int assumption;
	/* The department that answers for it in a unit of each level
	 * (index enum feedback_level; [0] unused); NULL: none named. */
	const char *department[4];
};

struct feedback_rules;

/* Parses the rules file text; 0 or THC_EUNPROCESSABLE naming the entry and field. */
int feedback_rules_parse(const char *json, size_t len, struct feedback_rules **out,
                         struct error *err);
void feedback_rules_free(struct feedback_rules *r);

/* The category with this code, or NULL. */
const struct feedback_category *feedback_category(const struct feedback_rules *r,
                                                  const char *code);
/* The department answering for category c in the unit whose materialized
 * path is unit_path (its level: the number of segments; a hamlet's is its
 * commune's), or NULL when the category names none. */
const char *feedback_department(const struct feedback_category *c, const char *unit_path);

/* The i-th category (file order), or NULL past the end. */
const struct feedback_category *feedback_category_at(const struct feedback_rules *r, size_t i);

/* A category code as the rules file allows it (1..FEEDBACK_CODE_MAX - 1
 * lower-case letters, digits, '_'): 0, or THC_EUNPROCESSABLE naming field
 * (a field check of api/field.h). */
int feedback_code_check(const char *field, const char *v, struct error *err);

/* 1 when the day is a working day (not a weekend nor a holiday of the file). */
int feedback_working_day(const struct feedback_rules *r, int32_t day);
/* The `days`-th working day after `from`. */
int32_t feedback_deadline(const struct feedback_rules *r, int32_t from, int days);

const char *feedback_status_name(enum feedback_status s);
/* Vietnamese or English title of a status (lang "en" or anything else). */
const char *feedback_status_title(enum feedback_status s, const char *lang);
/* The status with this name, or -1. */
int feedback_status_from_name(const char *name);
/* new, acknowledged or in_progress. */
int feedback_status_open(enum feedback_status s);

/* The status after `action` on a request in `from`; 0, or THC_ECONFLICT
 * saying which statuses allow it. */
int feedback_transition(enum feedback_status from, enum feedback_action action,
                        enum feedback_status *to, struct error *err);

/*
 * Routing: the responsible unit for a place.  path is the materialized path
 * of the place ("/01/001/00001/00001-001/"); out gets the code of its
 * ancestor at the category's level, or the place itself when the place is
 * above that level (a request about a whole district stays with the
 * district).  0, or THC_EUNPROCESSABLE for a path of no province.
 */
int feedback_route(const char *path, enum feedback_level level, char *out, size_t outsz,
                   struct error *err);
/*
 * Escalation: the unit above `holder_path` (a province has none: 0 is
 * returned and out is ""), and 1 with its code in out.  Due when the
 * request is open and `today` is past `deadline`.
 */
int feedback_escalation_target(const char *holder_path, char *out, size_t outsz);
int feedback_escalation_due(enum feedback_status s, int32_t deadline, int32_t today);

/*
 * Reminder to the holder: due when the request is open, its holder's
 * deadline not yet past, and `today` is the working day before it or
 * later (so a run missed on that day reminds on the deadline day itself).
 */
int feedback_reminder_due(const struct feedback_rules *r, enum feedback_status s,
                          int32_t deadline, int32_t today);

/*
 * Reopening by the reporter: an answered or closed request may be reopened
 * until FEEDBACK_REOPEN_DAYS calendar days after the day it was answered
 * (a reporter who reads the answer a week later still can); a rejected one
 * may not (the reason was given; a new request is the way).  0, or
 * THC_ECONFLICT saying why.  A reopened request is in progress again with
 * the holder given the category's days from `today`.
 */
#define FEEDBACK_REOPEN_DAYS 7
int feedback_reopen_allowed(enum feedback_status s, int32_t answered_day, int32_t today,
                            struct error *err);

#endif
