/*
 * The surveillance store suite (people, cases, imports, weekly roll-ups):
 * every case runs against SQLite and, when THC_TEST_PG_URL names an empty
 * PostgreSQL database, against PostgreSQL too.
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
#include "domain/role.h"
#include "store/store.h"
#include "base/banned.h"

struct fixture {
	struct store *st;
	struct arena a;
	struct error err;
	struct store_actor sys;
};

static const char *backend_url;

static const struct unit_row fixture_units[] = {
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

static struct store_actor actor_of(struct fixture *f, const char *username)
{
	struct user u;
	struct store_actor a = { .username = username, .addr = "127.0.0.1",
	                         .now_ms = vntime_now_ms() };

	assert_int_equal(store_user_by_name(f->st, username, &f->a, &u, &f->err), 0);
	a.user_id = u.id;
	return a;
}

static void add_user(struct fixture *f, const char *name, const char *role, const char *unit)
{
	struct user u;
	struct error ignore = ERROR_INIT;

	if (store_user_by_name(f->st, name, &f->a, &u, &ignore) == 0)
		return;   /* a second group on the same database */
	if (store_user_create(f->st, &f->sys, name, "Người thử", "hash-not-used", role,
	                      unit, NULL, &f->err) != 0)
		fail_msg("user %s: %s", name, f->err.en);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct unit hamlet = { .parent_code = "00001", .level = "hamlet", .name = "Tổ dân phố 1",
	                       .type = "Tổ dân phố", .population = -1, .members = -1 };
	char path[512];
	size_t ins = 0, upd = 0;
	int applied = -1;

	f->a = (struct arena)ARENA_INIT(0);
	f->sys = (struct store_actor){ .user_id = 0, .username = "system:test", .addr = "test",
	                               .now_ms = vntime_now_ms() };
	if (backend_url == NULL) {
		const char *tmp = getenv("THC_TEST_TMP");
		snprintf(path, sizeof(path), "%s/store-cases-%d.db", tmp ? tmp : "/tmp", (int)getpid());
		unlink(path);
		backend_url = path;
	}
	if (store_open(backend_url, &f->st, &f->err) != 0)
		fail_msg("open %s: %s", backend_url, f->err.en);
	assert_int_equal(store_migrate(f->st, &applied, &f->err), 0);
	assert_int_equal(store_units_import(f->st, &f->sys, fixture_units,
	                 ARRAY_SIZE(fixture_units), &ins, &upd, &f->err), 0);
	{
		struct unit have;
		struct error ignore = ERROR_INIT;

		if (store_unit_get(f->st, &f->sys, "00001-001", &f->a, &have, &ignore) != 0) {
			assert_int_equal(store_unit_create(f->st, &f->sys, &hamlet, &f->a, &f->err), 0);
			assert_string_equal(hamlet.code, "00001-001");
		}
	}
	add_user(f, "phucxa", "commune_officer", "00001");
	add_user(f, "trucbach", "commune_officer", "00004");
	add_user(f, "ytephucxa", "health_worker", "00001");
	add_user(f, "todan1", "team_member", "00001-001");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	arena_release(&f->a);
	free(f);
	return 0;
}

static struct case_rec mk_case(const char *ext, const char *name, const char *idn,
                               const char *unit, const char *day, const char *source)
{
	struct case_rec c = { 0 };

	c.external_id = ext;
	c.person.full_name = name;
	c.person.id_number = idn;
	c.person.birth_year = 1980;
	c.person.sex = "male";
	c.person.unit_code = unit;
	c.detected_on = day;
	c.source = source;
	c.test_type = "rt-pcr";
	return c;
}

static int64_t week_cases(struct fixture *f, const char *code, const char *week,
                          int64_t *community)
{
	struct case_week *w;
	size_t n;
	int64_t pop;

	assert_int_equal(store_cases_weekly(f->st, code, week, week, &f->a, &w, &n, &pop, &f->err), 0);
	if (community)
		*community = n ? w[0].community : 0;
	return n ? w[0].cases : 0;
}

