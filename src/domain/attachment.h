/*
 * Files attached to a directive: what kind a file is, told by its first
 * bytes (never by its name), the name it may carry, and the
 * Content-Disposition it is downloaded with (RFC 6266 with the RFC 5987
 * filename* for names in Vietnamese).  Pure: no I/O.
 */
#ifndef THC_ATTACHMENT_H
#define THC_ATTACHMENT_H

#include <stddef.h>
#include "base/error.h"

#define ATTACHMENT_SIZE_MAX ((size_t)5 << 20)  /* bytes of one file */
#define ATTACHMENTS_MAX 10                     /* files on one directive */
#define ATTACHMENT_NAME_MAX 200                /* bytes of a file name */
#define ATTACHMENT_DISPOSITION_MAX 1024        /* fits the longest name escaped */

/* The media type of the bytes: PDF, JPEG, PNG, or a DOCX/XLSX (a ZIP
 * holding word/ or xl/ parts); NULL for anything else. */
const char *attachment_sniff(const unsigned char *b, size_t n);

/* A file name as a person gave it: 1..ATTACHMENT_NAME_MAX bytes of plain
 * UTF-8, no path separators, not starting with a dot.  0 or
 * THC_EUNPROCESSABLE on `field`. */
int attachment_name_check(const char *name, const char *field, struct error *err);

/* "attachment; filename=\"ASCII\"; filename*=UTF-8''PERCENT": the ASCII
 * form has every other byte as '_'.  0, or -1 when out is too small. */
int attachment_disposition(const char *name, char *out, size_t outsz);

#endif
