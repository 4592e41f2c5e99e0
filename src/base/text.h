/*
 * UTF-8 text helpers for Vietnamese: validation and folding for search.
 */
#ifndef THC_TEXT_H
#define THC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
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

/* Trims ASCII white space in place at both ends; returns s. */
char *text_trim(char *s);

#endif
