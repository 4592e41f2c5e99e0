/*
 * Weekly figures another system reported (a DHIS2 import, store/reported.h)
 * in the level assessment from surveillance (docs/levels.md "Figures
 * reported through DHIS2").  A unit that reports only through DHIS2 has no
 * case records, and counting none would call it a week without cases: the
 * lowest level by default.  So for each week the unit reported, its report
 * stands for the unit's own total, as the DHIS2 export already gives it:
 * community cases (criterion 1 of 4800 and 218: the rule's numerator,
 * quarantine cases left out), oxygen cases and deaths (218).  The report's
 * all-cases figure is never used for criterion 1 (it holds quarantine
 * cases); a figure the report lacks for a reported week is missing, so the
 * level says which input it could not assess instead of assuming 0.
 */
#include <string.h>

#include "api/api.h"
#include "base/vntime.h"
#include "store/levels.h"
#include "store/reported.h"
#include "base/banned.h"

/* The Monday of the week ending on the Sunday `sunday` (YYYY-MM-DD). */
static void reported_monday(const char *sunday, char out[11])
{
	struct vndate d;

	if (vndate_parse(sunday, &d) < 0) {
		out[0] = '\0';
		return;
	}
	vndate_format_iso(vndate_from_days(vndate_to_days(d) - 6), out, 11);
}

/* One week's three figures into *cases, *oxygen, *deaths (when given). */
static int reported_week(const struct reported_value *v, size_t n, const char *monday,
                         int64_t *cases, int64_t *oxygen, int64_t *deaths)
{
	int any = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].week_start, monday) != 0)
			continue;
		if (!any) {     /* a reported week: what the report lacks is missing */
			*cases = -1;
			if (oxygen)
				*oxygen = *deaths = -1;
			any = 1;
		}
		if (strcmp(v[i].indicator, "community_cases") == 0)
			*cases = v[i].value;
		else if (oxygen && strcmp(v[i].indicator, "oxygen_cases") == 0)
			*oxygen = v[i].value;
		else if (oxygen && strcmp(v[i].indicator, "deaths") == 0)
			*deaths = v[i].value;
	}
	return any;
}

int api_levels_reported(struct api_ctx *r, struct level_indicators *x, const char *prev_end,
                        int *used)
{
	struct reported_value *v;
	char mon[11], prev_mon[11];
	size_t n;
	int rc;

	*used = 0;
	reported_monday(x->week_end, mon);
	reported_monday(prev_end, prev_mon);
	if ((rc = store_reported_list(r->st, x->unit_code, prev_mon, mon, r->arena, &v, &n,
	                              &r->err)) < 0)
		return rc;
	if (reported_week(v, n, mon, &x->cases_week, &x->oxygen_cases_week, &x->deaths_week))
		*used |= 1;
	if (reported_week(v, n, prev_mon, &x->cases_prev_week, NULL, NULL))
		*used |= 2;
	return 0;
}
