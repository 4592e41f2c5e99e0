/*
 * Compiling one rule set (docs/levels.md) into the flat form the assessment
 * reads, and the rule set's accessors.
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

static int lr_date(struct lr_ctx *c, json_t *obj, const char *key, int nullable,
                   int32_t *out, int *is_null)
{
	const char *s;
	struct vndate d;
	int rc;

	if ((rc = lr_string(c, obj, key, nullable, &s)) < 0)
		return rc;
	*is_null = s == NULL;
	if (s == NULL)
		return 0;
	if (vndate_parse(s, &d) < 0)
		return lr_fail_key(c, key, "phải là ngày dạng YYYY-MM-DD",
		                   "must be a date YYYY-MM-DD");
	*out = vndate_to_days(d);
	return 0;
}

static void lr_band_text(struct lr_band *b, int english, char *out, size_t outsz)
{
	char lo[LR_NUM_TEXT], hi[LR_NUM_TEXT];

	lr_fmt_num(lo, b->min, 2, 1, english);
	lr_fmt_num(hi, b->max, 2, 1, english);
	if (!b->has_min && !b->has_max)
		snprintf(out, outsz, "%s", english ? "any value" : "mọi giá trị");
	else if (!b->has_min)
		snprintf(out, outsz, "%s %s", b->max_incl ? "≤" : "<", hi);
	else if (!b->has_max)
		snprintf(out, outsz, "%s %s", b->min_incl ? "≥" : ">", lo);
	else
		snprintf(out, outsz, "%s%s – %s %s", b->min_incl ? "" : "> ", lo,
		         b->max_incl ? "≤" : "<", hi);
}

/* One edge of a band: "min"/"max" (number or null) and its "_inclusive". */
static int lr_edge(struct lr_ctx *c, json_t *b, const char *key, const char *incl_key,
                   double *v, unsigned char *has, unsigned char *incl)
{
	json_t *x = json_object_get(b, key);
	int i, rc;

	if (x == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc (số hoặc null)",
		                   "required field is missing (a number or null)");
	if (json_is_null(x)) {
		*has = 0;
		if (json_object_get(b, incl_key) != NULL)
			return lr_fail_key(c, incl_key, "không dùng khi cận là null",
			                   "not allowed when the edge is null");
		return 0;
	}
	if ((rc = lr_number(c, b, key, 0, 1e9, v)) < 0 ||
	    (rc = lr_bool(c, b, incl_key, &i)) < 0)
		return rc;
	*has = 1;
	*incl = (unsigned char)i;
	return 0;
}

