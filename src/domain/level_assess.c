/*
 * Assessing a unit-week against a compiled rule set, and aggregating the
 * levels of the units below.  The hot path: no allocation, no lookups by
 * kind (struct lr_plan), explanations only when asked for.
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

static size_t lr_pct_offset(enum level_field f)
{
	switch (f) {
	case LEVEL_F_VAX1_18PLUS: return offsetof(struct level_input, vax1_18plus_pct);
	case LEVEL_F_VAXFULL_ELDERLY: return offsetof(struct level_input, vaxfull_elderly_pct);
	case LEVEL_F_VAXFULL: return offsetof(struct level_input, vaxfull_pct);
	default: return offsetof(struct level_input, vaxfull_highrisk_pct);
	}
}

/* Derives r->plan from the compiled rule set (see struct lr_plan). */
void lr_plan_build(struct level_rules *r)
{
	struct lr_plan *p = &r->plan;
	int fixed = r->trans_assumed;

	memset(p, 0, sizeof(*p));
	for (int k = 0; k < LEVEL_IND_COUNT; k++) {
		const struct lr_indicator *ind = &r->ind[k];

		p->nedges[k] = ind->nbands - 1;
		for (int i = 0; i < LEVEL_MAX - 1; i++)
			p->below[k][i] = INFINITY;
		for (int i = 0; i < ind->nbands; i++) {
			if (i < ind->nbands - 1)
				p->below[k][i] = ind->band[i].max_incl ?
				                 nextafter(ind->band[i].max, INFINITY) : ind->band[i].max;
			if (ind->band[i].assumed)
				p->band_assumed[k] |= 1u << i;
		}
	}
	if ((r->used_ind & (1u << LEVEL_IND_CASES)) && r->two_week_assumed)
		fixed = 1;
	for (int i = 0; i < r->nvax; i++) {
		p->vax_off[i] = lr_pct_offset(r->vax[i].field);
		p->vax_least[i] = r->vax[i].incl ? r->vax[i].min : nextafter(r->vax[i].min, INFINITY);
		fixed |= r->vax[i].assumed;
	}
	for (int i = 0; i < r->nadj; i++) {
		const struct lr_adjust *a = &r->adj[i];

		if (a->effect == LR_EFFECT_NO_DOWNGRADE)
			p->adj_flag[i] = LEVEL_ADJ_NO_DOWNGRADE;
		else if (a->when == LR_WHEN_VACCINATION_NOT_MET)
			p->adj_flag[i] = LEVEL_ADJ_VACCINATION;
		else
			p->adj_flag[i] = lr_ind_info[a->indicator].adj_flag;
		if (a->effect != LR_EFFECT_RAISE)
			continue;
		fixed |= a->assumed;
		if (a->stage == LR_STAGE_TRANSMISSION)
			p->raise_trans[p->nraise_trans++] = (unsigned char)i;
		else
			p->raise_level[p->nraise_level++] = (unsigned char)i;
	}
	p->fixed_assumed = fixed;
}

void lr_result_reset(const struct level_rules *r, struct level_result *out)
{
	out->level = LEVEL_NONE;
	out->rule_set = r ? r->id : NULL;
	out->cases_per_100k = out->oxygen_per_100k = out->deaths_per_100k = -1;
	out->cases_band = out->oxygen_band = out->deaths_band = 0;
	out->transmission_base = out->transmission = out->matrix_level = 0;
	out->vaccination = -1;
	out->capacity = -1;
	out->adjustments = 0;
	out->assumption = 0;
	out->missing = 0;
	out->children = out->children_unknown = 0;
	out->explain_vi[0] = '\0';
	out->explain_en[0] = '\0';
}



/*
 * 0 when no input is out of range, present or not; else lr_input_bad_field()
 * decides.  A quick test that may answer 1 for nothing (an absent field's
 * value, -0.0, counts whose bits together pass the cap) but never 0 for a
 * bad present field: counts OR'ed stay under a cap only if each does, and
 * percentages from +0 to 100 order like their bits.
 */
