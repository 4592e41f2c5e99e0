/*
 * F0 cases (cases.c): create, read, list, update.  Personal fields come
 * from the person record (store/people.h) of the case's commune.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 * store_case_create fills c->id and c->person.id in the caller's struct.
 */
#ifndef THC_STORE_CASES_H
#define THC_STORE_CASES_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "store/people.h"

struct store;
struct store_actor;

struct case_rec {
	int64_t id;                   /* filled by create / reads */
	const char *external_id;      /* NULL: none */
	struct person person;         /* the unit is where the case lives */
	const char *detected_on, *source, *test_type, *severity, *care_place;
	int needs_oxygen;
	const char *outcome, *outcome_on;   /* NULL: open */
	int64_t cluster_id, infected_by;    /* 0: none */
	/* reads */
	const char *unit_path, *commune_code, *province_code;
	int64_t created_at_ms;
	long line;                    /* imports: input line */
};

struct case_query {
	const char *unit;             /* subtree; NULL: all in scope */
	const char *from, *to;        /* detected_on range, NULL: open */
	int64_t cursor;               /* id of the last row of the previous page; 0: start */
	int limit;
};

/* Creates the case (and its person, or links the one with the same ID
 * number, filling in fields it lacks).  Fills c->id and c->person.id. */
int store_case_create(struct store *st, const struct store_actor *actor,
                      struct case_rec *c, struct error *err);
int store_case_get(struct store *st, const struct store_actor *actor, int64_t id,
                   struct arena *a, struct case_rec *out, struct error *err);
/* Cases newest last by id; *next is the cursor of the next page or 0. */
int store_cases_list(struct store *st, const struct store_actor *actor,
                     const struct case_query *q, struct arena *a,
                     struct case_rec **out, size_t *n, int64_t *next,
                     struct error *err);
/* Changes severity/care_place/outcome/outcome_on (NULL: unchanged). */
struct case_patch {
	const char *severity, *care_place, *outcome, *outcome_on;
};
int store_case_update(struct store *st, const struct store_actor *actor, int64_t id,
                      const struct case_patch *p, struct error *err);

#endif
