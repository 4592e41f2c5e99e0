/*
 * The store: every read and write of persistent data, behind one interface
 * with a driver per backend (store-private.h).  Callers never see SQL.
 *
 * Scope is enforced here: functions taking a struct store_actor return only
 * what that actor may see, and report objects out of scope as THC_ENOTFOUND.
 * Every write runs in one transaction with its audit record.
 *
 * This header is the core (connections, the pool, migrations, who acts);
 * each resource has its own header, named like its file (store/cases.h
 * for cases.c), included below so that "store/store.h" gives them all.
 * Each says who owns what it returns; as a rule, strings and arrays live
 * in the caller's arena.  Only tests include store/fault.h and
 * store/testing.h, only benchmarks store/bench.h.
 */
#ifndef THC_STORE_H
#define THC_STORE_H

#include <stdint.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/error.h"

struct store;          /* one connection */
struct store_pool;     /* connections shared by server threads */

/* Who acts.  user_id 0 is the system (CLI): unrestricted; a NULL actor is anonymous. */
struct store_actor {
	int64_t user_id;
	const char *username;
	const char *addr;        /* client address, or "cli" */
	int64_t now_ms;          /* UTC */
	struct store_idem *idem; /* the request's Idempotency-Key; NULL: none (idempotency.h) */
};

/* url: "postgres://..." / "postgresql://..." or a SQLite file path. */
int store_open(const char *url, struct store **out, struct error *err);
void store_close(struct store *st);
/* Applies pending numbered migrations; *applied gets how many (may be NULL). */
int store_migrate(struct store *st, int *applied, struct error *err);
/* Highest applied migration number (0 for an empty database); changes nothing. */
int store_schema_version(struct store *st, int *version, struct error *err);
/* Highest migration number this binary knows. */
int store_schema_latest(void);
/* Checks the connection, reconnecting if needed: 0 or THC_EUNAVAILABLE. */
int store_ping(struct store *st, struct error *err);

int store_pool_open(const char *url, int size, struct store_pool **out,
                    struct error *err);
/* Waits up to timeout_ms for a free connection: 0 or THC_EUNAVAILABLE. */
int store_pool_get(struct store_pool *p, int timeout_ms, struct store **out,
                   struct error *err);
void store_pool_put(struct store_pool *p, struct store *st);
/* SQLite: concurrent writes of the pool's connections share one commit
 * (on by default; store/group.h); no-op on PostgreSQL.  Call before use. */
int store_pool_group_commit(struct store_pool *p, int on, struct error *err);
void store_pool_close(struct store_pool *p);

#include "store/assignments.h"
#include "store/business.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/case_import.h"
#include "store/case_stats.h"
#include "store/cases.h"
#include "store/clusters.h"
#include "store/contacts.h"
#include "store/coverage.h"
#include "store/directives.h"
#include "store/feedback.h"
#include "store/idempotency.h"
#include "store/isolation.h"
#include "store/lab_tests.h"
#include "store/levels.h"
#include "store/logins.h"
#include "store/people.h"
#include "store/reported.h"
#include "store/units.h"
#include "store/users.h"
#include "store/zones.h"

#endif
