/*
 * Strict number parsing (instead of atoi): whole string, range checked.
 */
#ifndef THC_PARSE_H
#define THC_PARSE_H

#include <stdint.h>
#include "compat.h"

/* 0, or THC_EINVAL for empty/junk/out of [min, max]. */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Finite decimal number ("12.5", "-3", "1e3" refused: plain decimals only). */
int parse_double(const char *s, double min, double max, double *out);

#endif
