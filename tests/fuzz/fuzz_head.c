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
 *   scripts/fuzz.sh head
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/head.h"
#include "fuzz.h"
#include "base/banned.h"

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

	FUZZ_CHECK(copy != NULL);
	memcpy(copy, buf, n);
	rc = head_check(copy, n, lim, info, &err);
	free(copy);
	if (rc == HEAD_MORE || rc == HEAD_DONE) {
		if (rc == HEAD_DONE)
			FUZZ_CHECK(info->len > 0 && info->len <= n);
		return rc;
	}
	FUZZ_CHECK(rc == THC_EURITOOLONG || rc == THC_EHEADERS || rc == THC_EINVAL ||
	           rc == THC_ETOOBIG || rc == THC_ELENGTH);
	fuzz_check_error(&err, rc);
	FUZZ_CHECK(info->english == 0 || info->english == 1);
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

		/* More bytes never turn a refusal into a head, nor a head into more. */
		FUZZ_CHECK(!(prefix < 0 && whole >= 0));
		FUZZ_CHECK(!(prefix == HEAD_DONE && whole != HEAD_DONE));
		if (whole == HEAD_DONE) {
			struct head_info again;

			FUZZ_CHECK(check(buf, info.len, &limits[l], &again) == HEAD_DONE);
			FUZZ_CHECK(again.len == info.len);
			if (cut < info.len)
				FUZZ_CHECK(prefix == HEAD_MORE);
		}
	}
	return 0;
}
