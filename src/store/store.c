/*
 * Dispatch to the driver, the connection pool and the SQL helpers.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "store/group.h"
#include "store/store-private.h"
#include "base/text.h"
#include "base/banned.h"

static const struct {
	const char *scheme;
	const struct store_vfuncs *v;
	int whole_url;      /* the driver takes the URL itself, not what follows */
} store_drivers[] = {
	{ "sqlite://", &store_sqlite_vfuncs, 0 },
	{ "fault:", &store_fault_vfuncs, 0 },      /* tests: fails the Nth call */
	{ "postgres://", &store_postgres_vfuncs, 1 },
	{ "postgresql://", &store_postgres_vfuncs, 1 },
};

int store_open(const char *url, struct store **out, struct error *err)
{
	const struct store_vfuncs *v = &store_sqlite_vfuncs;
	const char *rest = url;
	int rc;

	if (url == NULL || url[0] == '\0')
		return error_set(err, THC_EUSAGE, "thiếu đường dẫn cơ sở dữ liệu (--db)",
		                 "missing database path (--db)");
	for (size_t i = 0; i < ARRAY_SIZE(store_drivers); i++) {
		size_t n = strlen(store_drivers[i].scheme);
		if (strncmp(url, store_drivers[i].scheme, n) == 0) {
			v = store_drivers[i].v;
			rest = store_drivers[i].whole_url ? url : url + n;
			break;
		}
	}
	if ((rc = v->open(rest, out, err)) < 0)
		return rc;
	(*out)->v = v;
	(*out)->in_tx = 0;
	(*out)->group = NULL;
	return 0;
}

void store_close(struct store *st)
{
	if (st)
		st->v->close(st);
}

int store_ping(struct store *st, struct error *err)
{
	return st->v->ping(st, err);
}

/* The driver whose backup format starts with these bytes; NULL if none. */
const struct store_vfuncs *store_driver_probe(const unsigned char *head, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(store_drivers); i++) {
		const struct store_vfuncs *v = store_drivers[i].v;

		if (v->backup_probe && v->backup_probe(head, n) == 1)
			return v;
	}
	return NULL;
}

/* ---- SQL helpers used by the resource files ---- */

int sql_prepare(struct store *st, const char *sql, struct sql_stmt **out,
                struct error *err)
{
	int rc = st->v->prepare(st, sql, out, err);

	if (rc == 0)
		(*out)->bind_rc = (*out)->bind_idx = 0;
	return rc;
}

/* Keeps the first bind failure for sql_step to report. */
static int sql_bound(struct sql_stmt *s, int idx, int rc)
{
	if (rc < 0 && s->bind_rc == 0) {
		s->bind_rc = rc;
		s->bind_idx = idx;
	}
	return rc;
}

int sql_bind_text(struct sql_stmt *s, int idx, const char *v)
{
	return sql_bound(s, idx, s->st->v->bind_text(s, idx, v));
}

int sql_bind_int64(struct sql_stmt *s, int idx, int64_t v)
{
	return sql_bound(s, idx, s->st->v->bind_int64(s, idx, v));
}

int sql_bind_double(struct sql_stmt *s, int idx, double v)
{
	return sql_bound(s, idx, s->st->v->bind_double(s, idx, v));
}

int sql_bind_null(struct sql_stmt *s, int idx)
{
	return sql_bound(s, idx, s->st->v->bind_null(s, idx));
}

int sql_step(struct sql_stmt *s, struct error *err)
{
	if (s->bind_rc < 0)
		return error_set(err, s->bind_rc == THC_ENOMEM ? THC_ENOMEM : THC_ESTORE,
		                 "không gán được tham số $%d của câu lệnh",
		                 "cannot bind parameter $%d of the statement", s->bind_idx);
	return s->st->v->step(s, err);
}

int sql_col_is_null(struct sql_stmt *s, int col)
{
	return s->st->v->col_is_null(s, col);
}

const char *sql_col_text(struct sql_stmt *s, int col)
{
	return s->st->v->col_is_null(s, col) ? NULL : s->st->v->col_text(s, col);
}

int sql_col_copy(struct sql_stmt *s, int col, char *dst, size_t dstsz, struct error *err)
{
	if (text_copy(dst, dstsz, sql_col_text(s, col)) < 0)
		return error_set(err, THC_ESTORE,
		                 "giá trị cột %d dài hơn %zu byte",
		                 "the value of column %d is longer than %zu bytes", col, dstsz ? dstsz - 1 : 0);
	return 0;
}

int64_t sql_col_int64(struct sql_stmt *s, int col)
{
	return s->st->v->col_int64(s, col);
}

double sql_col_double(struct sql_stmt *s, int col)
{
	return s->st->v->col_double(s, col);
}

void sql_done(struct sql_stmt *s)
{
	s->bind_rc = s->bind_idx = 0;
	s->st->v->done(s);
}

int sql_exec(struct store *st, const char *sql, struct error *err)
{
	return st->v->exec(st, sql, err);
}

int sql_exec_stmt(struct sql_stmt *s, int64_t *first_col, struct error *err)
{
	int rc = sql_step(s, err);

	if (rc == 1 && first_col)
		*first_col = sql_col_int64(s, 0);
	sql_done(s);
	return rc < 0 ? rc : 0;
}

int sql_begin(struct store *st, int write, struct error *err)
{
	int rc = st->v->begin(st, write, err);

	if (rc == 0)
		st->in_tx = 1;
	return rc;
}

int sql_commit(struct store *st, struct error *err)
{
	int rc = st->v->commit(st, err);

	if (rc < 0)
		st->v->rollback(st);
	st->in_tx = 0;
	return rc;
}

