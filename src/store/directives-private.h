/* What directives.c, directive_read.c and keytasks.c share. */
#ifndef THC_STORE_DIRECTIVES_PRIVATE_H
#define THC_STORE_DIRECTIVES_PRIVATE_H

#include "domain/role.h"
#include "store/directives.h"
#include "store/store-private.h"

#define DIR_ROLES ROLE_MASK_OFFICIALS
#define DIR_PATH_MAX 128

/* May the caller see directive `d` (SQL alias): the issuing chain (scope
 * over its issuer), or a unit with a task row of it in scope.  uid and
 * roles are the placeholders bound to the caller. */
#define DIR_VISIBLE_SQL(d, uid, roles) \
	"(" SCOPE_SQL(d ".issuer_path", uid, roles) " OR EXISTS (SELECT 1" \
	" FROM task_units vtu JOIN directive_tasks vt ON vt.id = vtu.task_id" \
	" WHERE vt.directive_id = " d ".id AND " SCOPE_SQL("vtu.unit_path", uid, roles) "))"
/* 1 when directive `d` (SQL alias) has been replaced by another. */
#define DIR_REPLACED_SQL(d) \
	"EXISTS (SELECT 1 FROM directive_links rl WHERE rl.to_id = " d ".id" \
	" AND rl.kind = 'replaces')"

/* 0 if the caller may see the directive, THC_ENOTFOUND otherwise. */
int store_directive_visible(struct store *st, const struct store_actor *actor, int64_t id,
                            struct error *err);

/* A YYYY-MM-DD already checked by the reader, as days (DIRECTIVE_DAY_NONE if not one). */
int32_t store_directive_day(const char *iso);
/* 0 if the actor is an official granted on the unit itself (or the system);
 * THC_EFORBIDDEN otherwise: a unit answers for its own tasks. */
int store_directive_own_unit(struct store *st, const struct store_actor *actor,
                             const char *unit_code, struct error *err);

#endif
