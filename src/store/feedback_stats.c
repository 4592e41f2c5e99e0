/*
 * Citizen feedback at a glance: the units directly below a unit, then one
 * pass over the requests under it, grouped by the child their handling unit
 * (assigned, else responsible) lies in and, in each group, the answered
 * ones ordered by time to answer, so that the median is read off the
 * sorted run without holding more than one group's times.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/feedback.h"
#include "domain/role.h"
#include "store/feedback_stats.h"
#include "store/store-private.h"
#include "base/banned.h"

#define FBS_PATH_MAX 160
#define FBS_ROLES_MAX 256

/* The handling unit's path; $1 the root's path, $2 the children's path
 * length (one level below: every child's path is as long), $3/$4 scope. */
#define FBS_PATH "COALESCE(f.assigned_path, f.unit_path)"
#define FBS_FROM(uid, roles) \
	" f.status, f.deadline, f.escalations," \
	" CASE WHEN f.answered_at IS NULL THEN NULL ELSE f.answered_at - f.created_at END AS took" \
	" FROM feedback f" \
	" WHERE substr(" FBS_PATH ", 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT)" \
	" AND (" SCOPE_SQL("f.unit_path", uid, roles) " OR (f.assigned_path IS NOT NULL AND " \
	SCOPE_SQL("f.assigned_path", uid, roles) "))" \
	" ORDER BY grp, CASE WHEN f.answered_at IS NULL THEN 1 ELSE 0 END, took"
#define FBS_SQL \
	"SELECT CASE WHEN length(" FBS_PATH ") >= CAST($2 AS INTEGER)" \
	"  THEN substr(" FBS_PATH ", 1, CAST($2 AS INTEGER)) ELSE '' END AS grp," FBS_FROM("$3", "$4")
/* The same requests by department ($2/$3 scope); none named: "". */
#define FBS_DEPT_SQL "SELECT COALESCE(f.department, '') AS grp," FBS_FROM("$2", "$3")

/* The groups being counted: the unit's children (paths), or departments
 * added as the sorted rows bring them. */
struct fbs_groups {
	struct feedback_stat *v;
	const char **paths;            /* NULL: by department */
	size_t n, cap;
	struct arena *a;
};

/* The unit itself, then its children with their paths (paths[0] the root's);
 * the provinces have no parent code: the country's children. */
static int fbs_units(struct store *st, const char *unit, struct arena *a,
                     struct feedback_stat **out, const char ***paths, size_t *n,
                     struct error *err)
{
	size_t cap = 64;
	struct sql_stmt *s;
	int rc;

