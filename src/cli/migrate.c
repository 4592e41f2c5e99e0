/* thichung migrate --db PATH */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "base/banned.h"

static void migrate_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage: thichung migrate --db PATH\n"
	        "  Cập nhật lược đồ cơ sở dữ liệu / apply pending schema migrations\n");
}

int cli_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct error err = ERROR_INIT;
	struct store *st = NULL;
	const char *db = NULL;
	int c, applied = 0, version = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'd') {
			db = optarg;
		} else if (c == 'h') {
			migrate_usage(stdout);
			return CLI_OK;
		} else {
			migrate_usage(stderr);
			return CLI_USAGE;
		}
	}
	if (db == NULL || optind != argc) {
		migrate_usage(stderr);
		return CLI_USAGE;
	}
	if ((rc = store_open(db, &st, &err)) < 0)
		return cli_fail(&err);
	rc = store_migrate(st, &applied, &err);
	if (rc == 0)
		rc = store_schema_version(st, &version, &err);
	store_close(st);
	if (rc < 0)
		return cli_fail(&err);
	printf("Đã áp dụng / applied: %d; phiên bản lược đồ / schema version: %d\n", applied, version);
	return CLI_OK;
}
