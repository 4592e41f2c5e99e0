/*
 * The catalogue of rule sets: every file of a directory, variants that
 * extend another (merged before compiling), and the one in force for a
 * province on a day.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "base/vntime.h"
#include "domain/level-private.h"
#include "base/banned.h"

struct lr_entry {
	char *name;
	json_t *raw, *merged;
	const char *id, *extends;       /* borrowed from raw */
	int state;                      /* 0 new, 1 resolving, 2 resolved */
	int compiled;
	struct level_rules rules;
};

struct level_catalog {
	size_t n;
	struct lr_entry *e;
};

/* Objects merge key by key; anything else is replaced.  At the top level
 * the title is replaced whole (a variant names itself in both languages). */
static int lr_merge(json_t *dst, json_t *patch, int top)
{
	const char *key;
	json_t *v;

	json_object_foreach(patch, key, v) {
		json_t *d = json_object_get(dst, key);

		if (json_is_object(v) && json_is_object(d) && !(top && strcmp(key, "title") == 0)) {
			if (lr_merge(d, v, 0) < 0)
				return -1;
		} else if (json_object_set_new(dst, key, json_deep_copy(v)) < 0) {
			return -1;
		}
	}
	return 0;
}

static int lr_resolve(struct level_catalog *cat, size_t i, int depth, struct error *err)
{
	static const char *const own[] = { "format", "title", "sources", "applies_to",
		                           "effective", NULL };
	struct lr_entry *e = &cat->e[i];
	struct lr_ctx c;
	json_t *eff;
	size_t j;
	int rc;

	if (e->state == 2)
		return 0;
	lr_ctx_init(&c, e->name, err);
	if (e->state == 1 || depth > LEVEL_EXTENDS_MAX_DEPTH)
		return lr_fail_key(&c, "extends", "chuỗi extends bị vòng lặp hoặc quá sâu",
		                   "the extends chain loops or is too deep");
	if (e->extends == NULL) {
		e->merged = json_incref(e->raw);
		e->state = 2;
		return 0;
	}
	e->state = 1;
	for (j = 0; j < cat->n && strcmp(cat->e[j].id, e->extends) != 0; j++)
		;
	if (j == cat->n) {
		char vi[160], en[160];

		snprintf(vi, sizeof(vi), "không có bộ quy tắc '%.60s'", e->extends);
		snprintf(en, sizeof(en), "there is no rule set '%.60s'", e->extends);
		return lr_fail_key(&c, "extends", vi, en);
	}
	if ((rc = lr_resolve(cat, j, depth + 1, err)) < 0)
		return rc;
	for (size_t k = 0; own[k]; k++)
		if (json_object_get(e->raw, own[k]) == NULL)
			return lr_fail_key(&c, own[k], "bộ quy tắc mở rộng phải tự ghi trường này",
			                   "a variant must give this field itself");
	eff = json_object_get(e->raw, "effective");
	if (json_is_object(eff) && json_object_get(eff, "from") == NULL) {
		size_t old = lr_push(&c, "effective");

		rc = lr_fail_key(&c, "from", "bộ quy tắc mở rộng phải tự ghi ngày bắt đầu",
		                 "a variant must give its own start date");
		lr_pop(&c, old);
		return rc;
	}
	e->merged = json_deep_copy(cat->e[j].merged);
	if (e->merged == NULL || lr_merge(e->merged, e->raw, 1) < 0)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	e->state = 2;
	return 0;
}

void level_catalog_free(struct level_catalog *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->e[i].name);
		json_decref(c->e[i].raw);
		json_decref(c->e[i].merged);
		if (c->e[i].compiled)
			lr_rules_release(&c->e[i].rules);
	}
	free(c->e);
	free(c);
}

