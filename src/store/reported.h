/*
 * Weekly figures reported by another system (reported.c): what a DHIS2
 * import stores for a unit's week, one row per indicator, kept apart from
 * the figures counted from cases (store/schema_reported.c says why).
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 */
#ifndef THC_STORE_REPORTED_H
#define THC_STORE_REPORTED_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

struct reported_value {
	const char *unit;
	const char *week_start;      /* the Monday, YYYY-MM-DD */
	const char *indicator;       /* a name of domain/dhis2.h */
	int64_t value;
};

enum reported_outcome { REPORTED_IMPORTED, REPORTED_UPDATED, REPORTED_IGNORED };

/* Stores the values in one transaction, each new or changed one with its
 * audit row; outcome[i] says what became of v[i] (a value equal to the one
 * stored is ignored).  The caller has checked scope and units. */
int store_reported_save(struct store *st, const struct store_actor *actor,
                        const struct reported_value *v, size_t n, enum reported_outcome *outcome,
                        struct error *err);
/* A unit's reported values with week_start in [from, to], by week then
 * indicator. */
int store_reported_list(struct store *st, const char *unit, const char *from, const char *to,
                        struct arena *a, struct reported_value **out, size_t *n,
                        struct error *err);

#endif
