/*
 * thichung: one binary, git-style subcommands from a table.
 */
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "cli/cli.h"
#include "base/banned.h"

static const struct cli_cmd cli_cmds[] = {
	{ "serve",   cli_serve,   CLI_STORE | CLI_SCHEMA, "chạy máy chủ HTTP / run the HTTP server" },
	{ "demo",    cli_demo,    CLI_STORE | CLI_SCHEMA, "tạo cơ sở dữ liệu mẫu / create a demo database" },
	{ "migrate", cli_migrate, CLI_STORE, "cập nhật lược đồ dữ liệu / apply schema migrations" },
	{ "backup",  cli_backup,  CLI_STORE, "sao lưu cơ sở dữ liệu / back up the database" },
	{ "restore", cli_restore, CLI_STORE, "khôi phục bản sao lưu / restore a backup" },
	{ "import",  cli_import,  0, "nhập dữ liệu / import data" },
	{ "export",  cli_export,  0, "xuất dữ liệu (DHIS2) / export data (DHIS2)" },
	{ "user",    cli_user,    0, "quản lý người dùng / manage users" },
	{ "rules",   cli_rules,   0, "bộ quy tắc cấp độ dịch / epidemic-level rule sets" },
	{ "assess",  cli_assess,  0, "tính cấp độ dịch từ CSV / assess epidemic levels from CSV" },
	{ "routes",  cli_routes,  0, "các địa chỉ của API / the API's routes" },
	{ "feedback", cli_feedback, 0, "phản ánh, kiến nghị / citizen feedback" },
	{ "apikey",  cli_apikey,  0, "khóa API cho hệ thống khác / API keys for other systems" },
};

static void usage(FILE *f)
{
	fprintf(f, "thichung %s — thích ứng an toàn, linh hoạt, kiểm soát hiệu quả COVID-19\n\n"
	        "Cách dùng / usage: thichung <lệnh/command> [tùy chọn/options]\n\n",
	        THC_VERSION);
	cli_table_usage(f, cli_cmds, ARRAY_SIZE(cli_cmds));
	fprintf(f, "\n'thichung <lệnh> --help' cho chi tiết / for details.\n");
}

int main(int argc, char **argv)
{
	struct cli_env env = { 0 };

	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("thichung %s\n", THC_VERSION);
		return CLI_OK;
	}
	return cli_dispatch(cli_cmds, ARRAY_SIZE(cli_cmds), argc - 1, argv + 1, &env, usage);
}
