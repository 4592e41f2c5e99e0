/*
 * A province's own feedback categories (fbcatalog.c), beside the national
 * ones of data/feedback.json: a province official adds them; they take
 * requests only in that province; anyone may list them (no personal data).
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
};

/* Adds c (checked by the caller) for its province: the actor must hold the
 * province in its scope as an official (404 otherwise, as elsewhere); the
 * unit must be a province (422 naming province_code); a code the nation or
 * the province already uses → THC_ECONFLICT naming code; more than
 * FBCAT_PER_PROVINCE_MAX → THC_ECONFLICT.  Audit "feedback.category.add". */
int store_fbcat_add(struct store *st, const struct store_actor *actor,
                    const struct feedback_rules *rules, struct fbcat_item *c, struct error *err);
/* The categories of the province of `unit` (any unit in it); none for an
 * unknown unit.  Public. */
int store_fbcat_list(struct store *st, const char *unit, struct arena *a,
                     struct fbcat_item **out, size_t *n, struct error *err);
/* The category `code` of province `province`: 1 found (in *out), 0 none. */
int store_fbcat_find(struct store *st, const char *province, const char *code, struct arena *a,
                     struct fbcat_item *out, struct error *err);
/* Does any province have a category `code`?  1 yes, 0 no. */
int store_fbcat_exists(struct store *st, const char *code, struct error *err);

#endif
