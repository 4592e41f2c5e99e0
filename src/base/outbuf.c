/*
 * Buffered output to a file descriptor (see outbuf.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "outbuf.h"
#include "banned.h"

void *outbuf_realloc(void *old, size_t size)
{
	void *p = realloc(old, size);

#ifdef MADV_HUGEPAGE
	if (p != NULL && size >= (4u << 20)) {
		uintptr_t from = ((uintptr_t)p + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);
		uintptr_t to = ((uintptr_t)p + size) & ~(uintptr_t)((2u << 20) - 1);

		if (to > from)
			madvise((void *)from, to - from, MADV_HUGEPAGE);
	}
#endif
	return p;
}

int outbuf_init(struct outbuf *o, int fd, size_t cap)
{
	o->fd = fd;
	o->len = 0;
	o->cap = cap;
	o->failed = 0;
	o->buf = malloc(cap ? cap : 1);
	return o->buf ? 0 : THC_ENOMEM;
}

/* Every byte of p, or failed set. */
static void outbuf_write_all(struct outbuf *o, const char *p, size_t len)
{
	size_t done = 0;

	while (!o->failed && done < len) {
		ssize_t n = write(o->fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			o->failed = 1;
		else
			done += (size_t)n;
	}
}

int outbuf_flush(struct outbuf *o)
{
	if (o->fd < 0)
		return o->failed ? THC_EIO : 0;
	outbuf_write_all(o, o->buf, o->len);
	o->len = 0;
	return o->failed ? THC_EIO : 0;
}

int outbuf_reserve(struct outbuf *o, size_t n)
{
	size_t cap = o->cap ? o->cap : 1;
	char *p;

	if (o->fd >= 0)
		return outbuf_flush(o);
	while (cap < o->len + n)
		cap *= 2;
	if (cap != o->cap) {
		if ((p = outbuf_realloc(o->buf, cap)) == NULL) {
			o->failed = 1;
			return THC_ENOMEM;
		}
		o->buf = p;
		o->cap = cap;
	}
	return 0;
}

int outbuf_add(struct outbuf *o, const char *p, size_t n)
{
	char *dst;

	if (o->fd >= 0 && n >= o->cap) {      /* large: straight out */
		if (outbuf_flush(o) < 0)
			return THC_EIO;
		outbuf_write_all(o, p, n);
		return o->failed ? THC_EIO : 0;
	}
	if ((dst = outbuf_room(o, n)) == NULL)
		return o->failed && o->fd >= 0 ? THC_EIO : THC_ENOMEM;
	memcpy(dst, p, n);
	outbuf_commit(o, n);
	return 0;
}

void outbuf_free(struct outbuf *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}
