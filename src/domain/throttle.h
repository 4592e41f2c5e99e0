/*
 * Sign-in throttling: pure rules.  A counter (one address trying one
 * username, one username from every address, one address trying every
 * username) lets a few failures through at once; after that each further
 * attempt must wait a time that doubles with every failure, up to a cap.
 * A growing delay, never a hard lockout: the right password is accepted
 * again as soon as the wait is over.  A counter starts again a window after
 * its first failure.
 *
 * Times are UTC milliseconds passed in by the caller.  No I/O, no clock.
 * The store keeps the counters (store_login_attempt) and evaluates the same
 * "may try now" test in SQL; tests/unit/test_store_logins.c checks that the
 * two agree.
 */
#ifndef THC_THROTTLE_H
#define THC_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

struct throttle_rule {
	int64_t free;               /* failures answered without a wait */
	int64_t base_ms;            /* the wait after the first failure past `free` */
	int64_t cap_ms;             /* the longest wait */
	int64_t window_ms;          /* counting starts again this long after the first failure */
};

/* The three counters of a sign-in, and how long a successful sign-in makes
 * its address "known" for that username (exempt from the username rule). */
struct throttle_rules {
	struct throttle_rule pair;  /* one address, one username */
	struct throttle_rule user;  /* one username, every address */
	struct throttle_rule addr;  /* one address, every username */
	int64_t known_ms;
};

/*
 * The numbers, and why (docs/api.md, "Sign-in limits", has the same table):
 * - pair: 5 free, then 1 s doubling to 15 min, for 24 h.  Five covers a
 *   person's own typing mistakes; from one address an attacker gets at most
 *   ~17 guesses in the first hour and ~109 a day at one username.
 * - user: 20 free, then 1 s doubling to 15 min, for 24 h, counted over every
 *   address.  Higher than pair so that an attacker failing from a few
 *   addresses below it cannot slow the official down, low enough that an
 *   attacker with any number of addresses gets ~124 guesses a day at one
 *   username (plus 20 after each successful sign-in of its owner).  The
 *   cost is that an attacker can slow the username down for everyone; so the
 *   rule does not apply at an address where that username signed in during
 *   the last 30 days (known_ms): the official's office or home keeps working
 *   while the pair and address rules still hold there.
 * - addr: 100 free per hour, then 1 s doubling to 5 min.  A commune office
 *   or a mobile carrier puts many people behind one address (NAT); a hundred
 *   failed sign-ins an hour is far more than their typing mistakes, and the
 *   cap keeps even a flooded address waiting minutes, not hours.  It mainly
 *   slows one machine trying one password on many usernames (~119 an hour).
 */
#define THROTTLE_SECOND_MS 1000LL
#define THROTTLE_MINUTE_MS (60 * THROTTLE_SECOND_MS)
#define THROTTLE_HOUR_MS (60 * THROTTLE_MINUTE_MS)
#define THROTTLE_DAY_MS (24 * THROTTLE_HOUR_MS)
#define THROTTLE_RULES_DEFAULT {                                                          \
	.pair = { 5, THROTTLE_SECOND_MS, 15 * THROTTLE_MINUTE_MS, THROTTLE_DAY_MS },      \
	.user = { 20, THROTTLE_SECOND_MS, 15 * THROTTLE_MINUTE_MS, THROTTLE_DAY_MS },     \
	.addr = { 100, THROTTLE_SECOND_MS, 5 * THROTTLE_MINUTE_MS, THROTTLE_HOUR_MS },    \
	.known_ms = 30 * THROTTLE_DAY_MS }

/* One counter as stored. */
struct throttle_state {
	int64_t failures;           /* counted in the current window */
	int64_t window_start;       /* when the window's first failure came */
	int64_t next_at;            /* no attempt before this */
};

/* The wait after `failures` failures: 0 below r->free, then base_ms,
 * 2 * base_ms, ... up to cap_ms. */
int64_t throttle_delay_ms(const struct throttle_rule *r, int64_t failures);
/* next_at for a counter whose `failures`-th failure came at now_ms; 0 while
 * failures are still free. */
int64_t throttle_next_at(const struct throttle_rule *r, int64_t failures, int64_t now_ms);
/* Has the counter's window ended (it then counts from zero)? */
int throttle_window_over(const struct throttle_rule *r, const struct throttle_state *s,
                         int64_t now_ms);
/* 0 if an attempt may be made at now_ms, else the milliseconds to wait. */
int64_t throttle_wait_ms(const struct throttle_rule *r, const struct throttle_state *s,
                         int64_t now_ms);
/* A wait as whole seconds for Retry-After: rounded up, at least 1. */
int64_t throttle_retry_after_s(int64_t wait_ms);

#define THROTTLE_ADDR_MAX 64        /* bytes of throttle_addr_key's output, with NUL */
/*
 * The address a counter is kept for: an IPv6 address stands for its /64,
 * the block one subscriber is usually given (single addresses would
 * give such an attacker 2^64 fresh counters); IPv4 and anything else as it
 * is.  Writes at most outsz bytes, always NUL-terminated.
 */
void throttle_addr_key(const char *addr, char *out, size_t outsz);

#endif
