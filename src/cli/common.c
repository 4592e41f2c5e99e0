/* Helpers shared by the subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/text.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "base/banned.h"

int cli_fail(const struct error *err)
{
	int code = err->code;

	fprintf(stderr, "thichung: %s\nthichung: %s\n", error_message(err, 0),
	        error_message(err, 1));
	/* Problems with what the user gave us are usage errors; the rest are failures. */
	switch (code) {
	case THC_EINVAL: case THC_EUNPROCESSABLE: case THC_EUSAGE: case THC_ENOTFOUND:
	case THC_ECONFLICT: case THC_ETOOBIG:
		return CLI_USAGE;
	default:
		return CLI_FAIL;
	}
}

struct store_actor cli_actor(void)
{
	struct store_actor a = { .user_id = 0, .username = "system:cli", .addr = "cli",
	                         .now_ms = vntime_now_ms() };
	return a;
}

const char *cli_data_dir(void)
{
	const char *d = getenv("THC_DATA_DIR");
	return d && d[0] ? d : THC_DATA_DIR;
}

int cli_data_path(const char *dir, const char *name, char *out, size_t outsz,
                  struct error *err)
{
	if (text_fmt(out, outsz, "%s/%s", dir, name) < 0)
		return error_set(err, THC_EUSAGE, "đường dẫn '%.60s…/%s' dài quá %zu byte",
		                 "the path '%.60s…/%s' is longer than %zu bytes", dir, name,
		                 outsz ? outsz - 1 : 0);
	return 0;
}

int cli_read_password(char *out, size_t outsz, struct error *err)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fprintf(stderr, "Mật khẩu / password: ");
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	if (fgets(out, (int)outsz, stdin) == NULL)
		out[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	n = strcspn(out, "\r\n");
	if (n == outsz - 1)
		return error_set(err, THC_EUSAGE, "mật khẩu quá dài", "the password is too long");
	out[n] = '\0';
	if (n == 0)
		return error_set(err, THC_EUSAGE, "cần mật khẩu trên đầu vào chuẩn",
		                 "a password is expected on standard input");
	return 0;
}