int level_catalog_load(struct level_catalog **out, const struct level_source *src,
                       size_t n, struct error *err)
{
	struct level_catalog *cat;
	int rc = 0;

	*out = NULL;
	if (n > LEVEL_CATALOG_MAX)
		return error_set(err, THC_ETOOBIG, "quá nhiều bộ quy tắc (%zu, tối đa %d)",
		                 "too many rule sets (%zu, at most %d)", n, LEVEL_CATALOG_MAX);
	cat = calloc(1, sizeof(*cat));
	if (cat == NULL || (n > 0 && (cat->e = calloc(n, sizeof(*cat->e))) == NULL)) {
		free(cat);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct lr_entry *e = &cat->e[i];
		struct lr_ctx c;

		cat->n = i + 1;
		e->name = strdup(src[i].name ? src[i].name : "(rules)");
		if (e->name == NULL) {
			rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
			goto out;
		}
		lr_ctx_init(&c, e->name, err);
		if ((rc = lr_load_json(&c, src[i].json, src[i].len, &e->raw)) < 0 ||
		    (rc = lr_string(&c, e->raw, "id", 0, &e->id)) < 0 ||
		    (rc = lr_string(&c, e->raw, "extends", 1, &e->extends)) < 0)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (strcmp(cat->e[j].id, e->id) == 0) {
				rc = error_set(err, THC_ECONFLICT, "%s: bộ quy tắc '%s' đã có trong %s",
				               "%s: rule set '%s' is already in %s", e->name, e->id,
				               cat->e[j].name);
				goto out;
			}
	}
	for (size_t i = 0; i < n; i++) {
		struct lr_entry *e = &cat->e[i];
		struct lr_ctx c;

		if ((rc = lr_resolve(cat, i, 0, err)) < 0)
			goto out;
		lr_ctx_init(&c, e->name, err);
		if ((rc = lr_compile(&e->rules, e->merged, &c)) < 0)
			goto out;
		e->compiled = 1;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			const struct level_rules *a = &cat->e[i].rules, *b = &cat->e[j].rules;
			int same = (a->applies_to == NULL && b->applies_to == NULL) ||
			           (a->applies_to && b->applies_to &&
			            strcmp(a->applies_to, b->applies_to) == 0);

			if (same && a->from == b->from) {
				char day[16];

				vndate_format_iso(vndate_from_days(a->from), day, sizeof(day));
				rc = error_set(err, THC_ECONFLICT,
				               "%s và %s: cùng phạm vi (%s) và cùng ngày bắt đầu %s",
				               "%s and %s: same scope (%s) and same start %s",
				               cat->e[i].name, cat->e[j].name,
				               a->applies_to ? a->applies_to : "national", day);
				goto out;
			}
		}
	*out = cat;
	cat = NULL;
out:
	level_catalog_free(cat);
	return rc;
}

size_t level_catalog_count(const struct level_catalog *c)
{
	return c ? c->n : 0;
}

const struct level_rules *level_catalog_at(const struct level_catalog *c, size_t i)
{
	return c && i < c->n ? &c->e[i].rules : NULL;
}

const struct level_rules *level_catalog_get(const struct level_catalog *c, const char *id)
{
	for (size_t i = 0; c && id && i < c->n; i++)
		if (strcmp(c->e[i].rules.id, id) == 0)
			return &c->e[i].rules;
	return NULL;
}

int level_catalog_pick(const struct level_catalog *c, const char *province,
                       int32_t week_end, const struct level_rules **out,
                       struct error *err)
{
	const struct level_rules *nat = NULL, *prov = NULL;
	char day[16];

	*out = NULL;
	if (province != NULL && province[0] == '\0')
		province = NULL;
	if (province != NULL && !(strlen(province) == 2 && province[0] >= '0' &&
	                          province[0] <= '9' && province[1] >= '0' && province[1] <= '9'))
		return error_set(err, THC_EINVAL, "'%.20s' không phải mã tỉnh 2 chữ số",
		                 "'%.20s' is not a 2-digit province code", province);
	for (size_t i = 0; c && i < c->n; i++) {
		const struct level_rules *r = &c->e[i].rules;

		if (!level_rules_in_force(r, province, week_end))
			continue;
		if (r->applies_to == NULL) {
			if (nat == NULL || r->from > nat->from)
				nat = r;
		} else if (prov == NULL || r->from > prov->from) {
			prov = r;
		}
	}
	*out = prov ? prov : nat;
	if (*out != NULL)
		return 0;
	vndate_format_iso(vndate_from_days(week_end), day, sizeof(day));
	return error_set(err, THC_ENOTFOUND,
	                 "không có bộ quy tắc nào có hiệu lực ngày %s (mã tỉnh: %s)",
	                 "no rule set is in force on %s (province code: %s)", day,
	                 province ? province : "-");
}


int level_catalog_check_week(const struct level_catalog *c, const char *province,
                             int32_t week_end, struct error *err)
{
	static const char *const vi[] = { "", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm",
	                                  "thứ Sáu", "thứ Bảy", "Chủ nhật" };
	static const char *const en[] = { "", "Monday", "Tuesday", "Wednesday", "Thursday",
	                                  "Friday", "Saturday", "Sunday" };
	const struct level_rules *r;
	struct error ignore = ERROR_INIT;
	char day[16];
	int last, wd;

	if (level_catalog_pick(c, province, week_end, &r, &ignore) < 0)
		return 0;     /* no rule set then: any week may be recorded */
	last = level_rules_first_weekday(r) == 1 ? 7 : level_rules_first_weekday(r) - 1;
	wd = vndate_weekday(week_end);
	if (wd == last)
		return 0;
	vndate_format_iso(vndate_from_days(week_end), day, sizeof(day));
	return error_set_at(err, THC_EUNPROCESSABLE, "week_end",
	                    "trường 'week_end': %s là %s%.0s, nhưng tuần của bộ quy tắc '%.64s' kết thúc vào %s%.0s",
	                    "field 'week_end': %s is a %.0s%s, but the weeks of rule set '%.64s' end on a %.0s%s",
	                    day, vi[wd], en[wd], level_rules_id(r), vi[last], en[last]);
}
