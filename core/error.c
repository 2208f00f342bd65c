#include "core/error.h"

#include <stdio.h>
#include <string.h>

void
error_clear(struct error *err)
{
	if (err)
		err->msg[0] = '\0';
}

int
error_vset(struct error *err, const char *fmt, va_list ap)
{
	if (err)
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -1;
}

int
error_set(struct error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, fmt, ap);
	va_end(ap);
	return -1;
}

int
error_prefix(struct error *err, const char *fmt, ...)
{
	char pre[ERROR_MAX], old[ERROR_MAX];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", pre, old);
	return -1;
}

int
error_errno(struct error *err, int errnum, const char *fmt, ...)
{
	char what[ERROR_MAX];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err->msg, sizeof(err->msg), "%s: %s", what, strerror(errnum));
	return -1;
}

int
error_isset(const struct error *err)
{
	return err && err->msg[0] != '\0';
}
