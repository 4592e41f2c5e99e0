/*
 * Finding people and cases for the pickers: by ID number or case number
 * (digits, exactly) or by name, folded as units' names are (text_fold), so
 * that "nguyen van dung" finds "Nguyễn Văn Dũng" and "Đặng" is found by
 * "dang" on both backends alike.  Scope is part of the query itself.
 */
#include <jansson.h>
#include <string.h>

#include "base/parse.h"
#include "base/strbuf.h"
#include "base/text.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/cases-private.h"
#include "store/search.h"
#include "base/banned.h"

/*
 * The ways to look (search_way_of), each one statement that an index serves:
 * - a name of 3 characters or more: by its trigrams (schema step 22),
 *   SQLite's FTS5 finding the rows holding the text (MATCH, a phrase),
 *   PostgreSQL's pg_trgm answering LIKE itself; LIKE decides on both, so
 *   the answers are those of LIKE alone.  Names that begin with the text
 *   first, then those with a word that does, then the rest, each by name;
 * - a name of 2 letters (too short for trigrams): the names that begin
 *   with it (family names as Lê, Vũ, Đỗ), through the folded names in order;
 * - digits: an ID number exactly (its unique index), or a case number.
 * $1 uid, $2 roles, $3 the text, then per way as written; the last is the
 * limit.
 */
#define PERSON_SQL "SELECT p.id, p.id, p.full_name, p.id_number, p.unit_code, u.name," \
	" p.birth_year, NULL, NULL, (SELECT MAX(k.id) FROM cases k WHERE k.person_id = p.id" \
	" AND " SCOPE_SQL("k.unit_path", "$1", "$2") ") FROM people p JOIN units u ON u.code = p.unit_code" \
	" WHERE p.merged_into IS NULL AND " SCOPE_SQL("p.unit_path", "$1", "$2")
#define CASE_SQL "SELECT c.id, p.id, p.full_name, p.id_number, c.unit_code, u.name," \
	" p.birth_year, c.detected_on, c.outcome, c.id FROM cases c JOIN people p ON p.id = c.person_id" \
	" JOIN units u ON u.code = c.unit_code WHERE " SCOPE_SQL("c.unit_path", "$1", "$2")
#define BY_LIKE " AND p.full_name_folded LIKE ('%' || CAST($3 AS TEXT) || '%')"
#define BY_FTS " AND p.id IN (SELECT rowid FROM people_name_fts WHERE people_name_fts MATCH" \
	" ('\"' || replace(CAST($3 AS TEXT), '\"', '\"\"') || '\"'))" BY_LIKE
#define BY_START " AND p.full_name_folded >= CAST($3 AS TEXT) AND p.full_name_folded < CAST($4 AS TEXT)"
#define NAME_RANK " ORDER BY CASE WHEN substr(p.full_name_folded, 1, length(CAST($3 AS TEXT)))" \
	" = CAST($3 AS TEXT) THEN 0 WHEN (' ' || p.full_name_folded) LIKE ('% ' || CAST($3 AS TEXT) || '%')" \
	" THEN 1 ELSE 2 END, p.full_name_folded, "

/* x: EXPLAIN or nothing; by_name: how trigrams are found on the backend. */
#define SEARCH_SQL(x, by_name) { \
	[SEARCH_PERSON] = { \
		[SEARCH_BY_NAME] = x PERSON_SQL by_name NAME_RANK "p.id LIMIT $4", \
		[SEARCH_BY_START] = x PERSON_SQL BY_START " ORDER BY p.full_name_folded, p.id LIMIT $5", \
		[SEARCH_BY_NUMBER] = x PERSON_SQL " AND p.id_number = CAST($3 AS TEXT)" \
			" ORDER BY p.full_name_folded, p.id LIMIT $4", \
	}, \
	[SEARCH_CASE] = { \
		[SEARCH_BY_NAME] = x CASE_SQL by_name NAME_RANK "c.id DESC LIMIT $4", \
		[SEARCH_BY_START] = x CASE_SQL BY_START " ORDER BY p.full_name_folded, c.id DESC LIMIT $5", \
		/* $4 the case number (-1: none) */ \
		[SEARCH_BY_NUMBER] = x CASE_SQL " AND c.id IN (SELECT CAST($4 AS BIGINT) UNION" \
			" SELECT k.id FROM cases k JOIN people q ON q.id = k.person_id" \
			" WHERE q.id_number = CAST($3 AS TEXT)) ORDER BY c.id DESC LIMIT $5", \
	}, \
}

