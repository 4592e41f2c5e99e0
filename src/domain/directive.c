/*
 * Directive statuses, deadlines, roll-ups and key-task periods.
 */
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/directive.h"
#include "base/banned.h"

enum directive_status directive_status(int32_t deadline, int32_t done_on, int32_t asof)
{
	if (done_on != DIRECTIVE_DAY_NONE && done_on <= asof)
		return DIRECTIVE_DONE;
	return asof > deadline ? DIRECTIVE_OVERDUE : DIRECTIVE_OPEN;
}

const char *directive_status_name(enum directive_status s)
{
	static const char *const names[] = { "open", "done", "overdue" };

	return (unsigned)s < 3 ? names[s] : "open";
}

int directive_on_time(int32_t deadline, int32_t done_on)
{
	return done_on != DIRECTIVE_DAY_NONE && done_on <= deadline;
}

static void directive_day_text(int32_t day, char out[11])
{
	vndate_format_iso(vndate_from_days(day), out, 11);
}

int directive_delegate_check(int32_t own_deadline, int32_t deadline, struct error *err)
{
	char own[11];

	if (deadline < own_deadline)
		return 0;
	directive_day_text(own_deadline, own);
	return error_set_at(err, THC_EUNPROCESSABLE, "deadline",
	                    "trường 'deadline': hạn giao xuống phải trước hạn của đơn vị (%s)",
	                    "field 'deadline': a delegated deadline must come before the unit's own (%s)",
	                    own);
}

int directive_deadline_check(int32_t issued_on, int32_t deadline, const char *field,
                             struct error *err)
{
	if (deadline >= issued_on)
		return 0;
	return error_set_at(err, THC_EUNPROCESSABLE, field,
	                    "trường '%s': hạn trước ngày ban hành", "field '%s': deadline before the issue date",
	                    field);
}

/* The item whose unit delegated item j's task: the parent task, assigned
 * to j's issuer.  -1 if none. */
static long directive_parent_of(const struct directive_item *items, size_t n, size_t j)
{
	if (items[j].parent_task_id == 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (items[i].task_id == items[j].parent_task_id &&
		    strcmp(items[i].unit_code, items[j].issuer_code) == 0)
			return (long)i;
	return -1;
}

void directive_rollup(struct directive_item *items, size_t n, int32_t asof)
{
	for (size_t i = 0; i < n; i++) {
		items[i].status = directive_status(items[i].deadline, items[i].done_on, asof);
		items[i].below_total = items[i].below_done = items[i].below_overdue = 0;
	}
	for (size_t j = 0; j < n; j++) {
		/* Up the chain; the depth is bounded by the levels, the guard
		 * by n in case the rows loop. */
		long p = directive_parent_of(items, n, j);

		for (size_t hops = 0; p >= 0 && hops < n; hops++) {
			items[p].below_total++;
			items[p].below_done += items[j].status == DIRECTIVE_DONE;
			items[p].below_overdue += items[j].status == DIRECTIVE_OVERDUE;
			p = directive_parent_of(items, n, (size_t)p);
		}
	}
}

enum directive_status directive_superseded(enum directive_status s)
{
	return s == DIRECTIVE_OVERDUE ? DIRECTIVE_OPEN : s;
}

void directive_supersede(struct directive_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		items[i].status = directive_superseded(items[i].status);
		items[i].below_overdue = 0;
	}
}

static int directive_period_bad(const char *period, struct error *err)
{
	return error_set_at(err, THC_EUNPROCESSABLE, "period",
	                    "trường 'period': '%.20s' không phải tháng (2021-10), quý (2021-Q4) hay năm (2021)",
	                    "field 'period': '%.20s' is not a month (2021-10), quarter (2021-Q4) or year (2021)",
	                    period ? period : "");
}

static int directive_digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int directive_period_parse(const char *period, enum keytask_period *kind, int32_t *first,
                           int32_t *last, struct error *err)
{
	size_t len = period ? strlen(period) : 0;
	int year, m0, m1, x;

	if (len < 4 || directive_digits(period, 4, &year) < 0 || year < 2020 || year > 2100)
		return directive_period_bad(period, err);
	if (len == 4) {
		*kind = KEYTASK_YEAR;
		m0 = 1, m1 = 12;
	} else if (len == 7 && period[4] == '-' && period[5] == 'Q' &&
	           directive_digits(period + 6, 1, &x) == 0 && x >= 1 && x <= 4) {
		*kind = KEYTASK_QUARTER;
		m0 = 3 * x - 2, m1 = 3 * x;
	} else if (len == 7 && period[4] == '-' && directive_digits(period + 5, 2, &x) == 0 &&
	           x >= 1 && x <= 12) {
		*kind = KEYTASK_MONTH;
		m0 = m1 = x;
	} else {
		return directive_period_bad(period, err);
	}
	*first = vndate_to_days((struct vndate){ .year = year, .month = m0, .day = 1 });
	/* The day before the first of the next month. */
	*last = (m1 == 12 ? vndate_to_days((struct vndate){ .year = year + 1, .month = 1, .day = 1 })
	                  : vndate_to_days((struct vndate){ .year = year, .month = m1 + 1, .day = 1 })) - 1;
	return 0;
}

const char *directive_period_kind_name(enum keytask_period k)
{
	return k == KEYTASK_MONTH ? "month" : k == KEYTASK_QUARTER ? "quarter" : "year";
}

const char *directive_keytask_suggest(double target, double progress)
{
	if (progress > target)
		return "exceeded";
	return progress >= target ? "met" : "not_met";
}
