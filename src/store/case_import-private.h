/*
 * The statements of the bulk case import (case_import.c), sized to the
 * budget of bound parameters per statement of the connection's driver and
 * built once per budget (case_import_sql.c).  Only case_import*.c include it.
 */
#ifndef THC_STORE_CASE_IMPORT_PRIVATE_H
#define THC_STORE_CASE_IMPORT_PRIVATE_H

#include "base/error.h"
#include "store/store.h"

#define IMPORT_CHUNK 512
#define IMPORT_BUDGETS_MAX 4       /* distinct budgets: one a driver is plenty */
/* Keys per lookup statement: few enough that PostgreSQL never plans the
 * UNION ALL with parallel workers (parallel_setup_cost 1000, about 16 per
 * key; 200 keys took 60 ms a call), and below SQLite's 500 compound SELECTs. */
#define IMPORT_LOOKUP_MAX 32
#define IMPORT_SQL_CAP (1 << 20)
#define IMPORT_PERSON_COLS 11      /* bound per person row, after $1 = now */
/* The existing-case lookup sees only the importer's scope: its uid and
 * roles follow the IMPORT_LOOKUP_MAX keys. */
#define IMPORT_SCOPE_UID "$33"
#define IMPORT_SCOPE_ROLES "$34"
_Static_assert(IMPORT_LOOKUP_MAX == 32, "IMPORT_SCOPE_* follow the keys");
#define IMPORT_CASE_COLS 18        /* bound per case row, after $1 = now, $2 = user */

enum imp_sql { IMP_CASE_IN, IMP_PERSON_IN, IMP_PERSON_INS, IMP_PERSON_INS1, IMP_CASE_INS,
               IMP_CASE_INS1, IMP_NSQL };

/* The statements for one budget: built once, never changed or freed after. */
struct imp_set {
	int budget;
	char *sql[IMP_NSQL];
	int rows[IMP_NSQL];           /* keys or rows per statement */
};
/* The statements for the connection's budget, built on first use. */
int imp_set_for(struct store *st, const struct imp_set **out, struct error *err);

#endif
