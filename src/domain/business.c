/*
 * Businesses: the tax code, the 2194 index and its bands, the
 * reassessment date, and the rules file they come from.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/business.h"
#include "base/banned.h"

const char *const business_plan_kinds[] = {
#define X(id, name, vi, en) name,
	BUSINESS_PLAN_KIND_LIST(X)
#undef X
	NULL,
};

static const char *const band_names[] = {
#define X(id, name, vi, en) name,
	BUSINESS_BAND_LIST(X)
#undef X
};

/* The decision's tops, when no rules are given. */
static const int band_tops[BUSINESS_BAND_COUNT] = { 15, 30, 50, 80, 100 };

static int biz_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int business_tax_code_check(const char *field, const char *v, struct error *err)
{
	size_t n = v ? strlen(v) : 0;

	if ((n == 10 && biz_digits(v, 10)) ||
	    (n == 14 && biz_digits(v, 10) && v[10] == '-' && biz_digits(v + 11, 3)))
		return 0;
	return error_set_at(err, THC_EUNPROCESSABLE, field,
	                    "trường '%s': mã số thuế gồm 10 chữ số, hoặc 13 chữ số dạng "
	                    "0123456789-001 cho chi nhánh",
	                    "field '%s': a tax code is 10 digits, or 13 as 0123456789-001 "
	                    "for a branch", field);
}

int business_risk_index(const int64_t scores[BUSINESS_CRITERIA])
{
	int64_t sum = 0;

	for (size_t i = 0; i < BUSINESS_CRITERIA; i++) {
		if (scores[i] < 0 || scores[i] > BUSINESS_SCORE_MAX)
			return -1;
		sum += scores[i];
	}
	/* sum / 300 x 100 in tenths is sum x 10 / 3; half up is (2 x 10 sum + 3) / 6. */
	return (int)((sum * 20 + 3) / 6);
}

enum business_band business_band_of(const struct business_risk_rules *r, int index_tenths)
{
	for (int b = 0; b < BUSINESS_BAND_COUNT - 1; b++) {
		int top = r ? r->bands[b].max : band_tops[b];

		if (index_tenths <= top * 10)
			return (enum business_band)b;
	}
	return BUSINESS_BAND_VERY_HIGH;
}

const char *business_band_name(enum business_band b)
{
	return (unsigned)b < BUSINESS_BAND_COUNT ? band_names[b] : "?";
}

int business_band_from_name(const char *name)
{
	for (int b = 0; name && b < BUSINESS_BAND_COUNT; b++)
		if (strcmp(name, band_names[b]) == 0)
			return b;
	return -1;
}

int32_t business_reassess_due(const struct business_risk_rules *r, int32_t assessed)
{
	return assessed + (r ? r->reassess_days : 14);
}

/* ---- the rules file ---- */

static int biz_bad(struct error *err, const char *where, const char *vi, const char *en)
{
	return error_set(err, THC_EUNPROCESSABLE, "quy tắc 2194: %s: %s%.0s",
	                 "2194 rules: %s: %.0s%s", where, vi, en);
}

static int biz_status(json_t *o, int *assumption)
{
	const char *s = json_string_value(json_object_get(o, "status"));

	if (s == NULL)
		return -1;
	*assumption = strcmp(s, "assumption") == 0;
	return 0;
}

/* name.vi / name.en (or actions.vi / .en) of o: both non-empty. */
static int biz_pair(json_t *o, const char *key, const char **vi, const char **en)
{
	json_t *p = json_object_get(o, key);

	*vi = json_string_value(json_object_get(p, "vi"));
	*en = json_string_value(json_object_get(p, "en"));
	return *vi && *en && **vi && **en ? 0 : -1;
}

static int biz_criteria(struct business_risk_rules *r, json_t *doc, struct error *err)
{
	json_t *a = json_object_get(doc, "criteria"), *o;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) != BUSINESS_CRITERIA)
		return biz_bad(err, "criteria", "cần đúng 15 tiêu chí", "exactly 15 criteria needed");
	json_array_foreach(a, i, o) {
		struct business_criterion *c = &r->criteria[i];

		c->code = json_string_value(json_object_get(o, "code"));
		if (c->code == NULL || biz_pair(o, "name", &c->name_vi, &c->name_en) < 0 ||
		    biz_status(o, &c->assumption) < 0)
			return biz_bad(err, "criteria", "mỗi tiêu chí cần code, name{vi,en}, status",
			               "each criterion needs code, name{vi,en}, status");
	}
	return 0;
}

static int biz_bands(struct business_risk_rules *r, json_t *doc, struct error *err)
{
	json_t *a = json_object_get(doc, "bands"), *o;
	size_t i;
	int prev = -1;

	if (!json_is_array(a) || json_array_size(a) != BUSINESS_BAND_COUNT)
		return biz_bad(err, "bands", "cần đúng 5 mức", "exactly 5 bands needed");
	json_array_foreach(a, i, o) {
		struct business_band_rule *b = &r->bands[i];
		const char *code = json_string_value(json_object_get(o, "code"));
		json_t *max = json_object_get(o, "max");

		if (code == NULL || strcmp(code, band_names[i]) != 0 || !json_is_integer(max) ||
		    biz_pair(o, "name", &b->name_vi, &b->name_en) < 0 ||
		    biz_pair(o, "actions", &b->action_vi, &b->action_en) < 0 ||
		    biz_status(o, &b->assumption) < 0)
			return biz_bad(err, "bands", "mỗi mức cần code (theo thứ tự), max, name, actions, status",
			               "each band needs code (in order), max, name, actions, status");
		b->max = (int)json_integer_value(max);
		if (b->max <= prev || b->max > 100 || (i == BUSINESS_BAND_COUNT - 1 && b->max != 100))
			return biz_bad(err, "bands", "các mức tăng dần và kết thúc ở 100",
			               "the bands rise and end at 100");
		prev = b->max;
	}
	return 0;
}

int business_risk_parse(const char *json, size_t len, struct business_risk_rules **out,
                        struct error *err)
{
	struct business_risk_rules *r;
	json_t *doc, *days;
	json_error_t je;
	int rc;

	*out = NULL;
	if (len > BUSINESS_RULES_MAX_BYTES)
		return error_set(err, THC_ETOOBIG, "tệp quy tắc 2194 quá lớn", "the 2194 rules file is too large");
	if ((doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return error_set(err, THC_EUNPROCESSABLE, "JSON không hợp lệ ở dòng %d: %s",
		                 "malformed JSON at line %d: %s", je.line, je.text);
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		json_decref(doc);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	r->doc = doc;
	days = json_object_get(doc, "reassess_days");
	if ((rc = biz_criteria(r, doc, err)) < 0 || (rc = biz_bands(r, doc, err)) < 0)
		goto fail;
	if (!json_is_integer(days) || json_integer_value(days) < 1 ||
	    json_integer_value(days) > BUSINESS_REASSESS_DAYS_MAX) {
		rc = biz_bad(err, "reassess_days", "cần số ngày 1..366", "a number of days 1..366 is needed");
		goto fail;
	}
	r->reassess_days = (int)json_integer_value(days);
	{
		const char *s = json_string_value(json_object_get(doc, "reassess_status"));
		r->reassess_assumption = s == NULL || strcmp(s, "assumption") == 0;
	}
	*out = r;
	return 0;
fail:
	business_risk_free(r);
	return rc;
}

void business_risk_free(struct business_risk_rules *r)
{
	if (r == NULL)
		return;
	json_decref(r->doc);
	free(r);
}
