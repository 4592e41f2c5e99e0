/*
 * Calendar arithmetic without the C library's time zone machinery:
 * gmtime/localtime/mktime depend on TZ and on global state, and Vietnam has
 * been a fixed UTC+7 since 1975, so plain integer arithmetic is both simpler
 * and exact.  The day <-> civil date conversions are Howard Hinnant's
 * proleptic Gregorian algorithms (days_from_civil / civil_from_days).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "vntime.h"
#include "banned.h"

#define VNTIME_DAY_S 86400

/* Floor division: C's "/" truncates toward zero, which is wrong for days
 * before 1970 and for instants before the epoch. */
static int64_t vntime_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Not a - floordiv(a, b) * b: that product overflows near INT64_MIN. */
static int64_t vntime_floormod(int64_t a, int64_t b)
{
	int64_t r = a % b;

	if (r != 0 && ((r < 0) != (b < 0)))
		r += b;
	return r;
}

static int32_t vntime_clamp32(int64_t v)
{
	if (v > INT32_MAX)
		return INT32_MAX;
	if (v < INT32_MIN)
		return INT32_MIN;
	return (int32_t)v;
}

int64_t vntime_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int vntime_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int vntime_month_days(int64_t y, int m)
{
	static const unsigned char mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && vntime_is_leap(y))
		return 29;
	return mdays[m - 1];
}

/* 1 if the date exists and its year is one the system accepts, else 0.
 * A predicate (not a status code) so it reads naturally in conditions. */
int vndate_valid(int year, int month, int day)
{
	if (year < VNTIME_MIN_YEAR || year > VNTIME_MAX_YEAR)
		return 0;
	if (month < 1 || month > 12)
		return 0;
	return day >= 1 && day <= vntime_month_days(year, month);
}

/* days_from_civil, in int64 so that no int input can overflow. */
static int64_t vntime_days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = vntime_floordiv(y, 400);
	yoe = y - era * 400;                                   /* [0, 399] */
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  /* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

/*
 * Meaningful for real dates; anything else (month 13, day 0) is computed by
 * the same formula rather than rejected, because callers are expected to
 * validate first and the function has no error channel.  The result
 * saturates instead of overflowing for absurd years.
 */
int32_t vndate_to_days(struct vndate d)
{
	return vntime_clamp32(vntime_days_from_civil(d.year, d.month, d.day));
}

struct vndate vndate_from_days(int32_t days)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = vntime_floordiv(z, 146097);
	int64_t doe = z - era * 146097;                                  /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                /* [0, 11] */
	struct vndate out;

	out.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	out.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	out.year = (int)(yoe + era * 400 + (out.month <= 2));
	return out;
}

int vndate_weekday(int32_t days)
{
	/* Day 0, 1970-01-01, was a Thursday (ISO 4). */
	return (int)vntime_floormod((int64_t)days + 3, 7) + 1;
}

/* An out-of-range first_wday is treated as Monday, the ISO default, rather
 * than producing a nonsense date. */
int32_t vndate_week_end(int32_t days, int first_wday)
{
	int into;

	if (first_wday < 1 || first_wday > 7)
		first_wday = 1;
	into = (vndate_weekday(days) - first_wday + 7) % 7;
	return vntime_clamp32((int64_t)days + 6 - into);
}

/* The ISO week-year is the year of the week's Thursday, and week 1 is the
 * week that holds that year's first Thursday. */
void vndate_iso_week(int32_t days, int *iso_year, int *iso_week)
{
	int64_t thursday = (int64_t)days - (vndate_weekday(days) - 1) + 3;
	struct vndate t = vndate_from_days(vntime_clamp32(thursday));
	int64_t jan1 = vntime_days_from_civil(t.year, 1, 1);

	if (iso_year != NULL)
		*iso_year = t.year;
	if (iso_week != NULL)
		*iso_week = (int)((thursday - jan1) / 7 + 1);
}

int32_t vntime_day_of(int64_t utc_s)
{
	/* Dividing first keeps utc_s + offset from overflowing near INT64_MAX. */
	int64_t days = vntime_floordiv(utc_s, VNTIME_DAY_S);
	int64_t sod = vntime_floormod(utc_s, VNTIME_DAY_S);

	return vntime_clamp32(days + (sod + VNTIME_OFFSET_S) / VNTIME_DAY_S);
}