static int lr_compile_bands(struct lr_ctx *c, json_t *ind_obj, struct lr_indicator *ind)
{
	static const char *const keys[] = { "band", "min", "max", "min_inclusive",
		                            "max_inclusive", "status", "note", NULL };
	static const char *const ind_keys[] = { "bands", NULL };
	json_t *arr;
	size_t old = c->len, n;
	int rc;

	if ((rc = lr_check_keys(c, ind_obj, ind_keys)) < 0 ||
	    (rc = lr_array(c, ind_obj, "bands", 1, LEVEL_MAX, &arr)) < 0)
		return rc;
	lr_push(c, "bands");
	n = json_array_size(arr);
	for (size_t i = 0; i < n; i++) {
		json_t *bj = json_array_get(arr, i);
		struct lr_band *b = &ind->band[i];
		size_t o2 = lr_push_idx(c, i);
		int num;

		if (!json_is_object(bj)) {
			rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
			goto out;
		}
		if ((rc = lr_check_keys(c, bj, keys)) < 0 ||
		    (rc = lr_int(c, bj, "band", 1, LEVEL_MAX, &num)) < 0 ||
		    (rc = lr_edge(c, bj, "min", "min_inclusive", &b->min, &b->has_min, &b->min_incl)) < 0 ||
		    (rc = lr_edge(c, bj, "max", "max_inclusive", &b->max, &b->has_max, &b->max_incl)) < 0 ||
		    (rc = lr_status(c, bj, &b->assumed)) < 0)
			goto out;
		if (num != (int)i + 1) {
			rc = lr_fail_key(c, "band", "các khoảng phải đánh số 1, 2, 3, 4 theo thứ tự",
			                 "bands must be numbered 1, 2, 3, 4 in order");
			goto out;
		}
		if (i == 0 && b->has_min) {
			rc = lr_fail_key(c, "min", "khoảng đầu tiên phải có min null (từ 0)",
			                 "the first band's min must be null (from 0)");
			goto out;
		}
		if (i == n - 1 && b->has_max) {
			rc = lr_fail_key(c, "max", "khoảng cuối cùng phải có max null (không giới hạn)",
			                 "the last band's max must be null (no limit)");
			goto out;
		}
		if (i > 0 && !b->has_min) {
			rc = lr_fail_key(c, "min", "chỉ khoảng đầu tiên có min null",
			                 "only the first band may have a null min");
			goto out;
		}
		if (i < n - 1 && !b->has_max) {
			rc = lr_fail_key(c, "max", "chỉ khoảng cuối cùng có max null",
			                 "only the last band may have a null max");
			goto out;
		}
		if (b->has_min && b->has_max && !(b->min < b->max)) {
			rc = lr_fail_key(c, "max", "phải lớn hơn min", "must be greater than min");
			goto out;
		}
		if (i > 0) {
			const struct lr_band *p = &ind->band[i - 1];

			if (p->max != b->min) {
				rc = lr_fail_key(c, "min", "phải bằng max của khoảng trước (các khoảng liền nhau)",
				                 "must equal the previous band's max (bands are contiguous)");
				goto out;
			}
			if (p->max_incl == b->min_incl) {
				rc = lr_fail_key(c, "min_inclusive",
				                 "đúng một trong max_inclusive của khoảng trước và min_inclusive phải là true",
				                 "exactly one of the previous band's max_inclusive and this min_inclusive must be true");
				goto out;
			}
		}
		lr_band_text(b, 0, b->text_vi, sizeof(b->text_vi));
		lr_band_text(b, 1, b->text_en, sizeof(b->text_en));
		lr_pop(c, o2);
	}
	ind->nbands = (int)n;
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_ind_from_name(const char *s)
{
	for (int i = 0; i < LEVEL_IND_COUNT; i++)
		if (strcmp(lr_ind_info[i].name, s) == 0)
			return i;
	return -1;
}

static int lr_compile_indicators(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "cases_per_100k", "oxygen_per_100k",
		                            "deaths_per_100k", NULL };
	json_t *obj, *v;
	const char *key;
	size_t old;
	int rc;

	if ((rc = lr_object(c, doc, "indicators", &obj)) < 0)
		return rc;
	old = lr_push(c, "indicators");
	if ((rc = lr_check_keys(c, obj, keys)) < 0)
		goto out;
	json_object_foreach(obj, key, v) {
		int k = lr_ind_from_name(key);
		size_t o2 = lr_push(c, key);

		if (!json_is_object(v))
			rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
		else
			rc = lr_compile_bands(c, v, &r->ind[k]);
		if (rc < 0)
			goto out;
		lr_pop(c, o2);
	}
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_transmission(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "indicators", "combine", "status", "note", NULL };
	static const char *const combines[] = { "max", NULL };
	json_t *obj, *arr;
	size_t old;
	int rc, comb;

	if ((rc = lr_object(c, doc, "transmission", &obj)) < 0)
		return rc;
	old = lr_push(c, "transmission");
	if ((rc = lr_check_keys(c, obj, keys)) < 0 ||
	    (rc = lr_array(c, obj, "indicators", 1, LEVEL_IND_COUNT, &arr)) < 0 ||
	    (rc = lr_enum(c, obj, "combine", combines, &comb)) < 0 ||
	    (rc = lr_status(c, obj, &r->trans_assumed)) < 0)
		goto out;
	lr_push(c, "indicators");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		int k = json_is_string(v) ? lr_ind_from_name(json_string_value(v)) : -1;

		size_t o2 = lr_push_idx(c, i);

		if (k < 0) {
			rc = lr_fail(c, "phải là cases_per_100k, oxygen_per_100k hoặc deaths_per_100k",
			             "must be cases_per_100k, oxygen_per_100k or deaths_per_100k");
			goto out;
		}
		if (r->ind[k].nbands == 0) {
			rc = lr_fail(c, "chỉ số này chưa có khoảng trong $.indicators",
			             "this indicator has no bands in $.indicators");
			goto out;
		}
		for (int j = 0; j < r->ntrans; j++)
			if (r->trans[j] == (enum level_indicator)k) {
				rc = lr_fail(c, "chỉ số bị lặp lại", "the indicator appears twice");
				goto out;
			}
		r->trans[r->ntrans++] = (enum level_indicator)k;
		r->used_ind |= 1u << k;
		lr_pop(c, o2);
	}
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_vaccination(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "conditions", NULL };
	static const char *const ckeys[] = { "indicator", "min", "min_inclusive", "status",
		                             "note", NULL };
	static const char *const fields[] = { "vax1_18plus_pct", "vaxfull_elderly_pct",
		                              "vaxfull_pct", "vaxfull_highrisk_pct", NULL };
	json_t *obj, *arr;
	size_t old;
	int rc;

	if ((rc = lr_object(c, doc, "vaccination", &obj)) < 0)
		return rc;
	old = lr_push(c, "vaccination");
	if ((rc = lr_check_keys(c, obj, keys)) < 0 ||
	    (rc = lr_array(c, obj, "conditions", 0, LR_VAX_MAX, &arr)) < 0)
		goto out;
	lr_push(c, "conditions");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *cj = json_array_get(arr, i);
		struct lr_cond *cd = &r->vax[i];
		size_t o2 = lr_push_idx(c, i);
		int f, incl;

		if (!json_is_object(cj)) {
			rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
			goto out;
		}
		if ((rc = lr_check_keys(c, cj, ckeys)) < 0 ||
		    (rc = lr_enum(c, cj, "indicator", fields, &f)) < 0 ||
		    (rc = lr_number(c, cj, "min", 0, 100, &cd->min)) < 0 ||
		    (rc = lr_bool(c, cj, "min_inclusive", &incl)) < 0 ||
		    (rc = lr_status(c, cj, &cd->assumed)) < 0)
			goto out;
		cd->field = lr_vax_info[f].field;
		cd->label_vi = lr_vax_info[f].vi;
		cd->label_en = lr_vax_info[f].en;
		cd->incl = (unsigned char)incl;
		lr_fmt_cmp(cd->min_vi, sizeof(cd->min_vi), incl ? "≥" : ">", cd->min, 0);
		lr_fmt_cmp(cd->min_en, sizeof(cd->min_en), incl ? "≥" : ">", cd->min, 1);
		r->required |= LEVEL_HAS(cd->field);
		r->nvax++;
		lr_pop(c, o2);
	}
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_matrix(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "rows", "columns", "cells", NULL };
	static const char *const rows[] = { "transmission", NULL };
	static const char *const columns[] = { "vaccination", "capacity", NULL };
	static const char *const vcols[] = { "met", "not_met", NULL };
	static const char *const ccols[] = { "high", "medium", "low", NULL };
	static const char *const row_keys[] = { "1", "2", "3", "4", NULL };
	static const char *const cell_keys[] = { "level", "status", "note", NULL };
	const char *const *cols;
	json_t *obj, *cells;
	size_t old;
	int rc, rk, ck;

	if ((rc = lr_object(c, doc, "matrix", &obj)) < 0)
		return rc;
	old = lr_push(c, "matrix");
	if ((rc = lr_check_keys(c, obj, keys)) < 0 ||
	    (rc = lr_enum(c, obj, "rows", rows, &rk)) < 0 ||
	    (rc = lr_enum(c, obj, "columns", columns, &ck)) < 0 ||
	    (rc = lr_object(c, obj, "cells", &cells)) < 0)
		goto out;
	r->columns = ck == 0 ? LR_COLS_VACCINATION : LR_COLS_CAPACITY;
	cols = ck == 0 ? vcols : ccols;
	r->ncols = ck == 0 ? 2 : 3;
	if (r->columns == LR_COLS_CAPACITY)
		r->required |= LEVEL_HAS(LEVEL_F_CAPACITY);
	lr_push(c, "cells");
	if ((rc = lr_check_keys(c, cells, row_keys)) < 0)
		goto out;
	for (int i = 0; i < LEVEL_MAX; i++) {
		json_t *row;
		size_t o2;

		if ((rc = lr_object(c, cells, row_keys[i], &row)) < 0)
			goto out;
		o2 = lr_push(c, row_keys[i]);
		if ((rc = lr_check_keys(c, row, cols)) < 0)
			goto out;
		for (int j = 0; j < r->ncols; j++) {
			json_t *cell;
			size_t o3;

			if ((rc = lr_object(c, row, cols[j], &cell)) < 0)
				goto out;
			o3 = lr_push(c, cols[j]);
			if ((rc = lr_check_keys(c, cell, cell_keys)) < 0 ||
			    (rc = lr_int(c, cell, "level", LEVEL_MIN, LEVEL_MAX, &r->cell[i][j])) < 0 ||
			    (rc = lr_status(c, cell, &r->cell_assumed[i][j])) < 0)
				goto out;
			lr_pop(c, o3);
		}
		lr_pop(c, o2);
	}
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_adjustments(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "id", "when", "effect", "by", "stage", "indicator",
		                            "threshold", "inclusive", "status", "note", NULL };
	static const char *const whens[] = { "vaccination_not_met", "above", "capacity_not_met", NULL };
	static const char *const effects[] = { "raise", "no_downgrade", NULL };
	static const char *const stages[] = { "transmission", "level", NULL };
	static const char *const inds[] = { "cases_per_100k", "oxygen_per_100k",
		                            "deaths_per_100k", NULL };
	json_t *arr;
	size_t old, o2;
	int rc;

	r->no_downgrade = -1;
	if ((rc = lr_array(c, doc, "adjustments", 0, LR_ADJ_MAX, &arr)) < 0)
		return rc;
	old = lr_push(c, "adjustments");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *aj = json_array_get(arr, i);
		struct lr_adjust *a = &r->adj[i];
		const char *id;
		int when, effect, v;

		o2 = lr_push_idx(c, i);
		if (!json_is_object(aj)) {
			rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
			goto out;
		}
		if ((rc = lr_check_keys(c, aj, keys)) < 0 ||
		    (rc = lr_string(c, aj, "id", 0, &id)) < 0 ||
		    (rc = lr_enum(c, aj, "when", whens, &when)) < 0 ||
		    (rc = lr_enum(c, aj, "effect", effects, &effect)) < 0 ||
		    (rc = lr_status(c, aj, &a->assumed)) < 0)
			goto out;
		a->when = (enum lr_when)when;
		a->effect = (enum lr_effect)effect;
		if (a->effect == LR_EFFECT_RAISE) {
			if ((rc = lr_int(c, aj, "by", 1, LEVEL_MAX - 1, &a->by)) < 0 ||
			    (rc = lr_enum(c, aj, "stage", stages, &v)) < 0)
				goto out;
			a->stage = (enum lr_stage)v;
			if (a->when == LR_WHEN_CAPACITY_NOT_MET) {
				rc = lr_fail_key(c, "effect", "capacity_not_met chỉ đi với no_downgrade",
				                 "capacity_not_met only goes with no_downgrade");
				goto out;
			}
		} else {
			if (a->when != LR_WHEN_CAPACITY_NOT_MET) {
				rc = lr_fail_key(c, "effect", "no_downgrade chỉ đi với capacity_not_met",
				                 "no_downgrade only goes with capacity_not_met");
				goto out;
			}
			if (json_object_get(aj, "by") || json_object_get(aj, "stage")) {
				rc = lr_fail_key(c, json_object_get(aj, "by") ? "by" : "stage",
				                 "không dùng với no_downgrade", "not used with no_downgrade");
				goto out;
			}
			if (r->no_downgrade >= 0) {
				rc = lr_fail(c, "chỉ được một quy tắc no_downgrade",
				             "only one no_downgrade rule is allowed");
				goto out;
			}
			r->no_downgrade = (int)i;
		}
		if (a->when == LR_WHEN_ABOVE) {
			int incl;

			if ((rc = lr_enum(c, aj, "indicator", inds, &v)) < 0 ||
			    (rc = lr_number(c, aj, "threshold", 0, 1e9, &a->threshold)) < 0 ||
			    (rc = lr_bool(c, aj, "inclusive", &incl)) < 0)
				goto out;
			a->indicator = (enum level_indicator)v;
			a->inclusive = (unsigned char)incl;
			lr_fmt_cmp(a->thr_vi, sizeof(a->thr_vi), incl ? "≥" : ">", a->threshold, 0);
			lr_fmt_cmp(a->thr_en, sizeof(a->thr_en), incl ? "≥" : ">", a->threshold, 1);
			r->used_ind |= 1u << v;
		} else {
			const char *extra = json_object_get(aj, "indicator") ? "indicator"
			                    : json_object_get(aj, "threshold") ? "threshold"
			                    : json_object_get(aj, "inclusive") ? "inclusive" : NULL;
			if (extra) {
				rc = lr_fail_key(c, extra, "chỉ dùng khi when là above",
				                 "only used when 'when' is above");
				goto out;
			}
		}
		if (a->when == LR_WHEN_VACCINATION_NOT_MET) {
			if (r->nvax == 0) {
				rc = lr_fail_key(c, "when", "không có điều kiện tiêm chủng trong $.vaccination",
				                 "there are no vaccination conditions in $.vaccination");
				goto out;
			}
			if (r->columns == LR_COLS_VACCINATION) {
				rc = lr_fail_key(c, "when",
				                 "tiêm chủng đã là cột của ma trận: sẽ tính hai lần",
				                 "vaccination is already the matrix's column: it would count twice");
				goto out;
			}
		}
		r->nadj = (int)i + 1;
		lr_pop(c, o2);
	}
	rc = 0;
