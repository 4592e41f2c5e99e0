/*
 * A province's own feedback categories (fbcatalog.c), beside the national
 * ones of data/feedback.json: a province official adds, edits and retires
 * them (retired: kept for the requests that have it, offered to no new
 * one); they take requests only in that province; anyone may list them
 * (no personal data).
 * Strings returned live in the caller's arena.
 */
#ifndef THC_STORE_FBCATALOG_H
#define THC_STORE_FBCATALOG_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;
struct feedback_rules;

#define FBCAT_PER_PROVINCE_MAX 64
#define FBCAT_DEPARTMENT_MAX 200

struct fbcat_item {
	int64_t id;
	const char *province_code;
	const char *code;            /* lower-case letters, digits, '_' (FEEDBACK_CODE_MAX) */
	const char *name_vi, *name_en;
	int64_t days;                /* working days, 1..FEEDBACK_DAYS_MAX */
	const char *level;           /* "province", "district" or "commune" */
	const char *department;      /* the department that answers for it */
	int64_t retired_at_ms;       /* 0: in use */
};

/* Adds c (checked by the caller) for its province: the actor must hold the
 * province in its scope as an official (404 otherwise, as elsewhere); the
 * unit must be a province (422 naming province_code); a code the nation or
 * the province already uses → THC_ECONFLICT naming code; more than
 * FBCAT_PER_PROVINCE_MAX → THC_ECONFLICT.  Audit "feedback.category.add". */
int store_fbcat_add(struct store *st, const struct store_actor *actor,
                    const struct feedback_rules *rules, struct fbcat_item *c, struct error *err);
/* Changes the names, days and department of the province's category
 * c->code (c->level is left as it is and filled in, in arena a): the actor as for
 * store_fbcat_add (404 outside its scope, or no such category); a retired
 * one → THC_ECONFLICT.  Audit "feedback.category.edit" with before/after. */
int store_fbcat_edit(struct store *st, const struct store_actor *actor, struct arena *a,
                     struct fbcat_item *c, struct error *err);
/* Retires the category (never deleted: the requests keep it); *c gets it
 * as it is now.  Already retired → THC_ECONFLICT.  Audit
 * "feedback.category.retire". */
int store_fbcat_retire(struct store *st, const struct store_actor *actor, const char *province,
                       const char *code, struct arena *a, struct fbcat_item *c,
                       struct error *err);
/* The categories of the province of `unit` (any unit in it), those in use
 * or (`all`) the retired ones too; none for an unknown unit.  Public. */
int store_fbcat_list(struct store *st, const char *unit, int all, struct arena *a,
                     struct fbcat_item **out, size_t *n, struct error *err);
/* The category `code` of province `province`, retired or (`active`) not:
 * 1 found (in *out), 0 none. */
int store_fbcat_find(struct store *st, const char *province, const char *code, int active,
                     struct arena *a, struct fbcat_item *out, struct error *err);
/* Does the province of `unit` (any unit in it) have category `code` in
 * use?  1 yes, 0 no. */
int store_fbcat_offered(struct store *st, const char *unit, const char *code,
                        struct error *err);
/* Does any province have a category `code`?  1 yes, 0 no. */
int store_fbcat_exists(struct store *st, const char *code, struct error *err);

#endif
