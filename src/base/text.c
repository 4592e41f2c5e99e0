/*
 * UTF-8 validation and search folding.  Folding uses two small tables rather
 * than a Unicode library: the only letters that matter for Vietnamese place
 * names are in Latin-1 Supplement, Latin Extended-A/B (up to ư U+01B0) and
 * Latin Extended Additional (U+1EA0..U+1EF9), and a table is both faster and
 * independent of the platform's locale data.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "banned.h"

/*
 * Base letter (lower case) of each code point, '.' where there is none and
 * the code point is kept as is.  Generated from the canonical (NFD)
 * decomposition, plus đ/Đ, ø/Ø and ł/Ł, which have no decomposition but which
 * people type without the stroke.
 */
static const char text_fold_latin[] =       /* U+00C0 .. U+01B0 */
	"aaaaaa.ceeeeiiii.nooooo.ouuuuy.." /* U+00C0 */
	"aaaaaa.ceeeeiiii.nooooo.ouuuuy.y" /* U+00E0 */
	"aaaaaaccccccccddddeeeeeeeeeegggg" /* U+0100 */
	"gggghh..iiiiiiiii...jjkk.llllll." /* U+0120 */
	".llnnnnnn...oooooo..rrrrrrssssss" /* U+0140 */
	"sstttt..uuuuuuuuuuuuwwyyyzzzzzz." /* U+0160 */
	"................................" /* U+0180 */
	"oo.............uu";               /* U+01A0 */
#define TEXT_LATIN_FIRST 0x00C0u
#define TEXT_LATIN_LAST  0x01B0u

static const char text_fold_viet[] =        /* U+1EA0 .. U+1EF9 */
	"aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee" /* U+1EA0 */
	"eeeeeeeeiiiioooooooooooooooooooo" /* U+1EC0 */
	"oooouuuuuuuuuuuuuuyyyyyyyy";      /* U+1EE0 */
#define TEXT_VIET_FIRST 0x1EA0u
#define TEXT_VIET_LAST  0x1EF9u

/* Catch a table edit that shifts the ranges. */
_Static_assert(sizeof(text_fold_latin) - 1 == TEXT_LATIN_LAST - TEXT_LATIN_FIRST + 1,
               "latin fold table size");
_Static_assert(sizeof(text_fold_viet) - 1 == TEXT_VIET_LAST - TEXT_VIET_FIRST + 1,
               "vietnamese fold table size");

/*
 * Decodes one well-formed UTF-8 sequence (NUL excluded) from s[0..len).
 * Returns its length, or 0 if the bytes at s are not a valid sequence.
 */
static size_t text_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n;

	if (len == 0 || s[0] == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {        /* C0, C1 would be overlong */
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) { /* F5+ would exceed U+10FFFF */
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000))
		return 0;                          /* overlong */
	if (c >= 0xD800 && c <= 0xDFFF)
		return 0;                          /* UTF-16 surrogate */
	if (c > 0x10FFFF)
		return 0;
	*cp = c;
	return n;
}

bool text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		size_t n;

		if (p[i] >= 0x01 && p[i] < 0x80) { /* fast path for ASCII */
			i++;
			continue;
		}
		n = text_utf8_decode(p + i, len - i, &cp);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

enum text_class {
	TEXT_DROP,      /* contributes nothing (combining mark, format char) */
	TEXT_SEP,       /* white space or punctuation: ends a word */
	TEXT_ASCII,     /* one ASCII letter or digit, given in *ch */
	TEXT_KEEP,      /* any other code point, copied as is */
};

static enum text_class text_classify(uint32_t cp, char *ch)
{
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z') {
			*ch = (char)(cp - 'A' + 'a');
			return TEXT_ASCII;
		}
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			*ch = (char)cp;
			return TEXT_ASCII;
		}
		return TEXT_SEP;
	}
	/* NFD input: the marks fold away, leaving the base letter. */
	if (cp >= 0x0300 && cp <= 0x036F)
		return TEXT_DROP;
	if (cp >= TEXT_LATIN_FIRST && cp <= TEXT_LATIN_LAST &&
	    text_fold_latin[cp - TEXT_LATIN_FIRST] != '.') {
		*ch = text_fold_latin[cp - TEXT_LATIN_FIRST];
		return TEXT_ASCII;
	}
	if (cp >= TEXT_VIET_FIRST && cp <= TEXT_VIET_LAST) {
		*ch = text_fold_viet[cp - TEXT_VIET_FIRST];
		return TEXT_ASCII;
	}
	/*
	 * Text pasted from office documents and web pages carries no-break
	 * spaces, typographic quotes and dashes; they separate words just like
	 * their ASCII look-alikes.  Zero-width characters and the BOM are
	 * invisible, so they must not split a word.
	 */
	if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
	    cp == 0xFEFF)
		return TEXT_DROP;
	if (cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000)
		return TEXT_SEP;
	return TEXT_KEEP;
}

