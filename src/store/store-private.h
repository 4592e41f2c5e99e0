/*
 * The driver interface.  Each backend fills one const struct store_vfuncs
 * and embeds struct store at the start of its own connection struct.
 */
#ifndef THC_STORE_PRIVATE_H
#define THC_STORE_PRIVATE_H

#include <jansson.h>

#include "store/sql.h"

struct store_vfuncs {
	const char *name;
	/* url: a file path for sqlite (after "sqlite://"), the whole URL for postgres. */
	int (*open)(const char *url, struct store **out, struct error *err);
	void (*close)(struct store *st);
	int (*exec)(struct store *st, const char *sql, struct error *err);
	int (*prepare)(struct store *st, const char *sql, struct sql_stmt **out,
	               struct error *err);
	int (*bind_text)(struct sql_stmt *s, int idx, const char *v);
	int (*bind_int64)(struct sql_stmt *s, int idx, int64_t v);
	int (*bind_double)(struct sql_stmt *s, int idx, double v);
	int (*bind_null)(struct sql_stmt *s, int idx);
	int (*step)(struct sql_stmt *s, struct error *err);
	int (*col_is_null)(struct sql_stmt *s, int col);
	const char *(*col_text)(struct sql_stmt *s, int col);
	int64_t (*col_int64)(struct sql_stmt *s, int col);
	double (*col_double)(struct sql_stmt *s, int col);
	void (*done)(struct sql_stmt *s);
	int (*begin)(struct store *st, int write, struct error *err);
	int (*commit)(struct store *st, struct error *err);
	void (*rollback)(struct store *st);
	/* 1 if the connection is usable, else tries to reconnect: 0 ok, <0 down. */
	int (*ping)(struct store *st, struct error *err);
	/* A wrapping driver: the driver of the store it wraps, whose dialect,
	 * limits and backup format apply (store_driver); NULL for a backend. */
	const struct store_vfuncs *(*wrapped)(struct store *st);
	/* The most $N parameters one statement may bind (0: a wrapping driver). */
	int params_max;
	/* Inside a write transaction: waits until no other connection, in any
	 * process, holds the schema lock; held until the transaction ends. */
	int (*schema_lock)(struct store *st, struct error *err);
	/* How many tables the database holds (name NULL), or tables called name. */
	int (*table_count)(struct store *st, const char *name, int64_t *n, struct error *err);
	/* Rows in PostgreSQL's COPY text format (tab between values, \N for
	 * NULL, backslash escapes) sent with copy_sql ("COPY t (cols) FROM
	 * STDIN"); NULL for a backend without it (sql_can_copy). */
	int (*copy_in)(struct store *st, const char *copy_sql, const char *data, size_t len,
	               struct error *err);

	/* Backups (store_backup, store_restore).  For people: "SQLite". */
	const char *title;
	/* 1 if a file starting with these bytes is a backup in this driver's
	 * format, else 0; NULL for a wrapping driver. */
	int (*backup_probe)(const unsigned char *head, size_t n);
	/* Writes a consistent copy of the whole database to tmp (a new file),
	 * which the caller then renames to file. */
	int (*backup)(struct store *st, const char *file, const char *tmp, struct error *err);
	/* Checks that a backup file is readable and whole; *version gets its
	 * schema version (0 when it has no schema_migrations). */
	int (*backup_check)(struct store *st, const char *file, int *version,
	                    struct error *err);
	/* Replaces the database with the backup's contents; clean: the database
	 * is not empty (its objects are replaced). */
	int (*restore)(struct store *st, const char *file, int clean, struct error *err);
};

struct store {
	const struct store_vfuncs *v;
	int in_tx;
	struct store_group *group;   /* a pool's SQLite connections: group commit */
};

struct sql_stmt {
	struct store *st;
	/* The first failed bind since the statement was handed out: sticky, so
	 * that callers bind without checking each call and sql_step reports it. */
	int bind_rc, bind_idx;
};

extern const struct store_vfuncs store_sqlite_vfuncs;
extern const struct store_vfuncs store_fault_vfuncs;
extern const struct store_vfuncs store_postgres_vfuncs;

/* The backend behind a connection: its own driver, or the one a wrapping
 * driver wraps.  Its .name is the SQL dialect (sql_backend). */
const struct store_vfuncs *store_driver(struct store *st);
/* The driver whose backup format starts with these bytes; NULL if none. */
const struct store_vfuncs *store_driver_probe(const unsigned char *head, size_t n);


/*
 * Scope as SQL.  SCOPE_SQL(path, uid, roles) is true when the unit whose
 * materialized path is `path` lies in the subtree of a grant of user `uid`
 * whose role is in the comma-separated list `roles` (NULL: any role).
 * uid 0 is the system (always true); an anonymous caller passes -1.
 */
