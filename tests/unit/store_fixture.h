/*
 * What the store suites (tests/unit/test_store*.c) share: a fresh database
 * on SQLite or on PostgreSQL (THC_TEST_PG_URL), optionally behind the fault
 * driver, the standard units and users, and the fault sweep.
 */
#ifndef THC_TEST_STORE_FIXTURE_H
#define THC_TEST_STORE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include "store/store.h"

struct sfx {
	struct store *st;
	struct arena a;
	struct error err;
	struct store_actor sys;       /* the system (CLI) actor */
};

/* Hà Nội (Ba Đình: Phúc Xá, Trúc Bạch; Hoàn Kiếm: Phúc Tân) and Hồ Chí Minh
 * City (Quận 1: Tân Định). */
extern const struct unit_row sfx_units[];
extern const size_t sfx_units_count;

/* Opens and migrates a database: url (PostgreSQL) or, when NULL, a new
 * SQLite file named after tag; through the fault driver when fault.  The
 * standard units are imported.  Fails the test on error. */
struct sfx *sfx_open(const char *url, const char *tag, int fault);
void sfx_close(struct sfx *f);
/* Idempotent: a second group may run on the same database. */
void sfx_user(struct sfx *f, const char *name, const char *role, const char *unit);
/* A hamlet or household; asserts the code it gets. */
void sfx_unit(struct sfx *f, const char *parent, const char *level, const char *name,
              const char *want_code);
struct store_actor sfx_actor(struct sfx *f, const char *username);
/* Does the audit trail hold `action` about entity `id` (NULL: any)? */
int sfx_audit_has(struct sfx *f, const char *action, const char *id);
/* Runs `run` once per backend: SQLite, then PostgreSQL when THC_TEST_PG_URL is set. */
int sfx_each_backend(int (*run)(const char *backend, const char *url));

/*
 * The fault sweep: runs w with its 1st, 2nd, 3rd ... storage call failing
 * until it succeeds.  Each failure must leave the digest `snap` writes
 * unchanged and add no audit row; the success must add exactly the audit
 * rows named in `audit` (NULL-terminated, in the order written) and change
 * the digest.
 */
typedef void sfx_snap_fn(struct sfx *f, void *ctx, char *out, size_t outsz);
typedef int sfx_write_fn(struct sfx *f, void *ctx, int attempt);
void sfx_fault_sweep(struct sfx *f, sfx_snap_fn *snap, sfx_write_fn *w, void *ctx,
                     const char *what, const char *const *audit);

#endif