out:
	lr_pop(c, old);
	return rc;
}

static int lr_compile_scope_one(struct lr_ctx *c, json_t *obj, enum level_scope s,
                                struct lr_scope *sc)
{
	static const char *const keys[] = { "method", "thresholds", "otherwise", "status",
		                            "note", NULL };
	static const char *const tkeys[] = { "level", "children_at_least", "min_share_pct",
		                             "min_share_inclusive", "status", "note", NULL };
	static const char *const methods[] = { "own_totals", "children_levels", NULL };
	json_t *arr, *fact;
	int rc, m;

	if ((rc = lr_check_keys(c, obj, keys)) < 0 ||
	    (rc = lr_enum(c, obj, "method", methods, &m)) < 0 ||
	    (rc = lr_status(c, obj, &sc->assumed)) < 0)
		return rc;
	sc->method = m == 0 ? LEVEL_OWN_TOTALS : LEVEL_CHILDREN_LEVELS;
	if (sc->method == LEVEL_OWN_TOTALS) {
		if (json_object_get(obj, "thresholds") || json_object_get(obj, "otherwise"))
			return lr_fail_key(c, json_object_get(obj, "thresholds") ? "thresholds" : "otherwise",
			                   "chỉ dùng với children_levels", "only used with children_levels");
		return 0;
	}
	if (s == LEVEL_SCOPE_COMMUNE)
		return lr_fail_key(c, "method", "xã/phường không có đơn vị trực thuộc được đánh giá",
		                   "a commune has no assessed units below it");
	if ((rc = lr_array(c, obj, "thresholds", 1, LEVEL_MAX, &arr)) < 0)
		return rc;
	{
		size_t old = lr_push(c, "thresholds");

		for (size_t i = 0; i < json_array_size(arr); i++) {
			json_t *tj = json_array_get(arr, i);
			struct lr_threshold *t = &sc->th[i];
			size_t o2 = lr_push_idx(c, i);
			int incl;

			if (!json_is_object(tj))
				rc = lr_fail(c, "phải là một đối tượng JSON", "must be a JSON object");
			else if ((rc = lr_check_keys(c, tj, tkeys)) == 0 &&
			         (rc = lr_int(c, tj, "level", LEVEL_MIN, LEVEL_MAX, &t->level)) == 0 &&
			         (rc = lr_int(c, tj, "children_at_least", LEVEL_MIN, LEVEL_MAX,
			                      &t->at_least)) == 0 &&
			         (rc = lr_number(c, tj, "min_share_pct", 0, 100, &t->min_share)) == 0 &&
			         (rc = lr_bool(c, tj, "min_share_inclusive", &incl)) == 0 &&
			         (rc = lr_status(c, tj, &t->assumed)) == 0 &&
			         i > 0 && t->level >= sc->th[i - 1].level)
				rc = lr_fail_key(c, "level",
				                 "các ngưỡng phải theo cấp giảm dần",
				                 "thresholds must come in decreasing level order");
			if (rc < 0) {
				lr_pop(c, old);
				return rc;
			}
			t->incl = (unsigned char)incl;
			lr_fmt_cmp(t->share_vi, sizeof(t->share_vi), incl ? "≥" : ">", t->min_share, 0);
			lr_fmt_cmp(t->share_en, sizeof(t->share_en), incl ? "≥" : ">", t->min_share, 1);
			lr_pop(c, o2);
		}
		lr_pop(c, old);
	}
	sc->nth = (int)json_array_size(arr);
	if ((rc = lr_fact(c, obj, "otherwise", &fact, &sc->otherwise_assumed)) < 0)
		return rc;
	{
		size_t old = lr_push(c, "otherwise");

		rc = lr_int(c, fact, "value", LEVEL_MIN, LEVEL_MAX, &sc->otherwise);
		if (rc == 0 && sc->otherwise >= sc->th[sc->nth - 1].level)
			rc = lr_fail_key(c, "value", "phải thấp hơn cấp của mọi ngưỡng",
			                 "must be lower than every threshold's level");
		lr_pop(c, old);
	}
	return rc;
}

