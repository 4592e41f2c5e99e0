/*
 * Group commit for one SQLite database (store_write): concurrent writes of
 * a pool's connections are run one after another in a single transaction
 * and committed together, so that one fsync makes a whole group durable.
 * SQLite has one writer at a time anyway; without this each write waits
 * in the busy handler and pays its own fsync.
 *
 * Leader and followers, no thread of its own: a write joins the queue;
 * if no group is being committed, its thread leads: it takes the queued
 * writes (at most GROUP_MAX), runs each body under its own savepoint
 * (a body that fails is rolled back alone), commits once and wakes the
 * others.  A write is acknowledged only after the commit that holds it.
 *
 * Every group runs on one connection of its own, the writer.  SQLite drops
 * a connection's page cache whenever another connection has written; with
 * one writer for all writes its cache and its prepared statements stay
 * warm, where a leader's own connection found both stale each time.
 * PostgreSQL groups concurrent commits itself and does not use this.
 */
#ifndef THC_STORE_GROUP_H
#define THC_STORE_GROUP_H

#include "store/store-private.h"

struct store_group;

/* A group with its own connection to url, the one all its writes run on. */
int store_group_new(struct store_group **out, const char *url, struct error *err);
void store_group_free(struct store_group *g);

/* store_write through a pool connection's group (st->group). */
int store_group_write(struct store_group *g, const struct store_actor *who,
                      store_body_fn *body, void *ctx, struct error *err);

/* One body and its audit row inside the caller's transaction (write.c). */
int store_write_body(struct store *st, const struct store_actor *who,
                     store_body_fn *body, void *ctx, struct error *err);

#endif
