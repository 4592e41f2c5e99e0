/*
 * Per-request arena (h2o mem pool): many small allocations, one release.
 * Allocations never fail silently: NULL means out of memory or over the cap.
 */
#ifndef THC_ARENA_H
#define THC_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include "compat.h"

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t total;   /* bytes taken from malloc */
	size_t max;     /* cap on total; 0 = none */
};
#define ARENA_INIT(cap) { .head = NULL, .total = 0, .max = (cap) }

void *arena_alloc(struct arena *a, size_t size);      /* 16-aligned, zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) THC_PRINTF(2, 3);
void arena_release(struct arena *a);                  /* frees everything */

#endif
