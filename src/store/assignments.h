/*
 * Supervision assignments (assignments.c, Bến Tre Plan 23 "nắm"): an
 * official follows units two levels below their own and reports on them.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 */
#ifndef THC_STORE_ASSIGNMENTS_H
#define THC_STORE_ASSIGNMENTS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

#define ASSIGNMENT_NOTE_MAX 2000   /* bytes of a note or a report */

struct assignment {
	int64_t id;
	const char *username;       /* the official who follows the unit */
	const char *unit_code;
	const char *unit_name;
	const char *unit_level;
	const char *assigned_by;
	int64_t created_at_ms;
	const char *note;
	/* latest report, NULL/0 when none yet */
	const char *status;
	const char *status_note;
	int64_t status_at_ms;
};
/* The official needs a grant of a supervising role; the unit must lie two
 * levels below that grant and inside it; the actor must have authority. */
int store_assignment_create(struct store *st, const struct store_actor *actor,
                            const char *username, const char *unit_code,
                            const char *note, int64_t *id, struct error *err);
int store_assignments_of(struct store *st, int64_t user_id, struct arena *a,
                         struct assignment **out, size_t *n, struct error *err);
/* The assigned official reports the unit's status (stable|attention|urgent). */
int store_assignment_report(struct store *st, const struct store_actor *actor,
                            int64_t assignment_id, const char *status,
                            const char *note, struct error *err);

#endif
