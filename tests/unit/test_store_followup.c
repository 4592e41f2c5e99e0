/*
 * The follow-up store suite (isolation, check-ins, zones, coverage): every
 * case runs against SQLite and, when THC_TEST_PG_URL names an empty
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
#include "domain/zone.h"
#include "store/store.h"
#include "store/testing.h"
#include "store_fixture.h"
#include "base/banned.h"

#define HOUR_MS (3600LL * 1000)

static const char *backend_url;   /* set before each group runs */

/* People of the fixture: in 00001-001-0001, 00001-001 (two) and 00004-001. */
static struct { int64_t px, px2, px3, tb; } people;

static int setup(void **state)
{
	/* Through the fault driver, disarmed unless test_fault_sweeps arms it. */
	struct sfx *f = sfx_open(backend_url, "store-followup", 1);

	sfx_unit(f, "00001", "hamlet", "Tổ dân phố 1", "00001-001");
	sfx_unit(f, "00001", "hamlet", "Tổ dân phố 2", "00001-002");
	sfx_unit(f, "00001-001", "household", "Hộ bà Bùi Thị Dân", "00001-001-0001");
	sfx_unit(f, "00004", "hamlet", "Tổ dân phố 1", "00004-001");
	sfx_user(f, "admin", "admin", "VN");
	sfx_user(f, "phucxa", "commune_officer", "00001");
	sfx_user(f, "trucbach", "commune_officer", "00004");
	sfx_user(f, "ytephucxa", "health_worker", "00001");
	sfx_user(f, "todan1", "team_member", "00001-001");
	sfx_user(f, "todan2", "team_member", "00001-002");
	sfx_user(f, "nguoidan", "citizen", "00001-001-0001");
	assert_int_equal(store_test_person(f->st, "Bùi Thị Dân", "00001-001-0001", &people.px,
	                                   &f->err), 0);
	assert_int_equal(store_test_person(f->st, "Nguyễn Văn Hai", "00001-001", &people.px2,
	                                   &f->err), 0);
	assert_int_equal(store_test_person(f->st, "Trần Thị Ba", "00001-001", &people.px3,
	                                   &f->err), 0);
	assert_int_equal(store_test_person(f->st, "Ngô Văn Bốn", "00004-001", &people.tb,
	                                   &f->err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	sfx_close(*state);
	return 0;
}

static struct isolation iso_of(int64_t person, const char *unit, const char *started)
{
	return (struct isolation){ .person_id = person, .kind = "home", .unit_code = unit,
	                           .started_on = started, .planned_end = NULL };
}

static int64_t count_isolations(struct sfx *f, const struct store_actor *who,
                                const char *unit, enum isolation_state state, int hours,
                                int spo2_below, struct isolation **out)
{
	struct isolation_query q = { .unit = unit, .state = state, .hours = hours,
	                             .spo2_below = spo2_below, .limit = 100 };
	size_t n = 0;

	assert_int_equal(store_isolations_list(f->st, who, &q, &f->a, out, &n, &f->err), 0);
	return (int64_t)n;
}

/* Creation: kinds, dates, scope of unit and person, one active isolation a person. */
static void test_isolation_create_rules(void **state)
{
	struct sfx *f = *state;
	struct store_actor yt = sfx_actor(f, "ytephucxa"), tb = sfx_actor(f, "trucbach"),
	                   td = sfx_actor(f, "todan1");
	struct isolation in = iso_of(people.px, "00001-001-0001", "2021-09-01");
	struct isolation *l;
	char idbuf[24];

	in.kind = "hospital";
	assert_int_equal(store_isolation_create(f->st, &yt, &in, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'kind'"));
	in.kind = "home";
	in.planned_end = "2021-08-20";
	assert_int_equal(store_isolation_create(f->st, &yt, &in, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'planned_end'"));
	assert_non_null(strstr(f->err.vi, "'planned_end'"));
	in.planned_end = "2021-09-31";
	assert_int_equal(store_isolation_create(f->st, &yt, &in, &f->err), THC_EUNPROCESSABLE);
	in.planned_end = "2021-09-08";
	/* Another commune's officer cannot reach the unit; a team member may not open one. */
	assert_int_equal(store_isolation_create(f->st, &tb, &in, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_isolation_create(f->st, &td, &in, &f->err), THC_ENOTFOUND);
	/* A person outside the actor's scope. */
	in.person_id = people.tb;
	assert_int_equal(store_isolation_create(f->st, &yt, &in, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'person_id'"));
	in.person_id = people.px;
	in.case_id = 999999;
	assert_int_equal(store_isolation_create(f->st, &yt, &in, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'case_id'"));
	in.case_id = 0;
	assert_int_equal(count_isolations(f, &f->sys, "00001", ISOLATION_ACTIVE, 24, 96, &l), 0);
	assert_int_equal(store_isolation_create(f->st, &yt, &in, &f->err), 0);
	assert_true(in.id > 0);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)in.id);
	assert_true(sfx_audit_has(f, "isolation.create", idbuf));
	assert_int_equal(store_isolation_create(f->st, &yt, &in, &f->err), THC_ECONFLICT);
	assert_int_equal(count_isolations(f, &f->sys, "00001", ISOLATION_ACTIVE, 24, 96, &l), 1);
	assert_int_equal(store_isolation_release(f->st, &yt, in.id, "2021-09-08", &f->err), 0);
}

/* Check-ins, overdue and low-SpO2 lists, names by role, person.read audit. */
static void test_checkins_and_lists(void **state)
{
	struct sfx *f = *state;
	struct store_actor yt = sfx_actor(f, "ytephucxa"), td = sfx_actor(f, "todan1"),
	                   td2 = sfx_actor(f, "todan2"), tb = sfx_actor(f, "trucbach"),
	                   px = sfx_actor(f, "phucxa"), nd = sfx_actor(f, "nguoidan");
	struct isolation a = iso_of(people.px2, "00001-001", "2021-09-10");
	struct isolation b = iso_of(people.px3, "00001-001", "2021-09-10");
	struct checkin c = { .spo2 = -1, .temperature = -1 };
	struct checkin *cl;
	struct isolation *l;
	int64_t t0 = yt.now_ms, cid = 0;
	size_t n;

	assert_int_equal(store_isolation_create(f->st, &yt, &a, &f->err), 0);
	b.kind = "facility";
	assert_int_equal(store_isolation_create(f->st, &px, &b, &f->err), 0);

	/* Bad check-ins: nothing measured, out of range, unknown or out of scope. */
	c.isolation_id = a.id;
	assert_int_equal(store_isolation_checkin(f->st, &td, &c, &cid, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "spo2"));
	c.spo2 = 49;
	assert_int_equal(store_isolation_checkin(f->st, &td, &c, &cid, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'spo2'"));
	c.spo2 = -1;
	c.temperature = 43.5;
	assert_int_equal(store_isolation_checkin(f->st, &td, &c, &cid, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'temperature'"));
	c.temperature = 37.8;
	assert_int_equal(store_isolation_checkin(f->st, &tb, &c, &cid, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_isolation_checkin(f->st, &td2, &c, &cid, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_isolation_checkin(f->st, &nd, &c, &cid, &f->err), THC_ENOTFOUND);

	/* a: 97 % then, two hours later, 94 %; b: 98 %, thirty hours ago. */
	c.spo2 = 97;
	c.symptoms = "ho";
	assert_int_equal(store_isolation_checkin(f->st, &td, &c, &cid, &f->err), 0);
	td.now_ms = t0 + 2 * HOUR_MS;
	c.spo2 = 94;
	c.temperature = -1;
	c.symptoms = "ho, sốt";
	assert_int_equal(store_isolation_checkin(f->st, &td, &c, &cid, &f->err), 0);
	assert_true(cid > 0);
	yt.now_ms = t0 - 30 * HOUR_MS;
	c.isolation_id = b.id;
	c.spo2 = 98;
	c.temperature = 37.2;
	c.symptoms = NULL;
	assert_int_equal(store_isolation_checkin(f->st, &yt, &c, NULL, &f->err), 0);
	yt.now_ms = t0 + 2 * HOUR_MS;

	assert_int_equal(store_isolation_checkins(f->st, &td, a.id, &f->a, &cl, &n, &f->err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cl[0].spo2, 94);            /* newest first */
	assert_true(cl[0].temperature < 0);
	assert_string_equal(cl[0].symptoms, "ho, sốt");
	assert_string_equal(cl[1].created_by, "todan1");
	{
		char idbuf[24];

		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)a.id);
		assert_true(sfx_audit_has(f, "person.read", idbuf));
	}
	assert_int_equal(store_isolation_checkins(f->st, &tb, a.id, &f->a, &cl, &n, &f->err),
	                 THC_ENOTFOUND);

	/* Low SpO2: a's latest reading is 94. */
	assert_int_equal(count_isolations(f, &yt, "00001", ISOLATION_LOW_SPO2, 24, 96, &l), 1);
	assert_int_equal(l[0].id, a.id);
	assert_int_equal(l[0].last_spo2, 94);
	assert_true(l[0].last_temperature > 37.7 && l[0].last_temperature < 37.9);
	assert_int_equal(l[0].checkins, 2);
	assert_string_equal(l[0].full_name, "Nguyễn Văn Hai");
	assert_int_equal(count_isolations(f, &yt, "00001", ISOLATION_LOW_SPO2, 24, 94, &l), 0);
	assert_int_equal(count_isolations(f, &yt, "00001", ISOLATION_LOW_SPO2, 24, 99, &l), 2);
	/* Overdue: b (started 2021-09-10, however recently recorded) was last seen
	 * thirty hours ago; a was seen within the window. */
	assert_int_equal(count_isolations(f, &yt, "00001", ISOLATION_OVERDUE, 24, 96, &l), 1);
	assert_int_equal(l[0].id, b.id);
	yt.now_ms = t0 + 25 * HOUR_MS;
	assert_int_equal(count_isolations(f, &yt, "00001", ISOLATION_OVERDUE, 24, 96, &l), 1);
	assert_int_equal(l[0].id, b.id);
	/* With a 20-hour window a (seen 2 h after t0) is overdue too at t0 + 25 h. */
	assert_int_equal(count_isolations(f, &yt, "00001", ISOLATION_OVERDUE, 20, 96, &l), 2);
	yt.now_ms = t0 + 2 * HOUR_MS;
	/* A new isolation starting today, never checked: not overdue until the
	 * window has passed since its start (00:00 today in Viet Nam). */
	{
		struct store_actor tbx = tb;
		int32_t today = vntime_day_of(t0 / 1000);
		int64_t start = (int64_t)today * 24 * HOUR_MS - 7 * HOUR_MS, p_new = 0;
		char day[16];
		struct isolation fresh;

		vndate_format_iso(vndate_from_days(today), day, sizeof(day));
		assert_int_equal(store_test_person(f->st, "Lê Văn Năm", "00004-001", &p_new,
		                                   &f->err), 0);
		fresh = iso_of(p_new, "00004-001", day);
		assert_int_equal(store_isolation_create(f->st, &tb, &fresh, &f->err), 0);
		assert_int_equal(count_isolations(f, &tbx, "00004", ISOLATION_OVERDUE, 24, 96, &l), 0);
		tbx.now_ms = start + 24 * HOUR_MS;
		assert_int_equal(count_isolations(f, &tbx, "00004", ISOLATION_OVERDUE, 24, 96, &l), 0);
		tbx.now_ms = start + 24 * HOUR_MS + 1;
		assert_int_equal(count_isolations(f, &tbx, "00004", ISOLATION_OVERDUE, 24, 96, &l), 1);
		assert_int_equal(l[0].id, fresh.id);
		tbx.now_ms = start + 2 * HOUR_MS + 1;       /* a 2-hour window is shorter */
		assert_int_equal(count_isolations(f, &tbx, "00004", ISOLATION_OVERDUE, 2, 96, &l), 1);
		tbx.now_ms = start + 2 * HOUR_MS;
		assert_int_equal(count_isolations(f, &tbx, "00004", ISOLATION_OVERDUE, 2, 96, &l), 0);
		/* A check-in restarts the wait. */
		c.isolation_id = fresh.id;
		c.spo2 = 98;
		c.temperature = -1;
		tbx.now_ms = start + 23 * HOUR_MS;
		assert_int_equal(store_isolation_checkin(f->st, &tbx, &c, NULL, &f->err), 0);
		tbx.now_ms = start + 25 * HOUR_MS;
		assert_int_equal(count_isolations(f, &tbx, "00004", ISOLATION_OVERDUE, 24, 96, &l), 0);
		assert_int_equal(store_isolation_release(f->st, &tb, fresh.id, day, &f->err), 0);
	}

	/* Team members see the list without names; other communes see nothing. */
	assert_int_equal(count_isolations(f, &td, "00001-001", ISOLATION_ACTIVE, 24, 96, &l), 2);
	assert_null(l[0].full_name);
	assert_null(l[0].id_number);
	assert_int_equal(count_isolations(f, &td2, "00001", ISOLATION_ACTIVE, 24, 96, &l), 0);
	assert_int_equal(count_isolations(f, &tb, "00001", ISOLATION_ACTIVE, 24, 96, &l), 0);
	assert_int_equal(count_isolations(f, &nd, "00001", ISOLATION_ACTIVE, 24, 96, &l), 0);
	assert_int_equal(count_isolations(f, &px, "001", ISOLATION_ACTIVE, 24, 96, &l), 2);
	assert_non_null(l[0].full_name);
	assert_true(sfx_audit_has(f, "person.read", "001"));
	assert_false(sfx_audit_has(f, "person.read", "00001-001"));   /* td read no names */
	/* A hamlet out of scope cannot be named. */
	{
		struct isolation_query q = { .unit = "00001-001", .state = ISOLATION_ACTIVE,
		                             .hours = 24, .spo2_below = 96, .limit = 10 };
		assert_int_equal(store_isolations_list(f->st, &tb, &q, &f->a, &l, &n, &f->err),
		                 THC_ENOTFOUND);
	}
}

/* Release: not before the start, once, and no check-in afterwards. */
static void test_release_rules(void **state)
{
	struct sfx *f = *state;
	struct store_actor yt = sfx_actor(f, "ytephucxa"), td = sfx_actor(f, "todan1"),
	                   tb = sfx_actor(f, "trucbach");
	struct isolation *l;
	struct checkin c = { .spo2 = 97, .temperature = -1 };
	int64_t id, before;
	char idbuf[24];

	before = count_isolations(f, &yt, "00001", ISOLATION_RELEASED, 24, 96, &l);
	assert_true(count_isolations(f, &yt, "00001", ISOLATION_ACTIVE, 24, 96, &l) >= 1);
	id = l[0].id;
	assert_int_equal(store_isolation_release(f->st, &yt, id, "2021-09-09", &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'released_on'"));
	assert_int_equal(store_isolation_release(f->st, &yt, id, "24/09/2021", &f->err),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(store_isolation_release(f->st, &td, id, "2021-09-24", &f->err),
	                 THC_ENOTFOUND);   /* team members follow, health workers release */
	assert_int_equal(store_isolation_release(f->st, &tb, id, "2021-09-24", &f->err),
	                 THC_ENOTFOUND);
	assert_int_equal(count_isolations(f, &yt, "00001", ISOLATION_RELEASED, 24, 96, &l), before);
	assert_int_equal(store_isolation_release(f->st, &yt, id, "2021-09-24", &f->err), 0);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	assert_true(sfx_audit_has(f, "isolation.release", idbuf));
	assert_int_equal(store_isolation_release(f->st, &yt, id, "2021-09-25", &f->err),
	                 THC_ECONFLICT);
	c.isolation_id = id;
	assert_int_equal(store_isolation_checkin(f->st, &td, &c, NULL, &f->err), THC_ECONFLICT);
	assert_int_equal(count_isolations(f, &yt, "00001", ISOLATION_RELEASED, 24, 96, &l),
	                 before + 1);
	assert_string_equal(l[before].released_on, "2021-09-24");
}

/* Zones: units that fit, scope, lists, public counts, the end rule. */
static void test_zones_and_end_rule(void **state)
{
	struct sfx *f = *state;
	struct store_actor px = sfx_actor(f, "phucxa"), tb = sfx_actor(f, "trucbach"),
	                   yt = sfx_actor(f, "ytephucxa"), td = sfx_actor(f, "todan1"),
	                   nd = sfx_actor(f, "nguoidan");
	struct zone z = { .unit_code = "00001-001", .reason = "3 ca cộng đồng",
	                  .started_on = "2021-09-01", .planned_end = "2021-09-15" };
	struct zone z2 = { .unit_code = "00001", .area_name = "Chợ Long Biên",
	                   .reason = "ổ dịch chợ", .started_on = "2021-09-05" };
	struct zone *l;
	struct zone_count *cc;
	struct zone_rule r7 = { 7 };
	int64_t total, case_id;
	size_t n;
	int over = -1;
	char idbuf[24];

	z.unit_code = "001";
	assert_int_equal(store_zone_create(f->st, &f->sys, &z, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'unit_code'"));
	z.unit_code = "00001-001";
	z.planned_end = "2021-08-01";
	assert_int_equal(store_zone_create(f->st, &px, &z, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'planned_end'"));
	z.planned_end = "2021-09-15";
	assert_int_equal(store_zone_create(f->st, &tb, &z, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_zone_create(f->st, &yt, &z, &f->err), THC_ENOTFOUND);
	z.reason = "";
	assert_int_equal(store_zone_create(f->st, &px, &z, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'reason'"));
	z.reason = "3 ca cộng đồng";
	assert_int_equal(store_zone_create(f->st, &px, &z, &f->err), 0);
	assert_int_equal(store_zone_create(f->st, &px, &z2, &f->err), 0);

	assert_int_equal(store_zones_list(f->st, &yt, "00001", "2021-09-06", &f->a, &l, &n,
	                                  &f->err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_zones_list(f->st, &td, "00001", "2021-09-03", &f->a, &l, &n,
	                                  &f->err), 0);
	assert_int_equal(n, 1);                   /* the team sees its hamlet; z2 started later */
	assert_string_equal(l[0].unit_name, "Tổ dân phố 1");
	assert_int_equal(store_zones_list(f->st, &tb, "00001", "2021-09-06", &f->a, &l, &n,
	                                  &f->err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_zones_list(f->st, &nd, "00001", "2021-09-06", &f->a, &l, &n,
	                                  &f->err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_zones_count(f->st, "001", "2021-09-06", &f->a, &total, &cc, &n,
	                                   &f->err), 0);
	assert_int_equal(total, 2);
	assert_int_equal(n, 2);
	assert_string_equal(cc[0].code, "00001");
	assert_int_equal(cc[0].active, 2);
	assert_int_equal(cc[1].active, 0);
	assert_int_equal(store_zones_count(f->st, "00001-001", "2021-09-06", &f->a, &total, &cc,
	                                   &n, &f->err), THC_ENOTFOUND);   /* not public */

	/* The last case in the hamlet was on 2021-09-10: ending on 09-20 is too early. */
	assert_int_equal(store_test_case(f->st, people.px2, "00001-001-0001", "2021-09-10",
	                                 &case_id, &f->err), 0);
	assert_int_equal(store_test_case(f->st, people.tb, "00004-001", "2021-09-30",
	                                 &case_id, &f->err), 0);   /* elsewhere: ignored */
	assert_int_equal(store_zone_end(f->st, &px, z.id, "2021-09-20", NULL, NULL, &over, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "14 days"));
	assert_non_null(strstr(f->err.en, "2021-09-24"));
	assert_non_null(strstr(f->err.vi, "14 ngày"));
	assert_int_equal(store_zone_end(f->st, &px, z.id, "2021-08-31", "x", NULL, &over, &f->err),
	                 THC_EUNPROCESSABLE);    /* before the start, even with a reason */
	assert_int_equal(store_zone_end(f->st, &tb, z.id, "2021-09-24", NULL, NULL, &over, &f->err),
	                 THC_ENOTFOUND);
	assert_int_equal(store_zone_end(f->st, &yt, z.id, "2021-09-24", NULL, NULL, &over, &f->err),
	                 THC_ENOTFOUND);
	/* A server configured for 7 days allows it. */
	assert_int_equal(store_zone_end(f->st, &px, z.id, "2021-09-17", NULL, &r7, &over, &f->err),
	                 0);
	assert_int_equal(over, 0);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)z.id);
	assert_true(sfx_audit_has(f, "zone.end", idbuf));
	assert_int_equal(store_zone_end(f->st, &px, z.id, "2021-09-30", NULL, NULL, &over, &f->err),
	                 THC_ECONFLICT);
	/* The commune zone: the hamlet's case counts (subtree); override with a reason. */
	assert_int_equal(store_zone_end(f->st, &px, z2.id, "2021-09-12", NULL, NULL, &over, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_int_equal(store_zone_end(f->st, &px, z2.id, "2021-09-12", "đã xét nghiệm toàn bộ",
	                                NULL, &over, &f->err), 0);
	assert_int_equal(over, 1);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)z2.id);
	assert_true(sfx_audit_has(f, "zone.end_override", idbuf));
	/* Active while started and not yet ended: the commune zone, then the hamlet's. */
	assert_int_equal(store_zones_list(f->st, &px, "00001", "2021-09-11", &f->a, &l, &n,
	                                  &f->err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(l[0].area_name, "Chợ Long Biên");
	assert_null(l[1].area_name);
	assert_int_equal(store_zones_list(f->st, &px, "00001", "2021-09-12", &f->a, &l, &n,
	                                  &f->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(l[0].ended_on, "2021-09-17");
	assert_int_equal(store_zones_list(f->st, &px, "00001", "2021-09-17", &f->a, &l, &n,
	                                  &f->err), 0);
	assert_int_equal(n, 0);
}

static struct vaccination_row vax(const char *group, int64_t pop, int64_t d1, int64_t full,
                                  int64_t booster)
{
	return (struct vaccination_row){ "00001", "2021-10-24", group, pop, d1, full, booster, 0 };
}

/* Coverage: consistency, scope, all or nothing, replace, derived inputs. */
static void test_coverage_and_level_inputs(void **state)
{
	struct sfx *f = *state;
	struct store_actor yt = sfx_actor(f, "ytephucxa"), tb = sfx_actor(f, "trucbach"),
	                   td = sfx_actor(f, "todan1");
	struct vaccination_row rows[5] = {
		vax("18+", 1000, 900, 600, -1), vax("65+", 200, 190, 180, 10),
		vax("50+", 400, 380, 300, 0), vax("high_risk", 50, 40, 20, -1),
		vax("all", 1500, 1000, 700, 20),
	};
	struct capacity_row cap = { "00001", "2021-10-24", 1, "medium", 3, 0, 2, 1, 0, NULL, 0 };
	struct vaccination_row *got;
	struct capacity_row cg;
	struct level_indicators li;
	size_t n;

	/* full_dose > dose1 in group 65+: named, and nothing stored. */
	rows[1].full_dose = 195;
	assert_int_equal(store_vaccination_put(f->st, &yt, rows, 5, 1, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "group '65+'"));
	assert_non_null(strstr(f->err.en, "'full_dose'"));
	assert_non_null(strstr(f->err.vi, "nhóm '65+'"));
	rows[1].full_dose = 180;
	rows[2].dose1 = 401;
	rows[2].line = 4;
	assert_int_equal(store_vaccination_put(f->st, &yt, rows, 5, 0, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 4"));
	assert_non_null(strstr(f->err.en, "'dose1'"));
	rows[2].dose1 = 380;
	rows[2].line = 0;
	rows[0].booster = 700;
	assert_int_equal(store_vaccination_put(f->st, &yt, rows, 5, 1, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'booster'"));
	rows[0].booster = -1;
	rows[3].age_group = "12-17";
	assert_int_equal(store_vaccination_put(f->st, &yt, rows, 5, 1, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'age_group'"));
	rows[3].age_group = "high_risk";
	assert_int_equal(store_vaccination_put(f->st, &tb, rows, 5, 1, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_vaccination_put(f->st, &td, rows, 5, 1, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_vaccination_get(f->st, &yt, "00001", "2021-10-24", &f->a, &got, &n,
	                                       &f->err), 0);
	assert_int_equal(n, 0);

	assert_int_equal(store_vaccination_put(f->st, &yt, rows, 5, 1, &f->err), 0);
	assert_int_equal(store_vaccination_get(f->st, NULL, "00001", "2021-10-24", &f->a, &got, &n,
	                                       &f->err), 0);
	assert_int_equal(n, 5);
	assert_string_equal(got[0].age_group, "18+");
	assert_int_equal(got[0].booster, -1);
	assert_true(sfx_audit_has(f, "vaccination.put", "00001"));

	/* Capacity: required fields, scope, round trip. */
	cap.capacity = "huge";
	assert_int_equal(store_capacity_put(f->st, &yt, &cap, 1, &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "'capacity'"));
	cap.capacity = "medium";
	assert_int_equal(store_capacity_put(f->st, &tb, &cap, 1, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_capacity_get(f->st, NULL, "00001", "2021-10-24", &f->a, &cg,
	                                    &f->err), THC_ENOTFOUND);
	assert_int_equal(store_capacity_put(f->st, &yt, &cap, 1, &f->err), 0);
	assert_int_equal(store_capacity_get(f->st, NULL, "00001", "2021-10-24", &f->a, &cg,
	                                    &f->err), 0);
	assert_int_equal(cg.capacity_met, 1);
	assert_string_equal(cg.capacity, "medium");
	assert_int_equal(cg.beds_free, 3);
	assert_int_equal(cg.icu_beds_free, 0);
	assert_int_equal(cg.oxygen_ready, 1);
	assert_int_equal(cg.mobile_teams, 2);
	assert_string_equal(cg.updated_by, "ytephucxa");

	/* Derived inputs: in October the elderly are 65+. */
	memset(&li, 0, sizeof(li));
	li.vax1_18plus_pct = li.vaxfull_elderly_pct = li.vaxfull_pct = li.vaxfull_highrisk_pct = -1;
	li.capacity_met = -1;
	li.cases_week = 42;
	assert_int_equal(store_level_inputs_from_coverage(f->st, "00001", "2021-10-24", &li,
	                                                  &f->err), 0);
	assert_true(li.vax1_18plus_pct > 89.99 && li.vax1_18plus_pct < 90.01);
	assert_true(li.vaxfull_elderly_pct > 89.99 && li.vaxfull_elderly_pct < 90.01); /* 180/200 */
	assert_true(li.vaxfull_pct > 46.66 && li.vaxfull_pct < 46.67);                 /* 700/1500 */
	assert_true(li.vaxfull_highrisk_pct > 39.99 && li.vaxfull_highrisk_pct < 40.01);
	assert_int_equal(li.capacity_met, 1);
	assert_string_equal(li.capacity, "medium");
	assert_int_equal(li.cases_week, 42);     /* untouched */

	/* From 2021-11-01 the elderly are 50+; a replaced week drops the other groups. */
	for (int i = 0; i < 5; i++)
		rows[i].week_end = "2021-11-07";
	assert_int_equal(store_vaccination_put(f->st, &yt, rows, 5, 1, &f->err), 0);
	assert_int_equal(store_vaccination_put(f->st, &yt, &rows[2], 1, 1, &f->err), 0);
	assert_int_equal(store_vaccination_get(f->st, &yt, "00001", "2021-11-07", &f->a, &got, &n,
	                                       &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_vaccination_put(f->st, &yt, rows, 5, 1, &f->err), 0);
	memset(&li, 0, sizeof(li));
	li.vax1_18plus_pct = li.vaxfull_elderly_pct = li.vaxfull_pct = li.vaxfull_highrisk_pct = -1;
	li.capacity_met = -1;
	assert_int_equal(store_level_inputs_from_coverage(f->st, "00001", "2021-11-07", &li,
	                                                  &f->err), 0);
	assert_true(li.vaxfull_elderly_pct > 74.99 && li.vaxfull_elderly_pct < 75.01); /* 300/400 */
	assert_int_equal(li.capacity_met, -1);   /* no capacity that week */
	assert_null(li.capacity);
	/* Nothing known: nothing changes. */
	assert_int_equal(store_level_inputs_from_coverage(f->st, "00004", "2021-11-07", &li,
	                                                  &f->err), 0);
	assert_true(li.vaxfull_elderly_pct > 74.99);
}

/* Importing rows of several units: one bad unit stores nothing. */
static void test_coverage_import_all_or_nothing(void **state)
{
	struct sfx *f = *state;
	struct store_actor px = sfx_actor(f, "phucxa");
	struct capacity_row caps[2] = {
		{ "00001", "2021-11-14", 0, "low", -1, -1, -1, -1, 0, NULL, 2 },
		{ "00004", "2021-11-14", 1, "high", -1, -1, -1, -1, 0, NULL, 3 },
	};
	struct capacity_row cg;

	assert_int_equal(store_capacity_put(f->st, &px, caps, 2, &f->err), THC_ENOTFOUND);
	assert_non_null(strstr(f->err.en, "line 3"));
	assert_int_equal(store_capacity_get(f->st, &px, "00001", "2021-11-14", &f->a, &cg,
	                                    &f->err), THC_ENOTFOUND);
	assert_int_equal(store_capacity_put(f->st, &f->sys, caps, 2, &f->err), 0);
	assert_int_equal(store_capacity_get(f->st, &px, "00004", "2021-11-14", &f->a, &cg,
	                                    &f->err), 0);
	assert_int_equal(cg.beds_free, -1);
	assert_string_equal(cg.capacity, "high");
}

/* ---- fault injection: every write fails at each storage call in turn ---- */

/* What the follow-up writes may change, read back through the public API. */
static void snap(struct sfx *f, void *ctx, char *out, size_t outsz)
{
	struct isolation *l;
	struct vaccination_row *v;
	struct capacity_row c;
	struct zone *z;
	size_t n, ended;
	int64_t active, released, checkins = 0, vax = 0, capacity;

	(void)ctx;
	active = count_isolations(f, &f->sys, "01", ISOLATION_ACTIVE, 24, 96, &l);
	for (int64_t i = 0; i < active; i++)
		checkins += l[i].checkins;
	released = count_isolations(f, &f->sys, "01", ISOLATION_RELEASED, 24, 96, &l);
	assert_int_equal(store_zones_list(f->st, &f->sys, "01", "2021-12-05", &f->a, &z, &ended,
	                                  &f->err), 0);
	assert_int_equal(store_zones_list(f->st, &f->sys, "01", "2030-01-01", &f->a, &z, &n,
	                                  &f->err), 0);
	assert_int_equal(store_vaccination_get(f->st, &f->sys, "00004", "2021-12-05", &f->a, &v,
	                                       &n, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		vax += v[i].population + v[i].dose1 + v[i].full_dose;
	capacity = store_capacity_get(f->st, &f->sys, "00004", "2021-12-05", &f->a, &c,
	                              &f->err) == 0 ? 1 + c.capacity_met : 0;
	snprintf(out, outsz, "active=%lld released=%lld checkins=%lld zones=%zu ended=%zu vax=%lld "
	         "capacity=%lld", (long long)active, (long long)released, (long long)checkins, n,
	         ended, (long long)vax, (long long)capacity);
}

/* A read that shows names changes only the audit trail: its row is the change. */
static void snap_reads(struct sfx *f, void *ctx, char *out, size_t outsz)
{
	struct audit_query q = { .limit = 100000 };
	struct audit_entry *e;
	size_t n, reads = 0;

	(void)ctx;
	assert_int_equal(store_audit_list(f->st, &f->sys, &q, &f->a, &e, &n, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		reads += strcmp(e[i].action, "person.read") == 0 &&
		         strcmp(e[i].unit_code, "00004") == 0;
	snprintf(out, outsz, "reads of 00004=%zu", reads);
}

/* A read that shows names writes its audit row: the list sweep checks it. */
static int64_t fault_iso;      /* the isolation the sweeps work on */
static int64_t fault_zone;

static int w_iso_create(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	struct isolation in = iso_of(people.tb, "00004-001", "2021-12-01");
	int rc;

	(void)attempt;
	in.kind = "facility";
	if ((rc = store_isolation_create(f->st, &f->sys, &in, &f->err)) == 0)
		fault_iso = in.id;
	return rc;
}

static int w_checkin(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	struct checkin c = { .isolation_id = fault_iso, .spo2 = 93, .temperature = 38.5,
	                     .symptoms = "khó thở" };

	(void)attempt;
	return store_isolation_checkin(f->st, &f->sys, &c, NULL, &f->err);
}

static int w_list_names(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	struct isolation_query q = { .unit = "00004", .state = ISOLATION_ACTIVE, .hours = 24,
	                             .spo2_below = 96, .limit = 10 };
	struct isolation *l;
	size_t n;

	(void)attempt;
	return store_isolations_list(f->st, &f->sys, &q, &f->a, &l, &n, &f->err);
}

static int w_release(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	(void)attempt;
	return store_isolation_release(f->st, &f->sys, fault_iso, "2021-12-05", &f->err);
}

static int w_zone_create(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	struct zone z = { .unit_code = "00004-001", .reason = "ổ dịch", .started_on = "2021-12-01" };
	int rc;

	(void)attempt;
	if ((rc = store_zone_create(f->st, &f->sys, &z, &f->err)) == 0)
		fault_zone = z.id;
	return rc;
}

static int w_zone_end(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	int over;

	(void)attempt;
	return store_zone_end(f->st, &f->sys, fault_zone, "2021-12-04", "đủ điều kiện", NULL,
	                      &over, &f->err);
}

static int w_vaccination(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	struct vaccination_row rows[2] = {
		{ "00004", "2021-12-05", "18+", 800, 700, 600, -1, 0 },
		{ "00004", "2021-12-05", "50+", 300, 290, 280, 50, 0 },
	};

	(void)attempt;
	return store_vaccination_put(f->st, &f->sys, rows, 2, 1, &f->err);
}

static int w_capacity(struct sfx *f, void *ctx, int attempt)
{
	(void)ctx;
	struct capacity_row c = { "00004", "2021-12-05", 1, "high", 5, 1, 2, 1, 0, NULL, 0 };

	(void)attempt;
	return store_capacity_put(f->st, &f->sys, &c, 1, &f->err);
}

#define AUDIT(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_fault_sweeps(void **state)
{
	struct sfx *f = *state;

	sfx_fault_sweep(f, snap, w_iso_create, NULL, "isolation create", AUDIT("isolation.create"));
	sfx_fault_sweep(f, snap, w_checkin, NULL, "check-in", AUDIT("isolation.checkin"));
	sfx_fault_sweep(f, snap_reads, w_list_names, NULL, "isolation list (person.read)",
	                AUDIT("person.read"));
	sfx_fault_sweep(f, snap, w_release, NULL, "isolation release", AUDIT("isolation.release"));
	sfx_fault_sweep(f, snap, w_zone_create, NULL, "zone create", AUDIT("zone.create"));
	sfx_fault_sweep(f, snap, w_zone_end, NULL, "zone end", AUDIT("zone.end"));
	sfx_fault_sweep(f, snap, w_vaccination, NULL, "vaccination put",
	                AUDIT("vaccination.put", "vaccination.put"));
	sfx_fault_sweep(f, snap, w_capacity, NULL, "capacity put", AUDIT("capacity.put"));
}

/* The lists a page at a time: pages of one row, each after the cursor of
 * the one before, give the whole list in its order (ties of a day by id,
 * a missing planned end last going up), and nothing out of the reader's
 * scope, whatever the root asked. */
static void test_pages_with_cursor(void **state)
{
	struct sfx *f = *state;
	struct store_actor yt = sfx_actor(f, "ytephucxa"), tb = sfx_actor(f, "trucbach"),
	                   px = sfx_actor(f, "phucxa");
	struct isolation_query q = { .unit = "001", .state = ISOLATION_ACTIVE, .hours = 24,
	                             .spo2_below = 96, .limit = 500, .sort = ISOLATION_SORT_URGENT };
	struct zone_query zq = { .unit = "00001", .day = "2021-10-05", .status = ZONE_STATUS_ALL,
	                         .sort = ZONE_SORT_PLANNED_END, .desc = 1, .limit = 500 };
	struct checkin c = { .spo2 = 90, .temperature = -1 };
	struct isolation *whole, *page;
	struct zone *zw, *zp;
	size_t n, k, seen = 0;
	int64_t next, pid, cid;
	char key[16];

	for (int i = 0; i < 4; i++) {
		struct isolation in;

		assert_int_equal(store_test_person(f->st, i < 3 ? "Người phân trang" : "Người Trúc Bạch",
		                                   i < 3 ? "00001-001" : "00004-001", &pid, &f->err), 0);
		in = iso_of(pid, i < 3 ? "00001-001" : "00004-001", "2021-10-01");
		assert_int_equal(store_isolation_create(f->st, i < 3 ? &yt : &tb, &in, &f->err), 0);
		c.isolation_id = in.id;
		if (i == 1)
			assert_int_equal(store_isolation_checkin(f->st, &yt, &c, &cid, &f->err), 0);
	}
	assert_int_equal(store_isolations_page(f->st, &yt, &q, &f->a, &whole, &n, &next, &f->err), 0);
	assert_true(n >= 3);
	assert_int_equal(next, 0);
	assert_true(whole[0].low_spo2);
	q.limit = 1;
	do {
		assert_int_equal(store_isolations_page(f->st, &yt, &q, &f->a, &page, &k, &next, &f->err), 0);
		assert_true(k <= 1);
		for (size_t i = 0; i < k; i++, seen++) {
			assert_true(seen < n);
			assert_int_equal(page[i].id, whole[seen].id);
			assert_null(strstr(page[i].unit_code, "00004"));
		}
		snprintf(key, sizeof(key), "%c%s", page[0].low_spo2 ? '0' : page[0].overdue ? '1' : '2',
		         page[0].started_on);
		q.after = next;
		q.after_key = key;
	} while (next);
	assert_int_equal(seen, n);

	for (int i = 0; i < 3; i++) {
		struct zone z = { .unit_code = "00001-001", .reason = "Phân trang",
		                  .started_on = "2021-10-01", .planned_end = i ? "2021-10-20" : NULL,
		                  .created_by = "phucxa" };

		assert_int_equal(store_zone_create(f->st, &px, &z, &f->err), 0);
	}
	assert_int_equal(store_zones_page(f->st, &px, &zq, &f->a, &zw, &n, &next, &f->err), 0);
	assert_true(n >= 3);
	assert_null(zw[0].planned_end);          /* none: after every day, so first going down */
	zq.limit = 1;
	seen = 0;
	do {
		assert_int_equal(store_zones_page(f->st, &px, &zq, &f->a, &zp, &k, &next, &f->err), 0);
		for (size_t i = 0; i < k; i++, seen++)
			assert_int_equal(zp[i].id, zw[seen].id);
		zq.after = next;
		zq.after_key = k && zp[0].planned_end ? zp[0].planned_end : ZONE_NO_END;
	} while (next);
	assert_int_equal(seen, n);
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isolation_create_rules),
		cmocka_unit_test(test_checkins_and_lists),
		cmocka_unit_test(test_release_rules),
		cmocka_unit_test(test_zones_and_end_rule),
		cmocka_unit_test(test_coverage_and_level_inputs),
		cmocka_unit_test(test_coverage_import_all_or_nothing),
		cmocka_unit_test(test_pages_with_cursor),
		cmocka_unit_test(test_fault_sweeps),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	return sfx_each_backend(run_backend) ? 1 : 0;
}
