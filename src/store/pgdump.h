/*
 * The PostgreSQL driver's backups through PostgreSQL's own programs:
 * pg_dump --format=custom and pg_restore, run without a shell.  The URL's
 * connection parameters reach them as PG* environment variables, so a
 * password never shows on a command line (ps, /proc/PID/cmdline).
 * Only postgres.c uses this.
 */
#ifndef THC_STORE_PGDUMP_H
#define THC_STORE_PGDUMP_H

#include "base/error.h"
#include "base/strbuf.h"

/* Writes the database at url to file (a new file) in pg_dump's custom format. */
int pgdump_dump(const char *url, const char *file, struct error *err);
/* Checks that file is a readable archive; *version gets the highest version
 * in its schema_migrations (0 when it has none). */
int pgdump_version(const char *file, int *version, struct error *err);
/* The archive's table of contents, as pg_restore --list prints it. */
int pgdump_list(const char *file, struct strbuf *toc, struct error *err);
/* Restores file into the database at url in one transaction (all or
 * nothing); clean: drop the archive's objects first. */
int pgdump_restore(const char *url, const char *file, int clean, struct error *err);

#endif
