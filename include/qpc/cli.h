/* cli.h — the command line: global options, commands, shared helpers.
 *
 * main() calls qpc_cli_main(); each command is a function taking the
 * parsed global context and its own arguments (argv[0] is the command
 * name) and returning a process exit status: 0 success, 1 failure, 2 usage.
 */
#ifndef QPC_CLI_H
#define QPC_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "qpc/date.h"
#include "qpc/error.h"
#include "qpc/store.h"

struct qpc_cli {
	char *db_path;    /* owned */
	char *user;       /* owned */
	qpc_date as_of;
	bool as_of_given; /* --as-of was on the command line */
	int64_t now;      /* Unix time; $QPC_NOW overrides the clock */
	bool now_fixed;   /* $QPC_NOW was set: the clock does not move */
	FILE *out, *err;  /* not owned */
};

int qpc_cli_main(int argc, char **argv);
/* The same with the output and messages going to out and err (commands
 * that write to "-" still use stdout); callable again in one process, for
 * tests/fuzz/fuzz_cli.c. */
int qpc_cli_run(int argc, char **argv, FILE *out, FILE *err);

/* Prints "qpc: <message>" on stderr and returns the exit status for rc. */
int cli_fail(const struct qpc_cli *c, enum qpc_rc rc, const struct qpc_error *e);
/* Prints "qpc: <formatted>" plus a hint to see --help; returns 2. */
int cli_usage(const struct qpc_cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The usage error for what getopt_long returned ('?' or ':'; optstrings
 * start with "+:"), naming the option as the user typed it. */
int cli_bad_option(const struct qpc_cli *c, const char *cmd, char **argv, int o);
/* getopt_long with optstring "+:" for a command's options, but a
 * negative number ("-5", "-12.5k", "-.5") is an argument, not an option:
 * -1 then, as for any argument. */
int cli_getopt(int argc, char **argv, const struct option *opts);
/* Opens the database for a command, with the actor set. */
enum qpc_rc cli_open(const struct qpc_cli *c, unsigned flags, struct qpc_store **st,
                     struct qpc_error *e);

/* Opens the database and finds ACCOUNT (an external id or an exact name;
 * NULL: none, *id 0); on failure prints why, closes the store and returns
 * the exit status. */
int cli_open_account(struct qpc_cli *c, const char *key, struct qpc_store **st, int64_t *id);
/* Closes the store, then says what went wrong (its exit status) or, done,
 * `said` (NULL: nothing). */
int cli_done(struct qpc_cli *c, struct qpc_store *st, enum qpc_rc rc, const struct qpc_error *e,
             const char *said);
/* A checklist step as typed: its number (1..1000), else 0 for its text. */
int cli_step_number(const char *arg);
/* The account as the dashboard's list shows it at the as-of date; false
 * when it cannot be read. */
struct qpc_browse_row;
bool cli_account_row(struct qpc_cli *c, struct qpc_store *st, int64_t id,
                     struct qpc_browse_row *row);

/* Prints the report (text or JSON) for the context's database and date. */
int cli_print_report(struct qpc_cli *c, bool json);

int cmd_init(struct qpc_cli *c, int argc, char **argv);
int cmd_report(struct qpc_cli *c, int argc, char **argv);
int cmd_export(struct qpc_cli *c, int argc, char **argv);
int cmd_import(struct qpc_cli *c, int argc, char **argv);
int cmd_potential(struct qpc_cli *c, int argc, char **argv);
int cmd_candidate(struct qpc_cli *c, int argc, char **argv);
int cmd_tick(struct qpc_cli *c, int argc, char **argv);
int cmd_step(struct qpc_cli *c, int argc, char **argv);
int cmd_tasks(struct qpc_cli *c, int argc, char **argv);
int cmd_checklist(struct qpc_cli *c, int argc, char **argv);
int cmd_trait(struct qpc_cli *c, int argc, char **argv);
int cmd_user(struct qpc_cli *c, int argc, char **argv);
int cmd_rate(struct qpc_cli *c, int argc, char **argv);
int cmd_untick(struct qpc_cli *c, int argc, char **argv);
int cmd_goal(struct qpc_cli *c, int argc, char **argv);
int cmd_template(struct qpc_cli *c, int argc, char **argv);
int cmd_history(struct qpc_cli *c, int argc, char **argv);
int cmd_contract(struct qpc_cli *c, int argc, char **argv);
int cmd_setting(struct qpc_cli *c, int argc, char **argv);
int cmd_trend(struct qpc_cli *c, int argc, char **argv);
int cmd_backup(struct qpc_cli *c, int argc, char **argv);
int cmd_tui(struct qpc_cli *c, int argc, char **argv);

#endif
