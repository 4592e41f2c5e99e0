/*
 * Files written whole and then put in place, so that a reader sees the old
 * file or the new one, never half of one, even after a power cut.
 */
#ifndef THC_FILE_H
#define THC_FILE_H

#include "base/error.h"

/* Makes tmp durable, renames it to path (same directory), and makes the
 * rename durable: fsync(tmp), rename(), fsync(the directory). */
int file_replace(const char *tmp, const char *path, struct error *err);

#endif
