/*
 * A value made once, by whichever thread needs it first (a request, or a
 * warm-up thread started beside the first requests); the others wait for
 * it.  serve uses it so that large data nobody has asked for yet does not
 * delay its first answer.
 */
#ifndef THC_BASE_LAZY_H
#define THC_BASE_LAZY_H

#include <pthread.h>

struct lazy {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state;                  /* 0 not begun, 1 being made, 2 made */
	void *(*make)(void *arg);   /* its result, NULL allowed (then every get is NULL) */
	void *arg;
	void *value;
};

void lazy_init(struct lazy *l, void *(*make)(void *arg), void *arg);
/* The value: made now by this thread, or waited for while another makes it. */
void *lazy_get(struct lazy *l);
/* The value if it was made, else NULL (and it never will be: for freeing). */
void *lazy_take(struct lazy *l);
void lazy_destroy(struct lazy *l);

#endif
