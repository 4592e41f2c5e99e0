/*
 * JSON request bodies (pure: no transport); their fields are read through
 * the field tables of src/api/field.h.
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

#endif
