/*
 * Vietnamese alphabetical order (vicollate.h): the letters in the order
 * of the Vietnamese alphabet, then the tones, then the case.
 *
 * Each character has three weights.  The first is its letter (a < ă < â <
 * b < … < d < đ < e < ê < … < o < ô < ơ < … < u < ư < … < y, with f, j, w
 * and z of foreign names in their Latin places), below them digits, below
 * those spaces and punctuation, above them every other character by its
 * code point.  The second is its tone: none < huyền < hỏi < ngã < sắc <
 * nặng, as dictionaries and the CLDR order for "vi" have them.  The third
 * is the case, small before capital.  Two names compare by their first
 * weights over the whole name, then (equal so far) by their tones, then by
 * their case, then byte for byte, so that only identical texts are equal.
 */
#include <string.h>

#include "base/vicollate.h"
#include "base/banned.h"

struct vi_letter {
	unsigned cp;
	unsigned char letter, tone, upper;
};

/* The precomposed letters: code point, letter (1 = a … 33 = z in the
 * alphabet above), tone (0 none, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng),
 * capital.  Sorted by code point; derived from Unicode's decompositions
 * (base letter + circumflex, breve or horn + one tone mark), with Đ and đ. */
static const struct vi_letter vi_letters[] = {
	{ 0x00C0, 1, 1, 1 },
	{ 0x00C1, 1, 4, 1 },
	{ 0x00C2, 3, 0, 1 },
	{ 0x00C3, 1, 3, 1 },
	{ 0x00C8, 8, 1, 1 },
	{ 0x00C9, 8, 4, 1 },
	{ 0x00CA, 9, 0, 1 },
	{ 0x00CC, 13, 1, 1 },
	{ 0x00CD, 13, 4, 1 },
	{ 0x00D1, 18, 3, 1 },
	{ 0x00D2, 19, 1, 1 },
	{ 0x00D3, 19, 4, 1 },
	{ 0x00D4, 20, 0, 1 },
	{ 0x00D5, 19, 3, 1 },
	{ 0x00D9, 27, 1, 1 },
	{ 0x00DA, 27, 4, 1 },
	{ 0x00DD, 32, 4, 1 },
	{ 0x00E0, 1, 1, 0 },
	{ 0x00E1, 1, 4, 0 },
	{ 0x00E2, 3, 0, 0 },
	{ 0x00E3, 1, 3, 0 },
	{ 0x00E8, 8, 1, 0 },
	{ 0x00E9, 8, 4, 0 },
	{ 0x00EA, 9, 0, 0 },
	{ 0x00EC, 13, 1, 0 },
	{ 0x00ED, 13, 4, 0 },
	{ 0x00F1, 18, 3, 0 },
	{ 0x00F2, 19, 1, 0 },
	{ 0x00F3, 19, 4, 0 },
	{ 0x00F4, 20, 0, 0 },
	{ 0x00F5, 19, 3, 0 },
	{ 0x00F9, 27, 1, 0 },
	{ 0x00FA, 27, 4, 0 },
	{ 0x00FD, 32, 4, 0 },
	{ 0x0102, 2, 0, 1 },
	{ 0x0103, 2, 0, 0 },
	{ 0x0106, 5, 4, 1 },
	{ 0x0107, 5, 4, 0 },
	{ 0x0110, 7, 0, 1 },
	{ 0x0111, 7, 0, 0 },
	{ 0x0128, 13, 3, 1 },
	{ 0x0129, 13, 3, 0 },
	{ 0x0139, 16, 4, 1 },
	{ 0x013A, 16, 4, 0 },
	{ 0x0143, 18, 4, 1 },
	{ 0x0144, 18, 4, 0 },
	{ 0x0154, 24, 4, 1 },
	{ 0x0155, 24, 4, 0 },
	{ 0x015A, 25, 4, 1 },
	{ 0x015B, 25, 4, 0 },
	{ 0x0168, 27, 3, 1 },
	{ 0x0169, 27, 3, 0 },
	{ 0x0179, 33, 4, 1 },
	{ 0x017A, 33, 4, 0 },
	{ 0x01A0, 21, 0, 1 },
	{ 0x01A1, 21, 0, 0 },
	{ 0x01AF, 28, 0, 1 },
	{ 0x01B0, 28, 0, 0 },
	{ 0x01F4, 11, 4, 1 },
	{ 0x01F5, 11, 4, 0 },
	{ 0x01F8, 18, 1, 1 },
	{ 0x01F9, 18, 1, 0 },
	{ 0x1EA0, 1, 5, 1 },
	{ 0x1EA1, 1, 5, 0 },
	{ 0x1EA2, 1, 2, 1 },
	{ 0x1EA3, 1, 2, 0 },
	{ 0x1EA4, 3, 4, 1 },
	{ 0x1EA5, 3, 4, 0 },
	{ 0x1EA6, 3, 1, 1 },
	{ 0x1EA7, 3, 1, 0 },
	{ 0x1EA8, 3, 2, 1 },
	{ 0x1EA9, 3, 2, 0 },
	{ 0x1EAA, 3, 3, 1 },
	{ 0x1EAB, 3, 3, 0 },
	{ 0x1EAC, 3, 5, 1 },
	{ 0x1EAD, 3, 5, 0 },
	{ 0x1EAE, 2, 4, 1 },
	{ 0x1EAF, 2, 4, 0 },
	{ 0x1EB0, 2, 1, 1 },
	{ 0x1EB1, 2, 1, 0 },
	{ 0x1EB2, 2, 2, 1 },
	{ 0x1EB3, 2, 2, 0 },
	{ 0x1EB4, 2, 3, 1 },
	{ 0x1EB5, 2, 3, 0 },
	{ 0x1EB6, 2, 5, 1 },
	{ 0x1EB7, 2, 5, 0 },
	{ 0x1EB8, 8, 5, 1 },
	{ 0x1EB9, 8, 5, 0 },
	{ 0x1EBA, 8, 2, 1 },
	{ 0x1EBB, 8, 2, 0 },
	{ 0x1EBC, 8, 3, 1 },
	{ 0x1EBD, 8, 3, 0 },
	{ 0x1EBE, 9, 4, 1 },
	{ 0x1EBF, 9, 4, 0 },
	{ 0x1EC0, 9, 1, 1 },
	{ 0x1EC1, 9, 1, 0 },
	{ 0x1EC2, 9, 2, 1 },
	{ 0x1EC3, 9, 2, 0 },
	{ 0x1EC4, 9, 3, 1 },
	{ 0x1EC5, 9, 3, 0 },
	{ 0x1EC6, 9, 5, 1 },
	{ 0x1EC7, 9, 5, 0 },
	{ 0x1EC8, 13, 2, 1 },
	{ 0x1EC9, 13, 2, 0 },
	{ 0x1ECA, 13, 5, 1 },
	{ 0x1ECB, 13, 5, 0 },
	{ 0x1ECC, 19, 5, 1 },
	{ 0x1ECD, 19, 5, 0 },
	{ 0x1ECE, 19, 2, 1 },
	{ 0x1ECF, 19, 2, 0 },
	{ 0x1ED0, 20, 4, 1 },
	{ 0x1ED1, 20, 4, 0 },
	{ 0x1ED2, 20, 1, 1 },
	{ 0x1ED3, 20, 1, 0 },
	{ 0x1ED4, 20, 2, 1 },
	{ 0x1ED5, 20, 2, 0 },
	{ 0x1ED6, 20, 3, 1 },
	{ 0x1ED7, 20, 3, 0 },
	{ 0x1ED8, 20, 5, 1 },
	{ 0x1ED9, 20, 5, 0 },
	{ 0x1EDA, 21, 4, 1 },
	{ 0x1EDB, 21, 4, 0 },
	{ 0x1EDC, 21, 1, 1 },
	{ 0x1EDD, 21, 1, 0 },
	{ 0x1EDE, 21, 2, 1 },
	{ 0x1EDF, 21, 2, 0 },
	{ 0x1EE0, 21, 3, 1 },
	{ 0x1EE1, 21, 3, 0 },
	{ 0x1EE2, 21, 5, 1 },
	{ 0x1EE3, 21, 5, 0 },
	{ 0x1EE4, 27, 5, 1 },
	{ 0x1EE5, 27, 5, 0 },
	{ 0x1EE6, 27, 2, 1 },
	{ 0x1EE7, 27, 2, 0 },
	{ 0x1EE8, 28, 4, 1 },
	{ 0x1EE9, 28, 4, 0 },
	{ 0x1EEA, 28, 1, 1 },
	{ 0x1EEB, 28, 1, 0 },
	{ 0x1EEC, 28, 2, 1 },
	{ 0x1EED, 28, 2, 0 },
	{ 0x1EEE, 28, 3, 1 },
	{ 0x1EEF, 28, 3, 0 },
	{ 0x1EF0, 28, 5, 1 },
	{ 0x1EF1, 28, 5, 0 },
	{ 0x1EF2, 32, 1, 1 },
	{ 0x1EF3, 32, 1, 0 },
	{ 0x1EF4, 32, 5, 1 },
	{ 0x1EF5, 32, 5, 0 },
	{ 0x1EF6, 32, 2, 1 },
	{ 0x1EF7, 32, 2, 0 },
	{ 0x1EF8, 32, 3, 1 },
	{ 0x1EF9, 32, 3, 0 },
};

