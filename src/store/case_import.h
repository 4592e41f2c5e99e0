/*
 * Bulk import of cases by external_id (case_import.c): all or nothing.
 * The rows are borrowed; nothing is returned by pointer.
 */
#ifndef THC_STORE_CASE_IMPORT_H
#define THC_STORE_CASE_IMPORT_H

#include <stddef.h>
#include "base/error.h"
#include "store/cases.h"

struct store;
struct store_actor;

/* SQLite: the page cache of an import's connection while the import runs
 * (PRAGMA cache_size; negative: KiB), 256 MiB at most, taken only as pages
 * are touched.  With the default 2 MB the indexes of a large import (keys
 * in no order: names, paths) are read back from the file and written out
 * again many times over before the commit. */
#define STORE_IMPORT_CACHE_SIZE (-262144)

/* Bulk import by external_id (required): new rows are inserted, identical
 * ones skipped, changed ones updated (audited).  All or nothing. */
int store_cases_import(struct store *st, const struct store_actor *actor,
                       const struct case_rec *rows, size_t n, size_t *inserted,
                       size_t *updated, size_t *skipped, struct error *err);

/* One bad line of a refused file; err's messages start "dòng N: " / "line N: ". */
struct store_bad_line {
	long line;
	struct error err;
};

/* The caller's array v of max entries, filled in line order (n of them). */
struct store_bad_lines {
	struct store_bad_line *v;
	size_t n, max;
};

/* store_cases_import that, when the checks needing the database (the unit
 * of a row unknown or out of the actor's scope, no external_id, a case
 * twice in the file) fail on some lines, writes nothing and puts every bad
 * line in *bad (up to bad->max), the first also in *err; NULL: *err only. */
int store_cases_import_lines(struct store *st, const struct store_actor *actor,
                             const struct case_rec *rows, size_t n, size_t *inserted,
                             size_t *updated, size_t *skipped, struct store_bad_lines *bad,
                             struct error *err);

/* Those checks alone, writing nothing: appends the bad lines to *bad (0,
 * or < 0 when the store failed). */
int store_cases_check(struct store *st, const struct store_actor *actor,
                      const struct case_rec *rows, size_t n, struct store_bad_lines *bad,
                      struct error *err);

#endif
