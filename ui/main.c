/* postie: option parsing and the dispatch to subcommands or the TUI. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <unistd.h>

#include "cache/recover.h"
#include "core/config.h"
#include "core/log.h"
#include "ui/cli.h"
#include "ui/tui.h"

const struct cli_cmd cli_cmds[] = {
	{ "accounts", cli_accounts, "accounts",
	    "one line per account: name, protocol, security, mode" },
	{ "check-config", cli_check_config, "check-config",
	    "validate the configuration and explain each account" },
	{ "view", cli_view, "view [--html] FILE",
	    "render a message file as the pager shows it" },
	{ "sync", cli_sync, "sync [-q] [ACCOUNT...] [--bodies]",
	    "download new mail and changes for the accounts, headless" },
	{ "folders", cli_folders, "folders ACCOUNT",
	    "one line per cached folder: name, total, unread" },
	{ "list", cli_list, "list ACCOUNT[/FOLDER] [PATTERN]",
	    "one line per cached message (that matches): uid, flags, date, "
	    "from, subject" },
	{ "send", cli_send, "send [-a ACCOUNT] [--queue] [FILE]",
	    "submit one message (stdin without FILE), as sendmail -t" },
	{ "outbox", cli_outbox, "outbox [ACCOUNT]",
	    "one line per message not yet sent" },
	{ "authorize", cli_authorize, "authorize [--device] ACCOUNT",
	    "sign in to an OAuth2 account once, in a browser" },
	{ "compose", cli_compose, "compose [-a ACCOUNT] [ADDRESS... | mailto:URI]",
	    "write a message in the editor, then send it" },
	{ NULL, NULL, NULL, NULL },
};

/*
 * A core dump or a debugger attached by another process of this user
 * would reveal the passwords held while logging in: no core file
 * (RLIMIT_CORE 0, also for the children, which inherit it) and not
 * dumpable (which also keeps ptrace and /proc/PID/mem to root).
 */
static void
no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) < 0
#ifdef __linux__
	    || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0
#endif
	    )
		fprintf(stderr, "postie: warning: cannot disable core dumps: "
		    "%s\n", strerror(errno));
}

static void
usage(FILE *fp)
{
	const struct cli_cmd *c;

	fprintf(fp,
	    "usage: postie [-d] [-c FILE] [-a ACCOUNT [-f FOLDER]] [-e COMMANDS]\n"
	    "       postie [-d] [-c FILE] COMMAND [ARGS...]\n"
	    "       postie --help | --version\n\n"
	    "With no command, postie opens the mail reader.\n\n"
	    "Options:\n"
	    "  -c FILE     configuration file (default "
	    "$XDG_CONFIG_HOME/postie/config)\n"
	    "  -d          write debug messages to the log file\n"
	    "  -a ACCOUNT  open this account's folder list\n"
	    "  -f FOLDER   with -a, open this folder's index\n"
	    "  -e COMMANDS run these commands once the start folder is loaded\n\n"
	    "Commands:\n");
	for (c = cli_cmds; c->name; c++)
		fprintf(fp, "  %-30s %s\n", c->usage, c->help);
	fprintf(fp, "\nWith no configuration file, postie in a terminal opens a "
	    "setup form.\nThe manual: man postie, and man postie.conf for the "
	    "configuration.\n");
}

/* cache_open() rebuilt a damaged index: say so once, after the command. */
static void
show_recover_notice(void)
{
	const char *n = db_recover_notice();

	if (n != NULL)
		fprintf(stderr, "postie: %s\n", n);
}

int
main(int argc, char **argv)
{
	struct cli_opts opts;
	const struct cli_cmd *c;
	int ch;

	/* Over a file size limit (ulimit -f), write() should fail with
	 * EFBIG and become an error sentence, not kill us mid-download. */
	signal(SIGXFSZ, SIG_IGN);
	no_core_dumps();
	memset(&opts, 0, sizeof(opts));
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("postie %s\n", PACKAGE_VERSION);
		return 0;
	}
	/* '+': stop at the first non-option, the command. */
	while ((ch = getopt(argc, argv, "+c:da:f:e:h")) != -1) {
		switch (ch) {
		case 'c': opts.config_path = optarg; break;
		case 'd': opts.debug = 1; break;
		case 'a': opts.account = optarg; break;
		case 'f': opts.folder = optarg; break;
		case 'e': opts.commands = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (opts.folder && !opts.account) {
		fprintf(stderr, "postie: -f needs -a ACCOUNT\n");
		return 2;
	}
	if (argc == 0) {
		int rc = tui_run(&opts);

		show_recover_notice();
		return rc;
	}
	/* "Every command takes -c FILE", after the command name too. */
	{
		int i, j;

		for (i = j = 1; i < argc; i++) {
			if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
				opts.config_path = argv[++i];
			else if (strcmp(argv[i], "-d") == 0)
				opts.debug = 1;
			else
				argv[j++] = argv[i];
		}
		argv[j] = NULL;
		argc = j;
	}
	for (c = cli_cmds; c->name; c++) {
		if (strcmp(c->name, argv[0]) == 0) {
			int rc;

			optind = 1; /* commands parse their own options */
			if (cli_open_log(&opts) < 0)
				return 1;
			rc = c->run(&opts, argc, argv);
			show_recover_notice();
			log_close();
			return rc;
		}
	}
	cli_fail("unknown command '%s' (see postie --help)", argv[0]);
	return 2;
}
