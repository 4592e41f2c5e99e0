/*
 * What the surveillance files of the store share (people.c, cases.c,
 * case_import.c, contacts.c, clusters.c, lab_tests.c, case_stats.c): where
 * a record sits, the person it is about, and the row readers.
 *
 * Every surveillance row carries its unit's materialized path, commune and
 * province (denormalised at write time), so scope checks and roll-ups are
 * prefix and equality tests on indexed columns; detected_week/outcome_week
 * hold the Sunday of the ISO week, so grouping by week is plain SQL on both
 * backends.
 */
#ifndef THC_STORE_CASES_PRIVATE_H
#define THC_STORE_CASES_PRIVATE_H

#include "domain/unit.h"
#include "store/store-private.h"

#define CASE_PATH_MAX 160
#define ROLE_NAMES_MAX 256

/* Where a unit sits: what every surveillance row denormalises. */
struct place {
	char code[UNIT_CODE_MAX];
	char path[CASE_PATH_MAX];
	char commune[UNIT_CODE_MAX];
	char province[8];
};

/* "admin,province_officer,...": the roles that read personal records, as
 * SCOPE_SQL takes them (buf must hold ROLE_NAMES_MAX bytes). */
const char *place_personal_roles(char *buf, size_t n);
/* "YYYY-MM-DD" of the Sunday ending the ISO week of day `iso` (valid date). */
void place_week_end(const char *iso, char out[11]);
/*
 * Looks up a commune, hamlet or household in the actor's scope for roles in
 * mask; the message names `field`.  Unknown and out of scope look the same.
 * Keeps *pl when it already holds `code` (imports: rows of one unit).
 */
/* The place of unit `code` from its path and level as read (path NULL: not
 * found): place_lookup's answer and errors for that row. */
int place_from_row(struct place *pl, const char *code, const char *path, const char *level,
                   const char *field, struct error *err);
int place_lookup(struct store *st, const struct store_actor *actor, unsigned mask,
                 const char *code, const char *field, struct place *pl,
                 struct error *err);

/* The commune code in a materialized path ("/01/001/00001/..."); "" if none. */
void place_commune_of(const char *path, char *out, size_t outsz);

/* NULL for an empty string: optional text columns store NULL. */
static inline const char *place_nz(const char *s)
{
	return s && s[0] ? s : NULL;
}

static inline void place_bind_opt_id(struct sql_stmt *s, int idx, int64_t v)
{
	if (v > 0)
		sql_bind_int64(s, idx, v);
	else
		sql_bind_null(s, idx);
}

/* ---- people.c ---- */
/* The record a person is resolved for, told to the person's home commune
 * when the ID number has an older record elsewhere. */
struct person_use {
	const char *record;          /* "case", "contact", "test" */
	const char *on;              /* its day, YYYY-MM-DD */
	const char *detail;          /* severity, degree, result; may be NULL */
};
/*
 * The person record a surveillance record at `pl` is about: the record of
 * the same ID number in the same commune (filled in where it lacks a field),
 * else a new record in pl.  Sets p->id.  With `use`, an older record of the
 * ID number in another commune gets a link (see people.c); NULL: none.
 */
int person_resolve(struct store *st, const struct store_actor *actor, struct person *p,
                   const struct place *pl, const struct person_use *use, struct error *err);
/* Tells the home commune of p's ID number about `use` when p (resolved at
 * pl) is not itself the home record; person_resolve does it for new uses. */
int person_linked(struct store *st, const struct store_actor *actor, const struct person *p,
                  const struct place *pl, const struct person_use *use, struct error *err);

/* ---- cases.c ---- */
#define CASE_COLS "c.id, c.external_id, p.id, p.full_name, p.id_number, p.birth_year, p.sex," \
	" p.phone, c.unit_code, p.address, c.detected_on, c.source, c.test_type, c.severity," \
	" c.care_place, c.needs_oxygen, c.outcome, c.outcome_on, c.cluster_id, c.infected_by," \
	" c.unit_path, c.commune_code, c.province_code, c.created_at, p.commune_code"

