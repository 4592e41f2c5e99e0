/*
 * Strict number parsing.  strtoll/strtod alone accept leading white space,
 * a "+", trailing junk, hex, exponents, "nan" and "inf"; numbers here come
 * from CSV imports, query strings and forms, where any of those means the
 * input is wrong, so the syntax is checked by hand first and the library
 * only does the conversion (and, for doubles, the correct rounding).
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "parse.h"
#include "banned.h"

static int parse_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits, a sign included, that a long long always holds. */
#define PARSE_FAST_DIGITS 18

/* The value of the digits in [p, end) (every byte a digit). */
static long long parse_digits(const char *p, const char *end)
{
	long long v = 0;

	for (; p < end; p++)
		v = v * 10 + (*p - '0');
	return v;
}

/*
 * -?digits(.digits)? already checked, ending at end: 1 and *out when the
 * number has at most 15 digits.  Then the digits as an integer m < 2^53 and
 * 10^k (k <= 15 fraction digits) are both exact doubles, so m / 10^k is one
 * correctly rounded division: the same double strtod gives (Clinger's fast
 * path).  0 for anything longer, which strtod converts.
 */
static int parse_double_fast(const char *s, const char *end, double *out)
{
	static const double pow10[16] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
		                          1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	const char *p = s + (*s == '-');
	long long m = 0;
	int nd = 0, k = -1;

	if (end - p > 16)
		return 0;
	for (; p < end; p++) {
		if (*p == '.') {
			k = 0;
			continue;
		}
		m = m * 10 + (*p - '0');
		nd++;
		k += k >= 0;
	}
	if (nd > 15)
		return 0;
	*out = (double)m / pow10[k < 0 ? 0 : k];
	if (*s == '-')
		*out = -*out;
	return 1;
}

int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	const char *p = s;
	char *end;
	long long v;

	if (s == NULL || out == NULL || min > max)
		return THC_EINVAL;
	if (*p == '-')
		p++;
	if (!parse_is_digit(*p))
		return THC_EINVAL;
	while (parse_is_digit(*p))
		p++;
	if (*p != '\0')
		return THC_EINVAL;
	if (p - s <= PARSE_FAST_DIGITS) {
		/* Up to 18 digits cannot overflow: the sum is exact. */
		v = parse_digits(s + (*s == '-'), p);
		v = *s == '-' ? -v : v;
	} else {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == ERANGE || *end != '\0')
			return THC_EINVAL;
	}
	if (v < min || v > max)
		return THC_EINVAL;
	*out = v;
	return 0;
}

/*
 * strtod reads the decimal point of the current LC_NUMERIC locale, which is
 * "," under vi_VN; converting in the C locale keeps "12.5" meaning 12.5
 * whatever locale the program runs in.  A locale object per call avoids any
 * shared state between threads.
 */
static double parse_strtod_c(const char *s, char **end)
{
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	double v;

	if (c == (locale_t)0)
		return strtod(s, end);     /* out of memory: best effort */
	v = strtod_l(s, end, c);
	freelocale(c);
	return v;
}

int parse_double(const char *s, double min, double max, double *out)
{
	const char *p = s;
	char *end;
	double v;

	if (s == NULL || out == NULL || !(min <= max))
		return THC_EINVAL;
	/* -?digits(.digits)? : at least one digit on each side of a '.' */
	if (*p == '-')
		p++;
	if (!parse_is_digit(*p))
		return THC_EINVAL;
	while (parse_is_digit(*p))
		p++;
	if (*p == '.') {
		p++;
		if (!parse_is_digit(*p))
			return THC_EINVAL;
		while (parse_is_digit(*p))
			p++;
	}
	if (*p != '\0')
		return THC_EINVAL;
	if (!parse_double_fast(s, p, &v)) {
		v = parse_strtod_c(s, &end);
		/* ERANGE on underflow still gives the nearest value: only
		 * overflow (an infinity) is refused. */
		if (*end != '\0' || !isfinite(v))
			return THC_EINVAL;
	}
	if (v < min || v > max)
		return THC_EINVAL;
	*out = v;
	return 0;
}
