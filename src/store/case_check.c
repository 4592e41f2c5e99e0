/*
 * The checks of a case import that need the database, made for every line
 * before anything is written, so that a refused file names all its bad
 * lines at once: the unit of each row (a commune, hamlet or household in
 * the importer's scope; unknown and out of scope look the same), looked up
 * once per distinct code, and a case named twice in the file (the same
 * external_id in one commune: which of the two rows would be the case?).
 *
 * Both are set operations over the file, done in memory with two hash
 * tables: the distinct codes are a few thousand (the communes of the
 * country), the rows up to a million.  The places found are kept for the
 * write (case_check_place), so no row looks its unit up again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/text.h"
#include "domain/role.h"
#include "store/case_import.h"
#include "store/cases-private.h"
#include "base/banned.h"

#define CHECK_NONE UINT32_MAX

struct check_unit {
	const char *code;             /* borrowed from the first row naming it */
	struct place pl;
	int bad;                      /* index + 1 in errs, 0: good, -1: bad, never told */
};

struct case_check {
	const struct case_rec *rows;
	size_t n;
	struct check_unit *units;
	size_t nunits, capunits;
	uint32_t *slots;              /* unit index, CHECK_NONE: empty */
	size_t nslots;
	uint32_t *unit_of;            /* per row */
	struct error *errs;           /* one per bad distinct code */
	size_t nerrs;
};

static uint64_t check_hash(const char *s, uint64_t h)
{
	return s ? text_fnv1a(s, strlen(s), h) : h;
}

#define CHECK_SEED TEXT_FNV_SEED

static int check_grow_units(struct case_check *C)
{
	size_t cap = C->capunits ? 2 * C->capunits : 1024;
	struct check_unit *u = realloc(C->units, cap * sizeof(*u));
	uint32_t *slots = malloc(2 * cap * sizeof(*slots));

	if (u == NULL || slots == NULL) {
		free(slots);
		if (u)
			C->units = u;
		return -1;
	}
	C->units = u;
	C->capunits = cap;
	free(C->slots);
	C->slots = slots;
	C->nslots = 2 * cap;
	memset(slots, 0xff, C->nslots * sizeof(*slots));
	for (size_t k = 0; k < C->nunits; k++) {
		size_t s = check_hash(u[k].code, CHECK_SEED) & (C->nslots - 1);

		while (slots[s] != CHECK_NONE)
			s = (s + 1) & (C->nslots - 1);
		slots[s] = (uint32_t)k;
	}
	return 0;
}

/* The index of code in the unit table, added (not yet looked up) when new. */
static int check_unit_of(struct case_check *C, const char *code, uint32_t *out)
{
	size_t s;

	if (code == NULL)
		code = "";
	if (C->nunits == C->capunits && check_grow_units(C) < 0)
		return -1;
	s = check_hash(code, CHECK_SEED) & (C->nslots - 1);
	while (C->slots[s] != CHECK_NONE) {
		if (strcmp(C->units[C->slots[s]].code, code) == 0) {
			*out = C->slots[s];
			return 0;
		}
		s = (s + 1) & (C->nslots - 1);
	}
	C->slots[s] = (uint32_t)C->nunits;
	C->units[C->nunits] = (struct check_unit){ .code = code };
	*out = (uint32_t)C->nunits++;
	return 0;
}

/* Unit k's answer (0 with its place, or place_lookup's error in *e): only
 * the first `max` bad units keep theirs.  < 0 when the store failed. */
static int check_unit_done(struct case_check *C, size_t k, int rc, struct error *e, size_t max,
                           struct error *err)
{
	struct check_unit *u = &C->units[k];

	if ((rc == THC_ENOTFOUND || rc == THC_EUNPROCESSABLE) && C->nerrs == max) {
		u->bad = -1;
		return 0;
	}
	if (rc == THC_ENOTFOUND || rc == THC_EUNPROCESSABLE) {
		e->code = THC_EUNPROCESSABLE;    /* a bad line, not a missing resource */
		C->errs[C->nerrs++] = *e;
		u->bad = (int)C->nerrs;
		return 0;
	}
	if (rc < 0)
		*err = *e;
	return rc < 0 ? rc : 0;
}

