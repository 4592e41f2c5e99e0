/*
 * Home and facility isolation follow-up (isolation.c): isolations, daily
 * check-ins, the overdue and low-SpO2 lists, release.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 */
#ifndef THC_STORE_ISOLATION_H
#define THC_STORE_ISOLATION_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

/* Overdue: no check-in within this many hours; low SpO2: latest reading
 * below this (the Ministry of Health's home-care guidance warns below 96 %). */
#define ISOLATION_OVERDUE_HOURS_DEFAULT 24
#define ISOLATION_SPO2_BELOW_DEFAULT 96
#define ISOLATION_SPO2_MIN 50
#define ISOLATION_SPO2_MAX 100
#define ISOLATION_TEMP_MIN 34.0
#define ISOLATION_TEMP_MAX 43.0
#define ISOLATION_TEXT_MAX 1000          /* symptoms, note: bytes */
#define ISOLATION_LIST_MAX 1000

extern const char *const isolation_kinds[];   /* home, facility */

struct isolation {
	int64_t id, person_id;
	int64_t case_id, contact_id;       /* 0: none */
	const char *kind;                  /* "home" | "facility" */
	const char *unit_code;             /* where the person isolates */
	const char *started_on, *planned_end, *released_on;   /* YYYY-MM-DD; NULL: none */
	int64_t created_at_ms;
	const char *created_by;
	/* filled by reads */
	const char *full_name, *id_number; /* NULL unless the reader is an official
	                                      or health worker in scope */
	int64_t checkins;                  /* how many */
	int64_t last_checkin_ms;           /* 0: none */
	int last_spo2;                     /* latest check-in carrying SpO2; -1: none */
	double last_temperature;           /* latest carrying a temperature; < 0: none */
	const char *last_symptoms;
	/* where the person isolates (the unit_code's unit), for every reader:
	 * its name, level and, for a household, its address (NULL: none) */
	const char *place_name, *place_level, *place_address;
	int low_spo2, overdue;             /* active with low SpO2, overdue (as the states) */
};

struct checkin {
	int64_t id, isolation_id;
	int64_t at_ms;                     /* when measured: reads; on a write 0 means now
	                                      (a device that was offline gives its own time) */
	const char *day;                   /* VN day of at_ms (reads) */
	int64_t spo2;                      /* -1: not measured */
	double temperature;                /* < 0: not measured */
	const char *symptoms, *note;       /* NULL: none */
	const char *created_by;            /* reads */
	const char *measured_at;           /* write: RFC 3339 as sent, NULL: now (api) */
	int after_release;                 /* write: the person confirmed it goes on a released
	                                      isolation (a queued check-in met a release) */
	char released_on[11];              /* out: the isolation's release day, "" when active */
};

enum isolation_state {
	ISOLATION_ACTIVE,                  /* not released */
	ISOLATION_OVERDUE,                 /* active, started over `hours` ago, no check-in within them */
	ISOLATION_LOW_SPO2,                /* active, latest SpO2 below `spo2_below` */
	ISOLATION_RELEASED,
};
/* The order of the lists: by the day started (the default), or the
 * follow-up's: low SpO2 first, then overdue, then the others, each by the
 * day started; ties by id in the same direction. */
enum isolation_sort {
	ISOLATION_SORT_STARTED,
	ISOLATION_SORT_URGENT,
	ISOLATION_SORT_COUNT
};
struct isolation_query {
	const char *unit;                  /* subtree root (required) */
	enum isolation_state state;
	int hours;                         /* 1..720 */
	int spo2_below;                    /* 51..100 */
	int limit;                         /* 1..ISOLATION_LIST_MAX */
	enum isolation_sort sort;
	int desc;                          /* 1: descending */
	/* The cursor (keyset): the last row's id (none when 0) and its key, the
	 * day started, for ISOLATION_SORT_URGENT after "0" (low SpO2), "1"
	 * (overdue) or "2" (the others). */
	int64_t after;
	const char *after_key;
};

/* Officials and health workers in scope of in->unit_code, for a person in
 * their scope without an active isolation; fills in->id. */
int store_isolation_create(struct store *st, const struct store_actor *actor,
                           struct isolation *in, struct error *err);
/* A daily check-in (officials, health workers, the hamlet's team members):
 * SpO2 50..100 and/or temperature 34..43, measured (c->at_ms) not before the
 * isolation started; the isolation must be active unless c->after_release
 * (else THC_ECONFLICT with c->released_on set). */
int store_isolation_checkin(struct store *st, const struct store_actor *actor,
                            struct checkin *c, int64_t *id, struct error *err);
/* Officials and health workers; released_on not before started_on. */
int store_isolation_release(struct store *st, const struct store_actor *actor,
                            int64_t id, const char *released_on, struct error *err);
/* Isolations in the subtree visible to officials, health workers and team
 * members in scope; names are read (and audited as "person.read") only for
 * officials and health workers. */
int store_isolations_list(struct store *st, const struct store_actor *actor,
                          const struct isolation_query *q, struct arena *a,
                          struct isolation **out, size_t *n, struct error *err);
/* The same a page at a time: *next is the id of the last row when there is
 * a next page (its key is that row's), else 0. */
int store_isolations_page(struct store *st, const struct store_actor *actor,
                          const struct isolation_query *q, struct arena *a,
                          struct isolation **out, size_t *n, int64_t *next, struct error *err);
/* Check-ins of one isolation, newest first (same readers as the list);
 * audited as "person.read". */
int store_isolation_checkins(struct store *st, const struct store_actor *actor,
                             int64_t id, struct arena *a, struct checkin **out,
                             size_t *n, struct error *err);

/* Active isolations per unit directly below `unit` (a province or
 * district, in the actor's scope as an official): how many, overdue and
 * with low SpO2 as the lists count them (q->hours, q->spo2_below; q->unit
 * the root; q->state and q->limit unused).  Counts only, of isolations in
 * the actor's scope; every child is listed, zeros included. */
struct isolation_rollup {
	const char *code, *name;
	int64_t active, overdue, low_spo2;
};
int store_isolations_rollup(struct store *st, const struct store_actor *actor,
                            const struct isolation_query *q, struct arena *a,
                            struct isolation_rollup **out, size_t *n, struct error *err);
/* The same counts for q->unit itself, for the readers of the lists: of the
 * isolations in the actor's scope in its subtree (out->code, name NULL). */
int store_isolations_counts(struct store *st, const struct store_actor *actor,
                            const struct isolation_query *q, struct isolation_rollup *out,
                            struct error *err);

#endif
