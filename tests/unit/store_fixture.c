/*
 * The store suites' shared fixture and fault sweep (store_fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/vntime.h"
#include "store/fault.h"
#include "store_fixture.h"
#include "base/banned.h"

#define SWEEP_TRIES_MAX 400
#define SWEEP_DIGEST_MAX 4096
#define SWEEP_AUDIT_MAX 16

const struct unit_row sfx_units[] = {
	{ "01", "Thành phố Hà Nội", "province", "", "Thành phố Trung ương", 2 },
	{ "001", "Quận Ba Đình", "district", "01", "Quận", 3 },
	{ "002", "Quận Hoàn Kiếm", "district", "01", "Quận", 4 },
	{ "00001", "Phường Phúc Xá", "commune", "001", "Phường", 5 },
	{ "00004", "Phường Trúc Bạch", "commune", "001", "Phường", 6 },
	{ "00037", "Phường Phúc Tân", "commune", "002", "Phường", 7 },
	{ "79", "Thành phố Hồ Chí Minh", "province", "", "Thành phố Trung ương", 8 },
	{ "760", "Quận 1", "district", "79", "Quận", 9 },
	{ "26734", "Phường Tân Định", "commune", "760", "Phường", 10 },
};
const size_t sfx_units_count = sizeof(sfx_units) / sizeof(sfx_units[0]);

struct sfx *sfx_open(const char *url, const char *tag, int fault)
{
	struct sfx *f = calloc(1, sizeof(*f));
	char path[512], full[700];

	assert_non_null(f);
	f->a = (struct arena)ARENA_INIT(0);
	f->sys = (struct store_actor){ .user_id = 0, .username = "system:test", .addr = "test",
	                               .now_ms = vntime_now_ms() };
	if (url == NULL) {
		const char *tmp = getenv("THC_TEST_TMP");

		snprintf(path, sizeof(path), "%s/%s-%d.db", tmp ? tmp : "/tmp", tag, (int)getpid());
		unlink(path);
		url = path;
	}
	snprintf(full, sizeof(full), "%s%s", fault ? "fault:" : "", url);
	if (store_open(full, &f->st, &f->err) != 0)
		fail_msg("open %s: %s", full, f->err.en);
	assert_int_equal(store_migrate(f->st, NULL, &f->err), 0);
	if (store_units_import(f->st, &f->sys, sfx_units, sfx_units_count, NULL, NULL, &f->err) != 0)
		fail_msg("units: %s", f->err.en);
	return f;
}

void sfx_close(struct sfx *f)
{
	if (f == NULL)
		return;
	store_close(f->st);
	arena_release(&f->a);
	free(f);
}

void sfx_user(struct sfx *f, const char *name, const char *role, const char *unit)
{
	struct user u;
	struct error ignore = ERROR_INIT;

	if (store_user_by_name(f->st, name, &f->a, &u, &ignore) == 0)
		return;
	if (store_user_create(f->st, &f->sys, name, "Người thử", "hash-not-used", role, unit,
	                      NULL, &f->err) != 0)
		fail_msg("user %s: %s", name, f->err.en);
}

void sfx_unit(struct sfx *f, const char *parent, const char *level, const char *name,
              const char *want_code)
{
	struct unit u = { .parent_code = parent, .level = level, .name = name, .population = -1,
	                  .members = -1 };
	struct unit have;
	struct error ignore = ERROR_INIT;

	if (store_unit_get(f->st, &f->sys, want_code, &f->a, &have, &ignore) == 0)
		return;
	if (strcmp(level, "hamlet") == 0)
		u.type = "tổ dân phố";
	if (store_unit_create(f->st, &f->sys, &u, &f->a, &f->err) != 0)
		fail_msg("unit under %s: %s", parent, f->err.en);
	assert_string_equal(u.code, want_code);
}

struct store_actor sfx_actor(struct sfx *f, const char *username)
{
	struct user u;
	struct store_actor a = { .username = username, .addr = "127.0.0.1",
	                         .now_ms = vntime_now_ms() };

	assert_int_equal(store_user_by_name(f->st, username, &f->a, &u, &f->err), 0);
	a.user_id = u.id;
	return a;
}

int sfx_audit_has(struct sfx *f, const char *action, const char *id)
{
	struct audit_query q = { .limit = 500 };
	struct audit_entry *e;
	size_t n;

	assert_int_equal(store_audit_list(f->st, &f->sys, &q, &f->a, &e, &n, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].action, action) == 0 && (id == NULL || strcmp(e[i].entity_id, id) == 0))
			return 1;
	return 0;
}

int sfx_each_backend(int (*run)(const char *backend, const char *url))
{
	const char *pg = getenv("THC_TEST_PG_URL");
	int failed = run("sqlite", NULL);

	if (pg && pg[0])
		failed += run("postgres", pg);
	return failed;
}

/* The newest audit id (0: none). */
static int64_t audit_newest(struct sfx *f)
{
	struct audit_query q = { .limit = 1 };
	struct audit_entry *e;
	size_t n;

	assert_int_equal(store_audit_list(f->st, &f->sys, &q, &f->a, &e, &n, &f->err), 0);
	return n ? e[0].id : 0;
}

