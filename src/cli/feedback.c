/*
 * thichung feedback escalate --db PATH [--today YYYY-MM-DD]: escalates
 * every open request whose holder's deadline has passed to the unit above,
 * then leaves a notice in the inbox of the holder of every request due the
 * next working day (run daily from cron or a systemd timer at 00:05,
 * docs/deploy.md; --today moves the clock for tests and for catching up).  Also the loader of data/feedback.json.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/vntime.h"
#include "cli/cli.h"
#include "domain/feedback.h"
#include "store/store.h"
#include "base/banned.h"

int cli_feedback_load(const char *path, struct feedback_rules **out, struct error *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "rb");
	int rc;

	*out = NULL;
	if (f == NULL)
		return error_set(err, THC_EIO, "không mở được '%s'", "cannot open '%s'", path);
	if ((text = malloc(FEEDBACK_RULES_MAX_BYTES + 1)) == NULL) {
		fclose(f);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	len = fread(text, 1, FEEDBACK_RULES_MAX_BYTES + 1, f);
	fclose(f);
	rc = feedback_rules_parse(text, len, out, err);
	if (rc < 0)
		error_prefix(err, "%s: ", "%s: ", path);
	free(text);
	return rc;
}

static void feedback_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage:\n"
	        "  thichung feedback escalate --db PATH|URL [--today YYYY-MM-DD]\n"
	        "      chuyển lên cấp trên các phản ánh quá hạn, nhắc các phản ánh sắp đến hạn /\n"
	        "      escalate overdue requests, remind the holders of those due next\n");
}

static int feedback_escalate(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "today", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_actor actor = cli_actor();
	struct feedback_rules *rules = NULL;
	struct error err = ERROR_INIT;
	int32_t today = vntime_day_of(actor.now_ms / 1000);
	char path[1024];
	struct vndate d;
	size_t n = 0, reminded = 0;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			feedback_usage(stdout);
			return CLI_OK;
		}
		if (c != 't' || vndate_parse(optarg, &d) < 0) {
			if (c == 't')
				fprintf(stderr, "thichung: --today: '%s' không phải ngày YYYY-MM-DD / "
				        "is not a date YYYY-MM-DD\n", optarg);
			feedback_usage(stderr);
			return CLI_USAGE;
		}
		today = vndate_to_days(d);
	}
	if (optind != argc) {
		feedback_usage(stderr);
		return CLI_USAGE;
	}
	if ((rc = cli_need_store(env, feedback_usage)) != 0)
		return rc;
	if ((rc = cli_data_path(cli_data_dir(), "feedback.json", path, sizeof(path), &err)) < 0 ||
	    (rc = cli_feedback_load(path, &rules, &err)) < 0 ||
	    (rc = store_feedback_escalate(env->st, &actor, rules, today, &n, &err)) < 0 ||
	    (rc = store_feedback_remind(env->st, &actor, rules, today, &reminded, &err)) < 0) {
		feedback_rules_free(rules);
		return cli_fail(&err);
	}
	feedback_rules_free(rules);
	printf("Đã chuyển lên cấp trên / escalated: %zu\n", n);
	printf("Đã nhắc hạn / reminded: %zu\n", reminded);
	return CLI_OK;
}

static const struct cli_cmd feedback_cmds[] = {
	{ "escalate", feedback_escalate, CLI_STORE | CLI_SCHEMA,
	  "chuyển phản ánh quá hạn lên cấp trên / escalate overdue requests" },
};

int cli_feedback(int argc, char **argv, struct cli_env *env)
{
	return cli_dispatch(feedback_cmds, ARRAY_SIZE(feedback_cmds), argc - 1, argv + 1, env,
	                    feedback_usage);
}