/* The letters a..z in the alphabet: ă, â, đ, ê, ô, ơ, ư fall between. */
static const unsigned char vi_ascii_rank[26] = {
	1, 4, 5, 6, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 22, 23, 24, 25, 26, 27, 29,
	30, 31, 32, 33,
};

#define W_SPACE 1u
#define W_PUNCT 2u           /* + the code point: below 0x80 + 2 */
#define W_DIGIT 200u
#define W_LETTER 300u
#define W_OTHER 0x10000u     /* + the code point */
#define W_BYTE  0x200000u    /* + a byte that starts no UTF-8 character */

struct vi_weight {
	unsigned primary;
	unsigned char tone, upper;
};

/* One UTF-8 character of s[*i..n): its code point, or a lone byte + 0x110000. */
static unsigned vi_next(const unsigned char *s, size_t n, size_t *i)
{
	unsigned c = s[*i], cp;
	size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;

	if (len == 1 || len == 0 || *i + len > n) {
		(*i)++;
		return len == 1 ? c : 0x110000u + c;
	}
	cp = c & (0x7Fu >> len);
	for (size_t k = 1; k < len; k++) {
		if ((s[*i + k] & 0xC0) != 0x80) {
			(*i)++;
			return 0x110000u + c;
		}
		cp = (cp << 6) | (s[*i + k] & 0x3Fu);
	}
	*i += len;
	return cp;
}

