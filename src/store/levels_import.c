/*
 * Published levels loaded from a file (`thichung import levels`, POST
 * /api/v1/levels/import): every row checked, one transaction, rows already
 * present skipped, one audit row.
 *
 * A file is a week or a quarter of every commune: the same few thousand
 * units on every week.  Each distinct unit is checked once (it exists, it
 * is in the importer's scope), a row repeated in the file is skipped as an
 * already-present one would be, and the rows go in LVI_BATCH at a time,
 * each statement inserting those that are not stored yet.  Checking and
 * inserting row by row took four round trips a row: 310 s for two years of
 * every commune on PostgreSQL.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/strbuf.h"
#include "domain/role.h"
#include "store/store-private.h"
#include "base/banned.h"

#define LVI_BATCH 200             /* rows a statement: 4 parameters each, 2 shared */
#define LVI_NONE UINT32_MAX

/* The row statement for 1 and for LVI_BATCH rows: built once, kept for the
 * process (the drivers cache prepared statements by the SQL pointer). */
static char *lvi_sql[2];
static pthread_once_t lvi_once = PTHREAD_ONCE_INIT;

static char *lvi_build(int rows)
{
	struct strbuf sb = STRBUF_INIT(64 * 1024);
	int p = 3;

	if (strbuf_adds(&sb, "INSERT INTO level_decisions (unit_code, effective_from, level,"
	                " source, source_url, decided_by, decided_at)"
	                " SELECT v.column1, v.column2, v.column3, 'import', v.column4,"
	                " CAST($1 AS TEXT), CAST($2 AS BIGINT) FROM (VALUES ") < 0)
		return NULL;
	for (int r = 0; r < rows; r++, p += 4)
		if (strbuf_addf(&sb, "%s(CAST($%d AS TEXT), CAST($%d AS TEXT), CAST($%d AS INTEGER),"
		                " CAST($%d AS TEXT))", r ? ", " : "", p, p + 1, p + 2, p + 3) < 0)
			return NULL;
	/* OFFSET keeps PostgreSQL from making the NOT EXISTS a join: planned
	 * while the table was small, that join read all of it for every batch
	 * (21 s for a quarter of every commune); as a lookup per row it stays
	 * on level_decisions_unit_idx. */
	if (strbuf_adds(&sb, ") AS v WHERE NOT EXISTS (SELECT 1 FROM level_decisions x"
	                " WHERE x.unit_code = v.column1 AND x.effective_from = v.column2"
	                " AND x.level = v.column3 AND x.source = 'import' LIMIT 1 OFFSET 0)"
	                " RETURNING id") < 0)
		return NULL;
	return strbuf_detach(&sb, NULL);
}

static void lvi_init(void)
{
	lvi_sql[0] = lvi_build(1);
	lvi_sql[1] = lvi_build(LVI_BATCH);
}

/* An open-addressed set of row indexes, keyed by the unit alone or by the
 * whole row (unit, date, level). */
struct lvi_set {
	uint32_t *slot;
	size_t mask;
	int whole;
};

static uint64_t lvi_hash(const struct level_decision_row *r, int whole)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *c = r->unit_code; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ull;
	if (whole) {
		for (const char *c = r->effective_from; *c; c++)
			h = (h ^ (unsigned char)*c) * 1099511628211ull;
		h = (h ^ (unsigned)r->level) * 1099511628211ull;
	}
	return h;
}

static int lvi_same(const struct level_decision_row *a, const struct level_decision_row *b,
                    int whole)
{
	return strcmp(a->unit_code, b->unit_code) == 0 &&
	       (!whole || (a->level == b->level && strcmp(a->effective_from, b->effective_from) == 0));
}

/* Adds row i; 1 when it is the first of its key, 0 when one came before. */
static int lvi_add(struct lvi_set *S, const struct level_decision_row *rows, size_t i)
{
	size_t k = lvi_hash(&rows[i], S->whole) & S->mask;

	for (; S->slot[k] != LVI_NONE; k = (k + 1) & S->mask)
		if (lvi_same(&rows[S->slot[k]], &rows[i], S->whole))
			return 0;
	S->slot[k] = (uint32_t)i;
	return 1;
}

static int lvi_set_init(struct lvi_set *S, size_t n, int whole)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap <<= 1;
	S->whole = whole;
	S->mask = cap - 1;
	if ((S->slot = malloc(cap * sizeof(*S->slot))) == NULL)
		return -1;
	memset(S->slot, 0xff, cap * sizeof(*S->slot));
	return 0;
}

