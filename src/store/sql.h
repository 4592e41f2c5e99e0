/*
 * The small SQL API that the store's resource files are written against
 * (dovecot lib-sql shape).  Only files in src/store/ include this.
 * SQL uses PostgreSQL-style $1, $2 ... placeholders on every backend.
 */
#ifndef THC_STORE_SQL_H
#define THC_STORE_SQL_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "store/store.h"

struct sql_stmt;
struct arena;

/* Prepared statements are cached per connection: do not free them. */
int sql_prepare(struct store *st, const char *sql, struct sql_stmt **out,
                struct error *err);
/* Binds: a failure is also kept by the statement and reported by the next
 * sql_step (so the results need not be checked one by one). */
int sql_bind_text(struct sql_stmt *s, int idx, const char *v);   /* NULL binds NULL */
int sql_bind_int64(struct sql_stmt *s, int idx, int64_t v);
int sql_bind_double(struct sql_stmt *s, int idx, double v);
int sql_bind_null(struct sql_stmt *s, int idx);
/* 1 = a row is ready, 0 = done, < 0 = error. */
int sql_step(struct sql_stmt *s, struct error *err);
int sql_col_is_null(struct sql_stmt *s, int col);
const char *sql_col_text(struct sql_stmt *s, int col);   /* NULL for NULL; valid until next step */
/* A text column into a fixed buffer: "" for NULL; THC_ESTORE (never a cut
 * value: a cut scope path would widen the scope) when it does not fit. */
THC_MUST_CHECK int sql_col_copy(struct sql_stmt *s, int col, char *dst, size_t dstsz,
                                struct error *err);
int64_t sql_col_int64(struct sql_stmt *s, int col);
double sql_col_double(struct sql_stmt *s, int col);
/* Ends use of the statement (resets it, clears bindings). Always call. */
void sql_done(struct sql_stmt *s);
/* Statements without parameters or results (DDL, pragmas); may hold several. */
int sql_exec(struct store *st, const char *sql, struct error *err);

/* Runs a statement that returns no row or one row whose first column is an integer. */
int sql_exec_stmt(struct sql_stmt *s, int64_t *first_col, struct error *err);

/* Transactions.  write = take the write lock at once (SQLite BEGIN IMMEDIATE). */
int sql_begin(struct store *st, int write, struct error *err);
int sql_commit(struct store *st, struct error *err);
void sql_rollback(struct store *st);

/* Inside a write transaction: serialises schema changes across processes. */
int sql_schema_lock(struct store *st, struct error *err);
/* Tables in the database (name NULL), or tables called name. */
int sql_table_count(struct store *st, const char *name, int64_t *n, struct error *err);

/* Steps s to its end, collecting its first column (an id) into an array
 * from the arena; then sql_done(s).  0, or the step's error. */
int sql_col_ids(struct sql_stmt *s, struct arena *a, int64_t **ids, size_t *n,
                struct error *err);

/* Name of the backend: "sqlite" or "postgres" (for dialect-specific migrations). */
const char *sql_backend(struct store *st);
/* The most $N parameters one statement may bind on this connection. */
int sql_params_max(struct store *st);
/* Whether the backend takes rows by COPY (PostgreSQL), and sends them
 * (see store_vfuncs.copy_in); THC_EINTERNAL when it does not. */
int sql_can_copy(struct store *st);
/* Appends one value in COPY's text format (NULL as \N, backslash escapes)
 * and a tab, or the line's end when last; 0 or the strbuf's error. */
struct strbuf;
int sql_copy_field(struct strbuf *sb, const char *v, int last);
int sql_copy_in(struct store *st, const char *copy_sql, const char *data, size_t len,
                struct error *err);

#endif
