#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "domain/unit.h"
#include "base/banned.h"

static const struct {
	const char *name, *vi, *en;
} unit_levels[UNIT_LEVEL_COUNT] = {
	[UNIT_COUNTRY]   = { "country",   "Quốc gia",        "Country" },
	[UNIT_PROVINCE]  = { "province",  "Tỉnh/Thành phố",  "Province" },
	[UNIT_DISTRICT]  = { "district",  "Quận/Huyện",      "District" },
	[UNIT_COMMUNE]   = { "commune",   "Xã/Phường",       "Commune" },
	[UNIT_HAMLET]    = { "hamlet",    "Thôn/Tổ dân phố", "Hamlet" },
	[UNIT_HOUSEHOLD] = { "household", "Hộ gia đình",     "Household" },
};

/* Names people give to units below the commune, by region. */
static const char *const hamlet_types[] = {
	"thôn", "ấp", "bản", "tổ dân phố", "khu phố", "xóm", "buôn", "làng",
	"khóm", "tổ", "khu", "sóc", "plây",
};

int unit_level_from_name(const char *name)
{
	for (int i = 0; i < UNIT_LEVEL_COUNT; i++)
		if (name && strcmp(name, unit_levels[i].name) == 0)
			return i;
	return -1;
}

const char *unit_level_name(enum unit_level l)
{
	return (unsigned)l < UNIT_LEVEL_COUNT ? unit_levels[l].name : "?";
}

const char *unit_level_title(enum unit_level l, int english)
{
	if ((unsigned)l >= UNIT_LEVEL_COUNT)
		return "?";
	return english ? unit_levels[l].en : unit_levels[l].vi;
}

