/*
 * Where a surveillance record sits: a commune, hamlet or household in the
 * actor's scope, with the path, commune and province its row denormalises.
 */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "base/vntime.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/cases-private.h"
#include "base/banned.h"

const char *place_personal_roles(char *buf, size_t n)
{
	role_mask_names(ROLE_MASK_PERSONAL, buf, n);
	return buf;
}

void place_week_end(const char *iso, char out[11])
{
	struct vndate d;

	vndate_parse(iso, &d);
	vndate_format_iso(vndate_from_days(vndate_week_end(vndate_to_days(d), 1)), out, 11);
}

void place_commune_of(const char *path, char *out, size_t outsz)
{
	/* "" on overflow: the caller then treats the person as another commune's. */
	(void)unit_path_code(path, 3, out, outsz);
}

int place_from_row(struct place *pl, const char *code, const char *path, const char *level,
                   const char *field, struct error *err)
{
	int rc = !path ? 0 : unit_level_from_name(level) >= UNIT_COMMUNE ? 1 : 2;

	memset(pl, 0, sizeof(*pl));
	if (rc != 1)
		return error_set_at(err, rc == 0 ? THC_ENOTFOUND : THC_EUNPROCESSABLE, field,
		                 "trường '%s': không có xã, thôn hoặc hộ mã '%.40s' trong phạm vi của bạn",
		                 "field '%s': no commune, hamlet or household '%.40s' within your scope",
		                 field, code ? code : "");
	if (text_copy(pl->path, sizeof(pl->path), path) < 0 ||
	    unit_path_code(pl->path, 1, pl->province, sizeof(pl->province)) < 0 ||
	    unit_path_code(pl->path, 3, pl->commune, sizeof(pl->commune)) < 0 ||
	    text_copy(pl->code, sizeof(pl->code), code) < 0) {
		memset(pl, 0, sizeof(*pl));
		return error_set(err, THC_ESTORE, "đường dẫn đơn vị '%.40s' không đúng dạng",
		                 "the path of unit '%.40s' is malformed", code ? code : "");
	}
	return 0;
}

int place_lookup(struct store *st, const struct store_actor *actor, unsigned mask,
                 const char *code, const char *field, struct place *pl,
                 struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if (code && strcmp(pl->code, code) == 0 && pl->path[0])
		return 0;   /* imports: consecutive rows of one unit */
	role_mask_names(mask, roles, sizeof(roles));
	if ((rc = sql_prepare(st, "SELECT u.path, u.level FROM units u WHERE u.code = $1 AND "
	                      SCOPE_SQL("u.path", "$2", "$3"), &s, err)) < 0) {
		memset(pl, 0, sizeof(*pl));
		return rc;
	}
	sql_bind_text(s, 1, code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	if ((rc = sql_step(s, err)) >= 0)
		rc = place_from_row(pl, code, rc == 1 ? sql_col_text(s, 0) : NULL,
		                    rc == 1 ? sql_col_text(s, 1) : NULL, field, err);
	else
		memset(pl, 0, sizeof(*pl));
	sql_done(s);
	return rc;
}
