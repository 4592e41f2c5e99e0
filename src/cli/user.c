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
#include "api/auth.h"
#include "base/banned.h"

struct user_opts {
	const char *username, *role, *unit, *name;
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

static int need(const char *v, const char *opt)
{
	if (v)
		return 0;
	fprintf(stderr, "thichung: thiếu %s / missing %s\n", opt, opt);
	return CLI_USAGE;
}

/* The options of a user subcommand; `want` says which are required
 * ("u": --username, "r": --role, "n": --unit).  1 when the subcommand is
 * over with *status (--help, bad usage). */
static int user_parse(int argc, char **argv, const struct cli_env *env, const char *want,
                      struct user_opts *o, int *status)
{
	static const struct option opts[] = {
		{ "username", required_argument, NULL, 'u' },
		{ "role", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'n' },
		{ "name", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	*status = CLI_USAGE;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'u': o->username = optarg; break;
		case 'r': o->role = optarg; break;
		case 'n': o->unit = optarg; break;
		case 'N': o->name = optarg; break;
		case 'h': user_usage(stdout); *status = CLI_OK; return 1;
		default: user_usage(stderr); return 1;
		}
	}
	if (optind != argc) {
		user_usage(stderr);
		return 1;
	}
	if ((strchr(want, 'u') && need(o->username, "--username")) ||
	    (strchr(want, 'r') && need(o->role, "--role")) ||
	    (strchr(want, 'n') && need(o->unit, "--unit")))
		return 1;
	if ((*status = cli_need_store(env, user_usage)) != 0)
		return 1;
	if (auth_init() < 0) {
		*status = CLI_FAIL;
		return 1;
	}
	return 0;
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

static int user_done(int rc, const struct error *err)
{
	return rc < 0 ? cli_fail(err) : CLI_OK;
}

static int user_add(int argc, char **argv, struct cli_env *env)
{
	struct store_actor actor = cli_actor();
	struct error err = ERROR_INIT;
	struct user_opts o;
	char hash[256];
	int rc, status;

	if (user_parse(argc, argv, env, "urn", &o, &status))
		return status;
	if ((rc = user_new_password(hash, sizeof(hash), &err)) == 0)
		rc = store_user_create(env->st, &actor, o.username, o.name, hash, o.role, o.unit, NULL,
		                       &err);
	if (rc == 0)
		printf("Đã tạo / created: %s (%s @ %s)\n", o.username, o.role, o.unit);
	return user_done(rc, &err);
}

static int user_passwd(int argc, char **argv, struct cli_env *env)
{
	struct store_actor actor = cli_actor();
	struct error err = ERROR_INIT;
	struct user_opts o;
	char hash[256];
	int rc, status;

	if (user_parse(argc, argv, env, "u", &o, &status))
		return status;
	if ((rc = user_new_password(hash, sizeof(hash), &err)) == 0)
		rc = store_user_set_password(env->st, &actor, o.username, hash, &err);
	if (rc == 0)
		printf("Đã đổi mật khẩu / password changed: %s\n", o.username);
	return user_done(rc, &err);
}

static int user_grant(int argc, char **argv, struct cli_env *env)
{
	struct store_actor actor = cli_actor();
	struct error err = ERROR_INIT;
	struct user_opts o;
	int rc, status;

	if (user_parse(argc, argv, env, "urn", &o, &status))
		return status;
	rc = store_grant_add(env->st, &actor, o.username, o.role, o.unit, &err);
	if (rc == 0)
		printf("Đã cấp / granted: %s %s @ %s\n", o.username, o.role, o.unit);
	return user_done(rc, &err);
}

static int user_revoke(int argc, char **argv, struct cli_env *env)
{
	struct store_actor actor = cli_actor();
	struct error err = ERROR_INIT;
	struct user_opts o;
	int rc, status;

	if (user_parse(argc, argv, env, "urn", &o, &status))
		return status;
	rc = store_grant_remove(env->st, &actor, o.username, o.role, o.unit, &err);
	if (rc == 0)
		printf("Đã thu hồi / revoked: %s %s @ %s\n", o.username, o.role, o.unit);
	return user_done(rc, &err);
}

static int user_list_cmd(int argc, char **argv, struct cli_env *env)
{
	struct error err = ERROR_INIT;
	struct user_opts o;
	int status;

	if (user_parse(argc, argv, env, "", &o, &status))
		return status;
	return user_done(user_list(env->st, &err), &err);
}

static const struct cli_cmd user_cmds[] = {
	{ "add",    user_add,      CLI_STORE | CLI_SCHEMA, "tạo người dùng / add a user" },
	{ "passwd", user_passwd,   CLI_STORE | CLI_SCHEMA, "đổi mật khẩu / change a password" },
	{ "grant",  user_grant,    CLI_STORE | CLI_SCHEMA, "cấp vai trò / grant a role" },
	{ "revoke", user_revoke,   CLI_STORE | CLI_SCHEMA, "thu hồi vai trò / revoke a role" },
	{ "list",   user_list_cmd, CLI_STORE | CLI_SCHEMA, "danh sách / list the users" },
};

int cli_user(int argc, char **argv, struct cli_env *env)
{
	return cli_dispatch(user_cmds, ARRAY_SIZE(user_cmds), argc - 1, argv + 1, env, user_usage);
}
