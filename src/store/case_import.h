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

/* Bulk import by external_id (required): new rows are inserted, identical
 * ones skipped, changed ones updated (audited).  All or nothing. */
int store_cases_import(struct store *st, const struct store_actor *actor,
                       const struct case_rec *rows, size_t n, size_t *inserted,
                       size_t *updated, size_t *skipped, struct error *err);

#endif