	*n = 0;
	*out = arena_alloc(a, cap * sizeof(**out));
	*paths = arena_alloc(a, cap * sizeof(**paths));
	/* Population: the unit's own, else the sum of its communes'. */
	rc = sql_prepare(st, "SELECT u.code, u.name, u.path, COALESCE(u.population, (SELECT SUM(d.population)"
	                 " FROM units d WHERE d.level = 'commune' AND substr(d.path, 1, length(u.path)) = u.path))"
	                 " FROM units u WHERE u.code = $1 OR ((u.parent_code = $1 OR (CAST($1 AS TEXT) = 'VN'"
	                 " AND u.parent_code IS NULL)) AND u.level IN"
	                 " ('province', 'district', 'commune', 'hamlet'))"
	                 " ORDER BY CASE WHEN u.code = $1 THEN 0 ELSE 1 END, u.code", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	while (*out && *paths && (rc = sql_step(s, err)) == 1) {
		if (*n == cap) {
			struct feedback_stat *g = arena_alloc(a, 2 * cap * sizeof(*g));
			const char **gp = arena_alloc(a, 2 * cap * sizeof(*gp));

			if (g == NULL || gp == NULL)
				break;
			memcpy(g, *out, cap * sizeof(*g));
			memcpy(gp, *paths, cap * sizeof(*gp));
			*out = g;
			*paths = gp;
			cap *= 2;
		}
		(*out)[*n] = (struct feedback_stat){ .code = arena_strdup(a, sql_col_text(s, 0)),
		                                     .name = arena_strdup(a, sql_col_text(s, 1)),
		                                     .population = sql_col_is_null(s, 3) ? -1 : sql_col_int64(s, 3),
		                                     .median_ms = -1 };
		(*paths)[(*n)++] = arena_strdup(a, sql_col_text(s, 2));
	}
	sql_done(s);
	if (rc == 1 || *out == NULL || *paths == NULL)
		return store_oom(err);
	return rc < 0 ? rc : 0;
}

/* The group a row belongs to: the child whose path is its prefix, else
 * the unit itself (index 0); by department, a new one at the end (rows
 * come sorted by group).  SIZE_MAX: out of memory. */
static size_t fbs_group(struct fbs_groups *g, const char *grp)
{
	if (g->paths) {
		for (size_t k = 1; grp && *grp && k < g->n; k++)
			if (g->paths[k] && strcmp(g->paths[k], grp) == 0)
				return k;
		return 0;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 16;
		struct feedback_stat *v = arena_alloc(g->a, cap * sizeof(*v));

		if (v == NULL)
			return SIZE_MAX;
		if (g->n)
			memcpy(v, g->v, g->n * sizeof(*v));
		g->v = v;
		g->cap = cap;
	}
	g->v[g->n] = (struct feedback_stat){ .code = arena_strdup(g->a, grp ? grp : ""),
	                                     .population = -1, .median_ms = -1 };
	g->v[g->n].name = g->v[g->n].code;
	return g->v[g->n].code ? g->n++ : SIZE_MAX;
}

/* The median of a sorted run of n times. */
static int64_t fbs_median(const int64_t *t, size_t n)
{
	return n == 0 ? -1 : n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* Counts the rows of s into their groups, each group's median from its
 * sorted run of times to answer. */
static int fbs_count(struct sql_stmt *s, const char *day, struct fbs_groups *gs,
                     struct error *err)
{
	char last[FBS_PATH_MAX + FEEDBACK_DEPARTMENT_MAX] = "\x01";
	int64_t *took = NULL;
	size_t cap = 0, ntook = 0, cur = 0;
	int rc;

	while ((rc = sql_step(s, err)) == 1) {
		const char *grp = sql_col_text(s, 0), *status = sql_col_text(s, 1);
		const char *deadline = sql_col_text(s, 2);
		int open = status && (strcmp(status, "new") == 0 || strcmp(status, "acknowledged") == 0 ||
		                      strcmp(status, "in_progress") == 0);
		struct feedback_stat *g;

		/* A new group: the last one's median from its sorted run. */
		if (strcmp(grp ? grp : "", last) != 0) {
			if (gs->n)
				gs->v[cur].median_ms = fbs_median(took, ntook);
			ntook = 0;
			snprintf(last, sizeof(last), "%s", grp ? grp : "");
			if ((cur = fbs_group(gs, grp)) == SIZE_MAX)
				break;
		}
		g = &gs->v[cur];
		g->total++;
		g->open += open;
		g->overdue += open && deadline && strcmp(deadline, day) < 0;
		g->escalated += sql_col_int64(s, 3) > 0;
		if (sql_col_is_null(s, 4))
			continue;
		g->answered++;
		if (ntook == cap) {
			int64_t *bigger = arena_alloc(gs->a, (cap ? 2 * cap : 256) * sizeof(*bigger));

			if (bigger == NULL)
				break;
			if (ntook)
				memcpy(bigger, took, ntook * sizeof(*took));
			took = bigger;
			cap = cap ? 2 * cap : 256;
		}
		took[ntook++] = sql_col_int64(s, 4);
	}
	sql_done(s);
	if (rc == 1)
		return store_oom(err);
	if (rc < 0)
		return rc;
	if (gs->n)
		gs->v[cur].median_ms = fbs_median(took, ntook);
	return 0;
}

int store_feedback_stats(struct store *st, const struct store_actor *actor, const char *unit,
                         int32_t today, struct arena *a, struct feedback_stat **out,
                         size_t *n, struct feedback_stat **depts, size_t *ndepts,
                         struct error *err)
{
	char path[FBS_PATH_MAX], roles[FBS_ROLES_MAX], day[11];
	struct fbs_groups units = { .a = a }, by_dept = { .a = a };
	struct sql_stmt *s;
	int rc;

	*out = *depts = NULL;
	*n = *ndepts = 0;
	if ((rc = store_scope_path(st, actor, unit, ROLE_MASK_OFFICIALS, path, sizeof(path), err)) < 0)
		return rc;
	if ((rc = fbs_units(st, unit, a, &units.v, &units.paths, &units.n, err)) < 0)
		return rc;
	units.cap = units.n;
	role_mask_names(ROLE_MASK_OFFICIALS, roles, sizeof(roles));
	vndate_format_iso(vndate_from_days(today), day, sizeof(day));
	if ((rc = sql_prepare(st, FBS_SQL, &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, path);
	sql_bind_int64(s, 2, units.n > 1 ? (int64_t)strlen(units.paths[1]) : (int64_t)strlen(path) + 1);
	sql_bind_int64(s, 3, store_actor_uid(actor));
	sql_bind_text(s, 4, roles);
	if ((rc = fbs_count(s, day, &units, err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, FBS_DEPT_SQL, &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, path);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	if ((rc = fbs_count(s, day, &by_dept, err)) < 0)
		return rc;
	*out = units.v;
	*n = units.n;
	*depts = by_dept.v;
	*ndepts = by_dept.n;
	return 0;
}
