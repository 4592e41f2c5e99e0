/*
 * Home and facility isolation follow-up: isolations, daily check-ins,
 * the overdue and low-SpO2 lists, release.  People are read here (names for
 * officials and health workers only) but created by case reporting; the
 * one exception is store_test_person() at the end, for the test suites.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/role.h"
#include "store/cases-private.h"
#include "base/banned.h"

/* Who may open and release isolations; who may also check in and read. */
#define ISO_WRITE_ROLES (ROLE_MASK_OFFICIALS | ROLE_BIT(ROLE_HEALTH_WORKER))
#define ISO_READ_ROLES (ISO_WRITE_ROLES | ROLE_BIT(ROLE_TEAM_MEMBER))
/* Who sees names and ID numbers of the people followed. */
#define ISO_NAME_ROLES ISO_WRITE_ROLES

/* Path of a unit below the country that the actor reaches with `roles`;
 * THC_ENOTFOUND otherwise (unknown and out of scope look the same). */
static int iso_unit(struct store *st, const struct store_actor *actor, const char *code,
                    unsigned roles, char *path, size_t pathsz, struct error *err)
{
	int rc = store_scope_path(st, actor, code, roles, path, pathsz, err);

	if (rc == 0 && strcmp(path, "/") == 0)   /* the country itself is no place */
		return error_set(err, THC_ENOTFOUND,
		                 "không có đơn vị mã '%.40s' trong phạm vi của bạn",
		                 "no unit with code '%.40s' within your scope", code);
	return rc;
}

struct iso_row {
	int found;
	int64_t person_id;
	char unit_code[UNIT_CODE_MAX], started_on[11], released_on[11];
};

/* An isolation the actor reaches with `roles`, read inside the caller's
 * transaction; THC_ENOTFOUND when unknown or out of scope. */