static int lr_compile_scope(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	json_t *obj;
	size_t old;
	int rc;

	if ((rc = lr_object(c, doc, "scope", &obj)) < 0)
		return rc;
	old = lr_push(c, "scope");
	if ((rc = lr_check_keys(c, obj, lr_scope_names)) < 0)
		goto out;
	for (int s = 0; s < LEVEL_SCOPE_COUNT; s++) {
		json_t *so;
		size_t o2;

		if ((rc = lr_object(c, obj, lr_scope_names[s], &so)) < 0)
			goto out;
		o2 = lr_push(c, lr_scope_names[s]);
		rc = lr_compile_scope_one(c, so, (enum level_scope)s, &r->scope[s]);
		if (rc < 0)
			goto out;
		lr_pop(c, o2);
	}
out:
	lr_pop(c, old);
	return rc;
}

static int lr_id_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= LEVEL_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '_' || ch == '.'))
			return 0;
	}
	return 1;
}

static int lr_compile_header(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const title_keys[] = { "vi", "en", NULL };
	static const char *const eff_keys[] = { "from", "to", "status", "note", NULL };
	json_t *title, *sources, *eff;
	unsigned char assumed;
	int rc, fmt, is_null;
	size_t old;

	if ((rc = lr_int(c, doc, "format", LR_FORMAT, LR_FORMAT, &fmt)) < 0 ||
	    (rc = lr_string(c, doc, "id", 0, &r->id)) < 0)
		return rc;
	if (!lr_id_valid(r->id))
		return lr_fail_key(c, "id", "chỉ gồm a-z, 0-9, '-', '_', '.' (tối đa 63 ký tự)",
		                   "only a-z, 0-9, '-', '_', '.' (at most 63 characters)");
	if ((rc = lr_object(c, doc, "title", &title)) < 0)
		return rc;
	old = lr_push(c, "title");
	if ((rc = lr_check_keys(c, title, title_keys)) == 0 &&
	    (rc = lr_string(c, title, "vi", 0, &r->title_vi)) == 0)
		rc = lr_string(c, title, "en", 0, &r->title_en);
	lr_pop(c, old);
	if (rc < 0 || (rc = lr_array(c, doc, "sources", 0, LR_SOURCES_MAX, &sources)) < 0)
		return rc;
	old = lr_push(c, "sources");
	for (size_t i = 0; i < json_array_size(sources); i++) {
		json_t *s = json_array_get(sources, i);

		if (!json_is_string(s) || json_string_length(s) == 0) {
			lr_push_idx(c, i);
			rc = lr_fail(c, "phải là chuỗi khác rỗng", "must be a non-empty string");
			lr_pop(c, old);
			return rc;
		}
	}
	lr_pop(c, old);
	if ((rc = lr_string(c, doc, "applies_to", 1, &r->applies_to)) < 0)
		return rc;
	if (r->applies_to && !(strlen(r->applies_to) == 2 && r->applies_to[0] >= '0' &&
	                       r->applies_to[0] <= '9' && r->applies_to[1] >= '0' &&
	                       r->applies_to[1] <= '9'))
		return lr_fail_key(c, "applies_to", "phải là null (toàn quốc) hoặc mã tỉnh 2 chữ số",
		                   "must be null (national) or a 2-digit province code");
	if ((rc = lr_string(c, doc, "extends", 1, &r->extends)) < 0)
		return rc;
	if ((rc = lr_object(c, doc, "effective", &eff)) < 0)
		return rc;
	old = lr_push(c, "effective");
	r->to = LEVEL_OPEN_END;
	if ((rc = lr_check_keys(c, eff, eff_keys)) == 0 &&
	    (rc = lr_date(c, eff, "from", 0, &r->from, &is_null)) == 0 &&
	    (rc = lr_date(c, eff, "to", 1, &r->to, &is_null)) == 0 &&
	    (rc = lr_status(c, eff, &assumed)) == 0) {
		if (is_null)
			r->to = LEVEL_OPEN_END;
		if (r->to < r->from)
			rc = lr_fail_key(c, "to", "không được trước ngày from", "must not be before from");
	}
	lr_pop(c, old);
	return rc;
}

