/*
 * PostgreSQL driver (libpq): same semantics as the SQLite driver.
 * Statements are prepared once per server session and cached by the
 * caller's SQL pointer; values travel as text and the server infers the
 * parameter types; a result is fetched whole and rows are served from it.
 * A lost connection is noticed by ping() (or by a failing statement) and
 * re-opened with PQreset(); statements are then prepared again.
 */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/pgdump.h"
#include "store/store-private.h"
#include "base/banned.h"

/* Highest $N a statement may use: the bulk import fills its multi-row
 * INSERTs up to it (48 cases, 93 people a statement), so fewer round
 * trips; each statement's arrays are sized by its own highest $N. */
#define PG_PARAMS_MAX 1024
#define PG_NUM_MAX 32              /* "%.17g" of a double, "%lld" of an int64 */
#define PG_TEXTOID 25              /* type of a $N the statement skips */
#define PG_MSG_MAX 150             /* of the server's message in struct error */
#define PG_DETAIL_MAX 64
#define PG_CONNECT_TIMEOUT "5"     /* seconds; the URL may set its own */
/* jit off: the scope subqueries look costly to the planner, which would spend
 * 100+ ms compiling each one for a few milliseconds of work. */
#define PG_SESSION_SQL "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET jit = off"

enum pg_state { PG_IDLE, PG_ROWS, PG_DONE };

struct pg_stmt {
	struct sql_stmt base;
	const char *key;           /* the caller's string: the cache key */
	char *sql;                 /* our copy, so a reused address cannot fool us */
	char name[24];             /* "thc_<n>" */
	int prepared;              /* exists in the current server session */
	int nparams;               /* highest $N used */
	unsigned char *used;       /* [nparams + 1]: whether the SQL uses $N */
	const char **values;       /* [nparams]: NULL binds NULL */
	char **owned;              /* [nparams]: malloc'd text values */
	char (*num)[PG_NUM_MAX];   /* [nparams]: numbers as text */
	int bind_failed;           /* out of memory while binding: step fails */
	enum pg_state state;
	PGresult *res;
	int row, nrows, ncols;
};

struct pg_store {
	struct store base;
	PGconn *conn;
	char *url;                 /* for pg_dump and pg_restore */
	struct pg_stmt **cache;
	int ncache, alloc;
	unsigned next_name;
};

/* ---- errors ---- */

/*
 * libpq's message on one line ("\n\t" as one space, no trailing newline),
 * short enough that "<prefix>: <msg> (<detail>)" fits struct error.
 */
static void pg_trim(const char *s, char *out, size_t outsz)
{
	size_t n = 0;

	for (; s && *s && n + 1 < outsz; s++) {
		char c = (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s;
		if (c != ' ' || (n > 0 && out[n - 1] != ' '))
			out[n++] = c;
	}
	if (s && *s) {   /* cut short: do not leave half a UTF-8 character */
		while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)out[n - 1] >= 0xc0)
			n--;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	if (outsz)
		out[n] = '\0';
}

/* Statements live in a server session: after a reset they must be prepared again. */
static void pg_forget_statements(struct pg_store *ps)
{
	for (int i = 0; i < ps->ncache; i++)
		ps->cache[i]->prepared = 0;
}

static int pg_sqlstate_is(const char *state, const char *prefix)
{
	return state && strncmp(state, prefix, strlen(prefix)) == 0;
}

static int pg_unavailable(struct pg_store *ps, const char *msg, struct error *err)
{
	char m[PG_MSG_MAX];

	pg_trim(msg, m, sizeof(m));
	return error_set(err, THC_EUNAVAILABLE, "cơ sở dữ liệu không sẵn sàng: %s",
	                 "database unavailable: %s",
	                 m[0] ? m : (ps && ps->conn ? "connection lost" : "no connection"));
}

