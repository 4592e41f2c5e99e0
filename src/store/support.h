/*
 * Support to people in hardship (support.c, support_read.c): applications
 * entered in scope, their approval chain (commune → district → province,
 * domain/support.h) with working-day deadlines, objections and complaints,
 * payments and their reconciliation, the public posting (names and amounts
 * only), totals and the no-one-left-behind report.
 *
 * Scope: officials (ROLE_MASK_OFFICIALS) whose grant holds the
 * application's unit read and enter it; a step is decided by an official
 * whose grant holds the step's unit (the commune, district or province
 * above the application); a payment by one whose grant holds the commune.
 * Reads that show ID numbers or addresses are audited ("support.read",
 * "support.list"), as is every change.
 *
 * Duplicates: the same ID number in the same programme, or in one that
 * excludes it, anywhere in the country.  A duplicate outside the reader's
 * scope is counted, never shown (as person_links keep the other
 * province's record out of sight).
 *
 * Strings and arrays returned live in the caller's arena `a`.
 */
#ifndef THC_STORE_SUPPORT_H
#define THC_STORE_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;
struct feedback_rules;
struct support_programme;

#define SUPPORT_LIST_MAX 2000
#define SUPPORT_PAGE_DEFAULT 200
#define SUPPORT_TEXT_MAX 2000
#define SUPPORT_NAME_MAX 200
#define SUPPORT_IDN_MAX 20
#define SUPPORT_ADDRESS_MAX 300
#define SUPPORT_HISTORY_MAX 200   /* history entries of one application */
/* The programme a household business stopped by an order applies for
 * (policy 11): the no-one-left-behind report looks for its payment. */
#define SUPPORT_HOUSEHOLD_PROGRAMME "nq68-household"

struct support_event {
	int64_t at_ms;
	const char *action;            /* create, approve, reject, objection, complaint, payment */
	int64_t step;
	const char *level;
	const char *on_day, *deadline; /* deadline NULL: none */
	int late;
	const char *note;
	const char *actor;
};

struct support_duplicate {
	int64_t id;
	const char *programme, *unit_code, *status;
};

struct support_app {
	int64_t id;
	const char *programme, *kind;
	const char *unit_code, *commune_code;
	const char *full_name, *id_number, *address;  /* id_number, address: NULL if none */
	int64_t person_id;             /* 0: none */
	const char *facts;             /* the facts as JSON text */
	int64_t amount;
	const char *source;            /* commune, citizen, employer */
	const char *employer;
	const char *received_on;
	const char *status;            /* pending, approved, rejected, paid */
	int64_t step;                  /* the pending step (0-based) */
	const char *step_started_on, *step_deadline;
	const char *posted_from, *posted_until;
	const char *reject_reason;
	int64_t paid_amount;
	int64_t created_at_ms;
	int verified;                  /* 0: sent by the citizen, not yet verified */
	/* written only */
	const char *tracking_hash;     /* a citizen's: the hash of the tracking code */
	int unverified;                /* 1: enter as not yet verified */
	/* store_support_get only */
	struct support_event *events;
	size_t nevents;
	struct support_duplicate *dups;   /* in the reader's scope */
	size_t ndups;
	int64_t dups_elsewhere;           /* outside it: counted only */
};

/* A new application (amount already assessed): programme p, unit_code a
 * commune or below in the actor's scope (and in p's province, if any).
 * Fills in id, commune_code, status, step and its deadline. */
int store_support_create(struct store *st, const struct store_actor *actor,
                         const struct feedback_rules *cal, const struct support_programme *p,
                         struct support_app *app, struct arena *a, struct error *err);

/* A citizen's own application (store_support_create without a scope: the
 * unit must exist, a commune or below), entered unverified into its
 * commune's queue, with app->tracking_hash set. */
int store_support_submit(struct store *st, const struct store_actor *actor,
                         const struct feedback_rules *cal, const struct support_programme *p,
                         struct support_app *app, struct arena *a, struct error *err);

/* The same for n applications (p[i] the programme of apps[i]) in one
 * transaction: all or none; an error names lines[i]. */
int store_support_create_many(struct store *st, const struct store_actor *actor,
                              const struct feedback_rules *cal,
                              const struct support_programme *const *p, struct support_app *apps,
                              const long *lines, size_t n, struct arena *a, struct error *err);

/* An employer's list of its workers (the caller has checked that the
 * actor may act for the business): as store_support_create_many, without
 * a scope over the workers' units, every row unverified for its commune. */
int store_support_employer_submit(struct store *st, const struct store_actor *actor,
                                  const struct feedback_rules *cal,
                                  const struct support_programme *const *p,
                                  struct support_app *apps, const long *lines, size_t n,
                                  struct arena *a, struct error *err);

struct support_query {
	const char *unit;              /* subtree; NULL: all in scope */
	const char *programme;         /* NULL: any */
	const char *status;            /* NULL: any */
	int unverified;                /* 1: only citizens' own, not yet verified */
	int64_t after;                 /* ids above this one (the cursor) */
	int64_t limit;                 /* 1..SUPPORT_LIST_MAX */
};
/* Applications in scope, by id, with ID numbers and addresses (audited);
 * *next is the cursor of the next page, 0 when this one is the last. */
int store_support_list(struct store *st, const struct store_actor *actor,
                       const struct support_query *q, struct arena *a,
                       struct support_app **out, size_t *n, int64_t *next,
                       struct error *err);
