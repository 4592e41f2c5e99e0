/*
 * The statements of the bulk case import (case_import.c) for a budget of
 * bound parameters: multi-row INSERTs of people and cases, and lookups of
 * 32 keys.  Built once per distinct budget and kept for the life of the
 * process (the drivers cache prepared statements by the SQL pointer).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "store/case_import-private.h"
#include "store/cases-private.h"
#include "base/banned.h"

static struct imp_set imp_sets[IMPORT_BUDGETS_MAX];
static size_t imp_nsets;          /* sets built; guarded by imp_sets_lock */
static pthread_mutex_t imp_sets_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * head, then nrows groups "($p, ..." of ncols parameters numbered from
 * `first`, each closed by shared ")", then tail.
 */
static char *imp_build(const char *head, int first, int nrows, int ncols, const char *shared,
                       const char *tail)
{
	struct strbuf sb = STRBUF_INIT(IMPORT_SQL_CAP);
	int p = first;

	if (strbuf_adds(&sb, head) < 0)
		return NULL;
	for (int r = 0; r < nrows; r++) {
		if (strbuf_addf(&sb, "%s$%d", r ? ", (" : "(", p++) < 0)
			return NULL;
		for (int c = 1; c < ncols; c++)
			if (strbuf_addf(&sb, ", $%d", p++) < 0)
				return NULL;
		if (strbuf_addf(&sb, "%s)", shared) < 0)
			return NULL;
	}
	if (strbuf_adds(&sb, tail) < 0)
		return NULL;
	return strbuf_detach(&sb, NULL);
}

/*
 * "<select> = $1 <tail> UNION ALL <select> = $2 <tail> ..." for n keys: an equality on a
 * unique index per key, so that PostgreSQL's cached generic plan stays an
 * index lookup while the table grows inside the import's transaction (an
 * IN list gets a sequential scan planned while the table is still small).
 */
static char *imp_build_union(const char *select, const char *tail, int n)
{
	struct strbuf sb = STRBUF_INIT(IMPORT_SQL_CAP);

	for (int k = 1; k <= n; k++)
		if (strbuf_addf(&sb, "%s%s$%d%s", k > 1 ? " UNION ALL " : "", select, k, tail) < 0)
			return NULL;
	return strbuf_detach(&sb, NULL);
}

/* Fills *S for a budget; 0, or -1 (nothing kept) when out of memory or the
 * budget cannot hold one lookup (its keys, uid and roles). */
static int imp_set_build(struct imp_set *S, int budget)
{
	const int keys = IMPORT_LOOKUP_MAX;
	int ok = budget >= IMPORT_LOOKUP_MAX + 2;

	memset(S, 0, sizeof(*S));
	S->budget = budget;
	S->rows[IMP_CASE_IN] = keys;
	S->rows[IMP_PERSON_IN] = keys;
	S->rows[IMP_PERSON_INS] = (budget - 1) / IMPORT_PERSON_COLS;
	S->rows[IMP_PERSON_INS1] = 1;
	S->rows[IMP_CASE_INS] = (budget - 2) / IMPORT_CASE_COLS;
	S->rows[IMP_CASE_INS1] = 1;
	if (S->rows[IMP_PERSON_INS] > IMPORT_CHUNK)
		S->rows[IMP_PERSON_INS] = IMPORT_CHUNK;
	if (S->rows[IMP_CASE_INS] > IMPORT_CHUNK)
		S->rows[IMP_CASE_INS] = IMPORT_CHUNK;
	for (int q = IMP_PERSON_INS; ok && q <= IMP_PERSON_INS1; q++)
		S->sql[q] = imp_build("INSERT INTO people (full_name, full_name_folded,"
		                      " id_number, birth_year, sex, phone, unit_code, unit_path,"
		                      " commune_code, province_code, address, created_at,"
		                      " updated_at) VALUES ",
		                      2, S->rows[q], IMPORT_PERSON_COLS, ", $1, $1", " RETURNING id");
	for (int q = IMP_CASE_INS; ok && q <= IMP_CASE_INS1; q++)
		S->sql[q] = imp_build("INSERT INTO cases (external_id, person_id,"
		                      " unit_code, unit_path, commune_code, province_code,"
		                      " detected_on, detected_week, test_type, source, severity,"
		                      " needs_oxygen, care_place, outcome, outcome_on,"
		                      " outcome_week, cluster_id, infected_by, created_at,"
		                      " updated_at, created_by) VALUES ",
		                      3, S->rows[q], IMPORT_CASE_COLS, ", $1, $1, $2", "");
	if (ok) {
		S->sql[IMP_CASE_IN] = imp_build_union("SELECT " CASE_COLS " FROM cases c JOIN"
		                                      " people p ON p.id = c.person_id WHERE"
		                                      " c.external_id = ", " AND "
		                                      SCOPE_SQL("c.unit_path", IMPORT_SCOPE_UID,
		                                                IMPORT_SCOPE_ROLES), keys);
		S->sql[IMP_PERSON_IN] = imp_build_union("SELECT id_number, COALESCE(merged_into,"
		                                        " id) FROM people WHERE id_number = ", "",
		                                        keys);
	}
	ok &= S->rows[IMP_PERSON_INS] >= 1 && S->rows[IMP_CASE_INS] >= 1;
	for (int q = 0; q < IMP_NSQL; q++)
		ok &= S->sql[q] != NULL;
	if (!ok)
		for (int q = 0; q < IMP_NSQL; q++)
			free(S->sql[q]);
	return ok ? 0 : -1;
}

/* The statements for the connection's budget, built on first use. */
int imp_set_for(struct store *st, const struct imp_set **out, struct error *err)
{
	const int budget = sql_params_max(st);
	const struct imp_set *found = NULL;

	pthread_mutex_lock(&imp_sets_lock);
	for (size_t i = 0; i < imp_nsets && found == NULL; i++)
		if (imp_sets[i].budget == budget)
			found = &imp_sets[i];
	if (found == NULL && imp_nsets < IMPORT_BUDGETS_MAX &&
	    imp_set_build(&imp_sets[imp_nsets], budget) == 0)
		found = &imp_sets[imp_nsets++];
	pthread_mutex_unlock(&imp_sets_lock);
	if ((*out = found) == NULL)
		return error_set(err, THC_EINTERNAL, "không dựng được câu lệnh nhập cho %d tham số",
		                 "cannot build the import statements for %d parameters", budget);
	return 0;
}