static int lr_compile_week(struct lr_ctx *c, json_t *doc, struct level_rules *r)
{
	static const char *const keys[] = { "first_weekday", "cases_two_week_average", NULL };
	json_t *week, *fact;
	unsigned char assumed;
	size_t old, o2;
	int rc, wd;

	if ((rc = lr_object(c, doc, "week", &week)) < 0)
		return rc;
	old = lr_push(c, "week");
	if ((rc = lr_check_keys(c, week, keys)) < 0 ||
	    (rc = lr_fact(c, week, "first_weekday", &fact, &assumed)) < 0)
		goto out;
	o2 = lr_push(c, "first_weekday");
	rc = lr_enum(c, fact, "value", lr_weekdays + 1, &wd);
	lr_pop(c, o2);
	if (rc < 0 || (rc = lr_fact(c, week, "cases_two_week_average", &fact,
	                            &r->two_week_assumed)) < 0)
		goto out;
	r->first_weekday = wd + 1;
	o2 = lr_push(c, "cases_two_week_average");
	rc = lr_bool(c, fact, "value", &r->two_week);
	lr_pop(c, o2);
out:
	lr_pop(c, old);
	return rc;
}

/* Is any "status" in the document "assumption"? */
static int lr_doc_has_assumption(json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_t *s = json_object_get(v, "status");
		if (json_is_string(s) && strcmp(json_string_value(s), "assumption") == 0)
			return 1;
		json_object_foreach(v, key, x)
			if (lr_doc_has_assumption(x))
				return 1;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (lr_doc_has_assumption(x))
				return 1;
	}
	return 0;
}

