/*
 * Growable string with a cap (git strbuf + curl dynbuf).  buf is never NULL
 * and always NUL-terminated.  An append past max returns THC_ETOOBIG and
 * leaves the buffer unchanged.
 */
#ifndef THC_STRBUF_H
#define THC_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include "compat.h"

extern char strbuf_empty_[1];

struct strbuf {
	char *buf;
	size_t len, alloc, max;
};
#define STRBUF_INIT(cap) { .buf = strbuf_empty_, .len = 0, .alloc = 0, .max = (cap) }

void strbuf_init(struct strbuf *sb, size_t max);
THC_MUST_CHECK int strbuf_add(struct strbuf *sb, const void *data, size_t len);
THC_MUST_CHECK int strbuf_adds(struct strbuf *sb, const char *s);
THC_MUST_CHECK int strbuf_addch(struct strbuf *sb, char c);
THC_MUST_CHECK int strbuf_addf(struct strbuf *sb, const char *fmt, ...) THC_PRINTF(2, 3);
THC_MUST_CHECK int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, with quotes. */
THC_MUST_CHECK int strbuf_add_json_str(struct strbuf *sb, const char *s);
void strbuf_reset(struct strbuf *sb);           /* len 0, keeps memory */
void strbuf_release(struct strbuf *sb);         /* frees; reusable after */
char *strbuf_detach(struct strbuf *sb, size_t *len); /* caller free()s */

#endif
