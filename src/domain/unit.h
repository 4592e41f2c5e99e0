/*
 * The administrative hierarchy: country → province → district → commune →
 * hamlet → household.  Provinces, districts and communes carry GSO codes;
 * hamlets and households get codes derived from their commune's.
 */
#ifndef THC_UNIT_H
#define THC_UNIT_H

#include <stddef.h>
#include "base/error.h"

enum unit_level {
	UNIT_COUNTRY,
	UNIT_PROVINCE,
	UNIT_DISTRICT,
	UNIT_COMMUNE,
	UNIT_HAMLET,
	UNIT_HOUSEHOLD,
	UNIT_LEVEL_COUNT
};

#define UNIT_COUNTRY_CODE "VN"
#define UNIT_CODE_MAX 32
#define UNIT_NAME_MAX 200         /* bytes */
#define UNIT_POPULATION_MAX 2000000000LL  /* more than any unit of Việt Nam will hold */
#define UNIT_HAMLET_SEQ_MAX 999
#define UNIT_HOUSEHOLD_SEQ_MAX 9999

int unit_level_from_name(const char *name);       /* enum unit_level or -1 */
const char *unit_level_name(enum unit_level l);
const char *unit_level_title(enum unit_level l, int english);
/* Public levels are readable without login: province, district, commune. */
int unit_level_is_public(enum unit_level l);

/* Checks that code has the shape of its level; 0 or THC_EINVAL with a message. */
int unit_code_check(const char *code, enum unit_level l, struct error *err);
/* The level a code's shape implies, or -1. */
int unit_code_level(const char *code);
/* Code of the seq-th child of a commune (hamlet) or hamlet (household). */
int unit_child_code(const char *parent_code, enum unit_level child, int seq,
                    char *out, size_t outsz, struct error *err);
/* The n-th code of a materialized path "/01/001/00001/..." (1: the
 * province, 2: the district, 3: the commune): 0; 1 with out "" when the
 * path is shorter; -1 with out "" when it is malformed or the code does
 * not fit in outsz (a cut code would name another unit).  The one parser
 * of paths for every module. */
int unit_path_code(const char *path, int n, char *out, size_t outsz);
/* Materialized path "/01/001/00001/" of a child given its parent's path. */
int unit_child_path(const char *parent_path, const char *code, char *out,
                    size_t outsz);

/* Hamlet types (thôn, ấp, bản, tổ dân phố, khu phố...), matched with or
 * without diacritics: index >= 0, or THC_EUNPROCESSABLE naming the field. */
int unit_hamlet_type_check(const char *type, struct error *err);
const char *unit_hamlet_type_name(int i);     /* canonical spelling */

/* Checks a unit name: non-empty after trim, valid UTF-8, <= UNIT_NAME_MAX. */
int unit_name_check(const char *name, struct error *err);

#endif
