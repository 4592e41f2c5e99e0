/*
 * Citizen feedback (feedback.c): requests routed to the responsible unit,
 * their lifecycle, escalation and history.  Officials (ROLE_MASK_OFFICIALS)
 * whose scope holds the responsible unit, or the unit it was assigned to,
 * read and handle a request; the reporter follows it by its tracking token
 * (or, signed in, in their own list) without anyone's contact details.  The
 * reporter's name and phone are read only by store_feedback_get, audited
 * as "feedback.read".
 *
 * Strings and arrays returned live in the caller's arena `a`; what is
 * passed in is borrowed for the call.  The rules are domain/feedback.h's.
 */
#ifndef THC_STORE_FEEDBACK_H
#define THC_STORE_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;
struct feedback_rules;

#define FEEDBACK_LIST_MAX 500

struct feedback_event {
	int64_t at_ms;
	const char *action;            /* create, acknowledge, assign, answer, close, reject, escalate */
	const char *status;            /* after the event */
	const char *unit_code;         /* the unit it concerned (assigned to, escalated to) */
	const char *note;              /* the answer, the reason */
};

struct feedback_item {
	int64_t id;
	const char *category;
	const char *description;
	const char *location_code;     /* a unit the caller may see */
	const char *address;           /* NULL: none */
	double lat, lon;
	int has_point;
	const char *reporter_name, *reporter_phone;  /* store_feedback_get only */
	const char *source;            /* "web" or "open311" */
	const char *unit_code;         /* responsible (routed) */
	const char *assigned_code;     /* NULL: not assigned */
	const char *holder_code;       /* who holds it now: unit_code, or above once escalated */
	int64_t escalations;
	const char *status;
	const char *deadline;          /* YYYY-MM-DD, for the responsible unit */
	const char *holder_deadline;   /* for the holder */
	const char *answer;
	int64_t answered_at_ms;        /* 0: not answered */
	const char *reject_reason;
	int64_t created_at_ms, updated_at_ms;
	struct feedback_event *events; /* store_feedback_get and _track: oldest first */
	size_t nevents;
	/* Where the point lies (domain/geoloc.h), as found on arrival: */
	const char *geo_district;      /* the district of the point; NULL: none found */
	const char *geo_flag;          /* NULL, "near_border", "outside" or "mismatch" (the
	                                * place chosen lies outside the point's district) */
	int64_t geo_border_m;          /* metres to the nearest other unit; -1: unknown */
	int64_t photos;                /* how many photos it has */
	const char *category_name;     /* a province's own category's name; NULL national */
	const char *department;        /* the department answering for it; NULL: none named */
};

/* A new request: category, description, location_code, optional address,
 * point and contact; source "web" or "open311".  The location must be a
 * unit the actor may see (a NULL actor: a province, district or commune).
 * The request goes to the unit the category names (feedback_route) with
 * the deadline computed from `today`; the actor, when signed in, is its
 * reporter.  token_hash identifies it for tracking.  Fills in id,
 * unit_code, holder_code, status, deadline and department (the category's
 * at the level of the responsible unit).  A retired provincial category
 * takes no new request (THC_EUNPROCESSABLE naming category). */
int store_feedback_create(struct store *st, const struct store_actor *actor,
                          const struct feedback_rules *rules, int32_t today,
                          const char *token_hash, struct feedback_item *f, struct arena *a,
                          struct error *err);

/* The order of the officials' list: by id (the default), by deadline, by
 * time received or last changed; ties by id in the same direction. */
enum feedback_sort {
	FEEDBACK_SORT_ID,
	FEEDBACK_SORT_DUE,
	FEEDBACK_SORT_CREATED,
	FEEDBACK_SORT_UPDATED,
	FEEDBACK_SORT_COUNT
};

