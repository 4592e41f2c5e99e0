/*
 * SQLite driver: WAL, foreign keys, busy timeout, a prepared-statement cache.
 * SQL arrives with $1..$N placeholders; SQLite treats "$1" as a named
 * parameter, so binding looks the index up by name.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store-private.h"
#include "base/vicollate.h"
#include "base/banned.h"

#define SQLITE_CACHE_MAX 128
#define SQLITE_BUSY_MS 10000
#define SQLITE_RETRY_MS 10         /* between tries of what the busy handler skips */

struct sqlite_stmt {
	struct sql_stmt base;
	sqlite3_stmt *stmt;
	const char *sql;           /* the caller's static string: the cache key */
	int *map;                  /* $N -> SQLite parameter index (0: unused) */
	int nmap;                  /* entries in map: the largest N + 1 */
};

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	struct sqlite_stmt *cache[SQLITE_CACHE_MAX];
	int ncache;
};

static int sqlite_err(sqlite3 *db, int rc, struct error *err)
{
	int code = THC_ESTORE;
	int ext = db ? sqlite3_extended_errcode(db) : rc;

	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		code = THC_ECONFLICT;
	else if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = THC_EUNPROCESSABLE;
	else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		code = THC_EUNAVAILABLE;
	else if ((rc & 0xff) == SQLITE_NOMEM)
		code = THC_ENOMEM;
	return error_set(err, code, "lỗi cơ sở dữ liệu: %s", "database error: %s",
	                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static int sqlite_vi_compare(void *ctx, int na, const void *a, int nb, const void *b)
{
	(void)ctx;
	return vi_compare(a, (size_t)na, b, (size_t)nb);
}
static int sqlite_open(const char *url, struct store **out, struct error *err)
{
	struct sqlite_store *s = calloc(1, sizeof(*s));
	char *msg = NULL;
	int rc;

	if (s == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	rc = sqlite3_open_v2(url, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		error_set(err, THC_EUNAVAILABLE, "không mở được cơ sở dữ liệu '%s': %s",
		          "cannot open database '%s': %s", url,
		          s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sqlite3_close_v2(s->db);
		free(s);
		return THC_EUNAVAILABLE;
	}
	sqlite3_busy_timeout(s->db, SQLITE_BUSY_MS);
	sqlite3_extended_result_codes(s->db, 1);
	/* Names in Vietnamese order ("ORDER BY name COLLATE vi"), as PostgreSQL's ICU "vi". */
	sqlite3_create_collation_v2(s->db, "vi", SQLITE_UTF8, NULL, sqlite_vi_compare, NULL);
	/* synchronous=FULL: an acknowledged write survives power loss, not only kill -9.
	 * Two processes opening a new file at once both want it in WAL mode; SQLite
	 * answers BUSY at once (not through the busy handler) rather than deadlock,
	 * so wait and retry for as long as the busy timeout. */
	for (int waited = 0;; waited += SQLITE_RETRY_MS) {
		rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
		                  "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;",
		                  NULL, NULL, &msg);
		if ((rc & 0xff) != SQLITE_BUSY || waited >= SQLITE_BUSY_MS)
			break;
		sqlite3_free(msg);
		msg = NULL;
		sqlite3_sleep(SQLITE_RETRY_MS);
	}
	if (rc != SQLITE_OK) {
		error_set(err, THC_EUNAVAILABLE, "không cấu hình được cơ sở dữ liệu '%s': %s",
		          "cannot set up database '%s': %s", url, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close_v2(s->db);
		free(s);
		return THC_EUNAVAILABLE;
	}
	*out = &s->base;
	return 0;
}

static void sqlite_stmt_free(struct sqlite_stmt *ps)
{
	sqlite3_finalize(ps->stmt);
	free(ps->map);
	free(ps);
}

/* SQLite numbers parameters by first appearance; the SQL names them $N. */
static int sqlite_map_params(struct sqlite_stmt *ps)
{
	int count = sqlite3_bind_parameter_count(ps->stmt), maxn = 0;

	for (int i = 1; i <= count; i++) {
		const char *name = sqlite3_bind_parameter_name(ps->stmt, i);
		int n = name && name[0] == '$' ? (int)strtol(name + 1, NULL, 10) : 0;
		if (n > maxn)
			maxn = n;
	}
	ps->nmap = maxn + 1;
	if ((ps->map = calloc((size_t)ps->nmap, sizeof(*ps->map))) == NULL)
		return THC_ENOMEM;
	for (int i = 1; i <= count; i++) {
		const char *name = sqlite3_bind_parameter_name(ps->stmt, i);
		int n = name && name[0] == '$' ? (int)strtol(name + 1, NULL, 10) : 0;
		if (n > 0)
			ps->map[n] = i;
	}
	return 0;
}

static void sqlite_close(struct store *st)
{
	struct sqlite_store *s = container_of(st, struct sqlite_store, base);

	for (int i = 0; i < s->ncache; i++)
		sqlite_stmt_free(s->cache[i]);
	sqlite3_close_v2(s->db);
	free(s);
}

static int sqlite_exec(struct store *st, const char *sql, struct error *err)
{
	struct sqlite_store *s = container_of(st, struct sqlite_store, base);
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : sqlite_err(s->db, rc, err);
}

static int sqlite_prepare(struct store *st, const char *sql,
                          struct sql_stmt **out, struct error *err)
{
	struct sqlite_store *s = container_of(st, struct sqlite_store, base);
	struct sqlite_stmt *ps;
	int rc;

	/* Callers pass string literals, so the pointer is a cheap cache key. */
	for (int i = 0; i < s->ncache; i++) {
		if (s->cache[i]->sql == sql) {
			*out = &s->cache[i]->base;
			return 0;
		}
	}
	ps = calloc(1, sizeof(*ps));
	if (ps == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &ps->stmt, NULL);
	if (rc != SQLITE_OK) {
		free(ps);
		return sqlite_err(s->db, rc, err);
	}
	ps->base.st = st;
	ps->sql = sql;
	if (sqlite_map_params(ps) < 0) {
		sqlite_stmt_free(ps);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	if (s->ncache == SQLITE_CACHE_MAX) {   /* full: drop the oldest */
		sqlite_stmt_free(s->cache[0]);
		memmove(s->cache, s->cache + 1, sizeof(s->cache[0]) * (SQLITE_CACHE_MAX - 1));
		s->ncache--;
	}
	s->cache[s->ncache++] = ps;
	*out = &ps->base;
	return 0;
}

static int sqlite_index(struct sql_stmt *st, int idx)
{
	struct sqlite_stmt *ps = container_of(st, struct sqlite_stmt, base);
	return idx > 0 && idx < ps->nmap ? ps->map[idx] : 0;
}

static sqlite3_stmt *sqlite_raw(struct sql_stmt *st)
{
	return container_of(st, struct sqlite_stmt, base)->stmt;
}

static int sqlite_bind_rc(int rc)
{
	return rc == SQLITE_OK || rc == SQLITE_RANGE ? 0 : THC_ESTORE;
}

static int sqlite_bind_text(struct sql_stmt *s, int idx, const char *v)
{
	int i = sqlite_index(s, idx);
	if (i == 0)
		return 0;   /* parameter not used by this statement */
	return sqlite_bind_rc(v ? sqlite3_bind_text(sqlite_raw(s), i, v, -1, SQLITE_TRANSIENT)
	                        : sqlite3_bind_null(sqlite_raw(s), i));
}

static int sqlite_bind_int64(struct sql_stmt *s, int idx, int64_t v)
{
	int i = sqlite_index(s, idx);
	return i ? sqlite_bind_rc(sqlite3_bind_int64(sqlite_raw(s), i, v)) : 0;
}

static int sqlite_bind_double(struct sql_stmt *s, int idx, double v)
{
	int i = sqlite_index(s, idx);
	return i ? sqlite_bind_rc(sqlite3_bind_double(sqlite_raw(s), i, v)) : 0;
}

static int sqlite_bind_null(struct sql_stmt *s, int idx)
{
	int i = sqlite_index(s, idx);
	return i ? sqlite_bind_rc(sqlite3_bind_null(sqlite_raw(s), i)) : 0;
}

static int sqlite_step(struct sql_stmt *s, struct error *err)
{
	struct sqlite_store *ss = container_of(s->st, struct sqlite_store, base);
	int rc = sqlite3_step(sqlite_raw(s));

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return sqlite_err(ss->db, rc, err);
}

static int sqlite_col_is_null(struct sql_stmt *s, int col)
{
	return sqlite3_column_type(sqlite_raw(s), col) == SQLITE_NULL;
}

static const char *sqlite_col_text(struct sql_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(sqlite_raw(s), col);
}

static int64_t sqlite_col_int64(struct sql_stmt *s, int col)
{
	return sqlite3_column_int64(sqlite_raw(s), col);
}

static double sqlite_col_double(struct sql_stmt *s, int col)
{
	return sqlite3_column_double(sqlite_raw(s), col);
}

static void sqlite_done(struct sql_stmt *s)
{
	sqlite3_reset(sqlite_raw(s));
	sqlite3_clear_bindings(sqlite_raw(s));
}

static int sqlite_begin(struct store *st, int write, struct error *err)
{
	/* IMMEDIATE takes the write lock now, so two writers wait on the busy
	 * timeout instead of failing when a read lock would be upgraded. */
	return sqlite_exec(st, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

static int sqlite_commit(struct store *st, struct error *err)
{
	return sqlite_exec(st, "COMMIT", err);
}

static void sqlite_rollback(struct store *st)
{
	struct sqlite_store *s = container_of(st, struct sqlite_store, base);

	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sqlite_ping(struct store *st, struct error *err)
{
	(void)st;
	(void)err;
	return 0;   /* an embedded database does not go away */
}

static int sqlite_schema_lock(struct store *st, struct error *err)
{
	/* The write transaction began with BEGIN IMMEDIATE: it already holds the
	 * database's only write lock, across processes. */
	(void)st;
	(void)err;
	return 0;
}

static int sqlite_table_count(struct store *st, const char *name, int64_t *n,
                              struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
	                      " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	                      " AND ($1 IS NULL OR name = $1)", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, name);
	return sql_exec_stmt(s, n, err);
}

/* ---- backups ---- */

/* Pages per backup step (1 MiB at the default page size). */
#define SQLITE_BACKUP_PAGES 256

/* A backup file is a database file of its own. */
static int sqlite_backup_probe(const unsigned char *head, size_t n)
{
	static const char magic[16] = "SQLite format 3";   /* with its NUL */

	return n >= sizeof(magic) && memcmp(head, magic, sizeof(magic)) == 0;
}

/* Runs a check pragma; anything but one row "ok" is a damaged database. */
static int sqlite_check(sqlite3 *db, const char *pragma, const char *file, struct error *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(db, pragma, -1, &stmt, NULL);
	const char *first;

	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		first = (const char *)sqlite3_column_text(stmt, 0);
		if (first && strcmp(first, "ok") == 0) {
			sqlite3_finalize(stmt);
			return 0;
		}
		rc = error_set(err, THC_ESTORE, "'%s' bị hỏng: %s", "'%s' is damaged: %s", file,
		               first ? first : "?");
		sqlite3_finalize(stmt);
		return rc;
	}
	rc = sqlite_err(db, rc, err);
	sqlite3_finalize(stmt);
	error_prefix(err, "kiểm tra '%s': ", "checking '%s': ", file);
	return rc;
}

/*
 * Copies src into dst in steps; BUSY and LOCKED (a writer holding a lock a
 * moment) wait and retry for as long as the busy timeout.
 */
static int sqlite_copy(sqlite3 *dst, sqlite3 *src, int restoring, struct error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc, waited = 0;

	if (b == NULL)
		goto fail;
	do {
		rc = sqlite3_backup_step(b, SQLITE_BACKUP_PAGES);
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && waited < SQLITE_BUSY_MS) {
			sqlite3_sleep(SQLITE_RETRY_MS);
			waited += SQLITE_RETRY_MS;
			rc = SQLITE_OK;
		} else if (rc == SQLITE_OK) {
			waited = 0;
		}
	} while (rc == SQLITE_OK);
	if (sqlite3_backup_finish(b) == SQLITE_OK && rc == SQLITE_DONE)
		return 0;
fail:
	sqlite_err(dst, sqlite3_errcode(dst), err);
	if (restoring)
		error_prefix(err, "khôi phục: ", "restore: ");
	else
		error_prefix(err, "sao lưu: ", "backup: ");
	return err->code;
}

/* Is file the database itself?  Renaming a copy over a live WAL database,
 * or copying it into itself, would wreck it. */
static int sqlite_same_file(sqlite3 *db, const char *file, struct error *err)
{
	const char *self = sqlite3_db_filename(db, "main");
	struct stat a, b;

	if (self == NULL || self[0] == '\0' || stat(file, &a) < 0 || stat(self, &b) < 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return 0;
	return error_set(err, THC_EUSAGE, "'%s' chính là cơ sở dữ liệu", "'%s' is the database itself",
	                 file);
}

static int sqlite_backup(struct store *st, const char *file, const char *tmp,
                         struct error *err)
{
	struct sqlite_store *s = container_of(st, struct sqlite_store, base);
	sqlite3 *dst = NULL;
	int rc;

	if ((rc = sqlite_same_file(s->db, file, err)) < 0)
		return rc;
	if ((rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)) !=
	    SQLITE_OK) {
		rc = error_set(err, THC_EIO, "không tạo được '%s': %s", "cannot create '%s': %s", tmp,
		               dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto out;
	}
	/* One read transaction across every step: the copy is one snapshot, and
	 * writers of a live server (WAL) neither wait for it nor restart it. */
	if ((rc = sqlite_exec(st, "BEGIN; SELECT count(*) FROM sqlite_master", err)) < 0)
		goto out;
	rc = sqlite_copy(dst, s->db, 0, err);
	sqlite_rollback(st);
	if (rc < 0)
		goto out;
	/* The copy keeps the source's WAL flag: a backup is one self-contained file. */
	if ((rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL)) != SQLITE_OK) {
		rc = sqlite_err(dst, rc, err);
		goto out;
	}
	rc = sqlite_check(dst, "PRAGMA integrity_check", tmp, err);
out:
	if (dst && sqlite3_close(dst) != SQLITE_OK && rc == 0)
		rc = error_set(err, THC_EIO, "không đóng được '%s'", "cannot close '%s'", tmp);
	return rc;
}

static int sqlite_open_backup(const char *file, sqlite3 **db, struct error *err)
{
	int rc = sqlite3_open_v2(file, db, SQLITE_OPEN_READONLY, NULL);

	if (rc == SQLITE_OK)
		return 0;
	error_set(err, THC_EIO, "không mở được bản sao lưu '%s': %s",
	          "cannot open the backup '%s': %s", file,
	          *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
	sqlite3_close(*db);
	*db = NULL;
	return THC_EIO;
}

static int sqlite_backup_check(struct store *st, const char *file, int *version,
                               struct error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int rc;

	(void)st;
	*version = 0;
	if ((rc = sqlite_open_backup(file, &db, err)) < 0)
		return rc;
	if ((rc = sqlite_check(db, "PRAGMA integrity_check", file, err)) < 0)
		goto out;
	/* Without schema_migrations the version stays 0: not a thichung database.
	 * (SQLite resolves names when preparing: ask the catalogue first.) */
	rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
	                        " AND name = 'schema_migrations'", -1, &stmt, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW &&
	    sqlite3_column_int(stmt, 0) == 1) {
		sqlite3_finalize(stmt);
		rc = sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
		                        -1, &stmt, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
			*version = sqlite3_column_int(stmt, 0);
	}
	rc = rc == SQLITE_ROW ? 0 : sqlite_err(db, rc, err);
out:
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return rc;
}

static int sqlite_restore(struct store *st, const char *file, int clean, struct error *err)
{
	struct sqlite_store *s = container_of(st, struct sqlite_store, base);
	sqlite3 *src = NULL;
	int rc;

	(void)clean;   /* the copy replaces every page: nothing of the old database stays */
	if ((rc = sqlite_same_file(s->db, file, err)) < 0 ||
	    (rc = sqlite_open_backup(file, &src, err)) < 0)
		return rc;
	/* Into the open connection, not a file copy: SQLite locks the database
	 * and keeps its WAL mode, and other connections see the new contents. */
	if ((rc = sqlite_copy(s->db, src, 1, err)) == 0)
		rc = sqlite_check(s->db, "PRAGMA quick_check", sqlite3_db_filename(s->db, "main"),
		                  err);
	sqlite3_close(src);
	return rc;
}

const struct store_vfuncs store_sqlite_vfuncs = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.exec = sqlite_exec,
	.prepare = sqlite_prepare,
	.bind_text = sqlite_bind_text,
	.bind_int64 = sqlite_bind_int64,
	.bind_double = sqlite_bind_double,
	.bind_null = sqlite_bind_null,
	.step = sqlite_step,
	.col_is_null = sqlite_col_is_null,
	.col_text = sqlite_col_text,
	.col_int64 = sqlite_col_int64,
	.col_double = sqlite_col_double,
	.done = sqlite_done,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.ping = sqlite_ping,
	.schema_lock = sqlite_schema_lock,
	.table_count = sqlite_table_count,
	/* SQLITE_MAX_VARIABLE_NUMBER of the oldest builds (999 before 3.32). */
	.params_max = 999,
	.title = "SQLite",
	.backup_probe = sqlite_backup_probe,
	.backup = sqlite_backup,
	.backup_check = sqlite_backup_check,
	.restore = sqlite_restore,
};
