/*
 * An error reply written straight to a socket, for requests that no HTTP
 * engine has taken (the gate's refusals, http/gate.c): the same JSON body
 * as http_reply_error() and the same security headers as every other
 * response (http/headers.h), then the connection closes.  Pure apart from
 * reading the clock for the Date header.
 */
#ifndef THC_HTTP_RAWREPLY_H
#define THC_HTTP_RAWREPLY_H

#include <stdint.h>
#include "base/error.h"
#include "base/strbuf.h"

#define RAWREPLY_MAX 4096            /* bytes of a whole reply */

/* The reply to code (its status from the error table), with err's message
 * (the table's text when err is NULL or unset) in English or Vietnamese,
 * into out (capped at RAWREPLY_MAX): 0 or THC_ETOOBIG. */
int rawreply_format(struct strbuf *out, int code, const struct error *err, int english,
                    const char *rid);

/* "Sun, 06 Nov 1994 08:49:37 GMT" for a UTC instant in seconds (>= 30 bytes). */
void rawreply_http_date(int64_t utc_s, char *out, size_t outsz);

#endif
