/*
 * New cases of a bulk import by COPY (a backend that takes it): the rows a
 * multi-row INSERT would write, as one COPY text, so the server parses no
 * statement of a thousand parameters per few dozen rows.  The same columns
 * and values as case_import.c's INSERT; a failure fails the whole COPY and
 * the caller runs the rows again one by one to name the line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/text.h"
#include "domain/case.h"
#include "store/cases-private.h"
#include "base/banned.h"

#define CASE_COPY_CAP (16u << 20)   /* far above IMPORT_CHUNK rows of at most ~2 KB */

static const char case_copy_sql[] =
	"COPY cases (external_id, person_id, unit_code, unit_path, commune_code, province_code,"
	" detected_on, detected_week, test_type, source, severity, needs_oxygen, care_place,"
	" outcome, outcome_on, outcome_week, cluster_id, infected_by, created_at, updated_at,"
	" created_by) FROM STDIN";

static int copy_id(struct strbuf *sb, int64_t v)
{
	return v > 0 ? strbuf_addf(sb, "%" PRId64 "\t", v) : strbuf_adds(sb, "\\N\t");
}

int case_copy_insert(struct store *st, const struct store_actor *actor,
                     const struct case_rec *const *c, const struct place *const *pl,
                     const int64_t *person, size_t n, struct error *err)
{
	struct strbuf sb = STRBUF_INIT(CASE_COPY_CAP);
	const char *user = actor->username ? actor->username : "system";
	char wk[11], owk[11], stamp[64];
	int rc = 0;

	snprintf(stamp, sizeof(stamp), "%" PRId64 "\t%" PRId64 "\t", actor->now_ms, actor->now_ms);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct case_rec *r = c[i];
		int out = r->outcome_on && r->outcome_on[0];

		place_week_end(r->detected_on, wk);
		if (out)
			place_week_end(r->outcome_on, owk);
		if ((rc = sql_copy_field(&sb, place_nz(r->external_id), 0)) < 0 ||
		    (rc = strbuf_addf(&sb, "%" PRId64 "\t", person[i])) < 0 ||
		    (rc = sql_copy_field(&sb, pl[i]->code, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, pl[i]->path, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, pl[i]->commune, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, pl[i]->province, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, r->detected_on, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, wk, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, r->test_type, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, r->source, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, place_nz(r->severity) ? r->severity : "asymptomatic", 0)) < 0 ||
		    (rc = sql_copy_field(&sb, r->needs_oxygen || case_severity_needs_oxygen(r->severity)
		                         ? "1" : "0", 0)) < 0 ||
		    (rc = sql_copy_field(&sb, place_nz(r->care_place) ? r->care_place : "home", 0)) < 0 ||
		    (rc = sql_copy_field(&sb, place_nz(r->outcome), 0)) < 0 ||
		    (rc = sql_copy_field(&sb, out ? r->outcome_on : NULL, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, out ? owk : NULL, 0)) < 0 ||
		    (rc = copy_id(&sb, r->cluster_id)) < 0 ||
		    (rc = copy_id(&sb, r->infected_by)) < 0 ||
		    (rc = strbuf_adds(&sb, stamp)) < 0)
			break;
		rc = sql_copy_field(&sb, user, 1);
	}
	if (rc < 0)
		rc = error_set(err, rc == THC_ETOOBIG ? THC_ETOOBIG : THC_ENOMEM,
		               "không dựng được dữ liệu COPY của ca bệnh",
		               "cannot build the COPY data of the cases");
	else
		rc = sql_copy_in(st, case_copy_sql, sb.buf, sb.len, err);
	strbuf_release(&sb);
	return rc;
}

static const char people_copy_sql[] =
	"COPY people (id, full_name, full_name_folded, id_number, birth_year, sex, phone,"
	" unit_code, unit_path, commune_code, province_code, address, created_at, updated_at)"
	" FROM STDIN";

/* n ids of people's sequence, in the order it gives them. */
static int copy_people_ids(struct store *st, size_t n, int64_t *ids, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((rc = sql_prepare(st, "SELECT nextval((SELECT CAST(pg_get_serial_sequence('people', 'id')"
	                      " AS REGCLASS))) FROM generate_series(1, CAST($1 AS INTEGER))", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, (int64_t)n);
	while ((rc = sql_step(s, err)) == 1)
		if (k < n)
			ids[k++] = sql_col_int64(s, 0);
	sql_done(s);
	if (rc == 0 && k != n)
		rc = error_set(err, THC_EINTERNAL, "người: %zu/%zu mã", "people: %zu of %zu ids", k, n);
	return rc;
}

int case_copy_people(struct store *st, const struct store_actor *actor,
                     const struct person *const *p, const struct place *const *pl,
                     size_t n, int64_t *ids, struct error *err)
{
	struct strbuf sb = STRBUF_INIT(CASE_COPY_CAP);
	char folded[3 * CASE_NAME_MAX + 1], stamp[64], by[24];
	int rc;

	if (n == 0)
		return 0;
	if ((rc = copy_people_ids(st, n, ids, err)) < 0)
		return rc;
	snprintf(stamp, sizeof(stamp), "%" PRId64 "\t%" PRId64 "\n", actor->now_ms, actor->now_ms);
	for (size_t i = 0; i < n && rc == 0; i++) {
		text_fold(p[i]->full_name, folded, sizeof(folded));
		snprintf(by, sizeof(by), "%" PRId64, p[i]->birth_year);
		if ((rc = strbuf_addf(&sb, "%" PRId64 "\t", ids[i])) < 0 ||
		    (rc = sql_copy_field(&sb, p[i]->full_name, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, folded, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, place_nz(p[i]->id_number), 0)) < 0 ||
		    (rc = sql_copy_field(&sb, p[i]->birth_year >= 0 ? by : NULL, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, place_nz(p[i]->sex), 0)) < 0 ||
		    (rc = sql_copy_field(&sb, place_nz(p[i]->phone), 0)) < 0 ||
		    (rc = sql_copy_field(&sb, pl[i]->code, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, pl[i]->path, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, pl[i]->commune, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, pl[i]->province, 0)) < 0 ||
		    (rc = sql_copy_field(&sb, place_nz(p[i]->address), 0)) < 0)
			break;
		rc = strbuf_adds(&sb, stamp);
	}
	if (rc < 0)
		rc = error_set(err, rc == THC_ETOOBIG ? THC_ETOOBIG : THC_ENOMEM,
		               "không dựng được dữ liệu COPY của người",
		               "cannot build the COPY data of the people");
	else
		rc = sql_copy_in(st, people_copy_sql, sb.buf, sb.len, err);
	strbuf_release(&sb);
	return rc;
}
