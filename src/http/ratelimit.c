/*
 * Fixed-window failure counters in a small open-addressing table.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/ratelimit.h"
#include "base/banned.h"

#define RL_KEY 80

struct rl_slot {
	char key[RL_KEY];
	unsigned failures;
	int64_t window_start;
};

struct ratelimit {
	pthread_mutex_t lock;
	unsigned max_failures;
	int64_t window_ms;
	unsigned nslots;
	struct rl_slot *slots;
};

struct ratelimit *ratelimit_new(unsigned max_failures, int64_t window_ms,
                                unsigned slots)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));

	if (rl == NULL || (rl->slots = calloc(slots, sizeof(*rl->slots))) == NULL) {
		free(rl);
		return NULL;
	}
	pthread_mutex_init(&rl->lock, NULL);
	rl->max_failures = max_failures;
	rl->window_ms = window_ms;
	rl->nslots = slots;
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

static uint64_t rl_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The key's slot, or the slot to reuse for it (an empty or expired one, or
 * the oldest among a few probes). */
static struct rl_slot *rl_find(struct ratelimit *rl, const char *key, int64_t now,
                               int *found)
{
	uint64_t h = rl_hash(key);
	struct rl_slot *victim = NULL;

	*found = 0;
	for (unsigned i = 0; i < 8; i++) {
		struct rl_slot *s = &rl->slots[(h + i) % rl->nslots];

		if (s->key[0] && strncmp(s->key, key, RL_KEY - 1) == 0) {
			*found = 1;
			return s;
		}
		if (s->key[0] == '\0' || now - s->window_start >= rl->window_ms) {
			if (victim == NULL || victim->key[0])
				victim = s;
		} else if (victim == NULL ||
		           (victim->key[0] && s->window_start < victim->window_start)) {
			victim = s;
		}
	}
	return victim;
}

int64_t ratelimit_blocked(struct ratelimit *rl, const char *key, int64_t now_ms)
{
	int64_t wait = 0;
	int found;
	struct rl_slot *s;

	pthread_mutex_lock(&rl->lock);
	s = rl_find(rl, key, now_ms, &found);
	if (found && now_ms - s->window_start < rl->window_ms &&
	    s->failures >= rl->max_failures)
		wait = (s->window_start + rl->window_ms - now_ms + 999) / 1000;
	pthread_mutex_unlock(&rl->lock);
	return wait;
}

void ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now_ms)
{
	int found;
	struct rl_slot *s;

	pthread_mutex_lock(&rl->lock);
	s = rl_find(rl, key, now_ms, &found);
	if (!found || now_ms - s->window_start >= rl->window_ms) {
		snprintf(s->key, sizeof(s->key), "%s", key);
		s->failures = 0;
		s->window_start = now_ms;
	}
	s->failures++;
	pthread_mutex_unlock(&rl->lock);
}

void ratelimit_clear(struct ratelimit *rl, const char *key)
{
	int found;
	struct rl_slot *s;

	pthread_mutex_lock(&rl->lock);
	s = rl_find(rl, key, 0, &found);
	if (found)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&rl->lock);
}
