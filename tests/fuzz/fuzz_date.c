/*
 * libFuzzer target for base/vntime.c: the date and instant parsers and the
 * calendar arithmetic behind them, held to invariants rather than to "no
 * crash":
 *   - vndate_parse accepts exactly the YYYY-MM-DD strings of real dates in
 *     [VNTIME_MIN_YEAR, VNTIME_MAX_YEAR], and formatting what it read gives
 *     the same text back;
 *   - days <-> date round trips for every int32 day count, weekdays step
 *     by one, vndate_valid agrees with a naive month table;
 *   - week ends: within 6 days after the day, on the weekday before the
 *     week's first day; ISO weeks: 1..53, Monday-based, week 1 holds
 *     4 January;
 *   - vntime_parse: a date is the start of that day in UTC+7, an RFC 3339
 *     instant survives vntime_format_utc_ms and a second parse, and
 *     vntime_day_of puts it on the day vntime_format_vn shows.
 * The input is read three ways: as text (the whole input), and its first
 * bytes as a day count and as an instant in milliseconds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/vntime.h"
#include "fuzz.h"
#include "base/banned.h"

#define DAY_S 86400

static int ref_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int ref_valid(int64_t y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < VNTIME_MIN_YEAR || y > VNTIME_MAX_YEAR || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && ref_leap(y));
}

static int64_t floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int in_years(struct vndate d)
{
	return d.year >= VNTIME_MIN_YEAR && d.year <= VNTIME_MAX_YEAR;
}

/* Calendar facts about one day count, any int32. */
static void fuzz_days(int32_t days, int first_wday)
{
	struct vndate d = vndate_from_days(days), n;
	int wd = vndate_weekday(days), iy, iw;
	int32_t end;

	FUZZ_CHECK(vndate_to_days(d) == days);
	FUZZ_CHECK(d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31);
	FUZZ_CHECK(wd >= 1 && wd <= 7);
	if (days < INT32_MAX) {
		n = vndate_from_days(days + 1);
		FUZZ_CHECK(vndate_weekday(days + 1) == wd % 7 + 1);
		/* The next day is the next day of the month, or the 1st. */
		FUZZ_CHECK((n.year == d.year && n.month == d.month && n.day == d.day + 1) ||
		           (n.day == 1 && (n.month == d.month % 12 + 1)));
	}
	if (in_years(d)) {
		char iso[16], vn[16];
		struct vndate back;

		FUZZ_CHECK(vndate_valid(d.year, d.month, d.day));
		vndate_format_iso(d, iso, sizeof(iso));
		FUZZ_CHECK(strlen(iso) == 10);
		FUZZ_CHECK(vndate_parse(iso, &back) == 0);
		FUZZ_CHECK(back.year == d.year && back.month == d.month && back.day == d.day);
		vndate_format_vn(d, vn, sizeof(vn));
		FUZZ_CHECK(strlen(vn) == 10 && vn[2] == '/' && vn[5] == '/');
		FUZZ_CHECK(memcmp(vn + 6, iso, 4) == 0 && memcmp(vn + 3, iso + 5, 2) == 0 &&
		           memcmp(vn, iso + 8, 2) == 0);
	}

	/* Week ends; an out-of-range first day means Monday. */
	end = vndate_week_end(days, first_wday);
	if (first_wday < 1 || first_wday > 7)
		first_wday = 1;
	if (days <= INT32_MAX - 6) {
		FUZZ_CHECK(end >= days && end - days <= 6);
		FUZZ_CHECK(vndate_weekday(end) == (first_wday + 5) % 7 + 1);
		FUZZ_CHECK(vndate_week_end(end, first_wday) == end);
	}

	/* ISO week: the week of the Thursday; week 1 holds 4 January. */
	vndate_iso_week(days, &iy, &iw);
	/* Away from the ends of int32, where Jan 4 of the ISO year saturates. */
	if (days > INT32_MIN + 400 && days < INT32_MAX - 400) {
		struct vndate jan4 = { iy, 1, 4 };
		int32_t j4 = vndate_to_days(jan4);
		int32_t monday1 = j4 - (vndate_weekday(j4) - 1);
		int32_t monday = days - (wd - 1);

		FUZZ_CHECK(iw >= 1 && iw <= 53);
		FUZZ_CHECK(iy >= d.year - 1 && iy <= d.year + 1);
		FUZZ_CHECK(monday >= monday1 && (monday - monday1) % 7 == 0);
		FUZZ_CHECK((monday - monday1) / 7 + 1 == iw);
	}
}