/* Maps a failed result (res may be NULL) to the error table; returns the code. */
static int pg_err(struct pg_store *ps, const PGresult *res, struct error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	char m[PG_MSG_MAX], d[PG_DETAIL_MAX];
	int code = THC_ESTORE;

	if (primary == NULL)
		primary = res ? PQresultErrorMessage(res) : NULL;
	if (primary == NULL || primary[0] == '\0')
		primary = PQerrorMessage(ps->conn);
	if (PQstatus(ps->conn) != CONNECTION_OK || pg_sqlstate_is(state, "08") ||
	    pg_sqlstate_is(state, "57P01") || pg_sqlstate_is(state, "57P02") ||
	    pg_sqlstate_is(state, "57P03")) {
		pg_forget_statements(ps);
		return pg_unavailable(ps, primary, err);
	}
	if (pg_sqlstate_is(state, "23505"))
		code = THC_ECONFLICT;
	else if (pg_sqlstate_is(state, "23503") || pg_sqlstate_is(state, "23514") ||
	         pg_sqlstate_is(state, "23502") || pg_sqlstate_is(state, "22"))
		code = THC_EUNPROCESSABLE;
	else if (pg_sqlstate_is(state, "40001") || pg_sqlstate_is(state, "40P01"))
		code = THC_EUNAVAILABLE;
	else if (pg_sqlstate_is(state, "53200"))
		code = THC_ENOMEM;
	else if (pg_sqlstate_is(state, "25006"))   /* a standby: read-only */
		return error_set(err, THC_EUNAVAILABLE,
		                 "cơ sở dữ liệu chỉ đọc (bản sao dự phòng): không ghi được",
		                 "the database is a read-only standby: nothing can be written");
	pg_trim(primary, m, sizeof(m));
	/* Only key details: "Failing row contains (...)" could reveal other columns. */
	if (detail && detail[0] &&
	    (pg_sqlstate_is(state, "23505") || pg_sqlstate_is(state, "23503"))) {
		pg_trim(detail, d, sizeof(d));
		return error_set(err, code, "lỗi cơ sở dữ liệu: %s (%s)", "database error: %s (%s)",
		                 m, d);
	}
	return error_set(err, code, "lỗi cơ sở dữ liệu: %s", "database error: %s", m);
}

/* Runs SQL without parameters; 0 or an error code. */
static int pg_run(struct pg_store *ps, const char *sql, struct error *err)
{
	PGresult *res;
	int rc = 0;

	if (PQstatus(ps->conn) != CONNECTION_OK) {
		pg_forget_statements(ps);
		return pg_unavailable(ps, PQerrorMessage(ps->conn), err);
	}
	res = PQexec(ps->conn, sql);
	switch (res ? PQresultStatus(res) : PGRES_FATAL_ERROR) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		break;
	default:
		rc = pg_err(ps, res, err);
		break;
	}
	PQclear(res);
	return rc;
}

/* ---- connection ---- */

static void pg_notice(void *arg, const char *message)
{
	char m[256], v[300];

	(void)arg;
	pg_trim(message, m, sizeof(m));
	log_warn("store.pg_notice", "msg=%s", log_value(m, v, sizeof(v)));
}

static int pg_session_setup(struct pg_store *ps, struct error *err)
{
	PQsetNoticeProcessor(ps->conn, pg_notice, NULL);
	return pg_run(ps, PG_SESSION_SQL, err);
}

/* Codes, usernames and cursors must sort by bytes, as in SQLite. */
static void pg_check_collation(struct pg_store *ps)
{
	PGresult *res = PQexec(ps->conn, "SELECT datcollate FROM pg_database"
	                       " WHERE datname = current_database()");
	char v[80];

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		const char *c = PQgetvalue(res, 0, 0);
		if (strcmp(c, "C") != 0 && strcmp(c, "POSIX") != 0 && strncmp(c, "C.", 2) != 0)
			log_warn("store.pg_collation", "collate=%s hint=\"create the database"
			         " with LC_COLLATE 'C' so text sorts as in SQLite\"",
			         log_value(c, v, sizeof(v)));
	}
	PQclear(res);
}

