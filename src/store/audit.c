/*
 * The audit trail: one row per change of state, written in the same
 * transaction as the change.  Rows are never updated or deleted (the
 * schema's triggers refuse it too).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/role.h"
#include "domain/unit.h"
#include "store/store-private.h"
#include "base/banned.h"

/* Compact, sorted keys: the same change always reads the same. */
static char *audit_dump(const json_t *j)
{
	return j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

int store_audit_add(struct store *st, const struct store_actor *actor,
                    const char *action, const char *entity,
                    const char *entity_id, const char *unit_code,
                    const json_t *before, const json_t *after, struct error *err)
{
	char *before_json = audit_dump(before), *after_json = audit_dump(after);
	struct sql_stmt *s;
	int rc;

	if ((before && before_json == NULL) || (after && after_json == NULL)) {
		rc = store_oom(err);
		goto out;
	}
	/* Entries about no unit (users, sessions) belong to the national scope. */
	if (unit_code == NULL)
		unit_code = UNIT_COUNTRY_CODE;
	rc = sql_prepare(st, "INSERT INTO audit (at, actor_id, actor, client_addr, action, entity,"
	                 " entity_id, unit_code, unit_path, before_json, after_json)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
	                 " (SELECT path FROM units WHERE code = $8), $9, $10)", &s, err);
	if (rc < 0)
		goto out;
	sql_bind_int64(s, 1, actor->now_ms);
	if (actor->user_id > 0)
		sql_bind_int64(s, 2, actor->user_id);
	else
		sql_bind_null(s, 2);
	sql_bind_text(s, 3, actor->username ? actor->username : "system");
	sql_bind_text(s, 4, actor->addr);
	sql_bind_text(s, 5, action);
	sql_bind_text(s, 6, entity);
	sql_bind_text(s, 7, entity_id);
	sql_bind_text(s, 8, unit_code);
	sql_bind_text(s, 9, before_json);
	sql_bind_text(s, 10, after_json);
	rc = sql_exec_stmt(s, NULL, err);
out:
	free(before_json);
	free(after_json);
	return rc;
}

int store_audit_list(struct store *st, const struct store_actor *actor,
                     const struct audit_query *q, struct arena *a,
                     struct audit_entry **out, size_t *n, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	role_mask_names(ROLE_MASK_AUDIT_READ, roles, sizeof(roles));
	*out = arena_alloc(a, (size_t)q->limit * sizeof(**out));
	if (*out == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT a.id, a.at, a.actor, a.client_addr, a.action, a.entity,"
	                 " a.entity_id, a.unit_code, a.before_json, a.after_json FROM audit a"
	                 " WHERE " SCOPE_SQL("a.unit_path", "$1", "$2")
	                 " AND (CAST($3 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM units f"
	                 "  WHERE f.code = $3 AND substr(a.unit_path, 1, length(f.path)) = f.path))"
	                 " AND (CAST($4 AS TEXT) IS NULL OR a.actor = $4)"
	                 /* CAST: PostgreSQL would type "$5 = 0" as a 32-bit integer */
	                 " AND (CAST($5 AS BIGINT) = 0 OR a.at >= $5)"
	                 " AND (CAST($6 AS BIGINT) = 0 OR a.at < $6)"
	                 " AND (CAST($7 AS BIGINT) = 0 OR a.id < $7)"
	                 " ORDER BY a.id DESC LIMIT $8", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_text(s, 2, roles);
	sql_bind_text(s, 3, q->unit);
	sql_bind_text(s, 4, q->actor);
	sql_bind_int64(s, 5, q->from_ms);
	sql_bind_int64(s, 6, q->to_ms);
	sql_bind_int64(s, 7, q->before_id);
	sql_bind_int64(s, 8, q->limit);
	while ((rc = sql_step(s, err)) == 1 && k < (size_t)q->limit) {
		struct audit_entry *e = &(*out)[k++];
		e->id = sql_col_int64(s, 0);
		e->at_ms = sql_col_int64(s, 1);
		e->actor = arena_strdup(a, sql_col_text(s, 2));
		e->client_addr = arena_strdup(a, sql_col_text(s, 3));
		e->action = arena_strdup(a, sql_col_text(s, 4));
		e->entity = arena_strdup(a, sql_col_text(s, 5));
		e->entity_id = arena_strdup(a, sql_col_text(s, 6));
		e->unit_code = arena_strdup(a, sql_col_text(s, 7));
		e->before_json = arena_strdup(a, sql_col_text(s, 8));
		e->after_json = arena_strdup(a, sql_col_text(s, 9));
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}