/* PostgreSQL: every unit in one statement, its codes as an array (one round
 * trip where a lookup per unit took ten thousand for the country). */
static int check_units_set(struct store *st, const struct store_actor *actor,
                           struct case_check *C, size_t max, struct error *err)
{
	struct strbuf sb;
	size_t cap = 3;
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	for (size_t i = 0; i < C->nunits; i++)
		cap += 2 * strlen(C->units[i].code) + 3;   /* "code", each byte escaped at worst */
	sb = (struct strbuf)STRBUF_INIT(cap);
	rc = strbuf_adds(&sb, "{");

	for (size_t i = 0; i < C->nunits && rc == 0; i++) {
		rc = strbuf_adds(&sb, i ? ",\"" : "\"");
		for (const char *c = C->units[i].code; *c && rc == 0; c++)
			rc = strbuf_addf(&sb, *c == '"' || *c == '\\' ? "\\%c" : "%c", *c);
		if (rc == 0)
			rc = strbuf_adds(&sb, "\"");
	}
	if (rc < 0 || strbuf_adds(&sb, "}") < 0) {
		strbuf_release(&sb);
		return store_oom(err);
	}
	if ((rc = sql_prepare(st, "SELECT u.path, u.level FROM unnest(CAST($1 AS TEXT[]))"
	                      " WITH ORDINALITY AS x(code, k) LEFT JOIN units u ON u.code = x.code"
	                      " AND " SCOPE_SQL("u.path", "$2", "$3") " ORDER BY x.k",
	                      &s, err)) < 0) {
		strbuf_release(&sb);
		return rc;
	}
	sql_bind_text(s, 1, sb.buf);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	while ((rc = sql_step(s, err)) == 1 && k < C->nunits) {
		struct check_unit *u = &C->units[k];
		struct error e = ERROR_INIT;

		rc = place_from_row(&u->pl, u->code, sql_col_text(s, 0), sql_col_text(s, 1),
		                    "unit_code", &e);
		if ((rc = check_unit_done(C, k++, rc, &e, max, err)) < 0)
			break;
	}
	sql_done(s);
	strbuf_release(&sb);
	if (rc == 0 && k != C->nunits)
		rc = error_set(err, THC_EINTERNAL, "đơn vị: %zu/%zu dòng", "units: %zu of %zu rows",
		               k, C->nunits);
	return rc;
}

/*
 * Every distinct unit of the file looked up once, in the actor's scope.
 * Units are numbered as they first appear, so the first line of the k-th
 * bad unit comes after k - 1 bad lines: only the first `max` bad units can
 * be among the lines told, and only their errors are kept.
 */
static int check_units(struct store *st, const struct store_actor *actor, struct case_check *C,
                       size_t max, struct error *err)
{
	struct place last = { 0 };
	int rc;

	for (size_t i = 0; i < C->n; i++)
		if (check_unit_of(C, C->rows[i].person.unit_code, &C->unit_of[i]) < 0)
			return store_oom(err);
	if ((C->errs = calloc(max ? max : 1, sizeof(*C->errs))) == NULL)
		return store_oom(err);
	if (C->nunits && sql_can_copy(st))
		return check_units_set(st, actor, C, max, err);
	for (size_t k = 0; k < C->nunits; k++) {
		struct error e = ERROR_INIT;

		rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, C->units[k].code, "unit_code", &last,
		                  &e);
		if (rc == 0)
			C->units[k].pl = last;
		if ((rc = check_unit_done(C, k, rc, &e, max, err)) < 0)
			return rc;
	}
	return 0;
}

/* Adds line's error to bad (0), or 1 when bad is full. */
static int check_report(struct store_bad_lines *bad, long line, struct error *e)
{
	if (bad->n >= bad->max)
		return 1;
	error_prefix(e, "dòng %ld: ", "line %ld: ", line);
	bad->v[bad->n].line = line;
	bad->v[bad->n++].err = *e;
	return bad->n >= bad->max;
}