void case_from_row(struct sql_stmt *s, struct arena *a, struct case_rec *c);
/* Inserts the case of a resolved person at pl (no audit row). */
int case_insert(struct store *st, const struct store_actor *actor, struct case_rec *c,
                const struct place *pl, struct error *err);
/* Resolves the person and inserts the case, inside the caller's transaction;
 * *au gets the "case.create" row.  notify_home: tell the person's home
 * commune (see person_resolve). */
int case_create_in_tx(struct store *st, struct store_audit *au, struct case_rec *c,
                      int notify_home, struct error *err);
/* Reads one case in the actor's scope (no audit row: the caller writes it). */
int case_read(struct store *st, const struct store_actor *actor, int64_t id,
              struct arena *a, struct case_rec *out, struct error *err);
/* Writes after's case fields over before's row; *au gets its row, `action`. */
int case_write_update(struct store *st, struct store_audit *au,
                      const struct case_rec *before, const struct case_rec *after,
                      const char *action, struct error *err);

/* ---- case_copy.c ---- */
/* Inserts n new cases (c[i] at pl[i], person[i]) by COPY, the values of
 * case_insert, no audit row; only where sql_can_copy. */
int case_copy_insert(struct store *st, const struct store_actor *actor,
                     const struct case_rec *const *c, const struct place *const *pl,
                     const int64_t *person, size_t n, struct error *err);

/* New people of a bulk import by COPY, their ids taken from people's
 * sequence first (ids[i] for p[i] at pl[i]); only where sql_can_copy. */
int case_copy_people(struct store *st, const struct store_actor *actor,
                     const struct person *const *p, const struct place *const *pl,
                     size_t n, int64_t *ids, struct error *err);

/* ---- case_stage.c ---- */
struct case_stage;
/* The stored cases (in the actor's scope) and people that the rows name,
 * found by joins over a TEMP staging table of their keys (where
 * sql_can_copy, in the caller's transaction); free with case_stage_free. */
int case_stage_run(struct store *st, const struct store_actor *actor,
                   const struct case_rec *rows, size_t n, struct case_stage **out,
                   struct error *err);
/* 1 with row's stored case (*old, NULL: none; *many: several communes) and
 * a stored person of its ID number (*person, 0: none) when still true;
 * 0: the row is to be looked up again (S NULL: always). */
int case_stage_row(const struct case_stage *S, size_t row, const struct case_rec **old,
                   int *many, int64_t *person);
/* The import rewrote this person: rows whose stored case is its are
 * looked up again.  0, or -1 when out of memory; S NULL: nothing. */
int case_stage_touch(struct case_stage *S, int64_t person);
void case_stage_free(struct case_stage *S);

/* ---- case_check.c ---- */
struct store_bad_lines;
struct case_check;
/* The checks of store_cases_import_lines over rows (borrowed until
 * case_check_free): bad lines appended to *bad; *out keeps each row's place. */
int case_check_run(struct store *st, const struct store_actor *actor,
                   const struct case_rec *rows, size_t n, struct store_bad_lines *bad,
                   struct case_check **out, struct error *err);
/* Row's unit as looked up (only for a row the check found good). */
const struct place *case_check_place(const struct case_check *c, size_t row);
void case_check_free(struct case_check *c);

/* ---- contacts.c ---- */
#define CONTACT_COLS "k.id, k.case_id, p.id, p.full_name, p.id_number, p.birth_year, p.sex," \
	" p.phone, p.unit_code, p.address, k.degree, k.exposure_on, k.setting, k.quarantine_start," \
	" k.quarantine_end, k.quarantine_rule, k.created_at, p.commune_code, k.unit_path"

/* Appends the rows of a bound query over CONTACT_COLS to an arena array. */
int contacts_collect(struct sql_stmt *s, struct arena *a, struct contact_rec **out,
                     size_t *n, struct error *err);

#endif
