/*
 * Buffered output to a file descriptor (see outbuf.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"
#include "outbuf.h"
#include "banned.h"

int outbuf_init(struct outbuf *o, int fd, size_t cap)
{
	o->fd = fd;
	o->len = 0;
	o->cap = cap;
	o->failed = 0;
	o->buf = malloc(cap ? cap : 1);
	return o->buf ? 0 : THC_ENOMEM;
}

int outbuf_flush(struct outbuf *o)
{
	size_t done = 0;

	while (!o->failed && done < o->len) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			o->failed = 1;
		else
			done += (size_t)n;
	}
	o->len = 0;
	return o->failed ? THC_EIO : 0;
}

void outbuf_free(struct outbuf *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}
