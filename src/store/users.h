/*
 * Users, their role grants, sessions and the scope check (users.c).
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 * A struct user's grants array is in the same arena.
 */
#ifndef THC_STORE_USERS_H
#define THC_STORE_USERS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

#define USER_NAME_MIN 2                 /* a username: a-z, 0-9, '.', '_', '-' */
#define USER_NAME_MAX 64

struct grant {
	int64_t id;
	const char *role;
	const char *unit_code;
	const char *unit_name;
	const char *unit_level;
};

struct user {
	int64_t id;
	const char *username;
	const char *full_name;
	const char *password_hash;  /* only from store_user_by_name */
	int disabled;
	int64_t created_at_ms;
	struct grant *grants;
	size_t ngrants;
};

/* Creates the user with a first grant (every user has a role somewhere). */
int store_user_create(struct store *st, const struct store_actor *actor,
                      const char *username, const char *full_name,
                      const char *password_hash, const char *role,
                      const char *unit_code, int64_t *id, struct error *err);
int store_user_set_password(struct store *st, const struct store_actor *actor,
                            const char *username, const char *password_hash,
                            struct error *err);
/* Unscoped lookup for login: includes password_hash and grants. */
int store_user_by_name(struct store *st, const char *username, struct arena *a,
                       struct user *out, struct error *err);
int store_user_by_id(struct store *st, int64_t id, struct arena *a,
                     struct user *out, struct error *err);
int store_users_list(struct store *st, struct arena *a, struct user **out,
                     size_t *n, struct error *err);
int store_grant_add(struct store *st, const struct store_actor *actor,
                    const char *username, const char *role,
                    const char *unit_code, struct error *err);
int store_grant_remove(struct store *st, const struct store_actor *actor,
                       const char *username, const char *role,
                       const char *unit_code, struct error *err);

/*
 * Is the unit inside the subtree of one of the actor's grants whose role is
 * in role_mask (bits of enum role)?  0, or THC_ENOTFOUND (unknown or out of
 * scope: the caller must not tell the two apart).
 */
int store_scope_check(struct store *st, const struct store_actor *actor,
                      const char *unit_code, unsigned role_mask,
                      struct error *err);

struct session {
	int64_t user_id;
	const char *csrf;
	int64_t expires_ms;
};
/* token_hash and csrf are hex strings; the raw token is never stored. */
int store_session_create(struct store *st, const struct store_actor *actor,
                         int64_t user_id, const char *token_hash,
                         const char *csrf, int64_t expires_ms,
                         struct error *err);
/* The live session of token_hash and, when user is not NULL, its user
 * with the grants (strings in a); THC_EAUTH when there is none. */
int store_session_lookup(struct store *st, const char *token_hash,
                         int64_t now_ms, struct arena *a, struct session *out,
                         struct user *user, struct error *err);
int store_session_revoke(struct store *st, const struct store_actor *actor,
                         const char *token_hash, struct error *err);

#endif
