/*
 * The audit trail (audit.c): one row per change of state or read of
 * personal data, written by the store's writes themselves (store_write in
 * store-private.h); here only the list of it.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 */
#ifndef THC_STORE_AUDIT_H
#define THC_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

struct audit_entry {
	int64_t id;
	int64_t at_ms;
	const char *actor;
	const char *client_addr;
	const char *action;
	const char *entity;
	const char *entity_id;
	const char *unit_code;
	const char *before_json;    /* NULL when nothing before */
	const char *after_json;
};
struct audit_query {
	const char *unit;           /* subtree; NULL = all in scope */
	const char *actor;          /* username */
	int64_t from_ms, to_ms;     /* 0 = open */
	int64_t before_id;          /* cursor: entries older than this id; 0 = newest */
	int limit;
};
/* Entries in the actor's audit scope (officials), newest first. */
int store_audit_list(struct store *st, const struct store_actor *actor,
                     const struct audit_query *q, struct arena *a,
                     struct audit_entry **out, size_t *n, struct error *err);

#endif
