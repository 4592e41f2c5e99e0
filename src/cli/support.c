/*
 * The loader of the support programmes: every *.json file of
 * <data>/support, in name order, one programme each.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/support.h"
#include "base/banned.h"

static int support_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int support_load_file(struct support_catalog *c, const char *path, struct error *err)
{
	char *text = malloc(SUPPORT_FILE_MAX_BYTES + 1);
	FILE *f = fopen(path, "rb");
	size_t len;
	int rc;

	if (f == NULL || text == NULL) {
		if (f)
			fclose(f);
		free(text);
		return error_set(err, THC_EIO, "không mở được '%s'", "cannot open '%s'", path);
	}
	len = fread(text, 1, SUPPORT_FILE_MAX_BYTES + 1, f);
	fclose(f);
	rc = len > SUPPORT_FILE_MAX_BYTES
	     ? error_set(err, THC_ETOOBIG, "tệp quá lớn", "the file is too large")
	     : support_catalog_add(c, text, len, err);
	if (rc < 0)
		error_prefix(err, "%s: ", "%s: ", path);
	free(text);
	return rc;
}

/* Every *.json of dir, in name order, into c. */
static int support_load_dir(struct support_catalog *c, const char *dir, struct error *err)
{
	char path[1300], *names[SUPPORT_PROGRAMMES_MAX];
	struct dirent *e;
	size_t n = 0;
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return error_set(err, THC_EIO, "không mở được '%s'", "cannot open '%s'", dir);
	while ((e = readdir(d)) != NULL && n < SUPPORT_PROGRAMMES_MAX) {
		size_t l = strlen(e->d_name);

		if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0 && e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), support_name_cmp);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (rc == 0 && names[i])
			rc = support_load_file(c, path, err);
		free(names[i]);
	}
	return rc;
}

/* data/support, then the directory THC_SUPPORT_EXTRA names, if any: a
 * province's own programmes kept beside the shipped ones (and the tests'
 * programme still open for applications). */
int cli_support_load(struct support_catalog **out, struct error *err)
{
	struct support_catalog *c = support_catalog_new();
	const char *extra = getenv("THC_SUPPORT_EXTRA");
	char dir[1024];
	int rc;

	*out = NULL;
	if (c == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if ((rc = cli_data_path(cli_data_dir(), "support", dir, sizeof(dir), err)) == 0)
		rc = support_load_dir(c, dir, err);
	if (rc == 0 && extra && extra[0])
		rc = support_load_dir(c, extra, err);
	if (rc == 0)
		rc = support_catalog_check(c, err);
	if (rc < 0) {
		support_catalog_free(c);
		return rc;
	}
	*out = c;
	return 0;
}
