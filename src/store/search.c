/*
 * Finding people and cases for the pickers: by ID number or case number
 * (digits, exactly) or by name, folded as units' names are (text_fold), so
 * that "nguyen van dung" finds "Nguyễn Văn Dũng" and "Đặng" is found by
 * "dang" on both backends alike.  Scope is part of the query itself.
 */
#include <jansson.h>
#include <string.h>

#include "base/parse.h"
#include "base/text.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/cases-private.h"
#include "store/search.h"
#include "base/banned.h"

/* $1 uid, $2 roles, $3 folded name or NULL, $4 digits or NULL, then for
 * cases $5 the case number (-1: none); the last is the limit. */
static const char *const search_sql[] = {
	[SEARCH_PERSON] = "SELECT p.id, p.id, p.full_name, p.id_number, p.unit_code, u.name,"
		" p.birth_year, NULL, NULL, (SELECT MAX(k.id) FROM cases k WHERE k.person_id = p.id"
		" AND " SCOPE_SQL("k.unit_path", "$1", "$2") ") FROM people p JOIN units u ON u.code = p.unit_code"
		" WHERE p.merged_into IS NULL AND " SCOPE_SQL("p.unit_path", "$1", "$2")
		" AND ((CAST($3 AS TEXT) IS NOT NULL AND p.full_name_folded LIKE ('%' || CAST($3 AS TEXT) || '%'))"
		" OR (CAST($4 AS TEXT) IS NOT NULL AND p.id_number = CAST($4 AS TEXT)))"
		" ORDER BY p.full_name_folded, p.id LIMIT $5",
	[SEARCH_CASE] = "SELECT c.id, p.id, p.full_name, p.id_number, c.unit_code, u.name,"
		" p.birth_year, c.detected_on, c.outcome, c.id FROM cases c JOIN people p ON p.id = c.person_id"
		" JOIN units u ON u.code = c.unit_code"
		" WHERE " SCOPE_SQL("c.unit_path", "$1", "$2")
		" AND ((CAST($3 AS TEXT) IS NOT NULL AND p.full_name_folded LIKE ('%' || CAST($3 AS TEXT) || '%'))"
		" OR (CAST($4 AS TEXT) IS NOT NULL AND p.id_number = CAST($4 AS TEXT))"
		" OR c.id = CAST($5 AS BIGINT))"
		" ORDER BY c.id DESC LIMIT $6",
};

struct search_run {
	enum search_kind kind;
	const char *folded, *digits;
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

static int search_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct search_run *S = ctx;
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, search_sql[S->kind], &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(au->actor));
	sql_bind_text(s, 2, place_personal_roles(roles, sizeof(roles)));
	sql_bind_text(s, 3, S->folded);
	sql_bind_text(s, 4, S->digits);
	if (S->kind == SEARCH_CASE)
		sql_bind_int64(s, 5, S->number);
	sql_bind_int64(s, S->kind == SEARCH_CASE ? 6 : 5, S->limit);
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

int store_search(struct store *st, const struct store_actor *actor, enum search_kind kind,
                 const char *q, int limit, struct arena *a, struct search_hit **out,
                 size_t *n, struct error *err)
{
	struct search_run S = { .kind = kind, .number = -1, .limit = limit, .a = a };
	size_t len = strlen(q);
	int rc;

	*n = 0;
	*out = NULL;
	if (limit < 1 || limit > SEARCH_LIMIT_MAX || len > SEARCH_Q_MAX)
		return error_set(err, THC_EINVAL, "tìm kiếm: tối đa %d kết quả, %d byte",
		                 "search: at most %d results of %d bytes", SEARCH_LIMIT_MAX,
		                 SEARCH_Q_MAX);
	if ((S.out = arena_alloc(a, (size_t)limit * sizeof(*S.out))) == NULL)
		return store_oom(err);
	S.digits = search_digits(q, a);
	if (S.digits) {
		int64_t v;

		/* A case number is short; an ID number is 9 or 12 digits. */
		if (strlen(S.digits) <= 9 && parse_int64(S.digits, 1, INT64_MAX, &v) == 0)
			S.number = v;
	} else {
		char *f = arena_alloc(a, 3 * len + 2);

		if (f == NULL)
			return store_oom(err);
		text_fold(q, f, 3 * len + 2);
		if (strlen(f) < 2) {
			*out = S.out;
			return 0;             /* too short to search: nothing */
		}
		S.folded = f;
	}
	if ((rc = store_write(st, actor, search_body, &S, err)) < 0)
		return rc;
	*out = S.out;
	*n = S.n;
	return 0;
}