/* The actions of the audit rows after id `since`, oldest first, into out. */
static size_t audit_since(struct sfx *f, int64_t since, const char **out, size_t max)
{
	struct audit_query q = { .limit = (int)max + 1 };
	struct audit_entry *e;
	size_t n, k = 0;

	assert_int_equal(store_audit_list(f->st, &f->sys, &q, &f->a, &e, &n, &f->err), 0);
	for (size_t i = n; i-- > 0;)
		if (e[i].id > since && k < max)
			out[k++] = e[i].action;
	return k;
}

static void sweep_check_audit(struct sfx *f, int64_t since, const char *what,
                              const char *const *want)
{
	const char *got[SWEEP_AUDIT_MAX];
	size_t n = audit_since(f, since, got, SWEEP_AUDIT_MAX), k = 0;
	char have[512] = "";

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(have);
		snprintf(have + l, sizeof(have) - l, "%s%s", i ? "," : "", got[i]);
	}
	for (; want[k]; k++)
		if (k >= n || strcmp(want[k], got[k]) != 0)
			fail_msg("%s: the audit rows written are [%s], not the expected ones", what, have);
	if (k != n)
		fail_msg("%s: the audit rows written are [%s]: more than expected", what, have);
}

void sfx_fault_sweep(struct sfx *f, sfx_snap_fn *snap, sfx_write_fn *w, void *ctx,
                     const char *what, const char *const *audit)
{
	char before[SWEEP_DIGEST_MAX], after[SWEEP_DIGEST_MAX];
	int64_t id0 = 0;
	int n, rc = -1;

	for (n = 1; n < SWEEP_TRIES_MAX; n++) {
		snap(f, ctx, before, sizeof(before));
		id0 = audit_newest(f);
		store_fault_arm(f->st, n);
		rc = w(f, ctx, n);
		store_fault_arm(f->st, 0);
		if (rc == 0)
			break;
		if (audit_newest(f) != id0)
			fail_msg("%s: the failure of call %d left an audit row (%s)", what, n, f->err.en);
		snap(f, ctx, after, sizeof(after));
		if (strcmp(before, after) != 0)
			fail_msg("%s: the failure of call %d left a change behind (%s)\n  before %s\n  after  %s",
			         what, n, f->err.en, before, after);
	}
	if (rc != 0)
		fail_msg("%s: never succeeded (%s)", what, f->err.en);
	assert_true(n > 1);   /* the sweep did hit calls before succeeding */
	sweep_check_audit(f, id0, what, audit);
	snap(f, ctx, after, sizeof(after));
	if (strcmp(before, after) == 0)
		fail_msg("%s: the write changed nothing that the snapshot reads", what);
}
