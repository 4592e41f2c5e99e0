/*
 * Provincial feedback categories (fbcatalog.h).
 */
#include <jansson.h>
#include <string.h>

#include "domain/feedback.h"
#include "domain/unit.h"
#include "store/fbcatalog.h"
#include "base/arena.h"
#include "store/feedback-private.h"
#include "base/banned.h"

#define FBCAT_COLUMNS \
	"id, province_code, code, name_vi, name_en, days, level, department, COALESCE(retired_at, 0)"

static void fbcat_read(struct sql_stmt *s, struct arena *a, struct fbcat_item *c)
{
	*c = (struct fbcat_item){ .id = sql_col_int64(s, 0),
	                          .province_code = arena_strdup(a, sql_col_text(s, 1)),
	                          .code = arena_strdup(a, sql_col_text(s, 2)),
	                          .name_vi = arena_strdup(a, sql_col_text(s, 3)),
	                          .name_en = arena_strdup(a, sql_col_text(s, 4)),
	                          .days = sql_col_int64(s, 5),
	                          .level = arena_strdup(a, sql_col_text(s, 6)),
	                          .department = arena_strdup(a, sql_col_text(s, 7)),
	                          .retired_at_ms = sql_col_int64(s, 8) };
}

struct fbcat_add {
	const struct feedback_rules *rules;
	struct fbcat_item *c;
};

/* The actor holds the province in its scope as an official (404 otherwise)
 * and it is a province. */
static int fbcat_province(struct store *st, const struct store_actor *actor,
                          const char *province, struct error *err)
{
	char path[128];
	int rc;

	if ((rc = store_scope_path(st, actor, province, FB_ROLES, path, sizeof(path), err)) < 0)
		return rc;
	if (strchr(path + 1, '/') != path + strlen(path) - 1)
		return error_set_at(err, THC_EUNPROCESSABLE, "province_code",
		                    "trường 'province_code': '%.20s' không phải tỉnh, thành phố",
		                    "field 'province_code': '%.20s' is not a province", province);
	return 0;
}

static json_t *fbcat_audit_json(const struct fbcat_item *c)
{
	return json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:b}", "code", c->code, "name_vi", c->name_vi,
	                 "name_en", c->name_en, "days", (json_int_t)c->days, "level", c->level,
	                 "department", c->department, "retired", c->retired_at_ms != 0);
}

