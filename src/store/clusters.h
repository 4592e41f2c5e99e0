/*
 * Clusters, ổ dịch (clusters.c): a named outbreak with its cases, the
 * cases they infected, and their contacts.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 */
#ifndef THC_STORE_CLUSTERS_H
#define THC_STORE_CLUSTERS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "store/cases.h"
#include "store/contacts.h"

struct store;
struct store_actor;

struct cluster_rec {
	int64_t id;
	const char *name, *unit_code, *opened_on, *closed_on;
	struct case_rec *cases;
	size_t ncases;
	struct contact_rec *contacts;
	size_t ncontacts;
};
int store_cluster_create(struct store *st, const struct store_actor *actor,
                         struct cluster_rec *c, struct error *err);
/* The cluster with its cases (and the cases they infected) and contacts. */
int store_cluster_get(struct store *st, const struct store_actor *actor, int64_t id,
                      struct arena *a, struct cluster_rec *out, struct error *err);

#endif