static int pg_open(const char *url, struct store **out, struct error *err)
{
	/* The URL is the conninfo; it wins over these defaults if it sets them.
	 * Keepalives let a query on a dead TCP peer fail in about a minute. */
	const char *const keys[] = { "connect_timeout", "keepalives_idle", "keepalives_interval",
	                             "keepalives_count", "application_name", "dbname", NULL };
	const char *vals[] = { PG_CONNECT_TIMEOUT, "30", "10", "3", "thichung", url, NULL };
	struct pg_store *ps = calloc(1, sizeof(*ps));
	int rc;

	if (ps == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	ps->conn = PQconnectdbParams(keys, vals, 1);
	if (ps->conn == NULL) {
		free(ps);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	if (PQstatus(ps->conn) != CONNECTION_OK) {
		rc = pg_unavailable(ps, PQerrorMessage(ps->conn), err);
		goto fail;
	}
	if ((rc = pg_session_setup(ps, err)) < 0)
		goto fail;
	if ((ps->url = strdup(url)) == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto fail;
	}
	pg_check_collation(ps);
	*out = &ps->base;
	return 0;
fail:
	PQfinish(ps->conn);
	free(ps);
	return rc;
}

static void pg_stmt_clear(struct pg_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->state = PG_IDLE;
	s->row = s->nrows = s->ncols = 0;
	for (int i = 0; i < s->nparams; i++) {
		free(s->owned[i]);
		s->owned[i] = NULL;
		s->values[i] = NULL;
	}
	s->bind_failed = 0;
}

static void pg_stmt_free(struct pg_stmt *s)
{
	free(s->used);
	free(s->values);
	free(s->owned);
	free(s->num);
	free(s->sql);
	free(s);
}

static void pg_close(struct store *st)
{
	struct pg_store *ps = container_of(st, struct pg_store, base);

	for (int i = 0; i < ps->ncache; i++) {
		pg_stmt_clear(ps->cache[i]);
		pg_stmt_free(ps->cache[i]);
	}
	free(ps->cache);
	PQfinish(ps->conn);
	free(ps->url);
	free(ps);
}

static int pg_exec(struct store *st, const char *sql, struct error *err)
{
	return pg_run(container_of(st, struct pg_store, base), sql, err);
}

/* ---- statements ---- */

static int pg_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/*
 * Finds the $N placeholders outside literals, quoted names, comments and
 * dollar-quoted bodies.  Returns the highest N, or -1 past PG_PARAMS_MAX.
 */
static int pg_scan_params(const char *sql, unsigned char *used)
{
	const char *p = sql;
	int max = 0;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			char q = *p++;
			while (*p && !(*p == q && p[1] != q))
				p += (*p == q) ? 2 : 1;      /* '' and "" are escapes */
			if (*p)
				p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9' &&
		           (p == sql || !pg_ident_char(p[-1]))) {
			long n = 0;
			p++;
			while (*p >= '0' && *p <= '9') {
				if (n <= PG_PARAMS_MAX)
					n = n * 10 + (*p - '0');
				p++;
			}
			if (n < 1 || n > PG_PARAMS_MAX)
				return -1;
			used[n] = 1;
			if (n > max)
				max = (int)n;
		} else if (*p == '$' && (p == sql || !pg_ident_char(p[-1]))) {
			/* $tag$ ... $tag$ (the tag may be empty) */
			const char *t = p + 1;
			while (pg_ident_char(*t) && *t != '$')
				t++;
			if (*t == '$') {
				size_t taglen = (size_t)(t - p) + 1;
				const char *end = p + taglen;
				while (*end && strncmp(end, p, taglen) != 0)
					end++;
				p = *end ? end + taglen : end;
			} else {
				p++;
			}
		} else {
			p++;
		}
	}
	return max;
}

/* Prepares s in the current server session. */
static int pg_stmt_prepare(struct pg_store *ps, struct pg_stmt *s, struct error *err)
{
	Oid types[PG_PARAMS_MAX];
	int gaps = 0;
	PGresult *res;
	int rc = 0;

	if (PQstatus(ps->conn) != CONNECTION_OK) {
		pg_forget_statements(ps);
		return pg_unavailable(ps, PQerrorMessage(ps->conn), err);
	}
	/* The server infers every type, but it cannot for a $N the SQL skips
	 * (SQLite allows gaps): those get text, and are never read. */
	for (int i = 1; i <= s->nparams; i++) {
		types[i - 1] = s->used[i] ? 0 : PG_TEXTOID;
		gaps |= !s->used[i];
	}
	res = PQprepare(ps->conn, s->name, s->sql, s->nparams, gaps ? types : NULL);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_err(ps, res, err);
	else
		s->prepared = 1;
	PQclear(res);
	return rc;
}