void sql_rollback(struct store *st)
{
	st->v->rollback(st);
	st->in_tx = 0;
}

int sql_schema_lock(struct store *st, struct error *err)
{
	return st->v->schema_lock(st, err);
}

int sql_table_count(struct store *st, const char *name, int64_t *n, struct error *err)
{
	return st->v->table_count(st, name, n, err);
}

int sql_col_ids(struct sql_stmt *s, struct arena *a, int64_t **ids, size_t *n,
                struct error *err)
{
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	while ((rc = sql_step(s, err)) == 1) {
		if (*n == cap) {
			int64_t *more = arena_alloc(a, (cap = cap ? cap * 2 : 256) * sizeof(**ids));

			if (more == NULL) {
				rc = store_oom(err);
				break;
			}
			if (*n)
				memcpy(more, *ids, *n * sizeof(**ids));
			*ids = more;
		}
		(*ids)[(*n)++] = sql_col_int64(s, 0);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

const struct store_vfuncs *store_driver(struct store *st)
{
	return st->v->wrapped ? st->v->wrapped(st) : st->v;
}

const char *sql_backend(struct store *st)
{
	return store_driver(st)->name;
}

int sql_params_max(struct store *st)
{
	return store_driver(st)->params_max;
}

int sql_can_copy(struct store *st)
{
	return store_driver(st)->copy_in != NULL;
}

int sql_copy_field(struct strbuf *sb, const char *v, int last)
{
	int rc = 0;

	if (v == NULL) {
		rc = strbuf_adds(sb, "\\N");
	} else {
		for (const char *p = v; *p && rc == 0; ) {
			size_t n = strcspn(p, "\\\t\n\r");

			if (n)
				rc = strbuf_add(sb, p, n);
			p += n;
			if (*p && rc == 0) {
				rc = strbuf_adds(sb, *p == '\\' ? "\\\\" : *p == '\t' ? "\\t"
				                 : *p == '\n' ? "\\n" : "\\r");
				p++;
			}
		}
	}
	return rc ? rc : strbuf_adds(sb, last ? "\n" : "\t");
}

int sql_copy_in(struct store *st, const char *copy_sql, const char *data, size_t len,
                struct error *err)
{
	if (!sql_can_copy(st) || st->v->copy_in == NULL)
		return error_set(err, THC_EINTERNAL, "cơ sở dữ liệu không nhận COPY",
		                 "the database does not take COPY");
	return st->v->copy_in(st, copy_sql, data, len, err);
}

/* ---- connection pool ---- */

struct store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	int size, nfree;
	struct store **free_list;
	struct store **all;
	struct store_group *group;    /* SQLite: group commit (store/group.h) */
	char *url;                    /* for the group's writer connection */
};

int store_pool_open(const char *url, int size, struct store_pool **out,
                    struct error *err)
{
	struct store_pool *p;
	int rc = 0;

	if (size < 1 || size > 256)
		return error_set(err, THC_EUSAGE, "kích thước vùng kết nối %d ngoài khoảng 1..256",
		                 "pool size %d is outside 1..256", size);
	p = calloc(1, sizeof(*p));
	if (p == NULL || (p->free_list = calloc((size_t)size, sizeof(*p->free_list))) == NULL ||
	    (p->all = calloc((size_t)size, sizeof(*p->all))) == NULL ||
	    (p->url = strdup(url ? url : "")) == NULL) {
		if (p) {
			free(p->free_list);
			free(p->all);
		}
		free(p);
		return store_oom(err);
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	for (int i = 0; i < size; i++) {
		if ((rc = store_open(url, &p->all[i], err)) < 0)
			break;
		p->free_list[p->nfree++] = p->all[i];
		p->size++;
	}
	if (rc == 0)
		rc = store_pool_group_commit(p, 1, err);
	if (rc < 0) {
		store_pool_close(p);
		return rc;
	}
	*out = p;
	return 0;
}

int store_pool_group_commit(struct store_pool *p, int on, struct error *err)
{
	int rc;

	if (strcmp(store_driver(p->all[0])->name, "sqlite") != 0)
		return 0;   /* PostgreSQL groups concurrent commits itself */
	if (on && p->group == NULL && (rc = store_group_new(&p->group, p->url, err)) < 0)
		return rc;
	for (int i = 0; i < p->size; i++)
		p->all[i]->group = on ? p->group : NULL;
	if (!on) {
		store_group_free(p->group);
		p->group = NULL;
	}
	return 0;
}

int store_pool_get(struct store_pool *p, int timeout_ms, struct store **out,
                   struct error *err)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0 && rc == 0)
		rc = pthread_cond_timedwait(&p->freed, &p->lock, &until);
	if (p->nfree > 0) {
		*out = p->free_list[--p->nfree];
		rc = 0;
	}
	pthread_mutex_unlock(&p->lock);
	if (rc != 0)
		return error_set(err, THC_EUNAVAILABLE, "cơ sở dữ liệu đang bận, thử lại sau",
		                 "the database is busy, try again later");
	return 0;
}

void store_pool_put(struct store_pool *p, struct store *st)
{
	if (st->in_tx)      /* a handler that bailed out mid-transaction */
		sql_rollback(st);
	pthread_mutex_lock(&p->lock);
	p->free_list[p->nfree++] = st;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

void store_pool_close(struct store_pool *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->size; i++)
		store_close(p->all[i]);
	store_group_free(p->group);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	free(p->url);
	free(p->free_list);
	free(p->all);
	free(p);
}
