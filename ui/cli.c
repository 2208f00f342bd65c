/* cli: what the subcommands and the TUI share to speak to the user and
 * load the configuration (ui/cli.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/cli.h"

int
cli_fail(const char *fmt, ...)
{
	struct buf raw = BUF_INIT, out = BUF_INIT;
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	buf_addstr(&out, "postie: ");
	str_clean_display(&out, raw.data ? raw.data : "", raw.len, 0);
	buf_addch(&out, '\n');
	fwrite(out.data, 1, out.len, stderr);
	buf_free(&raw);
	buf_free(&out);
	return 1;
}

void
cli_record(const char *const *fields, size_t n)
{
	struct buf out = BUF_INIT;

	str_tsv_record(&out, fields, n);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
}

void
cli_alert(const char *account, const char *text)
{
	cli_say(account, ": server alert: ", text);
}

void
cli_say(const char *account, const char *sep, const char *text)
{
	struct buf out = BUF_INIT;

	fflush(stdout);
	str_clean_display(&out, account, strlen(account), 0);
	buf_addstr(&out, sep);
	str_clean_display(&out, text, strlen(text), 0);
	buf_addch(&out, '\n');
	fwrite(out.data, 1, out.len, stderr);
	buf_free(&out);
}

void
cli_print_clean(const char *s, size_t len, int keep_newlines)
{
	struct buf out = BUF_INIT;

	str_clean_display(&out, s, len, keep_newlines);
	if (out.len > 0)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
}

struct config *
cli_load_config(const struct cli_opts *opts)
{
	struct config *cfg = NULL;
	struct error err;
	char *path = NULL;

	error_clear(&err);
	if (opts->config_path == NULL &&
	    (path = paths_config_file(&err)) == NULL) {
		cli_fail("%s", err.msg);
		return NULL;
	}
	if (config_load(opts->config_path ? opts->config_path : path, &cfg,
	    &err) < 0)
		cli_fail("%s", err.msg);
	free(path);
	return cfg;
}

int
cli_open_log(const struct cli_opts *opts)
{
	struct error err;
	char *dir, *file;
	size_t n;
	int rc = 0;

	if ((dir = paths_state_dir(&err)) == NULL)
		return 0;
	if (paths_mkdir(dir, &err) < 0) {
		rc = -1;
		cli_fail("%s", err.msg);
	} else {
		n = strlen(dir) + sizeof("/postie.log");
		file = xmalloc(n);
		snprintf(file, n, "%s/postie.log", dir);
		if (log_open(file, opts->debug, &err) < 0)
			fprintf(stderr, "postie: warning: %s (postie goes on "
			    "without a log)\n", err.msg);
		free(file);
	}
	free(dir);
	return rc;
}
