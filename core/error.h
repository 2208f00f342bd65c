/*
 * error: a human sentence handed back to the caller.
 *
 * Contract: functions that can fail return 0 on success and -1 on failure
 * and fill the caller's struct error with one sentence a user understands
 * (no trailing newline, no password, no raw server bytes that were not
 * cleaned).  Only ui/ decides how an error is shown.  Every function here
 * accepts err == NULL and then does nothing.
 */
#ifndef POSTIE_CORE_ERROR_H
#define POSTIE_CORE_ERROR_H

#include <stdarg.h>

#define ERROR_MAX 512

struct error {
	char msg[ERROR_MAX];
};

/* Empties the message. */
void error_clear(struct error *err);
/* Sets the message (truncated to fit) and returns -1, so a caller can write
 * `return error_set(err, "...")`. */
int error_set(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int error_vset(struct error *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Puts "PREFIX: " before the current message; returns -1. */
int error_prefix(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* error_set with ": strerror(errnum)" appended; returns -1. */
int error_errno(struct error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* True if a message is set. */
int error_isset(const struct error *err);

#endif
