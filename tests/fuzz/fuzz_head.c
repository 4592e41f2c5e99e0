/*
 * libFuzzer target for head_check (http/head.c), which reads the first
 * request head of every connection before libmicrohttpd does.  Besides "no
 * crash and no read past n" (the input is not NUL-terminated), for any
 * bytes:
 *   - the result is HEAD_MORE, HEAD_DONE, or one of the refusals head.h
 *     lists, whose two messages are non-empty, valid UTF-8;
 *   - HEAD_DONE ends the head within the input, and the head alone gives
 *     the same answer, while a shorter prefix of it waits for more;
 *   - a refusal of a prefix stays a refusal of the whole input (more bytes
 *     never make a refused head acceptable);
 *   - a refused head was not cut at its own end: HEAD_MORE cannot follow
 *     HEAD_DONE for a longer input.
 *
 *   CC=clang cmake -B build-fuzz -DTHC_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_head
 *   build-fuzz/tests/fuzz/fuzz_head -max_total_time=30 -max_len=20000 <scratch copy of corpus/head>
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "http/head.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small limits too, so that the fuzzer reaches every cap with short inputs. */
static const struct head_limits limits[2] = {
	HEAD_LIMITS_DEFAULT,
	{ 64, 128, 4, 3, 100 },
};

static int check(const char *buf, size_t n, const struct head_limits *lim, struct head_info *info)
{
	struct error err = ERROR_INIT;
	/* An exact-size copy: ASan then catches any read past n. */
	char *copy = malloc(n ? n : 1);
	int rc;

	if (copy == NULL)
		abort();
	memcpy(copy, buf, n);
	rc = head_check(copy, n, lim, info, &err);
	free(copy);
	if (rc == HEAD_MORE || rc == HEAD_DONE) {
		if (rc == HEAD_DONE && (info->len == 0 || info->len > n))
			abort();
		return rc;
	}
	if (rc != THC_EURITOOLONG && rc != THC_EHEADERS && rc != THC_EINVAL &&
	    rc != THC_ETOOBIG && rc != THC_ELENGTH)
		abort();
	if (err.code != rc || !err.vi[0] || !err.en[0] ||
	    !text_utf8_valid(err.vi, strlen(err.vi)) || !text_utf8_valid(err.en, strlen(err.en)))
		abort();
	if (info->english != 0 && info->english != 1)
		abort();
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t cut = size > 0 ? data[0] % (size + 1) : 0;

	for (int l = 0; l < 2; l++) {
		struct head_info info, part;
		int whole = check(buf, size, &limits[l], &info);
		int prefix = check(buf, cut, &limits[l], &part);

		if (prefix < 0 && whole >= 0)
			abort();
		if (prefix == HEAD_DONE && whole != HEAD_DONE)
			abort();
		if (whole == HEAD_DONE) {
			struct head_info again;

			if (check(buf, info.len, &limits[l], &again) != HEAD_DONE || again.len != info.len)
				abort();
			if (cut < info.len && prefix != HEAD_MORE)
				abort();
		}
	}
	return 0;
}
