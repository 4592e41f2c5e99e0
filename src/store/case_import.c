/*
 * Bulk import of cases by external_id: all or nothing, new rows inserted,
 * identical ones skipped, changed ones updated (audited).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/text.h"
#include "domain/case.h"
#include "domain/role.h"
#include "store/case_import.h"
#include "store/case_import-private.h"
#include "store/cases-private.h"
#include "base/banned.h"

/* ---- import ---- */

static int streq(const char *a, const char *b)
{
	if (a && !a[0])
		a = NULL;
	if (b && !b[0])
		b = NULL;
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* The case with this external_id in the importer's scope, preferring the
 * row's commune (the id is unique per commune); 1 found, 0 none. */
static int case_by_external(struct store *st, const struct store_actor *actor, const char *ext,
                            const char *commune, struct arena *a, struct case_rec *out,
                            struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT " CASE_COLS " FROM cases c JOIN people p ON p.id = c.person_id"
	                      " WHERE c.external_id = $1 AND " SCOPE_SQL("c.unit_path", "$2", "$3")
	                      " ORDER BY CASE WHEN c.commune_code = $4 THEN 0 ELSE 1 END, c.id LIMIT 1",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, ext);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	sql_bind_text(s, 4, commune);
	rc = sql_step(s, err);
	if (rc == 1)
		case_from_row(s, a, out);
	sql_done(s);
	return rc;
}

static int import_same(const struct case_rec *o, const struct case_rec *r)
{
	int oxy = r->needs_oxygen || case_severity_needs_oxygen(r->severity);

	return streq(o->person.full_name, r->person.full_name) &&
	       streq(o->person.id_number, r->person.id_number) &&
	       o->person.birth_year == r->person.birth_year &&
	       streq(o->person.sex, r->person.sex) && streq(o->person.phone, r->person.phone) &&
	       streq(o->person.unit_code, r->person.unit_code) &&
	       streq(o->detected_on, r->detected_on) && streq(o->source, r->source) &&
	       streq(o->test_type, r->test_type) &&
	       streq(o->severity, r->severity && r->severity[0] ? r->severity : "asymptomatic") &&
	       o->needs_oxygen == oxy &&
	       streq(o->care_place, r->care_place && r->care_place[0] ? r->care_place : "home") &&
	       streq(o->outcome, r->outcome) && streq(o->outcome_on, r->outcome_on);
}

/*
 * The person of an updated case.  Its record lives in the case's commune
 * (people.c), so it is in the importer's scope and is rewritten; when the
 * row moves the case to another commune, the row's person is resolved there
 * instead and the case points at it (the old record stays with its others).
 */