int unit_level_is_public(enum unit_level l)
{
	return l == UNIT_PROVINCE || l == UNIT_DISTRICT || l == UNIT_COMMUNE;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int unit_code_level(const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (code && strcmp(code, UNIT_COUNTRY_CODE) == 0)
		return UNIT_COUNTRY;
	if ((n == 2 || n == 3 || n == 5) && all_digits(code, n))
		return n == 2 ? UNIT_PROVINCE : n == 3 ? UNIT_DISTRICT : UNIT_COMMUNE;
	/* 00001-001 and 00001-001-0001 */
	if (n == 9 && all_digits(code, 5) && code[5] == '-' && all_digits(code + 6, 3))
		return UNIT_HAMLET;
	if (n == 14 && all_digits(code, 5) && code[5] == '-' &&
	    all_digits(code + 6, 3) && code[9] == '-' && all_digits(code + 10, 4))
		return UNIT_HOUSEHOLD;
	return -1;
}

int unit_code_check(const char *code, enum unit_level l, struct error *err)
{
	static const char *const shape_vi[UNIT_LEVEL_COUNT] = {
		"VN", "2 chữ số", "3 chữ số", "5 chữ số", "mã xã-3 chữ số",
		"mã thôn-4 chữ số" };
	static const char *const shape_en[UNIT_LEVEL_COUNT] = {
		"VN", "2 digits", "3 digits", "5 digits", "commune code-3 digits",
		"hamlet code-4 digits" };

	if (unit_code_level(code) == (int)l)
		return 0;
	if ((unsigned)l >= UNIT_LEVEL_COUNT)
		l = UNIT_COUNTRY;
	/* Each language prints its own shape and skips the other's (%.0s). */
	return error_set(err, THC_EINVAL,
	                 "mã đơn vị '%.40s' không đúng dạng của cấp %s%.0s (%s%.0s)",
	                 "unit code '%.40s' does not have the shape of a %.0s%s (%.0s%s)",
	                 code ? code : "", unit_level_title(l, 0), unit_level_name(l),
	                 shape_vi[l], shape_en[l]);
}

static int unit_code_too_long(const char *parent_code, struct error *err)
{
	return error_set(err, THC_ETOOBIG, "mã đơn vị con của '%.40s' quá dài",
	                 "the code of a child of '%.40s' is too long", parent_code);
}

int unit_child_code(const char *parent_code, enum unit_level child, int seq,
                    char *out, size_t outsz, struct error *err)
{
	int plevel = unit_code_level(parent_code);

	if (child == UNIT_HAMLET && plevel == UNIT_COMMUNE) {
		if (seq < 1 || seq > UNIT_HAMLET_SEQ_MAX)
			return error_set(err, THC_ECONFLICT,
			                 "xã '%s' đã có tối đa %d thôn/tổ dân phố",
			                 "commune '%s' already has the maximum of %d hamlets",
			                 parent_code, UNIT_HAMLET_SEQ_MAX);
		return text_fmt(out, outsz, "%s-%03d", parent_code, seq) < 0
		       ? unit_code_too_long(parent_code, err) : 0;
	}
	if (child == UNIT_HOUSEHOLD && plevel == UNIT_HAMLET) {
		if (seq < 1 || seq > UNIT_HOUSEHOLD_SEQ_MAX)
			return error_set(err, THC_ECONFLICT,
			                 "thôn '%s' đã có tối đa %d hộ",
			                 "hamlet '%s' already has the maximum of %d households",
			                 parent_code, UNIT_HOUSEHOLD_SEQ_MAX);
		return text_fmt(out, outsz, "%s-%04d", parent_code, seq) < 0
		       ? unit_code_too_long(parent_code, err) : 0;
	}
	return error_set_at(err, THC_EUNPROCESSABLE, "parent_code",
	                 "trường 'parent_code': '%.40s' không thể là đơn vị cha của cấp %s%.0s",
	                 "field 'parent_code': '%.40s' cannot be the parent of a %.0s%s",
	                 parent_code ? parent_code : "", unit_level_title(child, 0),
	                 unit_level_name(child));
}

int unit_path_code(const char *path, int n, char *out, size_t outsz)
{
	const char *p = path ? path : "";

	if (outsz > 0)
		out[0] = '\0';
	if (*p != '/' || n < 1)
		return -1;
	for (int k = 1; p[1] != '\0'; k++) {
		const char *e = strchr(p + 1, '/');

		if (e == NULL || e == p + 1)
			return -1;
		if (k == n) {
			if ((size_t)(e - p - 1) >= outsz)
				return -1;
			memcpy(out, p + 1, (size_t)(e - p - 1));
			out[e - p - 1] = '\0';
			return 0;
		}
		p = e;
	}
	return 1;
}

int unit_child_path(const char *parent_path, const char *code, char *out,
                    size_t outsz)
{
	return text_fmt(out, outsz, "%s%s/", parent_path, code) < 0 ? THC_ETOOBIG : 0;
}

int unit_hamlet_type_check(const char *type, struct error *err)
{
	char folded[64], want[64];

	text_fold(type ? type : "", folded, sizeof(folded));
	/* Exact names first: "tổ" and "tơ" fold alike but only one is a type. */
	for (size_t i = 0; type && i < ARRAY_SIZE(hamlet_types); i++)
		if (strcmp(type, hamlet_types[i]) == 0)
			return (int)i;
	for (size_t i = 0; type && i < ARRAY_SIZE(hamlet_types); i++) {
		text_fold(hamlet_types[i], want, sizeof(want));
		if (strcmp(folded, want) == 0)
			return (int)i;
	}
	return error_set_at(err, THC_EUNPROCESSABLE, "type",
	                 "trường 'type': '%.40s' không phải loại thôn/tổ dân phố đã biết (thôn, ấp, bản, tổ dân phố, khu phố, xóm, buôn, làng, khóm, tổ, khu, sóc, plây)",
	                 "field 'type': '%.40s' is not a known hamlet type (thôn, ấp, bản, tổ dân phố, khu phố, xóm, buôn, làng, khóm, tổ, khu, sóc, plây)",
	                 type);
}

const char *unit_hamlet_type_name(int i)
{
	return i >= 0 && (size_t)i < ARRAY_SIZE(hamlet_types) ? hamlet_types[i] : NULL;
}

int unit_name_check(const char *name, struct error *err)
{
	size_t n;
	const char *p;

	if (name == NULL)
		return error_set_at(err, THC_EUNPROCESSABLE, "name", "thiếu trường 'name'",
		                 "field 'name' is missing");
	for (p = name; *p == ' ' || *p == '\t'; p++)
		;
	n = strlen(name);
	if (*p == '\0')
		return error_set_at(err, THC_EUNPROCESSABLE, "name", "trường 'name' không được để trống",
		                 "field 'name' must not be empty");
	if (n > UNIT_NAME_MAX)
		return error_set_at(err, THC_EUNPROCESSABLE, "name",
		                 "trường 'name' dài quá %d byte", "field 'name' is longer than %d bytes",
		                 UNIT_NAME_MAX);
	if (!text_utf8_valid(name, n))
		return error_set_at(err, THC_EUNPROCESSABLE, "name", "trường 'name' không phải UTF-8 hợp lệ",
		                 "field 'name' is not valid UTF-8");
	{
		uint32_t bad = 0;
		long at = text_plain_check(name, n, false, &bad);

		if (at >= 0)
			return error_set_at(err, THC_EUNPROCESSABLE, "name",
			                 "trường 'name' có ký tự điều khiển (U+%04X) ở byte %ld",
			                 "field 'name' contains a control character (U+%04X) at byte %ld",
			                 (unsigned)bad, at + 1);
	}
	return 0;
}
