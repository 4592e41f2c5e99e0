/*
 * A case's file (casefile.c): the lab tests of its person and the
 * isolations of the case, of its person and of its contacts, for the case
 * page; and the person's contact details edited in place.  Both are scoped
 * like the case (ROLE_MASK_PERSONAL): out of scope reads as unknown.
 * Strings and arrays returned live in the caller's arena `a`.
 */
#ifndef THC_STORE_CASEFILE_H
#define THC_STORE_CASEFILE_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

#define CASEFILE_ROWS_MAX 200         /* tests, and isolations, shown per case */

struct casefile_test {
	int64_t id, case_id;          /* case_id 0: none */
	const char *taken_on, *test_type, *result;
};

struct casefile_isolation {
	int64_t id, person_id, case_id, contact_id;   /* 0: none */
	const char *full_name;
	const char *kind, *unit_code, *started_on, *planned_end, *released_on;
};

struct casefile {
	struct casefile_test *tests;
	size_t ntests;
	struct casefile_isolation *isolations;
	size_t nisolations;
};

/* The tests and isolations about case `id`; THC_ENOTFOUND out of scope.
 * Audited as a read of the person. */
int store_case_file(struct store *st, const struct store_actor *actor, int64_t id,
                    struct arena *a, struct casefile *out, struct error *err);

/* A person's phone and address (NULL: unchanged; "": cleared), audited
 * with before and after. */
struct person_patch {
	const char *phone, *address;
};
int store_person_update(struct store *st, const struct store_actor *actor, int64_t id,
                        const struct person_patch *p, struct error *err);

#endif
