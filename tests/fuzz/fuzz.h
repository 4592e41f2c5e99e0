/*
 * Helpers shared by the fuzz targets (tests/fuzz/fuzz_<name>.c).  Header
 * only, so that each target stays one translation unit plus the modules it
 * tests.
 */
#ifndef THC_FUZZ_H
#define THC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * An invariant that must hold: on failure the condition and its line go to
 * stderr before abort(), so that libFuzzer's report says which promise
 * broke, not only where.
 */
#define FUZZ_CHECK(cond)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",      \
			        __FILE__, __LINE__, #cond);                   \
			abort();                                              \
		}                                                             \
	} while (0)

/* The input as a C string (malloc'd; NULL when out of memory).  Bytes after
 * an embedded NUL are still there, but C-string parsers never see them. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s != NULL) {
		if (size > 0)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* The promise of base/error.h: a failure sets the code it returns and both
 * messages, as NUL-terminated valid UTF-8 that a JSON reply can carry. */
static inline void fuzz_check_error(const struct error *err, int rc)
{
	FUZZ_CHECK(rc < 0 && err->code == rc);
	FUZZ_CHECK(memchr(err->vi, '\0', sizeof(err->vi)) != NULL);
	FUZZ_CHECK(memchr(err->en, '\0', sizeof(err->en)) != NULL);
	FUZZ_CHECK(err->vi[0] != '\0' && err->en[0] != '\0');
	FUZZ_CHECK(text_utf8_valid(err->vi, strlen(err->vi)));
	FUZZ_CHECK(text_utf8_valid(err->en, strlen(err->en)));
}

/* Reads the next little-endian unsigned of n bytes from *data; missing
 * bytes read as 0, so short inputs still give values. */
static inline uint64_t fuzz_take(const uint8_t **data, size_t *size, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		if (*size > 0) {
			v |= (uint64_t)**data << (8 * i);
			(*data)++;
			(*size)--;
		}
	}
	return v;
}

#endif
