/*
 * Links between directives (implements, replaces) with the cycle checks,
 * both directions as a reader may see them, and the list of directives a
 * unit issued or received with their progress counts.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/unit.h"
#include "store/directives-private.h"
#include "store/users.h"
#include "base/banned.h"

/* Hops followed when looking for a cycle: far more than any real chain. */
#define DIR_CHAIN_MAX 1000

int store_directive_visible(struct store *st, const struct store_actor *actor, int64_t id,
                            struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(DIR_ROLES, roles, sizeof(roles));
	rc = sql_prepare(st, "SELECT 1 FROM directives d WHERE d.id = $1 AND "
	                 DIR_VISIBLE_SQL("d", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có văn bản %lld trong phạm vi của bạn",
		                 "no directive %lld within your scope", (long long)id);
	return rc < 0 ? rc : 0;
}

int store_directive_issuer_check(struct store *st, const struct store_actor *actor, int64_t id,
                                 char *issuer, size_t issuersz, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int rc, mine = 0;

	if ((rc = store_directive_visible(st, actor, id, err)) < 0)
		return rc;
	role_mask_names(DIR_ROLES, roles, sizeof(roles));
	rc = sql_prepare(st, "SELECT d.issuer_code, CASE WHEN " SCOPE_SQL("d.issuer_path", "$2", "$3")
	                 " THEN 1 ELSE 0 END FROM directives d WHERE d.id = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	if ((rc = sql_step(s, err)) == 1) {
		mine = (int)sql_col_int64(s, 1);
		if (issuer && sql_col_copy(s, 0, issuer, issuersz, err) < 0)
			rc = THC_ESTORE;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (!mine)
		return error_set(err, THC_EFORBIDDEN,
		                 "chỉ đơn vị ban hành văn bản (hoặc cấp trên) được làm việc này",
		                 "only the issuing unit (or one above it) may do this");
	return 0;
}

/* ---- linking ---- */

struct dir_link {
	struct directive_link_in *in;
	char issuer[UNIT_CODE_MAX];
};

/* Does following `kind` links from `start` reach `goal`? */
static int dir_reaches(struct store *st, int64_t start, int64_t goal, const char *kind,
                       int *found, struct error *err)
{
	int64_t seen[DIR_CHAIN_MAX];
	size_t head = 0, tail = 0;
	int rc = 0;

	*found = 0;
	seen[tail++] = start;
	while (head < tail && !*found) {
		struct sql_stmt *s;
		int64_t at = seen[head++];

		if ((rc = sql_prepare(st, "SELECT to_id FROM directive_links WHERE from_id = $1"
		                      " AND kind = $2", &s, err)) < 0)
			return rc;
		sql_bind_int64(s, 1, at);
		sql_bind_text(s, 2, kind);
		while ((rc = sql_step(s, err)) == 1) {
			int64_t next = sql_col_int64(s, 0);
			int known = 0;

			*found |= next == goal;
			for (size_t i = 0; i < tail && !known; i++)
				known = seen[i] == next;
			if (!known && tail < DIR_CHAIN_MAX)
				seen[tail++] = next;
		}
		sql_done(s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A directive implements or replaces one issued on or before its own day. */
static int dir_link_later(struct store *st, int64_t from, int64_t to, const char *field,
                          struct error *err)
{
	char day[11] = "";
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT t.issued_on FROM directives f JOIN directives t ON t.id = $2"
	                 " WHERE f.id = $1 AND t.issued_on > f.issued_on", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, from);
	sql_bind_int64(s, 2, to);
	if ((rc = sql_step(s, err)) == 1 && sql_col_copy(s, 0, day, sizeof(day), err) < 0)
		rc = THC_ESTORE;
	sql_done(s);
	if (rc == 1)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': văn bản %lld ban hành ngày %s, sau văn bản này;"
		                    " chỉ thực hiện hoặc thay thế được văn bản ban hành trước",
		                    "field '%s': directive %lld was issued on %s, after this one; only"
		                    " one issued before may be implemented or replaced", field,
		                    (long long)to, day);
	return rc;
}

/* One link from in->id to `to`, checked; *added 1 when new. */
static int dir_link_one(struct store *st, struct store_audit *au, int64_t from, int64_t to,
                        const char *kind, const char *field, int *added, struct error *err)
{
	struct sql_stmt *s;
	int found, rc;

	*added = 0;
	if (to == from)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': văn bản không thể liên kết với chính nó",
		                    "field '%s': a directive cannot link to itself", field);
	if ((rc = store_directive_visible(st, au->actor, to, err)) < 0)
		return rc == THC_ENOTFOUND
		       ? error_set_at(err, THC_EUNPROCESSABLE, field,
		                      "trường '%s': không có văn bản %lld trong phạm vi của bạn",
		                      "field '%s': no directive %lld within your scope", field,
		                      (long long)to)
		       : rc;
	if ((rc = dir_link_later(st, from, to, field, err)) < 0 ||
	    (rc = dir_reaches(st, to, from, kind, &found, err)) < 0)
		return rc;
	if (found)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': văn bản %lld đã (gián tiếp) liên kết ngược lại văn bản này;"
		                    " liên kết sẽ tạo vòng",
		                    "field '%s': directive %lld already links (perhaps through others)"
		                    " back to this one; the link would make a cycle", field,
		                    (long long)to);
	rc = sql_prepare(st, "SELECT 1 FROM directive_links WHERE from_id = $1 AND to_id = $2"
	                 " AND kind = $3", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, from);
	sql_bind_int64(s, 2, to);
	sql_bind_text(s, 3, kind);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc != 0)                  /* already there: nothing to add */
		return rc < 0 ? rc : 0;
	rc = sql_prepare(st, "INSERT INTO directive_links (from_id, to_id, kind, created_by,"
	                 " created_at) VALUES ($1, $2, $3, $4, $5)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, from);
	sql_bind_int64(s, 2, to);
	sql_bind_text(s, 3, kind);
	sql_bind_text(s, 4, au->actor->username ? au->actor->username : "system");
	sql_bind_int64(s, 5, au->actor->now_ms);
	rc = sql_exec_stmt(s, NULL, err);
	if (rc == THC_ECONFLICT)      /* the one-replaces-one indexes */
		return error_set_at(err, THC_ECONFLICT, field,
		                    "trường '%s': văn bản này đã thay thế một văn bản khác, hoặc văn bản"
		                    " %lld đã được thay thế",
		                    "field '%s': this directive already replaces another, or directive"
		                    " %lld is already replaced", field, (long long)to);
	if (rc < 0)
		return rc;
	*added = 1;
	return 0;
}

static int dir_link_body(struct store *st, void *ctx, struct store_audit *au,
                         struct error *err)
{
	struct dir_link *C = ctx;
	struct directive_link_in *in = C->in;
	json_t *impl = json_array();
	char field[40];
	int added, rc;

	if (impl == NULL)
		return store_oom(err);
	for (size_t i = 0; i < in->nimplements; i++) {
		snprintf(field, sizeof(field), "implements[%zu]", i);
		if ((rc = dir_link_one(st, au, in->id, in->implements[i], "implements", field, &added,
		                       err)) < 0) {
			json_decref(impl);
			return rc;
		}
		in->added += (size_t)added;
		if (added)
			json_array_append_new(impl, json_integer(in->implements[i]));
	}
	if (in->replaces) {
		if ((rc = dir_link_one(st, au, in->id, in->replaces, "replaces", "replaces", &added,
		                       err)) < 0) {
			json_decref(impl);
			return rc;
		}
		in->added += (size_t)added;
	}
	if (in->added == 0) {
		json_decref(impl);
		au->unchanged = 1;
		return 0;
	}
	au->action = "directive.link";
	au->entity = "directive";
	store_audit_id(au, in->id);
	au->unit_code = arena_strdup(&au->arena, C->issuer);
	au->after = json_pack("{s:o,s:o}", "implements", impl, "replaces",
	                      in->replaces ? json_integer(in->replaces) : json_null());
	return au->after ? 0 : store_oom(err);
}

int store_directive_link(struct store *st, const struct store_actor *actor,
                         struct directive_link_in *in, struct error *err)
{
	struct dir_link C = { .in = in };
	int rc;

	in->added = 0;
	if ((rc = store_directive_issuer_check(st, actor, in->id, C.issuer, sizeof(C.issuer),
	                                       err)) < 0)
		return rc;
	for (size_t i = 0; i < in->nimplements; i++)
		for (size_t j = 0; j < i; j++)
			if (in->implements[i] == in->implements[j])
				return error_set_at(err, THC_EUNPROCESSABLE, "implements",
				                    "trường 'implements[%zu]': văn bản %lld đã có trong danh sách",
				                    "field 'implements[%zu]': directive %lld is listed twice",
				                    i, (long long)in->implements[i]);
	return store_write(st, actor, dir_link_body, &C, err);
}

/* ---- reading the links ---- */

#define DIR_REF_COLS "d.id, d.number, d.issued_on, d.issuer_code, u.name, d.title"

static void dir_ref_read(struct sql_stmt *s, int col, struct arena *a, struct directive_ref *r)
{
	r->id = sql_col_int64(s, col);
	r->number = arena_strdup(a, sql_col_text(s, col + 1));
	r->issued_on = arena_strdup(a, sql_col_text(s, col + 2));
	r->issuer_code = arena_strdup(a, sql_col_text(s, col + 3));
	r->issuer_name = arena_strdup(a, sql_col_text(s, col + 4));
	r->title = arena_strdup(a, sql_col_text(s, col + 5));
}

/* The visible directives on the other end of `kind` links: to (forward)
 * or from (backward) directive id. */
static int dir_link_side(struct store *st, const struct store_actor *actor, int64_t id,
                         const char *kind, int forward, struct arena *a,
                         struct directive_ref **out, size_t *n, struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	size_t cap = DIRECTIVE_LINKS_MAX * 5;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, cap * sizeof(**out))) == NULL)
		return store_oom(err);
	role_mask_names(DIR_ROLES, roles, sizeof(roles));
	rc = sql_prepare(st, forward
	                 ? "SELECT " DIR_REF_COLS " FROM directive_links l"
	                   " JOIN directives d ON d.id = l.to_id JOIN units u ON u.code = d.issuer_code"
	                   " WHERE l.from_id = $1 AND l.kind = $4 AND "
	                   DIR_VISIBLE_SQL("d", "$2", "$3") " ORDER BY d.issued_on, d.id LIMIT $5"
	                 : "SELECT " DIR_REF_COLS " FROM directive_links l"
	                   " JOIN directives d ON d.id = l.from_id JOIN units u ON u.code = d.issuer_code"
	                   " WHERE l.to_id = $1 AND l.kind = $4 AND "
	                   DIR_VISIBLE_SQL("d", "$2", "$3") " ORDER BY d.issued_on, d.id LIMIT $5",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	sql_bind_text(s, 4, kind);
	sql_bind_int64(s, 5, (int64_t)cap);
	while ((rc = sql_step(s, err)) == 1)
		dir_ref_read(s, 0, a, &(*out)[(*n)++]);
	sql_done(s);
	return rc < 0 ? rc : 0;
}

