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

#define FBCAT_COLUMNS "id, province_code, code, name_vi, name_en, days, level, department"

static void fbcat_read(struct sql_stmt *s, struct arena *a, struct fbcat_item *c)
{
	*c = (struct fbcat_item){ .id = sql_col_int64(s, 0),
	                          .province_code = arena_strdup(a, sql_col_text(s, 1)),
	                          .code = arena_strdup(a, sql_col_text(s, 2)),
	                          .name_vi = arena_strdup(a, sql_col_text(s, 3)),
	                          .name_en = arena_strdup(a, sql_col_text(s, 4)),
	                          .days = sql_col_int64(s, 5),
	                          .level = arena_strdup(a, sql_col_text(s, 6)),
	                          .department = arena_strdup(a, sql_col_text(s, 7)) };
}

struct fbcat_add {
	const struct feedback_rules *rules;
	struct fbcat_item *c;
};

static int fbcat_add_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct fbcat_add *A = ctx;
	struct fbcat_item *c = A->c;
	char path[128];
	int64_t n = 0;
	struct sql_stmt *s;
	int rc;

	if ((rc = store_scope_path(st, au->actor, c->province_code, FB_ROLES, path, sizeof(path),
	                           err)) < 0)
		return rc;
	if (strchr(path + 1, '/') != path + strlen(path) - 1)
		return error_set_at(err, THC_EUNPROCESSABLE, "province_code",
		                    "trường 'province_code': '%.20s' không phải tỉnh, thành phố",
		                    "field 'province_code': '%.20s' is not a province", c->province_code);
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
	au->after = json_pack("{s:s,s:s,s:s,s:I,s:s,s:s}", "code", c->code, "name_vi", c->name_vi,
	                      "name_en", c->name_en, "days", (json_int_t)c->days, "level", c->level,
	                      "department", c->department);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_fbcat_add(struct store *st, const struct store_actor *actor,
                    const struct feedback_rules *rules, struct fbcat_item *c, struct error *err)
{
	struct fbcat_add A = { .rules = rules, .c = c };

	return store_write(st, actor, fbcat_add_body, &A, err);
}

int store_fbcat_list(struct store *st, const char *unit, struct arena *a,
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
	                 " ORDER BY c.id LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	sql_bind_int64(s, 2, FBCAT_PER_PROVINCE_MAX);
	while ((rc = sql_step(s, err)) == 1)
		fbcat_read(s, a, &(*out)[k++]);
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

int store_fbcat_find(struct store *st, const char *province, const char *code, struct arena *a,
                     struct fbcat_item *out, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT " FBCAT_COLUMNS " FROM feedback_categories"
	                 " WHERE province_code = $1 AND code = $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, province);
	sql_bind_text(s, 2, code);
	if ((rc = sql_step(s, err)) == 1)
		fbcat_read(s, a, out);
	sql_done(s);
	return rc;
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
int fbcat_category(struct store *st, const char *path, const char *code,
                             struct arena *a, struct feedback_category *c, struct error *err)
{
	char prov[UNIT_CODE_MAX];
	struct fbcat_item it;
	enum feedback_level lv;
	int rc;

	if (feedback_route(path, FEEDBACK_LEVEL_PROVINCE, prov, sizeof(prov), err) < 0)
		return 0;
	if ((rc = store_fbcat_find(st, prov, code, a, &it, err)) <= 0)
		return rc;
	lv = strcmp(it.level, "province") == 0 ? FEEDBACK_LEVEL_PROVINCE
	     : strcmp(it.level, "district") == 0 ? FEEDBACK_LEVEL_DISTRICT : FEEDBACK_LEVEL_COMMUNE;
	*c = (struct feedback_category){ .code = it.code, .name_vi = it.name_vi,
	                                 .name_en = it.name_en, .days = (int)it.days, .level = lv };
	return 1;
}

/* The answer period of a request's category, national or its province's
 * (path: any unit of the province); the longest when it is gone. */
int fbcat_days(struct store *st, const struct feedback_rules *rules,
                            const char *code, const char *path, int *days, struct error *err)
{
	const struct feedback_category *c = feedback_category(rules, code);
	struct feedback_category local;
	struct arena a = ARENA_INIT(1 << 16);
	int rc = 0;

	*days = c ? c->days : FEEDBACK_DAYS_MAX;
	if (c == NULL && (rc = fbcat_category(st, path, code, &a, &local, err)) == 1)
		*days = local.days;
	arena_release(&a);
	return rc < 0 ? rc : 0;
}