#define LR_BITS_100 UINT64_C(0x4059000000000000)   /* the bits of 100.0 */
static inline int lr_input_maybe_bad(const struct level_input *in)
{
	uint64_t p[4];
	uint64_t counts = (uint64_t)in->cases_week | (uint64_t)in->cases_prev_week |
	                  (uint64_t)in->oxygen_cases_week | (uint64_t)in->deaths_week;
	unsigned prev = (in->present >> LEVEL_F_PREVIOUS_LEVEL) & 1u;

	memcpy(&p[0], &in->vax1_18plus_pct, sizeof(p[0]));
	memcpy(&p[1], &in->vaxfull_elderly_pct, sizeof(p[1]));
	memcpy(&p[2], &in->vaxfull_pct, sizeof(p[2]));
	memcpy(&p[3], &in->vaxfull_highrisk_pct, sizeof(p[3]));
	return ((uint64_t)in->population - 1u > (uint64_t)LEVEL_POPULATION_MAX - 1u) |
	       (counts > (uint64_t)LEVEL_COUNT_MAX) |
	       (p[0] > LR_BITS_100) | (p[1] > LR_BITS_100) | (p[2] > LR_BITS_100) |
	       (p[3] > LR_BITS_100) |
	       ((unsigned)in->capacity_met > 1u) |
	       ((unsigned)in->capacity >= LEVEL_CAPACITY_COUNT) |
	       (prev & ((unsigned)in->previous_level - LEVEL_MIN > LEVEL_MAX - LEVEL_MIN));
}

/*
 * The band of a finite v: the edges rise strictly (the parser checks
 * min < max and contiguity), so the band is 1 + the number of edges v is
 * not below: the first band whose upper edge v is under (or on, when
 * inclusive), without jumps.  The values are finite: integer counts over a
 * population of at least 1.
 */
static inline int lr_plan_band(const struct lr_plan *p, int k, double v)
{
#if LEVEL_MAX != 4
#error "lr_plan_band() compares with LEVEL_MAX - 1 = 3 edges"
#endif
	return 1 + !(v < p->below[k][0]) + !(v < p->below[k][1]) + !(v < p->below[k][2]);
}

static inline int lr_plan_fires(const struct lr_adjust *a, const struct lr_eval *ev)
{
	double v;

	if (a->when == LR_WHEN_VACCINATION_NOT_MET)
		return ev->vacc == 0;
	v = ev->val[a->indicator];
	return a->inclusive ? v >= a->threshold : v > a->threshold;
}

/* The rare endings: no rules or input, an input out of range, a missing one. */
LR_COLD static int lr_assess_fail(const struct level_rules *r, const struct level_input *in,
                          unsigned flags, struct level_result *out)
{
	struct lr_text2 t;
	unsigned miss;
	int bad;

	lr_result_reset(r, out);
	lr_text_begin(&t, out, flags);
	if (r == NULL || in == NULL) {
		T2(&t, "Không đánh giá được: thiếu quy tắc hoặc dữ liệu",
		       "Not assessable: no rules or no input");
		return THC_EINVAL;
	}
	if ((bad = lr_input_bad_field(in)) >= 0) {
		T2(&t, "Không đánh giá được: giá trị ngoài khoảng ở ",
		       "Not assessable: value out of range in ");
		lr_text_field(&t, (enum level_field)bad);
		return THC_EINVAL;
	}
	miss = r->required & ~in->present;
	out->missing = miss;
	lr_text_missing(&t, miss);
	return 0;
}

/* Each indicator per 100,000 people and its band.  Integer numerators
 * and denominators, so that a value exactly on an edge (200 cases in
 * 1,000,000 people = 20) is exactly it. */
static void lr_eval_indicators(const struct level_rules *r, const struct level_input *in,
                               struct lr_eval *ev)
{
	const struct lr_plan *p = &r->plan;
	double pop = (double)in->population;
	int64_t per[LEVEL_IND_DEATHS + 1] = { 0 };

