/*
 * thichung user add|passwd|grant|revoke|list --db PATH ...
 * Passwords come on standard input, never on the command line.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "http/auth.h"
#include "base/banned.h"

struct user_opts {
	const char *db, *username, *role, *unit, *name;
};

static void user_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage:\n"
	        "  thichung user add    --db PATH --username NAME --role ROLE --unit CODE [--name \"Họ tên\"]\n"
	        "  thichung user passwd --db PATH --username NAME\n"
	        "  thichung user grant  --db PATH --username NAME --role ROLE --unit CODE\n"
	        "  thichung user revoke --db PATH --username NAME --role ROLE --unit CODE\n"
	        "  thichung user list   --db PATH\n"
	        "Mật khẩu đọc từ đầu vào chuẩn / the password is read from standard input.\n"
	        "Vai trò / roles: admin, province_officer, district_officer, commune_officer,\n"
	        "  team_member, health_worker, citizen, business\n");
}

static int user_parse(int argc, char **argv, struct user_opts *o)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "username", required_argument, NULL, 'u' },
		{ "role", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'n' },
		{ "name", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'u': o->username = optarg; break;
		case 'r': o->role = optarg; break;
		case 'n': o->unit = optarg; break;
		case 'N': o->name = optarg; break;
		case 'h': user_usage(stdout); return 1;
		default: user_usage(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc || o->db == NULL) {
		user_usage(stderr);
		return CLI_USAGE;
	}
	return 0;
}

static int need(const char *v, const char *opt)
{
	if (v)
		return 0;
	fprintf(stderr, "thichung: thiếu %s / missing %s\n", opt, opt);
	return CLI_USAGE;
}

static int user_new_password(char *hash, size_t hsz, struct error *err)
{
	char pw[AUTH_PASSWORD_MAX + 2];
	int rc;

	if ((rc = cli_read_password(pw, sizeof(pw), err)) < 0 ||
	    (rc = auth_password_check(pw, err)) < 0)
		return rc;
	rc = auth_password_hash(pw, hash, hsz, err);
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

static int user_list(struct store *st, struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct user *u;
	size_t n;
	int rc = store_users_list(st, &a, &u, &n, err);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		printf("%s%s%s%s\n", u[i].username, u[i].full_name[0] ? " (" : "", u[i].full_name,
		       u[i].full_name[0] ? ")" : "");
		for (size_t g = 0; g < u[i].ngrants; g++)
			printf("    %s @ %s %s\n", u[i].grants[g].role, u[i].grants[g].unit_code,
			       u[i].grants[g].unit_name);
	}
	arena_release(&a);
	return rc;
}

int cli_user(int argc, char **argv)
{
	struct user_opts o;
	struct store_actor actor = cli_actor();
	struct error err = ERROR_INIT;
	struct store *st = NULL;
	char hash[256];
	const char *sub;
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		user_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	sub = argv[1];
	if ((rc = user_parse(argc - 1, argv + 1, &o)) != 0)
		return rc == 1 ? CLI_OK : rc;
	if (strcmp(sub, "add") != 0 && strcmp(sub, "passwd") != 0 && strcmp(sub, "grant") != 0 &&
	    strcmp(sub, "revoke") != 0 && strcmp(sub, "list") != 0) {
		fprintf(stderr, "thichung: không có lệnh 'user %s' / unknown command 'user %s'\n", sub, sub);
		user_usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(sub, "list") != 0 && need(o.username, "--username"))
		return CLI_USAGE;
	if ((!strcmp(sub, "add") || !strcmp(sub, "grant") || !strcmp(sub, "revoke")) &&
	    (need(o.role, "--role") || need(o.unit, "--unit")))
		return CLI_USAGE;
	if (auth_init() < 0)
		return CLI_FAIL;
	if ((rc = cli_store_open(o.db, &st, &err)) < 0)
		return cli_fail(&err);
	if (strcmp(sub, "add") == 0) {
		if ((rc = user_new_password(hash, sizeof(hash), &err)) == 0)
			rc = store_user_create(st, &actor, o.username, o.name, hash, o.role, o.unit,
			                       NULL, &err);
		if (rc == 0)
			printf("Đã tạo / created: %s (%s @ %s)\n", o.username, o.role, o.unit);
	} else if (strcmp(sub, "passwd") == 0) {
		if ((rc = user_new_password(hash, sizeof(hash), &err)) == 0)
			rc = store_user_set_password(st, &actor, o.username, hash, &err);
		if (rc == 0)
			printf("Đã đổi mật khẩu / password changed: %s\n", o.username);
	} else if (strcmp(sub, "grant") == 0) {
		rc = store_grant_add(st, &actor, o.username, o.role, o.unit, &err);
		if (rc == 0)
			printf("Đã cấp / granted: %s %s @ %s\n", o.username, o.role, o.unit);
	} else if (strcmp(sub, "revoke") == 0) {
		rc = store_grant_remove(st, &actor, o.username, o.role, o.unit, &err);
		if (rc == 0)
			printf("Đã thu hồi / revoked: %s %s @ %s\n", o.username, o.role, o.unit);
	} else {
		rc = user_list(st, &err);
	}
	store_close(st);
	return rc < 0 ? cli_fail(&err) : CLI_OK;
}
