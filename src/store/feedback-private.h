/*
 * What the feedback store files (feedback.c, feedback_escalate.c,
 * feedback_reassign.c, fbcatalog.c) share: who handles a request, in SQL.
 */
#ifndef THC_STORE_FEEDBACK_PRIVATE_H
#define THC_STORE_FEEDBACK_PRIVATE_H

#include "domain/feedback.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/store-private.h"

#define FB_ROLES ROLE_MASK_OFFICIALS

/* Officials in scope of the responsible or the assigned unit ($U uid, $R roles). */
#define FB_SCOPE(uid, roles) \
	"(" SCOPE_SQL("f.unit_path", uid, roles) " OR (f.assigned_path IS NOT NULL AND " \
	SCOPE_SQL("f.assigned_path", uid, roles) "))"

struct feedback_rules;
struct feedback_category;

/* A category of the province of `path` (any unit's path: its first
 * segment), fbcatalog.c: 1 with *c filled (strings in arena a; its
 * department at every level), 0 none; a retired one only when !active. */
int fbcat_category(struct store *st, const char *path, const char *code, int active,
                   struct arena *a, struct feedback_category *c, struct error *err);
/* The answer period of category `code`, national or the province's of
 * `path`; FEEDBACK_DAYS_MAX when it is gone. */
int fbcat_days(struct store *st, const struct feedback_rules *rules, const char *code,
               const char *path, int *days, struct error *err);

/* Shared by feedback.c and feedback_escalate.c: a day as YYYY-MM-DD, a
 * history row, a unit's materialized path. */
void fb_day_iso(int32_t day, char out[11]);
int fb_event_add(struct store *st, const struct store_actor *actor, int64_t id,
                 const char *action, const char *status, const char *unit,
                 const char *note, struct error *err);
int fb_unit_path(struct store *st, const char *code, char path[128], struct error *err);

/* Shared with feedback_reassign.c: 404 naming the request; its status,
 * responsible unit's path and code, in the actor's scope, and the status
 * `action` (enum feedback_action) takes it to (THC_ECONFLICT otherwise). */
int fb_not_found(int64_t id, struct error *err);
int fb_act_load(struct store *st, const struct store_actor *actor, int64_t id, int action,
                char status[16], char unit_path[128], char unit[UNIT_CODE_MAX],
                enum feedback_status *to, struct error *err);

#endif
