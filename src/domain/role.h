/*
 * Roles and what each may do.  Every grant of a role carries a scope unit;
 * the role says at which level that unit may be.
 */
#ifndef THC_ROLE_H
#define THC_ROLE_H

#include "domain/unit.h"

#define ROLE_LIST(X) \
	X(ADMIN,            "admin",            "Quản trị hệ thống",         "Administrator") \
	X(PROVINCE_OFFICER, "province_officer", "Cán bộ cấp tỉnh",           "Province officer") \
	X(DISTRICT_OFFICER, "district_officer", "Cán bộ cấp huyện",          "District officer") \
	X(COMMUNE_OFFICER,  "commune_officer",  "Cán bộ cấp xã",             "Commune officer") \
	X(TEAM_MEMBER,      "team_member",      "Tổ COVID cộng đồng",        "Community COVID team member") \
	X(HEALTH_WORKER,    "health_worker",    "Nhân viên y tế",            "Health worker") \
	X(CITIZEN,          "citizen",          "Người dân",                 "Citizen") \
	X(BUSINESS,         "business",         "Doanh nghiệp",              "Business")

enum role {
#define X(id, name, vi, en) ROLE_##id,
	ROLE_LIST(X)
#undef X
	ROLE_COUNT
};

#define ROLE_BIT(r) (1u << (r))
#define ROLE_MASK_OFFICIALS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PROVINCE_OFFICER) | \
                             ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_COMMUNE_OFFICER))
/* Who may create hamlets (and edit the unit tree below the commune). */
#define ROLE_MASK_UNIT_WRITE ROLE_MASK_OFFICIALS
/* Who may create households: officials and the hamlet's community team. */
#define ROLE_MASK_HOUSEHOLD_WRITE (ROLE_MASK_OFFICIALS | ROLE_BIT(ROLE_TEAM_MEMBER))
/* Who may read the audit trail of a scope. */
#define ROLE_MASK_AUDIT_READ ROLE_MASK_OFFICIALS
/* Who may assign units to follow, and be assigned. */
#define ROLE_MASK_SUPERVISE (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PROVINCE_OFFICER) | \
                             ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_COMMUNE_OFFICER))
/* Who may read and write personal surveillance records (names, ID numbers). */
#define ROLE_MASK_PERSONAL (ROLE_MASK_OFFICIALS | ROLE_BIT(ROLE_HEALTH_WORKER))
/* Who may see households (family names, addresses, members) in scope; a
 * citizen sees the household of its own grant. */
#define ROLE_MASK_HOUSEHOLD_READ (ROLE_MASK_PERSONAL | ROLE_BIT(ROLE_TEAM_MEMBER))
#define ROLE_MASK_ALL ((1u << ROLE_COUNT) - 1)

int role_from_name(const char *name);           /* enum role, or -1 */
const char *role_name(enum role r);
const char *role_title(enum role r, int english);
/* "admin,commune_officer" for a mask: the form the store compares against. */
void role_mask_names(unsigned mask, char *out, size_t outsz);
/* May role r be granted on a unit of this level?  0 or THC_EUNPROCESSABLE. */
int role_check_scope_level(enum role r, enum unit_level lvl, struct error *err);
/* The level an official of role r follows (two levels below r's own), or -1. */
int role_supervised_level(enum role r);

#endif