/* Compiles a resolved document; takes a reference to it on success. */

int lr_compile(struct level_rules *r, json_t *doc, struct lr_ctx *c)
{
	static const char *const keys[] = { "format", "id", "title", "sources", "applies_to",
		                            "extends", "effective", "week", "indicators",
		                            "transmission", "vaccination", "matrix",
		                            "adjustments", "scope", NULL };
	int rc;

	memset(r, 0, sizeof(*r));
	r->no_downgrade = -1;
	if (!json_is_object(doc))
		return lr_fail(c, "tệp quy tắc phải là một đối tượng JSON",
		               "a rule file must be a JSON object");
	if ((rc = lr_check_keys(c, doc, keys)) < 0 ||
	    (rc = lr_compile_header(c, doc, r)) < 0 ||
	    (rc = lr_compile_week(c, doc, r)) < 0 ||
	    (rc = lr_compile_indicators(c, doc, r)) < 0 ||
	    (rc = lr_compile_transmission(c, doc, r)) < 0 ||
	    (rc = lr_compile_vaccination(c, doc, r)) < 0 ||
	    (rc = lr_compile_matrix(c, doc, r)) < 0 ||
	    (rc = lr_compile_adjustments(c, doc, r)) < 0 ||
	    (rc = lr_compile_scope(c, doc, r)) < 0)
		return rc;
	if (r->nvax > 0 && r->columns != LR_COLS_VACCINATION) {
		int used = 0;

		for (int i = 0; i < r->nadj; i++)
			used |= r->adj[i].when == LR_WHEN_VACCINATION_NOT_MET;
		if (!used)
			return lr_fail_key(c, "vaccination",
			                   "có điều kiện tiêm chủng nhưng ma trận và điều chỉnh không dùng",
			                   "vaccination conditions are given but neither the matrix nor an adjustment uses them");
	}
	if (r->columns == LR_COLS_VACCINATION && r->nvax == 0)
		return lr_fail_key(c, "matrix", "cột vaccination cần điều kiện trong $.vaccination",
		                   "vaccination columns need conditions in $.vaccination");
	r->required |= LEVEL_HAS(LEVEL_F_POPULATION);
	for (int k = 0; k < LEVEL_IND_COUNT; k++)
		if (r->used_ind & (1u << k))
			r->required |= LEVEL_HAS(lr_ind_info[k].count);
	if ((r->used_ind & (1u << LEVEL_IND_CASES)) && r->two_week)
		r->required |= LEVEL_HAS(LEVEL_F_CASES_PREV_WEEK);
	r->any_assumption = lr_doc_has_assumption(doc);
	lr_plan_build(r);
	r->doc = json_incref(doc);
	return 0;
}

