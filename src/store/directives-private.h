/* What directives.c, directive_read.c and keytasks.c share. */
#ifndef THC_STORE_DIRECTIVES_PRIVATE_H
#define THC_STORE_DIRECTIVES_PRIVATE_H

#include "domain/role.h"
#include "store/directives.h"
#include "store/store-private.h"

#define DIR_ROLES ROLE_MASK_OFFICIALS
#define DIR_PATH_MAX 128

/* A YYYY-MM-DD already checked by the reader, as days (DIRECTIVE_DAY_NONE if not one). */
int32_t store_directive_day(const char *iso);
/* 0 if the actor is an official granted on the unit itself (or the system);
 * THC_EFORBIDDEN otherwise: a unit answers for its own tasks. */
int store_directive_own_unit(struct store *st, const struct store_actor *actor,
                             const char *unit_code, struct error *err);

#endif