static void test_dedup_by_id_number(void **state)
{
	struct fixture *f = *state;
	struct store_actor hw = actor_of(f, "ytephucxa");
	struct case_rec a = mk_case(NULL, "Nguyễn Văn A", "001080000001", "00001-001", "2021-08-02",
	                            "community");
	struct case_rec b = mk_case(NULL, "Nguyễn Văn A", "001080000001", "00001", "2021-12-01",
	                            "community");
	struct case_rec got;

	a.person.phone = NULL;
	b.person.phone = "0900000001";
	assert_int_equal(store_case_create(f->st, &hw, &a, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &hw, &b, &f->err), 0);
	assert_int_equal(a.person.id, b.person.id);
	assert_int_equal(store_case_get(f->st, &hw, a.id, &f->a, &got, &f->err), 0);
	assert_string_equal(got.person.phone, "0900000001");   /* missing field filled in */
	assert_string_equal(got.commune_code, "00001");
	assert_string_equal(got.province_code, "01");
}

static void test_scope_and_privacy(void **state)
{
	struct fixture *f = *state;
	struct store_actor hw = actor_of(f, "ytephucxa"), tb = actor_of(f, "trucbach");
	struct store_actor team = actor_of(f, "todan1");
	struct case_rec c = mk_case(NULL, "Trần Thị B", NULL, "00001-001", "2021-08-03", "community");
	struct case_rec got, *v;
	struct case_query q = { .limit = 10 };
	size_t n;
	int64_t next;

	assert_int_equal(store_case_create(f->st, &hw, &c, &f->err), 0);
	assert_int_equal(store_case_get(f->st, &tb, c.id, &f->a, &got, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_case_get(f->st, &team, c.id, &f->a, &got, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_cases_list(f->st, &team, &q, &f->a, &v, &n, &next, &f->err),
	                 THC_ENOTFOUND);
	assert_int_equal(store_cases_list(f->st, &tb, &q, &f->a, &v, &n, &next, &f->err), 0);
	assert_int_equal(n, 0);
	/* The commune officer of 00004 cannot write into 00001 either. */
	c = mk_case(NULL, "Lê C", NULL, "00001", "2021-08-03", "community");
	assert_int_equal(store_case_create(f->st, &tb, &c, &f->err), THC_ENOTFOUND);
	assert_non_null(strstr(f->err.en, "unit_code"));
}

static void test_merge(void **state)
{
	struct fixture *f = *state;
	struct store_actor px = actor_of(f, "phucxa");
	struct case_rec a = mk_case(NULL, "Phạm D", "001080000009", "00001", "2021-08-04", "community");
	struct case_rec b = mk_case(NULL, "Phạm D.", NULL, "00001", "2021-08-05", "community");
	struct case_rec got;

	assert_int_equal(store_case_create(f->st, &px, &a, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &px, &b, &f->err), 0);
	assert_int_not_equal(a.person.id, b.person.id);
	assert_int_equal(store_person_merge(f->st, &px, b.person.id, a.person.id, &f->err), 0);
	assert_int_equal(store_case_get(f->st, &px, b.id, &f->a, &got, &f->err), 0);
	assert_int_equal(got.person.id, a.person.id);
	/* Merged once: a second merge of the same duplicate is a conflict. */
	assert_int_equal(store_person_merge(f->st, &px, b.person.id, a.person.id, &f->err),
	                 THC_ECONFLICT);
}

static void test_import_idempotent_and_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct case_rec rows[3] = {
		mk_case("X-1", "Vũ E", NULL, "00001-001", "2021-11-02", "community"),
		mk_case("X-2", "Vũ F", "001170000002", "00004", "2021-11-03", "quarantine"),
		mk_case("X-3", "Vũ G", NULL, "77777", "2021-11-03", "community"),
	};
	size_t ins = 9, upd = 9, skip = 9;

	for (int i = 0; i < 3; i++)
		rows[i].line = i + 2;
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 3, &ins, &upd, &skip, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 4"));
	assert_int_equal(week_cases(f, "001", "2021-11-07", NULL), 0);   /* nothing imported */
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 2, &ins, &upd, &skip, &f->err), 0);
	assert_int_equal(ins, 2);
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 2, &ins, &upd, &skip, &f->err), 0);
	assert_int_equal(ins, 0);
	assert_int_equal(upd, 0);
	assert_int_equal(skip, 2);
	rows[1].source = "community";
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 2, &ins, &upd, &skip, &f->err), 0);
	assert_int_equal(upd, 1);
	assert_int_equal(skip, 1);
	{
		int64_t comm;
		assert_int_equal(week_cases(f, "001", "2021-11-07", &comm), 2);
		assert_int_equal(comm, 2);
	}
}