static int pg_cache_add(struct pg_store *ps, struct pg_stmt *s)
{
	if (ps->ncache == ps->alloc) {
		int n = ps->alloc ? 2 * ps->alloc : 32;
		struct pg_stmt **bigger = realloc(ps->cache, (size_t)n * sizeof(*bigger));
		if (bigger == NULL)
			return THC_ENOMEM;
		ps->cache = bigger;
		ps->alloc = n;
	}
	ps->cache[ps->ncache++] = s;
	return 0;
}

/* A statement for sql with its parameter arrays, or NULL (err set). */
static struct pg_stmt *pg_stmt_new(const char *sql, struct error *err)
{
	unsigned char used[PG_PARAMS_MAX + 1] = { 0 };
	int n = pg_scan_params(sql, used);
	size_t k;
	struct pg_stmt *s;

	if (n < 0) {
		error_set(err, THC_EINTERNAL, "câu lệnh SQL dùng quá %d tham số",
		          "the SQL statement uses more than %d parameters", PG_PARAMS_MAX);
		return NULL;
	}
	k = (size_t)n + 1;
	if ((s = calloc(1, sizeof(*s))) == NULL || (s->sql = strdup(sql)) == NULL ||
	    (s->used = malloc(k)) == NULL || (s->values = calloc(k, sizeof(*s->values))) == NULL ||
	    (s->owned = calloc(k, sizeof(*s->owned))) == NULL ||
	    (s->num = calloc(k, sizeof(*s->num))) == NULL) {
		if (s)
			pg_stmt_free(s);
		error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		return NULL;
	}
	memcpy(s->used, used, k);
	s->nparams = n;
	s->key = sql;
	return s;
}

static int pg_prepare(struct store *st, const char *sql, struct sql_stmt **out,
                      struct error *err)
{
	struct pg_store *ps = container_of(st, struct pg_store, base);
	struct pg_stmt *s;
	int rc;

	/* Callers pass string literals, so the pointer is a cheap cache key;
	 * the text comparison only runs on a hit. */
	for (int i = 0; i < ps->ncache; i++) {
		s = ps->cache[i];
		if (s->key == sql && strcmp(s->sql, sql) == 0) {
			if (!s->prepared && (rc = pg_stmt_prepare(ps, s, err)) < 0)
				return rc;
			*out = &s->base;
			return 0;
		}
	}
	if ((s = pg_stmt_new(sql, err)) == NULL)
		return err->code;
	s->base.st = st;
	snprintf(s->name, sizeof(s->name), "thc_%u", ps->next_name++);
	if ((rc = pg_stmt_prepare(ps, s, err)) < 0 || (rc = pg_cache_add(ps, s)) < 0) {
		if (rc == THC_ENOMEM)
			error_set(err, rc, "hết bộ nhớ", "out of memory");
		pg_stmt_free(s);
		return rc;
	}
	*out = &s->base;
	return 0;
}

static struct pg_stmt *pg_raw(struct sql_stmt *st)
{
	return container_of(st, struct pg_stmt, base);
}

/* The slot for $idx, cleared; -1 when the statement does not use it (a no-op). */
static int pg_slot(struct pg_stmt *s, int idx)
{
	if (idx < 1 || idx > s->nparams || !s->used[idx])
		return -1;
	free(s->owned[idx - 1]);
	s->owned[idx - 1] = NULL;
	s->values[idx - 1] = NULL;
	return idx - 1;
}

static int pg_bind_text(struct sql_stmt *st, int idx, const char *v)
{
	struct pg_stmt *s = pg_raw(st);
	int i = pg_slot(s, idx);

	if (i < 0 || v == NULL)
		return 0;
	if ((s->owned[i] = strdup(v)) == NULL) {
		s->bind_failed = 1;
		return THC_ENOMEM;
	}
	s->values[i] = s->owned[i];
	return 0;
}

static int pg_bind_int64(struct sql_stmt *st, int idx, int64_t v)
{
	struct pg_stmt *s = pg_raw(st);
	int i = pg_slot(s, idx);

	if (i < 0)
		return 0;
	snprintf(s->num[i], sizeof(s->num[i]), "%lld", (long long)v);
	s->values[i] = s->num[i];
	return 0;
}

