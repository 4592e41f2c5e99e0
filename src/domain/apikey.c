/*
 * API keys: scopes, the key's form, the per-key window (domain/apikey.h).
 */
#include <string.h>

#include "domain/apikey.h"
#include "base/banned.h"

const struct apikey_scope apikey_scopes[] = {
	{ "open311", "gửi và đọc phản ánh qua Open311 GeoReport v2",
	  "post and read requests through Open311 GeoReport v2" },
	{ "dhis2", "trao đổi số liệu với DHIS2", "exchange figures with DHIS2" },
	{ NULL, NULL, NULL },
};

static const char apikey_b32[] = "abcdefghijklmnopqrstuvwxyz234567";

const struct apikey_scope *apikey_scope(const char *name)
{
	for (size_t i = 0; name && apikey_scopes[i].name; i++)
		if (strcmp(apikey_scopes[i].name, name) == 0)
			return &apikey_scopes[i];
	return NULL;
}

void apikey_format(const unsigned char bytes[APIKEY_RANDOM_BYTES], char out[APIKEY_LEN + 1])
{
	size_t k = 4;

	memcpy(out, "thc_", 4);
	/* 20 bytes = 160 bits = 32 groups of 5 */
	for (size_t bit = 0; bit < APIKEY_RANDOM_BYTES * 8; bit += 5) {
		unsigned v = 0;

		for (size_t b = bit; b < bit + 5; b++)
			v = (v << 1) | ((bytes[b / 8] >> (7 - b % 8)) & 1u);
		out[k++] = apikey_b32[v];
	}
	out[k] = '\0';
}

int apikey_well_formed(const char *s)
{
	if (s == NULL || strncmp(s, "thc_", 4) != 0 || strlen(s) != APIKEY_LEN)
		return 0;
	for (size_t i = 4; i < APIKEY_LEN; i++)
		if (strchr(apikey_b32, s[i]) == NULL)
			return 0;
	return 1;
}

struct apikey_window apikey_window_next(struct apikey_window w, int64_t now_ms)
{
	if (w.count <= 0 || now_ms - w.start_ms >= APIKEY_WINDOW_MS || now_ms < w.start_ms)
		return (struct apikey_window){ .start_ms = now_ms, .count = 1 };
	w.count++;
	return w;
}

int apikey_window_allowed(struct apikey_window w, int64_t rate_per_min)
{
	return w.count <= rate_per_min;
}

int64_t apikey_window_wait_ms(struct apikey_window w, int64_t now_ms)
{
	int64_t end = w.start_ms + APIKEY_WINDOW_MS;

	return end > now_ms ? end - now_ms : 0;
}
