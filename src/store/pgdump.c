/*
 * pg_dump and pg_restore for the PostgreSQL driver (see pgdump.h).
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/proc.h"
#include "store/pgdump.h"
#include "base/banned.h"

#define PGDUMP_ENV_MAX 48           /* libpq 15 has 40-odd parameters */
#define PGDUMP_CONNINFO_MAX 4096
#define PGDUMP_STDERR_MAX 2048      /* of a failed program's stderr, kept */
#define PGDUMP_MSG_MAX 180          /* of it, in struct error */
#define PGDUMP_DATA_MAX (1 << 20)   /* schema_migrations as pg_restore prints it */
#define PGDUMP_TOC_MAX (4 << 20)

/* How to reach the database: PG* variables, and for the few parameters
 * that have none (keepalives and the like) a conninfo for --dbname. */
struct pgdump_conn {
	const char *env[PGDUMP_ENV_MAX + 1];  /* "PGHOST=..." (malloc'd), NULL-terminated */
	int nenv;
	struct strbuf conninfo;
};

static void pgdump_conn_release(struct pgdump_conn *c)
{
	for (int i = 0; i < c->nenv; i++)
		free((char *)c->env[i]);   /* ours: const only for proc_run */
	c->nenv = 0;
	c->env[0] = NULL;
	strbuf_release(&c->conninfo);
}

static int pgdump_env_add(struct pgdump_conn *c, const char *name, const char *val)
{
	struct strbuf sb = STRBUF_INIT(PGDUMP_CONNINFO_MAX);

	if (c->nenv == PGDUMP_ENV_MAX || strbuf_addf(&sb, "%s=%s", name, val) < 0) {
		strbuf_release(&sb);
		return THC_ETOOBIG;
	}
	c->env[c->nenv++] = strbuf_detach(&sb, NULL);
	c->env[c->nenv] = NULL;
	return 0;
}

/* key='value' with ' and \ escaped, as libpq reads a conninfo string. */
static int pgdump_conninfo_add(struct strbuf *sb, const char *key, const char *val)
{
	int rc = strbuf_addf(sb, "%s%s='", sb->len ? " " : "", key);

	for (const char *p = val; rc == 0 && *p; p++) {
		if (*p == '\'' || *p == '\\')
			rc = strbuf_addch(sb, '\\');
		if (rc == 0)
			rc = strbuf_addch(sb, *p);
	}
	return rc ? rc : strbuf_addch(sb, '\'');
}

static int pgdump_conn_init(struct pgdump_conn *c, const char *url, struct error *err)
{
	PQconninfoOption *opts;
	char *msg = NULL;
	int rc = 0, named = 0;

	c->nenv = 0;
	c->env[0] = NULL;
	strbuf_init(&c->conninfo, PGDUMP_CONNINFO_MAX);
	if ((opts = PQconninfoParse(url, &msg)) == NULL) {
		rc = error_set(err, THC_EUSAGE, "URL PostgreSQL không hợp lệ: %s",
		               "invalid PostgreSQL URL: %s", msg ? msg : "out of memory");
		PQfreemem(msg);
		return rc;
	}
	for (PQconninfoOption *o = opts; rc == 0 && o->keyword; o++) {
		if (o->val == NULL || o->val[0] == '\0')
			continue;
		named |= strcmp(o->keyword, "application_name") == 0;
		if (o->envvar)
			rc = pgdump_env_add(c, o->envvar, o->val);
		else if (strchr(o->dispchar, '*'))   /* a secret with no variable: keep it off argv */
			rc = error_set(err, THC_EUSAGE, "không truyền được tham số bí mật '%s' cho"
			               " pg_dump/pg_restore một cách an toàn; hãy dùng tệp ~/.pgpass"
			               " hoặc dịch vụ (service)",
			               "the secret parameter '%s' cannot be passed safely to"
			               " pg_dump/pg_restore; use ~/.pgpass or a service file", o->keyword);
		else
			rc = pgdump_conninfo_add(&c->conninfo, o->keyword, o->val);
	}
	if (rc == 0 && !named)   /* how pg_stat_activity shows it */
		rc = pgdump_env_add(c, "PGAPPNAME", "thichung-backup");
	PQconninfoFree(opts);
	if (rc == THC_ETOOBIG)
		error_set(err, rc, "URL PostgreSQL quá dài", "the PostgreSQL URL is too long");
	if (rc < 0)
		pgdump_conn_release(c);
	return rc;
}