static int pg_bind_double(struct sql_stmt *st, int idx, double v)
{
	struct pg_stmt *s = pg_raw(st);
	int i = pg_slot(s, idx);

	if (i < 0)
		return 0;
	snprintf(s->num[i], sizeof(s->num[i]), "%.17g", v);
	s->values[i] = s->num[i];
	return 0;
}

static int pg_bind_null(struct sql_stmt *st, int idx)
{
	pg_slot(pg_raw(st), idx);
	return 0;
}

static int pg_step(struct sql_stmt *st, struct error *err)
{
	struct pg_stmt *s = pg_raw(st);
	struct pg_store *ps = container_of(st->st, struct pg_store, base);
	int rc;

	if (s->state == PG_DONE) {   /* as sqlite3_step(): run again, same bindings */
		PQclear(s->res);
		s->res = NULL;
		s->state = PG_IDLE;
	}
	if (s->state == PG_IDLE) {
		if (s->bind_failed)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		if (!s->prepared && (rc = pg_stmt_prepare(ps, s, err)) < 0)
			return rc;
		s->res = PQexecPrepared(ps->conn, s->name, s->nparams, s->values, NULL, NULL, 0);
		switch (s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR) {
		case PGRES_TUPLES_OK:
			s->nrows = PQntuples(s->res);
			s->ncols = PQnfields(s->res);
			break;
		case PGRES_COMMAND_OK:
			s->nrows = s->ncols = 0;
			break;
		default:
			rc = pg_err(ps, s->res, err);
			PQclear(s->res);
			s->res = NULL;
			return rc;
		}
		s->row = -1;
		s->state = PG_ROWS;
	}
	if (++s->row < s->nrows)
		return 1;
	PQclear(s->res);   /* the rows are read: free them now */
	s->res = NULL;
	s->nrows = s->ncols = 0;
	s->state = PG_DONE;
	return 0;
}

