/*
 * cli: the subcommands of `postie` (doc/postie.1; doc/HACKING.md, How to
 * add…, a CLI subcommand).
 *
 * Each command gets the options common to all (already parsed by main.c)
 * and its own arguments (argv[0] is the command name).  It prints
 * scriptable output on stdout and returns the process exit status: 0 on
 * success, otherwise after printing one line "postie: REASON" on stderr
 * (use cli_fail).  2 means a usage error.
 */
#ifndef POSTIE_UI_CLI_H
#define POSTIE_UI_CLI_H

#include "core/config.h"

struct cli_opts {
	const char *config_path; /* -c FILE, or NULL for the XDG default */
	int debug;               /* -d */
	const char *account;     /* -a */
	const char *folder;      /* -f */
	const char *commands;    /* -e */
	int compose;             /* postie compose: start in the editor */
	const char *mailto;      /* its mailto: URI (or addresses), or NULL */
};

struct cli_cmd {
	const char *name;
	int (*run)(const struct cli_opts *opts, int argc, char **argv);
	const char *usage; /* "sync [ACCOUNT...] [--bodies]" */
	const char *help;  /* one line */
};

/* The command table (main.c). */
extern const struct cli_cmd cli_cmds[];

/* Prints "postie: " + message + newline on stderr; returns 1.  The
 * message often quotes a server or a message, so it is cleaned as the TUI
 * cleans what it draws (str_clean_display): one line, no controls. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints one record of scriptable output on stdout: the n fields escaped
 * and joined by str_tsv_record (core/str.h), so that no field can hold a
 * TAB, a line break or a control.  Every command's records go through
 * here. */
void cli_record(const char *const *fields, size_t n);
/* Prints s on stdout cleaned by str_clean_display (keep_newlines as
 * there): for the human-readable text of a command. */
void cli_print_clean(const char *s, size_t len, int keep_newlines);
/* Prints a server's [ALERT] on stderr, "ACCOUNT: server alert: TEXT",
 * cleaned as cli_fail's sentence is. */
void cli_alert(const char *account, const char *text);
/* "ACCOUNT" SEP "TEXT" on stderr, cleaned (cli_alert's SEP is
 * ": server alert: "). */
void cli_say(const char *account, const char *sep, const char *text);
/* Loads the configuration named by opts (or the default file).  On error
 * prints it and returns NULL. */
struct config *cli_load_config(const struct cli_opts *opts);
/* Opens the log file under the state folder (debug per opts).  A state
 * folder that is not safe (paths_mkdir) is printed and -1 returned: the
 * caller stops.  A log file that cannot be opened is printed as a warning
 * and postie goes on without one (0). */
int cli_open_log(const struct cli_opts *opts);

int cli_accounts(const struct cli_opts *opts, int argc, char **argv);
int cli_check_config(const struct cli_opts *opts, int argc, char **argv);
int cli_sync(const struct cli_opts *opts, int argc, char **argv);
int cli_folders(const struct cli_opts *opts, int argc, char **argv);
int cli_list(const struct cli_opts *opts, int argc, char **argv);
int cli_view(const struct cli_opts *opts, int argc, char **argv);
int cli_send(const struct cli_opts *opts, int argc, char **argv);
int cli_outbox(const struct cli_opts *opts, int argc, char **argv);
int cli_compose(const struct cli_opts *opts, int argc, char **argv);
int cli_authorize(const struct cli_opts *opts, int argc, char **argv);

#endif
