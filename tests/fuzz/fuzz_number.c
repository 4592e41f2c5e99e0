/*
 * libFuzzer target for parse_int64 and parse_double (base/parse.c), checked
 * against independent reference readings rather than for crashes alone:
 *   - parse_int64 against a digit-by-digit reader with exact overflow
 *     checks: same verdict and same value for every string and range;
 *   - parse_double's syntax against the grammar -?D+(.D+)? and, when the
 *     number has at most 15 significant digits and 22 decimals, its value
 *     against N / 10^k, which IEEE division rounds correctly because both
 *     operands are exact doubles; "-x" must give exactly -(x);
 *   - a failed call leaves *out untouched.
 * The first byte picks the range; the rest is the text.  A comma-decimal
 * locale is switched on when the system has one, to prove that "12.5"
 * does not depend on LC_NUMERIC.
 */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/parse.h"
#include "fuzz.h"
#include "base/banned.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (setlocale(LC_NUMERIC, "vi_VN.UTF-8") == NULL)
		setlocale(LC_NUMERIC, "de_DE.UTF-8");
	return 0;
}

static int fuzz_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reference for parse_int64: the magnitude is built in uint64_t, and a
 * digit that would pass 2^63 (or 2^63 - 1 without a sign) is refused. */
static int ref_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	uint64_t limit, mag = 0;
	int neg = s[0] == '-';
	const char *p = s + neg;
	int64_t v;

	if (min > max || !fuzz_digit(*p))
		return THC_EINVAL;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p; p++) {
		unsigned d;

		if (!fuzz_digit(*p))
			return THC_EINVAL;
		d = (unsigned)(*p - '0');
		if (mag > (limit - d) / 10)
			return THC_EINVAL;
		mag = mag * 10 + d;
	}
	if (neg)
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		v = (int64_t)mag;
	if (v < min || v > max)
		return THC_EINVAL;
	*out = v;
	return 0;
}

static void fuzz_int64(const char *s, int64_t min, int64_t max)
{
	int64_t got = 0x5a5a5a5a, want = 0x5a5a5a5a;
	int rc = parse_int64(s, min, max, &got);
	int rr = ref_int64(s, min, max, &want);

	FUZZ_CHECK(rc == rr);
	FUZZ_CHECK(got == want);     /* the value, or untouched on failure */
}

/* The grammar parse_double documents: -?digits(.digits)? */
static int ref_double_syntax(const char *s)
{
	const char *p = s + (s[0] == '-');

	if (!fuzz_digit(*p))
		return 0;
	while (fuzz_digit(*p))
		p++;
	if (*p == '.') {
		p++;
		if (!fuzz_digit(*p))
			return 0;
		while (fuzz_digit(*p))
			p++;
	}
	return *p == '\0';
}

/*
 * The exact value when it is cheap to get: the digits without leading
 * zeros as an integer N < 10^15 (exact in a double) over 10^k for k <= 22
 * decimals (also exact), so one correctly rounded division gives the
 * correctly rounded result.  0 when the number is outside that case.
 */
static int ref_double_exact(const char *s, double *out)
{
	static const double pow10[23] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	const char *p = s + (s[0] == '-');
	uint64_t n = 0;
	int sig = 0, k = 0, frac = 0;

	for (; *p; p++) {
		if (*p == '.') {
			frac = 1;
			continue;
		}
		if (frac)
			k++;
		if (sig == 0 && *p == '0')
			continue;
		if (++sig > 15)
			return 0;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (k > 22)
		return 0;
	*out = (double)n / pow10[k];
	if (s[0] == '-')
		*out = -*out;
	return 1;
}

/* Digits before the point, leading zeros aside: more than 309 is past
 * DBL_MAX, fewer than 309 is finite (309 itself depends on rounding). */
static size_t ref_int_digits(const char *s)
{
	const char *p = s + (s[0] == '-');
	size_t n = 0;

	while (*p == '0')
		p++;
	while (fuzz_digit(*p++))
		n++;
	return n;
}

static void fuzz_double(const char *s, double min, double max)
{
	double got = 42.5, full, neg, exact;
	int rc = parse_double(s, min, max, &got);
	int syntax = ref_double_syntax(s);
	size_t idigits;

	FUZZ_CHECK(rc == 0 || rc == THC_EINVAL);
	if (rc < 0)
		FUZZ_CHECK(memcmp(&got, &(double){ 42.5 }, sizeof(got)) == 0);
	if (!syntax || !(min <= max)) {
		FUZZ_CHECK(rc == THC_EINVAL);
		return;
	}
	/* The same text over the whole double range: finite or refused. */
	idigits = ref_int_digits(s);
	rc = parse_double(s, -DBL_MAX, DBL_MAX, &full);
	if (idigits > 309)
		FUZZ_CHECK(rc == THC_EINVAL);
	else if (idigits < 309)
		FUZZ_CHECK(rc == 0);
	if (rc < 0)
		return;
	FUZZ_CHECK(isfinite(full));
	FUZZ_CHECK(s[0] == '-' ? !(full > 0) : !(full < 0));
	if (ref_double_exact(s, &exact))
		FUZZ_CHECK(full == exact);
	/* Rounding is symmetric: "-x" is exactly -(x). */
	if (s[0] == '-') {
		FUZZ_CHECK(parse_double(s + 1, -DBL_MAX, DBL_MAX, &neg) == 0);
		FUZZ_CHECK(full == -neg);
	}
	/* The range check is plain comparison with the value. */
	FUZZ_CHECK((parse_double(s, min, max, &got) == 0) == (full >= min && full <= max));
	if (full >= min && full <= max)
		FUZZ_CHECK(memcmp(&got, &full, sizeof(got)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t iranges[][2] = {
		{ INT64_MIN, INT64_MAX }, { 0, 1000000000 }, { 1, 4 }, { -5, 5 },
		{ INT64_MAX - 1, INT64_MAX }, { INT64_MIN, INT64_MIN + 1 }, { 3, 2 },
	};
	static const double dranges[][2] = {
		{ -DBL_MAX, DBL_MAX }, { 0, 100 }, { 0, 1 }, { -1e9, 1e9 },
		{ 0, 0 }, { 1, 0 }, { -INFINITY, INFINITY },
	};
	uint64_t sel = fuzz_take(&data, &size, 1);
	int64_t imin, imax;
	double dmin, dmax;
	char *s;

	/* Selector values past the tables take the range from the input. */
	if (sel % 8 < ARRAY_SIZE(iranges)) {
		imin = iranges[sel % 8][0];
		imax = iranges[sel % 8][1];
		dmin = dranges[sel % 8][0];
		dmax = dranges[sel % 8][1];
	} else {
		uint64_t a = fuzz_take(&data, &size, 8), b = fuzz_take(&data, &size, 8);

		imin = (int64_t)a;
		imax = (int64_t)b;
		memcpy(&dmin, &a, sizeof(dmin));
		memcpy(&dmax, &b, sizeof(dmax));
	}
	if ((s = fuzz_cstr(data, size)) == NULL)
		return 0;
	fuzz_int64(s, imin, imax);
	fuzz_double(s, dmin, dmax);
	free(s);
	return 0;
}
