/*
 * Citizen feedback rules (domain/feedback): the rules file, working-day
 * deadlines across a weekend, a holiday and Tết, routing, the lifecycle
 * and escalation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/vntime.h"
#include "domain/feedback.h"
#include "base/banned.h"

static int32_t day_of(const char *iso)
{
	struct vndate d;

	assert_int_equal(vndate_parse(iso, &d), 0);
	return vndate_to_days(d);
}

static const char *iso_of(int32_t day, char out[11])
{
	vndate_format_iso(vndate_from_days(day), out, 11);
	return out;
}

static const char rules[] =
	"{\"categories\":["
	"{\"code\":\"shortage\",\"name\":{\"vi\":\"Thiếu\",\"en\":\"Shortage\"},\"days\":1,"
	"\"level\":\"commune\",\"status\":\"assumption\"},"
	"{\"code\":\"permit\",\"name\":{\"vi\":\"Giấy\",\"en\":\"Permit\"},\"days\":3,"
	"\"level\":\"district\",\"status\":\"confirmed\"}],"
	"\"holidays\":["
	"{\"from\":\"2021-09-02\",\"to\":\"2021-09-03\",\"name\":\"Quốc khánh\",\"status\":\"confirmed\"},"
	"{\"from\":\"2022-01-29\",\"to\":\"2022-02-06\",\"name\":\"Tết\",\"status\":\"assumption\"}]}";

static struct feedback_rules *load(void)
{
	struct feedback_rules *r = NULL;
	struct error err = ERROR_INIT;

	assert_int_equal(feedback_rules_parse(rules, strlen(rules), &r, &err), 0);
	return r;
}

static void test_categories(void **state)
{
	struct feedback_rules *r = load();
	const struct feedback_category *c;

	(void)state;
	assert_non_null(c = feedback_category(r, "permit"));
	assert_int_equal(c->days, 3);
	assert_int_equal(c->level, FEEDBACK_LEVEL_DISTRICT);
	assert_int_equal(c->assumption, 0);
	assert_string_equal(c->name_vi, "Giấy");
	assert_null(feedback_category(r, "nope"));
	assert_null(feedback_category(r, NULL));
	assert_string_equal(feedback_category_at(r, 0)->code, "shortage");
	assert_null(feedback_category_at(r, 2));
	feedback_rules_free(r);
}

static void test_deadline_weekend_holiday_tet(void **state)
{
	struct feedback_rules *r = load();
	char b[11];

	(void)state;
	/* Monday 2021-08-30 + 1 working day: Tuesday. */
	assert_string_equal(iso_of(feedback_deadline(r, day_of("2021-08-30"), 1), b), "2021-08-31");
	/* Friday 2021-08-27 + 1: over the weekend to Monday. */
	assert_string_equal(iso_of(feedback_deadline(r, day_of("2021-08-27"), 1), b), "2021-08-30");
	/* Wednesday 2021-09-01 + 1: Thursday and Friday are National Day, then
	 * the weekend: Monday 6th. */
	assert_string_equal(iso_of(feedback_deadline(r, day_of("2021-09-01"), 1), b), "2021-09-06");
	/* Received on a Saturday: the next working day is the first. */
	assert_string_equal(iso_of(feedback_deadline(r, day_of("2021-09-04"), 1), b), "2021-09-06");
	/* Thursday 2022-01-27 + 3: Friday 28th, then Tết to Sunday 6 Feb,
	 * Monday 7th, Tuesday 8th. */
	assert_string_equal(iso_of(feedback_deadline(r, day_of("2022-01-27"), 3), b), "2022-02-08");
	assert_int_equal(feedback_working_day(r, day_of("2022-02-01")), 0);
	assert_int_equal(feedback_working_day(r, day_of("2022-02-07")), 1);
	assert_int_equal(feedback_working_day(r, day_of("2022-02-05")), 0);
	feedback_rules_free(r);
}

