/*
 * Backups and restores of the whole database (backup.c).  Nothing is
 * returned by pointer.
 */
#ifndef THC_STORE_BACKUP_H
#define THC_STORE_BACKUP_H

#include "base/error.h"

struct store;

/*
 * In the backend's own format: SQLite's
 * online backup API (a live server keeps serving), pg_dump --format=custom.
 * store_backup writes file.tmp next to file, checks it, then renames it over
 * file; *version gets the schema version backed up.
 */
int store_backup(struct store *st, const char *file, int *version, struct error *err);
enum store_restore_flags {
	STORE_RESTORE_FORCE = 1 << 0,   /* replace a database that is not empty */
};
/*
 * Replaces the database with a backup from store_backup on the same backend.
 * Refuses (changing nothing) a file that is not a thichung backup, one of the
 * other backend, one from a newer schema than this binary knows, and without
 * STORE_RESTORE_FORCE a database that holds any table (THC_ECONFLICT).
 * *version gets the schema version restored.
 */
int store_restore(struct store *st, const char *file, unsigned flags, int *version,
                  struct error *err);

#endif
