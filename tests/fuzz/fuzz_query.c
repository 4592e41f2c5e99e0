/*
 * libFuzzer target for query_parse (http/query.c), which reads the query
 * string of every request straight from the network.  Besides "no crash",
 * for any bytes:
 *   - the result is 0, THC_EINVAL or THC_EURITOOLONG (the latter exactly
 *     when the input is longer than QUERY_MAX_LEN), and a failure leaves no
 *     parameters and two non-empty messages that are valid UTF-8;
 *   - a success gives at most QUERY_MAX_PARAMS parameters with distinct,
 *     non-empty names, names and values valid UTF-8 without NUL, each found
 *     again by query_get;
 *   - re-encoding them (every byte outside [A-Za-z0-9_.~-] as %XX, spaces
 *     as '+') and parsing again gives the same parameters in the same order.
 *
 *   scripts/fuzz.sh query
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "http/query.h"
#include "fuzz.h"
#include "base/banned.h"

static int utf8_text(const char *s)
{
	return s != NULL && text_utf8_valid(s, strlen(s));
}

/* Appends s percent-encoded to out at *n (out has room: 3 bytes a byte). */
static void encode(const char *s, char *out, size_t *n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '~' || c == '-') {
			out[(*n)++] = (char)c;
		} else if (c == ' ') {
			out[(*n)++] = '+';
		} else {
			out[(*n)++] = '%';
			out[(*n)++] = hex[c >> 4];
			out[(*n)++] = hex[c & 15];
		}
	}
}

static void check_round_trip(const struct query *q, size_t size)
{
	struct arena a = ARENA_INIT(1u << 22);
	struct query again = QUERY_INIT;
	struct error err = ERROR_INIT;
	char *enc = malloc(3 * size + q->n + 2);
	size_t n = 0;
	int rc;

	if (enc == NULL)
		return;
	for (size_t i = 0; i < q->n; i++) {
		if (i > 0)
			enc[n++] = '&';
		encode(q->params[i].name, enc, &n);
		enc[n++] = '=';
		encode(q->params[i].value, enc, &n);
	}
	rc = query_parse(enc, n, &a, &again, &err);
	/* Encoding may lengthen past the cap; then only the 414 is expected. */
	if (n > QUERY_MAX_LEN) {
		FUZZ_CHECK(rc == THC_EURITOOLONG);
	} else {
		FUZZ_CHECK(rc == 0 && again.n == q->n);
		for (size_t i = 0; i < q->n; i++) {
			FUZZ_CHECK(strcmp(again.params[i].name, q->params[i].name) == 0);
			FUZZ_CHECK(strcmp(again.params[i].value, q->params[i].value) == 0);
		}
	}
	free(enc);
	arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT(1u << 22);
	struct query q = QUERY_INIT;
	struct error err = ERROR_INIT;
	int rc = query_parse((const char *)data, size, &a, &q, &err);

	if (size > QUERY_MAX_LEN)
		FUZZ_CHECK(rc == THC_EURITOOLONG);
	else
		FUZZ_CHECK(rc == 0 || rc == THC_EINVAL);
	if (rc < 0) {
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(q.n == 0);
		goto out;
	}
	FUZZ_CHECK(q.n <= QUERY_MAX_PARAMS);
	for (size_t i = 0; i < q.n; i++) {
		const char *name = q.params[i].name, *value = q.params[i].value;

		FUZZ_CHECK(utf8_text(name) && utf8_text(value) && name[0] != '\0');
		FUZZ_CHECK(query_get(&q, name) == value);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(q.params[j].name, name) != 0);
	}
	check_round_trip(&q, size);
out:
	arena_release(&a);
	return 0;
}
