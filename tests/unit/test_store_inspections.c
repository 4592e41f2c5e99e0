/*
 * The store of inspections, decisions and emulation movements, on SQLite
 * and (THC_TEST_PG_URL) PostgreSQL: who reads a non-public inspection
 * (the issuing chain; the inspected commune only once concluded), and
 * every write tried with its 1st, 2nd, 3rd ... storage call failing, each
 * failure leaving the data and the audit trail as they were.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "store/decisions.h"
#include "store/emulation.h"
#include "store/inspections.h"
#include "store/store.h"
#include "store_fixture.h"
#include "base/banned.h"

static const char *backend_url;

static int setup(void **state)
{
	struct sfx *f = sfx_open(backend_url, "inspections", 1);

	sfx_user(f, "badinh", "district_officer", "001");
	sfx_user(f, "phucxa", "commune_officer", "00001");
	sfx_user(f, "trucbach", "commune_officer", "00004");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	sfx_close(*state);
	return 0;
}

static int64_t plan(struct sfx *f, const struct store_actor *who, int is_public)
{
	struct insp_member team[] = { { "Nguyễn Văn Trưởng", "Trưởng đoàn" } };
	struct inspection x = { .title = "Kiểm tra Tổ COVID", .issuer_code = "001",
	                        .period_from = "2021-10-01", .period_to = "2021-10-31",
	                        .kind = "surprise", .template_code = "commune_team",
	                        .is_public = is_public, .target_code = "00001",
	                        .members = team, .nmembers = 1 };

	assert_int_equal(store_inspection_create(f->st, who, &x, &f->err), 0);
	assert_string_equal(x.status, "planned");
	return x.id;
}

static int readable(struct sfx *f, const struct store_actor *who, int64_t id)
{
	struct inspection x;
	int rc = store_inspection_get(f->st, who, id, &f->a, &x, &f->err);

	assert_true(rc == 0 || rc == THC_ENOTFOUND);
	return rc == 0;
}

static void test_scope(void **state)
{
	struct sfx *f = *state;
	struct store_actor badinh = sfx_actor(f, "badinh"), phucxa = sfx_actor(f, "phucxa"),
	                   trucbach = sfx_actor(f, "trucbach");
	struct insp_action act = { .description = "Khắc phục", .deadline = "2021-11-10" };
	struct inspection x = { .title = "Ngoài phạm vi", .issuer_code = "001",
	                        .period_from = "2021-10-01", .period_to = "2021-10-31",
	                        .kind = "announced", .template_code = "commune_team",
	                        .target_code = "00001" };
	int64_t id = plan(f, &badinh, 0), pub = plan(f, &badinh, 1);

	/* A commune cannot plan for its district. */
	assert_int_equal(store_inspection_create(f->st, &phucxa, &x, &f->err), THC_ENOTFOUND);
	assert_string_equal(f->err.field, "issuer");
	assert_true(readable(f, &badinh, id));
	assert_false(readable(f, &phucxa, id));
	assert_false(readable(f, &trucbach, id));
	assert_true(readable(f, &phucxa, pub));
	assert_false(readable(f, &trucbach, pub));
	/* Only the issuing chain records and concludes. */
	assert_int_equal(store_inspection_conclude(f->st, &phucxa, pub, "Đạt", "2021-10-20", &act, 1,
	                                           &f->err), THC_ENOTFOUND);
	assert_int_equal(store_inspection_conclude(f->st, &badinh, id, "Đạt", "2021-10-20", &act, 1,
	                                           &f->err), 0);
	assert_int_equal(store_inspection_conclude(f->st, &badinh, id, "Lại", "2021-10-21", NULL, 0,
	                                           &f->err), THC_ECONFLICT);
	assert_true(readable(f, &phucxa, id));
	assert_false(readable(f, &trucbach, id));
	assert_true(sfx_audit_has(f, "inspection.conclude", NULL));
}

/* The officials' list of decisions names people: reading it is audited,
 * and a unit outside the reader's scope is refused without a trace. */
