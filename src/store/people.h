/*
 * People (people.c): the person records surveillance records are about,
 * kept per commune; links between records of one ID number in several
 * communes, and merging duplicates within a commune.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 */
#ifndef THC_STORE_PEOPLE_H
#define THC_STORE_PEOPLE_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

/* Personal records are visible only to roles in ROLE_MASK_PERSONAL whose
 * scope holds the record's unit; others get THC_ENOTFOUND.  Reads of
 * personal data write an audit row in the same call. */
struct person {
	int64_t id;
	const char *full_name;
	const char *id_number;        /* NULL when unknown */
	int64_t birth_year;           /* -1 when unknown */
	const char *sex, *phone;      /* NULL when unknown */
	const char *unit_code;        /* commune, hamlet or household */
	const char *address;
	int64_t merged_into;          /* reads: 0 unless merged */
	const char *commune_code;     /* reads: the commune the record belongs to */
};

/* Merges person `id` into `into` (two records of one commune): cases,
 * contacts, tests and links move; audited. */
int store_person_merge(struct store *st, const struct store_actor *actor, int64_t id,
                       int64_t into, struct error *err);

/*
 * Links (src/store/people.c): a record made in another commune about a
 * person whose oldest record (home) is here.  Read and decided by the
 * officials and health workers in scope of the home record.
 */
#define PERSON_LINKS_MAX 500
struct person_link {
	int64_t id;
	struct person person;         /* the home record, as it is now */
	const char *record;           /* "case", "contact", "test" */
	const char *record_commune;   /* where it was made (a public unit) */
	const char *record_on, *detail;
	const char *proposed_json;    /* {"phone":"..."} the fields that differ; NULL: none */
	const char *status;           /* open, accepted, dismissed */
	int64_t created_at_ms, decided_at_ms;
	const char *decided_by, *decision_note;
};
struct person_link_query {
	const char *unit;             /* subtree; NULL: all in scope */
	const char *status;           /* NULL: any */
	int64_t cursor;               /* id of the last row of the previous page; 0: start */
	int limit;                    /* 1..PERSON_LINKS_MAX */
};
/* Newest first; *next is the cursor of the next page or 0.  Audited as a
 * read of personal data. */
int store_person_links_list(struct store *st, const struct store_actor *actor,
                            const struct person_link_query *q, struct arena *a,
                            struct person_link **out, size_t *n, int64_t *next,
                            struct error *err);
/* Accepts (copying the proposed fields named in `fields`, NULL-terminated;
 * NULL: all of them, into the home record) or dismisses an open link. */
int store_person_link_decide(struct store *st, const struct store_actor *actor, int64_t id,
                             int accept, const char *const *fields, const char *note,
                             struct error *err);

#endif
