/* log: the log file (contract in log.h). */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/paths.h"
#include "core/str.h"

/* Longer protocol lines are cut: a log is not a copy of the mail. */
#define LOG_PROTO_MAX 1000

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1;
static int log_debug_on;

int
log_open(const char *path, int debug, struct error *err)
{
	struct stat st;
	int fd;

	/* Never through a symbolic link, nor into a file with other names
	 * or owners: the fchmod below would change someone else's file. */
	if ((fd = paths_open(path, O_WRONLY | O_APPEND | O_CREAT, 0600,
	    err)) < 0)
		return -1;
	/* An older file may have been created with a looser mode. */
	if (fstat(fd, &st) == 0 && (st.st_mode & 077))
		(void)fchmod(fd, 0600);
	pthread_mutex_lock(&log_lock);
	if (log_fd >= 0)
		close(log_fd);
	log_fd = fd;
	log_debug_on = debug != 0;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void
log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	log_debug_on = 0;
	pthread_mutex_unlock(&log_lock);
}

int
log_debug_enabled(void)
{
	int on;

	pthread_mutex_lock(&log_lock);
	on = log_fd >= 0 && log_debug_on;
	pthread_mutex_unlock(&log_lock);
	return on;
}

static const char *
level_name(enum log_level level)
{
	switch (level) {
	case LOG_DEBUG: return "debug";
	case LOG_INFO: return "info";
	case LOG_WARN: return "warning";
	default: return "error";
	}
}

/* Writes "TIME LEVEL text\n" in one write(), so lines never interleave. */
static void
log_write(enum log_level level, const char *text, size_t len)
{
	struct buf line = BUF_INIT;
	char stamp[40];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	if (strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S%z", &tm) == 0)
		stamp[0] = '\0';
	buf_printf(&line, "%s %s ", stamp, level_name(level));
	str_clean_display(&line, text, len, 0);
	buf_addch(&line, '\n');
	pthread_mutex_lock(&log_lock);
	if (log_fd >= 0) {
		const char *p = line.data;
		size_t left = line.len;

		while (left > 0) {
			ssize_t n = write(log_fd, p, left);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break; /* nowhere to report it */
			p += n;
			left -= (size_t)n;
		}
	}
	pthread_mutex_unlock(&log_lock);
	buf_free(&line);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	struct buf text = BUF_INIT;
	va_list ap;
	int on;

	pthread_mutex_lock(&log_lock);
	on = log_fd >= 0 && (level != LOG_DEBUG || log_debug_on);
	pthread_mutex_unlock(&log_lock);
	if (!on)
		return;
	va_start(ap, fmt);
	buf_vprintf(&text, fmt, ap);
	va_end(ap);
	log_write(level, buf_cstr(&text), text.len);
	buf_free(&text);
}

/* The word at *s (up to a space), advancing *s past it and the spaces. */
static size_t
next_word(const char **s, const char *end, const char **word_r)
{
	const char *p = *s;
	size_t n;

	while (p < end && *p == ' ')
		p++;
	*word_r = p;
	while (p < end && *p != ' ')
		p++;
	n = (size_t)(p - *word_r);
	*s = p;
	return n;
}

static int
word_is(const char *w, size_t n, const char *name)
{
	return n == strlen(name) && str_ncasecmp(w, name, n) == 0;
}

/* Words kept after a sensitive command: the SASL mechanism, APOP's user. */
static int
kept_args(const char *w, size_t n)
{
	if (word_is(w, n, "AUTHENTICATE") || word_is(w, n, "AUTH") ||
	    word_is(w, n, "APOP"))
		return 1;
	if (word_is(w, n, "LOGIN") || word_is(w, n, "PASS"))
		return 0;
	return -1;
}

void
log_redact(struct buf *out, const char *line, size_t len,
    int is_auth_continuation)
{
	const char *s = line, *end, *w, *cut = NULL;
	size_t n;
	int i, k;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	end = line + len;
	if (is_auth_continuation) {
		buf_addstr(out, "<hidden>");
		return;
	}
	/* The command is the first word (POP3) or the second (IMAP tag). */
	for (i = 0; i < 2 && cut == NULL; i++) {
		n = next_word(&s, end, &w);
		if ((k = kept_args(w, n)) < 0)
			continue;
		while (k-- > 0)
			next_word(&s, end, &w);
		cut = s;
	}
	if (cut == NULL) {
		if (len > LOG_PROTO_MAX) {
			str_clean_display(out, line, LOG_PROTO_MAX, 0);
			buf_printf(out, "... (%zu bytes)", len);
		} else {
			str_clean_display(out, line, len, 0);
		}
		return;
	}
	str_clean_display(out, line, (size_t)(cut - line) < LOG_PROTO_MAX ?
	    (size_t)(cut - line) : LOG_PROTO_MAX, 0);
	if (cut < end)
		buf_addstr(out, " <hidden>");
}

void
log_proto(const char *who, const char *dir, const char *line, size_t len,
    int is_auth_continuation)
{
	struct buf text = BUF_INIT;

	if (!log_debug_enabled())
		return;
	buf_printf(&text, "%s %s: ", who, dir);
	if (strcmp(dir, "C") == 0) {
		log_redact(&text, line, len, is_auth_continuation);
	} else {
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			len--;
		str_clean_display(&text, line, len < LOG_PROTO_MAX ? len :
		    LOG_PROTO_MAX, 0);
		if (len > LOG_PROTO_MAX)
			buf_printf(&text, "... (%zu bytes)", len);
	}
	log_write(LOG_DEBUG, text.data, text.len);
	buf_free(&text);
}
