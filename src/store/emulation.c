/*
 * Emulation movements and the indicator registry: each indicator counts,
 * for every unit directly below the parent, a numerator and a denominator
 * from the stored data over the period.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/role.h"
#include "store/directives.h"
#include "store/emulation.h"
#include "store/store-private.h"
#include "store/users.h"
#include "base/banned.h"

#define EMU_ROLES ROLE_MASK_OFFICIALS
#define EMU_DAY_MS 86400000LL

/* Officials holding the parent, or a unit below it ($uid, $roles); below
 * only when the parent is a province or district, whose children (districts,
 * communes) are public: a hamlet's official does not see its sibling
 * hamlets' names and counts. */
#define EMU_READ(uid, roles) \
	"(" SCOPE_SQL("m.parent_path", uid, roles) " OR EXISTS (SELECT 1 FROM grants g JOIN units gu" \
	" ON gu.code = g.unit_code JOIN units pu ON pu.path = m.parent_path" \
	" AND pu.level IN ('province','district') WHERE g.user_id = CAST(" uid " AS BIGINT)" \
	" AND substr(gu.path, 1, length(m.parent_path)) = m.parent_path" \
	" AND (',' || CAST(" roles " AS TEXT) || ',') LIKE ('%,' || g.role || ',%')))"

static long emu_find(const struct emu_row *rows, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(rows[i].code, code) == 0)
			return (long)i;
	return -1;
}

/* Runs sql ($1 parent, then the binds) whose rows are (code, value): adds
 * the value to num (into_den 0) or den (1) of the row's unit. */