/* A program's stderr on one line, clipped on a character boundary. */
static void pgdump_trim(const char *s, char *out, size_t outsz)
{
	size_t n = 0;

	for (; *s && n + 1 < outsz; s++) {
		char ch = (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s;
		if (ch != ' ' || (n > 0 && out[n - 1] != ' '))
			out[n++] = ch;
	}
	if (*s) {
		while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)out[n - 1] >= 0xc0)
			n--;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Runs a program; its failure (not found, non-zero exit) becomes an error
 * that names it and quotes its stderr. */
static int pgdump_run(const char *const argv[], const char *const env[], struct strbuf *out,
                      struct error *err)
{
	struct strbuf errout = STRBUF_INIT(PGDUMP_STDERR_MAX);
	char msg[PGDUMP_MSG_MAX];
	int rc, status = 0;

	rc = proc_run(argv, env, out, &errout, &status, err);
	if (rc == THC_ENOTFOUND)
		rc = error_set(err, THC_EUNAVAILABLE, "không tìm thấy chương trình '%s' (gói"
		               " postgresql-client)", "the program '%s' is not installed (package"
		               " postgresql-client)", argv[0]);
	else if (rc == 0 && status != 0) {
		pgdump_trim(errout.buf, msg, sizeof(msg));
		rc = error_set(err, THC_ESTORE, "%s thất bại (mã %d): %s", "%s failed (status %d): %s",
		               argv[0], status, msg[0] ? msg : "-");
	}
	strbuf_release(&errout);
	return rc;
}

int pgdump_dump(const char *url, const char *file, struct error *err)
{
	struct pgdump_conn c;
	int rc;

	if ((rc = pgdump_conn_init(&c, url, err)) < 0)
		return rc;
	{
		/* --no-password: fail rather than wait for one on a terminal */
		const char *argv[] = { "pg_dump", "--format=custom", "--no-password", "--file", file,
		                       "--dbname", c.conninfo.buf, NULL };
		rc = pgdump_run(argv, c.env, NULL, err);
	}
	pgdump_conn_release(&c);
	return rc;
}

int pgdump_list(const char *file, struct strbuf *toc, struct error *err)
{
	const char *argv[] = { "pg_restore", "--list", "--file=-", "--", file, NULL };

	return pgdump_run(argv, NULL, toc, err);
}

/*
 * The highest version in a data-only script of schema_migrations:
 *   COPY public.schema_migrations (version, name, applied_at) FROM stdin;
 *   1<TAB>units, users ...<TAB>1700000000000
 *   \.
 */
static int pgdump_parse_version(const char *sql, int *version)
{
	const char *p = strstr(sql, ".schema_migrations (version, ");
	long long v, max = 0;
	char *end;

	*version = 0;
	if (p == NULL || (p = strchr(p, '\n')) == NULL)
		return 0;
	for (p++; *p && !(p[0] == '\\' && p[1] == '.'); p = end + 1) {
		v = strtoll(p, &end, 10);
		if (end == p || *end != '\t' || v < 0 || v > 1000000)
			return THC_EINVAL;
		if (v > max)
			max = v;
		if ((end = strchr(end, '\n')) == NULL)
			return THC_EINVAL;
	}
	*version = (int)max;
	return 0;
}

int pgdump_version(const char *file, int *version, struct error *err)
{
	struct strbuf out = STRBUF_INIT(PGDUMP_DATA_MAX);
	const char *argv[] = { "pg_restore", "--data-only", "--table=schema_migrations",
	                       "--file=-", "--", file, NULL };
	int rc = pgdump_run(argv, NULL, &out, err);

	if (rc == 0 && pgdump_parse_version(out.buf, version) < 0)
		rc = error_set(err, THC_EINVAL, "bảng schema_migrations trong '%s' không đọc được",
		               "cannot read the schema_migrations table in '%s'", file);
	strbuf_release(&out);
	return rc;
}

int pgdump_restore(const char *url, const char *file, int clean, struct error *err)
{
	struct pgdump_conn c;
	int rc;

	if ((rc = pgdump_conn_init(&c, url, err)) < 0)
		return rc;
	{
		/* One transaction that stops at the first error: all or nothing.  The
		 * objects belong to whoever restores (the roles of the source cluster
		 * may not exist here). */
		const char *argv[16] = { "pg_restore", "--no-password", "--exit-on-error",
		                         "--single-transaction", "--no-owner", "--no-privileges",
		                         "--dbname", c.conninfo.buf };
		int n = 8;
		if (clean) {
			argv[n++] = "--clean";
			argv[n++] = "--if-exists";
		}
		argv[n++] = "--";           /* a file name may start with '-' */
		argv[n++] = file;
		argv[n] = NULL;
		rc = pgdump_run(argv, c.env, NULL, err);
	}
	pgdump_conn_release(&c);
	return rc;
}