/* The value at col of the current row, or NULL (SQL NULL, or no such value). */
static const char *pg_value(struct sql_stmt *st, int col)
{
	struct pg_stmt *s = pg_raw(st);

	if (s->state != PG_ROWS || s->row < 0 || s->row >= s->nrows || col < 0 ||
	    col >= s->ncols || PQgetisnull(s->res, s->row, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

static int pg_col_is_null(struct sql_stmt *st, int col)
{
	return pg_value(st, col) == NULL;
}

static const char *pg_col_text(struct sql_stmt *st, int col)
{
	return pg_value(st, col);
}

/* Booleans come back as "t"/"f"; SQLite would give 1/0. */
static int pg_bool(const char *v)
{
	return v[0] == 't' && v[1] == '\0' ? 1 : v[0] == 'f' && v[1] == '\0' ? 0 : -1;
}

static int64_t pg_col_int64(struct sql_stmt *st, int col)
{
	const char *v = pg_value(st, col);
	int b;

	if (v == NULL)
		return 0;
	if ((b = pg_bool(v)) >= 0)
		return b;
	return strtoll(v, NULL, 10);
}

static double pg_col_double(struct sql_stmt *st, int col)
{
	const char *v = pg_value(st, col);
	int b;

	if (v == NULL)
		return 0;
	if ((b = pg_bool(v)) >= 0)
		return b;
	return strtod(v, NULL);
}

static void pg_done(struct sql_stmt *st)
{
	pg_stmt_clear(pg_raw(st));
}

/* ---- transactions ---- */

static int pg_begin(struct store *st, int write, struct error *err)
{
	struct pg_store *ps = container_of(st, struct pg_store, base);
	PGTransactionStatusType ts = PQtransactionStatus(ps->conn);

	/* READ COMMITTED for both: the store itself orders competing writers. */
	(void)write;
	if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)   /* as SQLite: no nesting */
		return error_set(err, THC_ESTORE, "lỗi cơ sở dữ liệu: đã ở trong một giao dịch",
		                 "database error: already inside a transaction");
	return pg_run(ps, "BEGIN", err);
}

static int pg_commit(struct store *st, struct error *err)
{
	struct pg_store *ps = container_of(st, struct pg_store, base);
	PGresult *res;
	int rc = 0;

	if (PQstatus(ps->conn) != CONNECTION_OK) {
		pg_forget_statements(ps);
		return pg_unavailable(ps, PQerrorMessage(ps->conn), err);
	}
	res = PQexec(ps->conn, "COMMIT");
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_err(ps, res, err);
	else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		/* COMMIT of a failed transaction "succeeds" by rolling back */
		rc = error_set(err, THC_ESTORE,
		               "lỗi cơ sở dữ liệu: giao dịch đã bị hủy vì một câu lệnh trước đó lỗi",
		               "database error: the transaction was rolled back after an earlier error");
	PQclear(res);
	return rc;
}

static void pg_rollback(struct store *st)
{
	struct pg_store *ps = container_of(st, struct pg_store, base);
	PGTransactionStatusType ts = PQtransactionStatus(ps->conn);

	if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
		PQclear(PQexec(ps->conn, "ROLLBACK"));
}

/* Reads what arrived while idle, so a server that went away is noticed now. */
static void pg_poll_idle(struct pg_store *ps)
{
	for (int i = 0; i < 4 && PQstatus(ps->conn) == CONNECTION_OK; i++) {
		struct pollfd pfd = { .fd = PQsocket(ps->conn), .events = POLLIN };
		PGnotify *n;

		if (pfd.fd < 0 || poll(&pfd, 1, 0) <= 0)
			break;
		if (!PQconsumeInput(ps->conn))
			break;                  /* EOF or error: the status is now BAD */
		(void)PQisBusy(ps->conn);   /* parses it; an error while idle goes to pg_notice */
		while ((n = PQnotifies(ps->conn)) != NULL)
			PQfreemem(n);
	}
}

static int pg_ping(struct store *st, struct error *err)
{
	struct pg_store *ps = container_of(st, struct pg_store, base);

	if (PQtransactionStatus(ps->conn) == PQTRANS_IDLE)
		pg_poll_idle(ps);
	if (PQstatus(ps->conn) == CONNECTION_OK)
		return 0;
	pg_forget_statements(ps);
	PQreset(ps->conn);
	if (PQstatus(ps->conn) != CONNECTION_OK)
		return pg_unavailable(ps, PQerrorMessage(ps->conn), err);
	log_info("store.pg_reconnect", NULL);
	return pg_session_setup(ps, err);
}

/* "thichung" in ASCII: the advisory lock key of schema changes. */
#define PG_SCHEMA_LOCK_KEY "8387236825053949543"

static int pg_schema_lock(struct store *st, struct error *err)
{
	/* A transaction-level lock: released by COMMIT or ROLLBACK, and by the
	 * server if the connection dies, so it can never be left behind. */
	return pg_run(container_of(st, struct pg_store, base),
	              "SELECT pg_advisory_xact_lock(" PG_SCHEMA_LOCK_KEY ")", err);
}

/* COPY ... FROM STDIN: the whole text in pieces of PG_COPY_PIECE, then
 * the server's verdict (a bad row fails the statement, nothing of it stays). */
#define PG_COPY_PIECE (1 << 20)
static int pg_copy_in(struct store *st, const char *copy_sql, const char *data, size_t len,
                      struct error *err)
{
	struct pg_store *ps = container_of(st, struct pg_store, base);
	PGresult *res;
	int sent = 1, rc = 0;

	if (PQstatus(ps->conn) != CONNECTION_OK) {
		pg_forget_statements(ps);
		return pg_unavailable(ps, PQerrorMessage(ps->conn), err);
	}
	res = PQexec(ps->conn, copy_sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
		rc = pg_err(ps, res, err);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	while (len > 0 && sent) {
		int n = len > PG_COPY_PIECE ? PG_COPY_PIECE : (int)len;

		sent = PQputCopyData(ps->conn, data, n) == 1;
		data += n;
		len -= (size_t)n;
	}
	if (PQputCopyEnd(ps->conn, sent ? NULL : "the client stopped sending") != 1)
		sent = 0;
	while ((res = PQgetResult(ps->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
			rc = pg_err(ps, res, err);
		PQclear(res);
	}
	if (rc == 0 && !sent)
		rc = pg_unavailable(ps, PQerrorMessage(ps->conn), err);
	return rc;
}

static int pg_table_count(struct store *st, const char *name, int64_t *n,
                          struct error *err)
{
	struct sql_stmt *s;
	int rc;

	/* Every user schema for the whole database; the current one for a name. */
	if ((rc = sql_prepare(st, "SELECT count(*) FROM pg_catalog.pg_class c"
	                      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	                      " WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema'"
	                      " AND n.nspname NOT LIKE 'pg\\_%'"
	                      " AND ($1::text IS NULL OR (c.relname = $1::text"
	                      "  AND n.nspname = current_schema()))", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, name);
	return sql_exec_stmt(s, n, err);
}

/* ---- backups: pg_dump and pg_restore (pgdump.c) ---- */

static int pg_backup_probe(const unsigned char *head, size_t n)
{
	return n >= 5 && memcmp(head, "PGDMP", 5) == 0;   /* pg_dump's custom format */
}

static int pg_backup(struct store *st, const char *file, const char *tmp, struct error *err)
{
	(void)file;
	return pgdump_dump(container_of(st, struct pg_store, base)->url, tmp, err);
}

static int pg_backup_check(struct store *st, const char *file, int *version,
                           struct error *err)
{
	(void)st;
	return pgdump_version(file, version, err);
}

#define PG_STRAYS_MAX 1024          /* eight names listed in the error */

/*
 * pg_restore --clean drops and recreates only the archive's objects.  A
 * table it does not know (from a later migration, say) would survive next
 * to an older schema_migrations and break the next start: refuse instead.
 */
static int pg_restore_strays(struct store *st, const char *file, struct error *err)
{
	struct strbuf toc = STRBUF_INIT(16 << 20), needle = STRBUF_INIT(512);
	struct strbuf strays = STRBUF_INIT(PG_STRAYS_MAX);
	struct sql_stmt *s;
	int rc, n = 0;

	if ((rc = pgdump_list(file, &toc, err)) < 0)
		goto out;
	if ((rc = sql_prepare(st, "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
	                      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	                      " WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema'"
	                      " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2", &s, err)) < 0)
		goto out;
	while ((rc = sql_step(s, err)) == 1) {
		strbuf_reset(&needle);
		/* "215; 1259 16386 TABLE public units thc" */
		if ((rc = strbuf_addf(&needle, " TABLE %s %s ", sql_col_text(s, 0),
		                      sql_col_text(s, 1))) < 0 ||
		    (strstr(toc.buf, needle.buf) == NULL && n++ < 8 &&
		     (rc = strbuf_addf(&strays, "%s%s", n > 1 ? ", " : "", sql_col_text(s, 1))) < 0))
			break;
	}
	sql_done(s);
	if (rc == THC_ETOOBIG || rc == THC_ENOMEM)   /* names are at most 63 bytes: memory */
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if (rc == 0 && n > 0)
		rc = error_set(err, THC_ECONFLICT, "cơ sở dữ liệu đích có %d bảng không có trong bản"
		               " sao lưu (%s): hãy khôi phục vào một cơ sở dữ liệu trống",
		               "the target database has %d tables the backup does not (%s):"
		               " restore into an empty database", n, strays.buf);
out:
	strbuf_release(&toc);
	strbuf_release(&needle);
	strbuf_release(&strays);
	return rc;
}

static int pg_restore_db(struct store *st, const char *file, int clean, struct error *err)
{
	int rc;

	if (clean && (rc = pg_restore_strays(st, file, err)) < 0)
		return rc;
	return pgdump_restore(container_of(st, struct pg_store, base)->url, file, clean, err);
}

const struct store_vfuncs store_postgres_vfuncs = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_text = pg_bind_text,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_is_null = pg_col_is_null,
	.col_text = pg_col_text,
	.col_int64 = pg_col_int64,
	.col_double = pg_col_double,
	.done = pg_done,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.ping = pg_ping,
	.schema_lock = pg_schema_lock,
	.table_count = pg_table_count,
	.copy_in = pg_copy_in,
	.params_max = PG_PARAMS_MAX,
	.title = "PostgreSQL",
	.backup_probe = pg_backup_probe,
	.backup = pg_backup,
	.backup_check = pg_backup_check,
	.restore = pg_restore_db,
};
