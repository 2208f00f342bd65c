/* spawn: a child with its output captured (contract in spawn.h). */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include "core/spawn.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/str.h"

/* Enough of stderr to find its first non-blank line. */
#define ERR_KEEP 4096

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* In the child: only async-signal-safe calls from here on. */
static void
child(const struct spawn_opts *o, int in, int out, int errfd)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	/* Dispositions set to "ignore" survive exec: give the child the
	 * defaults (SIGPIPE and SIGXFSZ especially). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if ((in >= 0 && in != STDIN_FILENO && dup2(in, STDIN_FILENO) < 0) ||
	    (out >= 0 && dup2(out, STDOUT_FILENO) < 0) ||
	    (errfd >= 0 && dup2(errfd, STDERR_FILENO) < 0))
		_exit(127);
	if (o->argv) {
		execvp(o->argv[0], (char *const *)o->argv);
		(void)!write(STDERR_FILENO, "cannot run the command\n", 23);
		_exit(127);
	}
	if (o->arg1)
		execl("/bin/sh", "sh", "-c", o->command, "sh", o->arg1,
		    (char *)NULL);
	else
		execl("/bin/sh", "sh", "-c", o->command, (char *)NULL);
	_exit(127);
}

/* The first line of s[0..len) with more than blanks, cleaned, into r. */
static void
first_line(struct spawn_result *r, const char *s, size_t len)
{
	struct buf clean = BUF_INIT;
	const char *p = s, *end = s + len, *nl;
	size_t n;

	r->errline[0] = '\0';
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		buf_reset(&clean);
		str_clean_display(&clean, p, (size_t)(nl - p), 0);
		if (clean.len > 0 && str_trim(clean.data)[0] != '\0')
			break;
		if (nl == end)
			break;
	}
	if (clean.len > 0 && clean.data[0] != '\0') {
		n = strlen(clean.data);
		if (n >= sizeof(r->errline)) {
			/* cut before a UTF-8 continuation byte, not inside */
			n = sizeof(r->errline) - 1;
			while (n > 0 &&
			    ((unsigned char)clean.data[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(r->errline, clean.data, n);
		r->errline[n] = '\0';
	}
	buf_free(&clean);
}

/* Reads both pipes to their end or the deadline (0: none); 1 on
 * timeout. */
static int
drain(const struct spawn_opts *o, int *outfd, int *errfd, struct buf *errb,
    int64_t deadline)
{
	char chunk[512];
	int rc = 0;

	while (*outfd >= 0 || *errfd >= 0) {
		struct pollfd pfd[2];
		int n = 0, i, wait = -1;

		if (deadline) {
			int64_t left = deadline - clock_ms();

			if (left <= 0) {
				rc = 1;
				break;
			}
			wait = left > INT_MAX ? INT_MAX : (int)left;
		}
		if (*outfd >= 0)
			pfd[n++] = (struct pollfd){ *outfd, POLLIN, 0 };
		if (*errfd >= 0)
			pfd[n++] = (struct pollfd){ *errfd, POLLIN, 0 };
		if (poll(pfd, (nfds_t)n, wait) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n; i++) {
			int is_out = pfd[i].fd == *outfd;
			ssize_t got;

			if (pfd[i].revents == 0)
				continue;
			got = read(pfd[i].fd, chunk, sizeof(chunk));
			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (got <= 0) {
				close_fd(is_out ? outfd : errfd);
				continue;
			}
			if (is_out && o->out) {
				size_t room = o->out_max > o->out->len ?
				    o->out_max - o->out->len : 0;

				buf_add(o->out, chunk,
				    (size_t)got < room ? (size_t)got : room);
			} else if (!is_out && errb->len < ERR_KEEP) {
				size_t room = ERR_KEEP - errb->len;

				buf_add(errb, chunk,
				    (size_t)got < room ? (size_t)got : room);
			}
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
	return rc;
}

/*
 * Kills pid and what it started, at the deadline: a shell's children (a
 * token helper in a pipeline, say) would otherwise live on.  Each is
 * stopped before its children are read (Linux lists them in /proc), so
 * none starts another meanwhile.  Not a process group of its own: a
 * command may still prompt on the terminal, which a background group
 * could not.
 */
static void
kill_tree(pid_t pid, int depth)
{
	char path[64];
	FILE *f;
	long child;

	kill(pid, SIGSTOP);
	snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children",
	    (long)pid, (long)pid);
	if (depth < 16 && (f = fopen(path, "re")) != NULL) {
		while (fscanf(f, "%ld", &child) == 1)
			if (child > 1)
				kill_tree((pid_t)child, depth + 1);
		fclose(f);
	}
	kill(pid, SIGKILL);
}

int
spawn_run(const struct spawn_opts *o, struct spawn_result *r,
    struct error *err)
{
	struct sigaction ign, old_int, old_quit;
	struct buf errb = BUF_INIT;
	int null = -1, outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int in, out, errfd, saved = 0;
	int64_t deadline = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (o->tty) {
		in = o->in_fd; /* -1: the terminal's own */
		out = errfd = -1;
	} else {
		if ((o->in_fd < 0 || o->out == NULL) &&
		    (null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
			goto fail;
		if ((o->out && pipe2(outp, O_CLOEXEC) < 0) ||
		    pipe2(errp, O_CLOEXEC) < 0)
			goto fail;
		in = o->in_fd >= 0 ? o->in_fd : null;
		out = o->out ? outp[1] : null;
		errfd = errp[1];
		/* reserved now: no realloc may copy (and leave) a secret */
		if (o->out)
			buf_grow(o->out, o->out_max + 1);
		buf_grow(&errb, ERR_KEEP + 1);
	}
	if (o->tty) {
		/* ^C and ^\ at the terminal are for the child, as with
		 * system(). */
		memset(&ign, 0, sizeof(ign));
		ign.sa_handler = SIG_IGN;
		sigemptyset(&ign.sa_mask);
		sigaction(SIGINT, &ign, &old_int);
		sigaction(SIGQUIT, &ign, &old_quit);
		saved = 1;
	}
	if ((pid = fork()) < 0)
		goto fail;
	if (pid == 0)
		child(o, in, out, errfd);
	close_fd(&outp[1]);
	close_fd(&errp[1]);
	close_fd(&null);
	if (!o->tty) {
		if (o->timeout_ms)
			deadline = clock_ms() + o->timeout_ms;
		if (drain(o, &outp[0], &errp[0], &errb, deadline) == 1) {
			kill_tree(pid, 0);
			r->timed_out = 1;
		}
		close_fd(&outp[0]);
		close_fd(&errp[0]);
	}
	while (waitpid(pid, &r->status, 0) < 0) {
		if (errno != EINTR) {
			r->status = -1;
			break;
		}
	}
	if (saved) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
	}
	first_line(r, buf_cstr(&errb), errb.len);
	buf_free(&errb);
	return 0;
fail:
	error_errno(err, errno, "cannot start %s",
	    o->argv ? o->argv[0] : "/bin/sh");
	if (saved) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
	}
	close_fd(&null);
	close_fd(&outp[0]);
	close_fd(&outp[1]);
	close_fd(&errp[0]);
	close_fd(&errp[1]);
	buf_free(&errb);
	return -1;
}

int
spawn_ok(const struct spawn_result *r)
{
	return !r->timed_out && r->status != -1 && WIFEXITED(r->status) &&
	    WEXITSTATUS(r->status) == 0;
}

const char *
spawn_status_words(const struct spawn_result *r, unsigned timeout_ms,
    char *out, size_t outsize)
{
	if (r->timed_out) {
		unsigned s = (timeout_ms + 999) / 1000;

		snprintf(out, outsize, "did not finish within %u second%s", s,
		    s == 1 ? "" : "s");
	} else if (r->status == -1)
		snprintf(out, outsize, "could not be waited for");
	else if (WIFSIGNALED(r->status))
		snprintf(out, outsize, "was killed by signal %d",
		    WTERMSIG(r->status));
	else if (WIFEXITED(r->status) && WEXITSTATUS(r->status) != 0)
		snprintf(out, outsize, "exited with %d",
		    WEXITSTATUS(r->status));
	else
		snprintf(out, outsize, "exited normally");
	return out;
}

int
spawn_error(struct error *err, const struct spawn_result *r,
    unsigned timeout_ms, const char *fmt, ...)
{
	char what[ERROR_MAX], words[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	spawn_status_words(r, timeout_ms, words, sizeof(words));
	if (r->errline[0])
		return error_set(err, "%s %s: %s", what, words, r->errline);
	return error_set(err, "%s %s", what, words);
}

char **
spawn_argv(const char *command, const char *const *args)
{
	char **v = NULL;
	size_t n = 0, cap = 0, na = 0, i;
	const char *p = command, *e;

	while (args && args[na])
		na++;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e && *e != ' ' && *e != '\t'; e++)
			;
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = xstrndup(p, (size_t)(e - p));
		p = e;
	}
	if (n == 0) {
		free(v);
		return NULL;
	}
	v = xreallocarray(v, n + na + 1, sizeof(*v));
	for (i = 0; i < na; i++)
		v[n++] = xstrdup(args[i]);
	v[n] = NULL;
	return v;
}

void
spawn_argv_free(char ***argv)
{
	size_t i;

	if (*argv == NULL)
		return;
	for (i = 0; (*argv)[i]; i++)
		free((*argv)[i]);
	free(*argv);
	*argv = NULL;
}