/* Per backend (0 SQLite, 1 PostgreSQL), the statements and their plans:
 * the drivers cache statements by the address of their text, which must
 * be static. */
static const char *const search_sql[2][2][SEARCH_WAYS] = {
	SEARCH_SQL("", BY_FTS), SEARCH_SQL("", BY_LIKE),
};
static const char *const search_sql_plan[2][2][SEARCH_WAYS] = {
	SEARCH_SQL("EXPLAIN QUERY PLAN ", BY_FTS), SEARCH_SQL("EXPLAIN ", BY_LIKE),
};

enum search_way search_way_of(const char *folded)
{
	size_t chars = 0;

	for (const char *p = folded; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	return chars >= 3 ? SEARCH_BY_NAME : SEARCH_BY_START;
}

struct search_run {
	enum search_kind kind;
	enum search_way way;
	const char *text;             /* folded name, or digits */
	char upto[4];                 /* SEARCH_BY_START: the first text after its names */
	int64_t number;               /* the case number asked for; -1: none */
	int limit;
	struct arena *a;
	struct search_hit *out;
	size_t n;
};

static void search_from_row(struct sql_stmt *s, struct arena *a, struct search_hit *h)
{
	memset(h, 0, sizeof(*h));
	h->id = sql_col_int64(s, 0);
	h->person_id = sql_col_int64(s, 1);
	h->full_name = arena_strdup(a, sql_col_text(s, 2));
	h->id_number = arena_strdup(a, sql_col_text(s, 3));
	h->unit_code = arena_strdup(a, sql_col_text(s, 4));
	h->unit_name = arena_strdup(a, sql_col_text(s, 5));
	h->birth_year = sql_col_is_null(s, 6) ? -1 : sql_col_int64(s, 6);
	h->detected_on = arena_strdup(a, sql_col_text(s, 7));
	h->outcome = arena_strdup(a, sql_col_text(s, 8));
	h->case_id = sql_col_is_null(s, 9) ? 0 : sql_col_int64(s, 9);
}

/* Binds S's values to s, a statement of search_sql[S->kind][S->way]. */
static void search_bind(struct sql_stmt *s, const struct search_run *S, int64_t uid, char *roles,
                        size_t rolesz)
{
	int k = 4;

	sql_bind_int64(s, 1, uid);
	sql_bind_text(s, 2, place_personal_roles(roles, rolesz));
	sql_bind_text(s, 3, S->text);
	if (S->way == SEARCH_BY_START)
		sql_bind_text(s, k++, S->upto);
	else if (S->way == SEARCH_BY_NUMBER && S->kind == SEARCH_CASE)
		sql_bind_int64(s, k++, S->number);
	sql_bind_int64(s, k, S->limit);
}

static int search_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct search_run *S = ctx;
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, search_sql[strcmp(sql_backend(st), "postgres") == 0][S->kind][S->way],
	                      &s, err)) < 0)
		return rc;
	search_bind(s, S, store_actor_uid(au->actor), roles, sizeof(roles));
	while (S->n < (size_t)S->limit && (rc = sql_step(s, err)) == 1)
		search_from_row(s, S->a, &S->out[S->n++]);
	sql_done(s);
	if (rc < 0)
		return rc;
	/* The text searched is not kept: it may be an ID number. */
	au->action = S->kind == SEARCH_CASE ? "cases.search" : "people.search";
	au->entity = S->kind == SEARCH_CASE ? "case" : "person";
	au->unit_code = UNIT_COUNTRY_CODE;
	if ((au->after = json_pack("{s:I}", "rows", (json_int_t)S->n)) == NULL)
		return store_oom(err);
	return 0;
}

/* "#12", "12", "0790 1234 5678": the digits alone; NULL when q has others. */
static char *search_digits(const char *q, struct arena *a)
{
	size_t len = strlen(q), k = 0;
	char *d = arena_alloc(a, len + 1);

	if (d == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (q[i] >= '0' && q[i] <= '9')
			d[k++] = q[i];
		else if (q[i] != ' ' && q[i] != '.' && q[i] != '-' && !(q[i] == '#' && k == 0))
			return NULL;
	}
	d[k] = '\0';
	return k ? d : NULL;
}

/*
 * How q is looked for (S->way, S->text); 0 when it is too short to look
 * for: one byte, or two that are not letters or digits of ASCII.
 */