#define SCOPE_SQL(path, uid, roles) \
	"(CAST(" uid " AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM grants g JOIN units gu ON gu.code = g.unit_code" \
	" WHERE g.user_id = CAST(" uid " AS BIGINT) AND substr(" path ", 1, length(gu.path)) = gu.path" \
	" AND (CAST(" roles " AS TEXT) IS NULL OR (',' || CAST(" roles " AS TEXT) || ',') LIKE ('%,' || g.role || ',%'))))"

/*
 * Households name families and their addresses: visible to the roles in
 * `roles` (ROLE_MASK_HOUSEHOLD_READ) in scope, and to whoever holds a grant
 * on the household itself (its citizen).
 */
#define HOUSEHOLD_SCOPE_SQL(path, uid, roles) \
	"(CAST(" uid " AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM grants g JOIN units gu ON gu.code = g.unit_code" \
	" WHERE g.user_id = CAST(" uid " AS BIGINT) AND substr(" path ", 1, length(gu.path)) = gu.path" \
	" AND (gu.path = " path " OR (',' || CAST(" roles " AS TEXT) || ',') LIKE ('%,' || g.role || ',%'))))"

/*
 * A keyset cursor of a list ordered by K (of SQL type T) then by the id
 * column: the rows past the last one shown, (key, id), with OP ">" for an
 * ascending list and "<" for a descending one; none skipped while `has`
 * (a parameter) is 0.  K is never NULL (a COALESCE with a value outside
 * the column's range where it may be), so ties and missing values keep
 * their place from page to page.
 */
#define KEYSET_SQL(K, T, OP, idcol, has, key, id) \
	"(CAST(" has " AS BIGINT) = 0 OR " K " " OP " CAST(" key " AS " T ")" \
	" OR (" K " = CAST(" key " AS " T ") AND " idcol " " OP " " id "))"

/* Public levels; hamlets in scope; households as HOUSEHOLD_SCOPE_SQL. */
#define VISIBLE_SQL(alias, uid, hroles) \
	"(" alias ".level IN ('province','district','commune')" \
	" OR (" alias ".level = 'hamlet' AND " SCOPE_SQL(alias ".path", uid, "NULL") ")" \
	" OR (" alias ".level = 'household' AND " HOUSEHOLD_SCOPE_SQL(alias ".path", uid, hroles) "))"

/* The user id to bind for an actor (NULL = anonymous). */
static inline int64_t store_actor_uid(const struct store_actor *a)
{
	return a ? a->user_id : -1;
}

/* THC_ENOMEM, with its message. */
int store_oom(struct error *err);

/* store_scope_check() that also gives the unit's materialized path. */
int store_scope_path(struct store *st, const struct store_actor *actor,
                     const char *unit_code, unsigned role_mask, char *path,
                     size_t pathsz, struct error *err);

/*
 * The write primitive (write.c).  The body runs inside the transaction and
 * describes its change in *a; store_write then writes the audit row and
 * commits, or rolls everything back when anything failed.  before/after
 * are taken (freed by store_write), as are strings allocated in a->arena.
 * A body that changed nothing sets `unchanged` instead of an action.
 * A write leaving one row per item (each unit an import updates) writes
 * each with store_audit_flush(); a row about another record that a helper
 * writes on the side (person_linked) goes through store_audit_add().
 */
struct store_audit {
	const struct store_actor *actor;   /* who acts: set by store_write */
	const char *action, *entity, *unit_code;
	char entity_id[64];                /* "" when none */
	json_t *before, *after;
	int unchanged;
	int written;                       /* rows store_audit_flush() wrote */
	struct arena arena;                /* strings the row needs; released by store_write */
};
typedef int store_body_fn(struct store *st, void *ctx, struct store_audit *a,
                          struct error *err);
int store_write(struct store *st, const struct store_actor *who, store_body_fn *body,
                void *ctx, struct error *err);
void store_audit_id(struct store_audit *a, int64_t id);
/* An entity id that is not a number (a unit code); clipped to the field. */
void store_audit_id_text(struct store_audit *a, const char *id);
/* Writes the row *a describes now and empties *a (not its arena) for the
 * next one; no-op when it names no action.  The body may then name a main
 * row, or none: store_write accepts the rows already written. */
int store_audit_flush(struct store *st, struct store_audit *a, struct error *err);

/*
 * One audit row inside the caller's transaction (audit.c): before/after
 * are borrowed and stored compact with sorted keys (NULL: none); a NULL
 * unit_code is the national scope.  store_write writes a body's rows; this
 * is for a row a helper writes on the side (person_linked).
 */
int store_audit_add(struct store *st, const struct store_actor *actor,
                    const char *action, const char *entity,
                    const char *entity_id, const char *unit_code,
                    const json_t *before, const json_t *after, struct error *err);

#endif
