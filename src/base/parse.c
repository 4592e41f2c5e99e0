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
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return THC_EINVAL;
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
	v = parse_strtod_c(s, &end);
	/* ERANGE on underflow still gives the nearest value: only overflow
	 * (an infinity) is refused. */
	if (*end != '\0' || !isfinite(v))
		return THC_EINVAL;
	if (v < min || v > max)
		return THC_EINVAL;
	*out = v;
	return 0;
}