static int fbcat_add_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct fbcat_add *A = ctx;
	struct fbcat_item *c = A->c;
	int64_t n = 0;
	struct sql_stmt *s;
	int rc;

	if ((rc = fbcat_province(st, au->actor, c->province_code, err)) < 0)
		return rc;
	if (feedback_category(A->rules, c->code) != NULL)
		return error_set_at(err, THC_ECONFLICT, "code",
		                    "trường 'code': '%.40s' là loại phản ánh toàn quốc",
		                    "field 'code': '%.40s' is a national category", c->code);
	if ((rc = sql_prepare(st, "SELECT COUNT(*) FROM feedback_categories WHERE province_code = $1",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, c->province_code);
	if ((rc = sql_exec_stmt(s, &n, err)) < 0)
		return rc;
	if (n >= FBCAT_PER_PROVINCE_MAX)
		return error_set(err, THC_ECONFLICT, "tỉnh đã có %d loại phản ánh riêng",
		                 "the province already has %d categories of its own",
		                 FBCAT_PER_PROVINCE_MAX);
	rc = sql_prepare(st, "INSERT INTO feedback_categories (province_code, code, name_vi, name_en,"
	                 " days, level, department, created_by, created_at) SELECT $1, $2, $3, $4, $5,"
	                 " $6, $7, $8, $9 WHERE NOT EXISTS (SELECT 1 FROM feedback_categories WHERE"
	                 " province_code = $1 AND code = $2) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, c->province_code);
	sql_bind_text(s, 2, c->code);
	sql_bind_text(s, 3, c->name_vi);
	sql_bind_text(s, 4, c->name_en);
	sql_bind_int64(s, 5, c->days);
	sql_bind_text(s, 6, c->level);
	sql_bind_text(s, 7, c->department);
	sql_bind_text(s, 8, au->actor->username ? au->actor->username : "system");
	sql_bind_int64(s, 9, au->actor->now_ms);
	c->id = 0;
	if ((rc = sql_exec_stmt(s, &c->id, err)) < 0)
		return rc;
	if (c->id == 0)
		return error_set_at(err, THC_ECONFLICT, "code",
		                    "trường 'code': tỉnh đã có loại '%.40s'",
		                    "field 'code': the province already has '%.40s'", c->code);
	au->action = "feedback.category.add";
	au->entity = "feedback_category";
	store_audit_id(au, c->id);
	au->unit_code = arena_strdup(&au->arena, c->province_code);
	au->after = fbcat_audit_json(c);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_fbcat_add(struct store *st, const struct store_actor *actor,
                    const struct feedback_rules *rules, struct fbcat_item *c, struct error *err)
{
	struct fbcat_add A = { .rules = rules, .c = c };

	return store_write(st, actor, fbcat_add_body, &A, err);
}

/* ---- editing and retiring ---- */

struct fbcat_change {
	struct fbcat_item *c;          /* edit: the new values; retire: filled in */
	const char *province, *code;
	int retire;
	struct arena *a;
};

static int fbcat_change_write(struct store *st, const struct store_actor *actor,
                              const struct fbcat_change *C, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "UPDATE feedback_categories SET name_vi = $3, name_en = $4, days = $5,"
	                 " department = $6, retired_at = CASE WHEN CAST($7 AS BIGINT) = 1 THEN $8"
	                 " ELSE retired_at END, updated_by = $9, updated_at = $8"
	                 " WHERE province_code = $1 AND code = $2 AND retired_at IS NULL", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, C->province);
	sql_bind_text(s, 2, C->code);
	sql_bind_text(s, 3, C->c->name_vi);
	sql_bind_text(s, 4, C->c->name_en);
	sql_bind_int64(s, 5, C->c->days);
	sql_bind_text(s, 6, C->c->department);
	sql_bind_int64(s, 7, C->retire);
	sql_bind_int64(s, 8, actor->now_ms);
	sql_bind_text(s, 9, actor->username ? actor->username : "system");
	return sql_exec_stmt(s, NULL, err);
}

static int fbcat_change_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	struct fbcat_change *C = ctx;
	struct fbcat_item old;
	int rc;

	if ((rc = fbcat_province(st, au->actor, C->province, err)) < 0 ||
	    (rc = store_fbcat_find(st, C->province, C->code, 0, &au->arena, &old, err)) < 0)
		return rc;
	if (rc == 0)
		return error_set_at(err, THC_ENOTFOUND, "code",
		                    "tỉnh không có loại phản ánh riêng '%.40s'",
		                    "the province has no category '%.40s' of its own", C->code);
	if (old.retired_at_ms)
		return error_set_at(err, THC_ECONFLICT, "code",
		                    "loại phản ánh '%.40s' đã thôi dùng", "category '%.40s' is retired",
		                    C->code);
	if (C->retire)
		*C->c = old;
	C->c->id = old.id;
	C->c->province_code = C->province;
	C->c->code = C->code;
	C->c->level = old.level;
	if ((rc = fbcat_change_write(st, au->actor, C, err)) < 0)
		return rc;
	C->c->retired_at_ms = C->retire ? au->actor->now_ms : 0;
	au->action = C->retire ? "feedback.category.retire" : "feedback.category.edit";
	au->entity = "feedback_category";
	store_audit_id(au, old.id);
	au->unit_code = C->province;
	au->before = fbcat_audit_json(&old);
	au->after = fbcat_audit_json(C->c);
	if (au->before == NULL || au->after == NULL)
		return store_oom(err);
	/* What came from the row lives in the audit's arena: the caller's copy. */
	C->c->level = arena_strdup(C->a, old.level);
	if (C->retire) {
		C->c->name_vi = arena_strdup(C->a, old.name_vi);
		C->c->name_en = arena_strdup(C->a, old.name_en);
		C->c->department = arena_strdup(C->a, old.department);
	}
	return C->c->level && C->c->name_vi && C->c->name_en && C->c->department
	       ? 0 : store_oom(err);
}

int store_fbcat_edit(struct store *st, const struct store_actor *actor, struct arena *a,
                     struct fbcat_item *c, struct error *err)
{
	struct fbcat_change C = { .c = c, .province = c->province_code, .code = c->code, .a = a };

	return store_write(st, actor, fbcat_change_body, &C, err);
}

int store_fbcat_retire(struct store *st, const struct store_actor *actor, const char *province,
                       const char *code, struct arena *a, struct fbcat_item *c,
                       struct error *err)
{
	struct fbcat_change C = { .c = c, .province = province, .code = code, .retire = 1, .a = a };

	return store_write(st, actor, fbcat_change_body, &C, err);
}

int store_fbcat_list(struct store *st, const char *unit, int all, struct arena *a,
                     struct fbcat_item **out, size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, FBCAT_PER_PROVINCE_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	/* The province is the first segment of the unit's path. */
	rc = sql_prepare(st, "SELECT " FBCAT_COLUMNS " FROM feedback_categories c WHERE EXISTS"
	                 " (SELECT 1 FROM units u WHERE u.code = $1 AND"
	                 "  substr(u.path, 1, length(c.province_code) + 2) = '/' || c.province_code || '/')"
	                 " AND (CAST($3 AS BIGINT) = 1 OR c.retired_at IS NULL)"
	                 " ORDER BY c.id LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	sql_bind_int64(s, 2, FBCAT_PER_PROVINCE_MAX);
	sql_bind_int64(s, 3, all);
	while ((rc = sql_step(s, err)) == 1)
		fbcat_read(s, a, &(*out)[k++]);
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

int store_fbcat_find(struct store *st, const char *province, const char *code, int active,
                     struct arena *a, struct fbcat_item *out, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT " FBCAT_COLUMNS " FROM feedback_categories"
	                 " WHERE province_code = $1 AND code = $2"
	                 " AND (CAST($3 AS BIGINT) = 0 OR retired_at IS NULL)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, province);
	sql_bind_text(s, 2, code);
	sql_bind_int64(s, 3, active);
	if ((rc = sql_step(s, err)) == 1)
		fbcat_read(s, a, out);
	sql_done(s);
	return rc;
}

int store_fbcat_offered(struct store *st, const char *unit, const char *code,
                        struct error *err)
{
	struct sql_stmt *s;
	int64_t n = 0;
	int rc;

	rc = sql_prepare(st, "SELECT COUNT(*) FROM feedback_categories c JOIN units u ON u.code = $1"
	                 " WHERE c.code = $2 AND c.retired_at IS NULL AND"
	                 " substr(u.path, 1, length(c.province_code) + 2) = '/' || c.province_code || '/'",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	sql_bind_text(s, 2, code);
	if ((rc = sql_exec_stmt(s, &n, err)) < 0)
		return rc;
	return n > 0;
}

int store_fbcat_exists(struct store *st, const char *code, struct error *err)
{
	struct sql_stmt *s;
	int64_t n = 0;
	int rc;

	if ((rc = sql_prepare(st, "SELECT COUNT(*) FROM feedback_categories WHERE code = $1", &s,
	                      err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	if ((rc = sql_exec_stmt(s, &n, err)) < 0)
		return rc;
	return n > 0;
}

/*
 * A category of the province of `path` (a unit's path: its first segment):
 * 1 with *c filled (strings in arena a), 0 none.
 */
int fbcat_category(struct store *st, const char *path, const char *code, int active,
                   struct arena *a, struct feedback_category *c, struct error *err)
{
	char prov[UNIT_CODE_MAX];
	struct fbcat_item it;
	enum feedback_level lv;
	int rc;

	if (feedback_route(path, FEEDBACK_LEVEL_PROVINCE, prov, sizeof(prov), err) < 0)
		return 0;
	if ((rc = store_fbcat_find(st, prov, code, active, a, &it, err)) <= 0)
		return rc;
	lv = strcmp(it.level, "province") == 0 ? FEEDBACK_LEVEL_PROVINCE
	     : strcmp(it.level, "district") == 0 ? FEEDBACK_LEVEL_DISTRICT : FEEDBACK_LEVEL_COMMUNE;
	*c = (struct feedback_category){ .code = it.code, .name_vi = it.name_vi,
	                                 .name_en = it.name_en, .days = (int)it.days, .level = lv,
	                                 .department = { NULL, it.department, it.department,
	                                                 it.department } };
	return 1;
}

/* The answer period of a request's category, national or its province's
 * (path: any unit of the province); the longest when it is gone. */
int fbcat_days(struct store *st, const struct feedback_rules *rules, const char *code,
               const char *path, int *days, struct error *err)
{
	const struct feedback_category *c = feedback_category(rules, code);
	struct feedback_category local;
	struct arena a = ARENA_INIT(1 << 16);
	int rc = 0;

	*days = c ? c->days : FEEDBACK_DAYS_MAX;
	if (c == NULL && (rc = fbcat_category(st, path, code, 0, &a, &local, err)) == 1)
		*days = local.days;
	arena_release(&a);
	return rc < 0 ? rc : 0;
}
