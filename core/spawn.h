/*
 * spawn: runs a child through /bin/sh -c (or, given argv, directly) with
 * its output captured, so that nothing it prints reaches the terminal
 * behind the caller's back.
 *
 * The command line is the user's own (a config or mailcap entry): no text
 * from a message or a server may be put in it unless it is made of safe
 * characters only (see ui/mailcap.h).
 *
 * Safe to call from any thread: everything the child needs is prepared
 * before fork(), and the child makes only async-signal-safe calls.
 */
#ifndef POSTIE_CORE_SPAWN_H
#define POSTIE_CORE_SPAWN_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

struct spawn_opts {
	const char *command; /* run as /bin/sh -c command */
	/* Instead of command: argv[0] (searched in PATH) with these
	 * arguments, no shell, NULL-terminated.  For a hook that gets text
	 * from mail (a URL, a folder name) as an argument of its own. */
	const char *const *argv;
	/* "$1" of the command, or NULL: a file name given this way never
	 * becomes part of the command text. */
	const char *arg1;
	/* The child's standard input: a descriptor (not closed here), or
	 * -1 for /dev/null (or the terminal with tty). */
	int in_fd;
	/*
	 * tty: the child gets the terminal's stdout and stderr (an
	 * interactive viewer; the caller has left curses mode), and this
	 * process ignores SIGINT and SIGQUIT until it exits, as system()
	 * does.  Otherwise stderr is captured, and stdout too (into out,
	 * or dropped when out is NULL).
	 */
	int tty;
	/* Without tty: stdout is kept here, at most out_max bytes (the rest
	 * is read and dropped).  The space is reserved before the first
	 * byte, so that a secret is never left behind in a freed block. */
	struct buf *out;
	size_t out_max;
	/* Without tty: the child, and what it started, are killed
	 * (SIGKILL) after this many milliseconds; 0: no limit. */
	unsigned timeout_ms;
};

struct spawn_result {
	int status;    /* waitpid() status (if not timed_out) */
	int timed_out; /* killed at the deadline */
	/* The first line of its stderr that is not blank, cleaned with
	 * str_clean_display and cut to fit; "" if none (or with tty). */
	char errline[200];
};

/*
 * Runs o->command and waits for it.  Returns 0 if the child ran (whatever
 * its status: see spawn_ok), -1 with a sentence in err if it could not be
 * started.
 */
int spawn_run(const struct spawn_opts *o, struct spawn_result *r,
    struct error *err);

/*
 * An argv for spawn_opts.argv: the words of command (a config value,
 * split at blanks; no quoting, no shell), then args (NULL-terminated,
 * each one element whatever it holds).  NULL if command has no word.
 * Free with spawn_argv_free.
 */
char **spawn_argv(const char *command, const char *const *args);
void spawn_argv_free(char ***argv);

/* 1 if the child exited with status 0. */
int spawn_ok(const struct spawn_result *r);

/*
 * How the child ended, in words, into out: "exited with 3", "was killed
 * by signal 9", "did not finish within N seconds", "exited normally".
 * timeout_ms is the limit it was given (for the wording).  Also for a
 * status from system() or waitpid() (then r->timed_out is 0).
 */
const char *spawn_status_words(const struct spawn_result *r,
    unsigned timeout_ms, char *out, size_t outsize);

/*
 * Sets err to "WHAT STATUS-WORDS: ERRLINE" (": ERRLINE" only when the
 * child wrote something on stderr), e.g. "password_command of account
 * 'work' exited with 127: sh: 1: pass: not found".  Returns -1.
 */
int spawn_error(struct error *err, const struct spawn_result *r,
    unsigned timeout_ms, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
