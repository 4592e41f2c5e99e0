/*
 * libFuzzer target for http_lang_english (http/lang.c), the reading of an
 * Accept-Language header, which comes straight from the network.  Besides
 * "no crash and 0 or 1", the answer is checked against:
 *   - a reference reading of RFC 9110 (sections 5.6.1, 12.4.2 and 12.5.4)
 *     written independently here: elements split on ',', OWS (space or
 *     tab) around them and around ';', the tag's primary subtag compared
 *     case-insensitively, the weight "q=" (any case) with a qvalue of at
 *     most three decimals; a malformed qvalue counts as 1, as lang.c says;
 *   - properties that need no reference: a header without an "en" tag
 *     gives 0; the order of the elements does not matter; adding "vi"
 *     (q=1) gives 0; adding "en;q=0" changes nothing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/lang.h"
#include "fuzz.h"
#include "base/banned.h"

static int ows(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
 * thousandths; -1 when [s, s + n) is not one. */
static int ref_qvalue(const char *s, size_t n)
{
	int v, scale = 100;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	v = (s[0] - '0') * 1000;
	if (n == 1)
		return v;
	if (s[1] != '.' || n > 5)
		return -1;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9' || (v == 1000 && s[i] != '0'))
			return -1;
		v += (s[i] - '0') * scale;
	}
	return v;
}

/* One element [s, e): its weight in thousandths, and which language. */
static void ref_element(const char *s, const char *e, int *best_en, int *best_vi)
{
	const char *tag, *t, *param;
	int q = 1000, en, vi;

	while (s < e && ows(*s))
		s++;
	while (e > s && ows(e[-1]))
		e--;
	for (tag = t = s; t < e && *t != ';' && !ows(*t); t++)
		;
	/* The weight is the parameter after the first ';', OWS around. */
	for (param = t; param < e && *param != ';'; param++)
		;
	if (param < e) {
		const char *v, *ve;

		param++;
		while (param < e && ows(*param))
			param++;
		for (ve = param; ve < e && *ve != ';'; ve++)
			;
		while (ve > param && ows(ve[-1]))
			ve--;
		if (ve - param >= 2 && lower(param[0]) == 'q' && param[1] == '=') {
			v = param + 2;
			q = ref_qvalue(v, (size_t)(ve - v));
			if (q < 0)
				q = 1000;          /* malformed: counts as 1 */
		}
	}
	en = t - tag >= 2 && lower(tag[0]) == 'e' && lower(tag[1]) == 'n' &&
	     (t - tag == 2 || tag[2] == '-');
	vi = t - tag >= 2 && lower(tag[0]) == 'v' && lower(tag[1]) == 'i' &&
	     (t - tag == 2 || tag[2] == '-');
	if (en && q > *best_en)
		*best_en = q;
	if (vi && q > *best_vi)
		*best_vi = q;
}

static int ref_lang(const char *s)
{
	int best_en = -1, best_vi = -1;
	const char *p = s;

	for (;;) {
		const char *comma = strchr(p, ',');
		const char *e = comma ? comma : p + strlen(p);

		ref_element(p, e, &best_en, &best_vi);
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return best_en > 0 && best_en > best_vi;
}

/* Does any element's tag start with "en" (any case)? */
static int has_en(const char *s)
{
	for (const char *p = s; *p; p++)
		if (lower(p[0]) == 'e' && lower(p[1]) == 'n')
			return 1;
	return 0;
}

/* The elements in reverse order, joined by ','. */
static char *reversed(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t n = 0;
	const char *end = s + len;

	if (out == NULL)
		return NULL;
	while (end >= s) {
		const char *start = end;

		while (start > s && start[-1] != ',')
			start--;
		memcpy(out + n, start, (size_t)(end - start));
		n += (size_t)(end - start);
		if (start > s)
			out[n++] = ',';
		end = start - 1;
	}
	out[n] = '\0';
	return out;
}

static char *joined(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *out = malloc(na + nb + 1);

	if (out != NULL) {
		memcpy(out, a, na);
		memcpy(out + na, b, nb + 1);
	}
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *r = NULL, *vi = NULL, *en0 = NULL;
	int got;

	if (s == NULL)
		return 0;
	got = http_lang_english(s);
	FUZZ_CHECK(got == 0 || got == 1);
	FUZZ_CHECK(got == ref_lang(s));
	if (!has_en(s))
		FUZZ_CHECK(got == 0);
	if ((r = reversed(s, strlen(s))) != NULL)
		FUZZ_CHECK(http_lang_english(r) == got);
	if ((vi = joined(s, ",vi")) != NULL)
		FUZZ_CHECK(http_lang_english(vi) == 0);
	if ((en0 = joined(s, ",en;q=0")) != NULL)
		FUZZ_CHECK(http_lang_english(en0) == got);
	FUZZ_CHECK(http_lang_english(NULL) == 0);
	free(s);
	free(r);
	free(vi);
	free(en0);
	return 0;
}
