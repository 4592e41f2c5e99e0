/*
 * Citizen feedback for Open311 readers: public columns, filters of the
 * GeoReport v2 request list (store/open311.h).
 */
#include <string.h>

#include "store/open311.h"
#include "store/store-private.h"
#include "base/banned.h"

static void o311_read_row(struct sql_stmt *s, struct arena *a, struct open311_request *o)
{
	memset(o, 0, sizeof(*o));
	o->id = sql_col_int64(s, 0);
	o->category = arena_strdup(a, sql_col_text(s, 1));
	o->status = arena_strdup(a, sql_col_text(s, 2));
	o->location_code = arena_strdup(a, sql_col_text(s, 3));
	o->holder_name = arena_strdup(a, sql_col_text(s, 4));
	o->holder_deadline = arena_strdup(a, sql_col_text(s, 5));
	o->created_at_ms = sql_col_int64(s, 6);
	o->updated_at_ms = sql_col_int64(s, 7);
	o->category_name = arena_strdup(a, sql_col_text(s, 8));
}

int store_open311_requests(struct store *st, const struct open311_query *q, struct arena *a,
                           struct open311_request **out, size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, (size_t)q->limit * sizeof(**out))) == NULL)
		return store_oom(err);
	/* Lists come as ",a,b," so that one statement serves every filter on
	 * both backends.  These lists are public: the description, the address
	 * and the point (often the reporter's home, and free text that names
	 * people) are not selected, nor are the contact columns; a refused
	 * request is not listed. */
	rc = sql_prepare(st, "SELECT f.id, f.category, f.status, f.location_code,"
	                 " h.name, f.holder_deadline, f.created_at,"
	                 " f.updated_at,"
	                 " (SELECT c.name_vi FROM feedback_categories c WHERE c.code = f.category AND"
	                 "  substr(f.unit_path, 1, length(c.province_code) + 2) = '/' || c.province_code || '/')"
	                 " FROM feedback f JOIN units h ON h.code = f.holder_code"
	                 " WHERE f.status <> 'rejected' AND ("
	                 " (CAST($1 AS TEXT) IS NOT NULL AND $1 LIKE '%,' || CAST(f.id AS TEXT) || ',%')"
	                 " OR (CAST($1 AS TEXT) IS NULL"
	                 "  AND (CAST($2 AS TEXT) IS NULL OR $2 LIKE '%,' || f.category || ',%')"
	                 "  AND f.created_at >= $3 AND f.created_at <= $4"
	                 "  AND (CAST($5 AS BIGINT) = 0"
	                 "   OR ($5 = 1 AND f.status IN ('new','acknowledged','in_progress'))"
	                 "   OR ($5 = 2 AND f.status IN ('answered','closed')))"
	                 "  AND (CAST($6 AS TEXT) IS NULL OR substr(f.unit_path, 1, length($6) + 2) = '/' || $6 || '/')))"
	                 " ORDER BY f.created_at DESC, f.id DESC LIMIT $7", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, q->ids);
	sql_bind_text(s, 2, q->categories);
	sql_bind_int64(s, 3, q->start_ms);
	sql_bind_int64(s, 4, q->end_ms);
	sql_bind_int64(s, 5, q->status);
	sql_bind_text(s, 6, q->province);
	sql_bind_int64(s, 7, q->limit);
	while ((rc = sql_step(s, err)) == 1 && (int64_t)k < q->limit)
		o311_read_row(s, a, &(*out)[k++]);
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

int store_open311_token(struct store *st, const char *token_hash, int64_t *id,
                        struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT id FROM feedback WHERE token_hash = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, token_hash);
	rc = sql_step(s, err);
	if (rc == 1)
		*id = sql_col_int64(s, 0);
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có phản ánh với mã này",
		                 "no request with this token");
	return rc < 0 ? rc : 0;
}

int store_open311_province(struct store *st, const char *code, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT 1 FROM units WHERE code = $1 AND level = 'province'",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	rc = sql_step(s, err);
	sql_done(s);
	return rc;
}

int store_open311_within(struct store *st, const char *code, const char *root,
                         struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT 1 FROM units u JOIN units t ON t.code = $2"
	                      " WHERE u.code = $1 AND substr(u.path, 1, length(t.path)) = t.path",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, root);
	rc = sql_step(s, err);
	sql_done(s);
	return rc;
}
