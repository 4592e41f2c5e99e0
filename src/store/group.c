/*
 * Group commit (group.h): leader and followers on one mutex and one
 * condition variable.
 */
#include <pthread.h>
#include <stdlib.h>

#include "store/group.h"
#include "base/banned.h"

/* The most writes one transaction holds: the bodies run one after another,
 * so this bounds the wait of the first of them. */
#define GROUP_MAX 128

struct group_job {
	const struct store_actor *who;
	store_body_fn *body;
	void *ctx;
	struct error *err;
	int rc, done;
	struct group_job *next;
};

struct store_group {
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct group_job *head, **tail;
	int leading;                  /* a group is being committed */
	struct store *writer;         /* owned: used by the leader alone */
};

int store_group_new(struct store_group **out, const char *url, struct error *err)
{
	struct store_group *g = calloc(1, sizeof(*g));
	int rc;

	if (g == NULL)
		return store_oom(err);
	if ((rc = store_open(url, &g->writer, err)) < 0) {
		free(g);
		return rc;
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->done, NULL);
	g->tail = &g->head;
	*out = g;
	return 0;
}

void store_group_free(struct store_group *g)
{
	if (g == NULL)
		return;
	store_close(g->writer);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->done);
	free(g);
}

/* Every job of the group fails with err (the transaction is gone). */
static void group_fail(struct group_job *jobs, const struct error *err)
{
	for (struct group_job *j = jobs; j; j = j->next)
		if (j->rc == 0) {
			*j->err = *err;
			j->rc = err->code ? err->code : THC_EINTERNAL;
		}
}

/*
 * Runs the jobs in one transaction on st.  A job alone needs no savepoint:
 * its failure rolls the transaction back.  With several, each runs under
 * a savepoint so that a failed body leaves the others; if even that
 * rollback fails (SQLite rolled the whole transaction back on a disk or
 * memory error), every job of the group fails.
 */
static void group_run(struct store *st, struct group_job *jobs)
{
	struct error e = ERROR_INIT;
	int many = jobs->next != NULL;

	if (sql_begin(st, 1, &e) < 0) {
		group_fail(jobs, &e);
		return;
	}
	for (struct group_job *j = jobs; j; j = j->next) {
		if (many && sql_exec(st, "SAVEPOINT group_job", &e) < 0)
			break;
		j->rc = store_write_body(st, j->who, j->body, j->ctx, j->err);
		if (!many)
			break;
		if (j->rc < 0 && sql_exec(st, "ROLLBACK TO group_job", &e) < 0)
			break;
		if (sql_exec(st, "RELEASE group_job", &e) < 0)
			break;
	}
	if (e.code == 0 && (many || jobs->rc == 0)) {
		if (sql_commit(st, &e) == 0)
			return;
	} else {
		sql_rollback(st);
	}
	if (e.code)
		group_fail(jobs, &e);
}

/* The first GROUP_MAX queued jobs, cut from the queue (under g->lock). */
static struct group_job *group_take(struct store_group *g)
{
	struct group_job *jobs = g->head, **cut = &g->head;

	for (int n = 0; *cut && n < GROUP_MAX; n++)
		cut = &(*cut)->next;
	g->head = *cut;
	*cut = NULL;
	if (g->head == NULL)
		g->tail = &g->head;
	return jobs;
}

int store_group_write(struct store_group *g, const struct store_actor *who,
                      store_body_fn *body, void *ctx, struct error *err)
{
	struct group_job job = { .who = who, .body = body, .ctx = ctx, .err = err };
	struct group_job *jobs;

	pthread_mutex_lock(&g->lock);
	*g->tail = &job;
	g->tail = &job.next;
	while (!job.done) {
		if (g->leading) {
			pthread_cond_wait(&g->done, &g->lock);
			continue;
		}
		/* Lead: take the queue's first GROUP_MAX jobs; when this job is
		 * not among them, it leads again once they are done. */
		g->leading = 1;
		jobs = group_take(g);
		pthread_mutex_unlock(&g->lock);
		group_run(g->writer, jobs);
		pthread_mutex_lock(&g->lock);
		for (struct group_job *j = jobs, *next; j; j = next) {
			next = j->next;   /* a woken follower's job leaves its stack */
			j->done = 1;
		}
		g->leading = 0;
		pthread_cond_broadcast(&g->done);
	}
	pthread_mutex_unlock(&g->lock);
	return job.rc;
}