static int search_plan_way(struct search_run *S, const char *q, struct arena *a)
{
	size_t len = strlen(q);
	char *f, *d = search_digits(q, a);

	if (d) {
		int64_t v;

		S->way = SEARCH_BY_NUMBER;
		S->text = d;
		/* A case number is short; an ID number is 9 or 12 digits. */
		if (strlen(d) <= 9 && parse_int64(d, 1, INT64_MAX, &v) == 0)
			S->number = v;
		return 1;
	}
	if ((f = arena_alloc(a, 3 * len + 2)) == NULL)
		return -1;
	text_fold(q, f, 3 * len + 2);
	S->text = f;
	if ((S->way = search_way_of(f)) != SEARCH_BY_START)
		return strlen(f) >= 2;       /* as before: one byte finds nothing */
	if (strlen(f) != 2 || (unsigned char)f[0] >= 0x7f || (unsigned char)f[1] >= 0x7e)
		return 0;
	S->upto[0] = f[0];
	S->upto[1] = (char)(f[1] + 1);      /* every name beginning with f sorts below */
	S->upto[2] = '\0';
	return 1;
}

static int search_start(struct search_run *S, const char *q, int limit, struct error *err)
{
	int rc;

	if (limit < 1 || limit > SEARCH_LIMIT_MAX || strlen(q) > SEARCH_Q_MAX)
		return error_set(err, THC_EINVAL, "tìm kiếm: tối đa %d kết quả, %d byte",
		                 "search: at most %d results of %d bytes", SEARCH_LIMIT_MAX,
		                 SEARCH_Q_MAX);
	if ((S->out = arena_alloc(S->a, (size_t)limit * sizeof(*S->out))) == NULL ||
	    (rc = search_plan_way(S, q, S->a)) < 0)
		return store_oom(err);
	return rc;
}

int store_search(struct store *st, const struct store_actor *actor, enum search_kind kind,
                 const char *q, int limit, struct arena *a, struct search_hit **out,
                 size_t *n, struct error *err)
{
	struct search_run S = { .kind = kind, .number = -1, .limit = limit, .a = a };
	int rc;

	*n = 0;
	*out = NULL;
	if ((rc = search_start(&S, q, limit, err)) < 0)
		return rc;
	if (rc == 0) {
		*out = S.out;
		return 0;             /* too short to search: nothing */
	}
	if ((rc = store_write(st, actor, search_body, &S, err)) < 0)
		return rc;
	*out = S.out;
	*n = S.n;
	return 0;
}

/* The plan's lines; on PostgreSQL with sequential scans priced out when
 * indexed_only (inside a transaction that the caller rolls back). */
static int search_explain_run(struct store *st, struct search_run *S, int64_t uid,
                              int indexed_only, struct strbuf *plan, struct error *err)
{
	int pg = strcmp(sql_backend(st), "postgres") == 0;
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if (pg && indexed_only && (rc = sql_exec(st, "SET LOCAL enable_seqscan = off", err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, search_sql_plan[pg][S->kind][S->way], &s, err)) < 0)
		return rc;
	search_bind(s, S, uid, roles, sizeof(roles));
	while ((rc = sql_step(s, err)) == 1)
		if (strbuf_adds(plan, sql_col_text(s, pg ? 0 : 3)) < 0 || strbuf_addch(plan, '\n') < 0)
			rc = store_oom(err);
	sql_done(s);
	return rc;
}

int store_search_explain(struct store *st, const struct store_actor *actor,
                         enum search_kind kind, const char *q, int indexed_only,
                         struct arena *a, struct strbuf *plan, struct error *err)
{
	struct search_run S = { .kind = kind, .number = -1, .limit = SEARCH_LIMIT_MAX, .a = a };
	int rc;

	if ((rc = search_start(&S, q, S.limit, err)) <= 0)
		return rc;
	if ((rc = sql_begin(st, 0, err)) < 0)
		return rc;
	rc = search_explain_run(st, &S, store_actor_uid(actor), indexed_only, plan, err);
	sql_rollback(st);
	return rc;
}

int store_search_indexed(struct store *st, int *indexed, struct error *err)
{
	struct sql_stmt *s;
	int64_t n = 0;
	int rc;

	*indexed = 0;
	rc = sql_prepare(st, strcmp(sql_backend(st), "postgres") == 0
	                 ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN"
	                   " ('people_name_trgm_idx', 'units_name_trgm_idx')"
	                 : "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
	                   " ('people_name_fts', 'units_name_fts')", &s, err);
	if (rc < 0 || (rc = sql_exec_stmt(s, &n, err)) < 0)
		return rc;
	*indexed = n == 2;
	return 0;
}
