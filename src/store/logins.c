/*
 * Sign-in throttling counters (store.h, domain/throttle.h).
 *
 * One table for every server on the database, so N servers behind a load
 * balancer give an attacker no more guesses than one.  A row's key is
 * BLAKE2b (crypto_generichash) under a random secret of the database of a
 * kind byte, the address and the username: the table holds neither, and
 * nobody can aim many usernames at one row.  An attempt is counted before
 * its password is checked, by an UPSERT that counts only when the counter
 * allows an attempt now; the transaction keeps the row locked until the next
 * allowed time is written, so parallel attempts queue behind each other.
 * Every transaction here takes its row locks in one order (pair, username,
 * address, known), so none waits in a cycle.
 *
 * Raw transactions, not store_write: the counters are security bookkeeping,
 * not a change of state anyone audits (the sign-in itself is audited, as
 * session.login), and a refused attempt must roll back what it counted.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/throttle.h"
#include "store/store-private.h"
#include "base/banned.h"

#define LOGIN_SECRET_BYTES 32
#define LOGIN_KEY_BYTES 32
#define LOGIN_PRUNE_PER_ATTEMPT 4   /* an attempt adds at most 3 rows */

/* The kinds of row, the first byte hashed. */
enum { LOGIN_PAIR = 'p', LOGIN_USER = 'u', LOGIN_ADDR = 'a', LOGIN_KNOWN = 'k' };

/* The database's secret, created by the first server that needs it; the
 * others read that one (ON CONFLICT DO NOTHING, then read back). */
static int login_secret(struct store *st, int64_t now_ms,
                        unsigned char secret[LOGIN_SECRET_BYTES], struct error *err)
{
	unsigned char fresh[LOGIN_SECRET_BYTES];
	char hex[2 * LOGIN_SECRET_BYTES + 1];
	struct sql_stmt *s;
	size_t n = 0;
	int rc;

	for (int pass = 0; pass < 2; pass++) {
		if ((rc = sql_prepare(st, "SELECT secret FROM login_secret WHERE id = 1", &s, err)) < 0)
			return rc;
		rc = sql_step(s, err);
		if (rc == 1) {
			const char *t = sql_col_text(s, 0);
			if (t == NULL || sodium_hex2bin(secret, LOGIN_SECRET_BYTES, t, strlen(t),
			                                NULL, &n, NULL) != 0)
				n = 0;
		}
		sql_done(s);
		if (rc < 0)
			return rc;
		if (rc == 1)
			break;
		if (pass == 1 || sodium_init() < 0)
			break;
		randombytes_buf(fresh, sizeof(fresh));
		sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
		sodium_memzero(fresh, sizeof(fresh));
		rc = sql_prepare(st, "INSERT INTO login_secret (id, secret, created_at) VALUES (1, $1, $2)"
		                 " ON CONFLICT (id) DO NOTHING", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, hex);
		sql_bind_int64(s, 2, now_ms);
		rc = sql_exec_stmt(s, NULL, err);
		sodium_memzero(hex, sizeof(hex));
		if (rc < 0)
			return rc;
	}
	if (n != LOGIN_SECRET_BYTES)
		return error_set(err, THC_ESTORE, "khóa bí mật đếm đăng nhập bị hỏng hoặc thiếu",
		                 "the sign-in counter secret is missing or damaged");
	return 0;
}

static void login_key(const unsigned char secret[LOGIN_SECRET_BYTES], char kind,
                      const char *addr, const char *username, char out[STORE_LOGIN_KEY_HEX])
{
	crypto_generichash_state h;
	unsigned char k[LOGIN_KEY_BYTES];

	crypto_generichash_init(&h, secret, LOGIN_SECRET_BYTES, sizeof(k));
	crypto_generichash_update(&h, (const unsigned char *)&kind, 1);
	/* The NUL ends the address, so no (address, username) split is ambiguous. */
	if (addr)
		crypto_generichash_update(&h, (const unsigned char *)addr, strlen(addr) + 1);
	if (username)
		crypto_generichash_update(&h, (const unsigned char *)username, strlen(username));
	crypto_generichash_final(&h, k, sizeof(k));
	sodium_bin2hex(out, STORE_LOGIN_KEY_HEX, k, sizeof(k));
}