static void test_decision_list_audited(void **state)
{
	struct sfx *f = *state;
	struct store_actor badinh = sfx_actor(f, "badinh"), phucxa = sfx_actor(f, "phucxa");
	struct decision d = { .kind = "discipline", .form = "Khiển trách", .number = "9/QĐ",
	                      .person_name = "Người bị kỷ luật", .reason = "Chậm báo cáo",
	                      .decided_on = "2021-10-26", .issuer_code = "001" }, *out;
	size_t n;

	assert_int_equal(store_decision_create(f->st, &badinh, &d, &f->err), 0);
	assert_false(sfx_audit_has(f, "decision.list", NULL));
	assert_int_equal(store_decision_list(f->st, &phucxa, "001", &f->a, &out, &n, &f->err),
	                 THC_ENOTFOUND);
	assert_false(sfx_audit_has(f, "decision.list", NULL));
	assert_int_equal(store_decision_list(f->st, &phucxa, NULL, &f->a, &out, &n, &f->err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_decision_list(f->st, &badinh, "001", &f->a, &out, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].person_name, "Người bị kỷ luật");
	assert_false(out[0].is_public);
	assert_true(sfx_audit_has(f, "decision.list", NULL));
	assert_int_equal(store_decision_public(f->st, NULL, &f->a, &out, &n, &f->err), 0);
	assert_int_equal(n, 0);
}

/* What the writes change, read back through the store. */
static void snap(struct sfx *f, void *ctx, char *out, size_t outsz)
{
	struct inspection *xs;
	struct decision *d;
	struct emu_movement *m;
	size_t n, nd, nm, findings = 0, actions = 0, done = 0, members = 0;
	int concluded = 0;

	(void)ctx;
	assert_int_equal(store_inspection_list(f->st, &f->sys, NULL, &f->a, &xs, &n, &f->err), 0);
	for (size_t i = 0; i < n; i++) {
		struct inspection x;

		assert_int_equal(store_inspection_get(f->st, &f->sys, xs[i].id, &f->a, &x, &f->err), 0);
		findings += x.nfindings;
		actions += x.nactions;
		members += x.nmembers;
		concluded += strcmp(x.status, "concluded") == 0;
		for (size_t k = 0; k < x.nactions; k++)
			done += x.actions[k].done_on != NULL;
	}
	/* (The officials' list is an audited read: the public one counts here.) */
	assert_int_equal(store_decision_public(f->st, NULL, &f->a, &d, &nd, &f->err), 0);
	assert_int_equal(store_emulation_list(f->st, &f->sys, NULL, &f->a, &m, &nm, &f->err), 0);
	snprintf(out, outsz, "inspections=%zu members=%zu findings=%zu concluded=%d actions=%zu "
	         "done=%zu decisions=%zu movements=%zu", n, members, findings, concluded, actions, done,
	         nd, nm);
}

struct sweep { int64_t planned, concluded, action; struct store_actor who; };

static int w_create(struct sfx *f, void *ctx, int attempt)
{
	struct sweep *s = ctx;
	struct insp_member team[] = { { "A", "Trưởng đoàn" }, { "B", "Thành viên" } };
	struct inspection x = { .title = "Kiểm tra doanh nghiệp", .issuer_code = "001",
	                        .period_from = "2021-10-01", .period_to = "2021-10-31",
	                        .kind = "announced", .template_code = "business_covid",
	                        .target_code = "00004", .tax_code = "0101234567-001",
	                        .business_name = "Công ty thử", .members = team, .nmembers = 2 };

	(void)attempt;
	return store_inspection_create(f->st, &s->who, &x, &f->err);
}

static int w_findings(struct sfx *f, void *ctx, int attempt)
{
	struct sweep *s = ctx;
	struct insp_finding items[] = { { "reporting", "pass", NULL },
	                                { "household_visits", "fail", "Chưa đủ" } };

	(void)attempt;
	return store_inspection_findings(f->st, &s->who, s->planned, items, 2, &f->err);
}

static int w_conclude(struct sfx *f, void *ctx, int attempt)
{
	struct sweep *s = ctx;
	struct insp_action acts[] = { { .description = "Một", .deadline = "2021-11-01" },
	                              { .description = "Hai", .deadline = "2021-11-05" } };

	(void)attempt;
	return store_inspection_conclude(f->st, &s->who, s->planned, "Đạt", "2021-10-25", acts, 2,
	                                 &f->err);
}

static int w_done(struct sfx *f, void *ctx, int attempt)
{
	struct sweep *s = ctx;

	(void)attempt;
	return store_inspection_action_done(f->st, &s->who, s->action, "2021-11-02", "Xong", &f->err);
}

static int w_decision(struct sfx *f, void *ctx, int attempt)
{
	struct sweep *s = ctx;
	struct decision d = { .kind = "reward", .form = "Giấy khen", .number = "1/QĐ",
	                      .person_name = "Người tốt", .unit_code = "00001", .reason = "Làm tốt",
	                      .decided_on = "2021-10-26", .issuer_code = "001",
	                      .inspection_id = s->concluded, .is_public = 1 };

	(void)attempt;
	return store_decision_create(f->st, &s->who, &d, &f->err);
}

static int w_movement(struct sfx *f, void *ctx, int attempt)
{
	struct sweep *s = ctx;
	struct emu_movement m = { .name = "Thi đua", .parent_code = "001", .period_from = "2021-10-01",
	                          .period_to = "2021-12-31", .nind = 2,
	                          .ind = { "case_free_days", "vaccination_coverage" },
	                          .weight = { 1, 2 } };

	(void)attempt;
	return store_emulation_create(f->st, &s->who, &m, &f->err);
}

#define AUDIT(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_sweeps(void **state)
{
	struct sfx *f = *state;
	struct sweep s = { .who = sfx_actor(f, "badinh") };
	struct insp_action act = { .description = "Khắc phục", .deadline = "2021-11-10" };
	struct inspection x;

	s.planned = plan(f, &s.who, 0);
	s.concluded = plan(f, &s.who, 0);
	assert_int_equal(store_inspection_conclude(f->st, &s.who, s.concluded, "Đạt", "2021-10-20",
	                                           &act, 1, &f->err), 0);
	assert_int_equal(store_inspection_get(f->st, &s.who, s.concluded, &f->a, &x, &f->err), 0);
	s.action = x.actions[0].id;
	sfx_fault_sweep(f, snap, w_create, &s, "inspection create", AUDIT("inspection.create"));
	sfx_fault_sweep(f, snap, w_findings, &s, "findings", AUDIT("inspection.findings"));
	sfx_fault_sweep(f, snap, w_conclude, &s, "conclusion", AUDIT("inspection.conclude"));
	sfx_fault_sweep(f, snap, w_done, &s, "action done", AUDIT("inspection.action_done"));
	sfx_fault_sweep(f, snap, w_decision, &s, "decision", AUDIT("decision.create"));
	sfx_fault_sweep(f, snap, w_movement, &s, "movement", AUDIT("emulation.create"));
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_decision_list_audited),
		cmocka_unit_test(test_sweeps),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	return sfx_each_backend(run_backend) ? 1 : 0;
}
