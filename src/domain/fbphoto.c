/*
 * Feedback photos (fbphoto.h): JPEG starts FF D8 FF; PNG with its 8-byte
 * signature; WebP is a RIFF container whose form type at byte 8 is "WEBP".
 */
#include <string.h>
#include <strings.h>

#include "domain/fbphoto.h"
#include "base/banned.h"

const char *fbphoto_sniff(const unsigned char *b, size_t n)
{
	if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return "image/jpeg";
	if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

/* The media type without parameters ("image/png; x=y" -> 9 bytes), case-insensitive. */
static int fbphoto_type_is(const char *declared, const char *type)
{
	size_t n = strcspn(declared, "; \t");

	return n == strlen(type) && strncasecmp(declared, type, n) == 0;
}

int fbphoto_check(const char *declared, const unsigned char *b, size_t n, const char **type,
                  struct error *err)
{
	const char *t;

	*type = NULL;
	if (n > FBPHOTO_MAX_BYTES)
		return error_set_at(err, THC_ETOOBIG, "photo", "ảnh lớn hơn %zu byte",
		                    "the photo is larger than %zu bytes", FBPHOTO_MAX_BYTES);
	if (n < FBPHOTO_MIN_BYTES)
		return error_set_at(err, THC_EUNPROCESSABLE, "photo", "ảnh rỗng hoặc quá nhỏ",
		                    "the photo is empty or too small");
	if ((t = fbphoto_sniff(b, n)) == NULL)
		return error_set_at(err, THC_EMEDIATYPE, "photo",
		                    "ảnh phải là JPEG, PNG hoặc WebP",
		                    "the photo must be a JPEG, PNG or WebP image");
	if (declared == NULL || !fbphoto_type_is(declared, t))
		return error_set_at(err, THC_EMEDIATYPE, "photo",
		                    "Content-Type phải là %s cho ảnh này",
		                    "Content-Type must be %s for this photo", t);
	*type = t;
	return 0;
}
