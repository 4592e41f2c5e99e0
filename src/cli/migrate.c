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

int cli_migrate(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct error err = ERROR_INIT;
	int c, applied = 0, version = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			migrate_usage(stdout);
			return CLI_OK;
		}
		migrate_usage(stderr);
		return CLI_USAGE;
	}
	if (optind != argc) {
		migrate_usage(stderr);
		return CLI_USAGE;
	}
	if ((rc = cli_need_store(env, migrate_usage)) != 0)
		return rc;
	rc = store_migrate(env->st, &applied, &err);
	if (rc == 0)
		rc = store_schema_version(env->st, &version, &err);
	if (rc < 0)
		return cli_fail(&err);
	printf("Đã áp dụng / applied: %d; phiên bản lược đồ / schema version: %d\n", applied, version);
	return CLI_OK;
}