struct feedback_query {
	const char *unit;              /* responsible, assigned or holding unit in this subtree; NULL: all in scope */
	const char *status;            /* NULL: any */
	const char *category;          /* NULL: any */
	const char *department;        /* NULL: any */
	enum feedback_sort sort;
	int desc;                      /* 1: descending */
	/* The cursor (keyset): the last row's id and sort key (after_due for
	 * FEEDBACK_SORT_DUE, after_ms for created/updated); none when after is 0. */
	const char *after_due;
	int64_t after_ms;
	int overdue;                   /* 1: open and past the deadline on `today` */
	int escalated;                 /* 1: escalated at least once */
	const char *geo_flag;          /* "any": flagged for an operator, or one flag; NULL: all */
	int64_t after;                 /* the cursor's id (by id: ids past this one) */
	int64_t limit;                 /* 1..FEEDBACK_LIST_MAX */
	int32_t today;
};
/* Requests in the actor's scope (officials), in the query's order; *next
 * is the id of the last row when there is a next page (its key is that
 * row's), else 0.  No contact details. */
int store_feedback_list(struct store *st, const struct store_actor *actor,
                        const struct feedback_query *q, struct arena *a,
                        struct feedback_item **out, size_t *n, int64_t *next,
                        struct error *err);
/* The actor's own requests (reporter), newest first, without contact. */
int store_feedback_mine(struct store *st, const struct store_actor *actor, struct arena *a,
                        struct feedback_item **out, size_t *n, struct error *err);
/* One request with its contact details and history, for officials in
 * scope; the read is audited ("feedback.read").  Out of scope: 404. */
int store_feedback_get(struct store *st, const struct store_actor *actor, int64_t id,
                       struct arena *a, struct feedback_item *out, struct error *err);
/* One request by its tracking token's hash, with its history; no contact. */
int store_feedback_track(struct store *st, const char *token_hash, struct arena *a,
                         struct feedback_item *out, struct error *err);

/* What an official does (domain/feedback.h's enum feedback_action): unit
 * for assign (a unit below the responsible one), text for answer (the
 * answer) and reject (the reason; both required), close takes none. */
int store_feedback_act(struct store *st, const struct store_actor *actor, int64_t id,
                       int action, const char *unit, const char *text, struct error *err);

/* Reassigns an open request that reached the wrong unit or department (a
 * place across a border, a category handled elsewhere) to another
 * province, district or commune, anywhere, and/or another department,
 * with a reason (feedback_reassign.c): it is new there, its deadline kept;
 * without a department it takes the category's at the new unit's level;
 * without a unit it stays with its unit.  History row "reassign", audit
 * "feedback.reassign" (unit and department before and after).  The actor
 * must be entitled to the request (404 otherwise); THC_ECONFLICT when not
 * open, THC_EUNPROCESSABLE naming unit_code, department or reason. */
int store_feedback_reassign(struct store *st, const struct store_actor *actor,
                            const struct feedback_rules *rules, int64_t id, const char *unit,
                            const char *department, const char *reason, struct error *err);

/* The reporter reopens the request with this tracking token hash, within
 * FEEDBACK_REOPEN_DAYS of its answer (domain/feedback.h), giving a reason:
 * in progress again with the holder given the category's days from
 * `today`; history row "reopen", audit "feedback.reopen".  *id gets the
 * request's id.  THC_ENOTFOUND, THC_ECONFLICT (not answered, too late),
 * THC_EUNPROCESSABLE (no reason). */
int store_feedback_reopen(struct store *st, const struct store_actor *actor,
                          const struct feedback_rules *rules, int32_t today,
                          const char *token_hash, const char *reason, int64_t *id,
                          struct error *err);

/* Escalates every open request whose holder's deadline is before `today`
 * to the parent of its holder (up to the province), giving the new holder
 * the category's days from `today`; one transaction and audit row
 * ("feedback.escalate") each.  *count gets how many escalated. */
int store_feedback_escalate(struct store *st, const struct store_actor *actor,
                            const struct feedback_rules *rules, int32_t today, size_t *count,
                            struct error *err);

/* Leaves a notice in the inbox of the holder of every open request whose
 * reminder is due `today` (feedback_reminder_due: a working day before the
 * holder's deadline), once per holder deadline (a new holder or a new
 * deadline is reminded again); one transaction and audit row
 * ("feedback.remind") each.  *count gets how many were left. */
int store_feedback_remind(struct store *st, const struct store_actor *actor,
                          const struct feedback_rules *rules, int32_t today, size_t *count,
                          struct error *err);

#endif
