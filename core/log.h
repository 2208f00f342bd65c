/*
 * log: postie's log file.  Never the terminal: the TUI owns it.
 *
 * log_open() opens (appends to) a file, mode 0600; until it is called, or
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
/* Logs one protocol line (dir is "C" or "S") with credentials hidden:
 * for a client line that is a LOGIN, PASS, AUTHENTICATE or an
 * AUTHENTICATE continuation (is_auth_continuation), only the command word
 * is kept.  Only at debug level. */
void log_proto(const char *who, const char *dir, const char *line, size_t len,
    int is_auth_continuation);

#endif
