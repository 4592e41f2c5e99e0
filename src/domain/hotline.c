/*
 * Hotline numbers and duty shifts: see hotline.h.
 */
#include <stdio.h>
#include <string.h>

#include "domain/hotline.h"
#include "base/banned.h"

#define VN_OFFSET_MIN (7 * 60)
#define DAY_MIN 1440

const char *const hotline_kinds[] = { "health", "police", "social_support", "unit", "other",
                                      NULL };

int hotline_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && hotline_kinds[i]; i++)
		if (strcmp(kind, hotline_kinds[i]) == 0)
			return 1;
	return 0;
}

static int phone_shape_ok(const char *d, size_t n)
{
	/* Mobiles: 0 and 9 digits; fixed lines (since 2017): 02, the area
	 * code and the number, 11 digits in all (024 3823 1234). */
	if (n == 10)
		return d[0] == '0' && d[1] != '0';
	if (n == 11)
		return d[0] == '0' && d[1] == '2';
	if (n == 3)
		return d[0] == '1' && d[1] == '1';
	if (n == 4)
		return d[0] == '1' && d[1] == '0';
	if (n == 8)
		return strncmp(d, "1800", 4) == 0 || strncmp(d, "1900", 4) == 0;
	return 0;
}

int hotline_phone_normalize(const char *in, const char *field, char *out, size_t outsz,
                            struct error *err)
{
	char d[HOTLINE_PHONE_MAX];
	size_t n = 0;

	for (const char *p = in ? in : ""; *p; p++) {
		if (*p == ' ' || *p == '.')
			continue;
		if (*p < '0' || *p > '9' || n + 1 >= sizeof(d)) {
			n = 0;
			break;
		}
		d[n++] = *p;
	}
	if (n == 0 || !phone_shape_ok(d, n) || n + 1 > outsz)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': '%.32s' không phải số điện thoại Việt Nam (10 số bắt đầu bằng 0, số cố định 11 số bắt đầu bằng 02, hoặc số dịch vụ như 113, 1022, 1900xxxx)",
		                    "field '%s': '%.32s' is not a Vietnamese phone number (10 digits starting with 0, a fixed line of 11 digits starting with 02, or a service number such as 113, 1022, 1900xxxx)",
		                    field, in ? in : "");
	memcpy(out, d, n);
	out[n] = '\0';
	return 0;
}

int duty_time_parse(const char *s, int allow_end)
{
	int h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_end)))
		return -1;
	return h * 60 + m;
}

int64_t duty_start(const struct duty_span *s)
{
	return (int64_t)s->day * DAY_MIN + s->from;
}

int64_t duty_end(const struct duty_span *s)
{
	return (int64_t)s->day * DAY_MIN + (s->to > s->from ? s->to : s->to + DAY_MIN);
}

int duty_week_check(const struct duty_span *s, size_t n, int32_t week_start,
                    struct error *err)
{
	if (n > DUTY_SHIFTS_MAX)
		return error_set_at(err, THC_EUNPROCESSABLE, "shifts",
		                    "trường 'shifts': quá %d ca trong một tuần",
		                    "field 'shifts': more than %d shifts in a week", DUTY_SHIFTS_MAX);
	for (size_t i = 0; i < n; i++) {
		char f[48];

		if (s[i].day < week_start || s[i].day > week_start + 6) {
			snprintf(f, sizeof(f), "shifts[%zu].date", i);
			return error_set_at(err, THC_EUNPROCESSABLE, f,
			                    "trường '%s': ngày không thuộc tuần này",
			                    "field '%s': the day is not in this week", f);
		}
		if (s[i].from == s[i].to) {
			snprintf(f, sizeof(f), "shifts[%zu].to", i);
			return error_set_at(err, THC_EUNPROCESSABLE, f,
			                    "trường '%s': giờ kết thúc trùng giờ bắt đầu",
			                    "field '%s': the end is the same as the start", f);
		}
		for (size_t j = 0; j < i; j++)
			if (duty_start(&s[i]) < duty_end(&s[j]) && duty_start(&s[j]) < duty_end(&s[i])) {
				snprintf(f, sizeof(f), "shifts[%zu].from", i);
				return error_set_at(err, THC_EUNPROCESSABLE, f,
				                    "trường '%s': ca trùng giờ với ca thứ %zu",
				                    "field '%s': the shift overlaps shift %zu", f, j + 1);
			}
	}
	return 0;
}

int64_t duty_minute_of(int64_t utc_ms)
{
	int64_t m = utc_ms / 60000;

	if (utc_ms < 0 && utc_ms % 60000)
		m--;
	return m + VN_OFFSET_MIN;
}

long duty_on_now(const struct duty_span *s, size_t n, int64_t now)
{
	for (size_t i = 0; i < n; i++)
		if (duty_start(&s[i]) <= now && now < duty_end(&s[i]))
			return (long)i;
	return -1;
}
