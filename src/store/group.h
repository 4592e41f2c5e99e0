/*
 * Group commit for one SQLite database (store_write): concurrent writes of
 * a pool's connections are run one after another in a single transaction
 * and committed together, so that one fsync makes a whole group durable.
 * SQLite has one writer at a time anyway; without this each write waits
 * in the busy handler and pays its own fsync.
 *
 * Leader and followers, no thread of its own: a write joins the queue;
 * if no group is being committed, its thread leads: it takes every queued
 * write, runs each body under its own savepoint on its own connection
 * (a body that fails is rolled back alone), commits once and wakes the
 * others.  A write is acknowledged only after the commit that holds it.
 * PostgreSQL groups concurrent commits itself and does not use this.
 */
#ifndef THC_STORE_GROUP_H
#define THC_STORE_GROUP_H

#include "store/store-private.h"

struct store_group;

int store_group_new(struct store_group **out, struct error *err);
void store_group_free(struct store_group *g);

/* store_write through the group st belongs to (st->group != NULL). */
int store_group_write(struct store *st, const struct store_actor *who,
                      store_body_fn *body, void *ctx, struct error *err);

/* One body and its audit row inside the caller's transaction (write.c). */
int store_write_body(struct store *st, const struct store_actor *who,
                     store_body_fn *body, void *ctx, struct error *err);

#endif
