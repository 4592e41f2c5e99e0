#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "vntime.h"
#include "banned.h"

static const char *const log_names[] = { "debug", "info", "warn", "error" };
/* Set once at start-up, before any thread runs; read-only afterwards. */
static enum log_level log_min = LOG_INFO;

void log_set_level(enum log_level min)
{
	log_min = min;
}

void log_event(enum log_level lvl, const char *event, const char *fmt, ...)
{
	char line[2048], ts[32];
	size_t n;
	int k;
	va_list ap;

	if (lvl < log_min)
		return;
	vntime_format_utc_ms(vntime_now_ms(), ts, sizeof(ts));
	k = snprintf(line, sizeof(line), "ts=%s level=%s event=%s", ts,
	             log_names[lvl], event);
	n = k < 0 ? 0 : (size_t)k < sizeof(line) ? (size_t)k : sizeof(line) - 1;
	if (fmt && n < sizeof(line) - 2) {
		line[n++] = ' ';
		va_start(ap, fmt);
		k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		va_end(ap);
		if (k > 0)
			n += (size_t)k < sizeof(line) - n ? (size_t)k : sizeof(line) - n - 1;
	}
	line[n] = '\n';
	/* One write per line so that lines from threads do not interleave. */
	fwrite(line, 1, n + 1, stderr);
}

const char *log_value(const char *v, char *out, size_t outsz)
{
	size_t o = 0;
	int quote = v[0] == '\0' || strpbrk(v, " \t\"=\n\r\\") != NULL;

	if (outsz == 0)
		return "";
	if (!quote) {
		snprintf(out, outsz, "%s", v);
		return out;
	}
	if (o < outsz - 1)
		out[o++] = '"';
	for (; *v && o + 3 < outsz; v++) {
		char c = *v;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = c;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			out[o++] = ' ';
		} else {
			out[o++] = c;
		}
	}
	if (o < outsz - 1)
		out[o++] = '"';
	out[o] = '\0';
	return out;
}
