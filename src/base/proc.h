/*
 * Running a helper program (pg_dump, pg_restore) without a shell: the argv
 * as given, found on PATH; extra environment variables on top of ours, so
 * secrets never appear on a command line; stdin from /dev/null; stdout and
 * stderr captured.
 */
#ifndef THC_PROC_H
#define THC_PROC_H

#include "base/error.h"
#include "base/strbuf.h"

/*
 * Runs argv[0] with argv and waits for it.  env: "NAME=value" strings that
 * replace or add to the inherited environment, NULL-terminated (may be
 * NULL).  out: receives stdout up to out->max (more is THC_ETOOBIG), or
 * NULL to discard it.  errout: receives the first errout->max bytes of
 * stderr; the rest is dropped.  *status: the exit status, or 128 + the
 * signal that ended it.
 * Returns 0 once the program ran (whatever its status), THC_ENOTFOUND if it
 * is not installed, THC_EIO or THC_ENOMEM if it could not be run.
 */
int proc_run(const char *const argv[], const char *const env[], struct strbuf *out,
             struct strbuf *errout, int *status, struct error *err);

#endif
