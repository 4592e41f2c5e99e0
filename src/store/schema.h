/*
 * The schema steps, one file per step (store/schema_*.c), applied in the
 * order store/migrate.c lists them and recorded in schema_migrations.  Each
 * step's SQL is shared by the backends; "@ID@" stands for the dialect's
 * auto-increment primary key, and a step may add per-backend SQL (triggers
 * and the like).  Steps are append-only: a released step is never edited.
 */
#ifndef THC_STORE_SCHEMA_H
#define THC_STORE_SCHEMA_H

struct migration {
	int version;
	const char *name;
	const char *sql;            /* shared */
	const char *sqlite_sql;     /* extra, SQLite only */
	const char *postgres_sql;   /* extra, PostgreSQL only */
	/* SQLite rebuilds a table to change a constraint; its foreign keys must
	 * be off around the transaction (PRAGMA foreign_keys is a no-op inside
	 * one), and are checked before the commit. */
	int sqlite_rebuild;
};

extern const struct migration schema_base;
extern const struct migration schema_levels;
extern const struct migration schema_surveillance;
extern const struct migration schema_units_index;
extern const struct migration schema_people;
extern const struct migration schema_logins;
extern const struct migration schema_case_weeks;
extern const struct migration schema_feedback;
extern const struct migration schema_directives;
extern const struct migration schema_support;
extern const struct migration schema_business;
extern const struct migration schema_apikeys;
extern const struct migration schema_reported;
extern const struct migration schema_inspections;
extern const struct migration schema_hotlines;
extern const struct migration schema_directive_links;
extern const struct migration schema_support_public;
extern const struct migration schema_feedback_more;
extern const struct migration schema_idempotency;
extern const struct migration schema_feedback_departments;
extern const struct migration schema_bulk_cases;
extern const struct migration schema_search;
extern const struct migration schema_collation;
extern const struct migration schema_case_week_slots;

#endif
