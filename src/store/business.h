/*
 * Businesses (business.c): registration, safe-operation plans, workers on
 * site per day, 2194 self-assessments, and the cases among their workers.
 *
 * Who: officials (ROLE_MASK_OFFICIALS) whose scope holds the business's
 * commune; and the business account that registered it (owner_id), while
 * that account holds a `business` grant over the commune.  A business
 * account registers only in its grant's subtree and becomes the owner; it
 * never sees another business.  Linking a case to a business as its
 * workplace needs a role that reads cases (ROLE_MASK_PERSONAL) over both.
 * Out of scope reads as not found.  Each write is audited in its
 * transaction ("business.create", ".plan", ".on_site", ".assess",
 * ".case_link").
 *
 * Strings and arrays returned live in the caller's arena `a`.
 */
#ifndef THC_STORE_BUSINESS_H
#define THC_STORE_BUSINESS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "domain/business.h"

struct store;
struct store_actor;

#define BUSINESS_LIST_MAX 500
#define BUSINESS_EXPORT_MAX 5000
#define BUSINESS_DETAIL_MAX 50          /* plans, assessments, days shown with one business */

struct business_assessment {
	int64_t id;
	const char *assessed_on;         /* YYYY-MM-DD */
	int64_t scores[BUSINESS_CRITERIA];
	int index_tenths;
	const char *band;
	int64_t created_at_ms;
};

struct business_plan {
	int64_t id;
	const char *kind;                /* business_plan_kinds */
	const char *starts_on, *ends_on;
	int64_t workers_on_site, shifts;
	const char *lodging, *note;      /* NULL: none */
	int64_t created_at_ms;
};

struct business_day {
	const char *day;
	int64_t on_site;
};

struct business_inspection {
	int64_t id;
	const char *title, *status, *concluded_on;   /* concluded_on: NULL while planned */
};

struct business {
	int64_t id;
	const char *tax_code, *name, *sector, *unit_code, *address;
	int64_t workers;
	int owned;                       /* registered by a business account */
	int64_t created_at_ms;
	/* Read back, not written: */
	const char *unit_name;
	struct business_assessment latest; /* id 0: never assessed */
	int64_t cases;                   /* cases linked as workers that the reader may
	                                  * count (an official: in his scope) */
	int owner_view;                  /* read by its own account, not an official */
	/* Written and read: */
	int household;                   /* a household business (hộ kinh doanh) */
	const char *stop_order;          /* the order that stopped it; NULL: none */
	const char *stopped_from, *stopped_until;    /* until: NULL while it lasts */
	/* store_business_get only, newest first: */
	struct business_plan *plans;
	size_t nplans;
	struct business_assessment *assessments;
	size_t nassessments;
	struct business_day *days;
	size_t ndays;
	/* The inspections of its tax code the reader may see (an official: in
	 * his scope; its own account: the public ones), newest first. */
	struct business_inspection *inspections;
	size_t ninspections;
	/* The cases among its workers the reader may read (ROLE_MASK_PERSONAL
	 * in scope): their ids only; none for its own account. */
	int64_t *worker_cases;
	size_t nworker_cases;
};

/* A new business in a commune; fills in id.  Tax code taken by a
 * business the actor sees: 409 naming it (one out of sight is not told). */
int store_business_create(struct store *st, const struct store_actor *actor,
                          struct business *b, struct error *err);

/* The order of the officials' list: by id (the default), name, tax code,
 * commune (its name), workers, risk (the latest index; never assessed
 * lowest) or the latest assessment's day (the reassessment's due day
 * follows it; never assessed first); ties by id in the same direction. */
enum business_sort {
	BUSINESS_SORT_ID,
	BUSINESS_SORT_NAME,
	BUSINESS_SORT_TAX_CODE,
	BUSINESS_SORT_COMMUNE,
	BUSINESS_SORT_WORKERS,
	BUSINESS_SORT_RISK,
	BUSINESS_SORT_DUE,
	BUSINESS_SORT_COUNT
};
/* Whether a sort's key is text (else a number). */
#define BUSINESS_SORT_TEXT(s) ((s) == BUSINESS_SORT_NAME || (s) == BUSINESS_SORT_TAX_CODE || \
                               (s) == BUSINESS_SORT_COMMUNE || (s) == BUSINESS_SORT_DUE)

struct business_query {
	const char *unit;                /* in this subtree; NULL: all the caller may see */
	const char *band;                /* latest band; NULL: any */
	int overdue;                     /* 1: never assessed, or assessed before due_before */
	const char *due_before;          /* YYYY-MM-DD: today - the reassessment period */
	enum business_sort sort;
	int desc;                        /* 1: descending */
	/* The cursor (keyset): the last row's id (none when 0) and its sort key,
	 * after_text for a text key, after_num for a number (the id's own for
	 * BUSINESS_SORT_ID). */
	int64_t after;
	const char *after_text;
	int64_t after_num;
	int64_t limit;
};
/* The businesses the caller may see, in the query's order, with their
 * latest assessment and case count; *next is the id of the last row when
 * there is a next page (its key is that row's), else 0. */
int store_business_list(struct store *st, const struct store_actor *actor,
                        const struct business_query *q, struct arena *a,
                        struct business **out, size_t *n, int64_t *next, struct error *err);
/* One business with its plans, assessments and days on site. */
int store_business_get(struct store *st, const struct store_actor *actor, int64_t id,
                       struct arena *a, struct business *out, struct error *err);

/* A plan (kind, dates, workers on site, shifts, lodging, note); recorded,
 * no approval step (none is published).  Fills in id. */
int store_business_plan_add(struct store *st, const struct store_actor *actor,
                            int64_t business_id, struct business_plan *p, struct error *err);
/* The workers on site on a day (replaces the day's figure). */
int store_business_on_site(struct store *st, const struct store_actor *actor,
                           int64_t business_id, const char *day, int64_t on_site,
                           struct error *err);
/* A self-assessment whose index and band the caller computed; fills in id. */
int store_business_assess(struct store *st, const struct store_actor *actor,
                          int64_t business_id, struct business_assessment *as,
                          struct error *err);
/* The case's person works at the business (one workplace per case);
 * *cases gets the business's count after it. */
int store_business_case_link(struct store *st, const struct store_actor *actor,
                             int64_t business_id, int64_t case_id, int64_t *cases,
                             struct error *err);

#endif
