/*
 * Hotline numbers and duty rosters of a unit: the kinds of number, phone
 * numbers as Vietnamese numbers (normalised), duty shifts and their
 * checks, and who is on duty at an instant.
 *
 * Pure: no I/O, no clock.  Days count from 1970-01-01 (base/vntime.h);
 * times are minutes of the day in Asia/Ho_Chi_Minh (UTC+7, no DST).  A
 * shift runs from `from` to `to` on its day; when `to` <= `from` it ends
 * on the next day (a night shift).  "24:00" ends at midnight.
 */
#ifndef THC_HOTLINE_H
#define THC_HOTLINE_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

#define HOTLINES_MAX 30              /* numbers of one unit */
#define HOTLINE_LABEL_MAX 120
#define HOTLINE_HOURS_MAX 120
#define HOTLINE_PHONE_MAX 16         /* normalised, NUL included */
#define HOTLINE_PHONE_IN_MAX 32      /* as typed */
#define DUTY_NAME_MAX 120
#define DUTY_SHIFTS_MAX (7 * 6)      /* a week's shifts of one unit */

/* The kinds of number, NULL-terminated. */
extern const char *const hotline_kinds[];
/* 1 when kind is one of health, police, social_support, unit, other. */
int hotline_kind_valid(const char *kind);

/* A Vietnamese number as typed (spaces and dots allowed) into its digits:
 * 10 digits starting with 0, a fixed line of 11 starting with 02, or a
 * service number (11x, 10xx, 1800xxxx, 1900xxxx).  0, or
 * THC_EUNPROCESSABLE naming `field`. */
int hotline_phone_normalize(const char *in, const char *field, char *out, size_t outsz,
                            struct error *err);

/* "HH:MM" into minutes 0..1439 (1440 for "24:00" when allow_end). -1 if not. */
int duty_time_parse(const char *s, int allow_end);

struct duty_span {
	int32_t day;                     /* the day the shift starts */
	int from, to;                    /* minutes; to <= from: ends the next day */
};

/* Minutes since 1970-01-01 00:00 VN time where the shift starts and ends. */
int64_t duty_start(const struct duty_span *s);
int64_t duty_end(const struct duty_span *s);

/* Checks a week's shifts: at most DUTY_SHIFTS_MAX, each starting within
 * week_start .. week_start+6, none of zero length, none overlapping
 * another.  0, or THC_EUNPROCESSABLE with the field "shifts[i].x". */
int duty_week_check(const struct duty_span *s, size_t n, int32_t week_start,
                    struct error *err);

/* The minute (since 1970-01-01 VN time) of a UTC instant in ms. */
int64_t duty_minute_of(int64_t utc_ms);

/* The index of the shift covering minute `now`, or -1. */
long duty_on_now(const struct duty_span *s, size_t n, int64_t now);

#endif
