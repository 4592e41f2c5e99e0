/*
 * thichung demo --db PATH: a database with the real units, population,
 * a few hamlets and households in Hà Nội, and one account per role.
 * Running it again refreshes the same data (idempotent).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "api/auth.h"
#include "base/banned.h"

#define DEMO_PASSWORD "demo2021"

struct demo_user {
	const char *username, *full_name, *role, *unit, *what;
};

static const struct demo_user demo_users[] = {
	{ "admin",       "Quản trị hệ thống",  "admin",            "VN",             "toàn quốc / whole country" },
	{ "hanoi",       "Nguyễn Văn Tỉnh",    "province_officer", "01",             "Thành phố Hà Nội" },
	{ "hcm",         "Trần Thị Thành",     "province_officer", "79",             "Thành phố Hồ Chí Minh" },
	{ "badinh",      "Lê Văn Huyện",       "district_officer", "001",            "Quận Ba Đình" },
	{ "phucxa",      "Phạm Thị Xã",        "commune_officer",  "00001",          "Phường Phúc Xá" },
	{ "trucbach",    "Hoàng Văn Phường",   "commune_officer",  "00004",          "Phường Trúc Bạch" },
	{ "ytephucxa",   "Đỗ Thị Y Tế",        "health_worker",    "00001",          "Trạm y tế Phúc Xá" },
	{ "todan1",      "Vũ Văn Tổ",          "team_member",      "00001-001",      "Tổ COVID TDP 1 Phúc Xá" },
	{ "nguoidan",    "Bùi Thị Dân",        "citizen",          "00001-001-0001", "hộ / household 00001-001-0001" },
	{ "doanhnghiep", "Công ty TNHH Ví Dụ", "business",         "00001",          "Phường Phúc Xá" },
	/* Quảng Ninh: a directive down province, district, commune. */
	{ "quangninh",   "Đặng Văn Tỉnh",      "province_officer", "22",             "Tỉnh Quảng Ninh" },
	{ "tphalong",    "Lương Thị Huyện",    "district_officer", "193",            "Thành phố Hạ Long" },
	{ "tpcampha",    "Triệu Văn Huyện",    "district_officer", "195",            "Thành phố Cẩm Phả" },
	{ "phuonghongha", "Vi Thị Phường",     "commune_officer",  "06697",          "Phường Hồng Hà, Hạ Long" },
};

struct demo_unit {
	const char *code, *parent, *level, *name, *type, *address;
	int members;
};

/* Created in this order, so the derived codes are the ones listed. */
static const struct demo_unit demo_units[] = {
	{ "00001-001",      "00001",     "hamlet",    "Tổ dân phố 1", "tổ dân phố", NULL, -1 },
	{ "00001-002",      "00001",     "hamlet",    "Tổ dân phố 2", "tổ dân phố", NULL, -1 },
	{ "00004-001",      "00004",     "hamlet",    "Tổ dân phố 1", "tổ dân phố", NULL, -1 },
	{ "00001-001-0001", "00001-001", "household", "Hộ bà Bùi Thị Dân", NULL, "Số 1 ngõ Phúc Xá", 4 },
	{ "00004-001-0001", "00004-001", "household", "Hộ ông Ngô Văn Ví Dụ", NULL, "Số 2 phố Trúc Bạch", 3 },
};

static const struct { const char *username, *unit; } demo_assignments[] = {
	{ "hanoi", "00001" }, { "badinh", "00001-001" }, { "phucxa", "00001-001-0001" },
};

static int demo_units_create(struct store *st, struct error *err)
{
	struct store_actor actor = cli_actor();
	struct arena a = ARENA_INIT(0);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(demo_units) / sizeof(demo_units[0]); i++) {
		const struct demo_unit *d = &demo_units[i];
		struct unit u = { .parent_code = d->parent, .level = d->level, .name = d->name,
		                  .type = d->type, .address = d->address, .members = d->members,
		                  .population = -1 };
		struct unit have;
		struct error ignore = ERROR_INIT;

		if (store_unit_get(st, &actor, d->code, &a, &have, &ignore) == 0)
			continue;
		if ((rc = store_unit_create(st, &actor, &u, &a, err)) == 0 &&
		    strcmp(u.code, d->code) != 0)
			rc = error_set(err, THC_ECONFLICT, "đơn vị mẫu có mã %s thay vì %s",
			               "demo unit got code %s instead of %s", u.code, d->code);
	}
	arena_release(&a);
	return rc;
}

