/*
 * The stored cases and people a bulk case import names, found for the
 * whole file at once on PostgreSQL: the file's distinct external ids and
 * ID numbers go into a TEMP staging table by one COPY, in the import's
 * transaction (dropped at its end), and two joins over it find the stored
 * cases (in the importer's scope) and the stored people they name.  That
 * is two statements for the file where the chunked lookups took one per 32
 * keys.
 *
 * What the joins found is the database before the import wrote anything.
 * It stays true for a row while nothing the import wrote before the row can
 * change it: the row's external_id and ID number are on no earlier line of
 * the file (a new case, a new person, an update or a move of an earlier
 * line carry that line's keys), and the person of its stored case was not
 * rewritten by an earlier row (case_stage_touch).  Any other row is looked
 * up again when its chunk comes (case_import.c), as before.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/text.h"
#include "domain/role.h"
#include "store/cases-private.h"
#include "base/banned.h"

#define STAGE_NONE UINT32_MAX
#define STAGE_COPY_CAP (512u << 20)

struct stage_keys {               /* first row of each distinct key */
	uint32_t *slots;              /* row index, STAGE_NONE: empty */
	size_t mask;
	int idn;                      /* keyed by ID number, else external_id */
};

struct case_stage {
	const struct case_rec *rows;
	size_t n;
	struct stage_keys ext, idn;
	unsigned char *fresh;         /* per row: its keys on no earlier line */
	uint32_t *old;                /* per row: 1 + index in found, 0: none */
	unsigned char *many;          /* per row: stored cases of its id in several communes */
	int64_t *person;              /* per row: a stored person of its ID number, 0: none */
	struct case_rec *found;
	size_t nfound, capfound;
	struct arena a;
	unsigned char *touched;       /* bit per person id rewritten by the import */
	size_t ntouched;              /* bytes */
};

static const char *stage_key(const struct stage_keys *h, const struct case_rec *r)
{
	return h->idn ? r->person.id_number : r->external_id;
}

/* The slot of key: where it is, or the empty slot it would take. */
static size_t stage_slot(const struct stage_keys *h, const struct case_rec *rows, const char *key)
{
	size_t s = text_fnv1a(key, strlen(key), TEXT_FNV_SEED) & h->mask;

	while (h->slots[s] != STAGE_NONE && strcmp(stage_key(h, &rows[h->slots[s]]), key) != 0)
		s = (s + 1) & h->mask;
	return s;
}

/* Fills h with the first row of each key; clears fresh[i] of a later row. */
static int stage_index(struct case_stage *S, struct stage_keys *h)
{
	size_t nslots = 2;

	while (nslots < 2 * S->n)
		nslots *= 2;
	if ((h->slots = malloc(nslots * sizeof(*h->slots))) == NULL)
		return -1;
	memset(h->slots, 0xff, nslots * sizeof(*h->slots));
	h->mask = nslots - 1;
	for (size_t i = 0; i < S->n; i++) {
		const char *key = stage_key(h, &S->rows[i]);
		size_t s;

		if (!place_nz(key))
			continue;
		s = stage_slot(h, S->rows, key);
		if (h->slots[s] == STAGE_NONE)
			h->slots[s] = (uint32_t)i;
		else
			S->fresh[i] = 0;
	}
	return 0;
}

/* The first row of key, or STAGE_NONE. */
static uint32_t stage_first(const struct case_stage *S, const struct stage_keys *h,
                            const char *key)
{
	return key ? h->slots[stage_slot(h, S->rows, key)] : STAGE_NONE;
}

/* Each distinct key once, as COPY text "ext\tidn\n" (\N: none), into the
 * staging table created for it. */
static int stage_copy(struct store *st, struct case_stage *S, struct error *err)
{
	struct strbuf sb = STRBUF_INIT(STAGE_COPY_CAP);
	int rc = 0;

	for (size_t i = 0; i < S->n && rc == 0; i++) {
		const struct case_rec *r = &S->rows[i];
		const char *e = place_nz(r->external_id), *d = place_nz(r->person.id_number);

		e = e && stage_first(S, &S->ext, e) == i ? e : NULL;
		d = d && stage_first(S, &S->idn, d) == i ? d : NULL;
		if ((e || d) && (rc = sql_copy_field(&sb, e, 0)) == 0)
			rc = sql_copy_field(&sb, d, 1);
	}
	if (rc < 0)
		rc = error_set(err, rc == THC_ETOOBIG ? THC_ETOOBIG : THC_ENOMEM,
		               "không dựng được bảng tạm của tệp nhập",
		               "cannot build the staging table of the import");
	else if ((rc = sql_exec(st, "CREATE TEMP TABLE case_import_keys (ext TEXT, idn TEXT)"
	                        " ON COMMIT DROP", err)) == 0 &&
	         (rc = sql_copy_in(st, "COPY case_import_keys (ext, idn) FROM STDIN", sb.buf,
	                           sb.len, err)) == 0)
		rc = sql_exec(st, "ANALYZE case_import_keys", err);
	strbuf_release(&sb);
	return rc;
}

