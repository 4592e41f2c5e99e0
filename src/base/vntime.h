/*
 * Time: instants are UTC (unix seconds or milliseconds) inside; days and
 * weeks people see are in Asia/Ho_Chi_Minh (UTC+7, no DST since 1975).
 * Days are counted from 1970-01-01 (day 0).  Pure functions except
 * vntime_now_ms().
 */
#ifndef THC_VNTIME_H
#define THC_VNTIME_H

#include <stddef.h>
#include <stdint.h>
#include "compat.h"

#define VNTIME_OFFSET_S (7 * 3600)
#define VNTIME_MIN_YEAR 1900
#define VNTIME_MAX_YEAR 2200

struct vndate {
	int year, month, day;    /* month 1..12, day 1..31 */
};

int64_t vntime_now_ms(void);                 /* CLOCK_REALTIME, UTC ms */

int vndate_valid(int year, int month, int day);
int32_t vndate_to_days(struct vndate d);     /* days since 1970-01-01 */
struct vndate vndate_from_days(int32_t days);
/* 1 = Monday .. 7 = Sunday (ISO). */
int vndate_weekday(int32_t days);
/* Last day of the week that holds `days`, weeks starting on first_wday (1..7). */
int32_t vndate_week_end(int32_t days, int first_wday);
/* ISO 8601 week: year and week number of `days`. */
void vndate_iso_week(int32_t days, int *iso_year, int *iso_week);

/* The Vietnamese calendar day of a UTC instant (seconds). */
int32_t vntime_day_of(int64_t utc_s);

/* "YYYY-MM-DD", strict, year in [VNTIME_MIN_YEAR, VNTIME_MAX_YEAR]: 0 or THC_EINVAL. */
int vndate_parse(const char *s, struct vndate *out);
/* "YYYY-MM-DD" into out (>= 11 bytes). */
void vndate_format_iso(struct vndate d, char *out, size_t outsz);
/* "dd/mm/yyyy" into out (>= 11 bytes). */
void vndate_format_vn(struct vndate d, char *out, size_t outsz);
/* RFC 3339 UTC with milliseconds: "2026-11-23T16:31:40.123Z" (>= 25 bytes). */
void vntime_format_utc_ms(int64_t utc_ms, char *out, size_t outsz);
/* "dd/mm/yyyy HH:MM" in Asia/Ho_Chi_Minh (>= 17 bytes). */
void vntime_format_vn(int64_t utc_s, char *out, size_t outsz);
/* Parses "YYYY-MM-DD" (start of that VN day) or RFC 3339 with Z or offset, into UTC seconds. */
int vntime_parse(const char *s, int64_t *utc_s);

#endif
