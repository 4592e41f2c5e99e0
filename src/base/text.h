/*
 * UTF-8 text helpers for Vietnamese: validation and folding for search.
 */
#ifndef THC_TEXT_H
#define THC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "compat.h"

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF, no NUL). */
bool text_utf8_valid(const char *s, size_t len);

/*
 * Folds for diacritic- and case-insensitive search: lower case, Vietnamese
 * (and common Latin) diacritics removed, đ/Đ -> d, runs of white space and
 * punctuation to one space, trimmed.  "Thành phố Hà Nội" -> "thanh pho ha noi".
 * Accepts NFC and NFD input.  Writes at most outsz-1 bytes plus NUL;
 * returns the length written.  Invalid UTF-8 bytes are dropped.
 */
size_t text_fold(const char *in, char *out, size_t outsz);

/*
 * Plain text as people type it: well-formed UTF-8 without control or
 * bidirectional-override characters (line breaks and tabs only when
 * multiline).  -1 when s[0..len) is plain, else the byte offset of the first
 * offending character, whose code point (or byte, for bad UTF-8) goes to *bad.
 */
long text_plain_check(const char *s, size_t len, bool multiline, uint32_t *bad);

/*
 * Copies into a fixed buffer where a cut value would be wrong rather than
 * short: codes, scope paths, file names, cookies, header values.  0 when all
 * of src fit; -1 when it did not (dst then holds a NUL-terminated prefix, which
 * the caller must not use).  A NULL src copies "".
 */
THC_MUST_CHECK int text_copy(char *dst, size_t dstsz, const char *src);

/* snprintf with the same rule: 0 when the whole output fit, else -1. */
THC_MUST_CHECK int text_fmt(char *dst, size_t dstsz, const char *fmt, ...) THC_PRINTF(3, 4);

/* Trims ASCII white space in place at both ends; returns s. */
char *text_trim(char *s);

/* v with one decimal and a decimal point, rounded half away from zero
 * ("57.5", "0.0", "-1.5"), without printf: what "%lld.%lld" writes for
 * llround(v * 10) split by 10 when v >= 0.  out holds TEXT_TENTHS_MAX
 * bytes; returns the length.  v is finite and |v * 10| < 2^63. */
#define TEXT_TENTHS_MAX 24
size_t text_tenths(char *out, double v);

/* FNV-1a over n bytes, from h: TEXT_FNV_SEED to start, or a previous
 * result to hash on (the keys of the project's small hash tables, ETags). */
#define TEXT_FNV_SEED 14695981039346656037ull
uint64_t text_fnv1a(const void *p, size_t n, uint64_t h);

#endif
