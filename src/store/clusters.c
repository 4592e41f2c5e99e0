/*
 * Clusters (ổ dịch): a named outbreak with its cases, the cases they
 * infected, and their contacts.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/role.h"
#include "store/cases-private.h"
#include "base/banned.h"

/* ---- clusters ---- */

static int cluster_create_body(struct store *st, void *ctx, struct store_audit *au,
                               struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct cluster_rec *c = ctx;
	struct place pl = { .code = "" };
	struct sql_stmt *s;
	int rc;

	if ((rc = place_lookup(st, actor, ROLE_MASK_PERSONAL, c->unit_code, "unit_code", &pl,
	                       err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, "INSERT INTO clusters (name, unit_code, unit_path, province_code,"
	                      " opened_on, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	                      " RETURNING id", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, c->name);
	sql_bind_text(s, 2, pl.code);
	sql_bind_text(s, 3, pl.path);
	sql_bind_text(s, 4, pl.province);
	sql_bind_text(s, 5, c->opened_on);
	sql_bind_int64(s, 6, actor->now_ms);
	sql_bind_text(s, 7, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &c->id, err)) < 0)
		return rc;
	au->action = "cluster.create";
	au->entity = "cluster";
	store_audit_id(au, c->id);
	au->unit_code = arena_strdup(&au->arena, pl.code);
	au->after = json_pack("{s:s, s:s, s:s}", "name", c->name, "unit_code", c->unit_code,
	                      "opened_on", c->opened_on);
	if (au->unit_code == NULL || au->after == NULL)
		return store_oom(err);
	return 0;
}

int store_cluster_create(struct store *st, const struct store_actor *actor,
                         struct cluster_rec *c, struct error *err)
{
	return store_write(st, actor, cluster_create_body, c, err);
}

struct cluster_get {
	int64_t id;
	struct arena *a;
	struct cluster_rec *out;
};

/* The cluster's own row, in the reader's scope. */
static int cluster_read(struct store *st, const struct store_actor *actor, int64_t id,
                        const char *roles, struct arena *a, struct cluster_rec *out,
                        struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT c.id, c.name, c.unit_code, c.opened_on, c.closed_on"
	                      " FROM clusters c WHERE c.id = $1 AND "
	                      SCOPE_SQL("c.unit_path", "$2", "$3"), &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
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
		return error_set(err, THC_ENOTFOUND, "không có ổ dịch %lld", "no cluster %lld",
		                 (long long)id);
	return rc < 0 ? rc : 0;
}

static int cluster_get_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct cluster_get *G = ctx;
	struct cluster_rec *out = G->out;
	struct arena *a = G->a;
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	size_t cap = 0;
	int rc;

	place_personal_roles(roles, sizeof(roles));
	if ((rc = cluster_read(st, actor, G->id, roles, a, out, err)) < 0)
		return rc;
	/* The cluster's cases, and the cases they infected (the chain may
	 * leave the cluster), as far as the reader's scope goes: a link to a
	 * case outside it is not shown. */
	if ((rc = sql_prepare(st, "SELECT " CASE_COLS " FROM cases c JOIN people p ON p.id = c.person_id"
	                      " WHERE (c.cluster_id = $1 OR c.infected_by IN"
	                      " (SELECT x.id FROM cases x WHERE x.cluster_id = $1)) AND "
	                      SCOPE_SQL("c.unit_path", "$2", "$3") " ORDER BY c.id", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, G->id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	while ((rc = sql_step(s, err)) == 1) {
		if (out->ncases == cap) {
			struct case_rec *grown;

			cap = cap ? 2 * cap : 16;
			if ((grown = arena_alloc(a, cap * sizeof(*grown))) == NULL) {
				rc = store_oom(err);
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
		return rc;
	if ((rc = sql_prepare(st, "SELECT " CONTACT_COLS " FROM contacts k JOIN people p"
	                      " ON p.id = k.person_id WHERE k.cluster_id = $1 AND "
	                      SCOPE_SQL("k.unit_path", "$2", "$3") " ORDER BY k.id", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, G->id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	if ((rc = contacts_collect(s, a, &out->contacts, &out->ncontacts, err)) < 0)
		return rc;
	au->action = "person.read";
	au->entity = "cluster";
	store_audit_id(au, G->id);
	au->unit_code = out->unit_code;         /* in the caller's arena */
	return 0;
}

int store_cluster_get(struct store *st, const struct store_actor *actor, int64_t id,
                      struct arena *a, struct cluster_rec *out, struct error *err)
{
	struct cluster_get G = { id, a, out };

	memset(out, 0, sizeof(*out));
	/* A write: reading names records its audit row. */
	return store_write(st, actor, cluster_get_body, &G, err);
}
