/*
 * Counts failures per key in a fixed window (e.g. failed logins per account
 * or address).  Fixed memory: the oldest keys are forgotten first.
 * Thread-safe.
 */
#ifndef THC_RATELIMIT_H
#define THC_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

struct ratelimit *ratelimit_new(unsigned max_failures, int64_t window_ms,
                                unsigned slots);
void ratelimit_free(struct ratelimit *rl);
/* 0 if allowed; else the seconds until the key may try again. */
int64_t ratelimit_blocked(struct ratelimit *rl, const char *key, int64_t now_ms);
void ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now_ms);
void ratelimit_clear(struct ratelimit *rl, const char *key);

#endif
