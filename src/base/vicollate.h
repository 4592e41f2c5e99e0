/*
 * Vietnamese alphabetical order for names (vicollate.c): "Đặng" after
 * "Dũng" and before "Hà", "Ánh" beside "Anh", whatever the bytes say.  The
 * SQLite store registers it as the collation "vi"; PostgreSQL's "vi" is
 * ICU's Vietnamese (schema step 23), which orders names the same way.
 */
#ifndef THC_BASE_VICOLLATE_H
#define THC_BASE_VICOLLATE_H

#include <stddef.h>

/* <0, 0 or >0 as UTF-8 text a comes before, is, or comes after b; 0 only
 * for the same bytes. */
int vi_compare(const void *a, size_t na, const void *b, size_t nb);

#endif