static int iso_get(struct store *st, const struct store_actor *actor, int64_t id,
                   unsigned roles, struct iso_row *out, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	role_mask_names(roles, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT i.person_id, i.unit_code, i.started_on, i.released_on"
	                 " FROM isolations i WHERE i.id = $1 AND "
	                 SCOPE_SQL("i.unit_path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	rc = sql_step(s, err);
	if (rc == 1) {
		out->found = 1;
		out->person_id = sql_col_int64(s, 0);
		rc = sql_col_copy(s, 1, out->unit_code, sizeof(out->unit_code), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 2, out->started_on, sizeof(out->started_on), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 3, out->released_on, sizeof(out->released_on), err) < 0 ? THC_ESTORE : rc;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND,
		                 "không có đợt cách ly số %lld trong phạm vi của bạn",
		                 "no isolation %lld within your scope", (long long)id);
	return 0;
}

const char *const isolation_kinds[] = { "home", "facility", NULL };

static int iso_check_day(const char *field, const char *v, int required, struct error *err)
{
	struct vndate d;

	if (v == NULL && !required)
		return 0;
	if (v == NULL || vndate_parse(v, &d) < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                 "trường '%s': '%.20s' không phải ngày YYYY-MM-DD",
		                 "field '%s': '%.20s' is not a date YYYY-MM-DD", field, v ? v : "");
	return 0;
}

/* The case or contact named must be about the same person. */
static int iso_check_link(struct store *st, const char *field, const char *sql,
                          int64_t link, int64_t person, struct error *err)
{
	struct sql_stmt *s;
	int64_t who = 0;
	int rc;

	if (link == 0)
		return 0;
	if ((rc = sql_prepare(st, sql, &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, link);
	if ((rc = sql_exec_stmt(s, &who, err)) < 0)
		return rc;
	if (who != person)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                 "trường '%s': số %lld không có hoặc không phải của người số %lld",
		                 "field '%s': %lld is unknown or not about person %lld", field,
		                 (long long)link, (long long)person);
	return 0;
}

/* The person must be in scope and have no active isolation; a case or
 * contact named must be about them. */
static int iso_person_check(struct store *st, const struct store_actor *actor,
                            const struct isolation *in, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int64_t person_ok = 0, active = 0;
	int rc;

	role_mask_names(ISO_WRITE_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT COUNT(*) FROM people p WHERE p.id = $1 AND "
	                 SCOPE_SQL("p.unit_path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, in->person_id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_exec_stmt(s, &person_ok, err)) < 0)
		return rc;
	if (!person_ok)
		return error_set_at(err, THC_EUNPROCESSABLE, "person_id",
		                 "trường 'person_id': không có người số %lld trong phạm vi của bạn",
		                 "field 'person_id': no person %lld within your scope",
		                 (long long)in->person_id);
	if ((rc = iso_check_link(st, "case_id", "SELECT person_id FROM cases WHERE id = $1",
	                         in->case_id, in->person_id, err)) < 0 ||
	    (rc = iso_check_link(st, "contact_id", "SELECT person_id FROM contacts WHERE id = $1",
	                         in->contact_id, in->person_id, err)) < 0)
		return rc;
	rc = sql_prepare(st, "SELECT COUNT(*) FROM isolations WHERE person_id = $1"
	                 " AND released_on IS NULL", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, in->person_id);
	if ((rc = sql_exec_stmt(s, &active, err)) < 0)
		return rc;
	if (active)
		return error_set(err, THC_ECONFLICT,
		                 "người số %lld đang trong một đợt cách ly chưa kết thúc",
		                 "person %lld already has an isolation that is not released",
		                 (long long)in->person_id);
	return 0;
}

static int isolation_create_body(struct store *st, void *ctx, struct store_audit *au,
                                 struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct isolation *in = ctx;
	char path[128];
	struct sql_stmt *s;
	int rc;

	if ((rc = iso_unit(st, actor, in->unit_code, ISO_WRITE_ROLES, path, sizeof(path), err)) < 0)
		return rc;
	if ((rc = iso_person_check(st, actor, in, err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO isolations (person_id, case_id, contact_id, kind, unit_code,"
	                 " unit_path, province_code, started_on, planned_end, created_at, created_by)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, in->person_id);
	if (in->case_id)
		sql_bind_int64(s, 2, in->case_id);
	else
		sql_bind_null(s, 2);
	if (in->contact_id)
		sql_bind_int64(s, 3, in->contact_id);
	else
		sql_bind_null(s, 3);
	sql_bind_text(s, 4, in->kind);
	sql_bind_text(s, 5, in->unit_code);
	sql_bind_text(s, 6, path);
	{
		char prov[3] = { path[1], path[2], 0 };
		sql_bind_text(s, 7, prov);
		sql_bind_text(s, 8, in->started_on);
		sql_bind_text(s, 9, in->planned_end);
		sql_bind_int64(s, 10, actor->now_ms);
		sql_bind_text(s, 11, actor->username ? actor->username : "system");
		if ((rc = sql_exec_stmt(s, &in->id, err)) < 0)
			return rc;
	}
	au->action = "isolation.create";
	au->entity = "isolation";
	store_audit_id(au, in->id);
	au->unit_code = in->unit_code;
	if ((au->after = json_pack("{s:I,s:s,s:s,s:s,s:s?}", "person_id", (json_int_t)in->person_id,
	                           "kind", in->kind, "unit_code", in->unit_code,
	                           "started_on", in->started_on, "planned_end",
	                           in->planned_end)) == NULL)
		return store_oom(err);
	return 0;
}

int store_isolation_create(struct store *st, const struct store_actor *actor,
                           struct isolation *in, struct error *err)
{
	struct isolation made = *in;   /* the caller's gets its id once it is committed */
	int rc;

	if (in->kind == NULL || (strcmp(in->kind, "home") != 0 && strcmp(in->kind, "facility") != 0))
		return error_set_at(err, THC_EUNPROCESSABLE, "kind",
		                 "trường 'kind': '%.20s' phải là home hoặc facility",
		                 "field 'kind': '%.20s' must be home or facility",
		                 in->kind ? in->kind : "");
	if ((rc = iso_check_day("started_on", in->started_on, 1, err)) < 0 ||
	    (rc = iso_check_day("planned_end", in->planned_end, 0, err)) < 0)
		return rc;
	if (in->planned_end && strcmp(in->planned_end, in->started_on) < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "planned_end",
		                 "trường 'planned_end': không được trước started_on (%s)",
		                 "field 'planned_end': must not be before started_on (%s)",
		                 in->started_on);
	if ((rc = store_write(st, actor, isolation_create_body, &made, err)) < 0)
		return rc;
	in->id = made.id;
	in->created_at_ms = actor->now_ms;
	return 0;
}

struct iso_checkin {
	struct checkin *c;
	int64_t id;
};

/* Released: refused unless the person confirmed it (a check-in queued on a
 * phone while the isolation ended); the day goes back for the conflict. */
static int checkin_released(struct checkin *c, const struct iso_row *iso, struct error *err)
{
	char vn[11];
	struct vndate d;

	snprintf(c->released_on, sizeof(c->released_on), "%s", iso->released_on);
	if (!iso->released_on[0] || c->after_release)
		return 0;
	if (vndate_parse(iso->released_on, &d) == 0)
		vndate_format_vn(d, vn, sizeof(vn));
	else
		snprintf(vn, sizeof(vn), "%s", iso->released_on);
	return error_set_at(err, THC_ECONFLICT, "isolation",
	                    "đợt cách ly số %lld đã kết thúc ngày %s: chưa ghi; xác nhận nếu vẫn"
	                    " muốn ghi vào đợt đã kết thúc",
	                    "isolation %lld was released on %s: not recorded; confirm to record it"
	                    " on the released isolation anyway",
	                    (long long)c->isolation_id, vn);
}

static int isolation_checkin_body(struct store *st, void *ctx, struct store_audit *au,
                                  struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct iso_checkin *K = ctx;
	struct checkin *c = K->c;
	int64_t at = c->at_ms > 0 ? c->at_ms : actor->now_ms;
	struct iso_row iso;
	struct sql_stmt *s;
	char day[11];
	int rc;

	if ((rc = iso_get(st, actor, c->isolation_id, ISO_READ_ROLES, &iso, err)) < 0)
		return rc;
	if ((rc = checkin_released(c, &iso, err)) < 0)
		return rc;
	vndate_format_iso(vndate_from_days(vntime_day_of(at / 1000)), day, sizeof(day));
	if (strcmp(day, iso.started_on) < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "measured_at",
		                    "trường 'measured_at': đo trước ngày bắt đầu cách ly",
		                    "field 'measured_at': measured before the isolation started");
	rc = sql_prepare(st, "INSERT INTO checkins (isolation_id, at, day, spo2, temperature,"
	                 " symptoms, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	                 " RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, c->isolation_id);
	sql_bind_int64(s, 2, at);
	sql_bind_text(s, 3, day);
	if (c->spo2 >= 0)
		sql_bind_int64(s, 4, c->spo2);
	else
		sql_bind_null(s, 4);
	if (c->temperature >= 0)
		sql_bind_double(s, 5, c->temperature);
	else
		sql_bind_null(s, 5);
	sql_bind_text(s, 6, c->symptoms);
	sql_bind_text(s, 7, c->note);
	sql_bind_text(s, 8, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &K->id, err)) < 0)
		return rc;
	au->action = "isolation.checkin";
	au->entity = "isolation";
	store_audit_id(au, c->isolation_id);
	au->unit_code = arena_strdup(&au->arena, iso.unit_code);
	au->after = json_pack("{s:I,s:o,s:o,s:s?,s:I,s:b}", "checkin_id", (json_int_t)K->id,
	                      "spo2", c->spo2 >= 0 ? json_integer(c->spo2) : json_null(),
	                      "temperature", c->temperature >= 0 ? json_real(c->temperature)
	                                                         : json_null(),
	                      "symptoms", c->symptoms, "at_ms", (json_int_t)at,
	                      "after_release", iso.released_on[0] != 0);
	if (au->unit_code == NULL || au->after == NULL)
		return store_oom(err);
	c->at_ms = at;
	return 0;
}

int store_isolation_checkin(struct store *st, const struct store_actor *actor,
                            struct checkin *c, int64_t *id, struct error *err)
{
	struct iso_checkin K = { c, 0 };
	int rc;

	if (c->spo2 < 0 && c->temperature < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "spo2",
		                 "cần ít nhất một số đo: trường 'spo2' hoặc 'temperature'",
		                 "give at least one measure: field 'spo2' or 'temperature'");
	if (c->spo2 >= 0 && (c->spo2 < ISOLATION_SPO2_MIN || c->spo2 > ISOLATION_SPO2_MAX))
		return error_set_at(err, THC_EUNPROCESSABLE, "spo2", "trường 'spo2': SpO2 phải từ %d đến %d %%",
		                 "field 'spo2': SpO2 must be from %d to %d %%", ISOLATION_SPO2_MIN,
		                 ISOLATION_SPO2_MAX);
	if (c->temperature >= 0 &&
	    (c->temperature < ISOLATION_TEMP_MIN || c->temperature > ISOLATION_TEMP_MAX))
		return error_set_at(err, THC_EUNPROCESSABLE, "temperature",
		                 "trường 'temperature': nhiệt độ phải từ %.0f đến %.0f °C",
		                 "field 'temperature': the temperature must be from %.0f to %.0f °C",
		                 ISOLATION_TEMP_MIN, ISOLATION_TEMP_MAX);
	if ((rc = store_write(st, actor, isolation_checkin_body, &K, err)) < 0)
		return rc;
	if (id)
		*id = K.id;
	return 0;
}

struct iso_release {
	int64_t id;
	const char *released_on;
};

static int isolation_release_body(struct store *st, void *ctx, struct store_audit *au,
                                  struct error *err)
{
	const struct iso_release *R = ctx;
	struct iso_row iso;
	struct sql_stmt *s;
	int rc;

	if ((rc = iso_get(st, au->actor, R->id, ISO_WRITE_ROLES, &iso, err)) < 0)
		return rc;
	if (iso.released_on[0])
		return error_set(err, THC_ECONFLICT, "đợt cách ly số %lld đã kết thúc ngày %s",
		                 "isolation %lld was already released on %s", (long long)R->id,
		                 iso.released_on);
	if (strcmp(R->released_on, iso.started_on) < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "released_on",
		                 "trường 'released_on': %s trước ngày bắt đầu cách ly %s",
		                 "field 'released_on': %s is before the isolation started (%s)",
		                 R->released_on, iso.started_on);
	rc = sql_prepare(st, "UPDATE isolations SET released_on = $2 WHERE id = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, R->id);
	sql_bind_text(s, 2, R->released_on);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = "isolation.release";
	au->entity = "isolation";
	store_audit_id(au, R->id);
	au->unit_code = arena_strdup(&au->arena, iso.unit_code);
	au->before = json_pack("{s:n}", "released_on");
	au->after = json_pack("{s:s}", "released_on", R->released_on);
	if (au->unit_code == NULL || au->before == NULL || au->after == NULL)
		return store_oom(err);
	return 0;
}

int store_isolation_release(struct store *st, const struct store_actor *actor,
                            int64_t id, const char *released_on, struct error *err)
{
	struct iso_release R = { id, released_on };
	int rc;

	if ((rc = iso_check_day("released_on", released_on, 1, err)) < 0)
		return rc;
	return store_write(st, actor, isolation_release_body, &R, err);
}

/* The latest check-in of isolation i carrying `col` (SQL fragment). */
#define LATEST(col) \
	"(SELECT c." col " FROM checkins c WHERE c.isolation_id = i.id AND c." col \
	" IS NOT NULL ORDER BY c.at DESC, c.id DESC LIMIT 1)"

/* Overdue: started (00:00 of started_on, Viet Nam time) before the cutoff
 * (ms), whenever it was recorded, and no check-in since the cutoff; low
 * SpO2: the latest reading below the threshold.  For an active isolation. */
#define ISO_OVERDUE(cutoff, last_start) \
	"i.started_on <= CAST(" last_start " AS TEXT) AND NOT EXISTS (SELECT 1 FROM checkins c" \
	" WHERE c.isolation_id = i.id AND c.at >= " cutoff ")"
#define ISO_LOW(below) LATEST("spo2") " < " below

/*
 * $1 root unit, $2 uid, $3 reader roles, $4 name roles, $5 limit,
 * $6 cutoff (ms: overdue), $7 SpO2 threshold, $8 the last start day
 * (YYYY-MM-DD) whose 00:00 in Viet Nam lies before the cutoff; the keyset
 * cursor: $9 whether there is one, $10 its key, $11 its id.  Every state,
 * order and direction has its own constant statement so each is prepared
 * (and cached) once.
 */
/* Names only for a reader in scope of the isolation and of the person's own
 * record (an isolation may be kept in another commune than the person's).
 * The place (u: the isolation's unit, with a household's name and address)
 * goes to every reader: all of ISO_READ_ROLES may read households in their
 * scope (ROLE_MASK_HOUSEHOLD_READ), so the community team learns whom to
 * visit without the person's own record. */
#define ISO_NAME_SCOPE "(" SCOPE_SQL("i.unit_path", "$2", "$4") " AND " \
	SCOPE_SQL("p.unit_path", "$2", "$4") ")"
#define ISO_IS_LOW "i.released_on IS NULL AND " ISO_LOW("$7")
#define ISO_IS_OVERDUE "i.released_on IS NULL AND " ISO_OVERDUE("$6", "$8")
/* The follow-up's order: low SpO2 first, then overdue, then the others,
 * each by the day started (ISOLATION_SORT_URGENT's key, "0", "1" or "2"
 * then that day). */
#define ISO_URGENT_KEY \
	"(CASE WHEN " ISO_IS_LOW " THEN '0' WHEN " ISO_IS_OVERDUE " THEN '1' ELSE '2' END" \
	" || i.started_on)"
#define ISO_LIST_SQL(cond, K, OP, DIR) \
	"SELECT i.id, i.person_id, i.case_id, i.contact_id, i.kind, i.unit_code, i.started_on," \
	" i.planned_end, i.released_on, i.created_at, i.created_by," \
	" CASE WHEN " ISO_NAME_SCOPE " THEN p.full_name END," \
	" CASE WHEN " ISO_NAME_SCOPE " THEN p.id_number END," \
	" (SELECT COUNT(*) FROM checkins c WHERE c.isolation_id = i.id)," \
	" (SELECT MAX(c.at) FROM checkins c WHERE c.isolation_id = i.id)," \
	" " LATEST("spo2") ", " LATEST("temperature") ", " LATEST("symptoms") "," \
	" u.name, u.level, u.address," \
	" CASE WHEN " ISO_IS_LOW " THEN 1 ELSE 0 END, CASE WHEN " ISO_IS_OVERDUE " THEN 1 ELSE 0 END" \
	" FROM isolations i JOIN people p ON p.id = i.person_id" \
	" JOIN units u ON u.code = i.unit_code" \
	" JOIN units top ON top.code = $1" \
	" WHERE substr(i.unit_path, 1, length(top.path)) = top.path" \
	" AND " SCOPE_SQL("i.unit_path", "$2", "$3") \
	" AND CAST($6 AS BIGINT) IS NOT NULL AND CAST($7 AS BIGINT) IS NOT NULL" \
	" AND CAST($8 AS TEXT) IS NOT NULL AND " cond \
	" AND " KEYSET_SQL(K, "TEXT", OP, "i.id", "$9", "$10", "$11") \
	" ORDER BY " K " " DIR ", i.id " DIR " LIMIT $5"
#define ISO_LIST_DIRS(cond, K) { ISO_LIST_SQL(cond, K, ">", "ASC"), ISO_LIST_SQL(cond, K, "<", "DESC") }
#define ISO_LIST_SORTS(cond) { [ISOLATION_SORT_STARTED] = ISO_LIST_DIRS(cond, "i.started_on"), \
                               [ISOLATION_SORT_URGENT] = ISO_LIST_DIRS(cond, ISO_URGENT_KEY) }

static const char *const iso_list_sql[][ISOLATION_SORT_COUNT][2] = {
	[ISOLATION_ACTIVE] = ISO_LIST_SORTS("i.released_on IS NULL"),
	[ISOLATION_OVERDUE] = ISO_LIST_SORTS(ISO_IS_OVERDUE),
	[ISOLATION_LOW_SPO2] = ISO_LIST_SORTS(ISO_IS_LOW),
	[ISOLATION_RELEASED] = ISO_LIST_SORTS("i.released_on IS NOT NULL"),
};

struct iso_list {
	const struct isolation_query *q;
	struct arena *a;
	int64_t cutoff;
	const char *last_start;
	struct isolation *out;
	size_t n;
};

static void iso_from_row(struct sql_stmt *s, struct arena *a, struct isolation *x)
{
	x->id = sql_col_int64(s, 0);
	x->person_id = sql_col_int64(s, 1);
	x->case_id = sql_col_is_null(s, 2) ? 0 : sql_col_int64(s, 2);
	x->contact_id = sql_col_is_null(s, 3) ? 0 : sql_col_int64(s, 3);
	x->kind = arena_strdup(a, sql_col_text(s, 4));
	x->unit_code = arena_strdup(a, sql_col_text(s, 5));
	x->started_on = arena_strdup(a, sql_col_text(s, 6));
	x->planned_end = arena_strdup(a, sql_col_text(s, 7));
	x->released_on = arena_strdup(a, sql_col_text(s, 8));
	x->created_at_ms = sql_col_int64(s, 9);
	x->created_by = arena_strdup(a, sql_col_text(s, 10));
	x->full_name = arena_strdup(a, sql_col_text(s, 11));
	x->id_number = arena_strdup(a, sql_col_text(s, 12));
	x->checkins = sql_col_int64(s, 13);
	x->last_checkin_ms = sql_col_is_null(s, 14) ? 0 : sql_col_int64(s, 14);
	x->last_spo2 = sql_col_is_null(s, 15) ? -1 : (int)sql_col_int64(s, 15);
	x->last_temperature = sql_col_is_null(s, 16) ? -1 : sql_col_double(s, 16);
	x->last_symptoms = arena_strdup(a, sql_col_text(s, 17));
	x->place_name = arena_strdup(a, sql_col_text(s, 18));
	x->place_level = arena_strdup(a, sql_col_text(s, 19));
	x->place_address = arena_strdup(a, sql_col_text(s, 20));
	x->low_spo2 = (int)sql_col_int64(s, 21);
	x->overdue = (int)sql_col_int64(s, 22);
}

/* A "person.read" row naming the people whose names were read (the rows
 * of the page, not the one fetched to tell there is a next); none when
 * the list showed no name. */
static int isolations_list_body(struct store *st, void *ctx, struct store_audit *au,
                                struct error *err)
{
	struct iso_list *L = ctx;
	const struct isolation_query *q = L->q;
	char rn[256], names[256];
	struct sql_stmt *s;
	json_t *read_ids;
	int rc;

	role_mask_names(ISO_READ_ROLES, rn, sizeof(rn));
	role_mask_names(ISO_NAME_ROLES, names, sizeof(names));
	if ((rc = sql_prepare(st, iso_list_sql[q->state][q->sort][q->desc != 0], &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, q->unit);
	sql_bind_int64(s, 2, store_actor_uid(au->actor));
	sql_bind_text(s, 3, rn);
	sql_bind_text(s, 4, names);
	sql_bind_int64(s, 5, q->limit + 1);
	sql_bind_int64(s, 6, L->cutoff);
	sql_bind_int64(s, 7, q->spo2_below);
	sql_bind_text(s, 8, L->last_start);
	sql_bind_int64(s, 9, q->after > 0);
	sql_bind_text(s, 10, q->after_key ? q->after_key : "");
	sql_bind_int64(s, 11, q->after);
	if ((read_ids = json_array()) == NULL) {
		sql_done(s);
		return store_oom(err);
	}
	while ((rc = sql_step(s, err)) == 1) {
		struct isolation *x = &L->out[L->n++];

		iso_from_row(s, L->a, x);
		if (x->full_name && L->n <= (size_t)q->limit &&
		    json_array_append_new(read_ids, json_integer(x->person_id)) < 0)
			rc = store_oom(err);
		if (rc < 0)
			break;
	}
	sql_done(s);
	if (rc < 0)
		goto out;
	if (json_array_size(read_ids) == 0) {
		au->unchanged = 1;        /* no name was read */
		goto out;
	}
	au->action = "person.read";
	au->entity = "unit";
	store_audit_id_text(au, q->unit);
	au->unit_code = q->unit;
	if ((au->after = json_pack("{s:s,s:O}", "list", "isolations", "person_ids", read_ids)) == NULL)
		rc = store_oom(err);
out:
	json_decref(read_ids);
	return rc;
}

/* The overdue cutoff `hours` before now (ms), and the last day (VN) an
 * isolation may start on to have started before it: its 00:00 (Viet Nam)
 * is before the cutoff exactly when it is at most the day of cutoff - 1 ms. */
static void iso_cutoff(const struct store_actor *actor, int hours, int64_t *cutoff,
                       char last_start[16])
{
	int64_t last_s;

	*cutoff = actor->now_ms - (int64_t)hours * 3600 * 1000;
	last_s = *cutoff - 1 >= 0 ? (*cutoff - 1) / 1000 : -((-(*cutoff - 1) + 999) / 1000);
	vndate_format_iso(vndate_from_days(vntime_day_of(last_s)), last_start, 16);
}

int store_isolations_page(struct store *st, const struct store_actor *actor,
                          const struct isolation_query *q, struct arena *a,
                          struct isolation **out, size_t *n, int64_t *next, struct error *err)
{
	struct iso_list L = { .q = q, .a = a };
	struct unit root;
	char last_start[16];
	int rc;

	*n = 0;
	*next = 0;
	iso_cutoff(actor, q->hours, &L.cutoff, last_start);
	L.last_start = last_start;
	if ((unsigned)q->state >= ARRAY_SIZE(iso_list_sql) || q->limit < 1 ||
	    q->limit > ISOLATION_LIST_MAX || (unsigned)q->sort >= ISOLATION_SORT_COUNT)
		return error_set(err, THC_EINVAL, "truy vấn danh sách cách ly không hợp lệ",
		                 "invalid isolation list query");
	*out = L.out = arena_alloc(a, (size_t)(q->limit + 1) * sizeof(**out));
	if (*out == NULL)
		return store_oom(err);
	/* The root: a public level or a unit in scope; the rows are scoped below. */
	if ((rc = store_unit_get(st, actor, q->unit, a, &root, err)) < 0)
		return rc;
	/* A write: reading names records a "person.read" entry. */
	if ((rc = store_write(st, actor, isolations_list_body, &L, err)) < 0)
		return rc;
	if (L.n > (size_t)q->limit) {
		L.n = (size_t)q->limit;
		*next = L.out[L.n - 1].id;
	}
	*n = L.n;
	return 0;
}

int store_isolations_list(struct store *st, const struct store_actor *actor,
                          const struct isolation_query *q, struct arena *a,
                          struct isolation **out, size_t *n, struct error *err)
{
	int64_t next;

	return store_isolations_page(st, actor, q, a, out, n, &next, err);
}

/* $1 root unit, $2 uid, $3 roles, $4 cutoff (ms), $5 SpO2 threshold, $6
 * last start day (as the lists). */
#define ISO_COUNTS_SQL \
	"SELECT COUNT(*), COALESCE(SUM(CASE WHEN " ISO_OVERDUE("$4", "$6") " THEN 1 ELSE 0 END), 0)," \
	" COALESCE(SUM(CASE WHEN " ISO_LOW("$5") " THEN 1 ELSE 0 END), 0)" \
	" FROM isolations i JOIN units top ON top.code = $1 WHERE i.released_on IS NULL" \
	" AND substr(i.unit_path, 1, length(top.path)) = top.path" \
	" AND " SCOPE_SQL("i.unit_path", "$2", "$3")

int store_isolations_counts(struct store *st, const struct store_actor *actor,
                            const struct isolation_query *q, struct isolation_rollup *out,
                            struct error *err)
{
	char rn[256], last_start[16];
	struct sql_stmt *s;
	int64_t cutoff;
	int rc;

	memset(out, 0, sizeof(*out));
	iso_cutoff(actor, q->hours, &cutoff, last_start);
	role_mask_names(ISO_READ_ROLES, rn, sizeof(rn));
	if ((rc = sql_prepare(st, ISO_COUNTS_SQL, &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, q->unit);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	sql_bind_int64(s, 4, cutoff);
	sql_bind_int64(s, 5, q->spo2_below);
	sql_bind_text(s, 6, last_start);
	if ((rc = sql_step(s, err)) == 1) {
		out->active = sql_col_int64(s, 0);
		out->overdue = sql_col_int64(s, 1);
		out->low_spo2 = sql_col_int64(s, 2);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/* ---- counts per unit below (officials) ---- */

/* $1 the root's path, $2 length of a child's path, $3 uid, $4 roles, $5
 * cutoff (ms), $6 SpO2 threshold, $7 last start day (as the lists). */
#define ISO_ROLLUP_SQL \
	"SELECT substr(i.unit_path, 1, CAST($2 AS INTEGER)), COUNT(*)," \
	" SUM(CASE WHEN " ISO_OVERDUE("$5", "$7") " THEN 1 ELSE 0 END)," \
	" SUM(CASE WHEN " ISO_LOW("$6") " THEN 1 ELSE 0 END)" \
	" FROM isolations i WHERE i.released_on IS NULL" \
	" AND substr(i.unit_path, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT)" \
	" AND " SCOPE_SQL("i.unit_path", "$3", "$4") \
	" GROUP BY substr(i.unit_path, 1, CAST($2 AS INTEGER))"

int store_isolations_rollup(struct store *st, const struct store_actor *actor,
                            const struct isolation_query *q, struct arena *a,
                            struct isolation_rollup **out, size_t *n, struct error *err)
{
	char path[CASE_PATH_MAX], roles[ROLE_NAMES_MAX], last_start[16];
	const char **paths;
	int64_t cutoff;
	struct sql_stmt *s;
	size_t cap = 64;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = iso_unit(st, actor, q->unit, ROLE_MASK_OFFICIALS, path, sizeof(path), err)) < 0)
		return rc;
	iso_cutoff(actor, q->hours, &cutoff, last_start);
	if ((rc = sql_prepare(st, "SELECT code, name, path FROM units WHERE parent_code = $1"
	                      " AND level IN ('district', 'commune') ORDER BY code", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, q->unit);
	*out = arena_alloc(a, cap * sizeof(**out));
	paths = arena_alloc(a, cap * sizeof(*paths));
	while (*out && paths && (rc = sql_step(s, err)) == 1) {
		if (*n == cap) {
			struct isolation_rollup *g = arena_alloc(a, 2 * cap * sizeof(*g));
			const char **gp = arena_alloc(a, 2 * cap * sizeof(*gp));

			if (g == NULL || gp == NULL)
				break;
			memcpy(g, *out, cap * sizeof(*g));
			memcpy(gp, paths, cap * sizeof(*gp));
			*out = g;
			paths = gp;
			cap *= 2;
		}
		(*out)[*n].code = arena_strdup(a, sql_col_text(s, 0));
		(*out)[*n].name = arena_strdup(a, sql_col_text(s, 1));
		paths[(*n)++] = arena_strdup(a, sql_col_text(s, 2));
	}
	sql_done(s);
	if (rc == 1 || *out == NULL || paths == NULL)
		return store_oom(err);
	if (rc < 0 || *n == 0)
		return rc < 0 ? rc : 0;
	role_mask_names(ROLE_MASK_OFFICIALS, roles, sizeof(roles));
	if ((rc = sql_prepare(st, ISO_ROLLUP_SQL, &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, path);
	sql_bind_int64(s, 2, paths[0] ? (int64_t)strlen(paths[0]) : 0);
	sql_bind_int64(s, 3, store_actor_uid(actor));
	sql_bind_text(s, 4, roles);
	sql_bind_int64(s, 5, cutoff);
	sql_bind_int64(s, 6, q->spo2_below);
	sql_bind_text(s, 7, last_start);
	while ((rc = sql_step(s, err)) == 1) {
		const char *cp = sql_col_text(s, 0);
		size_t k;

		for (k = 0; cp && k < *n && (paths[k] == NULL || strcmp(paths[k], cp) != 0); k++)
			;
		if (cp == NULL || k == *n)
			continue;     /* an isolation kept at the root itself */
		(*out)[k].active = sql_col_int64(s, 1);
		(*out)[k].overdue = sql_col_int64(s, 2);
		(*out)[k].low_spo2 = sql_col_int64(s, 3);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

struct iso_checkins {
	int64_t id;
	struct arena *a;
	struct checkin *out;
	size_t n;
};

static int isolation_checkins_body(struct store *st, void *ctx, struct store_audit *au,
                                   struct error *err)
{
	struct iso_checkins *C = ctx;
	struct iso_row iso;
	struct sql_stmt *s;
	int rc;

	if ((rc = iso_get(st, au->actor, C->id, ISO_READ_ROLES, &iso, err)) < 0)
		return rc;
	rc = sql_prepare(st, "SELECT id, at, day, spo2, temperature, symptoms, note, created_by"
	                 " FROM checkins WHERE isolation_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, C->id);
	sql_bind_int64(s, 2, ISOLATION_LIST_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct checkin *c = &C->out[C->n++];

		c->id = sql_col_int64(s, 0);
		c->isolation_id = C->id;
		c->at_ms = sql_col_int64(s, 1);
		c->day = arena_strdup(C->a, sql_col_text(s, 2));
		c->spo2 = sql_col_is_null(s, 3) ? -1 : (int)sql_col_int64(s, 3);
		c->temperature = sql_col_is_null(s, 4) ? -1 : sql_col_double(s, 4);
		c->symptoms = arena_strdup(C->a, sql_col_text(s, 5));
		c->note = arena_strdup(C->a, sql_col_text(s, 6));
		c->created_by = arena_strdup(C->a, sql_col_text(s, 7));
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	au->action = "person.read";
	au->entity = "isolation";
	store_audit_id(au, C->id);
	au->unit_code = arena_strdup(&au->arena, iso.unit_code);
	au->after = json_pack("{s:s,s:I}", "list", "checkins", "person_id",
	                      (json_int_t)iso.person_id);
	if (au->unit_code == NULL || au->after == NULL)
		return store_oom(err);
	return 0;
}

int store_isolation_checkins(struct store *st, const struct store_actor *actor,
                             int64_t id, struct arena *a, struct checkin **out,
                             size_t *n, struct error *err)
{
	struct iso_checkins C = { .id = id, .a = a };
	int rc;

	*n = 0;
	if ((*out = C.out = arena_alloc(a, ISOLATION_LIST_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	/* A write: reading someone's health data is audited. */
	if ((rc = store_write(st, actor, isolation_checkins_body, &C, err)) < 0)
		return rc;
	*n = C.n;
	return 0;
}
