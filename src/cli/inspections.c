/*
 * The loader of the inspection checklist templates: every *.json file of
 * data/inspections, in name order, so that the list the API shows is
 * stable.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/inspection.h"
#include "base/banned.h"

#define INSP_FILE_NAME_MAX 128

static int insp_name_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static int insp_load_file(struct insp_templates *t, const char *dir, const char *name,
                          struct error *err)
{
	char path[1024], *text;
	size_t len;
	FILE *f;
	int rc;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return error_set(err, THC_ETOOBIG, "đường dẫn quá dài", "path too long");
	if ((f = fopen(path, "rb")) == NULL)
		return error_set(err, THC_EIO, "không mở được '%s'", "cannot open '%s'", path);
	if ((text = malloc(INSP_TEMPLATE_MAX_BYTES + 1)) == NULL) {
		fclose(f);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	len = fread(text, 1, INSP_TEMPLATE_MAX_BYTES + 1, f);
	fclose(f);
	if ((rc = insp_templates_add(t, text, len, err)) < 0)
		error_prefix(err, "%s: ", "%s: ", path);
	free(text);
	return rc;
}

int cli_inspections_load(const char *dir, struct insp_templates **out, struct error *err)
{
	char (*names)[INSP_FILE_NAME_MAX] = NULL;
	struct insp_templates *t = NULL;
	size_t n = 0;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	*out = NULL;
	if ((d = opendir(dir)) == NULL)
		return error_set(err, THC_EIO, "không mở được thư mục '%s'", "cannot open directory '%s'",
		                 dir);
	if ((names = calloc(INSP_TEMPLATES_MAX, sizeof(*names))) == NULL) {
		closedir(d);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 6 || len >= INSP_FILE_NAME_MAX || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if (n == INSP_TEMPLATES_MAX) {
			rc = error_set(err, THC_ETOOBIG, "'%s': quá %d mẫu", "'%s': more than %d templates",
			               dir, INSP_TEMPLATES_MAX);
			break;
		}
		memcpy(names[n++], e->d_name, len + 1);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), insp_name_cmp);
	if (rc == 0)
		rc = insp_templates_new(&t, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = insp_load_file(t, dir, names[i], err);
	free(names);
	if (rc < 0) {
		insp_templates_free(t);
		return rc;
	}
	*out = t;
	return 0;
}
