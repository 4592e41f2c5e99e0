/*
 * Subcommands, git style: each is cli_<name>() in cli/<name>.c with its own
 * options; main() picks one from the table in main.c.
 * Exit status: 0 success, 1 failure, 2 bad usage or bad input.
 */
#ifndef THC_CLI_H
#define THC_CLI_H

#include <stdio.h>
#include "base/error.h"
#include "store/store.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

int cli_serve(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_rules(int argc, char **argv);
int cli_assess(int argc, char **argv);
int cli_routes(int argc, char **argv);

/* Prints "thichung: <message>" (Vietnamese, then English) and returns the exit status for it. */
int cli_fail(const struct error *err);
/* Opens the database and applies pending migrations. */
int cli_store_open(const char *db, struct store **st, struct error *err);
/* The actor for changes made from the command line. */
struct store_actor cli_actor(void);
/* The directory of the shipped reference data (THC_DATA_DIR or the build's). */
const char *cli_data_dir(void);
/* Imports a units CSV / a population CSV file. */
int cli_import_units_file(struct store *st, const char *path, size_t *ins,
                          size_t *upd, struct error *err);
int cli_import_population_file(struct store *st, const char *path, size_t *n,
                               struct error *err);
int cli_import_levels_file(struct store *st, const char *path, size_t *n,
                           struct error *err);
int cli_import_measures_file(struct store *st, const char *province, const char *path,
                             struct error *err);
/* Loads the level rule sets: every *.json of dir. */
struct level_catalog;
int cli_level_rules_load(const char *dir, struct level_catalog **cat, struct error *err);
/* Loads the dated quarantine rules (data/quarantine.json). */
struct quarantine_rules;
int cli_quarantine_load(const char *path, struct quarantine_rules **out, struct error *err);
/* thichung import cases / daily-cases */
int cli_import_cases_file(struct store *st, const char *path, size_t *ins, size_t *upd,
                          size_t *skip, struct error *err);
int cli_import_daily_cases_file(struct store *st, const char *path, size_t *n,
                                struct error *err);
/* Reads a password line from standard input (no echo when it is a terminal). */
int cli_read_password(char *out, size_t outsz, struct error *err);

#endif
