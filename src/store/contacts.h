/*
 * F1/F2 contacts of a case (contacts.c), with the quarantine dates the
 * API computed.
 * Strings and arrays returned live in the caller's arena `a` (gone when it
 * is released); what is passed in is borrowed for the call only.
 */
#ifndef THC_STORE_CONTACTS_H
#define THC_STORE_CONTACTS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "store/people.h"

struct store;
struct store_actor;

struct contact_rec {
	int64_t id, case_id;
	struct person person;
	int degree;                   /* 1 or 2 */
	const char *exposure_on, *setting;
	const char *quarantine_start, *quarantine_end, *quarantine_rule;
	int64_t created_at_ms;
};
int store_contact_create(struct store *st, const struct store_actor *actor,
                         struct contact_rec *c, struct error *err);
int store_contacts_list(struct store *st, const struct store_actor *actor,
                        int64_t case_id, struct arena *a, struct contact_rec **out,
                        size_t *n, struct error *err);
/* The contacts living under unit, in the reader's scope, whose quarantine
 * runs on day (YYYY-MM-DD), who have no isolation opened and have not
 * become a case since: the follow-up due.  By id, after `after`, at most
 * limit; audited as a read of persons. */
int store_contacts_due(struct store *st, const struct store_actor *actor, const char *unit,
                       const char *day, int64_t after, int limit, struct arena *a,
                       struct contact_rec **out, size_t *n, struct error *err);

#endif
