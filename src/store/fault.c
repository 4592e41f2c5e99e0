/*
 * A driver for tests that wraps another store ("fault:<url>") and makes the
 * Nth call that can fail (exec, prepare, step, begin, commit) fail, so that
 * tests can prove every error path leaves the data as it was (SQLite's
 * fault-injection testing, in small).
 */
#include <stdlib.h>
#include <string.h>

#include "store/fault.h"
#include "store/store-private.h"
#include "base/banned.h"

struct fault_stmt {
	struct sql_stmt base;
	struct sql_stmt *inner;
};

struct fault_store {
	struct store base;
	struct store *inner;
	long countdown;             /* the call that fails when it reaches 0; < 0 off */
	long bind_countdown;        /* the same for binds, counted apart */
	struct fault_stmt **stmts;  /* one wrapper per inner statement */
	size_t n, cap;
};

static struct fault_store *fault_of(struct store *st)
{
	return container_of(st, struct fault_store, base);
}

static struct sql_stmt *inner_of(struct sql_stmt *s)
{
	return container_of(s, struct fault_stmt, base)->inner;
}

static int fault_hit(struct fault_store *f, struct error *err)
{
	if (f->countdown < 0 || --f->countdown > 0)
		return 0;
	f->countdown = -1;
	return error_set(err, THC_ESTORE, "lỗi giả lập để kiểm thử", "injected fault for testing");
}

