/*
 * thichung apikey add|list|revoke: keys for other systems (Open311 clients,
 * the DHIS2 exchange).  `add` prints the new key once on standard output
 * (only its hash is kept: it cannot be shown again); everything else goes
 * to standard error, so that `KEY=$(thichung apikey add ...)` works.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "base/arena.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "domain/apikey.h"
#include "store/apikeys.h"
#include "base/banned.h"

static void apikey_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage:\n"
	        "  thichung apikey add    --db PATH|URL --name NAME --scope open311|dhis2\n"
	        "                         [--unit CODE] [--rate N]\n"
	        "      tạo khóa, in ra một lần / make a key, printed once (N: yêu cầu mỗi phút /\n"
	        "      requests a minute, mặc định / default %d)\n"
	        "  thichung apikey list   --db PATH|URL\n"
	        "  thichung apikey revoke --db PATH|URL --id N\n", APIKEY_RATE_DEFAULT);
}

struct apikey_opts {
	const char *name, *scope, *unit;
	int64_t rate, id;
};

/* 1 when the command is over with *status (help, bad usage). */
static int apikey_parse(int argc, char **argv, struct apikey_opts *o, int *status)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "scope", required_argument, NULL, 's' },
		{ "unit", required_argument, NULL, 'u' },
		{ "rate", required_argument, NULL, 'r' },
		{ "id", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct apikey_opts){ .rate = APIKEY_RATE_DEFAULT, .id = -1 };
	*status = CLI_USAGE;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': o->name = optarg; break;
		case 's': o->scope = optarg; break;
		case 'u': o->unit = optarg; break;
		case 'r':
			if (parse_int64(optarg, 1, APIKEY_RATE_MAX, &o->rate) < 0) {
				fprintf(stderr, "thichung: --rate: 1..%d\n", APIKEY_RATE_MAX);
				return 1;
			}
			break;
		case 'i':
			if (parse_int64(optarg, 1, INT64_MAX, &o->id) < 0) {
				fprintf(stderr, "thichung: --id: số nguyên dương / a positive integer\n");
				return 1;
			}
			break;
		case 'h': apikey_usage(stdout); *status = CLI_OK; return 1;
		default: apikey_usage(stderr); return 1;
		}
	}
	if (optind != argc) {
		apikey_usage(stderr);
		return 1;
	}
	return 0;
}

static int apikey_add(int argc, char **argv, struct cli_env *env)
{
	struct store_actor actor = cli_actor();
	struct error err = ERROR_INIT;
	unsigned char bytes[APIKEY_RANDOM_BYTES];
	char key[APIKEY_LEN + 1], hash[65], prefix[APIKEY_PREFIX_LEN + 1];
	struct apikey_opts o;
	struct apikey k;
	int status;

	if (apikey_parse(argc, argv, &o, &status))
		return status;
	if (o.name == NULL || o.scope == NULL) {
		fprintf(stderr, "thichung: cần --name và --scope / --name and --scope are needed\n");
		return CLI_USAGE;
	}
	if ((status = cli_need_store(env, apikey_usage)) != 0)
		return status;
	if (auth_init() < 0)
		return CLI_FAIL;
	randombytes_buf(bytes, sizeof(bytes));
	apikey_format(bytes, key);
	sodium_memzero(bytes, sizeof(bytes));
	auth_token_hash(key, hash);
	memcpy(prefix, key, APIKEY_PREFIX_LEN);
	prefix[APIKEY_PREFIX_LEN] = '\0';
	k = (struct apikey){ .name = o.name, .prefix = prefix, .scope = o.scope,
	                     .unit_code = o.unit, .rate_per_min = o.rate };
	if (store_apikey_add(env->st, &actor, hash, &k, &err) < 0) {
		sodium_memzero(key, sizeof(key));
		return cli_fail(&err);
	}
	printf("%s\n", key);
	sodium_memzero(key, sizeof(key));
	fprintf(stderr, "Khóa số %lld '%s' (%s): lưu lại ngay, không xem lại được / key number %lld:"
	        " keep it now, it cannot be shown again\n", (long long)k.id, o.name, o.scope,
	        (long long)k.id);
	return CLI_OK;
}

static void apikey_time(int64_t ms, char out[32])
{
	if (ms == 0) {
		snprintf(out, 32, "-");
		return;
	}
	vntime_format_vn(ms / 1000, out, 32);
}

static int apikey_list(int argc, char **argv, struct cli_env *env)
{
	struct arena a = ARENA_INIT(0);
	struct error err = ERROR_INIT;
	struct apikey_opts o;
	struct apikey *k;
	size_t n;
	int status;

	if (apikey_parse(argc, argv, &o, &status))
		return status;
	if ((status = cli_need_store(env, apikey_usage)) != 0)
		return status;
	if (store_apikey_list(env->st, &a, &k, &n, &err) < 0) {
		arena_release(&a);
		return cli_fail(&err);
	}
	printf("id\tprefix\tname\tscope\tunit\trate_per_min\tcreated\tlast_used\trevoked\n");
	for (size_t i = 0; i < n; i++) {
		char c[32], u[32], r[32];

		apikey_time(k[i].created_at_ms, c);
		apikey_time(k[i].last_used_at_ms, u);
		apikey_time(k[i].revoked_at_ms, r);
		printf("%lld\t%s…\t%s\t%s\t%s\t%lld\t%s\t%s\t%s\n", (long long)k[i].id, k[i].prefix,
		       k[i].name, k[i].scope, k[i].unit_code ? k[i].unit_code : "-",
		       (long long)k[i].rate_per_min, c, u, r);
	}
	arena_release(&a);
	return CLI_OK;
}

static int apikey_revoke(int argc, char **argv, struct cli_env *env)
{
	struct store_actor actor = cli_actor();
	struct error err = ERROR_INIT;
	struct apikey_opts o;
	int status;

	if (apikey_parse(argc, argv, &o, &status))
		return status;
	if (o.id < 1) {
		fprintf(stderr, "thichung: thiếu --id / missing --id\n");
		return CLI_USAGE;
	}
	if ((status = cli_need_store(env, apikey_usage)) != 0)
		return status;
	if (store_apikey_revoke(env->st, &actor, o.id, &err) < 0)
		return cli_fail(&err);
	printf("Đã thu hồi khóa số %lld / key number %lld revoked\n", (long long)o.id,
	       (long long)o.id);
	return CLI_OK;
}

static const struct cli_cmd apikey_cmds[] = {
	{ "add", apikey_add, CLI_STORE | CLI_SCHEMA, "tạo khóa API / make an API key" },
	{ "list", apikey_list, CLI_STORE | CLI_SCHEMA, "các khóa API / the API keys" },
	{ "revoke", apikey_revoke, CLI_STORE | CLI_SCHEMA, "thu hồi khóa API / revoke an API key" },
};

int cli_apikey(int argc, char **argv, struct cli_env *env)
{
	return cli_dispatch(apikey_cmds, ARRAY_SIZE(apikey_cmds), argc - 1, argv + 1, env,
	                    apikey_usage);
}
