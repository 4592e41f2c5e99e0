/*
 * Zones, blockades of a household, hamlet or commune (zones.c).
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 * The end rule is borrowed (domain/zone.h).
 */
#ifndef THC_STORE_ZONES_H
#define THC_STORE_ZONES_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

struct zone_rule;                      /* domain/zone.h */
struct zone {
	int64_t id;
	const char *unit_code;
	const char *unit_name, *unit_level; /* reads */
	const char *area_name;             /* NULL: the whole unit */
	const char *reason;
	const char *started_on, *planned_end, *ended_on;   /* NULL: none */
	const char *end_override_reason;
	int64_t created_at_ms;
	const char *created_by;
	const char *unit_path;             /* reads: the list's order by unit */
};
struct zone_count {
	const char *code, *name, *level;
	int64_t active;
};
/* Officials in scope; a household, hamlet or commune; fills z->id. */
int store_zone_create(struct store *st, const struct store_actor *actor,
                      struct zone *z, struct error *err);
/* Zones active on `day` (started, not ended) in the subtree of `unit`, for
 * officials, health workers and team members in scope: the first
 * ZONE_LIST_MAX in the order of units. */
int store_zones_list(struct store *st, const struct store_actor *actor,
                     const char *unit, const char *day, struct arena *a,
                     struct zone **out, size_t *n, struct error *err);

#define ZONE_LIST_MAX 1000
#define ZONE_NO_END "9999-12-31"          /* the planned end's key when there is none */
/* Which zones: active on the day, ended by it, or all. */
enum zone_status { ZONE_STATUS_ACTIVE, ZONE_STATUS_ENDED, ZONE_STATUS_ALL, ZONE_STATUS_COUNT };
/* The order: by unit (its place in the tree: the default), the day started
 * or the planned end (none: last); ties by id in the same direction. */
enum zone_sort { ZONE_SORT_UNIT, ZONE_SORT_STARTED, ZONE_SORT_PLANNED_END, ZONE_SORT_COUNT };
struct zone_query {
	const char *unit;                  /* subtree root (required) */
	const char *day;                   /* YYYY-MM-DD: active on, or ended by */
	enum zone_status status;
	enum zone_sort sort;
	int desc;                          /* 1: descending */
	int64_t after;                     /* the cursor: the last row's id (none: 0) */
	const char *after_key;             /* and its key (unit_path, day, ZONE_NO_END) */
	int64_t limit;                     /* 1..ZONE_LIST_MAX */
};
/* The same a page at a time, as the query says: *next is the id of the
 * last row when there is a next page (its key is that row's), else 0. */
int store_zones_page(struct store *st, const struct store_actor *actor,
                     const struct zone_query *q, struct arena *a,
                     struct zone **out, size_t *n, int64_t *next, struct error *err);
/* Public numbers: active zones in the subtree of a public unit, and per
 * public child. */
int store_zones_count(struct store *st, const char *unit, const char *day,
                      struct arena *a, int64_t *total, struct zone_count **children,
                      size_t *n, struct error *err);
/* Ends a zone (officials in scope) under the end rule (NULL: default);
 * *overridden = 1 when only override_reason allowed it (audited as
 * "zone.end_override"). */
int store_zone_end(struct store *st, const struct store_actor *actor, int64_t id,
                   const char *ended_on, const char *override_reason,
                   const struct zone_rule *rule, int *overridden, struct error *err);

#endif
