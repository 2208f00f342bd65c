/* config: accessors, names and the password (contract in config.h). */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"

/* More than any password; the rest of the output is read and dropped. */
#define PASSWORD_MAX 4096

static char *run_password_command(const struct config_account *a,
    const char *key, const char *cmd, unsigned seconds, struct error *err);

static void
wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void
config_free(struct config **cfgp)
{
	struct config *cfg = *cfgp;
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->naccounts; i++) {
		struct config_account *a = &cfg->accounts[i];

		free(a->name);
		free(a->host);
		free(a->user);
		wipe_free(a->password);
		free(a->password_command);
		free(a->ca_file);
		free(a->tls_fingerprint);
		free(a->maildir);
		free(a->assumed_charset);
		free(a->from);
		free(a->smtp_host);
		free(a->smtp_user);
		free(a->smtp_password_command);
		free(a->sent_folder);
		free(a->drafts_folder);
		free(a->signature);
	}
	free(cfg->accounts);
	for (i = 0; i < cfg->nkeys; i++) {
		free(cfg->keys[i].key);
		free(cfg->keys[i].command);
	}
	free(cfg->keys);
	free(cfg->path);
	free(cfg->theme);
	free(cfg->assumed_charset);
	free(cfg->prefer);
	free(cfg->editor);
	free(cfg);
	*cfgp = NULL;
}

const struct config_account *
config_account(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->naccounts; i++)
		if (strcmp(cfg->accounts[i].name, name) == 0)
			return &cfg->accounts[i];
	return NULL;
}

char *
config_password_within(const struct config_account *a, unsigned seconds,
    struct error *err)
{
	if (a->password)
		return xstrdup(a->password);
	if (a->password_command == NULL) {
		error_set(err, "account '%s' has neither password_command nor "
		    "password", a->name);
		return NULL;
	}
	return run_password_command(a, "password_command",
	    a->password_command, seconds, err);
}

char *
config_smtp_password(const struct config_account *a, struct error *err)
{
	if (a->smtp_password_command == NULL)
		return config_password(a, err);
	return run_password_command(a, "smtp_password_command",
	    a->smtp_password_command, CONFIG_PASSWORD_SECONDS, err);
}

const char *
config_editor(const struct config *cfg)
{
	const char *e;

	if (cfg->editor)
		return cfg->editor;
	if ((e = getenv("VISUAL")) != NULL && e[0] != '\0')
		return e;
	if ((e = getenv("EDITOR")) != NULL && e[0] != '\0')
		return e;
	return "vi";
}

const char *
config_protocol_name(enum config_protocol p)
{
	return p == CONFIG_POP3 ? "pop3" : "imap";
}

const char *
config_tls_name(enum config_tls t)
{
	switch (t) {
	case CONFIG_TLS_STARTTLS: return "starttls";
	case CONFIG_TLS_NONE: return "plaintext";
	default: return "tls";
	}
}

const char *
config_mode_name(const struct config_account *a, char *out, size_t outsize)
{
	if (a->protocol == CONFIG_IMAP || (a->keep_on_server &&
	    a->keep_days == 0))
		snprintf(out, outsize, "keep-on-server");
	else if (a->keep_on_server)
		snprintf(out, outsize, "keep-on-server-%u-days", a->keep_days);
	else
		snprintf(out, outsize, "download-and-delete");
	return out;
}

const char *
config_mode_words(const struct config_account *a, char *out, size_t outsize)
{
	if (a->protocol == CONFIG_IMAP || (a->keep_on_server &&
	    a->keep_days == 0))
		snprintf(out, outsize, "keeps mail on server");
	else if (a->keep_on_server)
		snprintf(out, outsize, "keeps on server for %u day%s",
		    a->keep_days, a->keep_days == 1 ? "" : "s");
	else
		snprintf(out, outsize, "downloads and deletes");
	return out;
}

/* Reads the command's output to EOF, keeping the first line in out;
 * 1 on timeout (deadline on CLOCK_MONOTONIC, in ms). */
static int
read_first_line(int fd, struct buf *out, int64_t deadline)
{
	char chunk[512];
	int done = 0;

	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int64_t left = deadline - clock_ms();
		ssize_t n;
		char *nl;

		if (left <= 0)
			return 1;
		if ((n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left)) <
		    0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			continue; /* the deadline test above ends it */
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			explicit_bzero(chunk, sizeof(chunk));
			return -1;
		}
		if (n == 0)
			break;
		if (!done) {
			size_t len = (size_t)n;

			if ((nl = memchr(chunk, '\n', len)) != NULL) {
				len = (size_t)(nl - chunk);
				done = 1;
			}
			if (out->len + len > PASSWORD_MAX)
				len = PASSWORD_MAX - out->len, done = 1;
			buf_add(out, chunk, len);
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
	if (out->len > 0 && out->data[out->len - 1] == '\r')
		buf_truncate(out, out->len - 1);
	return 0;
}

char *
config_password(const struct config_account *a, struct error *err)
{
	return config_password_within(a, CONFIG_PASSWORD_SECONDS, err);
}

/* Runs cmd (the account's key named key) for its first output line. */
static char *
run_password_command(const struct config_account *a, const char *key,
    const char *cmd, unsigned seconds, struct error *err)
{
	struct buf out = BUF_INIT;
	int fds[2], status, rc;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		error_errno(err, errno, "cannot run %s of account '%s'", key,
		    a->name);
		return NULL;
	}
	/* Only async-signal-safe calls in the child: we may be threaded. */
	if ((pid = fork()) < 0) {
		error_errno(err, errno, "cannot run %s of account '%s'", key,
		    a->name);
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		if (dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	rc = read_first_line(fds[0], &out, clock_ms() + seconds * 1000ll);
	close(fds[0]);
	if (rc == 1) /* its own children may linger; they lost the pipe */
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	if (rc == 1) {
		error_set(err, "%s of account '%s' gave no "
		    "password within %u seconds", key, a->name, seconds);
	} else if (rc < 0 || status == -1) {
		error_set(err, "cannot read the output of %s of account "
		    "'%s'", key, a->name);
	} else if (WIFSIGNALED(status)) {
		error_set(err, "%s of account '%s' was killed "
		    "by signal %d", key, a->name, WTERMSIG(status));
	} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		error_set(err, "%s of account '%s' failed (exit "
		    "status %d)", key, a->name, WEXITSTATUS(status));
	} else if (out.len == 0) {
		error_set(err, "%s of account '%s' printed no "
		    "password", key, a->name);
	} else {
		return buf_detach(&out, NULL);
	}
	if (out.data)
		explicit_bzero(out.data, out.cap);
	buf_free(&out);
	return NULL;
}
