/*
 * Per-key request limit in a fixed table (domain/ratelimit.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "domain/ratelimit.h"
#include "base/banned.h"

/* The slot of key: its own, else an empty or expired one, else the oldest. */
static struct ratelimit_slot *ratelimit_slot(struct ratelimit *t, const char *key,
                                             int64_t now_ms)
{
	size_t base = (size_t)(text_fnv1a(key, strlen(key), TEXT_FNV_SEED) % t->nslots);
	struct ratelimit_slot *free_slot = NULL, *oldest = NULL;

	for (size_t i = 0; i < RATELIMIT_PROBES && i < t->nslots; i++) {
		struct ratelimit_slot *s = &t->slots[(base + i) % t->nslots];

		if (s->key[0] && strcmp(s->key, key) == 0)
			return s;
		if (free_slot == NULL && (s->key[0] == '\0' || now_ms - s->start_ms >= t->window_ms))
			free_slot = s;
		if (oldest == NULL || s->start_ms < oldest->start_ms)
			oldest = s;
	}
	return free_slot ? free_slot : oldest;
}

int64_t ratelimit_hit(struct ratelimit *t, const char *key, int64_t now_ms)
{
	struct ratelimit_slot *s;

	if (t->limit <= 0 || t->nslots == 0)
		return 0;
	s = ratelimit_slot(t, key, now_ms);
	if (strcmp(s->key, key) != 0) {
		snprintf(s->key, sizeof(s->key), "%s", key);
		s->count = 0;
	}
	if (s->count == 0 || now_ms - s->start_ms >= t->window_ms || now_ms < s->start_ms) {
		s->start_ms = now_ms;
		s->count = 0;
	}
	if (s->count >= t->limit)
		return s->start_ms + t->window_ms - now_ms;
	s->count++;
	return 0;
}