	per[LEVEL_IND_CASES] = in->cases_week;
	per[LEVEL_IND_OXYGEN] = in->oxygen_cases_week;
	per[LEVEL_IND_DEATHS] = in->deaths_week;
	for (int k = LEVEL_IND_CASES; k <= LEVEL_IND_DEATHS; k++) {
		ev->val[k] = -1;
		ev->band[k] = 0;
		if (!(r->used_ind & (1u << k)))
			continue;
		if (k == LEVEL_IND_CASES && r->two_week)
			ev->val[k] = (double)((in->cases_week + in->cases_prev_week) * 100000) / (2.0 * pop);
		else
			ev->val[k] = (double)(per[k] * 100000) / pop;
		if (p->nedges[k] >= 0)
			ev->band[k] = lr_plan_band(p, (enum level_indicator)k, ev->val[k]);
	}
}

/* The transmission level before adjustments (the highest band of the
 * indicators that decide it); 1 when that band rests on an assumption. */
static int lr_eval_transmission(const struct level_rules *r, struct lr_eval *ev)
{
	const struct lr_plan *p = &r->plan;
	int assumed = 0;

	ev->decider = 0;
	if (r->ntrans == 1) {           /* Decision 4800: cases alone */
		enum level_indicator k = r->trans[0];

		ev->t0 = ev->band[k];
		return (int)(p->band_assumed[k] >> (ev->t0 - 1)) & 1;
	}
	ev->t0 = 0;
	for (int i = 0; i < r->ntrans; i++) {
		enum level_indicator k = r->trans[i];
		int b = ev->band[k];

		assumed |= (int)(p->band_assumed[k] >> (b - 1)) & 1;
		ev->decider = b > ev->t0 ? i : ev->decider;
		ev->t0 = b > ev->t0 ? b : ev->t0;
	}
	return assumed;
}

/* Whether every vaccination threshold is met (-1: the rules have none). */
static void lr_eval_vaccination(const struct level_rules *r, const struct level_input *in,
                                struct lr_eval *ev)
{
	const struct lr_plan *p = &r->plan;

	ev->vacc = -1;
	ev->vax_failed = 0;
	if (r->nvax == 0)
		return;
	for (int i = 0; i < r->nvax; i++) {
		double v;

		memcpy(&v, (const char *)in + p->vax_off[i], sizeof(v));
		ev->vax_failed |= (unsigned)!(v >= p->vax_least[i]) << i;
	}
	ev->vacc = ev->vax_failed == 0;
}

/* The raising adjustments of one step, in order, on *value (ev->t or
 * ev->l, which the next one's condition may read); their flags. */
static unsigned lr_raise(const struct level_rules *r, const unsigned char *which, int n,
                         int *value, struct lr_eval *ev)
{
	unsigned flags = 0;

	for (int j = 0; j < n; j++) {
		int i = which[j];
		const struct lr_adjust *a = &r->adj[i];

		if (lr_plan_fires(a, ev)) {
			*value = *value + a->by > LEVEL_MAX ? LEVEL_MAX : *value + a->by;
			ev->after[i] = *value;
			ev->applied |= 1u << i;
			flags |= r->plan.adj_flag[i];
		}
	}
	return flags;
}

int level_assess(const struct level_rules *r, const struct level_input *in,
                 unsigned flags, struct level_result *out)
{
	struct lr_text2 t;
	struct lr_eval ev;
	int rc = lr_assess_eval(r, in, flags, out, &ev, &t);

	if (rc != 1)
		return rc;
	if (t.on)
		lr_explain(r, in, &ev, &t);
	return 0;
}

int lr_assess_eval(const struct level_rules *r, const struct level_input *in, unsigned flags,
                   struct level_result *out, struct lr_eval *evp, struct lr_text2 *tp)
{
	const struct lr_plan *p;
	struct lr_eval ev;
	unsigned adjustments;
	int assumed;

	if (out == NULL)
		return THC_EINVAL;
	if (r == NULL || in == NULL || (r->required & ~in->present) ||
	    (lr_input_maybe_bad(in) && lr_input_bad_field(in) >= 0))
		return lr_assess_fail(r, in, flags, out);
	p = &r->plan;