static int import_person(struct store *st, const struct store_actor *actor,
                         const struct case_rec *old, const struct case_rec *r,
                         const struct place *pl, int64_t *person_id, struct error *err)
{
	struct person_use use = { "case", r->detected_on,
	                          place_nz(r->severity) ? r->severity : "asymptomatic" };
	char folded[3 * CASE_NAME_MAX + 1];
	struct person np = r->person;
	struct sql_stmt *s;
	int rc;

	if (!streq(old->person.commune_code, pl->commune)) {
		if ((rc = person_resolve(st, actor, &np, pl, &use, err)) < 0)
			return rc;
		*person_id = np.id;
		return 0;
	}
	text_fold(r->person.full_name, folded, sizeof(folded));
	if ((rc = sql_prepare(st, "UPDATE people SET full_name = $2, full_name_folded = $3,"
	                      " id_number = $4, birth_year = $5, sex = $6, phone = $7, updated_at = $8"
	                      " WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, old->person.id);
	sql_bind_text(s, 2, r->person.full_name);
	sql_bind_text(s, 3, folded);
	sql_bind_text(s, 4, place_nz(r->person.id_number));
	if (r->person.birth_year >= 0)
		sql_bind_int64(s, 5, r->person.birth_year);
	else
		sql_bind_null(s, 5);
	sql_bind_text(s, 6, place_nz(r->person.sex));
	sql_bind_text(s, 7, place_nz(r->person.phone));
	sql_bind_int64(s, 8, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set_at(err, rc, "id_number", "cột 'id_number': số đã thuộc người khác trong xã",
			          "column 'id_number': the number belongs to another person of the commune");
		return rc;
	}
	*person_id = old->person.id;
	/* A new ID number may have its home elsewhere: tell it. */
	np.id = old->person.id;
	if (place_nz(np.id_number) && !streq(old->person.id_number, np.id_number))
		return person_linked(st, actor, &np, pl, &use, err);
	return 0;
}

/* An imported row changes a case it already has: person fields and case
 * fields; its "case.import_update" row is written at once. */
static int import_update(struct store *st, struct store_audit *au,
                         const struct case_rec *old, const struct case_rec *r,
                         const struct place *pl, struct case_stage *stage,
                         struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct case_rec after = *r;
	struct sql_stmt *s;
	int64_t person_id = 0;
	int rc;

	if ((rc = import_person(st, actor, old, r, pl, &person_id, err)) < 0)
		return rc;
	if (case_stage_touch(stage, old->person.id) < 0 || case_stage_touch(stage, person_id) < 0)
		return store_oom(err);
	if (!streq(old->person.unit_code, r->person.unit_code) || person_id != old->person.id) {
		if ((rc = sql_prepare(st, "UPDATE cases SET unit_code = $2, unit_path = $3,"
		                      " commune_code = $4, province_code = $5, person_id = $6"
		                      " WHERE id = $1", &s, err)) < 0)
			return rc;
		sql_bind_int64(s, 1, old->id);
		sql_bind_text(s, 2, pl->code);
		sql_bind_text(s, 3, pl->path);
		sql_bind_text(s, 4, pl->commune);
		sql_bind_text(s, 5, pl->province);
		sql_bind_int64(s, 6, person_id);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
			if (rc == THC_ECONFLICT)
				error_set_at(err, rc, "external_id", "cột 'external_id': xã mới đã có ca mã '%.40s'",
				          "column 'external_id': the new commune already has a case '%.40s'",
				          r->external_id);
			return rc;
		}
	}
	after.id = old->id;
	after.person.id = person_id;
	after.severity = place_nz(r->severity) ? r->severity : "asymptomatic";
	after.care_place = place_nz(r->care_place) ? r->care_place : "home";
	after.outcome = place_nz(r->outcome);
	after.outcome_on = place_nz(r->outcome_on);
	after.needs_oxygen = r->needs_oxygen || case_severity_needs_oxygen(after.severity);
	if ((rc = case_write_update(st, au, old, &after, "case.import_update", err)) < 0)
		return rc;
	return store_audit_flush(st, au, err);
}

struct imp_counts {
	size_t ins, upd, skip;
	struct case_stage *stage;     /* told of the people the rows rewrite */
};

/* A bad line of a file, not a missing resource; the message names the line. */
static int import_row_fail(int rc, long line, struct error *err)
{
	if (rc == THC_ENOTFOUND)
		rc = err->code = THC_EUNPROCESSABLE;
	error_prefix(err, "dòng %ld: ", "line %ld: ", line);
	return rc;
}

/* One row, statement by statement (the reference behaviour). */
static int import_row(struct store *st, struct store_audit *au,
                      const struct case_rec *row, struct place *pl, struct imp_counts *k,
                      struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct arena a = ARENA_INIT(0);
	struct case_rec r = *row, old;
	struct person_use use = { "case", row->detected_on,
	                          place_nz(row->severity) ? row->severity : "asymptomatic" };
	int rc;

	if (r.external_id == NULL || r.external_id[0] == '\0')
		return error_set_at(err, THC_EUNPROCESSABLE, "external_id", "cột 'external_id': thiếu mã",
		                 "column 'external_id': missing");
	if ((rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, r.person.unit_code,
	                       "unit_code", pl, err)) < 0)
		return rc;
	if ((rc = case_by_external(st, actor, r.external_id, pl->commune, &a, &old, err)) < 0)
		goto out;
	if (rc == 1) {
		if (import_same(&old, &r)) {
			k->skip++;
		} else if ((rc = import_update(st, au, &old, &r, pl, k->stage, err)) < 0) {
			goto out;
		} else {
			k->upd++;
		}
		rc = 0;
		goto out;
	}
	if ((rc = person_resolve(st, actor, &r.person, pl, &use, err)) < 0 ||
	    (rc = case_insert(st, actor, &r, pl, err)) < 0)
		goto out;
	if (case_stage_touch(k->stage, r.person.id) < 0) {
		rc = store_oom(err);
		goto out;
	}
	k->ins++;
out:
	arena_release(&a);
	return rc;
}

/*
 * The bulk path.  Rows go in chunks of IMPORT_CHUNK: one SELECT per
 * statement's worth of ids finds the chunk's existing cases, one its people
 * by ID number, and new people and cases are written by multi-row INSERTs
 * when the chunk ends.  The result is the row-by-row one: a row that
 * depends on what an earlier row of the chunk wrote (a repeated
 * external_id, an update, a person found by ID number) first writes what is
 * pending, runs row by row, and starts a new chunk after it.
 *
 * The statements are sized to the budget of bound parameters per statement
 * that the connection's driver gives (sql_params_max: SQLite 999,
 * PostgreSQL 1024), built once per distinct budget and kept for the life of
 * the process (the drivers cache prepared statements by the SQL pointer).
 */

struct imp_key {
	const char *key;
	size_t j;                     /* row of the chunk */
};

struct imp_person {              /* a new person of the chunk */
	struct person p;              /* as merged by later rows with its ID number */
	size_t place;
	int64_t id;
};

struct imp_case {                /* a new case of the chunk */
	const struct case_rec *r;
	size_t place, person;
};

struct imp_run {
	struct store *st;
	const struct store_actor *actor;
	struct store_audit *au;       /* the import's audit rows (store_write) */
	const struct case_rec *rows;
	size_t n;
	const struct imp_set *S;      /* statements for the connection's budget */
	struct store_bad_lines *bad;  /* the checks' bad lines */
	struct case_check *chk;       /* the checks' places of the rows */
	struct case_stage *stage;     /* PostgreSQL: the file's stored cases and people */
	struct place pl;              /* place_lookup's cache, as row by row */
	struct imp_counts k;
	struct arena a;               /* the chunk's existing cases */
	int rerun;                    /* a batch failed: rows [rerun_from, rerun_to) again */
	size_t rerun_from, rerun_to;
	size_t slow_from, slow_to;    /* this pass runs these rows one by one */
	/* per row of the chunk */
	struct imp_key ext[IMPORT_CHUNK], idn[IMPORT_CHUNK];
	unsigned char ext_dup[IMPORT_CHUNK], has_old[IMPORT_CHUNK];
	unsigned char ext_many[IMPORT_CHUNK];  /* found in several communes of the scope */
	unsigned char staged[IMPORT_CHUNK];    /* found by the staging table (case_stage.c) */
	struct case_rec old[IMPORT_CHUNK];
	size_t idn_first[IMPORT_CHUNK];       /* first row with its ID number; SIZE_MAX: none */
	int64_t db_person[IMPORT_CHUNK];      /* at idn_first: the stored person, 0 if none */
	size_t new_person[IMPORT_CHUNK];      /* at idn_first: index in persons, SIZE_MAX */
	/* pending writes */
	struct place places[IMPORT_CHUNK];
	struct imp_person persons[IMPORT_CHUNK];
	struct imp_case cases[IMPORT_CHUNK];
	size_t nplaces, npersons, ncases, pend_from;
};

static int imp_key_cmp(const void *x, const void *y)
{
	const struct imp_key *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	return c ? c : a->j < b->j ? -1 : a->j > b->j;
}

static int int64_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

/* The first of the sorted keys equal to key, or NULL. */
static const struct imp_key *imp_find(const struct imp_key *keys, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(keys[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(keys[lo].key, key) == 0 ? &keys[lo] : NULL;
}

/* The pending cases by COPY (a backend that takes it), their people written. */
static int imp_copy_cases(const struct imp_run *R, struct error *err)
{
	const struct case_rec *cr[IMPORT_CHUNK];
	const struct place *cp[IMPORT_CHUNK];
	int64_t pid[IMPORT_CHUNK];

	for (size_t p = 0; p < R->ncases; p++) {
		cr[p] = R->cases[p].r;
		cp[p] = &R->places[R->cases[p].place];
		pid[p] = R->persons[R->cases[p].person].id;
	}
	return case_copy_insert(R->st, R->actor, cr, cp, pid, R->ncases, err);
}

/* The pending people by COPY (a backend that takes it), ids from the sequence. */
static int imp_copy_people(struct imp_run *R, struct error *err)
{
	const struct person *pp[IMPORT_CHUNK];
	const struct place *pl[IMPORT_CHUNK];
	int64_t ids[IMPORT_CHUNK];
	int rc;

	for (size_t p = 0; p < R->npersons; p++) {
		pp[p] = &R->persons[p].p;
		pl[p] = &R->places[R->persons[p].place];
	}
	if ((rc = case_copy_people(R->st, R->actor, pp, pl, R->npersons, ids, err)) < 0)
		return rc;
	for (size_t p = 0; p < R->npersons; p++)
		R->persons[p].id = ids[p];
	return 0;
}

/* The pending people by multi-row INSERTs, their ids by RETURNING. */
static int imp_insert_people(struct imp_run *R, struct error *err)
{
	char folded[3 * CASE_NAME_MAX + 1];
	struct sql_stmt *s;
	int64_t ids[IMPORT_CHUNK];
	size_t nids;
	int rc;

	for (size_t p = 0; p < R->npersons; p += (size_t)R->S->rows[IMP_PERSON_INS1]) {
		enum imp_sql q = R->npersons - p >= (size_t)R->S->rows[IMP_PERSON_INS] ?
		                 IMP_PERSON_INS : IMP_PERSON_INS1;
		int k = R->S->rows[q];

		if ((rc = sql_prepare(R->st, R->S->sql[q], &s, err)) < 0)
			return rc;
		sql_bind_int64(s, 1, R->actor->now_ms);
		for (int t = 0; t < k; t++) {
			const struct imp_person *ip = &R->persons[p + (size_t)t];
			const struct place *pl = &R->places[ip->place];
			int at = 2 + t * IMPORT_PERSON_COLS;

			text_fold(ip->p.full_name, folded, sizeof(folded));
			sql_bind_text(s, at, ip->p.full_name);
			sql_bind_text(s, at + 1, folded);
			sql_bind_text(s, at + 2, place_nz(ip->p.id_number));
			if (ip->p.birth_year >= 0)
				sql_bind_int64(s, at + 3, ip->p.birth_year);
			else
				sql_bind_null(s, at + 3);
			sql_bind_text(s, at + 4, place_nz(ip->p.sex));
			sql_bind_text(s, at + 5, place_nz(ip->p.phone));
			sql_bind_text(s, at + 6, pl->code);
			sql_bind_text(s, at + 7, pl->path);
			sql_bind_text(s, at + 8, pl->commune);
			sql_bind_text(s, at + 9, pl->province);
			sql_bind_text(s, at + 10, place_nz(ip->p.address));
		}
		nids = 0;
		while ((rc = sql_step(s, err)) == 1)
			if (nids < (size_t)k)
				ids[nids++] = sql_col_int64(s, 0);
		sql_done(s);
		if (rc < 0)
			return rc;
		if (nids != (size_t)k) {
			return error_set(err, THC_EINTERNAL, "người: thêm %zu/%d dòng",
			                 "people: %zu of %d rows inserted", nids, k);
		}
		/* Ids grow in the order of the VALUES rows; RETURNING's order is not promised. */
		qsort(ids, nids, sizeof(ids[0]), int64_cmp);
		for (int t = 0; t < k; t++)
			R->persons[p + (size_t)t].id = ids[t];
		if (q == IMP_PERSON_INS)
			p += (size_t)(k - 1);
	}
	return 0;
}

/* Writes the pending people and cases; rows before `upto` are done. */
static int imp_flush(struct imp_run *R, size_t upto, struct error *err)
{
	char wk[11], owk[11];
	const char *user = R->actor->username ? R->actor->username : "system";
	struct sql_stmt *s;
	size_t p;
	int rc = 0;

	if (R->npersons && (rc = sql_can_copy(R->st) ? imp_copy_people(R, err)
	                                            : imp_insert_people(R, err)) < 0)
		goto fail;
	if (R->ncases && sql_can_copy(R->st)) {
		if ((rc = imp_copy_cases(R, err)) < 0)
			goto fail;
		R->ncases = 0;    /* written: the loop below has nothing left */
	}
	for (p = 0; p < R->ncases; p += (size_t)R->S->rows[IMP_CASE_INS1]) {
		enum imp_sql q = R->ncases - p >= (size_t)R->S->rows[IMP_CASE_INS] ?
		                 IMP_CASE_INS : IMP_CASE_INS1;
		int k = R->S->rows[q];

		if ((rc = sql_prepare(R->st, R->S->sql[q], &s, err)) < 0)
			goto fail;
		sql_bind_int64(s, 1, R->actor->now_ms);
		sql_bind_text(s, 2, user);
		for (int t = 0; t < k; t++) {
			const struct imp_case *ic = &R->cases[p + (size_t)t];
			const struct case_rec *c = ic->r;
			const struct place *pl = &R->places[ic->place];
			int at = 3 + t * IMPORT_CASE_COLS;
			int out = c->outcome_on && c->outcome_on[0];

			place_week_end(c->detected_on, wk);
			if (out)
				place_week_end(c->outcome_on, owk);
			sql_bind_text(s, at, place_nz(c->external_id));
			sql_bind_int64(s, at + 1, R->persons[ic->person].id);
			sql_bind_text(s, at + 2, pl->code);
			sql_bind_text(s, at + 3, pl->path);
			sql_bind_text(s, at + 4, pl->commune);
			sql_bind_text(s, at + 5, pl->province);
			sql_bind_text(s, at + 6, c->detected_on);
			sql_bind_text(s, at + 7, wk);
			sql_bind_text(s, at + 8, c->test_type);
			sql_bind_text(s, at + 9, c->source);
			sql_bind_text(s, at + 10, place_nz(c->severity) ? c->severity : "asymptomatic");
			sql_bind_int64(s, at + 11, c->needs_oxygen || case_severity_needs_oxygen(c->severity));
			sql_bind_text(s, at + 12, place_nz(c->care_place) ? c->care_place : "home");
			sql_bind_text(s, at + 13, place_nz(c->outcome));
			sql_bind_text(s, at + 14, out ? c->outcome_on : NULL);
			sql_bind_text(s, at + 15, out ? owk : NULL);
			place_bind_opt_id(s, at + 16, c->cluster_id);
			place_bind_opt_id(s, at + 17, c->infected_by);
		}
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			goto fail;
		if (q == IMP_CASE_INS)
			p += (size_t)(k - 1);
	}
	rc = 0;
	goto out;
fail:
	/* Which row?  The caller runs these rows again one by one. */
	R->rerun = 1;
	R->rerun_from = R->pend_from;
	R->rerun_to = upto;
out:
	R->nplaces = R->npersons = R->ncases = 0;
	R->pend_from = SIZE_MAX;
	return rc;
}

/* Keeps the keys of keys[0, n) that keep(R, j) wants, in order; their number. */
static size_t imp_keep(struct imp_run *R, struct imp_key *keys, size_t n,
                       int (*keep)(const struct imp_run *, size_t))
{
	size_t w = 0;

	for (size_t t = 0; t < n; t++)
		if (keep(R, keys[t].j))
			keys[w++] = keys[t];
	return w;
}

static int imp_ext_wanted(const struct imp_run *R, size_t j)
{
	return !R->staged[j] && !R->ext_dup[j];
}

static int imp_idn_wanted(const struct imp_run *R, size_t j)
{
	return !R->staged[j] && R->idn_first[j] == j;
}

/* Each key of keys[0, n) once per statement q (padded with its first key):
 * found(R, keys, n, s) takes each result row. */
static int imp_lookup(struct imp_run *R, enum imp_sql q, const struct imp_key *keys, size_t n,
                      void (*found)(struct imp_run *, const struct imp_key *, size_t,
                                    struct sql_stmt *), struct error *err)
{
	const int per = R->S->rows[q];
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	size_t t, u;
	int rc;

	place_personal_roles(roles, sizeof(roles));
	for (t = 0; t < n; t = u) {
		int x = 0;

		if ((rc = sql_prepare(R->st, R->S->sql[q], &s, err)) < 0)
			return rc;
		for (u = t; u < n && x < per; u++)
			sql_bind_text(s, ++x, keys[u].key);
		/* Pad with a key, not NULL: PostgreSQL would plan "= NULL" away, find
		 * such custom plans cheaper than the generic one and plan every call. */
		for (; x < per; )
			sql_bind_text(s, ++x, keys[t].key);
		if (q == IMP_CASE_IN) {
			sql_bind_int64(s, per + 1, store_actor_uid(R->actor));
			sql_bind_text(s, per + 2, roles);
		}
		while ((rc = sql_step(s, err)) == 1)
			found(R, keys, n, s);
		sql_done(s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void imp_found_case(struct imp_run *R, const struct imp_key *keys, size_t n,
                           struct sql_stmt *s)
{
	const struct imp_key *f = imp_find(keys, n, sql_col_text(s, 1));

	if (f && R->has_old[f->j]) {
		R->ext_many[f->j] = 1;   /* in several communes: row by row */
	} else if (f) {
		case_from_row(s, &R->a, &R->old[f->j]);
		R->has_old[f->j] = 1;
	}
}

static void imp_found_person(struct imp_run *R, const struct imp_key *keys, size_t n,
                             struct sql_stmt *s)
{
	const struct imp_key *f = imp_find(keys, n, sql_col_text(s, 0));

	if (f)
		R->db_person[R->idn_first[f->j]] = sql_col_int64(s, 1);
}

/* Finds the chunk's existing cases (by external_id) and, for the ID numbers
 * of its new rows, the stored people: from the staging table where it is
 * still true (case_stage_row), else by lookups of 32 keys. */
static int imp_prefetch(struct imp_run *R, size_t i, size_t m, struct error *err)
{
	int64_t staged_person[IMPORT_CHUNK];
	size_t ne = 0, ni = 0, t;
	int rc;

	for (size_t j = 0; j < m; j++) {
		const struct case_rec *r = &R->rows[i + j];
		const struct case_rec *o = NULL;
		int many = 0;

		R->ext_dup[j] = R->has_old[j] = R->ext_many[j] = 0;
		R->idn_first[j] = SIZE_MAX;
		R->db_person[j] = 0;
		R->new_person[j] = SIZE_MAX;
		R->staged[j] = (unsigned char)case_stage_row(R->stage, i + j, &o, &many,
		                                             &staged_person[j]);
		if (R->staged[j] && o) {
			R->old[j] = *o;
			R->has_old[j] = 1;
			R->ext_many[j] = (unsigned char)many;
		}
		if (place_nz(r->external_id))
			R->ext[ne++] = (struct imp_key){ r->external_id, j };
		if (place_nz(r->person.id_number))
			R->idn[ni++] = (struct imp_key){ r->person.id_number, j };
	}
	qsort(R->ext, ne, sizeof(R->ext[0]), imp_key_cmp);
	for (t = 1; t < ne; t++)
		if (strcmp(R->ext[t].key, R->ext[t - 1].key) == 0)
			R->ext_dup[R->ext[t].j] = 1;
	qsort(R->idn, ni, sizeof(R->idn[0]), imp_key_cmp);
	for (t = 0; t < ni; t++)
		R->idn_first[R->idn[t].j] = t && strcmp(R->idn[t].key, R->idn[t - 1].key) == 0 ?
		                            R->idn_first[R->idn[t - 1].j] : R->idn[t].j;
	for (size_t j = 0; j < m; j++)
		if (R->staged[j] && R->idn_first[j] == j)
			R->db_person[j] = staged_person[j];
	ne = imp_keep(R, R->ext, ne, imp_ext_wanted);
	ni = imp_keep(R, R->idn, ni, imp_idn_wanted);
	if ((rc = imp_lookup(R, IMP_CASE_IN, R->ext, ne, imp_found_case, err)) < 0)
		return rc;
	return imp_lookup(R, IMP_PERSON_IN, R->idn, ni, imp_found_person, err);
}

/* Rows [i, end): *next is where to go on (a new chunk starts there). */
static int imp_chunk(struct imp_run *R, size_t i, size_t end, size_t *next, struct error *err)
{
	const size_t m = end - i;
	size_t j;
	int rc;

	if ((rc = imp_prefetch(R, i, m, err)) < 0)
		return rc;
	for (j = 0; j < m; j++) {
		const struct case_rec *r = &R->rows[i + j];
		size_t g = R->idn_first[j];

		if (!place_nz(r->external_id)) {
			rc = error_set_at(err, THC_EUNPROCESSABLE, "external_id", "cột 'external_id': thiếu mã",
			               "column 'external_id': missing");
			goto row_fail;
		}
		R->pl = *case_check_place(R->chk, i + j);   /* checked: a good row */
		if (R->ext_dup[j]) {          /* the earlier row must be stored first */
			*next = i + j;
			return imp_flush(R, i + j, err);
		}
		if (R->ext_many[j] || (g != SIZE_MAX && R->new_person[g] != SIZE_MAX &&
		    strcmp(R->places[R->persons[R->new_person[g]].place].commune, R->pl.commune) != 0)) {
			/* Which case, or a person of this ID number in two communes of
			 * the chunk: what is pending first, then this row alone. */
			if ((rc = imp_flush(R, i + j, err)) < 0)
				return rc;
			if ((rc = import_row(R->st, R->au, r, &R->pl, &R->k, err)) < 0)
				goto row_fail;
			*next = i + j + 1;
			return 0;
		}
		if (R->has_old[j]) {
			const struct case_rec *old = &R->old[j];

			if (import_same(old, r)) {
				R->k.skip++;
				continue;
			}
			if ((rc = imp_flush(R, i + j, err)) < 0)
				return rc;
			if ((rc = import_update(R->st, R->au, old, r, &R->pl, R->stage, err)) < 0)
				goto row_fail;
			R->k.upd++;
			*next = i + j + 1;    /* the update may change what the chunk read */
			return 0;
		}
		if (g != SIZE_MAX && R->db_person[g]) {
			/* A stored person of this ID number, in this commune or another:
			 * person_resolve fills it in or links it (people.c). */
			if ((rc = imp_flush(R, i + j, err)) < 0)
				return rc;
			if ((rc = import_row(R->st, R->au, r, &R->pl, &R->k, err)) < 0)
				goto row_fail;
			*next = i + j + 1;    /* the person was filled in: read again */
			return 0;
		}
		if (R->nplaces == 0 || strcmp(R->places[R->nplaces - 1].code, R->pl.code) != 0)
			R->places[R->nplaces++] = R->pl;
		if (g != SIZE_MAX && R->new_person[g] != SIZE_MAX) {
			/* as person_resolve: fill in what the person lacks */
			struct person *p = &R->persons[R->new_person[g]].p;

			if (p->birth_year < 0)
				p->birth_year = r->person.birth_year;
			if (!place_nz(p->sex))
				p->sex = r->person.sex;
			if (!place_nz(p->phone))
				p->phone = r->person.phone;
			if (!place_nz(p->address))
				p->address = r->person.address;
		} else {
			R->persons[R->npersons] = (struct imp_person){ .p = r->person,
			                                               .place = R->nplaces - 1 };
			if (g != SIZE_MAX)
				R->new_person[g] = R->npersons;
			R->npersons++;
		}
		R->cases[R->ncases++] = (struct imp_case){
			.r = r, .place = R->nplaces - 1,
			.person = g != SIZE_MAX ? R->new_person[g] : R->npersons - 1 };
		if (R->pend_from == SIZE_MAX)
			R->pend_from = i + j;
		R->k.ins++;
	}
	*next = end;
	return imp_flush(R, end, err);
row_fail:
	if (R->ncases) {              /* earlier rows first, as row by row */
		struct error ferr = ERROR_INIT;

		if (imp_flush(R, i + j + 1, &ferr) < 0) {
			*err = ferr;
			return ferr.code;
		}
	}
	return import_row_fail(rc, R->rows[i + j].line, err);
}

/* Rows [slow_from, slow_to) one by one, the others in chunks. */
static int imp_pass(struct imp_run *R, size_t slow_from, size_t slow_to, struct error *err)
{
	size_t i = 0, end, next = 0;
	int rc;

	while (i < R->n) {
		if (i >= slow_from && i < slow_to) {
			if ((rc = import_row(R->st, R->au, &R->rows[i], &R->pl, &R->k, err)) < 0)
				return import_row_fail(rc, R->rows[i].line, err);
			i++;
			continue;
		}
		end = R->n - i > IMPORT_CHUNK ? i + IMPORT_CHUNK : R->n;
		if (i < slow_from && end > slow_from)
			end = slow_from;
		rc = imp_chunk(R, i, end, &next, err);
		arena_release(&R->a);
		if (rc < 0)
			return rc;
		i = next;
	}
	return 0;
}

/* One pass over the rows; "cases.import" after the rows' own audit rows,
 * even when every row was skipped. */
static int cases_import_run(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	struct imp_run *R = ctx;
	int rc;

	R->st = st;
	R->au = au;
	memset(&R->pl, 0, sizeof(R->pl));
	memset(&R->k, 0, sizeof(R->k));
	R->rerun = 0;
	R->nplaces = R->npersons = R->ncases = 0;
	R->pend_from = SIZE_MAX;
	R->bad->n = 0;
	case_check_free(R->chk);
	if ((rc = case_check_run(st, au->actor, R->rows, R->n, R->bad, &R->chk, err)) < 0)
		return rc;
	if (R->bad->n) {              /* every bad line found, nothing written */
		*err = R->bad->v[0].err;
		return err->code;
	}
	case_stage_free(R->stage);
	R->stage = R->k.stage = NULL;
	if (sql_can_copy(st) && (rc = case_stage_run(st, au->actor, R->rows, R->n, &R->stage,
	                                             err)) < 0)
		return rc;
	R->k.stage = R->stage;
	rc = imp_pass(R, R->slow_from, R->slow_to, err);
	arena_release(&R->a);
	if (rc < 0)
		return rc;
	au->action = "cases.import";
	au->entity = "case";
	au->unit_code = UNIT_COUNTRY_CODE;
	if ((au->after = json_pack("{s:I,s:I,s:I}", "inserted", (json_int_t)R->k.ins,
	                           "updated", (json_int_t)R->k.upd,
	                           "skipped", (json_int_t)R->k.skip)) == NULL)
		return store_oom(err);
	return 0;
}

/* The connection's page cache as it is (SQLite); 0 when it cannot be read. */
static int64_t imp_cache_size(struct store *st)
{
	struct error e = ERROR_INIT;
	struct sql_stmt *s;
	int64_t v = 0;

	if (sql_prepare(st, "PRAGMA cache_size", &s, &e) < 0)
		return 0;
	if (sql_step(s, &e) == 1)
		v = sql_col_int64(s, 0);
	sql_done(s);
	return v;
}

/* The import with a wide page cache on SQLite (STORE_IMPORT_CACHE_SIZE),
 * given back afterwards: the connection returns to the pool as it was. */
static int cases_import_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	struct error e = ERROR_INIT;
	char sql[48];
	int64_t was = sql_can_copy(st) ? 0 : imp_cache_size(st);
	int rc;

	if (was == 0)
		return cases_import_run(st, ctx, au, err);
	snprintf(sql, sizeof(sql), "PRAGMA cache_size=%d", STORE_IMPORT_CACHE_SIZE);
	if ((rc = sql_exec(st, sql, err)) < 0)
		return rc;
	rc = cases_import_run(st, ctx, au, err);
	snprintf(sql, sizeof(sql), "PRAGMA cache_size=%lld", (long long)was);
	if (sql_exec(st, sql, &e) < 0 && rc == 0) {
		*err = e;
		rc = e.code;
	}
	return rc;
}

int store_cases_import(struct store *st, const struct store_actor *actor,
                       const struct case_rec *rows, size_t n, size_t *inserted,
                       size_t *updated, size_t *skipped, struct error *err)
{
	return store_cases_import_lines(st, actor, rows, n, inserted, updated, skipped, NULL, err);
}

int store_cases_import_lines(struct store *st, const struct store_actor *actor,
                             const struct case_rec *rows, size_t n, size_t *inserted,
                             size_t *updated, size_t *skipped, struct store_bad_lines *bad,
                             struct error *err)
{
	struct store_bad_line first;
	struct store_bad_lines one = { &first, 0, 1 };
	const struct imp_set *S;
	struct imp_run *R;
	int rc;

	if ((rc = imp_set_for(st, &S, err)) < 0)
		return rc;
	if ((R = calloc(1, sizeof(*R))) == NULL)
		return store_oom(err);
	R->bad = bad && bad->max ? bad : &one;
	R->S = S;
	R->actor = actor;
	R->rows = rows;
	R->n = n;
	R->a = (struct arena)ARENA_INIT(0);
	R->slow_from = R->slow_to = SIZE_MAX;
	for (int pass = 0;; pass++) {
		if ((rc = store_write(st, actor, cases_import_body, R, err)) >= 0 || !R->rerun ||
		    pass > 0)
			break;
		/* A multi-row statement failed: run again, those rows one by one,
		 * so the error names the line. */
		R->slow_from = R->rerun_from;
		R->slow_to = R->rerun_to;
	}
	if (rc == 0) {
		if (inserted)
			*inserted = R->k.ins;
		if (updated)
			*updated = R->k.upd;
		if (skipped)
			*skipped = R->k.skip;
	}
	case_check_free(R->chk);
	case_stage_free(R->stage);
	free(R);
	return rc;
}