static void test_lifecycle(void **state)
{
	struct error err = ERROR_INIT;
	enum feedback_status to;

	(void)state;
	assert_int_equal(feedback_transition(FEEDBACK_NEW, FEEDBACK_ACKNOWLEDGE, &to, &err), 0);
	assert_int_equal(to, FEEDBACK_ACKNOWLEDGED);
	assert_int_equal(feedback_transition(FEEDBACK_ACKNOWLEDGED, FEEDBACK_ASSIGN, &to, &err), 0);
	assert_int_equal(to, FEEDBACK_IN_PROGRESS);
	assert_int_equal(feedback_transition(FEEDBACK_IN_PROGRESS, FEEDBACK_ANSWER, &to, &err), 0);
	assert_int_equal(to, FEEDBACK_ANSWERED);
	assert_int_equal(feedback_transition(FEEDBACK_ANSWERED, FEEDBACK_CLOSE, &to, &err), 0);
	assert_int_equal(to, FEEDBACK_CLOSED);
	assert_int_equal(feedback_transition(FEEDBACK_NEW, FEEDBACK_REJECT, &to, &err), 0);
	assert_int_equal(to, FEEDBACK_REJECTED);
	/* Not allowed: answering before acknowledging, closing an open one,
	 * anything after closing or rejecting. */
	assert_int_equal(feedback_transition(FEEDBACK_NEW, FEEDBACK_ANSWER, &to, &err), THC_ECONFLICT);
	assert_non_null(strstr(err.en, "acknowledged or in progress"));
	assert_true(text_utf8_valid(err.vi, strlen(err.vi)));
	assert_int_equal(feedback_transition(FEEDBACK_IN_PROGRESS, FEEDBACK_CLOSE, &to, &err),
	                 THC_ECONFLICT);
	assert_int_equal(feedback_transition(FEEDBACK_CLOSED, FEEDBACK_REJECT, &to, &err),
	                 THC_ECONFLICT);
	assert_int_equal(feedback_transition(FEEDBACK_REJECTED, FEEDBACK_ACKNOWLEDGE, &to, &err),
	                 THC_ECONFLICT);
	assert_int_equal(feedback_status_from_name("in_progress"), FEEDBACK_IN_PROGRESS);
	assert_int_equal(feedback_status_from_name("done"), -1);
	assert_string_equal(feedback_status_title(FEEDBACK_ANSWERED, "vi"), "đã trả lời");
	assert_string_equal(feedback_status_title(FEEDBACK_ANSWERED, "en"), "answered");
}

