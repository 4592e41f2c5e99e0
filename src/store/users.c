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
		rc = sql_col_copy(s, 0, path, pathsz, err) < 0 ? THC_ESTORE : rc;
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

	if (n < USER_NAME_MIN || n > USER_NAME_MAX)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "tên đăng nhập phải dài %d..%d ký tự", "username must be %d..%d characters",
		                 USER_NAME_MIN, USER_NAME_MAX);
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

/* A grant change: the user, role and unit, and the grant's row for the body. */
struct grant_change {
	const char *username, *role, *unit_code;
};

static int grant_insert(struct store *st, struct store_audit *au,
                        const struct grant_change *g, struct error *err);

struct user_create {
	const char *username, *full_name, *password_hash;
	struct grant_change grant;
	int64_t id;
};

/* Two rows: "user.create", then the first grant's "user.grant". */
static int user_create_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	struct user_create *U = ctx;
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO users (username, full_name, password_hash, created_at,"
	                 " updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, U->username);
	sql_bind_text(s, 2, U->full_name ? U->full_name : "");
	sql_bind_text(s, 3, U->password_hash);
	sql_bind_int64(s, 4, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, &U->id, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "tên đăng nhập '%s' đã có", "username '%s' already exists",
			          U->username);
		return rc;
	}
	au->action = "user.create";
	au->entity = "user";
	store_audit_id(au, U->id);
	if ((au->after = json_pack("{s:s,s:s}", "username", U->username, "full_name",
	                           U->full_name ? U->full_name : "")) == NULL)
		return store_oom(err);
	if ((rc = store_audit_flush(st, au, err)) < 0)
		return rc;
	return grant_insert(st, au, &U->grant, err);
}

int store_user_create(struct store *st, const struct store_actor *actor,
                      const char *username, const char *full_name,
                      const char *password_hash, const char *role,
                      const char *unit_code, int64_t *id, struct error *err)
{
	struct user_create U = { username, full_name, password_hash,
	                         { username, role, unit_code }, 0 };
	int rc;

	if ((rc = user_check_name(username, err)) < 0)
		return rc;
	if ((rc = store_write(st, actor, user_create_body, &U, err)) < 0)
		return rc;
	if (id)
		*id = U.id;
	return 0;
}

struct user_password {
	const char *username, *password_hash;
};

static int user_password_body(struct store *st, void *ctx, struct store_audit *au,
                              struct error *err)
{
	const struct user_password *P = ctx;
	struct sql_stmt *s;
	int64_t id = 0;
	int rc;

