/*
 * Output to a file descriptor through one large buffer: a single write()
 * per buffer-full (1 MiB for a bulk CSV), no stdio on the way.  Callers
 * ask for room, fill it and commit what they wrote.  With fd < 0 the
 * output stays in memory (buf, len), the buffer growing as needed.
 */
#ifndef THC_OUTBUF_H
#define THC_OUTBUF_H

#include <stddef.h>
#include "compat.h"

struct outbuf {
	int fd;
	char *buf;
	size_t len, cap;
	int failed;            /* a write failed: nothing more is written */
};

/* realloc, asking the kernel for large pages for a block of 4 MiB or
 * more: a bulk output (or input) of tens of MB, touched once, then takes
 * a page fault per 2 MiB instead of per 4 KiB. */
void *outbuf_realloc(void *old, size_t size);

/* THC_ENOMEM or 0. */
THC_MUST_CHECK int outbuf_init(struct outbuf *o, int fd, size_t cap);
/* Writes out what is buffered (nothing in memory); THC_EIO once any
 * write failed. */
int outbuf_flush(struct outbuf *o);
/* Makes room for n more bytes: flushes, or grows a memory buffer. */
int outbuf_reserve(struct outbuf *o, size_t n);
/* Appends n bytes of any size; THC_EIO / THC_ENOMEM. */
int outbuf_add(struct outbuf *o, const char *p, size_t n);
void outbuf_free(struct outbuf *o);

/* Room for n bytes (n <= cap for a file) at the end of the buffer,
 * flushing or growing first when they would not fit; NULL once a write
 * failed or memory ran out. */
static inline char *outbuf_room(struct outbuf *o, size_t n)
{
	if (o->len + n > o->cap && outbuf_reserve(o, n) < 0)
		return NULL;
	return o->failed ? NULL : o->buf + o->len;
}

static inline void outbuf_commit(struct outbuf *o, size_t n)
{
	o->len += n;
}

#endif
