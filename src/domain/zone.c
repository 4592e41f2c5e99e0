/*
 * Zoning rules: which units a blockade may cover, and when it may end.
 */
#include <stdio.h>

#include "base/vntime.h"
#include "domain/zone.h"
#include "base/banned.h"

int zone_check_unit_level(enum unit_level lvl, struct error *err)
{
	if (lvl == UNIT_COMMUNE || lvl == UNIT_HAMLET || lvl == UNIT_HOUSEHOLD)
		return 0;
	return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
	                 "trường 'unit_code': chỉ phong tỏa hộ gia đình, thôn/tổ dân phố hoặc xã (hoặc một khu vực trong đó), không phải %s",
	                 "field 'unit_code': a zone covers a household, a hamlet or a commune (or an area inside one), not a %s",
	                 lvl > UNIT_COUNTRY && lvl < UNIT_LEVEL_COUNT ? unit_level_name(lvl) : "country");
}

int zone_check_dates(int32_t started, int32_t planned_end, struct error *err)
{
	if (planned_end >= 0 && planned_end < started)
		return error_set_at(err, THC_EUNPROCESSABLE, "planned_end",
		                 "trường 'planned_end': không được trước ngày bắt đầu (started_on)",
		                 "field 'planned_end': must not be before started_on");
	return 0;
}

int zone_check_end(const struct zone_rule *rule, int32_t started, int32_t ended,
                   int32_t last_case, const char *override_reason,
                   struct error *err)
{
	int days = rule ? rule->end_days : ZONE_END_DAYS_DEFAULT;
	char earliest[11], last[11];

	if (ended < started)
		return error_set_at(err, THC_EUNPROCESSABLE, "ended_on",
		                 "trường 'ended_on': không được trước ngày bắt đầu phong tỏa",
		                 "field 'ended_on': must not be before the zone's started_on");
	if (last_case < 0 || ended >= last_case + days)
		return 0;
	if (override_reason && override_reason[0])
		return 1;
	vndate_format_iso(vndate_from_days(last_case), last, sizeof(last));
	vndate_format_iso(vndate_from_days(last_case + days), earliest, sizeof(earliest));
	return error_set_at(err, THC_EUNPROCESSABLE, "ended_on",
	                 "trường 'ended_on': chưa đủ %d ngày kể từ ca bệnh cuối (%s); sớm nhất %s, hoặc cần 'override_reason'",
	                 "field 'ended_on': fewer than %d days since the last case (%s); earliest %s, or give 'override_reason'",
	                 days, last, earliest);
}