/* ---- one rule set ------------------------------------------------------- */

int lr_load_json(struct lr_ctx *c, const char *json, size_t len, json_t **out)
{
	json_error_t jerr;

	*out = NULL;
	if (json == NULL)
		return error_set(c->err, THC_EINVAL, "%s: không có nội dung", "%s: no content", c->file);
	if (len > LEVEL_RULES_MAX_BYTES)
		return error_set(c->err, THC_ETOOBIG, "%s: tệp quy tắc quá lớn (tối đa %d byte)",
		                 "%s: the rule file is too large (at most %d bytes)", c->file,
		                 LEVEL_RULES_MAX_BYTES);
	*out = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (*out == NULL)
		return error_set(c->err, THC_EINVAL, "%s: dòng %d, cột %d: JSON không hợp lệ: %s",
		                 "%s: line %d, column %d: invalid JSON: %s", c->file, jerr.line,
		                 jerr.column, jerr.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return lr_fail(c, "tệp quy tắc phải là một đối tượng JSON",
		               "a rule file must be a JSON object");
	}
	return 0;
}

void lr_rules_release(struct level_rules *r)
{
	if (r != NULL) {
		json_decref(r->doc);
		r->doc = NULL;
	}
}

int level_rules_parse(struct level_rules **out, const char *name, const char *json,
                      size_t len, struct error *err)
{
	struct level_rules *r = NULL;
	struct lr_ctx c;
	json_t *doc = NULL;
	int rc;

	*out = NULL;
	lr_ctx_init(&c, name, err);
	if ((rc = lr_load_json(&c, json, len, &doc)) < 0)
		goto out;
	if (json_is_string(json_object_get(doc, "extends"))) {
		rc = lr_fail_key(&c, "extends", "bộ quy tắc mở rộng cần bộ gốc: hãy nạp cả hai vào một danh mục",
		                 "a variant needs its base: load both into a catalog");
		goto out;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = lr_compile(r, doc, &c)) < 0)
		goto out;
	*out = r;
	r = NULL;