/* The stored counter at key (all zero when there is none). */
static int login_state(struct store *st, const char *key, struct throttle_state *out,
                       struct error *err)
{
	struct sql_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sql_prepare(st, "SELECT failures, window_start, next_at FROM login_throttle"
	                 " WHERE key_hash = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, key);
	rc = sql_step(s, err);
	if (rc == 1) {
		out->failures = sql_col_int64(s, 0);
		out->window_start = sql_col_int64(s, 1);
		out->next_at = sql_col_int64(s, 2);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/*
 * Counts one failure at key if the rule allows an attempt now (the WHERE of
 * DO UPDATE is throttle_wait_ms() == 0 in SQL); a window that has ended
 * starts again at 1.  *wait_ms: 0 when counted, else how long to wait.
 */
static int login_reserve(struct store *st, const struct throttle_rule *r, const char *key,
                         int64_t now_ms, int64_t *wait_ms, int64_t *window_start,
                         struct error *err)
{
	struct throttle_state ts = { 0, 0, 0 };
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO login_throttle (key_hash, failures, window_start, next_at,"
	                 " expires_at) VALUES ($1, 1, $2, $2, $3)"
	                 " ON CONFLICT (key_hash) DO UPDATE SET"
	                 " failures = CASE WHEN login_throttle.window_start <= $4 THEN 1"
	                 "  ELSE login_throttle.failures + 1 END,"
	                 " window_start = CASE WHEN login_throttle.window_start <= $4 THEN $2"
	                 "  ELSE login_throttle.window_start END,"
	                 " expires_at = CASE WHEN login_throttle.window_start <= $4 THEN $3"
	                 "  ELSE login_throttle.expires_at END"
	                 " WHERE login_throttle.next_at <= $2 OR login_throttle.window_start <= $4"
	                 " RETURNING failures, window_start", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, key);
	sql_bind_int64(s, 2, now_ms);
	sql_bind_int64(s, 3, now_ms + r->window_ms);
	sql_bind_int64(s, 4, now_ms - r->window_ms);
	rc = sql_step(s, err);
	if (rc == 1) {
		ts.failures = sql_col_int64(s, 0);
		ts.window_start = sql_col_int64(s, 1);
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0) {   /* not counted: the counter makes this attempt wait */
		if ((rc = login_state(st, key, &ts, err)) < 0)
			return rc;
		*wait_ms = throttle_wait_ms(r, &ts, now_ms);
		if (*wait_ms <= 0)      /* cannot happen while SQL and domain agree */
			*wait_ms = 1;
		return 0;
	}
	/* Still inside the transaction that locked the row. */
	rc = sql_prepare(st, "UPDATE login_throttle SET next_at = $2 WHERE key_hash = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, key);
	sql_bind_int64(s, 2, throttle_next_at(r, ts.failures, now_ms));
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	*wait_ms = 0;
	if (window_start)
		*window_start = ts.window_start;
	return 0;
}

/* Has username signed in from this address lately? */
static int login_known(struct store *st, const char *key, int64_t now_ms, int *known,
                       struct error *err)
{
	struct sql_stmt *s;
	int64_t one = 0;
	int rc;

	rc = sql_prepare(st, "SELECT 1 FROM login_throttle WHERE key_hash = $1 AND expires_at > $2",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, key);
	sql_bind_int64(s, 2, now_ms);
	rc = sql_exec_stmt(s, &one, err);
	*known = one == 1;
	return rc;
}

static int64_t login_max(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

int store_login_attempt(struct store *st, const struct throttle_rules *rules,
                        const char *addr, const char *username, int64_t now_ms,
                        struct store_login *out, int64_t *wait_ms, struct error *err)
{
	unsigned char secret[LOGIN_SECRET_BYTES];
	char where[THROTTLE_ADDR_MAX];
	int64_t w = 0, wait = 0;
	int known = 0, rc;

	memset(out, 0, sizeof(*out));
	*wait_ms = 0;
	throttle_addr_key(addr, where, sizeof(where));
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = login_secret(st, now_ms, secret, err)) < 0)
		goto fail;
	login_key(secret, LOGIN_PAIR, where, username, out->pair);
	login_key(secret, LOGIN_USER, NULL, username, out->user);
	login_key(secret, LOGIN_ADDR, where, NULL, out->addr);
	login_key(secret, LOGIN_KNOWN, where, username, out->known);
	sodium_memzero(secret, sizeof(secret));
	if ((rc = login_known(st, out->known, now_ms, &known, err)) < 0)
		goto fail;
	out->counted_at = now_ms;
	out->user_counted = !known;
	/* Every counter is looked at, so Retry-After is the longest wait. */
	if ((rc = login_reserve(st, &rules->pair, out->pair, now_ms, &w, NULL, err)) < 0)
		goto fail;
	wait = login_max(wait, w);
	if (!known) {
		if ((rc = login_reserve(st, &rules->user, out->user, now_ms, &w, NULL, err)) < 0)
			goto fail;
		wait = login_max(wait, w);
	}
	if ((rc = login_reserve(st, &rules->addr, out->addr, now_ms, &w, &out->addr_window,
	                        err)) < 0)
		goto fail;
	wait = login_max(wait, w);
	if (wait > 0) {   /* refused: count nothing */
		sql_rollback(st);
		*wait_ms = wait;
		return 0;
	}
	if ((rc = sql_commit(st, err)) < 0)
		return rc;
	/* Outside the transaction, one row a statement: a prune that waits on a
	 * row another attempt holds holds nothing itself, so it cannot deadlock;
	 * and a failed prune only leaves rows that count as empty anyway. */
	{
		struct error ignore = ERROR_INIT;
		store_login_prune(st, now_ms, LOGIN_PRUNE_PER_ATTEMPT, NULL, &ignore);
	}
	return 0;
fail:
	sodium_memzero(secret, sizeof(secret));
	sql_rollback(st);
	return rc;
}

int store_login_succeeded(struct store *st, const struct throttle_rules *rules,
                          const struct store_login *l, int64_t now_ms, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	/* Rows are locked in the order an attempt locks them (pair, username,
	 * address), so a success and an attempt running together cannot
	 * deadlock on PostgreSQL. */
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	for (int i = 0; i < 2; i++) {
		rc = sql_prepare(st, "DELETE FROM login_throttle WHERE key_hash = $1", &s, err);
		if (rc < 0)
			goto fail;
		sql_bind_text(s, 1, i == 0 ? l->pair : l->user);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			goto fail;
	}
	/* This attempt was counted in advance as a failure of the address: take
	 * it back (if its window still runs), and its wait when below the free
	 * failures.  The address's real failures stay: signing in to one's own
	 * account must not reset the count of guesses made from there. */
	rc = sql_prepare(st, "UPDATE login_throttle SET failures = failures - 1,"
	                 " next_at = CASE WHEN failures <= $3 THEN 0 ELSE next_at END"
	                 " WHERE key_hash = $1 AND window_start = $2 AND failures > 0", &s, err);
	if (rc < 0)
		goto fail;
	sql_bind_text(s, 1, l->addr);
	sql_bind_int64(s, 2, l->addr_window);
	sql_bind_int64(s, 3, rules->addr.free);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		goto fail;
	rc = sql_prepare(st, "INSERT INTO login_throttle (key_hash, failures, window_start, next_at,"
	                 " expires_at) VALUES ($1, 0, $2, 0, $3) ON CONFLICT (key_hash) DO UPDATE SET"
	                 " window_start = excluded.window_start, expires_at = excluded.expires_at",
	                 &s, err);
	if (rc < 0)
		goto fail;
	sql_bind_text(s, 1, l->known);
	sql_bind_int64(s, 2, now_ms);
	sql_bind_int64(s, 3, now_ms + rules->known_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		goto fail;
	return sql_commit(st, err);
fail:
	sql_rollback(st);
	return rc;
}

/* The wait of the counter at key counted again from now_ms, when it is
 * past its free failures and that ends later than its wait does now. */
static int login_wait_from(struct store *st, const struct throttle_rule *r, const char *key,
                           int64_t now_ms, struct error *err)
{
	struct throttle_state ts;
	struct sql_stmt *s;
	int64_t next;
	int rc;

	if ((rc = login_state(st, key, &ts, err)) < 0)
		return rc;
	if (ts.next_at <= 0 || (next = throttle_next_at(r, ts.failures, now_ms)) <= ts.next_at)
		return 0;
	rc = sql_prepare(st, "UPDATE login_throttle SET next_at = CASE WHEN next_at < $2 THEN $2"
	                 " ELSE next_at END WHERE key_hash = $1 AND next_at > 0", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, key);
	sql_bind_int64(s, 2, next);
	return sql_exec_stmt(s, NULL, err);
}

int store_login_failed(struct store *st, const struct throttle_rules *rules,
                       const struct store_login *l, int64_t now_ms, struct error *err)
{
	int rc;

	if (now_ms <= l->counted_at)
		return 0;
	/* Rows in the order an attempt locks them. */
	if ((rc = sql_begin(st, 1, err)) < 0)
		return rc;
	if ((rc = login_wait_from(st, &rules->pair, l->pair, now_ms, err)) < 0 ||
	    (l->user_counted && (rc = login_wait_from(st, &rules->user, l->user, now_ms, err)) < 0) ||
	    (rc = login_wait_from(st, &rules->addr, l->addr, now_ms, err)) < 0) {
		sql_rollback(st);
		return rc;
	}
	return sql_commit(st, err);
}

int store_login_prune(struct store *st, int64_t now_ms, int max, int *deleted,
                      struct error *err)
{
	struct sql_stmt *s;
	int n = 0, rc = 0;

	/* The outer expires_at test is checked again on a row another attempt
	 * has just renewed (PostgreSQL re-reads a row it waited for), so a
	 * counter in use is never deleted. */
	while (n < max) {
		int64_t gone = 0;

		rc = sql_prepare(st, "DELETE FROM login_throttle WHERE expires_at <= $1 AND key_hash ="
		                 " (SELECT key_hash FROM login_throttle WHERE expires_at <= $1"
		                 " ORDER BY expires_at LIMIT 1) RETURNING 1", &s, err);
		if (rc < 0)
			break;
		sql_bind_int64(s, 1, now_ms);
		if ((rc = sql_exec_stmt(s, &gone, err)) < 0 || gone != 1)
			break;
		n++;
	}
	if (deleted)
		*deleted = n;
	return rc;
}