/* One application with history and duplicates; excl: the programmes that
 * exclude it ("a,b", domain support_exclusive_list). */
int store_support_get(struct store *st, const struct store_actor *actor, int64_t id,
                      const char *excl, struct arena *a, struct support_app *out,
                      struct error *err);

/* The programme of an application the actor may read (for the caller's
 * rules); THC_ENOTFOUND otherwise. */
int store_support_programme_of(struct store *st, const struct store_actor *actor, int64_t id,
                               char *out, size_t outsz, struct error *err);

enum support_decision { SUPPORT_APPROVE, SUPPORT_REJECT };
struct support_decide {
	enum support_decision what;
	const char *on_day;            /* YYYY-MM-DD the decision was made */
	const char *note;              /* reject: the reason (required) */
	const char *duplicate_note;    /* approve with duplicates: why (required then) */
	const char *excl;              /* as for store_support_get */
};
/* Decides the pending step; late when on_day is after its deadline. */
int store_support_decide(struct store *st, const struct store_actor *actor,
                         const struct feedback_rules *cal, const struct support_programme *p,
                         int64_t id, const struct support_decide *d, struct error *err);

/* An objection (during the posting) or a complaint (against a decision). */
int store_support_note(struct store *st, const struct store_actor *actor, int64_t id,
                       const char *kind, const char *text, const char *on_day,
                       struct error *err);

struct support_payment {
	const char *method;            /* cash, bank, post */
	int64_t amount;
	const char *paid_on, *reference;
};
/* Records a payment of an approved application: never beyond its amount;
 * paid in full, it becomes "paid". */
int store_support_pay(struct store *st, const struct store_actor *actor, int64_t id,
                      const struct support_payment *pay, struct error *err);

struct support_posted {
	int64_t line;                  /* the application's id: what an objection names */
	const char *full_name;
	int64_t amount;
	const char *status;
};
/* The public posting of a commune and programme on `today`: names and
 * amounts of the applications whose posting is open.  Not a commune: 404. */
int store_support_postings(struct store *st, const char *commune, const char *programme,
                           const char *today, struct arena *a, struct support_posted **out,
                           size_t *n, int *truncated, struct error *err);

struct support_total {
	const char *programme;
	int64_t applications, pending, rejected;
	int64_t approved, approved_amount;     /* approved or paid */
	int64_t paid;                          /* paid in full */
	int64_t paid_amount;                   /* the sum of the payments recorded */
	int64_t unpaid_amount;                 /* approved, less their payments */
};
/* Totals per programme for the unit's subtree (officials in scope); the
 * amounts paid are summed from the payments themselves. */
int store_support_totals(struct store *st, const struct store_actor *actor, const char *unit,
                         struct arena *a, struct support_total **out, size_t *n,
                         struct error *err);

struct support_left {
	const char *kind;              /* person, household, business */
	const char *reason;            /* f0, f1, zone, stopped (a household business
	                                * stopped by an order) */
	int64_t person_id;             /* person */
	const char *unit_code;         /* where they live */
	const char *name;
};
/* People (F0 or F1 under an isolation order), households (in a zone) and
 * household businesses stopped by an order, of a commune, with no support
 * paid yet; audited ("support.left_behind").  *truncated: more than
 * SUPPORT_LEFT_MAX rows exist. */
#define SUPPORT_LEFT_MAX 5000
int store_support_left_behind(struct store *st, const struct store_actor *actor,
                              const char *commune, struct arena *a, struct support_left **out,
                              size_t *n, int *truncated, struct error *err);

/* ---- what the public sends (support_public.c) ---- */

struct support_tracked {
	const char *programme, *status, *step_deadline, *received_on;
	int64_t step, amount;
	int verified, rejected;
};
/* A citizen's application by the hash of its tracking code: its status
 * only (no name, number, address or unit); THC_ENOTFOUND otherwise. */
int store_support_track(struct store *st, const char *hash, struct arena *a,
                        struct support_tracked *out, struct error *err);

/* The commune (an official holding it) verifies a citizen's application:
 * only a pending, unverified one (409 otherwise); audited. */
int store_support_verify(struct store *st, const struct store_actor *actor, int64_t id,
                         const char *note, struct error *err);

#define SUPPORT_OBJECTION_NAME_MAX 200
#define SUPPORT_OBJECTION_CONTACT_MAX 100
#define SUPPORT_OBJECTIONS_PAGE 200

struct support_objection {
	int64_t id;
	int64_t line;                  /* the application objected to */
	const char *name, *contact, *reason;   /* contact: NULL if none */
	const char *received_on;
	int64_t created_at_ms;
	const char *full_name, *programme;     /* the line, in the queue only */
};
/* Anyone's objection to a posted line on `today` (YYYY-MM-DD): kept for the
 * commune and in the line's history.  A line never posted: THC_ENOTFOUND;
 * the posting over (or the line refused): 409 saying until when it was
 * posted (`until` gets that day). */
int store_support_object(struct store *st, const struct store_actor *actor,
                         const struct support_objection *o, const char *today,
                         char until[11], struct error *err);
/* The objections of the unit's subtree (officials in scope), oldest first,
 * after the cursor; *next the next page's cursor or 0.  Audited. */
int store_support_objections(struct store *st, const struct store_actor *actor,
                             const char *unit, int64_t after, struct arena *a,
                             struct support_objection **out, size_t *n, int64_t *next,
                             struct error *err);

#endif
