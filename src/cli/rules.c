/*
 * thichung rules list|show ID [--rules-dir DIR]: the epidemic-level rule
 * sets the server and `assess` use.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "cli/cli.h"
#include "domain/level.h"
#include "base/banned.h"

static void rules_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage:\n"
	        "  thichung rules list [--rules-dir DIR]       các bộ quy tắc cấp độ / the rule sets\n"
	        "  thichung rules show ID [--rules-dir DIR]    một bộ quy tắc (đã áp dụng extends) / one,\n"
	        "                                              resolved, as JSON\n"
	        "Mặc định / default DIR: <data>/rules\n");
}

static void rules_day(int32_t day, char *out, size_t outsz)
{
	if (day == LEVEL_OPEN_END)
		snprintf(out, outsz, "…");
	else
		vndate_format_vn(vndate_from_days(day), out, outsz);
}

static void rules_list(const struct level_catalog *cat)
{
	printf("%-22s %-10s %-10s %-10s %-4s %-9s %s\n", "id", "áp dụng", "từ/from", "đến/to",
	       "tuần", "giả định", "title");
	for (size_t i = 0; i < level_catalog_count(cat); i++) {
		const struct level_rules *r = level_catalog_at(cat, i);
		char from[16], to[16];

		rules_day(level_rules_from(r), from, sizeof(from));
		rules_day(level_rules_to(r), to, sizeof(to));
		printf("%-22s %-10s %-10s %-10s %-4d %-9s %s / %s\n", level_rules_id(r),
		       level_rules_applies_to(r) ? level_rules_applies_to(r) : "VN", from, to,
		       level_rules_first_weekday(r), level_rules_has_assumptions(r) ? "có/yes" : "không/no",
		       level_rules_title(r, 0), level_rules_title(r, 1));
	}
}

/* Parses [--rules-dir DIR] and `nargs` arguments, loads the catalogue.
 * 1 when the subcommand is over with *status. */
static int rules_args(int argc, char **argv, int nargs, struct level_catalog **cat,
                      int *status)
{
	static const struct option opts[] = {
		{ "rules-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct error err = ERROR_INIT;
	const char *dir = NULL;
	char dirbuf[1024];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'd') {
			dir = optarg;
		} else {
			rules_usage(c == 'h' ? stdout : stderr);
			*status = c == 'h' ? CLI_OK : CLI_USAGE;
			return 1;
		}
	}
	if (optind != argc - nargs) {
		rules_usage(stderr);
		*status = CLI_USAGE;
		return 1;
	}
	if ((dir == NULL && cli_data_path(cli_data_dir(), "rules", dirbuf, sizeof(dirbuf), &err) < 0) ||
	    cli_level_rules_load(dir ? dir : dirbuf, cat, &err) < 0) {
		*status = cli_fail(&err);
		return 1;
	}
	return 0;
}

static int rules_list_cmd(int argc, char **argv, struct cli_env *env)
{
	struct level_catalog *cat = NULL;
	int status;

	(void)env;
	if (rules_args(argc, argv, 0, &cat, &status))
		return status;
	rules_list(cat);
	level_catalog_free(cat);
	return CLI_OK;
}

static int rules_show(int argc, char **argv, struct cli_env *env)
{
	struct level_catalog *cat = NULL;
	struct error err = ERROR_INIT;
	const struct level_rules *r;
	char *json = NULL;
	int status;

	(void)env;
	if (rules_args(argc, argv, 1, &cat, &status))
		return status;
	if ((r = level_catalog_get(cat, argv[argc - 1])) == NULL) {
		error_set(&err, THC_ENOTFOUND, "không có bộ quy tắc '%s' (xem 'thichung rules list')",
		          "no rule set '%s' (see 'thichung rules list')", argv[argc - 1]);
		status = cli_fail(&err);
	} else if ((json = level_rules_json(r)) == NULL) {
		status = CLI_FAIL;
	} else {
		printf("%s\n", json);
		status = CLI_OK;
	}
	free(json);
	level_catalog_free(cat);
	return status;
}

static const struct cli_cmd rules_cmds[] = {
	{ "list", rules_list_cmd, 0, "các bộ quy tắc / the rule sets" },
	{ "show", rules_show,     0, "một bộ quy tắc, dạng JSON / one rule set as JSON" },
};

int cli_rules(int argc, char **argv, struct cli_env *env)
{
	return cli_dispatch(rules_cmds, ARRAY_SIZE(rules_cmds), argc - 1, argv + 1, env,
	                    rules_usage);
}