static int demo_users_create(struct store *st, struct error *err)
{
	struct store_actor actor = cli_actor();
	char hash[256];
	int rc;

	if ((rc = auth_password_hash(DEMO_PASSWORD, hash, sizeof(hash), err)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		const struct demo_user *d = &demo_users[i];
		struct arena a = ARENA_INIT(0);
		struct user have;
		struct error ignore = ERROR_INIT;
		int exists = store_user_by_name(st, d->username, &a, &have, &ignore) == 0;

		arena_release(&a);
		if (exists)   /* refresh: the demo password works again */
			rc = store_user_set_password(st, &actor, d->username, hash, err);
		else
			rc = store_user_create(st, &actor, d->username, d->full_name, hash, d->role,
			                       d->unit, NULL, err);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < sizeof(demo_assignments) / sizeof(demo_assignments[0]); i++) {
		rc = store_assignment_create(st, &actor, demo_assignments[i].username,
		                             demo_assignments[i].unit, "Theo dõi mẫu / demo", NULL, err);
		if (rc < 0 && rc != THC_ECONFLICT)
			return rc;
	}
	return 0;
}

static void demo_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage: thichung demo --db PATH [--data DIR]\n"
	        "  Tạo hoặc làm mới cơ sở dữ liệu mẫu: đơn vị hành chính thật, dân số 2019,\n"
	        "  thôn và hộ mẫu, tài khoản mẫu mỗi vai trò (mật khẩu %s).\n"
	        "  Creates or refreshes a demo database: real units, 2019 population, sample\n"
	        "  hamlets and households, one demo account per role (password %s).\n",
	        DEMO_PASSWORD, DEMO_PASSWORD);
}

int cli_demo(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct error err = ERROR_INIT;
	struct store *st = env->st;
	const char *data = cli_data_dir();
	char path[1024];
	size_t ins = 0, upd = 0, npop = 0, nlev = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'D': data = optarg; break;
		case 'h': demo_usage(stdout); return CLI_OK;
		default: demo_usage(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		demo_usage(stderr);
		return CLI_USAGE;
	}
	if ((rc = cli_need_store(env, demo_usage)) != 0)
		return rc;
	if (auth_init() < 0)
		return CLI_FAIL;
	/* The real units, populations, measures and the national maps of the
	 * published dates. */
	rc = cli_data_path(data, "units.csv", path, sizeof(path), &err);
	if (rc == 0)
		rc = cli_import_units_file(st, path, &ins, &upd, &err);
	if (rc == 0 && (rc = cli_data_path(data, "population.csv", path, sizeof(path), &err)) == 0)
		rc = cli_import_population_file(st, path, &npop, &err);
	if (rc == 0 && (rc = cli_data_path(data, "measures.json", path, sizeof(path), &err)) == 0)
		rc = cli_import_measures_file(st, "VN", path, &err);
	if (rc == 0 && (rc = cli_data_path(data, "levels_published.csv", path, sizeof(path), &err)) == 0)
		rc = cli_import_levels_file(st, path, &nlev, &err);
	if (rc == 0)
		rc = demo_units_create(st, &err);
	if (rc == 0)
		rc = demo_users_create(st, &err);
	if (rc < 0)
		return cli_fail(&err);
	printf("Cơ sở dữ liệu mẫu / demo database: %s\n"
	       "  đơn vị / units: %zu mới / new, %zu cập nhật / updated; dân số / population: %zu;\n"
	       "  cấp độ đã công bố / published levels: %zu mới / new\n\n"
	       "Tài khoản mẫu / demo accounts (mật khẩu / password: %s)\n",
	       env->db, ins, upd, npop, nlev, DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
		printf("  %-12s %-17s %-15s %s\n", demo_users[i].username, demo_users[i].role,
		       demo_users[i].unit, demo_users[i].what);
	return CLI_OK;
}
