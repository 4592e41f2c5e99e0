/*
 * thichung: one binary, git-style subcommands from a table.
 */
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "cli/cli.h"
#include "base/banned.h"

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct cli_cmd cli_cmds[] = {
	{ "serve",   cli_serve,   "chạy máy chủ HTTP / run the HTTP server" },
	{ "demo",    cli_demo,    "tạo cơ sở dữ liệu mẫu / create a demo database" },
	{ "migrate", cli_migrate, "cập nhật lược đồ dữ liệu / apply schema migrations" },
	{ "backup",  cli_backup,  "sao lưu cơ sở dữ liệu / back up the database" },
	{ "restore", cli_restore, "khôi phục bản sao lưu / restore a backup" },
	{ "import",  cli_import,  "nhập dữ liệu (units, population) / import data" },
	{ "rules",   cli_rules,   "bộ quy tắc cấp độ dịch / epidemic-level rule sets" },
	{ "user",    cli_user,    "quản lý người dùng / manage users" },
	{ "assess",  cli_assess,  "tính cấp độ dịch từ CSV / assess epidemic levels from CSV" },
	{ "routes",  cli_routes,  "các địa chỉ của API / the API's routes" },
};

static void usage(FILE *f)
{
	fprintf(f, "thichung %s — thích ứng an toàn, linh hoạt, kiểm soát hiệu quả COVID-19\n\n"
	        "Cách dùng / usage: thichung <lệnh/command> [tùy chọn/options]\n\n",
	        THC_VERSION);
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cli_cmds[i].name, cli_cmds[i].help);
	fprintf(f, "\n'thichung <lệnh> --help' cho chi tiết / for details.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("thichung %s\n", THC_VERSION);
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		if (strcmp(argv[1], cli_cmds[i].name) == 0)
			return cli_cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "thichung: không có lệnh '%s' / unknown command '%s'\n\n", argv[1], argv[1]);
	usage(stderr);
	return CLI_USAGE;
}
