/*
 * Where a surveillance record sits: a commune, hamlet or household in the
 * actor's scope, with the path, commune and province its row denormalises.
 */
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/role.h"
#include "store/cases-private.h"
#include "base/banned.h"

const char *place_personal_roles(char *buf, size_t n)
{
	role_mask_names(ROLE_MASK_PERSONAL, buf, n);
	return buf;
}

int place_oom(struct error *err)
{
	return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

void place_week_end(const char *iso, char out[11])
{
	struct vndate d;

	vndate_parse(iso, &d);
	vndate_format_iso(vndate_from_days(vndate_week_end(vndate_to_days(d), 1)), out, 11);
}

int place_lookup(struct store *st, const struct store_actor *actor, unsigned mask,
                 const char *code, const char *field, struct place *pl,
                 struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	const char *path = NULL, *level = NULL;
	int rc;

	if (code && strcmp(pl->code, code) == 0 && pl->path[0])
		return 0;   /* imports: consecutive rows of one unit */
	memset(pl, 0, sizeof(*pl));
	role_mask_names(mask, roles, sizeof(roles));
	if ((rc = sql_prepare(st, "SELECT u.path, u.level FROM units u WHERE u.code = $1 AND "
	                      SCOPE_SQL("u.path", "$2", "$3"), &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	rc = sql_step(s, err);
	if (rc == 1) {
		path = sql_col_text(s, 0);
		level = sql_col_text(s, 1);
		snprintf(pl->path, sizeof(pl->path), "%s", path);
		rc = unit_level_from_name(level) >= UNIT_COMMUNE ? 1 : 2;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc != 1) {
		memset(pl, 0, sizeof(*pl));
		return error_set(err, rc == 0 ? THC_ENOTFOUND : THC_EUNPROCESSABLE,
		                 "trường '%s': không có xã, thôn hoặc hộ mã '%.40s' trong phạm vi của bạn",
		                 "field '%s': no commune, hamlet or household '%.40s' within your scope",
		                 field, code ? code : "");
	}
	/* "/01/001/00001/..." : province, district, commune */
	{
		const char *p = pl->path + 1, *q;
		int seg = 0;

		while (*p && seg < 3) {
			q = strchr(p, '/');
			if (q == NULL)
				break;
			if (seg == 0)
				snprintf(pl->province, sizeof(pl->province), "%.*s", (int)(q - p), p);
			if (seg == 2)
				snprintf(pl->commune, sizeof(pl->commune), "%.*s", (int)(q - p), p);
			p = q + 1;
			seg++;
		}
	}
	snprintf(pl->code, sizeof(pl->code), "%s", code);
	return 0;
}
