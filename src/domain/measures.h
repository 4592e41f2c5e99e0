/*
 * The measures that apply at each epidemic level (data/measures.json, or a
 * province's own file loaded with `thichung import measures`):
 * {"1": [{"area", "vi", "en"}, ...], ..., "4": [...]}; other keys (a
 * "_note") are ignored.  Pure: no I/O; a fuzz target drives it
 * (tests/fuzz/fuzz_measures.c).
 */
#ifndef THC_MEASURES_H
#define THC_MEASURES_H

#include <stddef.h>
#include "base/error.h"

/*
 * Checks the file's text and gives each level's list as compact JSON text
 * in out[1..4] (out[0] is NULL); the caller free()s each.  On failure
 * every out[] is NULL and the message names the field: THC_EINVAL for
 * malformed JSON, THC_EUNPROCESSABLE for a wrong shape, THC_ENOMEM.
 */
int measures_parse(const char *text, size_t len, char *out[5], struct error *err);

#endif
