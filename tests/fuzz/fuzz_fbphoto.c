/*
 * libFuzzer target for domain/fbphoto.c, the check of an uploaded photo,
 * held to invariants: the input's first byte picks a declared type, the
 * rest are the bytes;
 *   - fbphoto_check accepts exactly when the bytes sniff as that type and
 *     their size is within [FBPHOTO_MIN_BYTES, FBPHOTO_MAX_BYTES], and then
 *     gives the sniffed type;
 *   - a refusal names the field "photo" with a valid UTF-8 message.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "domain/fbphoto.h"
#include "fuzz.h"
#include "base/banned.h"

/* The declared type names t: the same letters up to a parameter. */
static int ref_match(const char *d, const char *t)
{
	size_t n = strlen(t);

	return strncasecmp(d, t, n) == 0 && (d[n] == '\0' || d[n] == ';' || d[n] == ' ' ||
	                                      d[n] == '\t');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const declared[] = { "image/jpeg", "image/png", "image/webp",
	                                        "IMAGE/PNG; q=1", "image/gif", "", "image/pngx" };
	const char *d, *type, *sniffed;
	struct error err = ERROR_INIT;
	int rc, want;

	if (size == 0)
		return 0;
	d = declared[data[0] % (sizeof(declared) / sizeof(declared[0]))];
	data++;
	size--;
	sniffed = fbphoto_sniff(data, size);
	want = sniffed != NULL && size >= FBPHOTO_MIN_BYTES && size <= FBPHOTO_MAX_BYTES &&
	       ref_match(d, sniffed);
	rc = fbphoto_check(d, data, size, &type, &err);
	FUZZ_CHECK((rc == 0) == want);
	if (rc == 0) {
		FUZZ_CHECK(type == sniffed);
	} else {
		FUZZ_CHECK(type == NULL);
		FUZZ_CHECK(strcmp(err.field, "photo") == 0);
		FUZZ_CHECK(text_utf8_valid(err.vi, strlen(err.vi)) && text_utf8_valid(err.en, strlen(err.en)));
	}
	return 0;
}