int store_directive_links(struct store *st, const struct store_actor *actor, int64_t id,
                          struct arena *a, struct directive_links *out, struct error *err)
{
	struct directive_ref *r;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_directive_visible(st, actor, id, err)) < 0 ||
	    (rc = dir_link_side(st, actor, id, "implements", 1, a, &out->implements,
	                        &out->nimplements, err)) < 0 ||
	    (rc = dir_link_side(st, actor, id, "implements", 0, a, &out->implemented_by,
	                        &out->nimplemented_by, err)) < 0)
		return rc;
	if ((rc = dir_link_side(st, actor, id, "replaces", 1, a, &r, &n, err)) < 0)
		return rc;
	if (n)
		out->replaces = r[0];
	if ((rc = dir_link_side(st, actor, id, "replaces", 0, a, &r, &n, err)) < 0)
		return rc;
	if (n)
		out->replaced_by = r[0];
	return 0;
}

/* ---- a unit's directives ---- */

#define DIR_LIST_FILTERS \
	" AND (CAST($2 AS TEXT) IS NULL OR lower(d.number) LIKE $2 ESCAPE '\\'" \
	" OR lower(d.title) LIKE $2 ESCAPE '\\')" \
	" AND (CAST($3 AS TEXT) IS NULL OR d.issued_on >= $3)" \
	" AND (CAST($4 AS TEXT) IS NULL OR d.issued_on <= $4)" \
	" AND (CAST($5 AS BIGINT) = 0 OR d.id < $5)"