/* A UTC instant in milliseconds, any int64. */
static void fuzz_instant(int64_t ms)
{
	char utc[40], vn[40];
	int64_t s = floordiv(ms, 1000), back;
	int32_t vday = vntime_day_of(s);
	struct vndate d = vndate_from_days(vday);

	vntime_format_utc_ms(ms, utc, sizeof(utc));
	vntime_format_vn(s, vn, sizeof(vn));
	/* The Vietnamese day starts at 17:00 UTC the day before. */
	FUZZ_CHECK(vday == (int32_t)floordiv(s + 7 * 3600, DAY_S) ||
	           floordiv(s + 7 * 3600, DAY_S) > INT32_MAX ||
	           floordiv(s + 7 * 3600, DAY_S) < INT32_MIN);
	if (!in_years(vndate_from_days(vntime_day_of(s - 7 * 3600))) || !in_years(d))
		return;
	/* "YYYY-MM-DDTHH:MM:SS.mmmZ" parses back to the same second. */
	FUZZ_CHECK(strlen(utc) == 24 && utc[10] == 'T' && utc[23] == 'Z');
	FUZZ_CHECK(vntime_parse(utc, &back) == 0 && back == s);
	/* "dd/mm/yyyy HH:MM" shows the day vntime_day_of gives. */
	FUZZ_CHECK(strlen(vn) == 16);
	{
		char iso[16];

		vndate_format_vn(d, iso, sizeof(iso));
		FUZZ_CHECK(memcmp(vn, iso, 10) == 0);
	}
}

/* The whole input as text. */
static void fuzz_text(const char *s, size_t len)
{
	struct vndate d = { -1, -1, -1 };
	int64_t t = -1, t2;
	int rc = vndate_parse(s, &d);

	FUZZ_CHECK(rc == 0 || rc == THC_EINVAL);
	if (rc == 0) {
		char iso[16];

		/* Strict: only the canonical spelling of a real date. */
		FUZZ_CHECK(len == 10 && ref_valid(d.year, d.month, d.day));
		vndate_format_iso(d, iso, sizeof(iso));
		FUZZ_CHECK(strcmp(iso, s) == 0);
		FUZZ_CHECK(vntime_parse(s, &t) == 0);
		FUZZ_CHECK(t == (int64_t)vndate_to_days(d) * DAY_S - 7 * 3600);
		FUZZ_CHECK(vntime_day_of(t) == vndate_to_days(d));
		FUZZ_CHECK(vntime_day_of(t - 1) == vndate_to_days(d) - 1);
	} else {
		FUZZ_CHECK(d.year == -1 && d.month == -1 && d.day == -1);
		/* A 10-byte "dddd-dd-dd" that is refused is not a real date. */
		if (len == 10 && s[4] == '-' && s[7] == '-') {
			int ok = 1, y = 0, m = 0, dd = 0;

			for (int i = 0; i < 10; i++)
				if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
					ok = 0;
			if (ok) {
				y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
				    (s[3] - '0');
				m = (s[5] - '0') * 10 + (s[6] - '0');
				dd = (s[8] - '0') * 10 + (s[9] - '0');
				FUZZ_CHECK(!ref_valid(y, m, dd));
			}
		}
	}
	rc = vntime_parse(s, &t);
	FUZZ_CHECK(rc == 0 || rc == THC_EINVAL);
	if (rc == 0 && len != 10) {
		char utc[40];

		/* Accepted: the date part was a valid date and a 'T' follows. */
		FUZZ_CHECK(len >= 20 && s[10] == 'T');
		FUZZ_CHECK(s[len - 1] == 'Z' || (len >= 25 && s[len - 3] == ':'));
		/* The second it names is stable under format + parse. */
		vntime_format_utc_ms(t * 1000, utc, sizeof(utc));
		if (in_years(vndate_from_days(vntime_day_of(t - 7 * 3600)))) {
			FUZZ_CHECK(vntime_parse(utc, &t2) == 0);
			FUZZ_CHECK(t2 == t);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t n = size;
	int32_t days = (int32_t)(uint32_t)fuzz_take(&p, &n, 4);
	int wday = (int)(int8_t)fuzz_take(&p, &n, 1);
	int64_t ms;
	char *s;

	fuzz_days(days, wday);
	/* Also the same bits as a small day offset around the supported
	 * years, where the interesting formatting happens. */
	fuzz_days((int32_t)((uint32_t)days % 110000u) - 25567, wday % 8);
	p = data;
	n = size;
	ms = (int64_t)fuzz_take(&p, &n, 8);
	fuzz_instant(ms);
	fuzz_instant((int64_t)((uint64_t)ms % (UINT64_C(110000) * DAY_S * 1000)) -
	             INT64_C(25567) * DAY_S * 1000);
	if ((s = fuzz_cstr(data, size)) == NULL)
		return 0;
	fuzz_text(s, strlen(s));
	free(s);
	return 0;
}
