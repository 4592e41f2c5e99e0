/*
 * Administrative units (units.c): the GSO hierarchy from province to
 * commune, imported; hamlets and households created below it; reads with
 * scope (hamlets and households only for those whose grants reach them).
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 * store_unit_create fills in->code from the arena too.
 */
#ifndef THC_STORE_UNITS_H
#define THC_STORE_UNITS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

struct unit {
	const char *code;
	const char *name;
	const char *level;          /* "province" ... "household" */
	const char *parent_code;    /* NULL for provinces */
	const char *type;           /* GSO type, or hamlet type */
	int64_t population;         /* -1 when unknown */
	const char *address;        /* households */
	int64_t members;            /* households; -1 when unknown */
	int64_t created_at_ms;
};

struct unit_query {
	const char *parent;         /* NULL: any (or top level when no level/q) */
	const char *level;          /* NULL: any */
	const char *q;              /* folded search text, NULL: none */
	const char *within;         /* with q only: units in this unit's subtree (the unit
	                               itself included); NULL: anywhere */
	const char *cursor;         /* last code of the previous page, NULL: start */
	int limit;                  /* 1..1000 */
};

struct unit_page {
	struct unit *items;
	size_t n;
	int64_t total;
	const char *next;           /* cursor, NULL at the end */
};

struct unit_counts {
	int64_t district, commune, hamlet, household;
	int hamlet_visible;         /* 0: hamlets are out of scope */
	int household_visible;      /* 0: households are not for this actor */
};

/* Rows for a bulk import: all or nothing.  Rows with a known code are updated. */
struct unit_row {
	const char *code, *name, *level, *parent_code, *type;
	long line;                  /* input line, for errors */
};
int store_units_import(struct store *st, const struct store_actor *actor,
                       const struct unit_row *rows, size_t n,
                       size_t *inserted, size_t *updated, struct error *err);
/* Sets the population of known units; unknown codes are an error naming the line. */
struct unit_population_row { const char *code; int64_t population; long line; };
int store_units_set_population(struct store *st, const struct store_actor *actor,
                               const struct unit_population_row *rows, size_t n,
                               struct error *err);

int store_unit_get(struct store *st, const struct store_actor *actor,
                   const char *code, struct arena *a, struct unit *out,
                   struct error *err);
/* Ancestors from the province down to the unit itself. */
int store_unit_path(struct store *st, const struct store_actor *actor,
                    const char *code, struct arena *a, struct unit **out,
                    size_t *n, struct error *err);
int store_unit_counts(struct store *st, const struct store_actor *actor,
                      const char *code, struct unit_counts *out,
                      struct error *err);
int store_units_list(struct store *st, const struct store_actor *actor,
                     const struct unit_query *q, struct arena *a,
                     struct unit_page *out, struct error *err);
/* Creates a hamlet (under a commune) or household (under a hamlet); fills in->code. */
int store_unit_create(struct store *st, const struct store_actor *actor,
                      struct unit *in, struct arena *a, struct error *err);

#endif
