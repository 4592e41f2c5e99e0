/*
 * Content codings of answers (encoding.c).
 */
#ifndef THC_HTTP_ENCODING_H
#define THC_HTTP_ENCODING_H

#include <stddef.h>

/* Answers made per request from this size on go gzipped to a client that
 * accepts it: below it the header costs about what gzip saves. */
#define HTTP_GZIP_MIN 1024

/* Whether an Accept-Encoding list accepts a coding (q=0 refuses it). */
int http_accepts(const char *accept_encoding, const char *coding);
/* in as a gzip stream in *out (malloc'd, *out_len bytes): 0, or -1 (memory). */
int http_gzip(const void *in, size_t n, char **out, size_t *out_len);

#endif
