/*
 * Photos attached to a feedback request: which image types are taken,
 * told by their first bytes (magic numbers), never by the name or the
 * declared type alone, and how many and how large.  Pure.
 */
#ifndef THC_DOMAIN_FBPHOTO_H
#define THC_DOMAIN_FBPHOTO_H

#include <stddef.h>
#include "base/error.h"

#define FBPHOTO_PER_REQUEST 3
/* One photo per POST, the body the image itself: the transport's default
 * body cap (1 MiB, http.h) is the photo's cap too; the web client scales
 * a phone's picture down to fit. */
#define FBPHOTO_MAX_BYTES ((size_t)1 << 20)
#define FBPHOTO_MIN_BYTES 16

/* "image/jpeg", "image/png" or "image/webp" by the bytes, or NULL. */
const char *fbphoto_sniff(const unsigned char *b, size_t n);
/*
 * Checks a photo sent with the declared Content-Type `declared` (may carry
 * parameters): 0 with *type set, or THC_EMEDIATYPE (not an image we take,
 * or the bytes are not what the type says), THC_ETOOBIG (over the cap),
 * THC_EUNPROCESSABLE (empty), naming the field "photo".
 */
int fbphoto_check(const char *declared, const unsigned char *b, size_t n, const char **type,
                  struct error *err);

#endif
