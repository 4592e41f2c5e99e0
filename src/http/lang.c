/*
 * Accept-Language (RFC 9110, 12.5.4): "vi-VN,vi;q=0.9,en;q=0.8" ->
 * Vietnamese.  Elements are split on ','; OWS (space or tab) may surround
 * an element and its ';'.  Tags are compared by their primary subtag,
 * ASCII case-insensitively.  The weight is "q=" (either case) and a qvalue
 * with at most three decimals, kept in thousandths so that ties are exact.
 * A malformed weight counts as 1 (RFC 9110 asks a server to be lenient),
 * and q=0 means "not this language".
 */
#include <string.h>

#include "http/lang.h"
#include "base/banned.h"

#define LANG_Q_ONE 1000

static int lang_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) in
 * [s, s + n), in thousandths; -1 when it is not one. */
static int lang_qvalue(const char *s, size_t n)
{
	int v, scale = 100;

	if (n == 0 || n > 5 || (s[0] != '0' && s[0] != '1'))
		return -1;
	v = (s[0] - '0') * LANG_Q_ONE;
	if (n == 1)
		return v;
	if (s[1] != '.')
		return -1;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9' || (v == LANG_Q_ONE && s[i] != '0'))
			return -1;
		v += (s[i] - '0') * scale;
	}
	return v;
}

/* The primary subtag of the n-byte tag is `two` (two lower-case letters).
 * "| 0x20" folds exactly the two letters' upper case and nothing else;
 * the third byte must be a real '-'. */
static int lang_is(const char *tag, size_t n, const char *two)
{
	return n >= 2 && (tag[0] | 0x20) == two[0] && (tag[1] | 0x20) == two[1] &&
	       (n == 2 || tag[2] == '-');
}

/* The weight after a tag, up to the element's end: the first parameter
 * if it is "q=", else 1. */
static int lang_weight(const char *p, const char *end)
{
	const char *v, *ve;
	int q;

	while (p < end && *p != ';')
		p++;
	if (p == end)
		return LANG_Q_ONE;
	for (v = p + 1; v < end && lang_ows(*v); v++)
		;
	for (ve = v; ve < end && *ve != ';'; ve++)
		;
	while (ve > v && lang_ows(ve[-1]))
		ve--;
	if (ve - v < 2 || (v[0] | 0x20) != 'q' || v[1] != '=')
		return LANG_Q_ONE;
	q = lang_qvalue(v + 2, (size_t)(ve - v - 2));
	return q < 0 ? LANG_Q_ONE : q;
}

/* Prefers English only when the client ranks it above Vietnamese. */
int http_lang_english(const char *al)
{
	int best_en = -1, best_vi = -1;
	const char *p = al;

	while (p != NULL) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p), *t;
		int q;

		while (p < end && lang_ows(*p))
			p++;
		for (t = p; t < end && *t != ';' && !lang_ows(*t); t++)
			;
		q = lang_weight(t, end);
		if (lang_is(p, (size_t)(t - p), "en") && q > best_en)
			best_en = q;
		if (lang_is(p, (size_t)(t - p), "vi") && q > best_vi)
			best_vi = q;
		p = comma ? comma + 1 : NULL;
	}
	return best_en > 0 && best_en > best_vi;
}
