/* A value made once on first need (lazy.h). */
#include "base/lazy.h"
#include "base/banned.h"

void lazy_init(struct lazy *l, void *(*make)(void *arg), void *arg)
{
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	l->state = 0;
	l->make = make;
	l->arg = arg;
	l->value = NULL;
}

void *lazy_get(struct lazy *l)
{
	void *v;

	pthread_mutex_lock(&l->mu);
	if (l->state == 0) {
		l->state = 1;
		pthread_mutex_unlock(&l->mu);
		v = l->make(l->arg);            /* outside the lock: others wait on cv */
		pthread_mutex_lock(&l->mu);
		l->value = v;
		l->state = 2;
		pthread_cond_broadcast(&l->cv);
	}
	while (l->state != 2)
		pthread_cond_wait(&l->cv, &l->mu);
	v = l->value;
	pthread_mutex_unlock(&l->mu);
	return v;
}

void *lazy_take(struct lazy *l)
{
	void *v;

	pthread_mutex_lock(&l->mu);
	while (l->state == 1)               /* being made: wait, then it is ours */
		pthread_cond_wait(&l->cv, &l->mu);
	v = l->state == 2 ? l->value : NULL;
	l->state = 2;
	l->value = NULL;
	pthread_mutex_unlock(&l->mu);
	return v;
}

void lazy_destroy(struct lazy *l)
{
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
}
