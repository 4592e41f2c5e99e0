/*
 * Inspections (inspections.c): a plan for one target (a unit, or a business
 * by its tax code located in a unit), its team, findings per checklist
 * item, the conclusion and follow-up actions with deadlines.
 *
 * Scope: officials (ROLE_MASK_OFFICIALS) whose grant holds the issuing unit
 * (the issuing chain) read and write it; officials whose grant holds the
 * target unit read it once it is concluded, or at once when it is public,
 * and report follow-up actions done.  Anyone else gets THC_ENOTFOUND.
 * Every change is audited in its transaction.  Strings returned live in
 * the arena `a`; what is passed in is borrowed.
 */
#ifndef THC_STORE_INSPECTIONS_H
#define THC_STORE_INSPECTIONS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

#define INSP_MEMBERS_MAX 20
#define INSP_ACTIONS_MAX 50
#define INSP_LIST_MAX 500

struct insp_member { const char *name, *role; };
struct insp_finding { const char *item, *result, *note; };
struct insp_action {
	int64_t id;
	const char *description, *deadline, *done_on, *done_note;
};

struct inspection {
	int64_t id;
	const char *title, *issuer_code, *period_from, *period_to, *kind, *template_code;
	int is_public;
	const char *target_code, *tax_code, *business_name;  /* tax_code NULL: a unit */
	const char *status, *conclusion, *concluded_on;      /* "planned" or "concluded" */
	int64_t created_at_ms;
	struct insp_member *members;
	size_t nmembers;
	struct insp_finding *findings;  /* store_inspection_get only */
	size_t nfindings;
	struct insp_action *actions;
	size_t nactions;
};

/* A new plan: the actor's scope holds the issuer, the target lies in the
 * issuer's subtree.  Fills in id and status. */
int store_inspection_create(struct store *st, const struct store_actor *actor,
                            struct inspection *in, struct error *err);
/* Inspections the actor may read, newest first, without team or findings;
 * unit: the issuer or the target in that subtree (NULL: all). */
int store_inspection_list(struct store *st, const struct store_actor *actor, const char *unit,
                          struct arena *a, struct inspection **out, size_t *n,
                          struct error *err);
/* One inspection with its team, findings and actions. */
int store_inspection_get(struct store *st, const struct store_actor *actor, int64_t id,
                         struct arena *a, struct inspection *out, struct error *err);
/* Records (replaces) the findings of the given items; the issuing chain,
 * before the conclusion (THC_ECONFLICT after). */
int store_inspection_findings(struct store *st, const struct store_actor *actor, int64_t id,
                              const struct insp_finding *f, size_t n, struct error *err);
/* Concludes it with its follow-up actions; the issuing chain, once. */
int store_inspection_conclude(struct store *st, const struct store_actor *actor, int64_t id,
                              const char *conclusion, const char *concluded_on,
                              const struct insp_action *actions, size_t n, struct error *err);
/* A follow-up action done on done_on (the issuing chain or the target's
 * officials); again: THC_ECONFLICT. */
int store_inspection_action_done(struct store *st, const struct store_actor *actor,
                                 int64_t action_id, const char *done_on, const char *note,
                                 struct error *err);

#endif
