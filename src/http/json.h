/*
 * JSON request bodies (pure: no transport).  The field readers return 0,
 * 1 when the field is absent (or null) and optional, or THC_EUNPROCESSABLE
 * with a message naming the field.
 */
#ifndef THC_HTTP_JSON_H
#define THC_HTTP_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

/* buf[0..len) as a JSON object (duplicate keys refused): 0, THC_EINVAL
 * (empty or malformed, naming line and column) or THC_EUNPROCESSABLE (not
 * an object).  *out is the caller's reference. */
int json_body_parse(const char *buf, size_t len, json_t **out, struct error *err);
/* A string of at most max bytes (0: no cap) without NUL, control or
 * bidirectional characters (line breaks and tabs allowed). */
int json_field_string(json_t *obj, const char *name, int required, size_t max,
                      const char **out, struct error *err);
int json_field_int(json_t *obj, const char *name, int required, int64_t min,
                   int64_t max, int64_t *out, struct error *err);

#endif