static const struct vi_letter *vi_find(unsigned cp)
{
	size_t lo = 0, hi = sizeof(vi_letters) / sizeof(vi_letters[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (vi_letters[mid].cp == cp)
			return &vi_letters[mid];
		if (vi_letters[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct vi_weight vi_weigh(unsigned cp)
{
	struct vi_weight w = { 0, 0, 0 };
	const struct vi_letter *l;

	if (cp >= 'a' && cp <= 'z')
		w.primary = W_LETTER + vi_ascii_rank[cp - 'a'];
	else if (cp >= 'A' && cp <= 'Z') {
		w.primary = W_LETTER + vi_ascii_rank[cp - 'A'];
		w.upper = 1;
	} else if (cp >= '0' && cp <= '9')
		w.primary = W_DIGIT + (cp - '0');
	else if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0)
		w.primary = W_SPACE;
	else if (cp < 0x80)
		w.primary = W_PUNCT + cp;
	else if ((l = vi_find(cp)) != NULL) {
		w.primary = W_LETTER + l->letter;
		w.tone = l->tone;
		w.upper = l->upper;
	} else
		w.primary = cp >= 0x110000u ? W_BYTE + (cp - 0x110000u) : W_OTHER + cp;
	return w;
}

int vi_compare(const void *a, size_t na, const void *b, size_t nb)
{
	const unsigned char *x = a, *y = b;
	size_t i = 0, j = 0;
	int tone = 0, upper = 0, c;

	while (i < na && j < nb) {
		struct vi_weight u = vi_weigh(vi_next(x, na, &i));
		struct vi_weight v = vi_weigh(vi_next(y, nb, &j));

		if (u.primary != v.primary)
			return u.primary < v.primary ? -1 : 1;
		if (tone == 0 && u.tone != v.tone)
			tone = u.tone < v.tone ? -1 : 1;
		if (upper == 0 && u.upper != v.upper)
			upper = u.upper < v.upper ? -1 : 1;
	}
	if (i < na || j < nb)
		return i < na ? 1 : -1;
	if (tone || upper)
		return tone ? tone : upper;
	c = memcmp(a, b, na < nb ? na : nb);
	return c ? (c < 0 ? -1 : 1) : (na > nb) - (na < nb);
}
