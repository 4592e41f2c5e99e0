/*
 * Writing the results of `thichung assess`: a CSV line per row, in the
 * order of the input.  A large input is written by two threads, each with
 * its own work areas and cache of explanations, chunk by chunk.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/outbuf.h"
#include "base/text.h"
#include "cli/assess.h"
#include "base/banned.h"

/* Rows under this are written by one thread (a second one would not pay). */
#define ASSESS_TWO_THREADS_MIN 20000

int assess_scratch_new(struct assess_scratch *w, const struct assess_ctx *a)
{
	size_t n = a->units.n ? a->units.n : 1;

	memset(w, 0, sizeof(*w));
	w->res = malloc(sizeof(*w->res));
	w->rules = calloc(n, sizeof(*w->rules));
	w->in = calloc(n, sizeof(*w->in));
	w->scratch = malloc((level_tree_max_children(a->units.tree) + 1) * sizeof(*w->scratch));
	if (w->res == NULL || w->rules == NULL || w->in == NULL || w->scratch == NULL ||
	    level_text_cache_new(&w->cache, a->english) < 0) {
		assess_scratch_free(w);
		return THC_ENOMEM;
	}
	return 0;
}

void assess_scratch_free(struct assess_scratch *w)
{
	level_text_cache_free(w->cache);
	free(w->scratch);
	free(w->rules);
	free(w->in);
	free(w->res);
	memset(w, 0, sizeof(*w));
}

/* One row's result: the unit's own totals through the cache of
 * explanations, an aggregate from the levels of its children. */
static void assess_row_result(const struct assess_ctx *a, const struct assess_row *row,
                              struct assess_scratch *w)
{
	if (level_rules_scope_method(row->rules, assess_scope(a->units.v[row->unit].level)) ==
	    LEVEL_OWN_TOTALS) {
		level_assess_cached(w->cache, row->rules, &row->in, w->res);
		return;
	}
	/* Only this row's own node is set: an aggregate reads the levels of
	 * its children from the week's run. */
	w->rules[row->unit] = row->rules;
	w->in[row->unit] = &row->in;
	level_tree_result(a->units.tree, w->rules, w->in, a->weeks[row->week].levels,
	                  (size_t)row->unit, 0, w->scratch, w->res);
	w->rules[row->unit] = NULL;
	w->in[row->unit] = NULL;
}

/* Room for a row: the fields as csv_format_field may double them. */
#define ASSESS_ROW_OUT (2 * (ASSESS_CODE_MAX + 12 + TEXT_TENTHS_MAX + LEVEL_ID_MAX + \
                             LEVEL_TEXT_MAX) + 5 * 5)

/* Rows [from, to) into o.  The level (a digit or nothing) and the cases
 * (digits, a point, a digit) never need quotes; the rule set's id, which
 * rows mostly share, is quoted once per run of rows with the same. */
static int assess_write_rows(const struct assess_ctx *a, size_t from, size_t to,
                             struct outbuf *o, struct assess_scratch *w)
{
	struct level_result *res = w->res;
	const struct level_rules *id_of = NULL;
	char id[2 * LEVEL_ID_MAX + 5];
	size_t id_len = 0;
	char *p;

	for (size_t i = from; i < to; i++) {
		const struct assess_row *row = &a->rows[i];
		size_t n;

		assess_row_result(a, row, w);
		if ((p = outbuf_room(o, ASSESS_ROW_OUT)) == NULL)
			return THC_EIO;
		n = csv_format_field(p, a->units.v[row->unit].code, 0);
		if (res->level > 0)
			p[n++] = (char)('0' + res->level);
		p[n++] = ',';
		/* Rounded as the explanation rounds: half away from zero. */
		if (res->cases_per_100k >= 0)
			n += text_tenths(p + n, res->cases_per_100k);
		p[n++] = ',';
		if (row->rules != id_of) {
			id_of = row->rules;
			id_len = csv_format_field(id, level_rules_id(row->rules), 0);
		}
		memcpy(p + n, id, id_len);
		n += id_len;
		n += csv_format_field(p + n, a->english ? res->explain_en : res->explain_vi, 1);
		outbuf_commit(o, n);
	}
	return 0;
}

/*
 * Two threads: the rows go in chunks, the even ones made by the caller's
 * thread straight into the output, the odd ones by a second thread into
 * one of two memory buffers, which the caller writes out in their turn
 * and hands back.  Memory stays two chunks, whatever the input.
 */
struct assess_pair {
	const struct assess_ctx *a;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct outbuf slot[2];
	int ready[2];                  /* slot holds its chunk's lines */
	int stop;                      /* the caller gave up: the worker ends */
	int rc;                        /* the worker's error */
	struct assess_scratch w;
};

