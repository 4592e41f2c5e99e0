/*
 * Surveillance records: people, F0 cases, F1/F2 contacts, clusters, tests,
 * and the weekly aggregates built from them.
 *
 * Every case row carries its unit's materialized path, commune and province
 * (denormalised at write time), so scope checks and roll-ups are prefix and
 * equality tests on indexed columns; detected_week/outcome_week hold the
 * Sunday of the ISO week, so grouping by week is plain SQL on both backends.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/text.h"
#include "base/vntime.h"
#include "domain/case.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/store-private.h"
#include "base/banned.h"

#define CASE_PATH_MAX 160

/* Where a unit sits: what every surveillance row denormalises. */
struct place {
	char code[UNIT_CODE_MAX];
	char path[CASE_PATH_MAX];
	char commune[UNIT_CODE_MAX];
	char province[8];
};

static const char *personal_roles(char *buf, size_t n)
{
	role_mask_names(ROLE_MASK_PERSONAL, buf, n);
	return buf;
}

static int oom(struct error *err)
{
	return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

/* "YYYY-MM-DD" of the Sunday ending the ISO week of day `iso` (valid date). */
static void week_end_of(const char *iso, char out[11])
{
	struct vndate d;

	vndate_parse(iso, &d);
	vndate_format_iso(vndate_from_days(vndate_week_end(vndate_to_days(d), 1)), out, 11);
}

/*
 * Looks up a commune, hamlet or household in the actor's scope for roles in
 * mask; the message names `field`.  Unknown and out of scope look the same.
 */
static int place_lookup(struct store *st, const struct store_actor *actor, unsigned mask,
                        const char *code, const char *field, struct place *pl,
                        struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	const char *path = NULL, *level = NULL;
	int rc;

	if (code && strcmp(pl->code, code) == 0 && pl->path[0])
		return 0;   /* imports: consecutive rows of one unit */
	memset(pl, 0, sizeof(*pl));
	role_mask_names(mask, roles, sizeof(roles));
	if ((rc = sql_prepare(st, "SELECT u.path, u.level FROM units u WHERE u.code = $1 AND "
	                      SCOPE_SQL("u.path", "$2", "$3"), &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	rc = sql_step(s, err);
	if (rc == 1) {
		path = sql_col_text(s, 0);
		level = sql_col_text(s, 1);
		snprintf(pl->path, sizeof(pl->path), "%s", path);
		rc = unit_level_from_name(level) >= UNIT_COMMUNE ? 1 : 2;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc != 1) {
		memset(pl, 0, sizeof(*pl));
		return error_set(err, rc == 0 ? THC_ENOTFOUND : THC_EUNPROCESSABLE,
		                 "trường '%s': không có xã, thôn hoặc hộ mã '%.40s' trong phạm vi của bạn",
		                 "field '%s': no commune, hamlet or household '%.40s' within your scope",
		                 field, code ? code : "");
	}
	/* "/01/001/00001/..." : province, district, commune */
	{
		const char *p = pl->path + 1, *q;
		int seg = 0;

		while (*p && seg < 3) {
			q = strchr(p, '/');
			if (q == NULL)
				break;
			if (seg == 0)
				snprintf(pl->province, sizeof(pl->province), "%.*s", (int)(q - p), p);
			if (seg == 2)
				snprintf(pl->commune, sizeof(pl->commune), "%.*s", (int)(q - p), p);
			p = q + 1;
			seg++;
		}
	}
	snprintf(pl->code, sizeof(pl->code), "%s", code);
	return 0;
}

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
static int person_resolve(struct store *st, const struct store_actor *actor,
                          struct person *p, const struct place *pl, struct error *err)
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

/* ---- cases ---- */

static char *case_audit_json(const struct case_rec *c)
{
	return store_json("{s:I, s:s?, s:s, s:s, s:s, s:s, s:s, s:b, s:s?, s:s?, s:s?}",
	                  "person_id", (json_int_t)c->person.id, "external_id", c->external_id,
	                  "unit_code", c->person.unit_code, "detected_on", c->detected_on,
	                  "source", c->source, "test_type", c->test_type,
	                  "severity", c->severity ? c->severity : "asymptomatic",
	                  "needs_oxygen", c->needs_oxygen,
	                  "care_place", c->care_place, "outcome", c->outcome,
	                  "outcome_on", c->outcome_on);
}

static void bind_opt_id(struct sql_stmt *s, int idx, int64_t v)
{
	if (v > 0)
		sql_bind_int64(s, idx, v);
	else
		sql_bind_null(s, idx);
}

static int case_insert(struct store *st, const struct store_actor *actor, struct case_rec *c,
                       const struct place *pl, int audit, struct error *err)
{
	char wk[11], owk[11];
	struct sql_stmt *s;
	int oxygen = c->needs_oxygen || case_severity_needs_oxygen(c->severity);
	int rc;

	week_end_of(c->detected_on, wk);
	if (c->outcome_on && c->outcome_on[0])
		week_end_of(c->outcome_on, owk);
	if ((rc = sql_prepare(st, "INSERT INTO cases (external_id, person_id, unit_code, unit_path,"
	                      " commune_code, province_code, detected_on, detected_week, test_type,"
	                      " source, severity, needs_oxygen, care_place, outcome, outcome_on,"
	                      " outcome_week, cluster_id, infected_by, created_at, updated_at, created_by)"
	                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
	                      " $15, $16, $17, $18, $19, $19, $20) RETURNING id", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, c->external_id && c->external_id[0] ? c->external_id : NULL);
	sql_bind_int64(s, 2, c->person.id);
	sql_bind_text(s, 3, pl->code);
	sql_bind_text(s, 4, pl->path);
	sql_bind_text(s, 5, pl->commune);
	sql_bind_text(s, 6, pl->province);
	sql_bind_text(s, 7, c->detected_on);
	sql_bind_text(s, 8, wk);
	sql_bind_text(s, 9, c->test_type);
	sql_bind_text(s, 10, c->source);
	sql_bind_text(s, 11, c->severity && c->severity[0] ? c->severity : "asymptomatic");
	sql_bind_int64(s, 12, oxygen);
	sql_bind_text(s, 13, c->care_place && c->care_place[0] ? c->care_place : "home");
	sql_bind_text(s, 14, c->outcome && c->outcome[0] ? c->outcome : NULL);
	sql_bind_text(s, 15, c->outcome_on && c->outcome_on[0] ? c->outcome_on : NULL);
	sql_bind_text(s, 16, c->outcome_on && c->outcome_on[0] ? owk : NULL);
	bind_opt_id(s, 17, c->cluster_id);
	bind_opt_id(s, 18, c->infected_by);
	sql_bind_int64(s, 19, actor->now_ms);
	sql_bind_text(s, 20, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &c->id, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "trường 'external_id': mã '%.40s' đã có",
			          "field 'external_id': '%.40s' already exists",
			          c->external_id ? c->external_id : "");
		else if (rc == THC_ESTORE || rc == THC_EUNPROCESSABLE)
			error_prefix(err, "ca bệnh: ", "case: ");
		return rc;
	}
	c->needs_oxygen = oxygen;
	if (audit) {
		char id[24], *aj = case_audit_json(c);

		snprintf(id, sizeof(id), "%lld", (long long)c->id);
		rc = store_audit_add(st, actor, "case.create", "case", id, pl->code, NULL, aj, err);
		free(aj);
	}
	return rc;
}

/* A referenced case or cluster must exist and be in scope. */
static int ref_check(struct store *st, const struct store_actor *actor, const char *table,
                     const char *field, int64_t id, struct error *err)
{
	static const char *const sql_case = "SELECT 1 FROM cases c WHERE c.id = $1 AND "
		SCOPE_SQL("c.unit_path", "$2", "$3");
	static const char *const sql_cluster = "SELECT 1 FROM clusters c WHERE c.id = $1 AND "
		SCOPE_SQL("c.unit_path", "$2", "$3");
	char roles[256];
	struct sql_stmt *s;
	int64_t one = 0;
	int rc;

	if (id <= 0)
		return 0;
	if ((rc = sql_prepare(st, strcmp(table, "cases") == 0 ? sql_case : sql_cluster, &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, personal_roles(roles, sizeof(roles)));
	if ((rc = sql_exec_stmt(s, &one, err)) < 0)
		return rc;
	if (!one)
		return error_set(err, THC_EUNPROCESSABLE, "trường '%s': không có mã %lld trong phạm vi của bạn",
		                 "field '%s': no id %lld within your scope", field, (long long)id);
	return 0;
}

static int case_create_in_tx(struct store *st, const struct store_actor *actor,
                             struct case_rec *c, struct error *err)
{
	struct place pl = { .code = "" };
	int rc;

	if ((rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, c->person.unit_code,
	                       "person.unit_code", &pl, err)) < 0)
		return rc;
	if ((rc = ref_check(st, actor, "cases", "infected_by", c->infected_by, err)) < 0 ||
	    (rc = ref_check(st, actor, "clusters", "cluster_id", c->cluster_id, err)) < 0)
		return rc;
	if ((rc = person_resolve(st, actor, &c->person, &pl, err)) < 0)
		return rc;
	return case_insert(st, actor, c, &pl, 1, err);
}

int store_case_create(struct store *st, const struct store_actor *actor,
                      struct case_rec *c, struct error *err)
{
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = case_create_in_tx(st, actor, c, err)) < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

#define CASE_COLS "c.id, c.external_id, p.id, p.full_name, p.id_number, p.birth_year, p.sex," \
	" p.phone, c.unit_code, p.address, c.detected_on, c.source, c.test_type, c.severity," \
	" c.care_place, c.needs_oxygen, c.outcome, c.outcome_on, c.cluster_id, c.infected_by," \
	" c.unit_path, c.commune_code, c.province_code, c.created_at"

static void case_from_row(struct sql_stmt *s, struct arena *a, struct case_rec *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sql_col_int64(s, 0);
	c->external_id = arena_strdup(a, sql_col_text(s, 1));
	c->person.id = sql_col_int64(s, 2);
	c->person.full_name = arena_strdup(a, sql_col_text(s, 3));
	c->person.id_number = arena_strdup(a, sql_col_text(s, 4));
	c->person.birth_year = sql_col_is_null(s, 5) ? -1 : sql_col_int64(s, 5);
	c->person.sex = arena_strdup(a, sql_col_text(s, 6));
	c->person.phone = arena_strdup(a, sql_col_text(s, 7));
	c->person.unit_code = arena_strdup(a, sql_col_text(s, 8));
	c->person.address = arena_strdup(a, sql_col_text(s, 9));
	c->detected_on = arena_strdup(a, sql_col_text(s, 10));
	c->source = arena_strdup(a, sql_col_text(s, 11));
	c->test_type = arena_strdup(a, sql_col_text(s, 12));
	c->severity = arena_strdup(a, sql_col_text(s, 13));
	c->care_place = arena_strdup(a, sql_col_text(s, 14));
	c->needs_oxygen = (int)sql_col_int64(s, 15);
	c->outcome = arena_strdup(a, sql_col_text(s, 16));
	c->outcome_on = arena_strdup(a, sql_col_text(s, 17));
	c->cluster_id = sql_col_is_null(s, 18) ? 0 : sql_col_int64(s, 18);
	c->infected_by = sql_col_is_null(s, 19) ? 0 : sql_col_int64(s, 19);
	c->unit_path = arena_strdup(a, sql_col_text(s, 20));
	c->commune_code = arena_strdup(a, sql_col_text(s, 21));
	c->province_code = arena_strdup(a, sql_col_text(s, 22));
	c->created_at_ms = sql_col_int64(s, 23);
}

/* Reads one case in scope (no audit). */
static int case_read(struct store *st, const struct store_actor *actor, int64_t id,
                     struct arena *a, struct case_rec *out, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT " CASE_COLS " FROM cases c JOIN people p ON p.id = c.person_id"
	                      " WHERE c.id = $1 AND " SCOPE_SQL("c.unit_path", "$2", "$3"), &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, personal_roles(roles, sizeof(roles)));
	rc = sql_step(s, err);
	if (rc == 1)
		case_from_row(s, a, out);
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có ca bệnh %lld", "no case %lld",
		                 (long long)id);
	return rc < 0 ? rc : 0;
}

int store_case_get(struct store *st, const struct store_actor *actor, int64_t id,
                   struct arena *a, struct case_rec *out, struct error *err)
{
	char eid[24];
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = case_read(st, actor, id, a, out, err)) < 0)
		goto fail;
	snprintf(eid, sizeof(eid), "%lld", (long long)out->person.id);
	if ((rc = store_audit_add(st, actor, "person.read", "person", eid, out->person.unit_code,
	                          NULL, NULL, err)) < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

/* Lists of personal records need a grant of a role that may read them. */
static int actor_personal_check(struct store *st, const struct store_actor *actor,
                                struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int64_t one = 0;
	int rc;

	if ((rc = sql_prepare(st, "SELECT 1 FROM grants g WHERE CAST($1 AS BIGINT) = 0 OR"
	                      " (g.user_id = CAST($1 AS BIGINT) AND (',' || CAST($2 AS TEXT) || ',')"
	                      " LIKE ('%,' || g.role || ',%')) LIMIT 1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_text(s, 2, personal_roles(roles, sizeof(roles)));
	if ((rc = sql_exec_stmt(s, &one, err)) < 0)
		return rc;
	if (!one)
		return error_set(err, THC_ENOTFOUND, "không tìm thấy", "not found");
	return 0;
}

/* Unit filter by path prefix; dates compare as ISO text. */
#define CASES_LIST_SQL "SELECT " CASE_COLS " FROM cases c JOIN people p ON p.id = c.person_id" \
	" WHERE " SCOPE_SQL("c.unit_path", "$1", "$2") \
	" AND (CAST($3 AS TEXT) IS NULL OR substr(c.unit_path, 1, length(CAST($3 AS TEXT))) = CAST($3 AS TEXT))" \
	" AND (CAST($4 AS TEXT) IS NULL OR c.detected_on >= CAST($4 AS TEXT))" \
	" AND (CAST($5 AS TEXT) IS NULL OR c.detected_on <= CAST($5 AS TEXT))" \
	" AND c.id > $6 ORDER BY c.id LIMIT $7"

int store_cases_list(struct store *st, const struct store_actor *actor,
                     const struct case_query *q, struct arena *a,
                     struct case_rec **out, size_t *n, int64_t *next,
                     struct error *err)
{
	struct place pl = { .code = "" };
	char roles[256], after[96];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	*next = 0;
	if ((*out = arena_alloc(a, ((size_t)q->limit + 1) * sizeof(**out))) == NULL)
		return oom(err);
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if (q->unit) {
		/* Any level: a province or district lists its communes' cases. */
		if ((rc = store_scope_path(st, actor, q->unit, ROLE_MASK_PERSONAL, pl.path,
		                           sizeof(pl.path), err)) < 0)
			goto fail;
	} else if ((rc = actor_personal_check(st, actor, err)) < 0) {
		goto fail;
	}
	if ((rc = sql_prepare(st, CASES_LIST_SQL, &s, err)) < 0)
		goto fail;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_text(s, 2, personal_roles(roles, sizeof(roles)));
	sql_bind_text(s, 3, q->unit ? pl.path : NULL);
	sql_bind_text(s, 4, q->from);
	sql_bind_text(s, 5, q->to);
	sql_bind_int64(s, 6, q->cursor);
	sql_bind_int64(s, 7, q->limit + 1);
	while ((rc = sql_step(s, err)) == 1)
		case_from_row(s, a, &(*out)[k++]);
	sql_done(s);
	if (rc < 0)
		goto fail;
	if (k > (size_t)q->limit) {
		k = (size_t)q->limit;
		*next = (*out)[k - 1].id;
	}
	snprintf(after, sizeof(after), "{\"rows\":%zu}", k);
	if ((rc = store_audit_add(st, actor, "cases.list", "case", NULL,
	                          q->unit ? q->unit : UNIT_COUNTRY_CODE, NULL, after, err)) < 0)
		goto fail;
	if ((rc = sql_commit(st, err)) < 0)
		return rc;
	*n = k;
	return 0;
fail:
	sql_rollback(st);
	return rc;
}

static int case_write_update(struct store *st, const struct store_actor *actor,
                             const struct case_rec *before, const struct case_rec *after,
                             const char *action, struct error *err)
{
	char wk[11], owk[11], id[24], *bj, *aj;
	struct sql_stmt *s;
	int rc;

	week_end_of(after->detected_on, wk);
	if (after->outcome_on)
		week_end_of(after->outcome_on, owk);
	if ((rc = sql_prepare(st, "UPDATE cases SET detected_on = $2, detected_week = $3,"
	                      " test_type = $4, source = $5, severity = $6, needs_oxygen = $7,"
	                      " care_place = $8, outcome = $9, outcome_on = $10, outcome_week = $11,"
	                      " updated_at = $12 WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, before->id);
	sql_bind_text(s, 2, after->detected_on);
	sql_bind_text(s, 3, wk);
	sql_bind_text(s, 4, after->test_type);
	sql_bind_text(s, 5, after->source);
	sql_bind_text(s, 6, after->severity);
	sql_bind_int64(s, 7, after->needs_oxygen);
	sql_bind_text(s, 8, after->care_place);
	sql_bind_text(s, 9, after->outcome);
	sql_bind_text(s, 10, after->outcome_on);
	sql_bind_text(s, 11, after->outcome_on ? owk : NULL);
	sql_bind_int64(s, 12, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	bj = case_audit_json(before);
	aj = case_audit_json(after);
	snprintf(id, sizeof(id), "%lld", (long long)before->id);
	rc = store_audit_add(st, actor, action, "case", id, before->person.unit_code, bj, aj, err);
	free(bj);
	free(aj);
	return rc;
}

int store_case_update(struct store *st, const struct store_actor *actor, int64_t id,
                      const struct case_patch *p, struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct case_rec before, after;
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = case_read(st, actor, id, &a, &before, err)) < 0)
		goto fail;
	after = before;
	if (p->severity)
		after.severity = p->severity;
	if (p->care_place)
		after.care_place = p->care_place;
	if (p->outcome)
		after.outcome = p->outcome;
	if (p->outcome_on)
		after.outcome_on = p->outcome_on;
	if (case_severity_needs_oxygen(after.severity))
		after.needs_oxygen = 1;
	if ((after.outcome == NULL) != (after.outcome_on == NULL)) {
		rc = error_set(err, THC_EUNPROCESSABLE, "trường 'outcome' và 'outcome_on' phải đi cùng nhau",
		               "fields 'outcome' and 'outcome_on' go together");
		goto fail;
	}
	if (after.outcome_on && strcmp(after.outcome_on, after.detected_on) < 0) {
		rc = error_set(err, THC_EUNPROCESSABLE, "trường 'outcome_on': %s trước ngày phát hiện %s",
		               "field 'outcome_on': %s is before the detection day %s",
		               after.outcome_on, after.detected_on);
		goto fail;
	}
	if ((rc = case_write_update(st, actor, &before, &after, "case.update", err)) < 0)
		goto fail;
	rc = sql_commit(st, err);
	arena_release(&a);
	return rc;
fail:
	sql_rollback(st);
	arena_release(&a);
	return rc;
}

/* ---- import ---- */

static int streq(const char *a, const char *b)
{
	if (a && !a[0])
		a = NULL;
	if (b && !b[0])
		b = NULL;
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int case_by_external(struct store *st, const char *ext, struct arena *a,
                            struct case_rec *out, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT " CASE_COLS " FROM cases c JOIN people p ON p.id = c.person_id"
	                      " WHERE c.external_id = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, ext);
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

static const char *nz(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* An imported row changes a case it already has: person fields and case fields. */
static int import_update(struct store *st, const struct store_actor *actor,
                         const struct case_rec *old, const struct case_rec *r,
                         const struct place *pl, struct error *err)
{
	struct case_rec after = *r;
	char folded[3 * CASE_NAME_MAX + 1];
	struct sql_stmt *s;
	int rc;

	text_fold(r->person.full_name, folded, sizeof(folded));
	if ((rc = sql_prepare(st, "UPDATE people SET full_name = $2, full_name_folded = $3,"
	                      " id_number = $4, birth_year = $5, sex = $6, phone = $7, updated_at = $8"
	                      " WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, old->person.id);
	sql_bind_text(s, 2, r->person.full_name);
	sql_bind_text(s, 3, folded);
	sql_bind_text(s, 4, nz(r->person.id_number));
	if (r->person.birth_year >= 0)
		sql_bind_int64(s, 5, r->person.birth_year);
	else
		sql_bind_null(s, 5);
	sql_bind_text(s, 6, nz(r->person.sex));
	sql_bind_text(s, 7, nz(r->person.phone));
	sql_bind_int64(s, 8, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "cột 'id_number': số đã thuộc người khác",
			          "column 'id_number': the number belongs to another person");
		return rc;
	}
	if (!streq(old->person.unit_code, r->person.unit_code)) {
		if ((rc = sql_prepare(st, "UPDATE cases SET unit_code = $2, unit_path = $3,"
		                      " commune_code = $4, province_code = $5 WHERE id = $1", &s, err)) < 0)
			return rc;
		sql_bind_int64(s, 1, old->id);
		sql_bind_text(s, 2, pl->code);
		sql_bind_text(s, 3, pl->path);
		sql_bind_text(s, 4, pl->commune);
		sql_bind_text(s, 5, pl->province);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	after.id = old->id;
	after.person.id = old->person.id;
	after.severity = nz(r->severity) ? r->severity : "asymptomatic";
	after.care_place = nz(r->care_place) ? r->care_place : "home";
	after.outcome = nz(r->outcome);
	after.outcome_on = nz(r->outcome_on);
	after.needs_oxygen = r->needs_oxygen || case_severity_needs_oxygen(after.severity);
	return case_write_update(st, actor, old, &after, "case.import_update", err);
}

struct imp_counts {
	size_t ins, upd, skip;
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
static int import_row(struct store *st, const struct store_actor *actor,
                      const struct case_rec *row, struct place *pl, struct imp_counts *k,
                      struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct case_rec r = *row, old;
	int rc;

	if (r.external_id == NULL || r.external_id[0] == '\0')
		return error_set(err, THC_EUNPROCESSABLE, "cột 'external_id': thiếu mã",
		                 "column 'external_id': missing");
	if ((rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, r.person.unit_code,
	                       "unit_code", pl, err)) < 0)
		return rc;
	if ((rc = case_by_external(st, r.external_id, &a, &old, err)) < 0)
		goto out;
	if (rc == 1) {
		struct place op = { .code = "" };

		/* Changing a case needs its current unit in scope too. */
		if (strcmp(old.person.unit_code, pl->code) != 0 &&
		    (rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, old.person.unit_code,
		                       "unit_code", &op, err)) < 0)
			goto out;
		if (import_same(&old, &r)) {
			k->skip++;
		} else if ((rc = import_update(st, actor, &old, &r, pl, err)) < 0) {
			goto out;
		} else {
			k->upd++;
		}
		rc = 0;
		goto out;
	}
	if ((rc = person_resolve(st, actor, &r.person, pl, err)) < 0 ||
	    (rc = case_insert(st, actor, &r, pl, 0, err)) < 0)
		goto out;
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
 * The statements are built once and kept (the drivers cache prepared
 * statements by the SQL pointer) for a budget of bound parameters per
 * statement: IMPORT_PARAMS_SQLITE stays within SQLite's smallest
 * SQLITE_MAX_VARIABLE_NUMBER (999 before 3.32), IMPORT_PARAMS_PG within
 * PG_PARAMS_MAX of postgres.c (the highest $N that driver binds).
 */
#define IMPORT_CHUNK 512
#define IMPORT_PARAMS_SQLITE 999
#define IMPORT_PARAMS_PG 64
/* Keys per lookup statement: few enough that PostgreSQL never plans the
 * UNION ALL with parallel workers (parallel_setup_cost 1000, about 16 per
 * key; 200 keys took 60 ms a call), and below SQLite's 500 compound SELECTs. */
#define IMPORT_LOOKUP_MAX 32
#define IMPORT_SQL_CAP (1 << 20)
#define IMPORT_PERSON_COLS 10      /* bound per person row, after $1 = now */
#define IMPORT_CASE_COLS 18        /* bound per case row, after $1 = now, $2 = user */

enum imp_sql { IMP_CASE_IN, IMP_PERSON_IN, IMP_PERSON_INS, IMP_PERSON_INS1, IMP_CASE_INS,
               IMP_CASE_INS1, IMP_NSQL };

/* Built once and kept for the life of the process: the drivers' cache keys. */
static char *imp_sql[2][IMP_NSQL];
static int imp_rows[2][IMP_NSQL];   /* keys or rows per statement */
static int imp_sql_ok;
static pthread_once_t imp_sql_once = PTHREAD_ONCE_INIT;

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
 * "<select> = $1 UNION ALL <select> = $2 ..." for n keys: an equality on a
 * unique index per key, so that PostgreSQL's cached generic plan stays an
 * index lookup while the table grows inside the import's transaction (an
 * IN list gets a sequential scan planned while the table is still small).
 */
static char *imp_build_union(const char *select, int n)
{
	struct strbuf sb = STRBUF_INIT(IMPORT_SQL_CAP);

	for (int k = 1; k <= n; k++)
		if (strbuf_addf(&sb, "%s%s$%d", k > 1 ? " UNION ALL " : "", select, k) < 0)
			return NULL;
	return strbuf_detach(&sb, NULL);
}

static void imp_sql_init(void)
{
	static const int budget[2] = { IMPORT_PARAMS_SQLITE, IMPORT_PARAMS_PG };
	int ok = 1;

	for (int b = 0; b < 2; b++) {
		int keys = budget[b] < IMPORT_LOOKUP_MAX ? budget[b] : IMPORT_LOOKUP_MAX;

		imp_rows[b][IMP_CASE_IN] = keys;
		imp_rows[b][IMP_PERSON_IN] = keys;
		imp_rows[b][IMP_PERSON_INS] = (budget[b] - 1) / IMPORT_PERSON_COLS;
		imp_rows[b][IMP_PERSON_INS1] = 1;
		imp_rows[b][IMP_CASE_INS] = (budget[b] - 2) / IMPORT_CASE_COLS;
		imp_rows[b][IMP_CASE_INS1] = 1;
		if (imp_rows[b][IMP_PERSON_INS] > IMPORT_CHUNK)
			imp_rows[b][IMP_PERSON_INS] = IMPORT_CHUNK;
		if (imp_rows[b][IMP_CASE_INS] > IMPORT_CHUNK)
			imp_rows[b][IMP_CASE_INS] = IMPORT_CHUNK;
		for (int q = IMP_PERSON_INS; q <= IMP_PERSON_INS1; q++)
			imp_sql[b][q] = imp_build("INSERT INTO people (full_name, full_name_folded,"
			                          " id_number, birth_year, sex, phone, unit_code, unit_path,"
			                          " province_code, address, created_at, updated_at) VALUES ",
			                          2, imp_rows[b][q], IMPORT_PERSON_COLS, ", $1, $1",
			                          " RETURNING id");
		for (int q = IMP_CASE_INS; q <= IMP_CASE_INS1; q++)
			imp_sql[b][q] = imp_build("INSERT INTO cases (external_id, person_id,"
			                          " unit_code, unit_path, commune_code, province_code,"
			                          " detected_on, detected_week, test_type, source, severity,"
			                          " needs_oxygen, care_place, outcome, outcome_on,"
			                          " outcome_week, cluster_id, infected_by, created_at,"
			                          " updated_at, created_by) VALUES ",
			                          3, imp_rows[b][q], IMPORT_CASE_COLS, ", $1, $1, $2", "");
		imp_sql[b][IMP_CASE_IN] = imp_build_union("SELECT " CASE_COLS " FROM cases c JOIN"
		                                          " people p ON p.id = c.person_id WHERE"
		                                          " c.external_id = ", keys);
		imp_sql[b][IMP_PERSON_IN] = imp_build_union("SELECT id_number, COALESCE(merged_into,"
		                                            " id) FROM people WHERE id_number = ", keys);
		ok &= imp_rows[b][IMP_PERSON_INS] >= 1 && imp_rows[b][IMP_CASE_INS] >= 1;
		for (int q = 0; q < IMP_NSQL; q++)
			ok &= imp_sql[b][q] != NULL;
	}
	imp_sql_ok = ok;
}

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
	const struct case_rec *rows;
	size_t n;
	int b;                        /* statement set: 0 SQLite, 1 PostgreSQL */
	struct place pl;              /* place_lookup's cache, as row by row */
	struct imp_counts k;
	struct arena a;               /* the chunk's existing cases */
	int rerun;                    /* a batch failed: rows [rerun_from, rerun_to) again */
	size_t rerun_from, rerun_to;
	/* per row of the chunk */
	struct imp_key ext[IMPORT_CHUNK], idn[IMPORT_CHUNK];
	unsigned char ext_dup[IMPORT_CHUNK], has_old[IMPORT_CHUNK];
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

/* Writes the pending people and cases; rows before `upto` are done. */
static int imp_flush(struct imp_run *R, size_t upto, struct error *err)
{
	char folded[3 * CASE_NAME_MAX + 1], wk[11], owk[11];
	const char *user = R->actor->username ? R->actor->username : "system";
	struct sql_stmt *s;
	int64_t ids[IMPORT_CHUNK];
	size_t p, nids;
	int rc = 0;

	for (p = 0; p < R->npersons; p += (size_t)imp_rows[R->b][IMP_PERSON_INS1]) {
		enum imp_sql q = R->npersons - p >= (size_t)imp_rows[R->b][IMP_PERSON_INS] ?
		                 IMP_PERSON_INS : IMP_PERSON_INS1;
		int k = imp_rows[R->b][q];

		if ((rc = sql_prepare(R->st, imp_sql[R->b][q], &s, err)) < 0)
			goto fail;
		sql_bind_int64(s, 1, R->actor->now_ms);
		for (int t = 0; t < k; t++) {
			const struct imp_person *ip = &R->persons[p + (size_t)t];
			const struct place *pl = &R->places[ip->place];
			int at = 2 + t * IMPORT_PERSON_COLS;

			text_fold(ip->p.full_name, folded, sizeof(folded));
			sql_bind_text(s, at, ip->p.full_name);
			sql_bind_text(s, at + 1, folded);
			sql_bind_text(s, at + 2, nz(ip->p.id_number));
			if (ip->p.birth_year >= 0)
				sql_bind_int64(s, at + 3, ip->p.birth_year);
			else
				sql_bind_null(s, at + 3);
			sql_bind_text(s, at + 4, nz(ip->p.sex));
			sql_bind_text(s, at + 5, nz(ip->p.phone));
			sql_bind_text(s, at + 6, pl->code);
			sql_bind_text(s, at + 7, pl->path);
			sql_bind_text(s, at + 8, pl->province);
			sql_bind_text(s, at + 9, nz(ip->p.address));
		}
		nids = 0;
		while ((rc = sql_step(s, err)) == 1)
			if (nids < (size_t)k)
				ids[nids++] = sql_col_int64(s, 0);
		sql_done(s);
		if (rc < 0)
			goto fail;
		if (nids != (size_t)k) {
			rc = error_set(err, THC_EINTERNAL, "người: thêm %zu/%d dòng",
			               "people: %zu of %d rows inserted", nids, k);
			goto fail;
		}
		/* Ids grow in the order of the VALUES rows; RETURNING's order is not promised. */
		qsort(ids, nids, sizeof(ids[0]), int64_cmp);
		for (int t = 0; t < k; t++)
			R->persons[p + (size_t)t].id = ids[t];
		if (q == IMP_PERSON_INS)
			p += (size_t)(k - 1);
	}
	for (p = 0; p < R->ncases; p += (size_t)imp_rows[R->b][IMP_CASE_INS1]) {
		enum imp_sql q = R->ncases - p >= (size_t)imp_rows[R->b][IMP_CASE_INS] ?
		                 IMP_CASE_INS : IMP_CASE_INS1;
		int k = imp_rows[R->b][q];

		if ((rc = sql_prepare(R->st, imp_sql[R->b][q], &s, err)) < 0)
			goto fail;
		sql_bind_int64(s, 1, R->actor->now_ms);
		sql_bind_text(s, 2, user);
		for (int t = 0; t < k; t++) {
			const struct imp_case *ic = &R->cases[p + (size_t)t];
			const struct case_rec *c = ic->r;
			const struct place *pl = &R->places[ic->place];
			int at = 3 + t * IMPORT_CASE_COLS;
			int out = c->outcome_on && c->outcome_on[0];

			week_end_of(c->detected_on, wk);
			if (out)
				week_end_of(c->outcome_on, owk);
			sql_bind_text(s, at, nz(c->external_id));
			sql_bind_int64(s, at + 1, R->persons[ic->person].id);
			sql_bind_text(s, at + 2, pl->code);
			sql_bind_text(s, at + 3, pl->path);
			sql_bind_text(s, at + 4, pl->commune);
			sql_bind_text(s, at + 5, pl->province);
			sql_bind_text(s, at + 6, c->detected_on);
			sql_bind_text(s, at + 7, wk);
			sql_bind_text(s, at + 8, c->test_type);
			sql_bind_text(s, at + 9, c->source);
			sql_bind_text(s, at + 10, nz(c->severity) ? c->severity : "asymptomatic");
			sql_bind_int64(s, at + 11, c->needs_oxygen || case_severity_needs_oxygen(c->severity));
			sql_bind_text(s, at + 12, nz(c->care_place) ? c->care_place : "home");
			sql_bind_text(s, at + 13, nz(c->outcome));
			sql_bind_text(s, at + 14, out ? c->outcome_on : NULL);
			sql_bind_text(s, at + 15, out ? owk : NULL);
			bind_opt_id(s, at + 16, c->cluster_id);
			bind_opt_id(s, at + 17, c->infected_by);
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

/* Finds the chunk's existing cases (by external_id) and, for the ID numbers
 * of its new rows, the stored people. */
static int imp_prefetch(struct imp_run *R, size_t i, size_t m, struct error *err)
{
	const int per = imp_rows[R->b][IMP_CASE_IN];
	struct sql_stmt *s;
	size_t ne = 0, ni = 0, t, u;
	int rc;

	for (size_t j = 0; j < m; j++) {
		const struct case_rec *r = &R->rows[i + j];

		R->ext_dup[j] = R->has_old[j] = 0;
		R->idn_first[j] = SIZE_MAX;
		R->db_person[j] = 0;
		R->new_person[j] = SIZE_MAX;
		if (nz(r->external_id))
			R->ext[ne++] = (struct imp_key){ r->external_id, j };
		if (nz(r->person.id_number))
			R->idn[ni++] = (struct imp_key){ r->person.id_number, j };
	}
	qsort(R->ext, ne, sizeof(R->ext[0]), imp_key_cmp);
	for (t = 1; t < ne; t++)
		if (strcmp(R->ext[t].key, R->ext[t - 1].key) == 0)
			R->ext_dup[R->ext[t].j] = 1;
	for (t = 0; t < ne; t = u) {
		int x = 0;

		if ((rc = sql_prepare(R->st, imp_sql[R->b][IMP_CASE_IN], &s, err)) < 0)
			return rc;
		for (u = t; u < ne && x < per; u++)
			if (!R->ext_dup[R->ext[u].j])
				sql_bind_text(s, ++x, R->ext[u].key);
		/* Pad with a key, not NULL: PostgreSQL would plan "= NULL" away, find
		 * such custom plans cheaper than the generic one and plan every call. */
		for (; x < per; )
			sql_bind_text(s, ++x, R->ext[t].key);
		while ((rc = sql_step(s, err)) == 1) {
			const struct imp_key *f = imp_find(R->ext, ne, sql_col_text(s, 1));

			if (f && !R->has_old[f->j]) {
				case_from_row(s, &R->a, &R->old[f->j]);
				R->has_old[f->j] = 1;
			}
		}
		sql_done(s);
		if (rc < 0)
			return rc;
	}
	qsort(R->idn, ni, sizeof(R->idn[0]), imp_key_cmp);
	for (t = 0; t < ni; t++)
		R->idn_first[R->idn[t].j] = t && strcmp(R->idn[t].key, R->idn[t - 1].key) == 0 ?
		                            R->idn_first[R->idn[t - 1].j] : R->idn[t].j;
	for (t = 0; t < ni; t = u) {
		int x = 0;

		if ((rc = sql_prepare(R->st, imp_sql[R->b][IMP_PERSON_IN], &s, err)) < 0)
			return rc;
		for (u = t; u < ni && x < per; u++)
			if (R->idn_first[R->idn[u].j] == R->idn[u].j)
				sql_bind_text(s, ++x, R->idn[u].key);
		for (; x < per; )
			sql_bind_text(s, ++x, R->idn[t].key);
		while ((rc = sql_step(s, err)) == 1) {
			const struct imp_key *f = imp_find(R->idn, ni, sql_col_text(s, 0));

			if (f)
				R->db_person[R->idn_first[f->j]] = sql_col_int64(s, 1);
		}
		sql_done(s);
		if (rc < 0)
			return rc;
	}
	return 0;
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

		if (!nz(r->external_id)) {
			rc = error_set(err, THC_EUNPROCESSABLE, "cột 'external_id': thiếu mã",
			               "column 'external_id': missing");
			goto row_fail;
		}
		if ((rc = place_lookup(R->st, R->actor, ROLE_MASK_PERSONAL, r->person.unit_code,
		                       "unit_code", &R->pl, err)) < 0)
			goto row_fail;
		if (R->ext_dup[j]) {          /* the earlier row must be stored first */
			*next = i + j;
			return imp_flush(R, i + j, err);
		}
		if (R->has_old[j]) {
			const struct case_rec *old = &R->old[j];
			struct place op = { .code = "" };

			if (strcmp(old->person.unit_code, R->pl.code) != 0 &&
			    (rc = place_lookup(R->st, R->actor, ROLE_MASK_PERSONAL, old->person.unit_code,
			                       "unit_code", &op, err)) < 0)
				goto row_fail;
			if (import_same(old, r)) {
				R->k.skip++;
				continue;
			}
			if ((rc = imp_flush(R, i + j, err)) < 0)
				return rc;
			if ((rc = import_update(R->st, R->actor, old, r, &R->pl, err)) < 0)
				goto row_fail;
			R->k.upd++;
			*next = i + j + 1;    /* the update may change what the chunk read */
			return 0;
		}
		if (g != SIZE_MAX && R->db_person[g]) {
			struct case_rec c = *r;

			if ((rc = imp_flush(R, i + j, err)) < 0)
				return rc;
			if ((rc = person_resolve(R->st, R->actor, &c.person, &R->pl, err)) < 0 ||
			    (rc = case_insert(R->st, R->actor, &c, &R->pl, 0, err)) < 0)
				goto row_fail;
			R->k.ins++;
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
			if (!nz(p->sex))
				p->sex = r->person.sex;
			if (!nz(p->phone))
				p->phone = r->person.phone;
			if (!nz(p->address))
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
			if ((rc = import_row(R->st, R->actor, &R->rows[i], &R->pl, &R->k, err)) < 0)
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

int store_cases_import(struct store *st, const struct store_actor *actor,
                       const struct case_rec *rows, size_t n, size_t *inserted,
                       size_t *updated, size_t *skipped, struct error *err)
{
	size_t slow_from = SIZE_MAX, slow_to = SIZE_MAX;
	struct imp_run *R;
	int rc;

	pthread_once(&imp_sql_once, imp_sql_init);
	if (!imp_sql_ok)
		return error_set(err, THC_EINTERNAL, "không dựng được câu lệnh nhập",
		                 "cannot build the import statements");
	if ((R = calloc(1, sizeof(*R))) == NULL)
		return oom(err);
	R->st = st;
	R->actor = actor;
	R->rows = rows;
	R->n = n;
	R->b = strcmp(sql_backend(st), "postgres") == 0;
	R->a = (struct arena)ARENA_INIT(0);
	for (int pass = 0;; pass++) {
		memset(&R->pl, 0, sizeof(R->pl));
		memset(&R->k, 0, sizeof(R->k));
		R->rerun = 0;
		R->nplaces = R->npersons = R->ncases = 0;
		R->pend_from = SIZE_MAX;
		if ((rc = sql_begin(st, 1, err)) < 0)
			goto out;
		if ((rc = imp_pass(R, slow_from, slow_to, err)) >= 0)
			break;
		sql_rollback(st);
		if (!R->rerun || pass > 0)
			goto out;
		/* A multi-row statement failed: run again, those rows one by one,
		 * so the error names the line. */
		slow_from = R->rerun_from;
		slow_to = R->rerun_to;
	}
	{
		char after[128];

		snprintf(after, sizeof(after), "{\"inserted\":%zu,\"updated\":%zu,\"skipped\":%zu}",
		         R->k.ins, R->k.upd, R->k.skip);
		if ((rc = store_audit_add(st, actor, "cases.import", "case", NULL, UNIT_COUNTRY_CODE,
		                          NULL, after, err)) < 0)
			goto fail;
	}
	if ((rc = sql_commit(st, err)) < 0)
		goto out;
	if (inserted)
		*inserted = R->k.ins;
	if (updated)
		*updated = R->k.upd;
	if (skipped)
		*skipped = R->k.skip;
	goto out;
fail:
	sql_rollback(st);
out:
	arena_release(&R->a);
	free(R);
	return rc;
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
	char roles[256], eid[24], *aj;
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
		sql_bind_text(s, 3, personal_roles(roles, sizeof(roles)));
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

/* ---- contacts ---- */

int store_contact_create(struct store *st, const struct store_actor *actor,
                         struct contact_rec *c, struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct place pl = { .code = "" };
	struct case_rec src;
	struct sql_stmt *s;
	char eid[24], *aj;
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = case_read(st, actor, c->case_id, &a, &src, err)) < 0 ||
	    (rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, c->person.unit_code,
	                       "person.unit_code", &pl, err)) < 0 ||
	    (rc = person_resolve(st, actor, &c->person, &pl, err)) < 0)
		goto fail;
	if ((rc = sql_prepare(st, "INSERT INTO contacts (case_id, person_id, degree, exposure_on,"
	                      " setting, quarantine_start, quarantine_end, quarantine_rule, cluster_id,"
	                      " unit_path, province_code, created_at, created_by)"
	                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
	                      " RETURNING id", &s, err)) < 0)
		goto fail;
	sql_bind_int64(s, 1, c->case_id);
	sql_bind_int64(s, 2, c->person.id);
	sql_bind_int64(s, 3, c->degree);
	sql_bind_text(s, 4, c->exposure_on);
	sql_bind_text(s, 5, nz(c->setting));
	sql_bind_text(s, 6, c->quarantine_start);
	sql_bind_text(s, 7, c->quarantine_end);
	sql_bind_text(s, 8, c->quarantine_rule);
	bind_opt_id(s, 9, src.cluster_id);
	sql_bind_text(s, 10, pl.path);
	sql_bind_text(s, 11, pl.province);
	sql_bind_int64(s, 12, actor->now_ms);
	sql_bind_text(s, 13, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &c->id, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "người này đã là tiếp xúc của ca %lld",
			          "that person is already a contact of case %lld", (long long)c->case_id);
		goto fail;
	}
	snprintf(eid, sizeof(eid), "%lld", (long long)c->id);
	aj = store_json("{s:I, s:I, s:i, s:s, s:s, s:s, s:s}", "case_id", (json_int_t)c->case_id,
	                "person_id", (json_int_t)c->person.id, "degree", c->degree,
	                "exposure_on", c->exposure_on, "quarantine_start", c->quarantine_start,
	                "quarantine_end", c->quarantine_end, "quarantine_rule", c->quarantine_rule);
	rc = store_audit_add(st, actor, "contact.create", "contact", eid, pl.code, NULL, aj, err);
	free(aj);
	if (rc < 0)
		goto fail;
	rc = sql_commit(st, err);
	arena_release(&a);
	return rc;
fail:
	sql_rollback(st);
	arena_release(&a);
	return rc;
}

#define CONTACT_COLS "k.id, k.case_id, p.id, p.full_name, p.id_number, p.birth_year, p.sex," \
	" p.phone, p.unit_code, p.address, k.degree, k.exposure_on, k.setting, k.quarantine_start," \
	" k.quarantine_end, k.quarantine_rule, k.created_at"

static void contact_from_row(struct sql_stmt *s, struct arena *a, struct contact_rec *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sql_col_int64(s, 0);
	c->case_id = sql_col_int64(s, 1);
	c->person.id = sql_col_int64(s, 2);
	c->person.full_name = arena_strdup(a, sql_col_text(s, 3));
	c->person.id_number = arena_strdup(a, sql_col_text(s, 4));
	c->person.birth_year = sql_col_is_null(s, 5) ? -1 : sql_col_int64(s, 5);
	c->person.sex = arena_strdup(a, sql_col_text(s, 6));
	c->person.phone = arena_strdup(a, sql_col_text(s, 7));
	c->person.unit_code = arena_strdup(a, sql_col_text(s, 8));
	c->person.address = arena_strdup(a, sql_col_text(s, 9));
	c->degree = (int)sql_col_int64(s, 10);
	c->exposure_on = arena_strdup(a, sql_col_text(s, 11));
	c->setting = arena_strdup(a, sql_col_text(s, 12));
	c->quarantine_start = arena_strdup(a, sql_col_text(s, 13));
	c->quarantine_end = arena_strdup(a, sql_col_text(s, 14));
	c->quarantine_rule = arena_strdup(a, sql_col_text(s, 15));
	c->created_at_ms = sql_col_int64(s, 16);
}

/* Appends the rows of a query (already bound) to a growing arena array. */
static int contacts_collect(struct sql_stmt *s, struct arena *a, struct contact_rec **out,
                            size_t *n, struct error *err)
{
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sql_step(s, err)) == 1) {
		if (*n == cap) {
			struct contact_rec *grown;

			cap = cap ? 2 * cap : 16;
			if ((grown = arena_alloc(a, cap * sizeof(*grown))) == NULL) {
				sql_done(s);
				return oom(err);
			}
			if (*n)
				memcpy(grown, *out, *n * sizeof(*grown));
			*out = grown;
		}
		contact_from_row(s, a, &(*out)[(*n)++]);
	}
	sql_done(s);
	return rc;
}

int store_contacts_list(struct store *st, const struct store_actor *actor,
                        int64_t case_id, struct arena *a, struct contact_rec **out,
                        size_t *n, struct error *err)
{
	struct case_rec c;
	struct sql_stmt *s;
	char eid[24];
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = case_read(st, actor, case_id, a, &c, err)) < 0)
		goto fail;
	if ((rc = sql_prepare(st, "SELECT " CONTACT_COLS " FROM contacts k JOIN people p"
	                      " ON p.id = k.person_id WHERE k.case_id = $1 ORDER BY k.id", &s, err)) < 0)
		goto fail;
	sql_bind_int64(s, 1, case_id);
	if ((rc = contacts_collect(s, a, out, n, err)) < 0)
		goto fail;
	snprintf(eid, sizeof(eid), "%lld", (long long)case_id);
	if ((rc = store_audit_add(st, actor, "person.read", "contacts", eid, c.person.unit_code,
	                          NULL, NULL, err)) < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

/* ---- clusters ---- */

int store_cluster_create(struct store *st, const struct store_actor *actor,
                         struct cluster_rec *c, struct error *err)
{
	struct place pl = { .code = "" };
	struct sql_stmt *s;
	char eid[24], *aj;
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, c->unit_code, "unit_code", &pl,
	                       err)) < 0)
		goto fail;
	if ((rc = sql_prepare(st, "INSERT INTO clusters (name, unit_code, unit_path, province_code,"
	                      " opened_on, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	                      " RETURNING id", &s, err)) < 0)
		goto fail;
	sql_bind_text(s, 1, c->name);
	sql_bind_text(s, 2, pl.code);
	sql_bind_text(s, 3, pl.path);
	sql_bind_text(s, 4, pl.province);
	sql_bind_text(s, 5, c->opened_on);
	sql_bind_int64(s, 6, actor->now_ms);
	sql_bind_text(s, 7, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &c->id, err)) < 0)
		goto fail;
	snprintf(eid, sizeof(eid), "%lld", (long long)c->id);
	aj = store_json("{s:s, s:s, s:s}", "name", c->name, "unit_code", c->unit_code,
	                "opened_on", c->opened_on);
	rc = store_audit_add(st, actor, "cluster.create", "cluster", eid, pl.code, NULL, aj, err);
	free(aj);
	if (rc < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

int store_cluster_get(struct store *st, const struct store_actor *actor, int64_t id,
                      struct arena *a, struct cluster_rec *out, struct error *err)
{
	char roles[256], eid[24];
	struct sql_stmt *s;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, "SELECT c.id, c.name, c.unit_code, c.opened_on, c.closed_on"
	                      " FROM clusters c WHERE c.id = $1 AND "
	                      SCOPE_SQL("c.unit_path", "$2", "$3"), &s, err)) < 0)
		goto fail;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, personal_roles(roles, sizeof(roles)));
	rc = sql_step(s, err);
	if (rc == 1) {
		out->id = sql_col_int64(s, 0);
		out->name = arena_strdup(a, sql_col_text(s, 1));
		out->unit_code = arena_strdup(a, sql_col_text(s, 2));
		out->opened_on = arena_strdup(a, sql_col_text(s, 3));
		out->closed_on = arena_strdup(a, sql_col_text(s, 4));
	}
	sql_done(s);
	if (rc == 0)
		rc = error_set(err, THC_ENOTFOUND, "không có ổ dịch %lld", "no cluster %lld",
		               (long long)id);
	if (rc < 0)
		goto fail;
	/* The cluster's cases, and the cases they infected (the chain may
	 * leave the cluster). */
	if ((rc = sql_prepare(st, "SELECT " CASE_COLS " FROM cases c JOIN people p ON p.id = c.person_id"
	                      " WHERE c.cluster_id = $1 OR c.infected_by IN"
	                      " (SELECT x.id FROM cases x WHERE x.cluster_id = $1) ORDER BY c.id",
	                      &s, err)) < 0)
		goto fail;
	sql_bind_int64(s, 1, id);
	while ((rc = sql_step(s, err)) == 1) {
		if (out->ncases == cap) {
			struct case_rec *grown;

			cap = cap ? 2 * cap : 16;
			if ((grown = arena_alloc(a, cap * sizeof(*grown))) == NULL) {
				rc = oom(err);
				break;
			}
			if (out->ncases)
				memcpy(grown, out->cases, out->ncases * sizeof(*grown));
			out->cases = grown;
		}
		case_from_row(s, a, &out->cases[out->ncases++]);
	}
	sql_done(s);
	if (rc < 0)
		goto fail;
	if ((rc = sql_prepare(st, "SELECT " CONTACT_COLS " FROM contacts k JOIN people p"
	                      " ON p.id = k.person_id WHERE k.cluster_id = $1 ORDER BY k.id", &s, err)) < 0)
		goto fail;
	sql_bind_int64(s, 1, id);
	if ((rc = contacts_collect(s, a, &out->contacts, &out->ncontacts, err)) < 0)
		goto fail;
	snprintf(eid, sizeof(eid), "%lld", (long long)id);
	if ((rc = store_audit_add(st, actor, "person.read", "cluster", eid, out->unit_code,
	                          NULL, NULL, err)) < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

/* ---- tests ---- */

int store_test_create(struct store *st, const struct store_actor *actor,
                      struct test_rec *t, struct case_rec *open_case,
                      struct error *err)
{
	struct place pl = { .code = "" };
	struct sql_stmt *s;
	char eid[24], *aj;
	int rc;

	t->case_id = 0;
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, t->person.unit_code,
	                       "person.unit_code", &pl, err)) < 0 ||
	    (rc = person_resolve(st, actor, &t->person, &pl, err)) < 0)
		goto fail;
	if (open_case && strcmp(t->result, "positive") == 0) {
		open_case->person = t->person;
		open_case->test_type = t->test_type;
		if ((rc = case_create_in_tx(st, actor, open_case, err)) < 0)
			goto fail;
		t->case_id = open_case->id;
	}
	if ((rc = sql_prepare(st, "INSERT INTO tests (person_id, taken_on, test_type, result, case_id,"
	                      " unit_code, unit_path, province_code, created_at, created_by)"
	                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id", &s, err)) < 0)
		goto fail;
	sql_bind_int64(s, 1, t->person.id);
	sql_bind_text(s, 2, t->taken_on);
	sql_bind_text(s, 3, t->test_type);
	sql_bind_text(s, 4, t->result);
	bind_opt_id(s, 5, t->case_id);
	sql_bind_text(s, 6, pl.code);
	sql_bind_text(s, 7, pl.path);
	sql_bind_text(s, 8, pl.province);
	sql_bind_int64(s, 9, actor->now_ms);
	sql_bind_text(s, 10, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &t->id, err)) < 0)
		goto fail;
	snprintf(eid, sizeof(eid), "%lld", (long long)t->id);
	aj = store_json("{s:I, s:s, s:s, s:s}", "person_id", (json_int_t)t->person.id,
	                "taken_on", t->taken_on, "test_type", t->test_type, "result", t->result);
	rc = store_audit_add(st, actor, "test.create", "test", eid, pl.code, NULL, aj, err);
	free(aj);
	if (rc < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

/* ---- weekly aggregates (public) ---- */

/*
 * One grouped query per request.  F selects the unit's cases; the daily
 * published counts of a province ($5 = 1) count only on days without any
 * individual case in that province, so the two sources never add up twice.
 * Every variant mentions every parameter (PostgreSQL must type them all).
 */
#define WEEKLY_SQL(F, DF) \
	"SELECT wk, SUM(n), SUM(comm), SUM(quar), SUM(imp), SUM(oxy), SUM(dead) FROM (" \
	" SELECT c.detected_week AS wk, 1 AS n," \
	"  CASE WHEN c.source = 'community' THEN 1 ELSE 0 END AS comm," \
	"  CASE WHEN c.source = 'quarantine' THEN 1 ELSE 0 END AS quar," \
	"  CASE WHEN c.source = 'imported' THEN 1 ELSE 0 END AS imp," \
	"  c.needs_oxygen AS oxy, 0 AS dead FROM cases c" \
	"  WHERE " F " AND c.detected_week >= CAST($3 AS TEXT) AND c.detected_week <= CAST($4 AS TEXT)" \
	" UNION ALL SELECT c.outcome_week, 0, 0, 0, 0, 0, 1 FROM cases c" \
	"  WHERE " F " AND c.outcome = 'died' AND c.outcome_week >= CAST($3 AS TEXT)" \
	"  AND c.outcome_week <= CAST($4 AS TEXT)" \
	" UNION ALL SELECT d.week_end, d.new_cases, COALESCE(d.community_cases, d.new_cases), 0, 0, 0, 0" \
	"  FROM province_daily_cases d WHERE CAST($5 AS BIGINT) = 1 AND " DF \
	"  AND d.week_end >= CAST($3 AS TEXT) AND d.week_end <= CAST($4 AS TEXT)" \
	"  AND NOT EXISTS (SELECT 1 FROM cases c2 WHERE c2.province_code = d.province_code" \
	"   AND c2.detected_on = d.day)" \
	") t GROUP BY wk ORDER BY wk"

static const char *const weekly_sql[3] = {
	/* commune */
	WEEKLY_SQL("c.commune_code = CAST($1 AS TEXT)",
	           "d.province_code = CAST($6 AS TEXT) AND CAST($2 AS TEXT) IS NOT NULL"),
	/* district or province */
	WEEKLY_SQL("c.province_code = CAST($6 AS TEXT) AND substr(c.unit_path, 1,"
	           " length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)",
	           "d.province_code = CAST($6 AS TEXT) AND CAST($1 AS TEXT) IS NOT NULL"),
	/* the country */
	WEEKLY_SQL("CAST($6 AS TEXT) IS NOT NULL",
	           "CAST($1 AS TEXT) IS NOT NULL AND CAST($2 AS TEXT) IS NOT NULL"),
};

static void week_from_row(struct sql_stmt *s, int off, struct arena *a, struct case_week *w)
{
	w->week_end = arena_strdup(a, sql_col_text(s, off));
	w->cases = sql_col_int64(s, off + 1);
	w->community = sql_col_int64(s, off + 2);
	w->quarantine = sql_col_int64(s, off + 3);
	w->imported = sql_col_int64(s, off + 4);
	w->oxygen = sql_col_int64(s, off + 5);
	w->deaths = sql_col_int64(s, off + 6);
}

int store_cases_weekly(struct store *st, const char *code, const char *from_week,
                       const char *to_week, struct arena *a, struct case_week **out,
                       size_t *n, int64_t *population, struct error *err)
{
	char path[CASE_PATH_MAX] = "", level[16] = "";
	struct sql_stmt *s;
	size_t cap = 0;
	int lvl, which, rc;

	*out = NULL;
	*n = 0;
	*population = -1;
	/* Population: the unit's own, else the sum of its communes'. */
	if ((rc = sql_prepare(st, "SELECT u.path, u.level, COALESCE(u.population, (SELECT SUM(x.population)"
	                      " FROM units x WHERE x.level = 'commune' AND substr(x.path, 1, length(u.path))"
	                      " = u.path)) FROM units u WHERE u.code = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	rc = sql_step(s, err);
	if (rc == 1) {
		snprintf(path, sizeof(path), "%s", sql_col_text(s, 0));
		snprintf(level, sizeof(level), "%s", sql_col_text(s, 1));
		*population = sql_col_is_null(s, 2) ? -1 : sql_col_int64(s, 2);
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	lvl = unit_level_from_name(level);
	if (rc == 0 || lvl > UNIT_COMMUNE || lvl < 0)
		return error_set(err, THC_ENOTFOUND, "không có xã, huyện hoặc tỉnh mã '%.40s'",
		                 "no commune, district or province with code '%.40s'", code);
	which = lvl == UNIT_COMMUNE ? 0 : lvl == UNIT_COUNTRY ? 2 : 1;
	if ((rc = sql_prepare(st, weekly_sql[which], &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, path);
	sql_bind_text(s, 3, from_week);
	sql_bind_text(s, 4, to_week);
	sql_bind_int64(s, 5, lvl == UNIT_PROVINCE || lvl == UNIT_COUNTRY);
	sql_bind_text(s, 6, lvl == UNIT_COUNTRY ? "" : arena_strndup(a, path + 1, 2));
	while ((rc = sql_step(s, err)) == 1) {
		if (*n == cap) {
			struct case_week *grown;

			cap = cap ? 2 * cap : 64;
			if ((grown = arena_alloc(a, cap * sizeof(*grown))) == NULL) {
				rc = oom(err);
				break;
			}
			if (*n)
				memcpy(grown, *out, *n * sizeof(*grown));
			*out = grown;
		}
		week_from_row(s, 0, a, &(*out)[(*n)++]);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

int store_cases_weekly_communes(struct store *st, const char *from_week,
                                const char *to_week,
                                void (*fn)(void *ctx, const struct case_week *w),
                                void *ctx, size_t *rows, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((rc = sql_prepare(st, "SELECT cc, wk, SUM(n), SUM(comm), SUM(quar), SUM(imp), SUM(oxy),"
	                      " SUM(dead) FROM ("
	                      " SELECT c.commune_code AS cc, c.detected_week AS wk, 1 AS n,"
	                      "  CASE WHEN c.source = 'community' THEN 1 ELSE 0 END AS comm,"
	                      "  CASE WHEN c.source = 'quarantine' THEN 1 ELSE 0 END AS quar,"
	                      "  CASE WHEN c.source = 'imported' THEN 1 ELSE 0 END AS imp,"
	                      "  c.needs_oxygen AS oxy, 0 AS dead FROM cases c"
	                      "  WHERE c.detected_week >= CAST($1 AS TEXT) AND c.detected_week <= CAST($2 AS TEXT)"
	                      " UNION ALL SELECT c.commune_code, c.outcome_week, 0, 0, 0, 0, 0, 1 FROM cases c"
	                      "  WHERE c.outcome = 'died' AND c.outcome_week >= CAST($1 AS TEXT)"
	                      "  AND c.outcome_week <= CAST($2 AS TEXT)"
	                      ") t GROUP BY cc, wk ORDER BY cc, wk", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, from_week);
	sql_bind_text(s, 2, to_week);
	while ((rc = sql_step(s, err)) == 1) {
		struct case_week w;

		k++;
		if (fn) {
			w.commune_code = sql_col_text(s, 0);
			w.week_end = sql_col_text(s, 1);
			w.cases = sql_col_int64(s, 2);
			w.community = sql_col_int64(s, 3);
			w.quarantine = sql_col_int64(s, 4);
			w.imported = sql_col_int64(s, 5);
			w.oxygen = sql_col_int64(s, 6);
			w.deaths = sql_col_int64(s, 7);
			fn(ctx, &w);
		}
	}
	sql_done(s);
	if (rows)
		*rows = k;
	return rc < 0 ? rc : 0;
}

/* ---- hamlets without F0 ---- */

int store_hamlets_last_case(struct store *st, const struct store_actor *actor,
                            const char *commune, const char *date, struct arena *a,
                            struct hamlet_f0 **out, size_t *n, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	role_mask_names(ROLE_MASK_PERSONAL | ROLE_BIT(ROLE_TEAM_MEMBER), roles, sizeof(roles));
	if ((rc = sql_prepare(st, "SELECT h.code, h.name, (SELECT MAX(c.detected_on) FROM cases c"
	                      "  WHERE c.commune_code = $1 AND substr(c.unit_path, 1, length(h.path)) = h.path"
	                      "  AND c.detected_on <= CAST($2 AS TEXT))"
	                      " FROM units h WHERE h.parent_code = $1 AND h.level = 'hamlet' AND "
	                      SCOPE_SQL("h.path", "$3", "$4") " ORDER BY h.code", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, commune);
	sql_bind_text(s, 2, date);
	sql_bind_int64(s, 3, store_actor_uid(actor));
	sql_bind_text(s, 4, roles);
	while ((rc = sql_step(s, err)) == 1) {
		if (*n == cap) {
			struct hamlet_f0 *grown;

			cap = cap ? 2 * cap : 32;
			if ((grown = arena_alloc(a, cap * sizeof(*grown))) == NULL) {
				rc = oom(err);
				break;
			}
			if (*n)
				memcpy(grown, *out, *n * sizeof(*grown));
			*out = grown;
		}
		(*out)[*n].code = arena_strdup(a, sql_col_text(s, 0));
		(*out)[*n].name = arena_strdup(a, sql_col_text(s, 1));
		(*out)[*n].last_case_on = arena_strdup(a, sql_col_text(s, 2));
		(*n)++;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (*n == 0)
		return error_set(err, THC_ENOTFOUND,
		                 "không có thôn nào của xã '%.40s' trong phạm vi của bạn",
		                 "no hamlet of commune '%.40s' within your scope", commune);
	return 0;
}

/* ---- published daily counts per province ---- */

int store_daily_cases_import(struct store *st, const struct store_actor *actor,
                             const struct daily_cases_row *rows, size_t n,
                             size_t *stored, struct error *err)
{
	struct sql_stmt *s;
	char after[64];
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char wk[11];
		int64_t one = 0;

		if ((rc = sql_prepare(st, "SELECT 1 FROM units WHERE code = $1 AND level = 'province'",
		                      &s, err)) < 0)
			goto fail;
		sql_bind_text(s, 1, rows[i].province_code);
		if ((rc = sql_exec_stmt(s, &one, err)) < 0)
			goto fail;
		if (!one) {
			rc = error_set(err, THC_EUNPROCESSABLE,
			               "dòng %ld: cột 'province_code': không có tỉnh mã '%.20s'",
			               "line %ld: column 'province_code': no province with code '%.20s'",
			               rows[i].line, rows[i].province_code);
			goto fail;
		}
		week_end_of(rows[i].day, wk);
		/* Upsert in portable SQL: delete then insert. */
		if ((rc = sql_prepare(st, "DELETE FROM province_daily_cases WHERE province_code = $1"
		                      " AND day = $2", &s, err)) < 0)
			goto fail;
		sql_bind_text(s, 1, rows[i].province_code);
		sql_bind_text(s, 2, rows[i].day);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			goto fail;
		if ((rc = sql_prepare(st, "INSERT INTO province_daily_cases (province_code, day, week_end,"
		                      " new_cases, community_cases, updated_at, updated_by)"
		                      " VALUES ($1, $2, $3, $4, $5, $6, $7)", &s, err)) < 0)
			goto fail;
		sql_bind_text(s, 1, rows[i].province_code);
		sql_bind_text(s, 2, rows[i].day);
		sql_bind_text(s, 3, wk);
		sql_bind_int64(s, 4, rows[i].new_cases);
		if (rows[i].community_cases >= 0)
			sql_bind_int64(s, 5, rows[i].community_cases);
		else
			sql_bind_null(s, 5);
		sql_bind_int64(s, 6, actor->now_ms);
		sql_bind_text(s, 7, actor->username ? actor->username : "system");
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
			error_prefix(err, "dòng %ld: ", "line %ld: ", rows[i].line);
			goto fail;
		}
	}
	snprintf(after, sizeof(after), "{\"rows\":%zu}", n);
	if ((rc = store_audit_add(st, actor, "daily_cases.import", "province_daily_cases", NULL,
	                          UNIT_COUNTRY_CODE, NULL, after, err)) < 0)
		goto fail;
	if ((rc = sql_commit(st, err)) < 0)
		return rc;
	if (stored)
		*stored = n;
	return 0;
fail:
	sql_rollback(st);
	return rc;
}
