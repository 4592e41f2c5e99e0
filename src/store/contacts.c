/*
 * F1/F2 contacts of a case, with the quarantine dates computed by the API.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/role.h"
#include "store/cases-private.h"
#include "base/banned.h"

/* ---- contacts ---- */

static int contact_create_body(struct store *st, void *ctx, struct store_audit *au,
                               struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct contact_rec *c = ctx;
	struct arena a = ARENA_INIT(0);
	struct place pl = { .code = "" };
	struct case_rec src;
	struct person_use use = { "contact", c->exposure_on, c->degree == 2 ? "F2" : "F1" };
	struct sql_stmt *s;
	int rc;

	if ((rc = case_read(st, actor, c->case_id, &a, &src, err)) < 0 ||
	    (rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, c->person.unit_code,
	                       "person.unit_code", &pl, err)) < 0 ||
	    (rc = person_resolve(st, actor, &c->person, &pl, &use, err)) < 0)
		goto out;
	if ((rc = sql_prepare(st, "INSERT INTO contacts (case_id, person_id, degree, exposure_on,"
	                      " setting, quarantine_start, quarantine_end, quarantine_rule, cluster_id,"
	                      " unit_path, province_code, created_at, created_by)"
	                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
	                      " RETURNING id", &s, err)) < 0)
		goto out;
	sql_bind_int64(s, 1, c->case_id);
	sql_bind_int64(s, 2, c->person.id);
	sql_bind_int64(s, 3, c->degree);
	sql_bind_text(s, 4, c->exposure_on);
	sql_bind_text(s, 5, place_nz(c->setting));
	sql_bind_text(s, 6, c->quarantine_start);
	sql_bind_text(s, 7, c->quarantine_end);
	sql_bind_text(s, 8, c->quarantine_rule);
	place_bind_opt_id(s, 9, src.cluster_id);
	sql_bind_text(s, 10, pl.path);
	sql_bind_text(s, 11, pl.province);
	sql_bind_int64(s, 12, actor->now_ms);
	sql_bind_text(s, 13, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &c->id, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "người này đã là tiếp xúc của ca %lld",
			          "that person is already a contact of case %lld", (long long)c->case_id);
		goto out;
	}
	au->action = "contact.create";
	au->entity = "contact";
	store_audit_id(au, c->id);
	au->unit_code = arena_strdup(&au->arena, pl.code);
	au->after = json_pack("{s:I, s:I, s:i, s:s, s:s, s:s, s:s}", "case_id", (json_int_t)c->case_id,
	                      "person_id", (json_int_t)c->person.id, "degree", c->degree,
	                      "exposure_on", c->exposure_on, "quarantine_start", c->quarantine_start,
	                      "quarantine_end", c->quarantine_end, "quarantine_rule",
	                      c->quarantine_rule);
	if (au->unit_code == NULL || au->after == NULL)
		rc = store_oom(err);
out:
	arena_release(&a);
	return rc;
}

int store_contact_create(struct store *st, const struct store_actor *actor,
                         struct contact_rec *c, struct error *err)
{
	return store_write(st, actor, contact_create_body, c, err);
}

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
	c->person.commune_code = arena_strdup(a, sql_col_text(s, 17));
	/* As case_from_row: a person of another commune (linked before schema
	 * version 5) is not shown. */
	{
		char commune[UNIT_CODE_MAX];

		place_commune_of(sql_col_text(s, 18), commune, sizeof(commune));
		if (c->person.commune_code && strcmp(c->person.commune_code, commune) != 0) {
			const char *keep = c->person.commune_code;

			memset(&c->person, 0, sizeof(c->person));
			c->person.birth_year = -1;
			c->person.commune_code = keep;
		}
	}
}

/* Appends the rows of a query (already bound) to a growing arena array. */
int contacts_collect(struct sql_stmt *s, struct arena *a, struct contact_rec **out,
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
				return store_oom(err);
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

struct contacts_list {
	int64_t case_id;
	struct arena *a;
	struct contact_rec **out;
	size_t *n;
};

static int contacts_list_body(struct store *st, void *ctx, struct store_audit *au,
                              struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct contacts_list *L = ctx;
	char roles[ROLE_NAMES_MAX];
	struct case_rec c;
	struct sql_stmt *s;
	int rc;

	if ((rc = case_read(st, actor, L->case_id, L->a, &c, err)) < 0)
		return rc;
	/* Contacts living outside the reader's scope are not listed (not even
	 * counted): they belong to another commune's follow-up. */
	if ((rc = sql_prepare(st, "SELECT " CONTACT_COLS " FROM contacts k JOIN people p"
	                      " ON p.id = k.person_id WHERE k.case_id = $1 AND "
	                      SCOPE_SQL("k.unit_path", "$2", "$3") " ORDER BY k.id", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, L->case_id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	if ((rc = contacts_collect(s, L->a, L->out, L->n, err)) < 0)
		return rc;
	au->action = "person.read";
	au->entity = "contacts";
	store_audit_id(au, L->case_id);
	au->unit_code = c.person.unit_code;     /* in the caller's arena */
	return 0;
}

int store_contacts_list(struct store *st, const struct store_actor *actor,
                        int64_t case_id, struct arena *a, struct contact_rec **out,
                        size_t *n, struct error *err)
{
	struct contacts_list L = { case_id, a, out, n };

	/* A write: reading names records its audit row. */
	return store_write(st, actor, contacts_list_body, &L, err);
}

struct contacts_due {
	const char *unit, *day;
	int64_t after;
	int limit;
	struct arena *a;
	struct contact_rec **out;
	size_t *n;
};

static int contacts_due_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	const struct contacts_due *D = ctx;
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	/* A contact who has since become a case is followed up as a case. */
	if ((rc = sql_prepare(st, "SELECT " CONTACT_COLS " FROM contacts k JOIN people p"
	                      " ON p.id = k.person_id JOIN units top ON top.code = $1"
	                      " WHERE substr(k.unit_path, 1, length(top.path)) = top.path"
	                      " AND " SCOPE_SQL("k.unit_path", "$2", "$3")
	                      " AND k.quarantine_start <= $4 AND k.quarantine_end >= $4"
	                      " AND NOT EXISTS (SELECT 1 FROM isolations i WHERE i.contact_id = k.id)"
	                      " AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = k.person_id"
	                      "  AND c.detected_on >= k.exposure_on)"
	                      " AND k.id > $5 ORDER BY k.id LIMIT $6", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, D->unit);
	sql_bind_int64(s, 2, store_actor_uid(au->actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	sql_bind_text(s, 4, D->day);
	sql_bind_int64(s, 5, D->after);
	sql_bind_int64(s, 6, D->limit);
	if ((rc = contacts_collect(s, D->a, D->out, D->n, err)) < 0)
		return rc;
	if (*D->n == 0) {          /* no person read: nothing to audit */
		au->unchanged = 1;
		return 0;
	}
	au->action = "person.read";
	au->entity = "contacts";
	au->unit_code = D->unit;
	return 0;
}

int store_contacts_due(struct store *st, const struct store_actor *actor, const char *unit,
                       const char *day, int64_t after, int limit, struct arena *a,
                       struct contact_rec **out, size_t *n, struct error *err)
{
	struct contacts_due D = { unit, day, after, limit, a, out, n };

	/* A write: reading names records its audit row. */
	return store_write(st, actor, contacts_due_body, &D, err);
}
