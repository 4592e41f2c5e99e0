/*
 * Supervision assignments (Bến Tre Plan 23, "nắm"): an official follows
 * units two levels below their own, and reports how each one is doing.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/role.h"
#include "domain/unit.h"
#include "store/store-private.h"
#include "base/banned.h"

#define ASSIGNMENTS_MAX 500

static const char *const assignment_statuses[] = { "stable", "attention", "urgent" };

/* Does `official` hold a grant from which `unit_code` is two levels down? */
static int assignment_fits(struct store *st, int64_t official, const char *unit_code,
                           char *grant_unit, size_t gsz, struct error *err)
{
	struct sql_stmt *s;
	int rc, ok = 0;

	rc = sql_prepare(st, "SELECT g.role, gu.code, t.level FROM grants g"
	                 " JOIN units gu ON gu.code = g.unit_code"
	                 " JOIN units t ON t.code = $2"
	                 " WHERE g.user_id = $1"
	                 " AND substr(t.path, 1, length(gu.path)) = gu.path", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, official);
	sql_bind_text(s, 2, unit_code);
	while (!ok && (rc = sql_step(s, err)) == 1) {
		int role = role_from_name(sql_col_text(s, 0));
		int lvl = unit_level_from_name(sql_col_text(s, 2));

		if (role >= 0 && role_supervised_level((enum role)role) == lvl) {
			ok = 1;
			rc = sql_col_copy(s, 1, grant_unit, gsz, err) < 0 ? THC_ESTORE : rc;
		}
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (!ok)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                 "trường 'unit_code': '%.40s' không nằm đúng hai cấp dưới đơn vị phụ trách của người được giao (tỉnh nắm xã, huyện nắm thôn, xã nắm hộ)",
		                 "field 'unit_code': '%.40s' is not two levels below a unit the official is responsible for (province follows communes, district hamlets, commune households)",
		                 unit_code);
	return 0;
}

struct assignment_new {
	const char *username, *unit_code, *note;
	int64_t id;
};

