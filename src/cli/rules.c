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

int cli_rules(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rules-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct error err = ERROR_INIT;
	struct level_catalog *cat = NULL;
	const char *dir = NULL, *sub;
	char dirbuf[1024];
	int c, rc = CLI_OK;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		rules_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	sub = argv[1];
	while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (c == 'd') {
			dir = optarg;
		} else if (c == 'h') {
			rules_usage(stdout);
			return CLI_OK;
		} else {
			rules_usage(stderr);
			return CLI_USAGE;
		}
	}
	if (!((strcmp(sub, "list") == 0 && optind == argc - 1) ||
	      (strcmp(sub, "show") == 0 && optind == argc - 2))) {
		rules_usage(stderr);
		return CLI_USAGE;
	}
	if (dir == NULL) {
		snprintf(dirbuf, sizeof(dirbuf), "%s/rules", cli_data_dir());
		dir = dirbuf;
	}
	if (cli_level_rules_load(dir, &cat, &err) < 0)
		return cli_fail(&err);
	if (strcmp(sub, "list") == 0) {
		rules_list(cat);
	} else {
		const char *id = argv[optind + 1];
		const struct level_rules *r = level_catalog_get(cat, id);
		char *json = r ? level_rules_json(r) : NULL;

		if (r == NULL) {
			error_set(&err, THC_ENOTFOUND, "không có bộ quy tắc '%s' (xem 'thichung rules list')",
			          "no rule set '%s' (see 'thichung rules list')", id);
			rc = cli_fail(&err);
		} else if (json == NULL) {
			rc = CLI_FAIL;
		} else {
			printf("%s\n", json);
		}
		free(json);
	}
	level_catalog_free(cat);
	return rc;
}