/* The unit of row r exists and is the importer's to publish. */
static int lvi_unit_check(struct store *st, const struct store_actor *actor,
                          const struct level_decision_row *r, struct error *err)
{
	struct sql_stmt *s;
	int64_t unit_ok = 0;
	int rc;

	if ((rc = sql_prepare(st, "SELECT COUNT(*) FROM units WHERE code = $1"
	                      " AND level IN ('province','district','commune')", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, r->unit_code);
	if ((rc = sql_exec_stmt(s, &unit_ok, err)) < 0)
		return rc;
	if (!unit_ok)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "dòng %ld: cột 'unit_code': không có tỉnh, huyện hoặc xã mã '%.20s'",
		                    "line %ld: column 'unit_code': no province, district or commune '%.20s'",
		                    r->line, r->unit_code);
	/* Publishing is for administrators and the province's officers. */
	if ((rc = store_scope_check(st, actor, r->unit_code,
	                            ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PROVINCE_OFFICER), err)) < 0)
		error_prefix(err, "dòng %ld: ", "line %ld: ", r->line);
	return rc;
}

/* Inserts the rows at idx[0..m) that are not stored yet; *ins counts them. */
static int lvi_insert(struct store *st, const struct store_actor *actor,
                      const struct level_decision_row *rows, const uint32_t *idx, size_t m,
                      size_t *ins, struct error *err)
{
	struct sql_stmt *s;
	int rc, p = 3;

	if ((rc = sql_prepare(st, lvi_sql[m == LVI_BATCH], &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, actor->username ? actor->username : "system");
	sql_bind_int64(s, 2, actor->now_ms);
	for (size_t j = 0; j < m; j++, p += 4) {
		const struct level_decision_row *r = &rows[idx[j]];

		sql_bind_text(s, p, r->unit_code);
		sql_bind_text(s, p + 1, r->effective_from);
		sql_bind_int64(s, p + 2, r->level);
		sql_bind_text(s, p + 3, r->source_url);
	}
	while ((rc = sql_step(s, err)) == 1)
		(*ins)++;
	sql_done(s);
	if (rc < 0)
		error_prefix(err, "dòng %ld–%ld: ", "lines %ld-%ld: ", rows[idx[0]].line,
		             rows[idx[m - 1]].line);
	return rc < 0 ? rc : 0;
}

struct levels_import {
	const struct level_decision_row *rows;
	size_t n, ins;
};

/* Units checked in file order, then the rows new to the file in batches. */
static int lvi_run(struct store *st, const struct store_actor *actor, struct levels_import *L,
                   struct lvi_set *units, struct lvi_set *seen, uint32_t *idx, struct error *err)
{
	size_t m = 0;
	int rc;

	for (size_t i = 0; i < L->n; i++)
		if (lvi_add(units, L->rows, i) && (rc = lvi_unit_check(st, actor, &L->rows[i], err)) < 0)
			return rc;
	for (size_t i = 0; i < L->n; i++) {
		if (!lvi_add(seen, L->rows, i))
			continue;     /* a row twice in the file: the second is already there */
		idx[m++] = (uint32_t)i;
		if (m == LVI_BATCH) {
			if ((rc = lvi_insert(st, actor, L->rows, idx, m, &L->ins, err)) < 0)
				return rc;
			m = 0;
		}
	}
	for (size_t j = 0; j < m; j++)
		if ((rc = lvi_insert(st, actor, L->rows, &idx[j], 1, &L->ins, err)) < 0)
			return rc;
	return 0;
}

/* One "levels.import" row when anything was new; none for a file loaded
 * again. */
static int levels_import_body(struct store *st, void *ctx, struct store_audit *au,
                              struct error *err)
{
	struct levels_import *L = ctx;
	struct lvi_set units = { 0 }, seen = { 0 };
	uint32_t idx[LVI_BATCH];
	int rc;

	pthread_once(&lvi_once, lvi_init);
	if (lvi_sql[0] == NULL || lvi_sql[1] == NULL || L->n >= LVI_NONE ||
	    lvi_set_init(&units, L->n, 0) < 0 || lvi_set_init(&seen, L->n, 1) < 0)
		rc = store_oom(err);
	else
		rc = lvi_run(st, au->actor, L, &units, &seen, idx, err);
	free(units.slot);
	free(seen.slot);
	if (rc < 0)
		return rc;
	if (L->ins == 0) {
		au->unchanged = 1;
		return 0;
	}
	au->action = "levels.import";
	au->entity = "level";
	if ((au->after = json_pack("{s:I}", "inserted", (json_int_t)L->ins)) == NULL)
		return store_oom(err);
	return 0;
}

int store_levels_import(struct store *st, const struct store_actor *actor,
                        const struct level_decision_row *rows, size_t n,
                        size_t *inserted, struct error *err)
{
	struct levels_import L = { rows, n, 0 };
	int rc;

	if ((rc = store_write(st, actor, levels_import_body, &L, err)) < 0)
		return rc;
	if (inserted)
		*inserted = L.ins;
	return 0;
}