static size_t assess_chunks(const struct assess_ctx *a)
{
	return (a->n + ASSESS_CHUNK_ROWS - 1) / ASSESS_CHUNK_ROWS;
}

static void assess_chunk_rows(const struct assess_ctx *a, size_t c, size_t *from, size_t *to)
{
	*from = c * ASSESS_CHUNK_ROWS;
	*to = *from + ASSESS_CHUNK_ROWS < a->n ? *from + ASSESS_CHUNK_ROWS : a->n;
}

static void *assess_pair_run(void *arg)
{
	struct assess_pair *pr = arg;
	size_t nc = assess_chunks(pr->a);

	for (size_t c = 1; c < nc; c += 2) {
		struct outbuf *o = &pr->slot[(c / 2) % 2];
		int *ready = &pr->ready[(c / 2) % 2];
		size_t from, to;
		int rc, stop;

		pthread_mutex_lock(&pr->mu);
		while (*ready && !pr->stop)
			pthread_cond_wait(&pr->cv, &pr->mu);
		stop = pr->stop;
		pthread_mutex_unlock(&pr->mu);
		if (stop)
			break;
		o->len = 0;
		assess_chunk_rows(pr->a, c, &from, &to);
		rc = assess_write_rows(pr->a, from, to, o, &pr->w);
		pthread_mutex_lock(&pr->mu);
		pr->rc = rc;
		*ready = 1;
		pthread_cond_broadcast(&pr->cv);
		pthread_mutex_unlock(&pr->mu);
		if (rc < 0)
			break;
	}
	return NULL;
}

/* The caller's side: its chunks into o, the worker's copied after them. */
static int assess_pair_write(struct assess_pair *pr, struct outbuf *o, struct assess_scratch *w)
{
	size_t nc = assess_chunks(pr->a);
	int rc = 0;

	for (size_t c = 0; c < nc && rc == 0; c++) {
		size_t from, to;
		int k = (int)(c / 2) % 2;

		if (c % 2 == 0) {
			assess_chunk_rows(pr->a, c, &from, &to);
			rc = assess_write_rows(pr->a, from, to, o, w);
			continue;
		}
		pthread_mutex_lock(&pr->mu);
		while (!pr->ready[k])
			pthread_cond_wait(&pr->cv, &pr->mu);
		rc = pr->rc;
		pthread_mutex_unlock(&pr->mu);
		if (rc == 0)
			rc = outbuf_add(o, pr->slot[k].buf, pr->slot[k].len);
		pthread_mutex_lock(&pr->mu);
		pr->ready[k] = 0;
		pr->stop = rc < 0;
		pthread_cond_broadcast(&pr->cv);
		pthread_mutex_unlock(&pr->mu);
	}
	return rc;
}

static void assess_pair_free(struct assess_pair *pr)
{
	outbuf_free(&pr->slot[0]);
	outbuf_free(&pr->slot[1]);
	assess_scratch_free(&pr->w);
	pthread_cond_destroy(&pr->cv);
	pthread_mutex_destroy(&pr->mu);
}

/* Starts the second thread; 0 when it could not or would not pay (then
 * the caller writes every row itself). */
static int assess_pair_start(const struct assess_ctx *a, struct assess_pair *pr, pthread_t *t)
{
	memset(pr, 0, sizeof(*pr));
	pr->a = a;
	if (a->n < ASSESS_TWO_THREADS_MIN || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return 0;
	pthread_mutex_init(&pr->mu, NULL);
	pthread_cond_init(&pr->cv, NULL);
	if (assess_scratch_new(&pr->w, a) < 0 ||
	    outbuf_init(&pr->slot[0], -1, ASSESS_CHUNK_BUF) < 0 ||
	    outbuf_init(&pr->slot[1], -1, ASSESS_CHUNK_BUF) < 0 ||
	    pthread_create(t, NULL, assess_pair_run, pr) != 0) {
		assess_pair_free(pr);
		return 0;
	}
	return 1;
}

int assess_write(const struct assess_ctx *a, struct outbuf *o, struct assess_scratch *w)
{
	static const char head[] = "unit_code,level,cases_per_100k,rule_set,explanation\r\n";
	struct assess_pair pr;
	pthread_t t;
	int rc = outbuf_add(o, head, sizeof(head) - 1);

	if (rc == 0 && assess_pair_start(a, &pr, &t)) {
		rc = assess_pair_write(&pr, o, w);
		pthread_mutex_lock(&pr.mu);
		pr.stop = 1;
		pthread_cond_broadcast(&pr.cv);
		pthread_mutex_unlock(&pr.mu);
		pthread_join(t, NULL);
		assess_pair_free(&pr);
	} else if (rc == 0) {
		rc = assess_write_rows(a, 0, a->n, o, w);
	}
	if (rc == 0)
		rc = outbuf_flush(o);
	return rc < 0 ? THC_EIO : 0;
}
