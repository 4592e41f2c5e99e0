#include <stdio.h>
#include <string.h>

#include "domain/role.h"
#include "base/banned.h"

static const struct {
	const char *name, *vi, *en;
} roles[ROLE_COUNT] = {
#define X(id, name, vi, en) [ROLE_##id] = { name, vi, en },
	ROLE_LIST(X)
#undef X
};

/* Levels at which each role may be granted (bits of enum unit_level). */
#define LV(l) (1u << (l))
static const unsigned role_levels[ROLE_COUNT] = {
	[ROLE_ADMIN]            = LV(UNIT_COUNTRY) | LV(UNIT_PROVINCE) | LV(UNIT_DISTRICT),
	[ROLE_PROVINCE_OFFICER] = LV(UNIT_PROVINCE),
	[ROLE_DISTRICT_OFFICER] = LV(UNIT_DISTRICT),
	[ROLE_COMMUNE_OFFICER]  = LV(UNIT_COMMUNE),
	[ROLE_TEAM_MEMBER]      = LV(UNIT_HAMLET),
	[ROLE_HEALTH_WORKER]    = LV(UNIT_PROVINCE) | LV(UNIT_DISTRICT) | LV(UNIT_COMMUNE),
	[ROLE_CITIZEN]          = LV(UNIT_COMMUNE) | LV(UNIT_HAMLET) | LV(UNIT_HOUSEHOLD),
	[ROLE_BUSINESS]         = LV(UNIT_DISTRICT) | LV(UNIT_COMMUNE),
};

int role_from_name(const char *name)
{
	for (int i = 0; name && i < ROLE_COUNT; i++)
		if (strcmp(name, roles[i].name) == 0)
			return i;
	return -1;
}

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].name : "?";
}

const char *role_title(enum role r, int english)
{
	if ((unsigned)r >= ROLE_COUNT)
		return "?";
	return english ? roles[r].en : roles[r].vi;
}

void role_mask_names(unsigned mask, char *out, size_t outsz)
{
	size_t n = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (int i = 0; i < ROLE_COUNT; i++) {
		int k;

		if (!(mask & ROLE_BIT(i)))
			continue;
		k = snprintf(out + n, outsz - n, "%s%s", n ? "," : "", roles[i].name);
		if (k < 0 || (size_t)k >= outsz - n)
			break;
		n += (size_t)k;
	}
}

int role_check_scope_level(enum role r, enum unit_level lvl, struct error *err)
{
	if ((unsigned)r < ROLE_COUNT && (role_levels[r] & LV(lvl)))
		return 0;
	return error_set(err, THC_EUNPROCESSABLE,
	                 "vai trò '%s' không thể gán cho đơn vị cấp %s",
	                 "role '%s' cannot be granted on a unit of level %s",
	                 role_name(r), unit_level_name(lvl));
}

int role_supervised_level(enum role r)
{
	/* Bến Tre's "nắm": province grasps commune, district grasps hamlet,
	 * commune grasps household. */
	switch (r) {
	case ROLE_PROVINCE_OFFICER: return UNIT_COMMUNE;
	case ROLE_DISTRICT_OFFICER: return UNIT_HAMLET;
	case ROLE_COMMUNE_OFFICER:  return UNIT_HOUSEHOLD;
	default:                    return -1;
	}
}
