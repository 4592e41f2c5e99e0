/*
 * Zoning (khoanh vùng, phong tỏa): pure rules.  A blockade covers the
 * smallest unit that fits — a household, a hamlet or a commune — or a named
 * area inside one, and may end only some days after the last case in that
 * unit's subtree unless an official gives a reason to end it earlier.
 * Days are counted from 1970-01-01 (vntime.h).  No I/O, no clock.
 */
#ifndef THC_ZONE_H
#define THC_ZONE_H

#include <stdint.h>
#include "base/error.h"
#include "domain/unit.h"

/* Days a zone stays after its last case unless overridden: 14, two
 * incubation periods' worth of follow-up as the Ministry's guidance asked. */
#define ZONE_END_DAYS_DEFAULT 14
#define ZONE_END_DAYS_MAX 60
#define ZONE_AREA_NAME_MAX 200      /* bytes */
#define ZONE_REASON_MAX 2000        /* bytes */

/* The end rule a server runs with (thichung serve --zone-end-days N). */
struct zone_rule {
	int end_days;               /* 0..ZONE_END_DAYS_MAX */
};
#define ZONE_RULE_INIT { ZONE_END_DAYS_DEFAULT }

/* Household, hamlet or commune: 0, else THC_EUNPROCESSABLE naming 'unit_code'. */
int zone_check_unit_level(enum unit_level lvl, struct error *err);
/* started <= planned_end (planned_end < 0: none); errors name the field. */
int zone_check_dates(int32_t started, int32_t planned_end, struct error *err);

/*
 * May a zone that started on `started` end on `ended`?  last_case is the day
 * of the latest case in the zone unit's subtree (< 0: none).  An end earlier
 * than rule->end_days after the last case needs an override reason.
 * Returns 0 (allowed), 1 (allowed only because of the override: audit it as
 * one), or THC_EUNPROCESSABLE with the days and the earliest day in the
 * message.  rule may be NULL (the default).
 */
int zone_check_end(const struct zone_rule *rule, int32_t started, int32_t ended,
                   int32_t last_case, const char *override_reason,
                   struct error *err);

#endif
