/*
 * thichung backup  --db PATH|URL FILE
 * thichung restore --db PATH|URL [--force] FILE
 *
 * A copy of the whole database in the backend's own format, and back.
 * Neither migrates: a backup is of the schema as it is, and a restore gives
 * back exactly what was backed up (the next start or `migrate` upgrades it).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "base/banned.h"

static void backup_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage: thichung backup --db PATH|URL FILE\n"
	        "  Sao lưu toàn bộ cơ sở dữ liệu vào FILE trong khi máy chủ vẫn chạy; FILE chỉ\n"
	        "  được thay khi bản sao lưu đã đầy đủ và được kiểm tra.\n"
	        "  Backs up the whole database to FILE while servers keep running; FILE is only\n"
	        "  replaced once the copy is complete and checked.\n"
	        "  SQLite: một tệp SQLite / a SQLite file (online backup API, integrity_check).\n"
	        "  PostgreSQL: pg_dump --format=custom (gói / package postgresql-client).\n");
}

static void restore_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage: thichung restore --db PATH|URL [--force] FILE\n"
	        "  Khôi phục bản sao lưu FILE (của 'thichung backup') vào cơ sở dữ liệu trống.\n"
	        "  Restores FILE (made by 'thichung backup') into an empty database.\n"
	        "  --force   thay nội dung của một cơ sở dữ liệu không trống /\n"
	        "            replace the contents of a database that is not empty\n"
	        "  Chỉ khôi phục vào cùng loại / only into the same backend: SQLite → SQLite,\n"
	        "  PostgreSQL → PostgreSQL (pg_restore, trong một giao dịch / in one transaction).\n");
}

/* Parses --force (restore only) and the one FILE.  Returns 0 to go on, or 1
 * when the command is over (--help, bad usage) with *status to exit with. */
static int backup_args(int argc, char **argv, int allow_force, void (*usage)(FILE *),
                       const struct cli_env *env, const char **file, int *force, int *status)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'f' && allow_force) {
			*force = 1;
		} else if (c == 'h') {
			usage(stdout);
			*status = CLI_OK;
			return 1;
		} else {
			if (c == 'f')
				fprintf(stderr, "thichung: backup không có --force / backup has no --force\n");
			usage(stderr);
			*status = CLI_USAGE;
			return 1;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		*status = CLI_USAGE;
		return 1;
	}
	if ((*status = cli_need_store(env, usage)) != 0)
		return 1;
	*file = argv[optind];
	return 0;
}

int cli_backup(int argc, char **argv, struct cli_env *env)
{
	struct error err = ERROR_INIT;
	const char *file = NULL;
	int rc, force = 0, version = 0, status;

	if (backup_args(argc, argv, 0, backup_usage, env, &file, &force, &status))
		return status;
	rc = store_backup(env->st, file, &version, &err);
	if (rc < 0)
		return cli_fail(&err);
	printf("Đã sao lưu / backed up: %s (phiên bản lược đồ / schema version %d)\n", file, version);
	return CLI_OK;
}

int cli_restore(int argc, char **argv, struct cli_env *env)
{
	struct error err = ERROR_INIT;
	const char *file = NULL;
	int rc, force = 0, version = 0, status;

	if (backup_args(argc, argv, 1, restore_usage, env, &file, &force, &status))
		return status;
	rc = store_restore(env->st, file, force ? STORE_RESTORE_FORCE : 0, &version, &err);
	if (rc < 0) {
		status = cli_fail(&err);
		if (rc == THC_ECONFLICT && !force)
			fprintf(stderr, "thichung: dùng --force để thay nội dung của nó /"
			        " pass --force to replace its contents\n");
		return status;
	}
	printf("Đã khôi phục / restored: %s (phiên bản lược đồ / schema version %d)\n", file, version);
	if (version < store_schema_latest())
		printf("Lược đồ sẽ được cập nhật lên %d khi chạy 'thichung migrate' hoặc 'serve' /"
		       " the schema is brought to %d by 'thichung migrate' or 'serve'\n",
		       store_schema_latest(), store_schema_latest());
	return CLI_OK;
}
