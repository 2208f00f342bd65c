/*
 * log: postie's log file.  Never the terminal: the TUI owns it.
 *
 * log_open() opens (appends to) a file, mode 0600, through paths_open()
 * (never a symbolic link, nor a file with other names or another owner,
 * which its chmod to 0600 would change); until it is called, or
 * after log_close(), messages are dropped.  Debug messages are written only
 * when debug is on (-d).  Lines carry a timestamp and level.  Callers never
 * pass a password; log_redact() is there for lines that carry protocol
 * traffic: it hides what follows LOGIN/PASS/AUTHENTICATE.
 * Thread-safe: one mutex around each write.
 */
#ifndef POSTIE_CORE_LOG_H
#define POSTIE_CORE_LOG_H

#include <stddef.h>

#include "core/error.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

int log_open(const char *path, int debug, struct error *err);
void log_close(void);
int log_debug_enabled(void);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
/* Appends line with credentials hidden, per log_proto below: the words up
 * to and including LOGIN / PASS / APOP user / AUTHENTICATE MECH / AUTH MECH
 * are kept (as the first or second word, so IMAP tags are covered), the
 * rest becomes "<hidden>"; a continuation becomes "<hidden>" whole.  The
 * result is cleaned of control characters (trailing CRLF dropped). */
struct buf;
void log_redact(struct buf *out, const char *line, size_t len,
    int is_auth_continuation);
/* Logs one protocol line (dir is "C" or "S") with credentials hidden:
 * for a client line that is a LOGIN, PASS, AUTHENTICATE or an
 * AUTHENTICATE continuation (is_auth_continuation), what follows the
 * command word is hidden (see log_redact).  Only at debug level.  An engine that sends a LOGIN with
 * literals must pass the literal lines as is_auth_continuation too. */
void log_proto(const char *who, const char *dir, const char *line, size_t len,
    int is_auth_continuation);

#endif