/* Finds the first row of the file with row i's commune and external_id;
 * i itself when it is the first (then it is added). */
static size_t check_first(const struct case_check *C, uint32_t *slots, size_t nslots, size_t i)
{
	const struct case_rec *r = &C->rows[i];
	const char *commune = C->units[C->unit_of[i]].pl.commune;
	size_t s = check_hash(r->external_id, check_hash(commune, CHECK_SEED)) & (nslots - 1);

	while (slots[s] != CHECK_NONE) {
		size_t j = slots[s];

		if (strcmp(C->rows[j].external_id, r->external_id) == 0 &&
		    strcmp(C->units[C->unit_of[j]].pl.commune, commune) == 0)
			return j;
		s = (s + 1) & (nslots - 1);
	}
	slots[s] = (uint32_t)i;
	return i;
}

/* The bad lines of the rows, in their order (a row's first problem). */
static int check_lines(struct case_check *C, struct store_bad_lines *bad, struct error *err)
{
	size_t nslots = 2;
	uint32_t *slots;
	int rc = 0;

	while (nslots < 2 * C->n)
		nslots *= 2;
	if ((slots = malloc(nslots * sizeof(*slots))) == NULL)
		return store_oom(err);
	memset(slots, 0xff, nslots * sizeof(*slots));
	for (size_t i = 0; i < C->n && rc == 0; i++) {
		const struct case_rec *r = &C->rows[i];
		const struct check_unit *u = &C->units[C->unit_of[i]];
		struct error e = ERROR_INIT;
		size_t j;

		if (!place_nz(r->external_id)) {
			error_set_at(&e, THC_EUNPROCESSABLE, "external_id", "cột 'external_id': thiếu mã",
			             "column 'external_id': missing");
		} else if (u->bad < 0) {
			break;                      /* past the lines told (check_units) */
		} else if (u->bad) {
			e = C->errs[u->bad - 1];
		} else if ((j = check_first(C, slots, nslots, i)) != i) {
			error_set_at(&e, THC_EUNPROCESSABLE, "external_id",
			             "cột 'external_id': ca '%.40s' đã có ở dòng %ld của tệp",
			             "column 'external_id': case '%.40s' is already on line %ld of the file",
			             r->external_id, C->rows[j].line);
		} else {
			continue;
		}
		rc = check_report(bad, r->line, &e);
	}
	free(slots);
	return 0;
}

void case_check_free(struct case_check *C)
{
	if (C == NULL)
		return;
	free(C->units);
	free(C->slots);
	free(C->unit_of);
	free(C->errs);
	free(C);
}

int case_check_run(struct store *st, const struct store_actor *actor,
                   const struct case_rec *rows, size_t n, struct store_bad_lines *bad,
                   struct case_check **out, struct error *err)
{
	struct case_check *C = calloc(1, sizeof(*C));
	int rc;

	*out = NULL;
	if (C == NULL || (C->unit_of = malloc((n ? n : 1) * sizeof(*C->unit_of))) == NULL) {
		case_check_free(C);
		return store_oom(err);
	}
	C->rows = rows;
	C->n = n;
	if ((rc = check_units(st, actor, C, bad->max, err)) < 0 ||
	    (rc = check_lines(C, bad, err)) < 0) {
		case_check_free(C);
		return rc;
	}
	*out = C;
	return 0;
}

const struct place *case_check_place(const struct case_check *C, size_t row)
{
	return &C->units[C->unit_of[row]].pl;
}

int store_cases_check(struct store *st, const struct store_actor *actor,
                      const struct case_rec *rows, size_t n, struct store_bad_lines *bad,
                      struct error *err)
{
	struct case_check *C;
	int rc = case_check_run(st, actor, rows, n, bad, &C, err);

	case_check_free(C);
	return rc;
}
