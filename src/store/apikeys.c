/*
 * API keys: adding and revoking (audited), the list, and the use of a key
 * counted in its rate window (store/apikeys.h).
 */
#include <jansson.h>
#include <string.h>

#include "domain/apikey.h"
#include "store/apikeys.h"
#include "store/store-private.h"
#include "base/banned.h"

#define AK_COLUMNS "id, name, prefix, scope, unit_code, rate_per_min, created_at, revoked_at," \
	" last_used_at, created_by"

static void ak_read_row(struct sql_stmt *s, struct arena *a, struct apikey *k)
{
	memset(k, 0, sizeof(*k));
	k->id = sql_col_int64(s, 0);
	k->name = arena_strdup(a, sql_col_text(s, 1));
	k->prefix = arena_strdup(a, sql_col_text(s, 2));
	k->scope = arena_strdup(a, sql_col_text(s, 3));
	k->unit_code = arena_strdup(a, sql_col_text(s, 4));
	k->rate_per_min = sql_col_int64(s, 5);
	k->created_at_ms = sql_col_int64(s, 6);
	k->revoked_at_ms = sql_col_is_null(s, 7) ? 0 : sql_col_int64(s, 7);
	k->last_used_at_ms = sql_col_is_null(s, 8) ? 0 : sql_col_int64(s, 8);
	k->created_by = arena_strdup(a, sql_col_text(s, 9));
}

struct ak_add {
	const char *hash;
	struct apikey *k;
};

static int ak_unit_known(struct store *st, const char *code, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT 1 FROM units WHERE code = $1 AND level IN"
	                      " ('country','province','district','commune')", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit",
		                    "không có đơn vị hành chính mã '%.40s'",
		                    "no administrative unit with code '%.40s'", code);
	return rc < 0 ? rc : 0;
}

static int ak_add_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct ak_add *A = ctx;
	struct apikey *k = A->k;
	struct sql_stmt *s;
	int rc;

	if (k->unit_code && (rc = ak_unit_known(st, k->unit_code, err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO api_keys (name, prefix, key_hash, scope, unit_code,"
	                 " rate_per_min, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	                 " RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, k->name);
	sql_bind_text(s, 2, k->prefix);
	sql_bind_text(s, 3, A->hash);
	sql_bind_text(s, 4, k->scope);
	sql_bind_text(s, 5, k->unit_code);
	sql_bind_int64(s, 6, k->rate_per_min);
	sql_bind_int64(s, 7, au->actor->now_ms);
	sql_bind_text(s, 8, au->actor->username ? au->actor->username : "system");
	if ((rc = sql_exec_stmt(s, &k->id, err)) < 0)
		return rc;
	au->action = "apikey.add";
	au->entity = "api_key";
	store_audit_id(au, k->id);
	au->after = json_pack("{s:s,s:s,s:s,s:s?,s:I}", "name", k->name, "prefix", k->prefix,
	                      "scope", k->scope, "unit_code", k->unit_code,
	                      "rate_per_min", (json_int_t)k->rate_per_min);
	return au->after ? 0 : store_oom(err);
}

int store_apikey_add(struct store *st, const struct store_actor *actor, const char *key_hash,
                     struct apikey *k, struct error *err)
{
	struct ak_add A = { .hash = key_hash, .k = k };

	if (apikey_scope(k->scope) == NULL)
		return error_set_at(err, THC_EUNPROCESSABLE, "scope",
		                    "không có phạm vi '%.20s' (open311, dhis2)",
		                    "no scope '%.20s' (open311, dhis2)", k->scope ? k->scope : "");
	if (k->name == NULL || k->name[0] == '\0' || strlen(k->name) > APIKEY_NAME_MAX)
		return error_set_at(err, THC_EUNPROCESSABLE, "name",
		                    "tên khóa cần có, tối đa %d byte",
		                    "the key's name is needed, at most %d bytes", APIKEY_NAME_MAX);
	if (k->rate_per_min < 1 || k->rate_per_min > APIKEY_RATE_MAX)
		return error_set_at(err, THC_EUNPROCESSABLE, "rate",
		                    "giới hạn phải trong 1..%d yêu cầu mỗi phút",
		                    "the rate must be within 1..%d requests a minute", APIKEY_RATE_MAX);
	return store_write(st, actor, ak_add_body, &A, err);
}

int store_apikey_list(struct store *st, struct arena *a, struct apikey **out, size_t *n,
                      struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, APIKEY_LIST_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT " AK_COLUMNS " FROM api_keys ORDER BY id DESC LIMIT $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, APIKEY_LIST_MAX);
	while ((rc = sql_step(s, err)) == 1)
		ak_read_row(s, a, &(*out)[k++]);
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

struct ak_revoke {
	int64_t id;
};

static int ak_revoke_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct ak_revoke *R = ctx;
	struct sql_stmt *s;
	int64_t revoked = -1;
	char name[APIKEY_NAME_MAX + 1] = "";
	int rc;

	if ((rc = sql_prepare(st, "SELECT revoked_at, name FROM api_keys WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, R->id);
	rc = sql_step(s, err);
	if (rc == 1) {
		revoked = sql_col_is_null(s, 0) ? 0 : sql_col_int64(s, 0);
		rc = sql_col_copy(s, 1, name, sizeof(name), err) < 0 ? THC_ESTORE : 1;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có khóa số %lld", "no key number %lld",
		                 (long long)R->id);
	if (revoked > 0)
		return error_set(err, THC_ECONFLICT, "khóa số %lld đã bị thu hồi",
		                 "key number %lld is already revoked", (long long)R->id);
	if ((rc = sql_prepare(st, "UPDATE api_keys SET revoked_at = $2 WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, R->id);
	sql_bind_int64(s, 2, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = "apikey.revoke";
	au->entity = "api_key";
	store_audit_id(au, R->id);
	au->after = json_pack("{s:s,s:b}", "name", name, "revoked", 1);
	return au->after ? 0 : store_oom(err);
}

int store_apikey_revoke(struct store *st, const struct store_actor *actor, int64_t id,
                        struct error *err)
{
	struct ak_revoke R = { .id = id };

	return store_write(st, actor, ak_revoke_body, &R, err);
}

int store_apikey_use(struct store *st, const char *key_hash, const char *scope, int64_t now_ms,
                     struct arena *a, struct apikey *k, int64_t *window_start_ms,
                     int64_t *window_count, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	/* One statement, so that two requests at once both count; the window
	 * rule is domain/apikey.h's apikey_window_next(). */
	rc = sql_prepare(st, "UPDATE api_keys SET"
	                 " window_count = CASE WHEN window_count <= 0 OR window_start <= $3"
	                 "  OR window_start > $2 THEN 1 ELSE window_count + 1 END,"
	                 " window_start = CASE WHEN window_count <= 0 OR window_start <= $3"
	                 "  OR window_start > $2 THEN $2 ELSE window_start END,"
	                 " last_used_at = $2"
	                 " WHERE key_hash = $1 AND revoked_at IS NULL AND scope = $4"
	                 " RETURNING " AK_COLUMNS ", window_start, window_count", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, key_hash);
	sql_bind_int64(s, 2, now_ms);
	sql_bind_int64(s, 3, now_ms - APIKEY_WINDOW_MS);
	sql_bind_text(s, 4, scope);
	rc = sql_step(s, err);
	if (rc == 1) {
		ak_read_row(s, a, k);
		*window_start_ms = sql_col_int64(s, 10);
		*window_count = sql_col_int64(s, 11);
	}
	sql_done(s);
	return rc;
}