static void test_weekly_roll_up(void **state)
{
	struct fixture *f = *state;
	struct case_rec c = mk_case(NULL, "Đỗ H", NULL, "00001-001", "2021-09-15", "community");
	struct case_rec d = mk_case(NULL, "Đỗ I", NULL, "26734", "2021-09-16", "imported");
	struct case_patch died = { .outcome = "died", .outcome_on = "2021-09-21" };
	const char *in[] = { "00001", "001", "01", "VN" }, *out[] = { "00004", "002", "00037", "79" };
	struct case_week *w;
	size_t n;
	int64_t pop;

	assert_int_equal(store_case_create(f->st, &f->sys, &c, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &f->sys, &d, &f->err), 0);
	for (size_t i = 0; i < ARRAY_SIZE(in); i++)
		assert_int_equal(week_cases(f, in[i], "2021-09-19", NULL), i == 3 ? 2 : 1);
	for (size_t i = 0; i < ARRAY_SIZE(out); i++)
		assert_int_equal(week_cases(f, out[i], "2021-09-19", NULL), out[i][0] == '7' ? 1 : 0);
	assert_int_equal(store_case_update(f->st, &f->sys, c.id, &died, &f->err), 0);
	assert_int_equal(store_cases_weekly(f->st, "001", "2021-09-26", "2021-09-26", &f->a, &w, &n,
	                                    &pop, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].deaths, 1);
	assert_int_equal(w[0].cases, 0);
	/* Hamlets are not units of the weekly figures. */
	assert_int_equal(store_cases_weekly(f->st, "00001-001", "2021-09-19", "2021-09-19", &f->a,
	                                    &w, &n, &pop, &f->err), THC_ENOTFOUND);
	/* One query over every commune. */
	{
		size_t rows = 0;
		assert_int_equal(store_cases_weekly_communes(f->st, "2021-09-19", "2021-09-26", NULL,
		                                             NULL, &rows, &f->err), 0);
		assert_int_equal(rows, 3);   /* 00001 twice (case, death), 26734 once */
	}
}

