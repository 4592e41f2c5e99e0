/*
 * Sign-in throttling (logins.c): failure counters per (address, username),
 * per username and per address, shared by every server on the database.
 * Rows are keyed by a keyed hash (a random secret kept once in the
 * database), so the table holds no username or address; rows go when their
 * window ends, never for room.  Security bookkeeping, not audited (the
 * sign-in itself is).  Nothing is returned by pointer: a struct store_login
 * is filled by value; the rules are borrowed.
 */
#ifndef THC_STORE_LOGINS_H
#define THC_STORE_LOGINS_H

#include <stdint.h>
#include "base/error.h"

struct store;
struct throttle_rules;                  /* domain/throttle.h */

#define STORE_LOGIN_KEY_HEX 65          /* 32-byte hash as hex, with NUL */
/* The counters of one attempt, from store_login_attempt(). */
struct store_login {
	char pair[STORE_LOGIN_KEY_HEX], user[STORE_LOGIN_KEY_HEX];
	char addr[STORE_LOGIN_KEY_HEX], known[STORE_LOGIN_KEY_HEX];
	int64_t addr_window;                /* the address window it was counted in */
	int64_t counted_at;                 /* when it was counted */
	int user_counted;                   /* the username counter counted it too */
};

/*
 * Counts a sign-in attempt as a failure before the password is checked, in
 * one transaction, if every counter allows it now; so parallel attempts
 * (on one server or several) cannot slip past a limit together.
 * 0 with *wait_ms 0: counted, go ahead (out is set).  0 with *wait_ms > 0:
 * refused for that long, nothing counted.  <0 on a storage error.
 */
int store_login_attempt(struct store *st, const struct throttle_rules *rules,
                        const char *addr, const char *username, int64_t now_ms,
                        struct store_login *out, int64_t *wait_ms, struct error *err);
/* The password was right: clears the (address, username) and username
 * counters, takes the attempt back off the address counter (whose earlier
 * failures stay) and makes the address known for the username. */
int store_login_succeeded(struct store *st, const struct throttle_rules *rules,
                          const struct store_login *l, int64_t now_ms, struct error *err);
/* The password was wrong: each counter's wait counts from now_ms (the
 * answer), not from the attempt's arrival, so that a slow password check
 * (Argon2 on a busy machine) does not use up the wait the answer tells of.
 * A counter still in its free failures keeps no wait; none is shortened. */
int store_login_failed(struct store *st, const struct throttle_rules *rules,
                       const struct store_login *l, int64_t now_ms, struct error *err);
/* Deletes up to max rows whose window ended by now_ms; *deleted may be NULL.
 * store_login_attempt() calls it; public for tests. */
int store_login_prune(struct store *st, int64_t now_ms, int max, int *deleted,
                      struct error *err);

#endif
