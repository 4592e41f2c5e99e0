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

/* How a text is looked for (search.c); units.c keeps these numbers. */
enum search_way {
	SEARCH_BY_NAME = 1,           /* 3 characters or more: by trigrams */
	SEARCH_BY_START = 2,          /* fewer: people by a name's start */
	SEARCH_BY_NUMBER = 3,         /* digits */
	SEARCH_WAYS
};
/* The way a folded name (text_fold: letters, digits, single spaces; no
 * LIKE wildcard) is looked for: never SEARCH_BY_NUMBER. */
enum search_way search_way_of(const char *folded);

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
 * name (diacritics and case ignored) anywhere when it has 3 characters or
 * more, at its start when it has two (letters or digits), not at all when
 * shorter.  Names that begin with the text come first, then
 * those with a word that does, then the others, each by name.  Audited
 * as a read of personal data.
 */
int store_search(struct store *st, const struct store_actor *actor, enum search_kind kind,
                 const char *q, int limit, struct arena *a, struct search_hit **out,
                 size_t *n, struct error *err);

/*
 * The query plan of the statement store_search would run for q (the
 * backend's EXPLAIN, one line per row) appended to plan; nothing for a
 * text too short to look for.  indexed_only: PostgreSQL prices sequential
 * scans out, so that a table of a few rows (where reading it all is
 * cheapest) shows the index the statement can use.  For tests.
 */
struct strbuf;
int store_search_explain(struct store *st, const struct store_actor *actor,
                         enum search_kind kind, const char *q, int indexed_only,
                         struct arena *a, struct strbuf *plan, struct error *err);

/* *indexed: 1 when names are found through the trigram indexes of schema
 * step 22, 0 when each search reads the tables (PostgreSQL without
 * pg_trgm: the answers are the same, only slower). */
int store_search_indexed(struct store *st, int *indexed, struct error *err);

#endif
