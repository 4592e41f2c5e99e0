/*
 * Accept-Language: "vi-VN,vi;q=0.9,en;q=0.8" -> Vietnamese.  Tags are
 * compared by their primary subtag; a malformed q-value counts as 1 (RFC
 * 9110 asks a server to be lenient) and q=0 means "not this language".
 */
#include <string.h>

#include "base/parse.h"
#include "base/text.h"
#include "http/lang.h"
#include "base/banned.h"

/* Prefers English only when the client ranks it above Vietnamese. */
int http_lang_english(const char *al)
{
	double best_en = -1, best_vi = -1;
	const char *p = al;

	while (p && *p) {
		const char *end = strchr(p, ','), *semi;
		size_t n = end ? (size_t)(end - p) : strlen(p);
		double q = 1.0;
		char tag[16];
		size_t t = 0;

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (t < n && t < sizeof(tag) - 1 && p[t] != ';' && p[t] != ' ') {
			tag[t] = (char)(p[t] | 0x20);
			t++;
		}
		tag[t] = '\0';
		semi = memchr(p, ';', n);
		if (semi && (size_t)(semi - p) + 3 < n && semi[1] == 'q' && semi[2] == '=') {
			char qs[8];
			size_t k = n - (size_t)(semi + 3 - p);
			double v;
			if (k >= sizeof(qs))
				k = sizeof(qs) - 1;
			memcpy(qs, semi + 3, k);
			qs[k] = '\0';
			if (parse_double(text_trim(qs), 0, 1, &v) == 0)
				q = v;
		}
		if (strncmp(tag, "en", 2) == 0 && (tag[2] == '\0' || tag[2] == '-') && q > best_en)
			best_en = q;
		if (strncmp(tag, "vi", 2) == 0 && (tag[2] == '\0' || tag[2] == '-') && q > best_vi)
			best_vi = q;
		p = end ? end + 1 : NULL;
	}
	return best_en > 0 && best_en > best_vi;
}

