/*
 * Output to a file descriptor through one large buffer: a single write()
 * per buffer-full (1 MiB for a bulk CSV), no stdio on the way.  Callers
 * ask for room, fill it and commit what they wrote.
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

/* THC_ENOMEM or 0. */
THC_MUST_CHECK int outbuf_init(struct outbuf *o, int fd, size_t cap);
/* Writes out what is buffered; THC_EIO once any write failed. */
int outbuf_flush(struct outbuf *o);
void outbuf_free(struct outbuf *o);

/* Room for n bytes (n <= cap) at the end of the buffer, flushing first
 * when they would not fit; NULL once a write failed. */
static inline char *outbuf_room(struct outbuf *o, size_t n)
{
	if (o->len + n > o->cap && outbuf_flush(o) < 0)
		return NULL;
	return o->failed ? NULL : o->buf + o->len;
}

static inline void outbuf_commit(struct outbuf *o, size_t n)
{
	o->len += n;
}

#endif