static int emu_sum(struct store *st, const char *sql, const struct emu_period *p,
                   const char *t2, const char *t3, int64_t i2, int64_t i3,
                   struct emu_row *rows, size_t n, size_t slot, int into_den,
                   struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, sql, &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, p->parent);
	if (t2) {
		sql_bind_text(s, 2, t2);
		sql_bind_text(s, 3, t3);
	} else if (i2 || i3) {
		sql_bind_int64(s, 2, i2);
		sql_bind_int64(s, 3, i3);
	}
	while ((rc = sql_step(s, err)) == 1) {
		long i = emu_find(rows, n, sql_col_text(s, 0));

		if (i < 0)
			continue;
		if (into_den)
			rows[i].den[slot] += sql_col_double(s, 1);
		else
			rows[i].num[slot] += sql_col_double(s, 1);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/* Households of the unit visited (a report on their assignment) in the period. */
static int emu_households(struct store *st, const struct emu_period *p, struct emu_row *rows,
                          size_t n, size_t slot, struct error *err)
{
	int64_t from_ms = (int64_t)p->from * EMU_DAY_MS - 7 * 3600000LL;
	int64_t to_ms = ((int64_t)p->to + 1) * EMU_DAY_MS - 7 * 3600000LL;
	int rc;

	rc = emu_sum(st, "SELECT c.code, COUNT(*) FROM units c JOIN units h ON h.level = 'household'"
	             " AND substr(h.path, 1, length(c.path)) = c.path WHERE c.parent_code = $1"
	             " GROUP BY c.code", p, NULL, NULL, 0, 0, rows, n, slot, 1, err);
	if (rc < 0)
		return rc;
	return emu_sum(st, "SELECT c.code, COUNT(DISTINCT h.code) FROM units c JOIN units h"
	               " ON h.level = 'household' AND substr(h.path, 1, length(c.path)) = c.path"
	               " JOIN assignments a ON a.unit_code = h.code JOIN assignment_reports r"
	               " ON r.assignment_id = a.id AND r.created_at >= $2 AND r.created_at < $3"
	               " WHERE c.parent_code = $1 GROUP BY c.code", p, NULL, NULL, from_ms, to_ms,
	               rows, n, slot, 0, err);
}

/* Requests due in the period (not rejected), and those answered by their
 * deadline (the Vietnamese day of the answer). */
static int emu_feedback(struct store *st, const struct emu_period *p, struct emu_row *rows,
                        size_t n, size_t slot, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT c.code, f.deadline, f.answered_at FROM units c JOIN feedback f"
	                 " ON substr(f.unit_path, 1, length(c.path)) = c.path WHERE c.parent_code = $1"
	                 " AND f.deadline >= $2 AND f.deadline <= $3 AND f.status <> 'rejected'",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, p->parent);
	sql_bind_text(s, 2, p->from_iso);
	sql_bind_text(s, 3, p->to_iso);
	while ((rc = sql_step(s, err)) == 1) {
		long i = emu_find(rows, n, sql_col_text(s, 0));
		struct vndate d;

		if (i < 0 || vndate_parse(sql_col_text(s, 1), &d) < 0)
			continue;
		rows[i].den[slot] += 1;
		if (!sql_col_is_null(s, 2) &&
		    vntime_day_of(sql_col_int64(s, 2) / 1000) <= vndate_to_days(d))
			rows[i].num[slot] += 1;
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/* Fully vaccinated over population (age group "all") in the unit's
 * subtree, at the last week of the period with figures. */
static int emu_vaccination(struct store *st, const struct emu_period *p, struct emu_row *rows,
                           size_t n, size_t slot, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT c.code, v.week_end, SUM(COALESCE(v.full_dose, 0)),"
	                 " SUM(COALESCE(v.population, 0)) FROM units c JOIN units u"
	                 " ON substr(u.path, 1, length(c.path)) = c.path JOIN vaccination_weekly v"
	                 " ON v.unit_code = u.code AND v.age_group = 'all' AND v.week_end >= $2"
	                 " AND v.week_end <= $3 WHERE c.parent_code = $1"
	                 " GROUP BY c.code, v.week_end ORDER BY c.code, v.week_end", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, p->parent);
	sql_bind_text(s, 2, p->from_iso);
	sql_bind_text(s, 3, p->to_iso);
	while ((rc = sql_step(s, err)) == 1) {
		long i = emu_find(rows, n, sql_col_text(s, 0));

		if (i < 0)
			continue;
		/* Ordered by week: the last one stays. */
		rows[i].num[slot] = sql_col_double(s, 2);
		rows[i].den[slot] = sql_col_double(s, 3);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/* Days of the period up to today without a community case detected. */
static int emu_case_free(struct store *st, const struct emu_period *p, struct emu_row *rows,
                         size_t n, size_t slot, struct error *err)
{
	int32_t last = p->to < p->today ? p->to : p->today;
	double days = last >= p->from ? (double)(last - p->from + 1) : 0;
	char last_iso[11];
	int rc;

	vndate_format_iso(vndate_from_days(last), last_iso, sizeof(last_iso));
	for (size_t i = 0; i < n; i++) {
		rows[i].den[slot] = days;
		rows[i].num[slot] = days;
	}
	if (days == 0)
		return 0;
	rc = emu_sum(st, "SELECT c.code, -COUNT(DISTINCT x.detected_on) FROM units c JOIN cases x"
	             " ON substr(x.unit_path, 1, length(c.path)) = c.path AND x.source = 'community'"
	             " AND x.detected_on >= $2 AND x.detected_on <= $3 WHERE c.parent_code = $1"
	             " GROUP BY c.code", p, p->from_iso, last_iso, 0, 0, rows, n, slot, 0, err);
	return rc;
}

/* Tasks assigned to the unit with a deadline in the period, and those it
 * reported done by their deadline (store/directives.h). */
static int emu_tasks(struct store *st, const struct emu_period *p, struct emu_row *rows,
                     size_t n, size_t slot, struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct task_completion *t;
	size_t nt = 0;
	int rc;

	if ((rc = store_task_completion(st, p->parent, p->from_iso, p->to_iso, &a, &t, &nt,
	                                err)) == 0) {
		for (size_t k = 0; k < nt; k++) {
			long i = emu_find(rows, n, t[k].unit_code);

			if (i < 0)
				continue;
			rows[i].den[slot] += (double)t[k].tasks;
			rows[i].num[slot] += (double)t[k].on_time;
		}
	}
	arena_release(&a);
	return rc;
}

/* The registry: one entry per indicator. */
static const struct emu_indicator emu_registry[] = {
	{ "households_visited", "Tỷ lệ hộ gia đình được tổ COVID cộng đồng thăm",
	  "Share of households visited by the community team", "households", emu_households },
	{ "feedback_on_time", "Tỷ lệ phản ánh được trả lời đúng hạn",
	  "Share of feedback requests answered on time", "requests", emu_feedback },
	{ "vaccination_coverage", "Tỷ lệ tiêm đủ liều",
	  "Full-dose vaccination coverage", "people", emu_vaccination },
	{ "case_free_days", "Số ngày không có ca mắc trong cộng đồng",
	  "Days without community cases", "days", emu_case_free },
	{ "tasks_on_time", "Tỷ lệ nhiệm vụ hoàn thành đúng hạn",
	  "Share of tasks completed on time", "tasks", emu_tasks },
};

const struct emu_indicator *store_emulation_indicator_at(size_t i)
{
	return i < sizeof(emu_registry) / sizeof(emu_registry[0]) ? &emu_registry[i] : NULL;
}

const struct emu_indicator *store_emulation_indicator(const char *code)
{
	const struct emu_indicator *x;

	for (size_t i = 0; code && (x = store_emulation_indicator_at(i)) != NULL; i++)
		if (strcmp(x->code, code) == 0)
			return x;
	return NULL;
}

/* ---- movements ---- */

static int emu_create_body(struct store *st, void *ctx, struct store_audit *au,
                           struct error *err)
{
	struct emu_movement *m = ctx;
	char path[128];
	struct sql_stmt *s;
	json_t *ind;
	int rc;

	if ((rc = store_scope_path(st, au->actor, m->parent_code, EMU_ROLES, path, sizeof(path),
	                           err)) < 0)
		return error_in_field(err, "parent_code");
	rc = sql_prepare(st, "INSERT INTO emulation_movements (name, parent_code, parent_path,"
	                 " period_from, period_to, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
	                 " RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, m->name);
	sql_bind_text(s, 2, m->parent_code);
	sql_bind_text(s, 3, path);
	sql_bind_text(s, 4, m->period_from);
	sql_bind_text(s, 5, m->period_to);
	sql_bind_int64(s, 6, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, &m->id, err)) < 0)
		return rc;
	if ((ind = json_object()) == NULL)
		return store_oom(err);
	au->after = json_pack("{s:s,s:s,s:s,s:s,s:o}", "name", m->name, "parent", m->parent_code,
	                      "period_from", m->period_from, "period_to", m->period_to,
	                      "indicators", ind);
	for (size_t i = 0; i < m->nind; i++) {
		rc = sql_prepare(st, "INSERT INTO emulation_indicators (movement_id, indicator, weight,"
		                 " position) VALUES ($1, $2, $3, $4)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_int64(s, 1, m->id);
		sql_bind_text(s, 2, m->ind[i]);
		sql_bind_int64(s, 3, m->weight[i]);
		sql_bind_int64(s, 4, (int64_t)i);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
		json_object_set_new(ind, m->ind[i], json_integer(m->weight[i]));
	}
	au->action = "emulation.create";
	au->entity = "emulation_movement";
	store_audit_id(au, m->id);
	au->unit_code = arena_strdup(&au->arena, m->parent_code);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_emulation_create(struct store *st, const struct store_actor *actor,
                           struct emu_movement *m, struct error *err)
{
	return store_write(st, actor, emu_create_body, m, err);
}

static void emu_read_row(struct sql_stmt *s, struct arena *a, struct emu_movement *m)
{
	memset(m, 0, sizeof(*m));
	m->id = sql_col_int64(s, 0);
	m->name = arena_strdup(a, sql_col_text(s, 1));
	m->parent_code = arena_strdup(a, sql_col_text(s, 2));
	m->period_from = arena_strdup(a, sql_col_text(s, 3));
	m->period_to = arena_strdup(a, sql_col_text(s, 4));
	m->created_at_ms = sql_col_int64(s, 5);
}

static int emu_indicators_read(struct store *st, struct arena *a, struct emu_movement *m,
                               struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT indicator, weight FROM emulation_indicators"
	                 " WHERE movement_id = $1 ORDER BY position LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, m->id);
	sql_bind_int64(s, 2, EMU_INDICATORS_MAX);
	m->nind = 0;
	while ((rc = sql_step(s, err)) == 1) {
		m->ind[m->nind] = arena_strdup(a, sql_col_text(s, 0));
		m->weight[m->nind++] = (int)sql_col_int64(s, 1);
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

#define EMU_COLUMNS "m.id, m.name, m.parent_code, m.period_from, m.period_to, m.created_at"

int store_emulation_list(struct store *st, const struct store_actor *actor, const char *unit,
                         struct arena *a, struct emu_movement **out, size_t *n,
                         struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, EMU_LIST_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	role_mask_names(EMU_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT " EMU_COLUMNS " FROM emulation_movements m WHERE "
	                 EMU_READ("$1", "$2") " AND (CAST($3 AS TEXT) IS NULL OR EXISTS (SELECT 1"
	                 " FROM units top WHERE top.code = $3"
	                 " AND substr(m.parent_path, 1, length(top.path)) = top.path))"
	                 " ORDER BY m.id DESC LIMIT $4", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_text(s, 2, rn);
	sql_bind_text(s, 3, unit);
	sql_bind_int64(s, 4, EMU_LIST_MAX);
	while ((rc = sql_step(s, err)) == 1)
		emu_read_row(s, a, &(*out)[k++]);
	sql_done(s);
	*n = k;
	for (size_t i = 0; rc == 0 && i < k; i++)
		rc = emu_indicators_read(st, a, &(*out)[i], err);
	return rc < 0 ? rc : 0;
}

int store_emulation_get(struct store *st, const struct store_actor *actor, int64_t id,
                        struct arena *a, struct emu_movement *out, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(EMU_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT " EMU_COLUMNS " FROM emulation_movements m WHERE m.id = $1"
	                 " AND " EMU_READ("$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1)
		emu_read_row(s, a, out);
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có phong trào thi đua số %lld trong phạm vi của bạn",
		                 "no emulation movement %lld within your scope", (long long)id);
	return emu_indicators_read(st, a, out, err);
}

static int emu_children(struct store *st, const char *parent, struct arena *a,
                        struct emu_row *rows, size_t *n, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT code, name FROM units WHERE parent_code = $1"
	                 " AND level <> 'household' ORDER BY code LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, parent);
	sql_bind_int64(s, 2, EMU_UNITS_MAX);
	*n = 0;
	while ((rc = sql_step(s, err)) == 1) {
		rows[*n].code = arena_strdup(a, sql_col_text(s, 0));
		rows[(*n)++].name = arena_strdup(a, sql_col_text(s, 1));
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

int store_emulation_collect(struct store *st, const struct emu_movement *m, int32_t from,
                            int32_t to, int32_t today, struct arena *a, struct emu_row **out,
                            size_t *n, struct error *err)
{
	struct emu_period p = { .parent = m->parent_code, .from = from, .to = to, .today = today };
	int rc;

	*n = 0;
	vndate_format_iso(vndate_from_days(from), p.from_iso, sizeof(p.from_iso));
	vndate_format_iso(vndate_from_days(to), p.to_iso, sizeof(p.to_iso));
	if ((*out = arena_alloc(a, EMU_UNITS_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	if ((rc = emu_children(st, m->parent_code, a, *out, n, err)) < 0)
		return rc;
	for (size_t k = 0; k < m->nind; k++) {
		const struct emu_indicator *x = store_emulation_indicator(m->ind[k]);

		if (x && (rc = x->count(st, &p, *out, *n, k, err)) < 0)
			return rc;
	}
	return 0;
}