/* Reads exactly n ASCII digits; -1 if any is not a digit. */
static int vntime_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD" at s (no terminator check: callers check what follows). */
static int vntime_parse_date(const char *s, struct vndate *out)
{
	int y, m, d;

	y = vntime_digits(s, 4);
	if (y < 0 || s[4] != '-')
		return THC_EINVAL;
	m = vntime_digits(s + 5, 2);
	if (m < 0 || s[7] != '-')
		return THC_EINVAL;
	d = vntime_digits(s + 8, 2);
	if (d < 0 || !vndate_valid(y, m, d))
		return THC_EINVAL;
	out->year = y;
	out->month = m;
	out->day = d;
	return 0;
}

int vndate_parse(const char *s, struct vndate *out)
{
	struct vndate d;

	/* strnlen bounds the scan: a long junk string is rejected early. */
	if (s == NULL || out == NULL || strnlen(s, 11) != 10)
		return THC_EINVAL;
	if (vntime_parse_date(s, &d) < 0)
		return THC_EINVAL;
	*out = d;
	return 0;
}

void vndate_format_iso(struct vndate d, char *out, size_t outsz)
{
	if (out == NULL || outsz == 0)
		return;
	snprintf(out, outsz, "%04d-%02d-%02d", d.year, d.month, d.day);
}

void vndate_format_vn(struct vndate d, char *out, size_t outsz)
{
	if (out == NULL || outsz == 0)
		return;
	snprintf(out, outsz, "%02d/%02d/%04d", d.day, d.month, d.year);
}

void vntime_format_utc_ms(int64_t utc_ms, char *out, size_t outsz)
{
	int64_t s = vntime_floordiv(utc_ms, 1000);
	int ms = (int)vntime_floormod(utc_ms, 1000);
	int64_t sod = vntime_floormod(s, VNTIME_DAY_S);
	struct vndate d = vndate_from_days(vntime_clamp32(vntime_floordiv(s, VNTIME_DAY_S)));

	if (out == NULL || outsz == 0)
		return;
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	         d.year, d.month, d.day, (int)(sod / 3600), (int)(sod / 60 % 60),
	         (int)(sod % 60), ms);
}

void vntime_format_vn(int64_t utc_s, char *out, size_t outsz)
{
	int64_t sod = vntime_floormod(utc_s, VNTIME_DAY_S) + VNTIME_OFFSET_S;
	struct vndate d = vndate_from_days(vntime_day_of(utc_s));

	if (out == NULL || outsz == 0)
		return;
	sod %= VNTIME_DAY_S;
	snprintf(out, outsz, "%02d/%02d/%04d %02d:%02d", d.day, d.month, d.year,
	         (int)(sod / 3600), (int)(sod / 60 % 60));
}

/*
 * RFC 3339 "date-time" only (no lower-case "t"/"z", no space separator, no
 * leap second 60): inputs come from our own API and forms, and accepting
 * fewer spellings keeps the stored data uniform.  Fractional seconds are
 * allowed (any number of digits) and truncated, since the result is whole
 * seconds.
 */
static int vntime_parse_rfc3339(const char *s, int64_t *utc_s)
{
	struct vndate d;
	int hh, mi, ss, oh, om, sign;
	int64_t t;

	if (vntime_parse_date(s, &d) < 0 || s[10] != 'T')
		return THC_EINVAL;
	s += 11;
	hh = vntime_digits(s, 2);
	if (hh < 0 || hh > 23 || s[2] != ':')
		return THC_EINVAL;
	mi = vntime_digits(s + 3, 2);
	if (mi < 0 || mi > 59 || s[5] != ':')
		return THC_EINVAL;
	ss = vntime_digits(s + 6, 2);
	if (ss < 0 || ss > 59)
		return THC_EINVAL;
	s += 8;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return THC_EINVAL;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'Z') {
		oh = om = 0;
		sign = 1;
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		oh = vntime_digits(s + 1, 2);
		if (oh < 0 || oh > 23 || s[3] != ':')
			return THC_EINVAL;
		om = vntime_digits(s + 4, 2);
		if (om < 0 || om > 59)
			return THC_EINVAL;
		s += 6;
	} else {
		return THC_EINVAL;
	}
	if (*s != '\0')
		return THC_EINVAL;
	t = (int64_t)vndate_to_days(d) * VNTIME_DAY_S + hh * 3600 + mi * 60 + ss;
	*utc_s = t - sign * (oh * 3600 + om * 60);
	return 0;
}

int vntime_parse(const char *s, int64_t *utc_s)
{
	struct vndate d;

	if (s == NULL || utc_s == NULL)
		return THC_EINVAL;
	if (strnlen(s, 11) == 10) {
		if (vndate_parse(s, &d) < 0)
			return THC_EINVAL;
		*utc_s = (int64_t)vndate_to_days(d) * VNTIME_DAY_S - VNTIME_OFFSET_S;
		return 0;
	}
	return vntime_parse_rfc3339(s, utc_s);
}