	lr_eval_indicators(r, in, &ev);
	assumed = p->fixed_assumed | lr_eval_transmission(r, &ev);
	lr_eval_vaccination(r, in, &ev);
	ev.applied = 0;
	ev.t = ev.t0;
	adjustments = lr_raise(r, p->raise_trans, p->nraise_trans, &ev.t, &ev);
	ev.col = r->columns == LR_COLS_VACCINATION ? (ev.vacc ? 0 : 1) : (int)in->capacity;
	ev.m = r->cell[ev.t - 1][ev.col];
	assumed |= r->cell_assumed[ev.t - 1][ev.col];
	ev.l = ev.m;
	adjustments |= lr_raise(r, p->raise_level, p->nraise_level, &ev.l, &ev);

	out->rule_set = r->id;
	out->cases_per_100k = ev.val[LEVEL_IND_CASES];
	out->oxygen_per_100k = ev.val[LEVEL_IND_OXYGEN];
	out->deaths_per_100k = ev.val[LEVEL_IND_DEATHS];
	out->cases_band = ev.band[LEVEL_IND_CASES];
	out->oxygen_band = ev.band[LEVEL_IND_OXYGEN];
	out->deaths_band = ev.band[LEVEL_IND_DEATHS];
	out->transmission_base = ev.t0;
	out->transmission = ev.t;
	out->matrix_level = ev.m;
	out->vaccination = ev.vacc;
	out->capacity = r->columns == LR_COLS_CAPACITY ? (int)in->capacity : -1;
	out->missing = 0;
	out->children = out->children_unknown = 0;
	lr_text_begin(tp, out, flags);

	/* No downgrade: the comparison with previous_level is data, so it
	 * selects rather than jumps. */
	ev.kept = 0;
	if (r->no_downgrade >= 0) {
		int nd = r->no_downgrade;
		int need = (int)((in->present >> LEVEL_F_PREVIOUS_LEVEL) & 1u) &
		           (in->previous_level > ev.l);

		/* Whether the level may go down depends on capacity: unknown
		 * capacity here is a missing input, not a guess. */
		if (need && !(in->present & LEVEL_HAS(LEVEL_F_CAPACITY_MET))) {
			out->level = LEVEL_NONE;
			out->adjustments = 0;
			out->assumption = 0;
			out->missing = LEVEL_HAS(LEVEL_F_CAPACITY_MET);
			lr_text_missing(tp, out->missing);
			return 0;
		}
		assumed |= need & r->adj[nd].assumed;
		ev.kept = need & (in->capacity_met == 0);
		ev.l = ev.kept ? in->previous_level : ev.l;
		ev.applied |= (unsigned)ev.kept << nd;
		adjustments |= ev.kept ? (unsigned)LEVEL_ADJ_NO_DOWNGRADE : 0u;
	}

	out->level = ev.l;
	out->assumption = assumed;
	out->adjustments = adjustments;
	*evp = ev;
	return 1;
}

/* ---- aggregation from the units below --------------------------------- */

/* The first threshold met, or -1 (then "otherwise"). */
static int lr_agg_eval(const struct lr_scope *sc, const size_t *at_least_count, size_t n)
{
	for (int i = 0; i < sc->nth; i++) {
		const struct lr_threshold *th = &sc->th[i];
		double share = 100.0 * (double)at_least_count[th->at_least] / (double)n;

		if (th->incl ? share >= th->min_share : share > th->min_share)
			return i;
	}
	return -1;
}

int level_aggregate(const struct level_rules *r, enum level_scope scope,
                    const int *child_levels, size_t n, unsigned flags,
                    struct level_result *out)
{
	size_t count[LEVEL_MAX + 1] = { 0 }, lo[LEVEL_MAX + 1], hi[LEVEL_MAX + 1];
	const struct lr_scope *sc;
	struct lr_text2 t;
	int ilo, ihi, level;

