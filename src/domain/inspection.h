/*
 * Inspections (thanh tra, kiểm tra): checklist templates read from data
 * (the JSON files of data/inspections), the check of a Vietnamese tax code, the status
 * of a follow-up action on a day.  Pure: jansson and base only.
 *
 * A template file: {"code":"business_covid","name":{"vi":..,"en":..},
 * "target":"business"|"unit","items":[{"id":"mask","vi":..,"en":..}]}.
 */
#ifndef THC_DOMAIN_INSPECTION_H
#define THC_DOMAIN_INSPECTION_H

#include <stddef.h>
#include "base/error.h"

#define INSP_TEMPLATES_MAX 32
#define INSP_ITEMS_MAX 64
#define INSP_CODE_MAX 40            /* template and item codes, with the NUL */
#define INSP_TEXT_MAX 400           /* an item's text, bytes */
#define INSP_TEMPLATE_MAX_BYTES (64 * 1024)
#define INSP_TAX_CODE_MAX 15        /* "0123456789-001" and the NUL */

struct insp_item {
	char id[INSP_CODE_MAX];
	char *vi, *en;
};

struct insp_template {
	char code[INSP_CODE_MAX];
	char *name_vi, *name_en;
	int business;                   /* 1: for a business, 0: for a unit */
	size_t nitems;
	struct insp_item items[INSP_ITEMS_MAX];
};

struct insp_templates;

int insp_templates_new(struct insp_templates **out, struct error *err);
/* Adds the template in text (one file's bytes); a repeated code, a
 * repeated item id or a missing text is refused, naming it. */
int insp_templates_add(struct insp_templates *t, const char *text, size_t len,
                       struct error *err);
void insp_templates_free(struct insp_templates *t);
const struct insp_template *insp_template_find(const struct insp_templates *t,
                                               const char *code);
/* The i-th template in the order added; NULL past the end. */
const struct insp_template *insp_template_at(const struct insp_templates *t, size_t i);
const struct insp_item *insp_item_find(const struct insp_template *tp, const char *id);

/* A Vietnamese tax code (mã số thuế): 10 digits, or 10 digits, a dash and
 * 3 digits (a branch).  A field check (api/field.h): 0 or
 * THC_EUNPROCESSABLE naming `field`. */
int insp_tax_code_check(const char *field, const char *v, struct error *err);

enum insp_action_status { INSP_ACTION_OPEN, INSP_ACTION_DONE, INSP_ACTION_OVERDUE };
/* A follow-up on `today` (all YYYY-MM-DD, days in Asia/Ho_Chi_Minh): done
 * once done_on is set (not NULL), overdue from the day after the deadline. */
enum insp_action_status insp_action_status(const char *deadline, const char *done_on,
                                           const char *today);
const char *insp_action_status_name(enum insp_action_status s);

#endif