size_t text_fold(const char *in, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t len, i = 0, o = 0;
	bool space = false;    /* a separator is pending before the next word */

	if (out == NULL || outsz == 0)
		return 0;
	if (in == NULL) {
		out[0] = '\0';
		return 0;
	}
	len = strlen(in);
	while (i < len) {
		uint32_t cp;
		size_t n = text_utf8_decode(p + i, len - i, &cp);
		size_t need;
		char ch = 0;
		enum text_class cls;

		if (n == 0) {          /* invalid byte: dropped, as documented */
			i++;
			continue;
		}
		cls = text_classify(cp, &ch);
		if (cls == TEXT_DROP) {
			i += n;
			continue;
		}
		if (cls == TEXT_SEP) {
			/* Only between words: this also trims both ends. */
			space = o > 0;
			i += n;
			continue;
		}
		need = (cls == TEXT_ASCII ? 1 : n) + (space ? 1 : 0);
		/* Stop rather than write half a sequence or a trailing space. */
		if (need > outsz - 1 - o)
			break;
		if (space)
			out[o++] = ' ';
		space = false;
		if (cls == TEXT_ASCII) {
			out[o++] = ch;
		} else {
			memcpy(out + o, p + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	return o;
}

static bool text_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

char *text_trim(char *s)
{
	size_t start = 0, end;

	if (s == NULL)
		return NULL;
	end = strlen(s);
	while (end > 0 && text_is_space(s[end - 1]))
		end--;
	while (start < end && text_is_space(s[start]))
		start++;
	/* Move rather than return s + start: callers may free() the result. */
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return s;
}

/*
 * Characters a person never types into a name or a note but an attacker
 * can use to forge what a reader sees: C0 and C1 controls (ESC starts
 * terminal sequences), DEL, and the bidirectional controls that reorder
 * text (U+202E makes "gpj.exe" read "exe.jpg").  Line breaks and tabs are
 * allowed only where multiline says so.
 */
static bool text_char_forbidden(uint32_t c, bool multiline)
{
	if (c == '\n' || c == '\r' || c == '\t')
		return !multiline;
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) ||
	       c == 0x061C ||                       /* Arabic letter mark */
	       c == 0x200E || c == 0x200F ||        /* LRM, RLM */
	       (c >= 0x202A && c <= 0x202E) ||      /* LRE, RLE, PDF, LRO, RLO */
	       (c >= 0x2066 && c <= 0x2069) ||      /* LRI, RLI, FSI, PDI */
	       c == 0x2028 || c == 0x2029 ||        /* line and paragraph separators */
	       (c >= 0xFFF9 && c <= 0xFFFB);        /* interlinear annotation */
}

long text_plain_check(const char *s, size_t len, bool multiline, uint32_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		size_t n = text_utf8_decode(p + i, len - i, &c);

		if (n == 0) {
			*bad = p[i];
			return (long)i;
		}
		if (text_char_forbidden(c, multiline)) {
			*bad = c;
			return (long)i;
		}
		i += n;
	}
	return -1;
}

int text_copy(char *dst, size_t dstsz, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (dstsz == 0)
		return -1;
	if (n >= dstsz) {
		memcpy(dst, src, dstsz - 1);
		dst[dstsz - 1] = '\0';
		return -1;
	}
	memcpy(dst, src ? src : "", n + 1);
	return 0;
}

int text_fmt(char *dst, size_t dstsz, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (dstsz == 0)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(dst, dstsz, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= dstsz ? -1 : 0;
}

size_t text_tenths(char *out, double v)
{
	char d[24];
	long long t = llround(v * 10);
	unsigned long long u = t < 0 ? 0ull - (unsigned long long)t : (unsigned long long)t;
	size_t n = 0, k = 0;

	if (t < 0)
		out[n++] = '-';
	d[k++] = (char)('0' + u % 10);
	d[k++] = '.';
	u /= 10;
	do {
		d[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	while (k > 0)
		out[n++] = d[--k];
	out[n] = '\0';
	return n;
}

uint64_t text_fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}
