/*
 * Checks for cases and people (pure).
 */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "base/vntime.h"
#include "domain/case.h"
#include "base/banned.h"

/* The message says which field or CSV column ('@') is wrong. */
static int case_fail(struct error *err, const char *field, int code)
{
	(void)code;
	return error_in_field(err, field);
}

const char *const case_sexes[] = { "male", "female", "other", NULL };
const char *const case_sources[] = { "community", "quarantine", "imported", NULL };
const char *const case_test_types[] = { "rt-pcr", "antigen", NULL };
const char *const case_severities[] = { "asymptomatic", "mild", "moderate", "severe",
                                        "critical", NULL };
const char *const case_care_places[] = { "home", "facility", "hospital", NULL };
const char *const case_outcomes[] = { "recovered", "died", NULL };
const char *const case_test_results[] = { "positive", "negative", "pending", NULL };

int case_check_enum(const char *field, const char *v, const char *const *allowed,
                    struct error *err)
{
	char list[160] = "";
	size_t n = 0;

	if (v == NULL || v[0] == '\0')
		return 0;
	for (size_t i = 0; allowed[i]; i++) {
		if (strcmp(v, allowed[i]) == 0)
			return 0;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? "|" : "", allowed[i]);
		if (n >= sizeof(list))
			n = sizeof(list) - 1;
	}
	return case_fail(err, field, error_set(err, THC_EUNPROCESSABLE, "'%.30s' phải là một trong %s",
	                 "'%.30s' must be one of %s", v, list));
}

int case_check_id_number(const char *field, const char *v, struct error *err)
{
	size_t n;

	if (v == NULL || v[0] == '\0')
		return 0;
	n = strlen(v);
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			n = 0;
	if (n != 9 && n != 12)
		return case_fail(err, field, error_set(err, THC_EUNPROCESSABLE,
		                 "số CCCD/CMND phải gồm 12 hoặc 9 chữ số",
		                 "an ID number (CCCD/CMND) has 12 or 9 digits"));
	return 0;
}

int case_check_phone(const char *field, const char *v, struct error *err)
{
	size_t digits = 0, n;
	int other = 0;

	if (v == NULL || v[0] == '\0')
		return 0;
	n = strlen(v);
	for (size_t i = 0; i < n; i++) {
		if (v[i] >= '0' && v[i] <= '9')
			digits++;
		else if (!(v[i] == ' ' || v[i] == '.' || v[i] == '-' || (v[i] == '+' && i == 0)))
			other = 1;
	}
	if (other || digits < 8 || digits > 15)
		return case_fail(err, field, error_set(err, THC_EUNPROCESSABLE,
		                 "số điện thoại gồm 8 đến 15 chữ số (có thể có dấu cách, '.', '-', '+' ở đầu)",
		                 "a phone number has 8 to 15 digits (spaces, '.', '-' and a leading '+' allowed)"));
	return 0;
}

int case_check_day(const char *field, const char *v, int32_t today, int32_t *day,
                   struct error *err)
{
	struct vndate d, first;
	int32_t x;

	if (v == NULL || vndate_parse(v, &d) < 0)
		return case_fail(err, field, error_set(err, THC_EUNPROCESSABLE,
		                 "'%.20s' không phải ngày YYYY-MM-DD",
		                 "'%.20s' is not a date YYYY-MM-DD", v ? v : ""));
	vndate_parse(CASE_FIRST_DAY, &first);
	x = vndate_to_days(d);
	if (x < vndate_to_days(first))
		return case_fail(err, field, error_set(err, THC_EUNPROCESSABLE, "%s trước %s",
		                 "%s is before %s", v, CASE_FIRST_DAY));
	if (x > today)
		return case_fail(err, field, error_set(err, THC_EUNPROCESSABLE, "%s là ngày trong tương lai",
		                 "%s is in the future", v));
	if (day)
		*day = x;
	return 0;
}

int case_check_birth_year(const char *field, int64_t year, int32_t today,
                          struct error *err)
{
	int y = vndate_from_days(today).year;

	if (year < 0)
		return 0;
	if (year < CASE_BIRTH_YEAR_MIN || year > y)
		return case_fail(err, field, error_set(err, THC_EUNPROCESSABLE, "năm sinh phải trong %d..%d",
		                 "the birth year must be within %d..%d", CASE_BIRTH_YEAR_MIN, y));
	return 0;
}

int case_check_text(const char *field, const char *v, int multiline, struct error *err)
{
	uint32_t bad = 0;
	long at;

	if (v == NULL)
		return 0;
	if ((at = text_plain_check(v, strlen(v), multiline != 0, &bad)) >= 0)
		return case_fail(err, field, error_set(err, THC_EUNPROCESSABLE,
		                 "có ký tự điều khiển hoặc không hợp lệ (U+%04X) ở byte %ld",
		                 "contains a control or invalid character (U+%04X) at byte %ld",
		                 (unsigned)bad, at + 1));
	return 0;
}

int case_check_name(const char *field, const char *v, struct error *err)
{
	size_t n = v ? strlen(v) : 0;

	if (n == 0 || n > CASE_NAME_MAX || !text_utf8_valid(v, n))
		return case_fail(err, field, error_set(err, THC_EUNPROCESSABLE,
		                 "họ tên phải là UTF-8, 1..%d byte",
		                 "the full name must be UTF-8 of 1..%d bytes",
		                 CASE_NAME_MAX));
	return case_check_text(field, v, 0, err);
}

int case_severity_needs_oxygen(const char *severity)
{
	return severity && (strcmp(severity, "moderate") == 0 || strcmp(severity, "severe") == 0 ||
	                    strcmp(severity, "critical") == 0);
}
