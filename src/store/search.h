/*
 * Finding people and cases by name, ID number or case number (search.c),
 * for the pickers and the header's search box.  Only records in the
 * reader's scope for the roles that read personal records are ever
 * matched: a number recorded only elsewhere finds nothing, exactly as a
 * number recorded nowhere.  Strings returned live in the caller's arena.
 */
#ifndef THC_STORE_SEARCH_H
#define THC_STORE_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

#define SEARCH_LIMIT_MAX 20
#define SEARCH_Q_MAX 100              /* bytes of the text searched */

enum search_kind { SEARCH_PERSON, SEARCH_CASE };

struct search_hit {
	int64_t id;                   /* the case's, or the person's */
	int64_t person_id;
	const char *full_name, *id_number, *unit_code, *unit_name;
	int64_t birth_year;           /* -1: unknown */
	const char *detected_on, *outcome;   /* cases; NULL otherwise / open */
	int64_t case_id;              /* the case, or the person's latest in scope; 0: none */
};

/*
 * Up to `limit` (1..SEARCH_LIMIT_MAX) matches of q: digits match an ID
 * number exactly, or (cases) a case number; other text matches the folded
 * name (diacritics and case ignored).  Audited as a read of personal data.
 */
int store_search(struct store *st, const struct store_actor *actor, enum search_kind kind,
                 const char *q, int limit, struct arena *a, struct search_hit **out,
                 size_t *n, struct error *err);

#endif
