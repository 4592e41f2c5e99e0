/*
 * RFC 4180 CSV reader: quoted fields with "" escapes and embedded newlines,
 * CRLF or LF, an optional UTF-8 BOM, UTF-8 validation.  Every size is capped.
 * Errors say "line L, column C: what": C is the 1-based field number; L is
 * the line of the offending byte, or where the field starts for errors about
 * a whole field (UTF-8, unterminated quote, size).
 */
#ifndef THC_CSV_H
#define THC_CSV_H

#include <stddef.h>
#include <stdio.h>
#include "compat.h"
#include "error.h"

struct csv_limits {
	size_t max_field;     /* bytes in one field */
	size_t max_fields;    /* fields in one record */
	size_t max_record;    /* bytes in one record */
};
#define CSV_LIMITS_DEFAULT { 64 * 1024, 256, 256 * 1024 }

struct csv_reader;

/* A record: fields are NUL-terminated, valid until the next csv_next(). */
struct csv_record {
	size_t nfields;
	char **fields;
	size_t *lens;
	long line;            /* line where the record starts */
};

/* Reads from memory (not copied: must outlive the reader). */
int csv_open_mem(struct csv_reader **out, const char *data, size_t len,
                 const struct csv_limits *lim, struct error *err);
/* Reads from a stream (not closed by csv_free). */
int csv_open_file(struct csv_reader **out, FILE *f,
                  const struct csv_limits *lim, struct error *err);
/* 1 = a record, 0 = end of input, < 0 = error (THC_EINVAL / THC_ETOOBIG / THC_EIO). */
int csv_next(struct csv_reader *r, struct csv_record *rec, struct error *err);
void csv_free(struct csv_reader *r);
/* Where a reader from memory is: the bytes of data read so far (a record
 * read ends at its line end), and the line of the next byte.  A reader of
 * a later part of the same text is told the line it starts on, so that its
 * records and errors name the lines of the whole text. */
size_t csv_offset(const struct csv_reader *r);
long csv_line(const struct csv_reader *r);
void csv_set_line(struct csv_reader *r, long line);

/* Writes one field to f, quoting it when needed and neutralising a cell a
 * spreadsheet would take for a formula (a leading ' before =, +, -, @, tab
 * or CR, unless the cell is a plain number); csv_next() reads such a cell
 * back without the apostrophe, so export and import round-trip. */
int csv_write_field(FILE *f, const char *s, int last);
/* What csv_write_field writes, into memory: out holds at least
 * 2 * strlen(s) + 5 bytes.  Returns the bytes written (no NUL). */
size_t csv_format_field(char *out, const char *s, int last);
/* Whether a spreadsheet would take s for a formula (see csv_write_field). */
int csv_formula_like(const char *s);

#endif
