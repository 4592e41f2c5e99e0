/*
 * Inspection checklist templates as data, tax codes, follow-up status.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/inspection.h"
#include "base/banned.h"

struct insp_templates {
	size_t n;
	struct insp_template t[INSP_TEMPLATES_MAX];
};

int insp_templates_new(struct insp_templates **out, struct error *err)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	return 0;
}

void insp_templates_free(struct insp_templates *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->t[i].name_vi);
		free(t->t[i].name_en);
		for (size_t k = 0; k < t->t[i].nitems; k++) {
			free(t->t[i].items[k].vi);
			free(t->t[i].items[k].en);
		}
	}
	free(t);
}

/* A non-empty string member of at most max bytes, copied; NULL otherwise. */
static char *insp_text(json_t *o, const char *name, size_t max)
{
	const char *s = json_string_value(json_object_get(o, name));
	size_t n = s ? strlen(s) : 0;
	char *c;

	if (n == 0 || n > max || (c = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(c, s, n + 1);
	return c;
}

/* A code: [a-z0-9_], 1 to INSP_CODE_MAX - 1 characters. */
static int insp_code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n >= INSP_CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static int insp_item_read(struct insp_template *tp, json_t *o, size_t i, struct error *err)
{
	const char *id = json_string_value(json_object_get(o, "id"));
	struct insp_item *it = &tp->items[tp->nitems];

	if (!insp_code_ok(id))
		return error_set(err, THC_EUNPROCESSABLE, "mục %zu: 'id' phải là mã [a-z0-9_]",
		                 "item %zu: 'id' must be a code [a-z0-9_]", i);
	if (insp_item_find(tp, id))
		return error_set(err, THC_EUNPROCESSABLE, "mục %zu: mã '%s' bị trùng",
		                 "item %zu: id '%s' is repeated", i, id);
	memcpy(it->id, id, strlen(id) + 1);
	it->vi = insp_text(o, "vi", INSP_TEXT_MAX);
	it->en = insp_text(o, "en", INSP_TEXT_MAX);
	tp->nitems++;
	if (it->vi == NULL || it->en == NULL)
		return error_set(err, THC_EUNPROCESSABLE, "mục %zu: cần 'vi' và 'en'",
		                 "item %zu: 'vi' and 'en' are required", i);
	return 0;
}

static int insp_template_read(struct insp_templates *t, json_t *doc, struct error *err)
{
	const char *code = json_string_value(json_object_get(doc, "code"));
	const char *target = json_string_value(json_object_get(doc, "target"));
	json_t *items = json_object_get(doc, "items"), *name = json_object_get(doc, "name"), *o;
	struct insp_template *tp;
	size_t i;
	int rc;

	if (!insp_code_ok(code))
		return error_set(err, THC_EUNPROCESSABLE, "'code' phải là mã [a-z0-9_]",
		                 "'code' must be a code [a-z0-9_]");
	if (insp_template_find(t, code))
		return error_set(err, THC_EUNPROCESSABLE, "mẫu '%s' bị trùng",
		                 "template '%s' is repeated", code);
	if (t->n == INSP_TEMPLATES_MAX)
		return error_set(err, THC_ETOOBIG, "quá %d mẫu", "more than %d templates",
		                 INSP_TEMPLATES_MAX);
	if (target == NULL || (strcmp(target, "business") != 0 && strcmp(target, "unit") != 0))
		return error_set(err, THC_EUNPROCESSABLE, "'target' phải là business hoặc unit",
		                 "'target' must be business or unit");
	if (!json_is_array(items) || json_array_size(items) == 0 ||
	    json_array_size(items) > INSP_ITEMS_MAX)
		return error_set(err, THC_EUNPROCESSABLE, "'items' phải có 1 đến %d mục",
		                 "'items' must hold 1 to %d items", INSP_ITEMS_MAX);
	tp = &t->t[t->n++];
	memcpy(tp->code, code, strlen(code) + 1);
	tp->business = strcmp(target, "business") == 0;
	tp->name_vi = insp_text(name, "vi", INSP_TEXT_MAX);
	tp->name_en = insp_text(name, "en", INSP_TEXT_MAX);
	if (tp->name_vi == NULL || tp->name_en == NULL)
		return error_set(err, THC_EUNPROCESSABLE, "'name' cần 'vi' và 'en'",
		                 "'name' needs 'vi' and 'en'");
	json_array_foreach(items, i, o)
		if ((rc = insp_item_read(tp, o, i, err)) < 0)
			return rc;
	return 0;
}

int insp_templates_add(struct insp_templates *t, const char *text, size_t len,
                       struct error *err)
{
	json_error_t je;
	json_t *doc;
	int rc;

	if (len > INSP_TEMPLATE_MAX_BYTES)
		return error_set(err, THC_ETOOBIG, "mẫu kiểm tra lớn hơn %d byte",
		                 "the inspection template is larger than %d bytes",
		                 INSP_TEMPLATE_MAX_BYTES);
	if ((doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return error_set(err, THC_EUNPROCESSABLE, "JSON không hợp lệ ở dòng %d: %s",
		                 "malformed JSON at line %d: %s", je.line, je.text);
	rc = insp_template_read(t, doc, err);
	json_decref(doc);
	return rc;
}

const struct insp_template *insp_template_find(const struct insp_templates *t,
                                               const char *code)
{
	for (size_t i = 0; t && code && i < t->n; i++)
		if (strcmp(t->t[i].code, code) == 0)
			return &t->t[i];
	return NULL;
}

const struct insp_template *insp_template_at(const struct insp_templates *t, size_t i)
{
	return t && i < t->n ? &t->t[i] : NULL;
}

const struct insp_item *insp_item_find(const struct insp_template *tp, const char *id)
{
	for (size_t i = 0; tp && id && i < tp->nitems; i++)
		if (strcmp(tp->items[i].id, id) == 0)
			return &tp->items[i];
	return NULL;
}

static int insp_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int insp_tax_code_check(const char *field, const char *v, struct error *err)
{
	size_t n = v ? strlen(v) : 0;

	if ((n == 10 && insp_digits(v, 10)) ||
	    (n == 14 && insp_digits(v, 10) && v[10] == '-' && insp_digits(v + 11, 3)))
		return 0;
	return error_set_at(err, THC_EUNPROCESSABLE, field,
	                    "trường '%s': mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số (0123456789 hoặc 0123456789-001)",
	                    "field '%s': a tax code is 10 digits, or 10 digits, '-' and 3 digits (0123456789 or 0123456789-001)",
	                    field);
}

enum insp_action_status insp_action_status(const char *deadline, const char *done_on,
                                           const char *today)
{
	if (done_on && *done_on)
		return INSP_ACTION_DONE;
	/* ISO dates compare as strings. */
	return strcmp(today, deadline) > 0 ? INSP_ACTION_OVERDUE : INSP_ACTION_OPEN;
}

const char *insp_action_status_name(enum insp_action_status s)
{
	switch (s) {
	case INSP_ACTION_DONE: return "done";
	case INSP_ACTION_OVERDUE: return "overdue";
	case INSP_ACTION_OPEN: break;
	}
	return "open";
}