static void test_daily_counts_fill_days_without_cases(void **state)
{
	struct fixture *f = *state;
	struct case_rec c = mk_case(NULL, "Bùi K", NULL, "00001", "2021-10-05", "community");
	struct daily_cases_row rows[] = {
		{ "2021-10-04", "01", 10, 8, 2 },
		{ "2021-10-05", "01", 50, -1, 3 },     /* individual cases exist that day */
	};
	struct daily_cases_row bad[] = { { "2021-10-06", "001", 1, 1, 2 } };
	size_t stored = 0;
	int64_t comm;

	assert_int_equal(store_case_create(f->st, &f->sys, &c, &f->err), 0);
	assert_int_equal(store_daily_cases_import(f->st, &f->sys, rows, 2, &stored, &f->err), 0);
	assert_int_equal(week_cases(f, "01", "2021-10-10", &comm), 11);
	assert_int_equal(comm, 9);
	assert_int_equal(week_cases(f, "001", "2021-10-10", NULL), 1);   /* provinces only */
	assert_int_equal(store_daily_cases_import(f->st, &f->sys, bad, 1, &stored, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 2"));
	/* Importing again replaces, never adds. */
	assert_int_equal(store_daily_cases_import(f->st, &f->sys, rows, 2, &stored, &f->err), 0);
	assert_int_equal(week_cases(f, "01", "2021-10-10", NULL), 11);
}

static void test_hamlets_last_case(void **state)
{
	struct fixture *f = *state;
	struct store_actor team = actor_of(f, "todan1"), tb = actor_of(f, "trucbach");
	struct case_rec c = mk_case(NULL, "Hà L", NULL, "00001-001", "2021-06-10", "community");
	struct hamlet_f0 *h;
	size_t n;

	assert_int_equal(store_case_create(f->st, &f->sys, &c, &f->err), 0);
	assert_int_equal(store_hamlets_last_case(f->st, &team, "00001", "2021-06-20", &f->a, &h, &n,
	                                         &f->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].last_case_on, "2021-06-10");
	assert_int_equal(store_hamlets_last_case(f->st, &team, "00001", "2021-05-02", &f->a, &h, &n,
	                                         &f->err), 0);
	assert_null(h[0].last_case_on);
	assert_int_equal(store_hamlets_last_case(f->st, &tb, "00001", "2021-06-20", &f->a, &h, &n,
	                                         &f->err), THC_ENOTFOUND);
}

/* ---- fault injection: each write's nth storage call fails in turn ---- */

#define FAULT_TRIES_MAX 400

/* What the surveillance writes may change, read through the public API
 * (reads of personal data audit themselves: those entries are left out). */
struct snapshot {
	int64_t audit, cases, signature, contacts, weekly;
};

static void snap(struct fixture *f, int64_t case_id, struct snapshot *s)
{
	struct audit_query aq = { .limit = 100000 };
	struct case_query q = { .limit = 1000 };
	struct audit_entry *e;
	struct case_rec *v;
	struct contact_rec *k;
	struct case_week *w;
	size_t n;
	int64_t next, pop;

	memset(s, 0, sizeof(*s));
	assert_int_equal(store_audit_list(f->st, &f->sys, &aq, &f->a, &e, &n, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].action, "person.read") != 0 && strcmp(e[i].action, "cases.list") != 0)
			s->audit++;
	assert_int_equal(store_cases_list(f->st, &f->sys, &q, &f->a, &v, &n, &next, &f->err), 0);
	s->cases = (int64_t)n;
	for (size_t i = 0; i < n; i++)
		s->signature += v[i].person.id * 7 + (v[i].outcome != NULL) * 3 +
		                (int64_t)strlen(v[i].severity) + (int64_t)strlen(v[i].source) * 11;
	if (case_id) {
		assert_int_equal(store_contacts_list(f->st, &f->sys, case_id, &f->a, &k, &n, &f->err), 0);
		s->contacts = (int64_t)n;
	}
	assert_int_equal(store_cases_weekly(f->st, "01", "2021-01-03", "2022-01-02", &f->a, &w, &n,
	                                    &pop, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		s->weekly += w[i].cases * 3 + w[i].deaths;
}

struct fault_ctx {
	struct fixture *f;
	int64_t case_id;              /* an existing case (contacts, update) */
	int64_t dup_person, person;   /* for the merge */
};

typedef int (*write_fn)(struct fault_ctx *c, int attempt);

static void fault_sweep(struct fault_ctx *c, write_fn w, const char *what)
{
	struct fixture *f = c->f;
	struct snapshot before, after;
	int n, rc = -1;

	for (n = 1; n < FAULT_TRIES_MAX; n++) {
		snap(f, c->case_id, &before);
		store_fault_arm(f->st, n);
		rc = w(c, n);
		store_fault_arm(f->st, 0);
		if (rc == 0)
			break;
		snap(f, c->case_id, &after);
		if (memcmp(&before, &after, sizeof(before)) != 0)
			fail_msg("%s: the failure of call %d left a change behind (%s)", what, n, f->err.en);
	}
	if (rc != 0)
		fail_msg("%s: never succeeded (%s)", what, f->err.en);
	assert_true(n > 1);
	snap(f, c->case_id, &after);
	assert_true(memcmp(&before, &after, sizeof(before)) != 0);
}

static int w_case(struct fault_ctx *c, int attempt)
{
	struct case_rec k = mk_case(NULL, "Lỗi Một", "001080000777", "00001-001", "2021-05-03",
	                            "community");

	(void)attempt;
	k.severity = "severe";
	return store_case_create(c->f->st, &c->f->sys, &k, &c->f->err);
}

static int w_update(struct fault_ctx *c, int attempt)
{
	struct case_patch p = { .outcome = "died", .outcome_on = "2021-05-20" };

	(void)attempt;
	return store_case_update(c->f->st, &c->f->sys, c->case_id, &p, &c->f->err);
}

static int w_import(struct fault_ctx *c, int attempt)
{
	struct case_rec rows[2] = {
		mk_case("F-1", "Lỗi Hai", NULL, "00004", "2021-05-04", "community"),
		mk_case("F-0", "Lỗi Không", NULL, "00001", "2021-05-04", "imported"),  /* changed */
	};

	(void)attempt;
	rows[0].line = 2;
	rows[1].line = 3;
	return store_cases_import(c->f->st, &c->f->sys, rows, 2, NULL, NULL, NULL, &c->f->err);
}

static int w_contact(struct fault_ctx *c, int attempt)
{
	struct contact_rec k = { .case_id = c->case_id, .degree = 1, .exposure_on = "2021-05-02",
	                         .quarantine_start = "2021-05-02", .quarantine_end = "2021-05-23",
	                         .quarantine_rule = "2021-05-07" };

	(void)attempt;
	k.person.full_name = "Tiếp Xúc Lỗi";
	k.person.birth_year = -1;
	k.person.unit_code = "00001";
	return store_contact_create(c->f->st, &c->f->sys, &k, &c->f->err);
}

static int w_merge(struct fault_ctx *c, int attempt)
{
	(void)attempt;
	return store_person_merge(c->f->st, &c->f->sys, c->dup_person, c->person, &c->f->err);
}

static int w_test(struct fault_ctx *c, int attempt)
{
	struct test_rec t = { .taken_on = "2021-05-05", .test_type = "antigen", .result = "positive" };
	struct case_rec k = { .detected_on = "2021-05-05", .source = "community" };

	(void)attempt;
	t.person.full_name = "Xét Nghiệm Lỗi";
	t.person.birth_year = -1;
	t.person.unit_code = "00001-001";
	return store_test_create(c->f->st, &c->f->sys, &t, &k, &c->f->err);
}

static int w_daily(struct fault_ctx *c, int attempt)
{
	struct daily_cases_row rows[] = { { "2021-05-10", "01", 40, 30, 2 },
	                                  { "2021-05-11", "01", 20, -1, 3 } };

	(void)attempt;
	return store_daily_cases_import(c->f->st, &c->f->sys, rows, 2, NULL, &c->f->err);
}

static void test_faults_leave_nothing_behind(void **state)
{
	struct fixture *f = *state;
	struct fault_ctx c = { .f = f };
	struct case_rec base = mk_case("F-0", "Gốc", NULL, "00001", "2021-05-01", "community");
	struct case_rec dup = mk_case(NULL, "Trùng", NULL, "00001", "2021-05-01", "community");
	struct case_rec keep = mk_case(NULL, "Giữ", NULL, "00001", "2021-05-01", "community");

	assert_int_equal(store_case_create(f->st, &f->sys, &base, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &f->sys, &dup, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &f->sys, &keep, &f->err), 0);
	c.case_id = base.id;
	c.dup_person = dup.person.id;
	c.person = keep.person.id;
	fault_sweep(&c, w_case, "case create");
	fault_sweep(&c, w_update, "case update");
	fault_sweep(&c, w_import, "cases import");
	fault_sweep(&c, w_contact, "contact create");
	fault_sweep(&c, w_merge, "person merge");
	fault_sweep(&c, w_test, "test with a case");
	fault_sweep(&c, w_daily, "daily cases import");
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedup_by_id_number),
		cmocka_unit_test(test_scope_and_privacy),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_import_idempotent_and_all_or_nothing),
		cmocka_unit_test(test_weekly_roll_up),
		cmocka_unit_test(test_daily_counts_fill_days_without_cases),
		cmocka_unit_test(test_hamlets_last_case),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

/* The same fixture over the fault driver ("fault:<url>"), in a fresh database. */
static int run_faults(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faults_leave_nothing_behind),
	};
	char buf[1024];

	if (url == NULL) {
		const char *tmp = getenv("THC_TEST_TMP");
		char path[512];

		snprintf(path, sizeof(path), "%s/store-cases-faults-%d.db", tmp ? tmp : "/tmp",
		         (int)getpid());
		unlink(path);
		snprintf(buf, sizeof(buf), "fault:%s", path);
	} else {
		snprintf(buf, sizeof(buf), "fault:%s", url);
	}
	backend_url = buf;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	const char *pg = getenv("THC_TEST_PG_URL");
	int failed = run_backend("store_cases/sqlite", NULL);

	failed += run_faults("store_cases/faults/sqlite", NULL);
	if (pg && pg[0]) {
		failed += run_backend("store_cases/postgres", pg);
		/* On the same database: the fixture tolerates what the suite left. */
		failed += run_faults("store_cases/faults/postgres", pg);
	}
	return failed ? 1 : 0;
}
