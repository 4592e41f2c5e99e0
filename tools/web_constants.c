/*
 * web_constants OUT.js UNITS_DIR: writes the web application's constants as
 * an ES module from the C tables the server uses (level names and colours,
 * roles and what each may do, unit levels, hamlet types) and the published
 * level dates of data/levels_published.csv, so that the two can never
 * differ.  Run at build time (CMakeLists.txt) before the bundle is made.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "domain/level.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "base/banned.h"

#define DATES_MAX 256

static json_t *pair(const char *vi, const char *en)
{
	return json_pack("{s:s,s:s}", "vi", vi, "en", en);
}

static json_t *levels(void)
{
	json_t *a = json_array();

	for (int l = LEVEL_NONE; l <= LEVEL_MAX; l++)
		json_array_append_new(a, json_pack("{s:i,s:s,s:s,s:o,s:o}", "level", l,
		                      "colour", level_colour(l), "hex", level_colour_hex(l),
		                      "name", pair(level_name(l, 0), level_name(l, 1)),
		                      "colour_name", pair(level_colour_name(l, 0),
		                                          level_colour_name(l, 1))));
	return a;
}

/* Each role with its titles and the masks the web application asks about. */
static json_t *roles(void)
{
	static const struct { const char *name; unsigned mask; } masks[] = {
		{ "official", ROLE_MASK_OFFICIALS },
		{ "personal", ROLE_MASK_PERSONAL },
		{ "household_write", ROLE_MASK_HOUSEHOLD_WRITE },
		{ "household_read", ROLE_MASK_HOUSEHOLD_READ },
		{ "audit_read", ROLE_MASK_AUDIT_READ },
		{ "supervise", ROLE_MASK_SUPERVISE },
	};
	json_t *a = json_array();

	for (int r = 0; r < ROLE_COUNT; r++) {
		json_t *o = json_pack("{s:s,s:o}", "name", role_name((enum role)r),
		                      "title", pair(role_title((enum role)r, 0), role_title((enum role)r, 1)));

		for (size_t k = 0; k < ARRAY_SIZE(masks); k++)
			json_object_set_new(o, masks[k].name, json_boolean(masks[k].mask & ROLE_BIT(r)));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *unit_levels(void)
{
	json_t *a = json_array();

	for (int l = UNIT_PROVINCE; l < UNIT_LEVEL_COUNT; l++)
		json_array_append_new(a, json_pack("{s:s,s:o}", "name",
		                      unit_level_name((enum unit_level)l), "title",
		                      pair(unit_level_title((enum unit_level)l, 0),
		                           unit_level_title((enum unit_level)l, 1))));
	return a;
}

static json_t *hamlet_types(void)
{
	json_t *a = json_array();

	for (int i = 0; unit_hamlet_type_name(i); i++)
		json_array_append_new(a, json_string(unit_hamlet_type_name(i)));
	return a;
}

static int date_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The distinct dates of levels_published.csv, ascending. */
static json_t *published(const char *path, struct error *err)
{
	struct csv_limits lim = CSV_LIMITS_DEFAULT;
	struct csv_reader *r = NULL;
	struct csv_record rec;
	char *dates[DATES_MAX];
	size_t n = 0;
	int col = -1, rc;
	json_t *a = NULL;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		error_set(err, THC_EIO, "không mở được '%s'", "cannot open '%s'", path);
		return NULL;
	}
	if ((rc = csv_open_file(&r, f, &lim, err)) < 0 || (rc = csv_next(r, &rec, err)) < 1)
		goto out;
	for (size_t i = 0; i < rec.nfields; i++)
		if (strcmp(rec.fields[i], "date") == 0)
			col = (int)i;
	while (col >= 0 && (rc = csv_next(r, &rec, err)) == 1) {
		size_t k;

		if ((size_t)col >= rec.nfields)
			continue;
		for (k = 0; k < n && strcmp(dates[k], rec.fields[col]) != 0; k++)
			;
		if (k == n && n < DATES_MAX && (dates[n] = strdup(rec.fields[col])) != NULL)
			n++;
	}
	if (rc < 0 || col < 0)
		goto out;
	qsort(dates, n, sizeof(*dates), date_cmp);
	a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, json_string(dates[k]));
out:
	for (size_t k = 0; k < n; k++)
		free(dates[k]);
	csv_free(r);
	fclose(f);
	if (a == NULL && err->code == 0)
		error_set(err, THC_EINVAL, "'%s' không có cột date", "'%s' has no date column", path);
	return a;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "LEVELS", "ROLES", "UNIT_LEVELS", "HAMLET_TYPES",
	                                     "PUBLISHED_DATES" };
	struct error err = ERROR_INIT;
	char path[1024];
	json_t *v[5];
	FILE *out;
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: web_constants OUT.js DATA_DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/levels_published.csv", argv[2]);
	v[0] = levels();
	v[1] = roles();
	v[2] = unit_levels();
	v[3] = hamlet_types();
	if ((v[4] = published(path, &err)) == NULL) {
		fprintf(stderr, "web_constants: %s\n", err.en);
		return 1;
	}
	if ((out = fopen(argv[1], "w")) == NULL) {
		fprintf(stderr, "web_constants: cannot write %s\n", argv[1]);
		return 1;
	}
	fprintf(out, "// Generated at build time by tools/web_constants.c from the server's own\n"
	        "// tables and data/levels_published.csv: do not edit.\n");
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		char *s = json_dumps(v[i], JSON_COMPACT | JSON_ENSURE_ASCII);

		if (s == NULL || fprintf(out, "export const %s = %s;\n", names[i], s) < 0)
			rc = 1;
		free(s);
		json_decref(v[i]);
	}
	if (fclose(out) != 0)
		rc = 1;
	return rc;
}