	rc = sql_prepare(st, "UPDATE users SET password_hash = $2, updated_at = $3"
	                 " WHERE username = $1 RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, P->username);
	sql_bind_text(s, 2, P->password_hash);
	sql_bind_int64(s, 3, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, &id, err)) < 0)
		return rc;
	if (id == 0)
		return error_set(err, THC_ENOTFOUND, "không có người dùng '%.64s'",
		                 "no user '%.64s'", P->username);
	/* A new password ends every open session of the account. */
	if ((rc = sql_prepare(st, "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1"
	                      " AND revoked_at IS NULL", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = "user.password";
	au->entity = "user";
	store_audit_id(au, id);
	return 0;
}

int store_user_set_password(struct store *st, const struct store_actor *actor,
                            const char *username, const char *password_hash,
                            struct error *err)
{
	struct user_password P = { username, password_hash };

	return store_write(st, actor, user_password_body, &P, err);
}

/* One grant from a row whose columns from col on are g.id, g.role,
 * g.unit_code, un.name, un.level; u->grants holds GRANTS_MAX. */
static void user_grant_add(struct sql_stmt *s, int col, struct arena *a, struct user *u)
{
	struct grant *g;

	if (u->ngrants == GRANTS_MAX)
		return;
	g = &u->grants[u->ngrants++];
	g->id = sql_col_int64(s, col);
	g->role = arena_strdup(a, sql_col_text(s, col + 1));
	g->unit_code = arena_strdup(a, sql_col_text(s, col + 2));
	g->unit_name = arena_strdup(a, sql_col_text(s, col + 3));
	g->unit_level = arena_strdup(a, sql_col_text(s, col + 4));
}

static int user_grants_alloc(struct user *u, struct arena *a, struct error *err)
{
	u->grants = arena_alloc(a, GRANTS_MAX * sizeof(*u->grants));
	u->ngrants = 0;
	return u->grants ? 0 : store_oom(err);
}

static int user_load_grants(struct store *st, struct user *u, struct arena *a,
                            struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = user_grants_alloc(u, a, err)) < 0)
		return rc;
	rc = sql_prepare(st, "SELECT g.id, g.role, g.unit_code, un.name, un.level FROM grants g"
	                 " JOIN units un ON un.code = g.unit_code WHERE g.user_id = $1"
	                 " ORDER BY g.id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, u->id);
	while ((rc = sql_step(s, err)) == 1)
		user_grant_add(s, 0, a, u);
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
		return store_oom(err);
	rc = sql_prepare(st, "SELECT id, username, full_name, disabled, created_at FROM users"
	                 " ORDER BY username", &s, err);
	if (rc < 0)
		return rc;
	while ((rc = sql_step(s, err)) == 1) {
		if (k == cap) {
			struct user *bigger = arena_alloc(a, 2 * cap * sizeof(*v));
			if (bigger == NULL) {
				rc = store_oom(err);
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
		rc = sql_col_copy(s, 0, level, sizeof(level), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 1, path, pathsz, err) < 0 ? THC_ESTORE : rc;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_EUNPROCESSABLE, "không có đơn vị mã '%.40s'",
		                 "no unit with code '%.40s'", unit_code ? unit_code : "");
	return role_check_scope_level((enum role)r, (enum unit_level)unit_level_from_name(level), err);
}

/* The grant as its audit rows show it. */
static json_t *grant_audit_json(const struct grant_change *g)
{
	return json_pack("{s:s,s:s,s:s}", "username", g->username, "role", g->role,
	                 "unit_code", g->unit_code);
}

/* Inserts a grant inside the caller's transaction; *au gets its row. */
static int grant_insert(struct store *st, struct store_audit *au,
                        const struct grant_change *g, struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct sql_stmt *s;
	char path[160];
	int64_t uid;
	int rc;

	if ((rc = grant_resolve(st, g->username, g->role, g->unit_code, &uid, path, sizeof(path),
	                        err)) < 0)
		return rc;
	if ((rc = store_scope_check(st, actor, g->unit_code, ROLE_BIT(ROLE_ADMIN), err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO grants (user_id, role, unit_code, created_at)"
	                 " VALUES ($1, $2, $3, $4)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, uid);
	sql_bind_text(s, 2, g->role);
	sql_bind_text(s, 3, g->unit_code);
	sql_bind_int64(s, 4, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
		if (rc == THC_ECONFLICT)
			error_set(err, rc, "'%s' đã có vai trò %s tại '%s'",
			          "'%s' already has role %s at '%s'", g->username, g->role, g->unit_code);
		return rc;
	}
	au->action = "user.grant";
	au->entity = "user";
	store_audit_id(au, uid);
	au->unit_code = g->unit_code;
	if ((au->after = grant_audit_json(g)) == NULL)
		return store_oom(err);
	return 0;
}

static int grant_add_body(struct store *st, void *ctx, struct store_audit *au,
                          struct error *err)
{
	return grant_insert(st, au, ctx, err);
}

int store_grant_add(struct store *st, const struct store_actor *actor,
                    const char *username, const char *role,
                    const char *unit_code, struct error *err)
{
	struct grant_change g = { username, role, unit_code };

	return store_write(st, actor, grant_add_body, &g, err);
}

static int grant_remove_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	const struct grant_change *g = ctx;
	struct sql_stmt *s;
	char path[160];
	int64_t uid = 0, gone = 0;
	int rc;

	/* A grant the rules refuse now (role, unit) may be stored from before:
	 * it can still be removed, or is not found. */
	if ((rc = grant_resolve(st, g->username, g->role, g->unit_code, &uid, path, sizeof(path),
	                        err)) < 0 && rc != THC_EUNPROCESSABLE)
		return rc;
	if ((rc = store_scope_check(st, au->actor, g->unit_code, ROLE_BIT(ROLE_ADMIN), err)) < 0)
		return rc;
	rc = sql_prepare(st, "DELETE FROM grants WHERE user_id = $1 AND role = $2"
	                 " AND unit_code = $3 RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, uid);
	sql_bind_text(s, 2, g->role);
	sql_bind_text(s, 3, g->unit_code);
	if ((rc = sql_exec_stmt(s, &gone, err)) < 0)
		return rc;
	if (!gone)
		return error_set(err, THC_ENOTFOUND, "'%s' không có vai trò %s tại '%s'",
		                 "'%s' has no role %s at '%s'", g->username, g->role, g->unit_code);
	au->action = "user.revoke";
	au->entity = "user";
	store_audit_id(au, uid);
	au->unit_code = g->unit_code;
	if ((au->before = grant_audit_json(g)) == NULL)
		return store_oom(err);
	return 0;
}

int store_grant_remove(struct store *st, const struct store_actor *actor,
                       const char *username, const char *role,
                       const char *unit_code, struct error *err)
{
	struct grant_change g = { username, role, unit_code };

	return store_write(st, actor, grant_remove_body, &g, err);
}

/* ---- sessions ---- */

struct session_new {
	int64_t user_id;
	const char *token_hash, *csrf;
	int64_t expires_ms;
};

static int session_create_body(struct store *st, void *ctx, struct store_audit *au,
                               struct error *err)
{
	const struct session_new *S = ctx;
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO sessions (token_hash, user_id, csrf, client_addr,"
	                 " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, S->token_hash);
	sql_bind_int64(s, 2, S->user_id);
	sql_bind_text(s, 3, S->csrf);
	sql_bind_text(s, 4, au->actor->addr);
	sql_bind_int64(s, 5, au->actor->now_ms);
	sql_bind_int64(s, 6, S->expires_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = "session.login";
	au->entity = "user";
	store_audit_id(au, S->user_id);
	return 0;
}

int store_session_create(struct store *st, const struct store_actor *actor,
                         int64_t user_id, const char *token_hash,
                         const char *csrf, int64_t expires_ms,
                         struct error *err)
{
	struct session_new S = { user_id, token_hash, csrf, expires_ms };

	return store_write(st, actor, session_create_body, &S, err);
}

/*
 * The session, its user and the user's grants in one statement, one row
 * per grant (none when the user has none): a request signs in with one
 * read, and a sign-out, a new password, a changed grant or a disabled
 * account counts from the next request, whichever process made it.
 */
int store_session_lookup(struct store *st, const char *token_hash,
                         int64_t now_ms, struct arena *a, struct session *out,
                         struct user *user, struct error *err)
{
	struct user ignore;
	struct sql_stmt *s;
	int rc, rows = 0;

	if (user == NULL)
		user = &ignore;
	rc = sql_prepare(st, "SELECT s.user_id, s.csrf, s.expires_at, u.username, u.full_name,"
	                 " u.disabled, u.created_at, g.id, g.role, g.unit_code, un.name, un.level"
	                 " FROM sessions s JOIN users u ON u.id = s.user_id"
	                 " LEFT JOIN (grants g JOIN units un ON un.code = g.unit_code)"
	                 " ON g.user_id = u.id"
	                 " WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2"
	                 " AND u.disabled = 0 ORDER BY g.id", &s, err);
	if (rc < 0)
		return rc;
	memset(user, 0, sizeof(*user));
	if ((rc = user_grants_alloc(user, a, err)) < 0)
		return rc;
	sql_bind_text(s, 1, token_hash);
	sql_bind_int64(s, 2, now_ms);
	while ((rc = sql_step(s, err)) == 1) {
		if (rows++ == 0) {
			out->user_id = sql_col_int64(s, 0);
			out->csrf = arena_strdup(a, sql_col_text(s, 1));
			out->expires_ms = sql_col_int64(s, 2);
			user->id = out->user_id;
			user->username = arena_strdup(a, sql_col_text(s, 3));
			user->full_name = arena_strdup(a, sql_col_text(s, 4));
			user->disabled = (int)sql_col_int64(s, 5);
			user->created_at_ms = sql_col_int64(s, 6);
		}
		if (!sql_col_is_null(s, 7))
			user_grant_add(s, 7, a, user);
	}
	sql_done(s);
	if (rc == 0 && rows == 0)
		return error_set(err, THC_EAUTH, "phiên đăng nhập không hợp lệ hoặc đã hết hạn",
		                 "the session is invalid or has expired");
	return rc < 0 ? rc : 0;
}

struct session_old {
	const char *token_hash;
};

static int session_revoke_body(struct store *st, void *ctx, struct store_audit *au,
                               struct error *err)
{
	const struct session_old *S = ctx;
	struct sql_stmt *s;
	int64_t uid = 0;
	int rc;

	rc = sql_prepare(st, "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1"
	                 " AND revoked_at IS NULL RETURNING user_id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, S->token_hash);
	sql_bind_int64(s, 2, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, &uid, err)) < 0)
		return rc;
	if (uid == 0)
		return error_set(err, THC_EAUTH, "phiên đăng nhập không hợp lệ",
		                 "the session is not valid");
	au->action = "session.logout";
	au->entity = "user";
	store_audit_id(au, uid);
	return 0;
}

int store_session_revoke(struct store *st, const struct store_actor *actor,
                         const char *token_hash, struct error *err)
{
	struct session_old S = { token_hash };

	return store_write(st, actor, session_revoke_body, &S, err);
}
