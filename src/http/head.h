/*
 * The head of an HTTP/1.x request (request line and header fields) checked
 * from the bytes a client has sent so far, before libmicrohttpd reads them
 * (http/gate.c).  Everything libmicrohttpd 0.9.75 would refuse with a page
 * of its own (a line or header section larger than its buffer, a malformed
 * line, a missing Host, a bad Content-Length, a chunked body it might find
 * malformed later) is refused here first, so that the reply is ours and
 * carries our headers; the limits keep what it is handed small enough for
 * its per-connection memory.  Pure: no I/O, no state; a fuzz target drives
 * it (tests/fuzz/fuzz_head.c).
 */
#ifndef THC_HTTP_HEAD_H
#define THC_HTTP_HEAD_H

#include <stddef.h>
#include "base/error.h"

struct head_limits {
	size_t max_line;             /* request line, without CRLF: 414 beyond */
	size_t max_fields;           /* header section bytes: 431 beyond */
	unsigned max_count;          /* header fields: 431 beyond */
	unsigned max_cookies;        /* name=value pairs in Cookie fields: 431 beyond */
	size_t max_body;             /* Content-Length: 413 beyond */
};
#define HEAD_LIMITS_DEFAULT { 8192, 8192, 100, 64, 1u << 20 }

enum head_result {
	HEAD_MORE = 0,               /* fine so far: wait for more bytes */
	HEAD_DONE = 1,               /* a complete head that passes every check */
};

struct head_info {
	size_t len;                  /* bytes of the head, blank line included */
	int english;                 /* Accept-Language (seen so far) prefers English */
};

/*
 * Checks the first n bytes a client sent.  HEAD_MORE, HEAD_DONE (info->len
 * set), or a refusal: THC_EURITOOLONG (414), THC_EHEADERS (431), THC_EINVAL
 * (400: malformed, unsupported version, no Host with HTTP/1.1),
 * THC_ETOOBIG (413: Content-Length over max_body) or THC_ELENGTH (411:
 * Transfer-Encoding), with err saying which line or field.  info->english
 * is set in every case, from what was read before the verdict.
 */
int head_check(const char *buf, size_t n, const struct head_limits *lim,
               struct head_info *info, struct error *err);

#endif