/* The stored cases of the file's external ids, in the actor's scope. */
static int stage_cases(struct store *st, const struct store_actor *actor, struct case_stage *S,
                       struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT " CASE_COLS " FROM case_import_keys k"
	                      " JOIN cases c ON c.external_id = k.ext"
	                      " JOIN people p ON p.id = c.person_id WHERE "
	                      SCOPE_SQL("c.unit_path", "$1", "$2"), &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_text(s, 2, place_personal_roles(roles, sizeof(roles)));
	while ((rc = sql_step(s, err)) == 1) {
		uint32_t j = stage_first(S, &S->ext, sql_col_text(s, 1));

		if (j == STAGE_NONE)
			continue;
		if (S->old[j]) {
			S->many[j] = 1;       /* in several communes: row by row */
			continue;
		}
		if (S->nfound == S->capfound) {
			size_t cap = S->capfound ? 2 * S->capfound : 256;
			struct case_rec *f = realloc(S->found, cap * sizeof(*f));

			if (f == NULL) {
				rc = store_oom(err);
				break;
			}
			S->found = f;
			S->capfound = cap;
		}
		case_from_row(s, &S->a, &S->found[S->nfound]);
		S->old[j] = (uint32_t)++S->nfound;
	}
	sql_done(s);
	return rc;
}

/* The stored people of the file's ID numbers (any commune). */
static int stage_people(struct store *st, struct case_stage *S, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT p.id_number, COALESCE(p.merged_into, p.id)"
	                      " FROM case_import_keys k JOIN people p ON p.id_number = k.idn",
	                      &s, err)) < 0)
		return rc;
	while ((rc = sql_step(s, err)) == 1) {
		uint32_t j = stage_first(S, &S->idn, sql_col_text(s, 0));

		if (j != STAGE_NONE)
			S->person[j] = sql_col_int64(s, 1);
	}
	sql_done(s);
	return rc;
}

void case_stage_free(struct case_stage *S)
{
	if (S == NULL)
		return;
	free(S->ext.slots);
	free(S->idn.slots);
	free(S->fresh);
	free(S->old);
	free(S->many);
	free(S->person);
	free(S->found);
	free(S->touched);
	arena_release(&S->a);
	free(S);
}

int case_stage_run(struct store *st, const struct store_actor *actor,
                   const struct case_rec *rows, size_t n, struct case_stage **out,
                   struct error *err)
{
	struct case_stage *S = calloc(1, sizeof(*S));
	size_t m = n ? n : 1;
	int rc;

	*out = NULL;
	if (S == NULL)
		return store_oom(err);
	S->rows = rows;
	S->n = n;
	S->a = (struct arena)ARENA_INIT(0);
	S->idn.idn = 1;
	S->fresh = malloc(m);
	S->old = calloc(m, sizeof(*S->old));
	S->many = calloc(m, 1);
	S->person = calloc(m, sizeof(*S->person));
	if (S->fresh == NULL || S->old == NULL || S->many == NULL || S->person == NULL ||
	    (memset(S->fresh, 1, m), stage_index(S, &S->ext)) < 0 || stage_index(S, &S->idn) < 0) {
		case_stage_free(S);
		return store_oom(err);
	}
	if ((rc = stage_copy(st, S, err)) < 0 || (rc = stage_cases(st, actor, S, err)) < 0 ||
	    (rc = stage_people(st, S, err)) < 0) {
		case_stage_free(S);
		return rc;
	}
	*out = S;
	return 0;
}

int case_stage_touch(struct case_stage *S, int64_t person)
{
	size_t byte = (size_t)person / 8;

	if (S == NULL || person <= 0)
		return 0;
	if (byte >= S->ntouched) {
		size_t cap = S->ntouched ? S->ntouched : 4096;
		unsigned char *t;

		while (cap <= byte)
			cap *= 2;
		if ((t = realloc(S->touched, cap)) == NULL)
			return -1;
		memset(t + S->ntouched, 0, cap - S->ntouched);
		S->touched = t;
		S->ntouched = cap;
	}
	S->touched[byte] |= (unsigned char)(1u << (person % 8));
	return 0;
}

static int stage_touched(const struct case_stage *S, int64_t person)
{
	size_t byte = (size_t)person / 8;

	return person > 0 && byte < S->ntouched && (S->touched[byte] >> (person % 8) & 1);
}

int case_stage_row(const struct case_stage *S, size_t row, const struct case_rec **old,
                   int *many, int64_t *person)
{
	const struct case_rec *o;

	if (S == NULL || row >= S->n || !S->fresh[row])
		return 0;
	o = S->old[row] ? &S->found[S->old[row] - 1] : NULL;
	if (o && stage_touched(S, o->person.id))
		return 0;
	*old = o;
	*many = S->many[row];
	*person = S->person[row];
	return 1;
}
