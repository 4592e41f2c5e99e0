/*
 * Numbers and explanations in Vietnamese and English ("Cấp 3: lây nhiễm cấp
 * 3 ...", "Level 3: transmission 3 ..."), written with the bilingual
 * writer of level-private.h.
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

/*
 * Fixed-point text without printf (it runs for every assessment): rounds
 * half away from zero to `decimals`, groups thousands ("." in Vietnamese,
 * "," in English), uses a decimal comma in Vietnamese, and with `trim`
 * drops trailing zeros.  out holds at least LR_NUM_TEXT bytes.
 */
size_t lr_fmt_num(char *out, double v, int decimals, int trim, int english)
{
	static const int64_t pow10[] = { 1, 10, 100, 1000 };
	char digits[24];
	size_t nd = 0, n = 0;
	int64_t scaled, ip, fp;
	double x;
	int neg = v < 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 3)
		decimals = 3;
	if (!isfinite(v) || fabs(v) > 1e15) {
		memcpy(out, "?", 2);
		return 1;
	}
	/* llround() of x >= 0 without the call: x - its integer part is
	 * exact, so ">= 0.5" rounds half away from zero as it does. */
	x = fabs(v) * (double)pow10[decimals];
	scaled = (int64_t)x;
	scaled += x - (double)scaled >= 0.5;
	ip = scaled / pow10[decimals];
	fp = scaled % pow10[decimals];
	if (neg && scaled != 0)
		out[n++] = '-';
	do {
		digits[nd++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	while (nd > 0) {
		out[n++] = digits[--nd];
		if (nd > 0 && nd % 3 == 0)
			out[n++] = english ? ',' : '.';
	}
	if (decimals > 0) {
		char frac[4];
		int k = decimals;

		for (int i = decimals - 1; i >= 0; i--) {
			frac[i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		if (trim)
			while (k > 0 && frac[k - 1] == '0')
				k--;
		if (k > 0) {
			out[n++] = english ? '.' : ',';
			memcpy(out + n, frac, (size_t)k);
			n += (size_t)k;
		}
	}
	out[n] = '\0';
	return n;
}

/* "≥ 80", "> 6", "< 20", "≤ 600" */
void lr_fmt_cmp(char *out, size_t outsz, const char *op, double v, int english)
{
	char num[LR_NUM_TEXT];

	lr_fmt_num(num, v, 2, 1, english);
	snprintf(out, outsz, "%s %s", op, num);
}


/* With LEVEL_NO_TEXT the explanations are only emptied (t2_* do nothing). */
void lr_text_begin(struct lr_text2 *t, struct level_result *out, unsigned flags)
{
	t->on = !(flags & LEVEL_NO_TEXT);
	t->slots = NULL;
	if (!t->on) {
		out->explain_vi[0] = '\0';
		out->explain_en[0] = '\0';
		return;
	}
	lt_init(&t->vi, out->explain_vi, sizeof(out->explain_vi));
	lt_init(&t->en, out->explain_en, sizeof(out->explain_en));
}

/* An input named in words, as the indicators form labels it: the
 * explanation is read by the commune (the API's "missing" keeps the names). */
static const char *const lt_field_words[LEVEL_F_COUNT][2] = {
	[LEVEL_F_POPULATION]        = { "dân số", "population" },
	[LEVEL_F_CASES_WEEK]        = { "ca mắc cộng đồng trong tuần", "community cases this week" },
	[LEVEL_F_CASES_PREV_WEEK]   = { "ca mắc tuần trước", "cases last week" },
	[LEVEL_F_VAX1_18PLUS]       = { "% người ≥ 18 tuổi tiêm ≥ 1 mũi", "% aged 18+ with ≥ 1 dose" },
	[LEVEL_F_VAXFULL_ELDERLY]   = { "% người cao tuổi tiêm đủ liều", "% elderly fully vaccinated" },
	[LEVEL_F_CAPACITY_MET]      = { "đáp ứng năng lực y tế", "health capacity met" },
	[LEVEL_F_CAPACITY]          = { "năng lực y tế", "health capacity" },
	[LEVEL_F_PREVIOUS_LEVEL]    = { "cấp độ tuần trước", "the previous level" },
	[LEVEL_F_OXYGEN_CASES_WEEK] = { "ca thở ô xy trong tuần", "cases on oxygen this week" },
	[LEVEL_F_DEATHS_WEEK]       = { "tử vong trong tuần", "deaths this week" },
	[LEVEL_F_VAXFULL]           = { "% dân số tiêm đủ liều", "% population fully vaccinated" },
	[LEVEL_F_VAXFULL_HIGHRISK]  = { "% người nguy cơ cao tiêm đủ liều", "% high-risk fully vaccinated" },
};

void lr_text_field(struct lr_text2 *t, enum level_field f)
{
	t2_add(t, lt_field_words[f][0], lt_field_words[f][1]);
}

void lr_text_missing(struct lr_text2 *t, unsigned missing)
{
	const char *sep = "";

	T2(t, "Không đánh giá được: thiếu ", "Not assessable: missing ");
	for (int f = 0; f < LEVEL_F_COUNT; f++)
		if (missing & LEVEL_HAS(f)) {
			t2_add(t, sep, sep);
			lr_text_field(t, (enum level_field)f);
			sep = ", ";
		}
}

static void lr_text_indicator(struct lr_text2 *t, const struct level_rules *r,
                              const struct lr_eval *ev, enum level_indicator k)
{
	const struct lr_band *b = &r->ind[k].band[ev->band[k] - 1];

	t2_slot(t, LR_SLOT_VAL, (int)k, ev->val[k]);
	T2(t, " ", " ");
	t2_add(t, lr_ind_info[k].unit_vi, lr_ind_info[k].unit_en);
	T2(t, " (", " (");
	t2_add(t, b->text_vi, b->text_en);
	if (b->assumed)
		T2(t, ", giả định", ", assumption");
	T2(t, ")", ")");
	if (k == LEVEL_IND_CASES && r->two_week) {
		T2(t, ", trung bình 2 tuần", ", two-week average");
		t2_mark(t, r->two_week_assumed);
	}
}

/* "; 7,0 ca tử vong/100.000 dân/tuần (> 6, giả định)" */
static void lr_text_above(struct lr_text2 *t, const struct lr_adjust *a,
                          const struct lr_eval *ev)
{
	T2(t, "; ", "; ");
	t2_slot(t, LR_SLOT_VAL, (int)a->indicator, ev->val[a->indicator]);
	T2(t, " ", " ");
	t2_add(t, lr_ind_info[a->indicator].unit_vi, lr_ind_info[a->indicator].unit_en);
	T2(t, " (", " (");
	t2_add(t, a->thr_vi, a->thr_en);
	if (a->assumed)
		T2(t, ", giả định", ", assumption");
	T2(t, ")", ")");
}

/* Out of line: a bulk run (LEVEL_NO_TEXT) keeps level_assess() small. */
LR_NOINLINE void lr_explain(const struct level_rules *r, const struct level_input *in,
                                   const struct lr_eval *ev, struct lr_text2 *t)
{
	T2(t, "Cấp ", "Level ");
	t2_int(t, ev->l);
	T2(t, ": ", ": ");
	if (r->ntrans > 1) {
		T2(t, "lây nhiễm cấp ", "transmission ");
		t2_int(t, ev->t0);
		T2(t, " (chỉ số cao nhất", " (highest indicator");
		if (r->trans_assumed)
			T2(t, ", giả định", ", assumption");
		T2(t, "): ", "): ");
		lr_text_indicator(t, r, ev, r->trans[ev->decider]);
		for (int i = 0; i < r->ntrans; i++)
			if (i != ev->decider) {
				T2(t, " và ", " and ");
				lr_text_indicator(t, r, ev, r->trans[i]);
			}
	} else {
		lr_text_indicator(t, r, ev, r->trans[0]);
	}
	if (r->nvax > 0) {
		if (ev->vacc) {
			T2(t, "; tiêm chủng đạt", "; vaccination met");
		} else {
			const char *sep_vi = ": ", *sep_en = ": ";

			T2(t, "; tiêm chủng chưa đạt", "; vaccination not met");
			for (int i = 0; i < r->nvax; i++) {
				const struct lr_cond *cd = &r->vax[i];

				if (!(ev->vax_failed & (1u << i)))
					continue;
				t2_add(t, sep_vi, sep_en);
				t2_add(t, cd->label_vi, cd->label_en);
				T2(t, " ", " ");
				t2_slot(t, LR_SLOT_PCT, (int)cd->field, lr_pct_value(in, cd->field));
				T2(t, " % (cần ", " % (needs ");
				t2_add(t, cd->min_vi, cd->min_en);
				T2(t, " %", " %");
				if (cd->assumed)
					T2(t, ", giả định", ", assumption");
				T2(t, ")", ")");
				sep_vi = " và ";
				sep_en = " and ";
			}
		}
	}
	for (int i = 0; i < r->nadj; i++) {
		const struct lr_adjust *a = &r->adj[i];

		if (!(ev->applied & (1u << i)) || a->effect != LR_EFFECT_RAISE ||
		    a->stage != LR_STAGE_TRANSMISSION)
			continue;
		if (a->when == LR_WHEN_ABOVE)
			lr_text_above(t, a, ev);
		T2(t, " → lây nhiễm cấp ", " → transmission ");
		t2_int(t, ev->after[i]);
		t2_mark(t, a->assumed);
	}
	if (r->columns == LR_COLS_CAPACITY) {
		T2(t, "; năng lực đáp ứng ", "; response capacity ");
		t2_add(t, lr_capacity_info[ev->col].vi, lr_capacity_info[ev->col].en);
	}
	if (r->cell_assumed[ev->t - 1][ev->col] || ev->m != ev->l ||
	    (r->columns == LR_COLS_VACCINATION && !ev->vacc)) {
		T2(t, " → cấp ", " → level ");
		t2_int(t, ev->m);
		t2_mark(t, r->cell_assumed[ev->t - 1][ev->col]);
	}
	for (int i = 0; i < r->nadj; i++) {
		const struct lr_adjust *a = &r->adj[i];

		if (!(ev->applied & (1u << i)) || a->effect != LR_EFFECT_RAISE ||
		    a->stage != LR_STAGE_LEVEL)
			continue;
		if (a->when == LR_WHEN_ABOVE)
			lr_text_above(t, a, ev);
		else
			T2(t, "; tiêm chủng chưa đạt", "; vaccination not met");
		T2(t, " → cấp ", " → level ");
		t2_int(t, ev->after[i]);
		t2_mark(t, a->assumed);
	}
	if (r->no_downgrade >= 0 && (in->present & LEVEL_HAS(LEVEL_F_CAPACITY_MET)) &&
	    in->capacity_met == 0) {
		T2(t, "; năng lực y tế chưa đạt", "; health capacity not met");
		if (ev->kept) {
			T2(t, ": giữ cấp ", ": stays at the previous level ");
			t2_int(t, in->previous_level);
			T2(t, " của lần đánh giá trước", "");
			t2_mark(t, r->adj[r->no_downgrade].assumed);
		}
	}
}
