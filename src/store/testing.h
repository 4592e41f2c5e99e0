/*
 * FOR TESTS ONLY (testing.c): rows inserted without audit, so that the
 * follow-up suites need not go through case reporting.  Not used by the
 * server or the CLI; not included by store/store.h.  Ids are written to
 * *id; nothing is returned by pointer.
 */
#ifndef THC_STORE_TESTING_H
#define THC_STORE_TESTING_H

#include <stdint.h>
#include "base/error.h"

struct store;

/* A bare person (name, unit). */
int store_test_person(struct store *st, const char *full_name, const char *unit_code,
                      int64_t *id, struct error *err);
/* A bare case of a person in a unit on a day (zone end rule tests). */
int store_test_case(struct store *st, int64_t person_id, const char *unit_code,
                    const char *detected_on, int64_t *id, struct error *err);

/* How many (commune, week) rows of case_weeks differ from the figures
 * grouped afresh from every case (0: the triggers kept it in step). */
int store_test_case_weeks_drift(struct store *st, int64_t *rows, struct error *err);

/* The rows of case_weeks for one commune-week (one on SQLite, one per slot
 * written on PostgreSQL), and the slot this connection writes (PostgreSQL's
 * schema step 24; -1 on SQLite). */
int store_test_case_week_rows(struct store *st, const char *commune, const char *week,
                              int64_t *rows, struct error *err);
int store_test_week_slot(struct store *st, int64_t *slot, struct error *err);

/* The connection's page cache setting (SQLite's PRAGMA cache_size; 0 on
 * PostgreSQL): an import widens it while it runs and must give it back. */
int store_test_cache_size(struct store *st, int64_t *v, struct error *err);

/* A write (store_write) that inserts a row under `key` and, when fail, fails
 * after that insert; audited as "test.write" when it succeeds. */
struct store_actor;
int store_test_write(struct store *st, const struct store_actor *actor, const char *key,
                     int fail, struct error *err);
/* *found: 1 if the row of store_test_write(key) is there. */
int store_test_written(struct store *st, const char *key, int *found, struct error *err);

#endif
