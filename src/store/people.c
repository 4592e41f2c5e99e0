/*
 * People: the person records that surveillance records are about, and
 * merging duplicates.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "domain/case.h"
#include "domain/role.h"
#include "store/cases-private.h"
#include "base/banned.h"

/* ---- people ---- */

/* Finds the person with this ID number (following merges); 0 if none. */
static int person_by_id_number(struct store *st, const char *idn, int64_t *id,
                               struct error *err)
{
	struct sql_stmt *s;
	int rc;

	*id = 0;
	if ((rc = sql_prepare(st, "SELECT COALESCE(merged_into, id) FROM people"
	                      " WHERE id_number = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, idn);
	rc = sql_exec_stmt(s, id, err);
	return rc;
}

/* Creates the person, or links the one with the same ID number and fills in
 * what it lacks (never overwriting what is known).  Sets p->id. */
int person_resolve(struct store *st, const struct store_actor *actor, struct person *p,
                   const struct place *pl, struct error *err)
{
	char folded[3 * CASE_NAME_MAX + 1];
	const char *idn = p->id_number && p->id_number[0] ? p->id_number : NULL;
	struct sql_stmt *s;
	int64_t id = 0;
	int rc;

	if (idn && (rc = person_by_id_number(st, idn, &id, err)) < 0)
		return rc;
	if (id) {
		if ((rc = sql_prepare(st, "UPDATE people SET birth_year = COALESCE(birth_year, $2),"
		                      " sex = COALESCE(sex, $3), phone = COALESCE(phone, $4),"
		                      " address = COALESCE(address, $5), updated_at = $6"
		                      " WHERE id = $1", &s, err)) < 0)
			return rc;
		sql_bind_int64(s, 1, id);
		if (p->birth_year >= 0)
			sql_bind_int64(s, 2, p->birth_year);
		else
			sql_bind_null(s, 2);
		sql_bind_text(s, 3, p->sex && p->sex[0] ? p->sex : NULL);
		sql_bind_text(s, 4, p->phone && p->phone[0] ? p->phone : NULL);
		sql_bind_text(s, 5, p->address && p->address[0] ? p->address : NULL);
		sql_bind_int64(s, 6, actor->now_ms);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
		p->id = id;
		return 0;
	}
	text_fold(p->full_name, folded, sizeof(folded));
	if ((rc = sql_prepare(st, "INSERT INTO people (full_name, full_name_folded, id_number,"
	                      " birth_year, sex, phone, unit_code, unit_path, province_code, address,"
	                      " created_at, updated_at)"
	                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, p->full_name);
	sql_bind_text(s, 2, folded);
	sql_bind_text(s, 3, idn);
	if (p->birth_year >= 0)
		sql_bind_int64(s, 4, p->birth_year);
	else
		sql_bind_null(s, 4);
	sql_bind_text(s, 5, p->sex && p->sex[0] ? p->sex : NULL);
	sql_bind_text(s, 6, p->phone && p->phone[0] ? p->phone : NULL);
	sql_bind_text(s, 7, pl->code);
	sql_bind_text(s, 8, pl->path);
	sql_bind_text(s, 9, pl->province);
	sql_bind_text(s, 10, p->address && p->address[0] ? p->address : NULL);
	sql_bind_int64(s, 11, actor->now_ms);
	return sql_exec_stmt(s, &p->id, err);
}


/* ---- merging duplicates ---- */

int store_person_merge(struct store *st, const struct store_actor *actor, int64_t id,
                       int64_t into, struct error *err)
{
	static const char *const moves[] = {
		"UPDATE cases SET person_id = $2 WHERE person_id = $1",
		"UPDATE tests SET person_id = $2 WHERE person_id = $1",
		/* A contact of the same case twice stays on the duplicate. */
		"UPDATE contacts SET person_id = $2 WHERE person_id = $1 AND NOT EXISTS"
		" (SELECT 1 FROM contacts c2 WHERE c2.case_id = contacts.case_id AND c2.person_id = $2)",
	};
	char roles[ROLE_NAMES_MAX], eid[24], *aj;
	char idn[2][16] = { "", "" }, unit[2][UNIT_CODE_MAX] = { "", "" };
	int64_t merged[2] = { 0, 0 };
	struct sql_stmt *s;
	int rc;

	if (id == into)
		return error_set(err, THC_EUNPROCESSABLE, "trường 'into': không gộp một người vào chính mình",
		                 "field 'into': a person cannot be merged into itself");
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	for (int k = 0; k < 2; k++) {
		if ((rc = sql_prepare(st, "SELECT p.id_number, p.unit_code, COALESCE(p.merged_into, 0)"
		                      " FROM people p WHERE p.id = $1 AND "
		                      SCOPE_SQL("p.unit_path", "$2", "$3"), &s, err)) < 0)
			goto fail;
		sql_bind_int64(s, 1, k ? into : id);
		sql_bind_int64(s, 2, store_actor_uid(actor));
		sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
		rc = sql_step(s, err);
		if (rc == 1) {
			const char *v = sql_col_text(s, 0);
			snprintf(idn[k], sizeof(idn[k]), "%s", v ? v : "");
			snprintf(unit[k], sizeof(unit[k]), "%s", sql_col_text(s, 1));
			merged[k] = sql_col_int64(s, 2);
		}
		sql_done(s);
		if (rc == 0)
			rc = error_set(err, THC_ENOTFOUND, "không có người mã %lld", "no person %lld",
			               (long long)(k ? into : id));
		if (rc < 0)
			goto fail;
	}
	if (merged[0] || merged[1]) {
		rc = error_set(err, THC_ECONFLICT, "người này đã được gộp trước đó",
		               "that person has already been merged");
		goto fail;
	}
	if (idn[0][0] && idn[1][0] && strcmp(idn[0], idn[1]) != 0) {
		rc = error_set(err, THC_ECONFLICT, "hai người có số CCCD/CMND khác nhau",
		               "the two people have different ID numbers");
		goto fail;
	}
	for (size_t i = 0; i < ARRAY_SIZE(moves); i++) {
		if ((rc = sql_prepare(st, moves[i], &s, err)) < 0)
			goto fail;
		sql_bind_int64(s, 1, id);
		sql_bind_int64(s, 2, into);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			goto fail;
	}
	/* The ID number moves with the record (it is unique). */
	if ((rc = sql_prepare(st, "UPDATE people SET merged_into = $2, id_number = NULL,"
	                      " updated_at = $3 WHERE id = $1", &s, err)) < 0)
		goto fail;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, into);
	sql_bind_int64(s, 3, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		goto fail;
	if (idn[0][0] && !idn[1][0]) {
		if ((rc = sql_prepare(st, "UPDATE people SET id_number = $2 WHERE id = $1", &s, err)) < 0)
			goto fail;
		sql_bind_int64(s, 1, into);
		sql_bind_text(s, 2, idn[0]);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			goto fail;
	}
	snprintf(eid, sizeof(eid), "%lld", (long long)id);
	aj = store_json("{s:I}", "merged_into", (json_int_t)into);
	rc = store_audit_add(st, actor, "person.merge", "person", eid, unit[0], NULL, aj, err);
	free(aj);
	if (rc < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}