static void test_route_and_escalation(void **state)
{
	struct error err = ERROR_INIT;
	char out[32];

	(void)state;
	assert_int_equal(feedback_route("/01/001/00001/00001-001/", FEEDBACK_LEVEL_COMMUNE, out,
	                                sizeof(out), &err), 0);
	assert_string_equal(out, "00001");
	assert_int_equal(feedback_route("/01/001/00001/00001-001/00001-001-0001/",
	                                FEEDBACK_LEVEL_DISTRICT, out, sizeof(out), &err), 0);
	assert_string_equal(out, "001");
	/* A place above the level stays with the place. */
	assert_int_equal(feedback_route("/01/001/", FEEDBACK_LEVEL_COMMUNE, out, sizeof(out), &err), 0);
	assert_string_equal(out, "001");
	assert_int_equal(feedback_route("/", FEEDBACK_LEVEL_COMMUNE, out, sizeof(out), &err),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(feedback_escalation_target("/01/001/00001/", out, sizeof(out)), 1);
	assert_string_equal(out, "001");
	assert_int_equal(feedback_escalation_target("/01/001/", out, sizeof(out)), 1);
	assert_string_equal(out, "01");
	assert_int_equal(feedback_escalation_target("/01/", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(feedback_escalation_due(FEEDBACK_NEW, 100, 101), 1);
	assert_int_equal(feedback_escalation_due(FEEDBACK_IN_PROGRESS, 100, 100), 0);
	assert_int_equal(feedback_escalation_due(FEEDBACK_ANSWERED, 100, 200), 0);
	assert_int_equal(feedback_escalation_due(FEEDBACK_REJECTED, 100, 200), 0);
}

/* Reassignment: an open request goes back to new at the other unit. */
static void test_reassign(void **state)
{
	struct error err = ERROR_INIT;
	enum feedback_status to;

	(void)state;
	assert_int_equal(feedback_transition(FEEDBACK_IN_PROGRESS, FEEDBACK_REASSIGN, &to, &err), 0);
	assert_int_equal(to, FEEDBACK_NEW);
	assert_int_equal(feedback_transition(FEEDBACK_NEW, FEEDBACK_REASSIGN, &to, &err), 0);
	assert_int_equal(feedback_transition(FEEDBACK_ANSWERED, FEEDBACK_REASSIGN, &to, &err),
	                 THC_ECONFLICT);
	assert_int_equal(feedback_transition(FEEDBACK_REJECTED, FEEDBACK_REASSIGN, &to, &err),
	                 THC_ECONFLICT);
}

/* Reopening: answered or closed, until 7 calendar days after the answer. */
/* Deadline Monday 06/09/2021; Thursday 2 and Friday 3 are holidays: the
 * working day before it is Wednesday 1st. */
static void test_reminder_due(void **state)
{
	struct feedback_rules *r = load();
	int32_t due = day_of("2021-09-06");

	(void)state;
	assert_false(feedback_reminder_due(r, FEEDBACK_NEW, due, day_of("2021-08-31")));
	assert_true(feedback_reminder_due(r, FEEDBACK_NEW, due, day_of("2021-09-01")));
	assert_true(feedback_reminder_due(r, FEEDBACK_IN_PROGRESS, due, day_of("2021-09-02")));
	assert_true(feedback_reminder_due(r, FEEDBACK_ACKNOWLEDGED, due, day_of("2021-09-04")));
	assert_true(feedback_reminder_due(r, FEEDBACK_NEW, due, day_of("2021-09-06")));
	assert_false(feedback_reminder_due(r, FEEDBACK_NEW, due, day_of("2021-09-07")));
	assert_false(feedback_reminder_due(r, FEEDBACK_ANSWERED, due, day_of("2021-09-01")));
	assert_false(feedback_reminder_due(r, FEEDBACK_CLOSED, due, day_of("2021-09-06")));
	feedback_rules_free(r);
}

static void test_code_check(void **state)
{
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(feedback_code_check("code", "rac_thai_2", &err), 0);
	assert_int_equal(feedback_code_check("code", "", &err), THC_EUNPROCESSABLE);
	assert_int_equal(feedback_code_check("code", "Rac", &err), THC_EUNPROCESSABLE);
	assert_int_equal(feedback_code_check("code", "rác", &err), THC_EUNPROCESSABLE);
	assert_int_equal(feedback_code_check("code", "a-b", &err), THC_EUNPROCESSABLE);
	assert_int_equal(feedback_code_check("code", "abcdefghijklmnopqrstuvwxyz01234", &err), 0);
	assert_int_equal(feedback_code_check("code", "abcdefghijklmnopqrstuvwxyz012345", &err),
	                 THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "code");
}

static void test_reopen(void **state)
{
	struct error err = ERROR_INIT;
	int32_t answered = 18900;

	(void)state;
	assert_int_equal(feedback_reopen_allowed(FEEDBACK_ANSWERED, answered, answered, &err), 0);
	assert_int_equal(feedback_reopen_allowed(FEEDBACK_CLOSED, answered, answered + 7, &err), 0);
	assert_int_equal(feedback_reopen_allowed(FEEDBACK_CLOSED, answered, answered + 8, &err),
	                 THC_ECONFLICT);
	assert_non_null(strstr(err.en, "7 days"));
	for (int s = FEEDBACK_NEW; s < FEEDBACK_STATUS_COUNT; s++)
		if (s != FEEDBACK_ANSWERED && s != FEEDBACK_CLOSED)
			assert_int_equal(feedback_reopen_allowed((enum feedback_status)s, answered,
			                                         answered, &err), THC_ECONFLICT);
	assert_non_null(strstr(err.en, "rejected"));
}

static void test_departments(void **state)
{
	static const char json[] =
		"{\"categories\":[{\"code\":\"a\",\"name\":{\"vi\":\"a\",\"en\":\"a\"},\"days\":1,"
		"\"level\":\"commune\",\"department\":{\"province\":\"P\",\"district\":\"D\","
		"\"commune\":\"C\"},\"status\":\"confirmed\"},"
		"{\"code\":\"b\",\"name\":{\"vi\":\"b\",\"en\":\"b\"},\"days\":1,"
		"\"level\":\"commune\",\"status\":\"confirmed\"}],\"holidays\":[]}";
	struct feedback_rules *r = NULL;
	struct error err = ERROR_INIT;
	const struct feedback_category *a;

	(void)state;
	assert_int_equal(feedback_rules_parse(json, strlen(json), &r, &err), 0);
	a = feedback_category(r, "a");
	/* The level is the number of segments; a hamlet's or a household's is the commune's. */
	assert_string_equal(feedback_department(a, "/01/"), "P");
	assert_string_equal(feedback_department(a, "/01/001/"), "D");
	assert_string_equal(feedback_department(a, "/01/001/00001/"), "C");
	assert_string_equal(feedback_department(a, "/01/001/00001/00001-001/"), "C");
	assert_string_equal(feedback_department(a, ""), "P");
	/* None named: none; no category: none. */
	assert_null(feedback_department(feedback_category(r, "b"), "/01/001/"));
	assert_null(feedback_department(NULL, "/01/"));
	feedback_rules_free(r);
}

static void test_bad_rules(void **state)
{
	static const char *const bad[] = {
		"{\"categories\":[],\"holidays\":[]}",
		"{\"categories\":[{\"code\":\"A\",\"name\":{\"vi\":\"a\",\"en\":\"a\"},\"days\":1,"
		"\"level\":\"commune\",\"status\":\"confirmed\"}],\"holidays\":[]}",
		"{\"categories\":[{\"code\":\"a\",\"name\":{\"vi\":\"a\",\"en\":\"a\"},\"days\":0,"
		"\"level\":\"commune\",\"status\":\"confirmed\"}],\"holidays\":[]}",
		"{\"categories\":[{\"code\":\"a\",\"name\":{\"vi\":\"a\",\"en\":\"a\"},\"days\":1,"
		"\"level\":\"hamlet\",\"status\":\"confirmed\"}],\"holidays\":[]}",
		"{\"categories\":[{\"code\":\"a\",\"name\":{\"vi\":\"a\",\"en\":\"a\"},\"days\":1,"
		"\"level\":\"commune\",\"status\":\"confirmed\"},{\"code\":\"a\",\"name\":{\"vi\":\"a\","
		"\"en\":\"a\"},\"days\":1,\"level\":\"commune\",\"status\":\"confirmed\"}],\"holidays\":[]}",
		"{\"categories\":[{\"code\":\"a\",\"name\":{\"vi\":\"a\",\"en\":\"a\"},\"days\":1,"
		"\"level\":\"commune\",\"status\":\"confirmed\"}],\"holidays\":[{\"from\":\"2022-02-06\","
		"\"to\":\"2022-01-29\",\"name\":\"x\",\"status\":\"confirmed\"}]}",
		/* A department that does not name all three levels. */
		"{\"categories\":[{\"code\":\"a\",\"name\":{\"vi\":\"a\",\"en\":\"a\"},\"days\":1,"
		"\"level\":\"commune\",\"department\":{\"commune\":\"x\",\"district\":\"y\"},"
		"\"status\":\"confirmed\"}],\"holidays\":[]}",
		"{\"categories\":[{\"code\":\"a\",\"name\":{\"vi\":\"a\",\"en\":\"a\"},\"days\":1,"
		"\"level\":\"commune\",\"department\":\"x\",\"status\":\"confirmed\"}],\"holidays\":[]}",
		"{\"categories\":",
	};
	struct feedback_rules *r;
	struct error err = ERROR_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(feedback_rules_parse(bad[i], strlen(bad[i]), &r, &err),
		                 THC_EUNPROCESSABLE);
		assert_null(r);
		assert_true(text_utf8_valid(err.vi, strlen(err.vi)));
	}
	assert_non_null(strstr(err.en, "malformed JSON"));
}

static void test_shipped_rules_file(void **state)
{
	const char *dir = getenv("THC_DATA_DIR");
	struct feedback_rules *r;
	struct error err = ERROR_INIT;
	static char buf[FEEDBACK_RULES_MAX_BYTES];
	char path[1024], b[11];
	size_t n;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/feedback.json", dir && dir[0] ? dir : THC_DATA_DIR);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(feedback_rules_parse(buf, n, &r, &err), 0);
	assert_non_null(feedback_category(r, "shortage"));
	assert_non_null(feedback_category(r, "other"));
	/* Every shipped category names its departments; a quarantine complaint
	 * is the health station's at a commune, the health office's above. */
	for (size_t i = 0; feedback_category_at(r, i); i++)
		for (int l = FEEDBACK_LEVEL_PROVINCE; l <= FEEDBACK_LEVEL_COMMUNE; l++)
			assert_non_null(feedback_category_at(r, i)->department[l]);
	assert_string_equal(feedback_department(feedback_category(r, "quarantine_complaint"),
	                                        "/01/001/00001/"), "Trạm Y tế");
	assert_string_equal(feedback_department(feedback_category(r, "quarantine_complaint"),
	                                        "/01/001/"), "Phòng Y tế");
	/* Tết Bính Ngọ: received Friday 13/02/2026, one working day: Monday 23rd. */
	assert_string_equal(iso_of(feedback_deadline(r, day_of("2026-02-13"), 1), b), "2026-02-23");
	feedback_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_deadline_weekend_holiday_tet),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_route_and_escalation),
		cmocka_unit_test(test_reassign),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_reminder_due),
		cmocka_unit_test(test_code_check),
		cmocka_unit_test(test_departments),
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_shipped_rules_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
