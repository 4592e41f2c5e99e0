/*
 * Sign-in throttling: the delay schedule and the address a counter is for.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "domain/throttle.h"
#include "base/banned.h"

int64_t throttle_delay_ms(const struct throttle_rule *r, int64_t failures)
{
	int64_t d = r->base_ms;

	if (failures < r->free)
		return 0;
	/* Doubling stops at the cap, so this runs at most ~log2(cap/base) times
	 * and never overflows. */
	for (int64_t k = failures - r->free; k > 0 && d < r->cap_ms; k--)
		d *= 2;
	return d < r->cap_ms ? d : r->cap_ms;
}

int64_t throttle_next_at(const struct throttle_rule *r, int64_t failures, int64_t now_ms)
{
	int64_t d = throttle_delay_ms(r, failures);

	/* 0, not now_ms, when there is no wait: attempts running in parallel
	 * carry start times a few ms apart, and one that started earlier but is
	 * counted later must not find a free counter closed to it. */
	return d > 0 ? now_ms + d : 0;
}

int throttle_window_over(const struct throttle_rule *r, const struct throttle_state *s,
                         int64_t now_ms)
{
	return now_ms - s->window_start >= r->window_ms;
}

int64_t throttle_wait_ms(const struct throttle_rule *r, const struct throttle_state *s,
                         int64_t now_ms)
{
	int64_t until;

	if (s == NULL || s->failures <= 0 || throttle_window_over(r, s, now_ms) ||
	    s->next_at <= now_ms)
		return 0;
	/* The window's end frees the counter even in the middle of a wait. */
	until = s->next_at;
	if (until > s->window_start + r->window_ms)
		until = s->window_start + r->window_ms;
	return until - now_ms;
}

int64_t throttle_retry_after_s(int64_t wait_ms)
{
	int64_t s = (wait_ms + 999) / 1000;

	return s < 1 ? 1 : s;
}

void throttle_addr_key(const char *addr, char *out, size_t outsz)
{
	struct in6_addr a6;
	char text[INET6_ADDRSTRLEN];

	if (outsz == 0)
		return;
	if (addr && inet_pton(AF_INET6, addr, &a6) == 1 && !IN6_IS_ADDR_V4MAPPED(&a6)) {
		memset(a6.s6_addr + 8, 0, 8);
		if (inet_ntop(AF_INET6, &a6, text, sizeof(text)) != NULL) {
			snprintf(out, outsz, "%s/64", text);
			return;
		}
	}
	snprintf(out, outsz, "%s", addr ? addr : "");
}