#define DIR_LIST_TAIL \
	" GROUP BY d.id, d.number, d.issued_on, d.issuer_code, u.name, d.title" \
	" ORDER BY d.id DESC LIMIT $7"
#define DIR_LIST_COUNTS \
	", COUNT(tu.id), SUM(CASE WHEN tu.done_on IS NOT NULL THEN 1 ELSE 0 END)," \
	" SUM(CASE WHEN tu.id IS NOT NULL AND tu.done_on IS NULL AND tu.deadline < $6" \
	" THEN 1 ELSE 0 END), CASE WHEN " DIR_REPLACED_SQL("d") " THEN 1 ELSE 0 END"

/* "%q%" lower-cased (ASCII), with LIKE's own characters escaped. */
static const char *dir_like(struct arena *a, const char *q)
{
	size_t len = strlen(q), k = 0;
	char *out;

	if (q[0] == '\0' || (out = arena_alloc(a, 2 * len + 3)) == NULL)
		return NULL;
	out[k++] = '%';
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[k++] = '\\';
		out[k++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
	}
	out[k++] = '%';
	out[k] = '\0';
	return out;
}

int store_directive_list(struct store *st, const struct store_actor *actor,
                         const struct directive_list_q *q, struct arena *a,
                         struct directive_summary **out, size_t *n, int64_t *next,
                         struct error *err)
{
	struct sql_stmt *s;
	char today[11];
	size_t k = 0;
	int rc;

