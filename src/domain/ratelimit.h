/*
 * A per-key request limit in bounded memory: a fixed table of counters
 * (fixed windows), for limits kept in one server process such as the
 * anonymous feedback submissions per client address.
 *
 * The table never grows: a key hashes to a run of RATELIMIT_PROBES slots;
 * it takes its own slot, else an empty or expired one, else the one whose
 * window started longest ago.  So a flood of fresh addresses can push an
 * address's counter out (it then starts again): the price of bounded memory,
 * and an attacker with that many addresses is not slowed by a per-address
 * limit anyway.
 *
 * Pure: the caller owns the slots, locks around calls and passes the time.
 */
#ifndef THC_RATELIMIT_H
#define THC_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_KEY_MAX 64
#define RATELIMIT_PROBES 8

struct ratelimit_slot {
	char key[RATELIMIT_KEY_MAX];     /* "" : empty */
	int64_t start_ms;
	int64_t count;
};

struct ratelimit {
	struct ratelimit_slot *slots;
	size_t nslots;
	int64_t limit;                   /* requests in a window; 0: no limit */
	int64_t window_ms;
};

/* Counts a request of `key` at now_ms: 0 when allowed, else the
 * milliseconds until its window ends (the request is not counted). */
int64_t ratelimit_hit(struct ratelimit *t, const char *key, int64_t now_ms);

#endif