static int fault_open(const char *url, struct store **out, struct error *err)
{
	struct fault_store *f = calloc(1, sizeof(*f));
	int rc;

	if (f == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if ((rc = store_open(url, &f->inner, err)) < 0) {
		free(f);
		return rc;
	}
	f->countdown = f->bind_countdown = -1;
	*out = &f->base;
	return 0;
}

static void fault_close(struct store *st)
{
	struct fault_store *f = fault_of(st);

	for (size_t i = 0; i < f->n; i++)
		free(f->stmts[i]);
	free(f->stmts);
	store_close(f->inner);
	free(f);
}

static int fault_exec(struct store *st, const char *sql, struct error *err)
{
	struct fault_store *f = fault_of(st);
	int rc = fault_hit(f, err);

	return rc ? rc : f->inner->v->exec(f->inner, sql, err);
}

static int fault_prepare(struct store *st, const char *sql, struct sql_stmt **out,
                         struct error *err)
{
	struct fault_store *f = fault_of(st);
	struct sql_stmt *inner;
	struct fault_stmt *w;
	int rc;

	if ((rc = fault_hit(f, err)) < 0 ||
	    (rc = f->inner->v->prepare(f->inner, sql, &inner, err)) < 0)
		return rc;
	for (size_t i = 0; i < f->n; i++) {
		if (f->stmts[i]->inner == inner) {
			*out = &f->stmts[i]->base;
			return 0;
		}
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 64;
		struct fault_stmt **v = realloc(f->stmts, cap * sizeof(*v));
		if (v == NULL)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		f->stmts = v;
		f->cap = cap;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	w->base.st = st;
	w->inner = inner;
	f->stmts[f->n++] = w;
	*out = &w->base;
	return 0;
}

#define INNER(s) (inner_of(s)->st->v)

/* The bind the test armed fails as a driver's would (out of memory). */
static int fault_bind_hit(struct sql_stmt *s)
{
	struct fault_store *f = fault_of(s->st);

	if (f->bind_countdown < 0 || --f->bind_countdown > 0)
		return 0;
	f->bind_countdown = -1;
	return THC_ENOMEM;
}

static int fault_bind_text(struct sql_stmt *s, int i, const char *v)
{
	return fault_bind_hit(s) ? THC_ENOMEM : INNER(s)->bind_text(inner_of(s), i, v);
}

static int fault_bind_int64(struct sql_stmt *s, int i, int64_t v)
{
	return fault_bind_hit(s) ? THC_ENOMEM : INNER(s)->bind_int64(inner_of(s), i, v);
}

static int fault_bind_double(struct sql_stmt *s, int i, double v)
{
	return fault_bind_hit(s) ? THC_ENOMEM : INNER(s)->bind_double(inner_of(s), i, v);
}

static int fault_bind_null(struct sql_stmt *s, int i)
{
	return fault_bind_hit(s) ? THC_ENOMEM : INNER(s)->bind_null(inner_of(s), i);
}

static int fault_step(struct sql_stmt *s, struct error *err)
{
	int rc = fault_hit(fault_of(s->st), err);

	return rc ? rc : INNER(s)->step(inner_of(s), err);
}

static int fault_col_is_null(struct sql_stmt *s, int c)
{
	return INNER(s)->col_is_null(inner_of(s), c);
}

static const char *fault_col_text(struct sql_stmt *s, int c)
{
	return INNER(s)->col_text(inner_of(s), c);
}

static int64_t fault_col_int64(struct sql_stmt *s, int c)
{
	return INNER(s)->col_int64(inner_of(s), c);
}

static double fault_col_double(struct sql_stmt *s, int c)
{
	return INNER(s)->col_double(inner_of(s), c);
}

static void fault_done(struct sql_stmt *s)
{
	INNER(s)->done(inner_of(s));
}

static int fault_begin(struct store *st, int write, struct error *err)
{
	struct fault_store *f = fault_of(st);
	int rc = fault_hit(f, err);

	return rc ? rc : f->inner->v->begin(f->inner, write, err);
}

static int fault_commit(struct store *st, struct error *err)
{
	struct fault_store *f = fault_of(st);
	int rc = fault_hit(f, err);

	return rc ? rc : f->inner->v->commit(f->inner, err);
}

static void fault_rollback(struct store *st)
{
	struct fault_store *f = fault_of(st);

	f->inner->v->rollback(f->inner);
}

static int fault_ping(struct store *st, struct error *err)
{
	struct fault_store *f = fault_of(st);

	return f->inner->v->ping(f->inner, err);
}

static const struct store_vfuncs *fault_wrapped(struct store *st)
{
	return store_driver(fault_of(st)->inner);
}

static int fault_schema_lock(struct store *st, struct error *err)
{
	struct fault_store *f = fault_of(st);

	return f->inner->v->schema_lock(f->inner, err);
}

static int fault_table_count(struct store *st, const char *name, int64_t *n,
                             struct error *err)
{
	struct fault_store *f = fault_of(st);

	return f->inner->v->table_count(f->inner, name, n, err);
}

static int fault_copy_in(struct store *st, const char *copy_sql, const char *data, size_t len,
                         struct error *err)
{
	struct fault_store *f = fault_of(st);
	int rc = fault_hit(f, err);

	return rc ? rc : sql_copy_in(f->inner, copy_sql, data, len, err);
}

static int fault_backup(struct store *st, const char *file, const char *tmp,
                        struct error *err)
{
	struct fault_store *f = fault_of(st);

	return f->inner->v->backup(f->inner, file, tmp, err);
}

static int fault_backup_check(struct store *st, const char *file, int *version,
                              struct error *err)
{
	struct fault_store *f = fault_of(st);

	return f->inner->v->backup_check(f->inner, file, version, err);
}

static int fault_restore(struct store *st, const char *file, int clean, struct error *err)
{
	struct fault_store *f = fault_of(st);

	return f->inner->v->restore(f->inner, file, clean, err);
}

const struct store_vfuncs store_fault_vfuncs = {
	.name = "fault",
	.open = fault_open,
	.close = fault_close,
	.exec = fault_exec,
	.prepare = fault_prepare,
	.bind_text = fault_bind_text,
	.bind_int64 = fault_bind_int64,
	.bind_double = fault_bind_double,
	.bind_null = fault_bind_null,
	.step = fault_step,
	.col_is_null = fault_col_is_null,
	.col_text = fault_col_text,
	.col_int64 = fault_col_int64,
	.col_double = fault_col_double,
	.done = fault_done,
	.begin = fault_begin,
	.commit = fault_commit,
	.rollback = fault_rollback,
	.ping = fault_ping,
	.wrapped = fault_wrapped,
	.schema_lock = fault_schema_lock,
	.table_count = fault_table_count,
	.copy_in = fault_copy_in,
	.title = "fault",
	.backup = fault_backup,
	.backup_check = fault_backup_check,
	.restore = fault_restore,
};

void store_fault_arm(struct store *st, long nth)
{
	if (st->v == &store_fault_vfuncs)
		fault_of(st)->countdown = nth > 0 ? nth : -1;
}

void store_fault_arm_bind(struct store *st, long nth)
{
	if (st->v == &store_fault_vfuncs)
		fault_of(st)->bind_countdown = nth > 0 ? nth : -1;
}
