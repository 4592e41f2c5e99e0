/*
 * The loader of data/business/risk-2194.json (domain/business.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "domain/business.h"
#include "base/banned.h"

int cli_business_load(const char *path, struct business_risk_rules **out, struct error *err)
{
	char *text;
	size_t len;
	FILE *f = fopen(path, "rb");
	int rc;

	*out = NULL;
	if (f == NULL)
		return error_set(err, THC_EIO, "không mở được '%s'", "cannot open '%s'", path);
	if ((text = malloc(BUSINESS_RULES_MAX_BYTES + 1)) == NULL) {
		fclose(f);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	len = fread(text, 1, BUSINESS_RULES_MAX_BYTES + 1, f);
	fclose(f);
	if ((rc = business_risk_parse(text, len, out, err)) < 0)
		error_prefix(err, "%s: ", "%s: ", path);
	free(text);
	return rc;
}
