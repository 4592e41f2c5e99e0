/*
 * Commands and subcommands from tables (git's builtin table): the shared
 * setup a row asks for, the database, is done here once for every command.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/banned.h"

void cli_table_usage(FILE *f, const struct cli_cmd *table, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-11s %s\n", table[i].name, table[i].help);
}

int cli_need_store(const struct cli_env *env, void (*usage)(FILE *))
{
	if (env->st != NULL)
		return 0;
	fprintf(stderr, "thichung: cần --db PATH|URL / --db PATH|URL is required\n");
	usage(stderr);
	return CLI_USAGE;
}

static int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/* Takes "--db X" or "--db=X" out of argv (the last one wins). */
static int cli_take_db(int argc, char **argv, const char **db)
{
	int k = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			*db = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "--db=", 5) == 0) {
			*db = argv[i] + 5;
			continue;
		}
		argv[k++] = argv[i];
	}
	argv[k] = NULL;
	return k;
}

static int cli_open(const struct cli_cmd *c, struct cli_env *env, struct error *err)
{
	int rc;

	if ((rc = store_open(env->db, &env->st, err)) < 0)
		return rc;
	if ((c->flags & CLI_SCHEMA) && (rc = store_migrate(env->st, NULL, err)) < 0) {
		store_close(env->st);
		env->st = NULL;
	}
	return rc;
}

int cli_dispatch(const struct cli_cmd *table, size_t n, int argc, char **argv,
                 struct cli_env *env, void (*usage)(FILE *))
{
	const struct cli_cmd *c = NULL;
	struct error err = ERROR_INIT;
	int rc, opened = 0;

	if (argc < 1 || argv[0] == NULL) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 ||
	    strcmp(argv[0], "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	for (size_t i = 0; i < n && c == NULL; i++)
		if (strcmp(argv[0], table[i].name) == 0)
			c = &table[i];
	if (c == NULL) {
		fprintf(stderr, "thichung: không có lệnh '%s' / unknown command '%s'\n\n", argv[0],
		        argv[0]);
		usage(stderr);
		return CLI_USAGE;
	}
	if (c->flags & CLI_STORE) {
		argc = cli_take_db(argc, argv, &env->db);
		if (env->db != NULL && env->st == NULL && !cli_wants_help(argc, argv)) {
			if (cli_open(c, env, &err) < 0)
				return cli_fail(&err);
			opened = 1;
		}
	}
	rc = c->fn(argc, argv, env);
	if (opened) {
		store_close(env->st);
		env->st = NULL;
	}
	return rc;
}
