/*
 * Explanations for many rows at once: most rows of a bulk assessment share
 * the shape of their explanation (band, conditions not met, adjustments,
 * levels) and differ only in their numbers.  Each shape is written once by
 * lr_explain() with the places of its numbers recorded (struct lr_slots);
 * a later row of the same shape copies the text around them and writes its
 * own numbers, the same bytes lr_explain() would write.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/level-private.h"
#include "base/banned.h"

#define LC_SLOTS 1024             /* a power of two */
#define LC_FILL_MAX (LC_SLOTS / 2)

/* Everything lr_explain() reads but the numbers it formats. */
struct lc_key {
	const struct level_rules *r;
	int l, t0, decider, t, m, col, vacc, kept, prev, capfail;
	unsigned vax_failed, applied;
	int band[LEVEL_IND_COUNT];
	int after[LR_ADJ_MAX];
};

struct lc_gap {
	unsigned short at;             /* where the number goes in text */
	unsigned char src, idx;        /* enum lr_slot_src and its index */
};

struct lc_entry {
	struct lc_key key;
	int used;
	unsigned short len, ngaps;     /* text without its numbers */
	struct lc_gap gap[LR_SLOTS_MAX];
	char text[LEVEL_TEXT_MAX];
};

struct level_text_cache {
	int english;
	size_t fill;
	struct lc_entry *e;            /* LC_SLOTS, open addressing */
};

int level_text_cache_new(struct level_text_cache **out, int english)
{
	struct level_text_cache *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (c == NULL || (c->e = calloc(LC_SLOTS, sizeof(*c->e))) == NULL) {
		free(c);
		return THC_ENOMEM;
	}
	c->english = english;
	*out = c;
	return 0;
}

void level_text_cache_free(struct level_text_cache *c)
{
	if (c == NULL)
		return;
	free(c->e);
	free(c);
}

static void lc_key_make(struct lc_key *k, const struct level_rules *r,
                        const struct level_input *in, const struct lr_eval *ev)
{
	memset(k, 0, sizeof(*k));     /* padding too: keys compare with memcmp */
	k->r = r;
	k->l = ev->l;
	k->t0 = ev->t0;
	k->decider = ev->decider;
	k->t = ev->t;
	k->m = ev->m;
	k->col = ev->col;
	k->vacc = ev->vacc;
	k->kept = ev->kept;
	k->prev = ev->kept ? in->previous_level : 0;
	k->capfail = (in->present & LEVEL_HAS(LEVEL_F_CAPACITY_MET)) && in->capacity_met == 0;
	k->vax_failed = ev->vax_failed;
	k->applied = ev->applied;
	for (int i = 0; i < LEVEL_IND_COUNT; i++)
		k->band[i] = ev->band[i];
	for (int i = 0; i < r->nadj && i < LR_ADJ_MAX; i++)
		if (ev->applied & (1u << i))
			k->after[i] = ev->after[i];
}

static size_t lc_hash(const struct lc_key *k)
{
	uint32_t w[sizeof(*k) / sizeof(uint32_t)];
	uint64_t h = 0x9e3779b97f4a7c15u;

	memcpy(w, k, sizeof(w));
	for (size_t i = 0; i < ARRAY_SIZE(w); i++)
		h = (h ^ w[i]) * 0x100000001b3u;
	return (size_t)(h ^ (h >> 29));
}

/* The entry of key, or the free slot where it goes (NULL: table full). */
static struct lc_entry *lc_find(struct level_text_cache *c, const struct lc_key *k)
{
	size_t i = lc_hash(k) & (LC_SLOTS - 1);

	for (size_t probe = 0; probe < LC_SLOTS; probe++, i = (i + 1) & (LC_SLOTS - 1))
		if (!c->e[i].used || memcmp(&c->e[i].key, k, sizeof(*k)) == 0)
			return &c->e[i];
	return NULL;
}

static double lc_value(const struct lc_gap *g, const struct level_input *in,
                       const struct lr_eval *ev)
{
	return g->src == LR_SLOT_VAL ? ev->val[g->idx]
	       : lr_pct_value(in, (enum level_field)g->idx);
}

/* The text of e with this row's numbers; e's bounds leave room for any. */
static void lc_replay(const struct level_text_cache *c, const struct lc_entry *e,
                      const struct level_input *in, const struct lr_eval *ev, char *out)
{
	size_t from = 0;

	for (int i = 0; i < e->ngaps; i++) {
		const struct lc_gap *g = &e->gap[i];
		int pct = g->src == LR_SLOT_PCT;

		memcpy(out, e->text + from, g->at - from);
		out += g->at - from;
		from = g->at;
		out += lr_fmt_num(out, lc_value(g, in, ev), pct ? 2 : 1, pct, c->english);
	}
	memcpy(out, e->text + from, e->len - from);
	out[e->len - from] = '\0';
}

/* Keeps the text just written for its shape, unless it came near the
 * cap: then a row with longer numbers could be cut where this one was not. */
static void lc_store(struct level_text_cache *c, struct lc_entry *e, const struct lc_key *k,
                     const struct lr_text2 *t, const struct lr_slots *sl)
{
	const struct lr_text *tx = c->english ? &t->en : &t->vi;
	size_t len = 0, from = 0;

	if (tx->full || sl->over || c->fill >= LC_FILL_MAX ||
	    tx->len + (size_t)sl->n * LR_NUM_TEXT + 4 > LEVEL_TEXT_MAX)
		return;
	for (int i = 0; i < sl->n; i++) {
		size_t a = c->english ? sl->v[i].en_from : sl->v[i].vi_from;
		size_t b = c->english ? sl->v[i].en_to : sl->v[i].vi_to;

		memcpy(e->text + len, tx->p + from, a - from);
		len += a - from;
		e->gap[i].at = (unsigned short)len;
		e->gap[i].src = sl->v[i].src;
		e->gap[i].idx = sl->v[i].idx;
		from = b;
	}
	memcpy(e->text + len, tx->p + from, tx->len - from);
	e->len = (unsigned short)(len + tx->len - from);
	e->ngaps = (unsigned short)sl->n;
	e->key = *k;
	e->used = 1;
	c->fill++;
}

int level_assess_cached(struct level_text_cache *c, const struct level_rules *r,
                        const struct level_input *in, struct level_result *out)
{
	struct lr_text2 t;
	struct lr_slots sl;
	struct lr_eval ev;
	struct lc_key k;
	struct lc_entry *e;
	int rc = lr_assess_eval(r, in, LEVEL_NO_TEXT, out, &ev, &t);

	if (rc != 1)     /* not assessable: the rare texts, written in full */
		return level_assess(r, in, 0, out);
	lc_key_make(&k, r, in, &ev);
	e = lc_find(c, &k);
	if (e != NULL && e->used) {
		lc_replay(c, e, in, &ev, c->english ? out->explain_en : out->explain_vi);
		return 0;
	}
	memset(&sl, 0, sizeof(sl));
	lr_text_begin(&t, out, 0);
	t.slots = &sl;
	lr_explain(r, in, &ev, &t);
	if (e != NULL)
		lc_store(c, e, &k, &t, &sl);
	return 0;
}