static int assignment_create_body(struct store *st, void *ctx, struct store_audit *au,
                                  struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct assignment_new *A = ctx;
	const char *username = A->username, *unit_code = A->unit_code;
	struct sql_stmt *s;
	char grant_unit[UNIT_CODE_MAX];
	int64_t official = 0;
	int rc;

	/* The unit must exist and be within the actor's authority. */
	if ((rc = store_scope_check(st, actor, unit_code, ROLE_MASK_SUPERVISE, err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, "SELECT id FROM users WHERE username = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, username);
	if ((rc = sql_exec_stmt(s, &official, err)) < 0)
		return rc;
	/* The official must hold a grant two levels above the unit, and that
	 * grant must lie within the actor's own authority: a commune officer
	 * cannot make a province officer follow anything.  One message for an
	 * unknown user and one out of reach, so usernames cannot be probed. */
	rc = official == 0 ? THC_ENOTFOUND
	     : assignment_fits(st, official, unit_code, grant_unit, sizeof(grant_unit), err);
	if (rc == 0)
		rc = store_scope_check(st, actor, grant_unit, ROLE_MASK_SUPERVISE, err);
	if (rc < 0 && rc != THC_ENOTFOUND && rc != THC_EUNPROCESSABLE)
		return rc;              /* a storage failure stays one */
	if (rc < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "username",
		                 "trường 'username': '%.64s' không phải cán bộ dưới quyền bạn phụ trách đúng hai cấp trên '%.40s' (tỉnh nắm xã, huyện nắm thôn, xã nắm hộ)",
		                 "field 'username': '%.64s' is not an official under your authority responsible two levels above '%.40s' (province follows communes, district hamlets, commune households)",
		                 username, unit_code);
	rc = sql_prepare(st, "INSERT INTO assignments (user_id, unit_code, assigned_by, note,"
	                 " created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, official);
	sql_bind_text(s, 2, unit_code);
	sql_bind_text(s, 3, actor->username ? actor->username : "system");
	sql_bind_text(s, 4, A->note);
	sql_bind_int64(s, 5, actor->now_ms);
	if ((rc = sql_exec_stmt(s, &A->id, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "'%s' đã được giao theo dõi '%s'",
			          "'%s' already follows '%s'", username, unit_code);
		return rc;
	}
	au->action = "assignment.create";
	au->entity = "assignment";
	store_audit_id(au, A->id);
	au->unit_code = unit_code;
	if ((au->after = json_pack("{s:s,s:s,s:s?}", "username", username, "unit_code", unit_code,
	                           "note", A->note)) == NULL)
		return store_oom(err);
	return 0;
}

int store_assignment_create(struct store *st, const struct store_actor *actor,
                            const char *username, const char *unit_code,
                            const char *note, int64_t *id, struct error *err)
{
	struct assignment_new A = { username, unit_code, note, 0 };
	int rc;

	if ((rc = store_write(st, actor, assignment_create_body, &A, err)) < 0)
		return rc;
	if (id)
		*id = A.id;
	return 0;
}

int store_assignments_of(struct store *st, int64_t user_id, struct arena *a,
                         struct assignment **out, size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*out = arena_alloc(a, ASSIGNMENTS_MAX * sizeof(**out));
	if (*out == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT a.id, us.username, a.unit_code, un.name, un.level,"
	                 " a.assigned_by, a.created_at, a.note, r.status, r.note, r.created_at"
	                 " FROM assignments a JOIN users us ON us.id = a.user_id"
	                 " JOIN units un ON un.code = a.unit_code"
	                 " LEFT JOIN assignment_reports r ON r.id = (SELECT MAX(x.id)"
	                 "  FROM assignment_reports x WHERE x.assignment_id = a.id)"
	                 " WHERE a.user_id = $1 ORDER BY a.unit_code LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, user_id);
	sql_bind_int64(s, 2, ASSIGNMENTS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct assignment *x = &(*out)[k++];
		x->id = sql_col_int64(s, 0);
		x->username = arena_strdup(a, sql_col_text(s, 1));
		x->unit_code = arena_strdup(a, sql_col_text(s, 2));
		x->unit_name = arena_strdup(a, sql_col_text(s, 3));
		x->unit_level = arena_strdup(a, sql_col_text(s, 4));
		x->assigned_by = arena_strdup(a, sql_col_text(s, 5));
		x->created_at_ms = sql_col_int64(s, 6);
		x->note = arena_strdup(a, sql_col_text(s, 7));
		x->status = arena_strdup(a, sql_col_text(s, 8));
		x->status_note = arena_strdup(a, sql_col_text(s, 9));
		x->status_at_ms = sql_col_is_null(s, 10) ? 0 : sql_col_int64(s, 10);
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

struct assignment_status {
	int64_t id;
	const char *status, *note;
};

static int assignment_report_body(struct store *st, void *ctx, struct store_audit *au,
                                  struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct assignment_status *R = ctx;
	struct sql_stmt *s;
	int rc;

	/* Only the official who follows the unit reports on it. */
	rc = sql_prepare(st, "SELECT unit_code FROM assignments WHERE id = $1 AND user_id = $2",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, R->id);
	sql_bind_int64(s, 2, actor->user_id);
	if ((rc = sql_step(s, err)) == 1)
		au->unit_code = arena_strdup(&au->arena, sql_col_text(s, 0));
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có phân công #%lld",
		                 "no assignment #%lld", (long long)R->id);
	if (au->unit_code == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "INSERT INTO assignment_reports (assignment_id, status, note,"
	                 " reported_by, created_at) VALUES ($1, $2, $3, $4, $5)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, R->id);
	sql_bind_text(s, 2, R->status);
	sql_bind_text(s, 3, R->note);
	sql_bind_text(s, 4, actor->username);
	sql_bind_int64(s, 5, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = "assignment.report";
	au->entity = "assignment";
	store_audit_id(au, R->id);
	if ((au->after = json_pack("{s:s,s:s?}", "status", R->status, "note", R->note)) == NULL)
		return store_oom(err);
	return 0;
}

int store_assignment_report(struct store *st, const struct store_actor *actor,
                            int64_t assignment_id, const char *status,
                            const char *note, struct error *err)
{
	struct assignment_status R = { assignment_id, status, note };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(assignment_statuses); i++)
		if (status && strcmp(status, assignment_statuses[i]) == 0)
			break;
	if (i == ARRAY_SIZE(assignment_statuses))
		return error_set_at(err, THC_EUNPROCESSABLE, "status",
		                 "trường 'status': '%.20s' phải là stable, attention hoặc urgent",
		                 "field 'status': '%.20s' must be stable, attention or urgent",
		                 status ? status : "");
	return store_write(st, actor, assignment_report_body, &R, err);
}
