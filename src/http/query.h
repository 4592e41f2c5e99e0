/*
 * Query strings: the part of a request target after '?', read from the raw
 * bytes instead of libmicrohttpd's GET arguments, which keep the first of
 * two values, let a "%00" cut a value short and pass any bytes on.  Pure:
 * no I/O, no state; a fuzz target drives it (tests/fuzz/fuzz_query.c).
 *
 * "name=value" pairs split on '&'; in names and values "%XX" is one byte and
 * '+' a space.  Refused, with THC_EINVAL and a message naming the parameter:
 * a malformed escape, a NUL, bytes that are not UTF-8 once decoded, an empty
 * name, a name given twice, more than QUERY_MAX_PARAMS pieces.  Longer than
 * QUERY_MAX_LEN bytes: THC_EURITOOLONG.  A piece without '=' has the value
 * "", and empty pieces ("a=1&&b=2", a trailing '&') are skipped but counted,
 * since every piece costs libmicrohttpd memory too.
 */
#ifndef THC_HTTP_QUERY_H
#define THC_HTTP_QUERY_H

#include <stddef.h>
#include "base/arena.h"
#include "base/error.h"

#define QUERY_MAX_LEN 4096       /* bytes of the raw query string */
#define QUERY_MAX_PARAMS 32      /* '&'-separated pieces */

struct query_param {
	const char *name;            /* decoded, valid UTF-8, no NUL */
	const char *value;
};

struct query {
	size_t n;
	struct query_param *params;  /* in the arena, in the order given */
};
#define QUERY_INIT { 0, NULL }

/* Parses len bytes of raw (without the '?'); the strings live in the arena.
 * 0; THC_EINVAL or THC_EURITOOLONG (err names the parameter); THC_ENOMEM.
 * out is empty after a failure. */
int query_parse(const char *raw, size_t len, struct arena *a, struct query *out,
                struct error *err);

/* A form body (application/x-www-form-urlencoded): the same rules with the
 * caps FORM_MAX_LEN and FORM_MAX_PARAMS; too long is THC_ETOOBIG. */
#define FORM_MAX_LEN (64 * 1024)
#define FORM_MAX_PARAMS 64
int query_parse_form(const char *raw, size_t len, struct arena *a, struct query *out,
                     struct error *err);

/* Only the caps (QUERY_MAX_LEN, QUERY_MAX_PARAMS), as query_parse checks
 * them: 0, THC_EURITOOLONG or THC_EINVAL.  For a request head that is not
 * decoded yet (http/head.c). */
int query_check_caps(const char *raw, size_t len, struct error *err);

/* The value of name (borrowed from the query's arena), or NULL. */
const char *query_get(const struct query *q, const char *name);

#endif
