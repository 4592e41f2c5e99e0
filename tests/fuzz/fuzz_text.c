/*
 * libFuzzer target for text_utf8_valid and text_fold: no crash or overrun
 * for any bytes, and the folded output keeps its promises (valid UTF-8, no
 * upper-case ASCII, no leading/trailing/double space, idempotent, within
 * outsz).
 *
 * Build and run (clang only):
 *   CC=clang cmake -B build-fuzz -DTHC_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_csv fuzz_text
 *   build-fuzz/tests/fuzz/fuzz_text -max_total_time=30 tests/fuzz/corpus/text
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_folded(const char *out, size_t n, size_t outsz)
{
	if (n >= outsz || out[n] != '\0' || strlen(out) != n)
		abort();
	if (!text_utf8_valid(out, n))
		abort();
	if (n > 0 && (out[0] == ' ' || out[n - 1] == ' '))
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];

		if ((c >= 'A' && c <= 'Z') || (c < 0x80 && c != ' ' &&
		    !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')))
			abort();
		if (c == ' ' && out[i + 1] == ' ')
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	char *out, *again;
	size_t n, m, small;

	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';

	/* Valid UTF-8 in our sense never contains a NUL byte. */
	if (text_utf8_valid(in, size) && memchr(in, '\0', size) != NULL)
		abort();

	/* Folding never grows the text, so size + 1 always suffices. */
	out = malloc(size + 1);
	again = malloc(size + 1);
	if (out == NULL || again == NULL)
		goto out;
	n = text_fold(in, out, size + 1);
	fuzz_check_folded(out, n, size + 1);
	m = text_fold(out, again, size + 1);
	if (m != n || memcmp(out, again, n) != 0)
		abort();

	/* A smaller output is a prefix of the full result. */
	small = size > 0 ? data[0] % (size + 1) : 0;
	if (small > 0) {
		m = text_fold(in, again, small);
		fuzz_check_folded(again, m, small);
		if (m > n || memcmp(again, out, m) != 0)
			abort();
	}
out:
	free(in);
	free(out);
	free(again);
	return 0;
}
