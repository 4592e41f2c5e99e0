/*
 * Zones (blockades): creation on a household, hamlet or commune, the
 * active zones of a subtree, public counts, and the end rule (domain/zone.h)
 * checked against the last case in the zone unit's subtree.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/role.h"
#include "domain/zone.h"
#include "store/store-private.h"
#include "base/banned.h"

/* Blockades are decided by officials; health workers and the community
 * teams in scope see them. */
#define ZONE_WRITE_ROLES ROLE_MASK_OFFICIALS
#define ZONE_READ_ROLES (ROLE_MASK_OFFICIALS | ROLE_BIT(ROLE_HEALTH_WORKER) | \
                         ROLE_BIT(ROLE_TEAM_MEMBER))

static int zone_day(const char *field, const char *v, int required, int32_t *out,
                    struct error *err)
{
	struct vndate d;

	*out = -1;
	if (v == NULL && !required)
		return 0;
	if (v == NULL || vndate_parse(v, &d) < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                 "trường '%s': '%.20s' không phải ngày YYYY-MM-DD",
		                 "field '%s': '%.20s' is not a date YYYY-MM-DD", field, v ? v : "");
	*out = vndate_to_days(d);
	return 0;
}

static int zone_create_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct zone *z = ctx;
	char rn[256], path[128], level[16];
	struct sql_stmt *s;
	int rc;

	role_mask_names(ZONE_WRITE_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT u.path, u.level FROM units u WHERE u.code = $1 AND "
	                 SCOPE_SQL("u.path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, z->unit_code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	rc = sql_step(s, err);
	if (rc == 1) {
		rc = sql_col_copy(s, 0, path, sizeof(path), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 1, level, sizeof(level), err) < 0 ? THC_ESTORE : rc;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có đơn vị mã '%.40s' trong phạm vi của bạn",
		                 "no unit with code '%.40s' within your scope",
		                 z->unit_code ? z->unit_code : "");
	if ((rc = zone_check_unit_level((enum unit_level)unit_level_from_name(level), err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO zones (unit_code, unit_path, province_code, area_name,"
	                 " reason, started_on, planned_end, created_at, created_by)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	{
		char prov[3] = { path[1], path[2], 0 };

		sql_bind_text(s, 1, z->unit_code);
		sql_bind_text(s, 2, path);
		sql_bind_text(s, 3, prov);
		sql_bind_text(s, 4, z->area_name);
		sql_bind_text(s, 5, z->reason);
		sql_bind_text(s, 6, z->started_on);
		sql_bind_text(s, 7, z->planned_end);
		sql_bind_int64(s, 8, actor->now_ms);
		sql_bind_text(s, 9, actor->username ? actor->username : "system");
	}
	if ((rc = sql_exec_stmt(s, &z->id, err)) < 0)
		return rc;
	au->action = "zone.create";
	au->entity = "zone";
	store_audit_id(au, z->id);
	au->unit_code = z->unit_code;
	if ((au->after = json_pack("{s:s,s:s?,s:s,s:s,s:s?}", "unit_code", z->unit_code,
	                           "area_name", z->area_name, "reason", z->reason,
	                           "started_on", z->started_on, "planned_end", z->planned_end)) == NULL)
		return store_oom(err);
	return 0;
}

int store_zone_create(struct store *st, const struct store_actor *actor,
                      struct zone *z, struct error *err)
{
	struct zone in = *z;   /* the caller's gets its id once it is committed */
	int32_t started, planned;
	int rc;

	if (z->reason == NULL || z->reason[0] == '\0' || strlen(z->reason) > ZONE_REASON_MAX)
		return error_set_at(err, THC_EUNPROCESSABLE, "reason",
		                 "trường 'reason': cần lý do phong tỏa (tối đa %d byte)",
		                 "field 'reason': the reason is required (at most %d bytes)",
		                 ZONE_REASON_MAX);
	if (z->area_name && (z->area_name[0] == '\0' || strlen(z->area_name) > ZONE_AREA_NAME_MAX))
		return error_set_at(err, THC_EUNPROCESSABLE, "area_name",
		                 "trường 'area_name': 1..%d byte", "field 'area_name': 1..%d bytes",
		                 ZONE_AREA_NAME_MAX);
	if ((rc = zone_day("started_on", z->started_on, 1, &started, err)) < 0 ||
	    (rc = zone_day("planned_end", z->planned_end, 0, &planned, err)) < 0 ||
	    (rc = zone_check_dates(started, planned, err)) < 0)
		return rc;
	if ((rc = store_write(st, actor, zone_create_body, &in, err)) < 0)
		return rc;
	z->id = in.id;
	z->created_at_ms = actor->now_ms;
	return 0;
}

/* Active on day $2: started, and not ended by then. */
#define ZONE_ACTIVE "z.started_on <= $2 AND (z.ended_on IS NULL OR z.ended_on > $2)"

/*
 * The lists, one statement per order: $1 root, $2 day, $3 uid, $4 roles,
 * $5 limit, $6 status (active on the day, ended by it, all), then the
 * keyset cursor (K, id): $7 whether there is one, $8 its key, $9 its id.
 */
#define ZONE_LIST_SQL(K, OP, DIR) \
	"SELECT z.id, z.unit_code, u.name, u.level, z.area_name, z.reason," \
	" z.started_on, z.planned_end, z.ended_on, z.end_override_reason," \
	" z.created_at, z.created_by, z.unit_path" \
	" FROM zones z JOIN units u ON u.code = z.unit_code" \
	" JOIN units top ON top.code = $1" \
	" WHERE substr(z.unit_path, 1, length(top.path)) = top.path" \
	" AND (CAST($6 AS TEXT) = 'all' OR ($6 = 'active' AND " ZONE_ACTIVE ")" \
	"  OR ($6 = 'ended' AND z.ended_on IS NOT NULL AND z.ended_on <= $2))" \
	" AND " SCOPE_SQL("z.unit_path", "$3", "$4") \
	" AND " KEYSET_SQL(K, "TEXT", OP, "z.id", "$7", "$8", "$9") \
	" ORDER BY " K " " DIR ", z.id " DIR " LIMIT $5"
#define ZONE_LIST_BOTH(K) { ZONE_LIST_SQL(K, ">", "ASC"), ZONE_LIST_SQL(K, "<", "DESC") }

static const char *const zone_list_sql[ZONE_SORT_COUNT][2] = {
	[ZONE_SORT_UNIT] = ZONE_LIST_BOTH("z.unit_path"),
	[ZONE_SORT_STARTED] = ZONE_LIST_BOTH("z.started_on"),
	/* No planned end: after every day. */
	[ZONE_SORT_PLANNED_END] = ZONE_LIST_BOTH("COALESCE(z.planned_end, '" ZONE_NO_END "')"),
};

static const char *const zone_statuses[ZONE_STATUS_COUNT] = {
	[ZONE_STATUS_ACTIVE] = "active", [ZONE_STATUS_ENDED] = "ended", [ZONE_STATUS_ALL] = "all",
};

static void zone_from_row(struct sql_stmt *s, struct arena *a, struct zone *z)
{
	z->id = sql_col_int64(s, 0);
	z->unit_code = arena_strdup(a, sql_col_text(s, 1));
	z->unit_name = arena_strdup(a, sql_col_text(s, 2));
	z->unit_level = arena_strdup(a, sql_col_text(s, 3));
	z->area_name = arena_strdup(a, sql_col_text(s, 4));
	z->reason = arena_strdup(a, sql_col_text(s, 5));
	z->started_on = arena_strdup(a, sql_col_text(s, 6));
	z->planned_end = arena_strdup(a, sql_col_text(s, 7));
	z->ended_on = arena_strdup(a, sql_col_text(s, 8));
	z->end_override_reason = arena_strdup(a, sql_col_text(s, 9));
	z->created_at_ms = sql_col_int64(s, 10);
	z->created_by = arena_strdup(a, sql_col_text(s, 11));
	z->unit_path = arena_strdup(a, sql_col_text(s, 12));
}

int store_zones_page(struct store *st, const struct store_actor *actor,
                     const struct zone_query *q, struct arena *a,
                     struct zone **out, size_t *n, int64_t *next, struct error *err)
{
	struct sql_stmt *s;
	struct unit root;
	char rn[256];
	size_t k = 0;
	int rc;

	*n = 0;
	*next = 0;
	if ((unsigned)q->sort >= ZONE_SORT_COUNT || (unsigned)q->status >= ZONE_STATUS_COUNT ||
	    q->limit < 1 || q->limit > ZONE_LIST_MAX)
		return error_set(err, THC_EINVAL, "truy vấn danh sách vùng phong tỏa không hợp lệ",
		                 "invalid zone list query");
	if ((rc = store_unit_get(st, actor, q->unit, a, &root, err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, (size_t)(q->limit + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	role_mask_names(ZONE_READ_ROLES, rn, sizeof(rn));
	if ((rc = sql_prepare(st, zone_list_sql[q->sort][q->desc != 0], &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, q->unit);
	sql_bind_text(s, 2, q->day);
	sql_bind_int64(s, 3, store_actor_uid(actor));
	sql_bind_text(s, 4, rn);
	sql_bind_int64(s, 5, q->limit + 1);
	sql_bind_text(s, 6, zone_statuses[q->status]);
	sql_bind_int64(s, 7, q->after > 0);
	sql_bind_text(s, 8, q->after_key ? q->after_key : "");
	sql_bind_int64(s, 9, q->after);
	while ((rc = sql_step(s, err)) == 1)
		zone_from_row(s, a, &(*out)[k++]);
	sql_done(s);
	if (rc < 0)
		return rc;
	if ((int64_t)k > q->limit) {
		k = (size_t)q->limit;
		*next = (*out)[k - 1].id;
	}
	*n = k;
	return 0;
}

int store_zones_list(struct store *st, const struct store_actor *actor,
                     const char *unit, const char *day, struct arena *a,
                     struct zone **out, size_t *n, struct error *err)
{
	struct zone_query q = { .unit = unit, .day = day, .limit = ZONE_LIST_MAX };
	int64_t next;

	return store_zones_page(st, actor, &q, a, out, n, &next, err);
}

int store_zones_count(struct store *st, const char *unit, const char *day,
                      struct arena *a, int64_t *total, struct zone_count **children,
                      size_t *n, struct error *err)
{
	struct sql_stmt *s;
	struct unit root;
	size_t k = 0, cap = 1000;
	int rc;

	*n = 0;
	*total = 0;
	/* Anonymous: only the public levels can be named. */
	if ((rc = store_unit_get(st, NULL, unit, a, &root, err)) < 0)
		return rc;
	rc = sql_prepare(st, "SELECT COUNT(*) FROM zones z JOIN units top ON top.code = $1"
	                 " WHERE substr(z.unit_path, 1, length(top.path)) = top.path AND "
	                 ZONE_ACTIVE, &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	sql_bind_text(s, 2, day);
	if ((rc = sql_exec_stmt(s, total, err)) < 0)
		return rc;
	if ((*children = arena_alloc(a, cap * sizeof(**children))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT c.code, c.name, c.level, (SELECT COUNT(*) FROM zones z"
	                 " WHERE substr(z.unit_path, 1, length(c.path)) = c.path AND " ZONE_ACTIVE ")"
	                 " FROM units c WHERE c.parent_code = $1"
	                 " AND c.level IN ('province','district','commune')"
	                 " ORDER BY c.code LIMIT $3", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	sql_bind_text(s, 2, day);
	sql_bind_int64(s, 3, (int64_t)cap);
	while ((rc = sql_step(s, err)) == 1) {
		struct zone_count *c = &(*children)[k++];

		c->code = arena_strdup(a, sql_col_text(s, 0));
		c->name = arena_strdup(a, sql_col_text(s, 1));
		c->level = arena_strdup(a, sql_col_text(s, 2));
		c->active = sql_col_int64(s, 3);
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

struct zone_ending {
	int64_t id;
	const char *ended_on, *override_reason;
	int32_t ended_day;
	const struct zone_rule *rule;
	int overridden;
};

/* The zone's unit, path and start, in the actor's scope and not ended. */
static int zone_end_load(struct store *st, const struct store_actor *actor, int64_t id,
                         char unit_code[UNIT_CODE_MAX], char path[128], char started_on[11],
                         struct error *err)
{
	char rn[256], ended[11] = "";
	struct sql_stmt *s;
	int rc;

	role_mask_names(ZONE_WRITE_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT z.unit_code, z.unit_path, z.started_on, z.ended_on FROM zones z"
	                 " WHERE z.id = $1 AND " SCOPE_SQL("z.unit_path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	rc = sql_step(s, err);
	if (rc == 1) {
		rc = sql_col_copy(s, 0, unit_code, UNIT_CODE_MAX, err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 1, path, 128, err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 2, started_on, 11, err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 3, ended, sizeof(ended), err) < 0 ? THC_ESTORE : rc;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có vùng phong tỏa số %lld trong phạm vi của bạn",
		                 "no zone %lld within your scope", (long long)id);
	if (ended[0])
		return error_set(err, THC_ECONFLICT, "vùng phong tỏa số %lld đã kết thúc ngày %s",
		                 "zone %lld already ended on %s", (long long)id, ended);
	return 0;
}

static int zone_end_body(struct store *st, void *ctx, struct store_audit *au,
                         struct error *err)
{
	struct zone_ending *E = ctx;
	const char *override_reason = E->override_reason;
	char unit_code[UNIT_CODE_MAX] = "", path[128] = "", started_on[11] = "";
	char last_case[11] = "";
	struct sql_stmt *s;
	int32_t started_day, last_day = -1;
	struct vndate d;
	int rc, over;

	if ((rc = zone_end_load(st, au->actor, E->id, unit_code, path, started_on, err)) < 0)
		return rc;
	/* The last case anywhere in the zone unit's subtree (area zones too:
	 * cases are located by unit, not by area). */
	rc = sql_prepare(st, "SELECT MAX(detected_on) FROM cases"
	                 " WHERE substr(unit_path, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT)",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, path);
	rc = sql_step(s, err);
	if (rc == 1 && !sql_col_is_null(s, 0))
		rc = sql_col_copy(s, 0, last_case, sizeof(last_case), err) < 0 ? THC_ESTORE : rc;
	sql_done(s);
	if (rc < 0)
		return rc;
	if (last_case[0] && vndate_parse(last_case, &d) == 0)
		last_day = vndate_to_days(d);
	vndate_parse(started_on, &d);
	started_day = vndate_to_days(d);
	if ((rc = zone_check_end(E->rule, started_day, E->ended_day, last_day, override_reason,
	                         err)) < 0)
		return rc;
	over = rc;
	rc = sql_prepare(st, "UPDATE zones SET ended_on = $2, end_override_reason = $3 WHERE id = $1",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, E->id);
	sql_bind_text(s, 2, E->ended_on);
	sql_bind_text(s, 3, override_reason && override_reason[0] ? override_reason : NULL);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	E->overridden = over;
	au->action = over ? "zone.end_override" : "zone.end";
	au->entity = "zone";
	store_audit_id(au, E->id);
	au->unit_code = arena_strdup(&au->arena, unit_code);
	au->before = json_pack("{s:n}", "ended_on");
	au->after = json_pack("{s:s,s:s?,s:s?}", "ended_on", E->ended_on, "last_case",
	                      last_case[0] ? last_case : NULL, "override_reason",
	                      override_reason && override_reason[0] ? override_reason : NULL);
	if (au->unit_code == NULL || au->before == NULL || au->after == NULL)
		return store_oom(err);
	return 0;
}

int store_zone_end(struct store *st, const struct store_actor *actor, int64_t id,
                   const char *ended_on, const char *override_reason,
                   const struct zone_rule *rule, int *overridden, struct error *err)
{
	struct zone_ending E = { .id = id, .ended_on = ended_on,
	                         .override_reason = override_reason, .rule = rule };
	int rc;

	*overridden = 0;
	if ((rc = zone_day("ended_on", ended_on, 1, &E.ended_day, err)) < 0)
		return rc;
	if (override_reason && strlen(override_reason) > ZONE_REASON_MAX)
		return error_set_at(err, THC_EUNPROCESSABLE, "override_reason",
		                 "trường 'override_reason': tối đa %d byte",
		                 "field 'override_reason': at most %d bytes", ZONE_REASON_MAX);
	if ((rc = store_write(st, actor, zone_end_body, &E, err)) < 0)
		return rc;
	*overridden = E.overridden;
	return 0;
}
