/*
 * Users, role grants, sessions and the scope check.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/role.h"
#include "domain/unit.h"
#include "store/store-private.h"
#include "base/banned.h"

#define USERNAME_MAX 64
#define GRANTS_MAX 64

int store_scope_path(struct store *st, const struct store_actor *actor,
                     const char *unit_code, unsigned role_mask, char *path,
                     size_t pathsz, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(role_mask, roles, sizeof(roles));
	rc = sql_prepare(st, "SELECT u.path FROM units u WHERE u.code = $1 AND "
	                 SCOPE_SQL("u.path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit_code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	rc = sql_step(s, err);
	if (rc == 1 && path)
		snprintf(path, pathsz, "%s", sql_col_text(s, 0));
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND,
		                 "không có đơn vị mã '%.40s' trong phạm vi của bạn",
		                 "no unit with code '%.40s' within your scope",
		                 unit_code ? unit_code : "");
	return 0;
}

int store_scope_check(struct store *st, const struct store_actor *actor,
                      const char *unit_code, unsigned role_mask,
                      struct error *err)
{
	return store_scope_path(st, actor, unit_code, role_mask, NULL, 0, err);
}

static int user_check_name(const char *username, struct error *err)
{
	size_t n = username ? strlen(username) : 0;

	if (n < 2 || n > USERNAME_MAX)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "tên đăng nhập phải dài 2..%d ký tự", "username must be 2..%d characters",
		                 USERNAME_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = username[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return error_set(err, THC_EUNPROCESSABLE,
			                 "tên đăng nhập '%.64s' chỉ được dùng a-z, 0-9, '.', '_', '-'",
			                 "username '%.64s' may only use a-z, 0-9, '.', '_', '-'",
			                 username);
	}
	return 0;
}

static int grant_insert(struct store *st, const struct store_actor *actor,
                        const char *username, const char *role,
                        const char *unit_code, struct error *err);

int store_user_create(struct store *st, const struct store_actor *actor,
                      const char *username, const char *full_name,
                      const char *password_hash, const char *role,
                      const char *unit_code, int64_t *id, struct error *err)
{
	struct sql_stmt *s;
	char idbuf[24], *after;
	int64_t newid = 0;
	int rc;

	if ((rc = user_check_name(username, err)) < 0)
		return rc;
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO users (username, full_name, password_hash, created_at,"
	                 " updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id", &s, err);
	if (rc < 0)
		goto fail;
	sql_bind_text(s, 1, username);
	sql_bind_text(s, 2, full_name ? full_name : "");
	sql_bind_text(s, 3, password_hash);
	sql_bind_int64(s, 4, actor->now_ms);
	if ((rc = sql_exec_stmt(s, &newid, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "tên đăng nhập '%s' đã có", "username '%s' already exists",
			          username);
		goto fail;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)newid);
	after = store_json("{s:s,s:s}", "username", username, "full_name",
	                             full_name ? full_name : "");
	rc = store_audit_add(st, actor, "user.create", "user", idbuf, NULL, NULL, after, err);
	free(after);
	if (rc < 0)
		goto fail;
	if ((rc = grant_insert(st, actor, username, role, unit_code, err)) < 0)
		goto fail;
	if ((rc = sql_commit(st, err)) < 0)
		return rc;
	if (id)
		*id = newid;
	return 0;
fail:
	sql_rollback(st);
	return rc;
}

int store_user_set_password(struct store *st, const struct store_actor *actor,
                            const char *username, const char *password_hash,
                            struct error *err)
{
	struct sql_stmt *s;
	int64_t id = 0;
	char idbuf[24];
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	rc = sql_prepare(st, "UPDATE users SET password_hash = $2, updated_at = $3"
	                 " WHERE username = $1 RETURNING id", &s, err);
	if (rc < 0)
		goto fail;
	sql_bind_text(s, 1, username);
	sql_bind_text(s, 2, password_hash);
	sql_bind_int64(s, 3, actor->now_ms);
	if ((rc = sql_exec_stmt(s, &id, err)) < 0)
		goto fail;
	if (id == 0) {
		rc = error_set(err, THC_ENOTFOUND, "không có người dùng '%.64s'",
		               "no user '%.64s'", username);
		goto fail;
	}
	/* A new password ends every open session of the account. */
	if ((rc = sql_prepare(st, "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1"
	                      " AND revoked_at IS NULL", &s, err)) < 0)
		goto fail;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		goto fail;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	if ((rc = store_audit_add(st, actor, "user.password", "user", idbuf, NULL, NULL,
	                          NULL, err)) < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

static int user_load_grants(struct store *st, struct user *u, struct arena *a,
                            struct error *err)
{
	struct sql_stmt *s;
	int rc;

	u->grants = arena_alloc(a, GRANTS_MAX * sizeof(*u->grants));
	u->ngrants = 0;
	if (u->grants == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	rc = sql_prepare(st, "SELECT g.id, g.role, g.unit_code, un.name, un.level FROM grants g"
	                 " JOIN units un ON un.code = g.unit_code WHERE g.user_id = $1"
	                 " ORDER BY g.id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, u->id);
	while ((rc = sql_step(s, err)) == 1 && u->ngrants < GRANTS_MAX) {
		struct grant *g = &u->grants[u->ngrants++];
		g->id = sql_col_int64(s, 0);
		g->role = arena_strdup(a, sql_col_text(s, 1));
		g->unit_code = arena_strdup(a, sql_col_text(s, 2));
		g->unit_name = arena_strdup(a, sql_col_text(s, 3));
		g->unit_level = arena_strdup(a, sql_col_text(s, 4));
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

static void user_from_row(struct sql_stmt *s, struct arena *a, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sql_col_int64(s, 0);
	u->username = arena_strdup(a, sql_col_text(s, 1));
	u->full_name = arena_strdup(a, sql_col_text(s, 2));
	u->disabled = (int)sql_col_int64(s, 3);
	u->created_at_ms = sql_col_int64(s, 4);
}

int store_user_by_name(struct store *st, const char *username, struct arena *a,
                       struct user *out, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT id, username, full_name, disabled, created_at, password_hash"
	                 " FROM users WHERE username = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, username);
	rc = sql_step(s, err);
	if (rc == 1) {
		user_from_row(s, a, out);
		out->password_hash = arena_strdup(a, sql_col_text(s, 5));
	}
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có người dùng '%.64s'",
		                 "no user '%.64s'", username);
	if (rc < 0)
		return rc;
	return user_load_grants(st, out, a, err);
}

int store_user_by_id(struct store *st, int64_t id, struct arena *a,
                     struct user *out, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT id, username, full_name, disabled, created_at"
	                 " FROM users WHERE id = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	rc = sql_step(s, err);
	if (rc == 1)
		user_from_row(s, a, out);
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có người dùng #%lld",
		                 "no user #%lld", (long long)id);
	if (rc < 0)
		return rc;
	return user_load_grants(st, out, a, err);
}

int store_users_list(struct store *st, struct arena *a, struct user **out,
                     size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t cap = 64, k = 0;
	struct user *v = arena_alloc(a, cap * sizeof(*v));
	int rc;

	if (v == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	rc = sql_prepare(st, "SELECT id, username, full_name, disabled, created_at FROM users"
	                 " ORDER BY username", &s, err);
	if (rc < 0)
		return rc;
	while ((rc = sql_step(s, err)) == 1) {
		if (k == cap) {
			struct user *bigger = arena_alloc(a, 2 * cap * sizeof(*v));
			if (bigger == NULL) {
				rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
				break;
			}
			memcpy(bigger, v, cap * sizeof(*v));
			v = bigger;
			cap *= 2;
		}
		user_from_row(s, a, &v[k++]);
	}
	sql_done(s);
	for (size_t i = 0; rc == 0 && i < k; i++)
		rc = user_load_grants(st, &v[i], a, err);
	*out = v;
	*n = k;
	return rc < 0 ? rc : 0;
}

/* Resolves username and checks role/unit for a grant change. */
static int grant_resolve(struct store *st, const char *username, const char *role,
                         const char *unit_code, int64_t *uid, char *path,
                         size_t pathsz, struct error *err)
{
	struct sql_stmt *s;
	int r = role_from_name(role), rc;
	char level[16] = "";

	if (r < 0)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "vai trò '%.40s' không tồn tại (admin, province_officer, district_officer, commune_officer, team_member, health_worker, citizen, business)",
		                 "unknown role '%.40s' (admin, province_officer, district_officer, commune_officer, team_member, health_worker, citizen, business)",
		                 role ? role : "");
	if ((rc = sql_prepare(st, "SELECT id FROM users WHERE username = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, username);
	*uid = 0;
	if ((rc = sql_exec_stmt(s, uid, err)) < 0)
		return rc;
	if (*uid == 0)
		return error_set(err, THC_ENOTFOUND, "không có người dùng '%.64s'",
		                 "no user '%.64s'", username);
	if ((rc = sql_prepare(st, "SELECT level, path FROM units WHERE code = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, unit_code);
	rc = sql_step(s, err);
	if (rc == 1) {
		snprintf(level, sizeof(level), "%s", sql_col_text(s, 0));
		snprintf(path, pathsz, "%s", sql_col_text(s, 1));
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_EUNPROCESSABLE, "không có đơn vị mã '%.40s'",
		                 "no unit with code '%.40s'", unit_code ? unit_code : "");
	return role_check_scope_level((enum role)r, (enum unit_level)unit_level_from_name(level), err);
}

/* Inserts a grant inside the caller's transaction. */
static int grant_insert(struct store *st, const struct store_actor *actor,
                        const char *username, const char *role,
                        const char *unit_code, struct error *err)
{
	struct sql_stmt *s;
	char path[160], idbuf[24], *after;
	int64_t uid;
	int rc;

	if ((rc = grant_resolve(st, username, role, unit_code, &uid, path, sizeof(path), err)) < 0)
		return rc;
	if ((rc = store_scope_check(st, actor, unit_code, ROLE_BIT(ROLE_ADMIN), err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO grants (user_id, role, unit_code, created_at)"
	                 " VALUES ($1, $2, $3, $4)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, uid);
	sql_bind_text(s, 2, role);
	sql_bind_text(s, 3, unit_code);
	sql_bind_int64(s, 4, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "'%s' đã có vai trò %s tại '%s'",
			          "'%s' already has role %s at '%s'", username, role, unit_code);
		return rc;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)uid);
	after = store_json("{s:s,s:s,s:s}", "username", username, "role", role,
	                   "unit_code", unit_code);
	rc = store_audit_add(st, actor, "user.grant", "user", idbuf, unit_code, NULL, after, err);
	free(after);
	return rc;
}

int store_grant_add(struct store *st, const struct store_actor *actor,
                    const char *username, const char *role,
                    const char *unit_code, struct error *err)
{
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = grant_insert(st, actor, username, role, unit_code, err)) < 0) {
		sql_rollback(st);
		return rc;
	}
	return sql_commit(st, err);
}

int store_grant_remove(struct store *st, const struct store_actor *actor,
                       const char *username, const char *role,
                       const char *unit_code, struct error *err)
{
	struct sql_stmt *s;
	char path[160], idbuf[24], *before;
	int64_t uid, gone = 0;
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = grant_resolve(st, username, role, unit_code, &uid, path, sizeof(path), err)) < 0 &&
	    rc != THC_EUNPROCESSABLE)
		goto fail;
	if ((rc = store_scope_check(st, actor, unit_code, ROLE_BIT(ROLE_ADMIN), err)) < 0)
		goto fail;
	rc = sql_prepare(st, "DELETE FROM grants WHERE user_id = $1 AND role = $2"
	                 " AND unit_code = $3 RETURNING id", &s, err);
	if (rc < 0)
		goto fail;
	sql_bind_int64(s, 1, uid);
	sql_bind_text(s, 2, role);
	sql_bind_text(s, 3, unit_code);
	if ((rc = sql_exec_stmt(s, &gone, err)) < 0)
		goto fail;
	if (!gone) {
		rc = error_set(err, THC_ENOTFOUND, "'%s' không có vai trò %s tại '%s'",
		               "'%s' has no role %s at '%s'", username, role, unit_code);
		goto fail;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)uid);
	before = store_json("{s:s,s:s,s:s}", "username", username, "role", role,
	                              "unit_code", unit_code);
	rc = store_audit_add(st, actor, "user.revoke", "user", idbuf, unit_code, before, NULL, err);
	free(before);
	if (rc < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

/* ---- sessions ---- */

int store_session_create(struct store *st, const struct store_actor *actor,
                         int64_t user_id, const char *token_hash,
                         const char *csrf, int64_t expires_ms,
                         struct error *err)
{
	struct sql_stmt *s;
	char idbuf[24];
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO sessions (token_hash, user_id, csrf, client_addr,"
	                 " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)", &s, err);
	if (rc < 0)
		goto fail;
	sql_bind_text(s, 1, token_hash);
	sql_bind_int64(s, 2, user_id);
	sql_bind_text(s, 3, csrf);
	sql_bind_text(s, 4, actor->addr);
	sql_bind_int64(s, 5, actor->now_ms);
	sql_bind_int64(s, 6, expires_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		goto fail;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)user_id);
	if ((rc = store_audit_add(st, actor, "session.login", "user", idbuf, NULL, NULL, NULL,
	                          err)) < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

int store_session_lookup(struct store *st, const char *token_hash,
                         int64_t now_ms, struct arena *a, struct session *out,
                         struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT s.user_id, s.csrf, s.expires_at FROM sessions s"
	                 " JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
	                 " AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.disabled = 0",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, token_hash);
	sql_bind_int64(s, 2, now_ms);
	rc = sql_step(s, err);
	if (rc == 1) {
		out->user_id = sql_col_int64(s, 0);
		out->csrf = arena_strdup(a, sql_col_text(s, 1));
		out->expires_ms = sql_col_int64(s, 2);
	}
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_EAUTH, "phiên đăng nhập không hợp lệ hoặc đã hết hạn",
		                 "the session is invalid or has expired");
	return rc < 0 ? rc : 0;
}

int store_session_revoke(struct store *st, const struct store_actor *actor,
                         const char *token_hash, struct error *err)
{
	struct sql_stmt *s;
	char idbuf[24];
	int64_t uid = 0;
	int rc;

	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	rc = sql_prepare(st, "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1"
	                 " AND revoked_at IS NULL RETURNING user_id", &s, err);
	if (rc < 0)
		goto fail;
	sql_bind_text(s, 1, token_hash);
	sql_bind_int64(s, 2, actor->now_ms);
	if ((rc = sql_exec_stmt(s, &uid, err)) < 0)
		goto fail;
	if (uid == 0) {
		rc = error_set(err, THC_EAUTH, "phiên đăng nhập không hợp lệ",
		               "the session is not valid");
		goto fail;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)uid);
	if ((rc = store_audit_add(st, actor, "session.logout", "user", idbuf, NULL, NULL, NULL,
	                          err)) < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}