	*n = 0;
	*next = 0;
	if ((rc = store_scope_check(st, actor, q->unit_code, DIR_ROLES, err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, (q->limit + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	vndate_format_iso(vndate_from_days(q->today), today, sizeof(today));
	rc = sql_prepare(st, q->received
	                 ? "SELECT " DIR_REF_COLS DIR_LIST_COUNTS " FROM directives d"
	                   " JOIN units u ON u.code = d.issuer_code"
	                   " JOIN directive_tasks t ON t.directive_id = d.id"
	                   " JOIN task_units tu ON tu.task_id = t.id AND tu.unit_code = $1"
	                   " WHERE 1 = 1" DIR_LIST_FILTERS DIR_LIST_TAIL
	                 : "SELECT " DIR_REF_COLS DIR_LIST_COUNTS " FROM directives d"
	                   " JOIN units u ON u.code = d.issuer_code"
	                   " LEFT JOIN directive_tasks t ON t.directive_id = d.id AND t.parent_id IS NULL"
	                   " LEFT JOIN task_units tu ON tu.task_id = t.id"
	                   " WHERE d.issuer_code = $1" DIR_LIST_FILTERS DIR_LIST_TAIL, &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, q->unit_code);
	sql_bind_text(s, 2, q->q ? dir_like(a, q->q) : NULL);
	sql_bind_text(s, 3, q->from);
	sql_bind_text(s, 4, q->to);
	sql_bind_int64(s, 5, q->before);
	sql_bind_text(s, 6, today);
	sql_bind_int64(s, 7, (int64_t)q->limit + 1);
	while ((rc = sql_step(s, err)) == 1) {
		struct directive_summary *d = &(*out)[k];

		if (k == q->limit) {      /* one more than asked: there is a next page */
			*next = (*out)[k - 1].ref.id;
			continue;
		}
		dir_ref_read(s, 0, a, &d->ref);
		d->total = sql_col_int64(s, 6);
		d->done = sql_col_is_null(s, 7) ? 0 : sql_col_int64(s, 7);
		d->overdue = sql_col_is_null(s, 8) ? 0 : sql_col_int64(s, 8);
		d->replaced = (int)sql_col_int64(s, 9);
		if (d->replaced)
			d->overdue = 0;
		d->open = d->total - d->done - d->overdue;
		k++;
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}