out:
	level_rules_free(r);
	json_decref(doc);
	return rc;
}

void level_rules_free(struct level_rules *r)
{
	lr_rules_release(r);
	free(r);
}

const char *level_rules_id(const struct level_rules *r)
{
	return r->id;
}

const char *level_rules_title(const struct level_rules *r, int english)
{
	return english ? r->title_en : r->title_vi;
}

const char *level_rules_applies_to(const struct level_rules *r)
{
	return r->applies_to;
}

const char *level_rules_extends(const struct level_rules *r)
{
	return r->extends;
}

int32_t level_rules_from(const struct level_rules *r)
{
	return r->from;
}

int32_t level_rules_to(const struct level_rules *r)
{
	return r->to;
}

int level_rules_first_weekday(const struct level_rules *r)
{
	return r->first_weekday;
}

int level_rules_in_force(const struct level_rules *r, const char *province, int32_t day)
{
	if (day < r->from || day > r->to)
		return 0;
	if (r->applies_to == NULL)
		return 1;
	return province != NULL && strcmp(province, r->applies_to) == 0;
}

enum level_scope_method level_rules_scope_method(const struct level_rules *r,
                                                 enum level_scope s)
{
	return (unsigned)s < LEVEL_SCOPE_COUNT ? r->scope[s].method : LEVEL_OWN_TOTALS;
}

unsigned level_rules_required(const struct level_rules *r)
{
	return r->required;
}

int level_rules_has_assumptions(const struct level_rules *r)
{
	return r->any_assumption;
}

char *level_rules_json(const struct level_rules *r)
{
	return json_dumps(r->doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

