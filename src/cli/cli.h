/*
 * Subcommands, git style: each is cli_<name>() in cli/<name>.c with its own
 * options, a row of the table in main.c that says what shared setup it
 * needs (the database); second-level commands are tables too.
 * Exit status: 0 success, 1 failure, 2 bad usage or bad input.
 */
#ifndef THC_CLI_H
#define THC_CLI_H

#include <stdio.h>
#include "base/error.h"
#include "store/store.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* What a command row asks cli_dispatch() to do before the command runs. */
enum cli_flags {
	CLI_STORE  = 1 << 0,   /* open the database --db names (taken out of argv) */
	CLI_SCHEMA = 1 << 1,   /* ... and bring its schema up to date first */
};

/* Shared by a command and its subcommands. */
struct cli_env {
	const char *db;        /* --db PATH|URL; NULL when not given */
	struct store *st;      /* open for CLI_STORE rows; NULL without --db or with --help */
};

typedef int cli_fn(int argc, char **argv, struct cli_env *env);

struct cli_cmd {
	const char *name;
	cli_fn *fn;
	unsigned flags;        /* enum cli_flags */
	const char *help;      /* one line, Vietnamese / English */
};

/*
 * Runs the row named by argv[0] (a command or a subcommand; the function
 * gets argv from there on).  For CLI_STORE rows it takes --db out of argv
 * and opens the database (CLI_SCHEMA: and migrates it) unless --help is
 * asked for, and closes it afterwards (a command with subcommands leaves
 * that to the subcommands' rows, so that an unknown one is a usage error
 * before anything is opened).  No name or an unknown one prints
 * `usage` to stderr and gives CLI_USAGE; --help prints it to stdout.
 */
int cli_dispatch(const struct cli_cmd *table, size_t n, int argc, char **argv,
                 struct cli_env *env, void (*usage)(FILE *));
/* The rows of a table as usage lines ("  name  help"). */
void cli_table_usage(FILE *f, const struct cli_cmd *table, size_t n);
/* For a command that needs the database: 0 when env->st is open, else
 * prints its usage to stderr and gives CLI_USAGE. */
int cli_need_store(const struct cli_env *env, void (*usage)(FILE *));

cli_fn cli_serve, cli_demo, cli_migrate, cli_backup, cli_restore, cli_import, cli_user,
       cli_rules, cli_assess, cli_routes, cli_feedback, cli_export, cli_apikey;
/* DHIS2 exchange (exchange.c): the mapping file, <data>/dhis2/mapping.json
 * when path is NULL (a new mapping in *out, dhis2_map_free). */
struct dhis2_map;
/* thichung import dhis2 (exchange.c). */
int cli_import_dhis2(int argc, char **argv, struct cli_env *env);
int cli_dhis2_map_load(const char *path, struct dhis2_map **out, struct error *err);
/* The unit boundaries the web map ships (<data>/geo_*.geojson). */
struct geo_boundaries;
struct geoloc;
/* serve --feedback-daily (daily.c): the daily feedback run in a thread, at
 * `minute` of the day in Việt Nam and at start when later; stop joins it
 * (NULL: nothing). */
struct cli_daily;
struct store_pool;
struct feedback_rules;
int cli_daily_start(struct store_pool *pool, const struct feedback_rules *rules, int minute,
                    struct cli_daily **out, struct error *err);
void cli_daily_stop(struct cli_daily *d);

/* The boundaries, and (loc not NULL) the index that locates points among them. */
int cli_geo_load(struct geo_boundaries **out, struct geoloc **loc, struct error *err);
/* The boundary files exist and can be read (what a start checks before
 * cli_geo_load runs on first need). */
int cli_geo_check(struct error *err);

/* Prints "thichung: <message>" (Vietnamese, then English) and returns the exit status for it. */
int cli_fail(const struct error *err);
/* The actor for changes made from the command line. */
struct store_actor cli_actor(void);
/* The directory of the shipped reference data (THC_DATA_DIR or the build's). */
const char *cli_data_dir(void);
/* dir/name into out; THC_EUSAGE naming the path when it does not fit. */
THC_MUST_CHECK int cli_data_path(const char *dir, const char *name, char *out, size_t outsz,
                                 struct error *err);
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
/* Loads the feedback categories and holidays (data/feedback.json). */
struct feedback_rules;
int cli_feedback_load(const char *path, struct feedback_rules **out, struct error *err);
/* Loads the support programmes, one file each (the .json files of data/support). */
struct support_catalog;
int cli_support_load(struct support_catalog **out, struct error *err);
/* data/business/risk-2194.json (domain/business.h). */
struct business_risk_rules;
int cli_business_load(const char *path, struct business_risk_rules **out, struct error *err);
/* The inspection checklist templates: every *.json of dir (inspections.c). */
struct insp_templates;
int cli_inspections_load(const char *dir, struct insp_templates **out, struct error *err);
/* thichung import cases / daily-cases */
int cli_import_cases_file(struct store *st, const char *path, size_t *ins, size_t *upd,
                          size_t *skip, struct error *err);
int cli_import_daily_cases_file(struct store *st, const char *path, size_t *n,
                                struct error *err);
/* Reads a password line from standard input (no echo when it is a terminal). */
int cli_read_password(char *out, size_t outsz, struct error *err);

#endif