	if (out == NULL)
		return THC_EINVAL;
	lr_result_reset(r, out);
	lr_text_begin(&t, out, flags);
	if (r == NULL || (unsigned)scope >= LEVEL_SCOPE_COUNT ||
	    r->scope[scope].method != LEVEL_CHILDREN_LEVELS || (n > 0 && child_levels == NULL)) {
		T2(&t, "Không đánh giá được: phạm vi này không tính theo đơn vị trực thuộc",
		       "Not assessable: this scope is not assessed from the units below");
		return THC_EINVAL;
	}
	sc = &r->scope[scope];
	for (size_t i = 0; i < n; i++) {
		if (child_levels[i] < LEVEL_NONE || child_levels[i] > LEVEL_MAX) {
			T2(&t, "Không đánh giá được: cấp độ đơn vị trực thuộc không hợp lệ",
			       "Not assessable: invalid level of a unit below");
			return THC_EINVAL;
		}
		count[child_levels[i]]++;
	}
	out->children = (int)n;
	out->children_unknown = (int)count[LEVEL_NONE];
	if (n == 0) {
		T2(&t, "Không đánh giá được: không có đơn vị trực thuộc",
		       "Not assessable: no units below");
		return 0;
	}
	/* lo[k] / hi[k]: children at level >= k with every unknown at 1 / at 4. */
	lo[LEVEL_MAX] = count[LEVEL_MAX];
	for (int k = LEVEL_MAX - 1; k >= LEVEL_MIN; k--)
		lo[k] = lo[k + 1] + count[k];
	lo[LEVEL_MIN] += count[LEVEL_NONE];
	for (int k = LEVEL_MIN; k <= LEVEL_MAX; k++)
		hi[k] = lo[k] + (k > LEVEL_MIN ? count[LEVEL_NONE] : 0);
	ilo = lr_agg_eval(sc, lo, n);
	ihi = lr_agg_eval(sc, hi, n);
	if (ilo != ihi) {
		T2(&t, "Không đánh giá được: ", "Not assessable: ");
		t2_int(&t, (long)count[LEVEL_NONE]);
		T2(&t, "/", " of ");
		t2_int(&t, (long)n);
		T2(&t, " đơn vị trực thuộc chưa có cấp độ", " units below have no level");
		return 0;
	}
	level = ilo >= 0 ? sc->th[ilo].level : sc->otherwise;
	out->level = level;
	out->assumption = sc->assumed || (ilo >= 0 ? sc->th[ilo].assumed : sc->otherwise_assumed);
	for (int i = 0; i < sc->nth && i <= ilo; i++)
		out->assumption |= sc->th[i].assumed;
	if (!t.on)
		return 0;
	T2(&t, "Cấp ", "Level ");
	t2_int(&t, level);
	T2(&t, ": ", ": ");
	if (ilo >= 0) {
		const struct lr_threshold *th = &sc->th[ilo];

		t2_int(&t, (long)lo[th->at_least]);
		T2(&t, "/", " of ");
		t2_int(&t, (long)n);
		T2(&t, " đơn vị trực thuộc (", " units below (");
		t2_num(&t, 100.0 * (double)lo[th->at_least] / (double)n, 1, 0);
		T2(&t, " %) ở cấp ", " %) at level ");
		if (th->at_least < LEVEL_MAX)
			T2(&t, "≥ ", "≥ ");
		t2_int(&t, th->at_least);
		T2(&t, " (", " (");
		t2_add(&t, th->share_vi, th->share_en);
		T2(&t, " %)", " %)");
		t2_mark(&t, th->assumed || sc->assumed);
	} else {
		T2(&t, "không ngưỡng nào đạt (", "no threshold reached (");
		t2_int(&t, (long)n);
		T2(&t, " đơn vị trực thuộc)", " units below)");
		t2_mark(&t, sc->otherwise_assumed || sc->assumed);
	}
	if (count[LEVEL_NONE] > 0) {
		T2(&t, "; ", "; ");
		t2_int(&t, (long)count[LEVEL_NONE]);
		T2(&t, " đơn vị chưa có cấp độ, không ảnh hưởng kết quả",
		       " without a level, not decisive");
	}
	return 0;
}

