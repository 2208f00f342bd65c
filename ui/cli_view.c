/* postie view FILE: a message file rendered as the pager shows it. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "mime/mime.h"
#include "ui/cli.h"

/* Wrapping width of `postie view`: fixed, so the output of a script does
 * not depend on the terminal it runs in. */
#define VIEW_WIDTH 80

int
cli_view(const struct cli_opts *opts, int argc, char **argv)
{
	struct mime_render_opts ro = {MIME_PREFER_PLAIN, NULL, VIEW_WIDTH};
	struct mime_view *view = NULL;
	struct buf raw = BUF_INIT, out = BUF_INIT;
	struct error err;
	char chunk[65536];
	size_t n;
	FILE *fp;
	int i, rc = 0;
	const char *path = NULL;

	(void)opts;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--html") == 0)
			ro.prefer = MIME_PREFER_HTML;
		else if (path == NULL)
			path = argv[i];
		else
			return cli_fail("usage: postie view [--html] FILE"), 2;
	}
	if (path == NULL) {
		cli_fail("usage: postie view [--html] FILE");
		return 2;
	}
	setlocale(LC_CTYPE, ""); /* for wcwidth in mime_width */
	if ((fp = fopen(path, "rb")) == NULL)
		return cli_fail("cannot read %s: %s", path, strerror(errno));
	errno = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&raw, chunk, n);
	if (ferror(fp)) {
		int e = errno ? errno : EIO; /* EISDIR for a folder */

		fclose(fp);
		buf_free(&raw);
		return cli_fail("cannot read %s: %s", path, strerror(e));
	}
	fclose(fp);
	error_clear(&err);
	if (mime_render(buf_cstr(&raw), raw.len, &ro, &view, &err) < 0) {
		buf_free(&raw);
		return cli_fail("%s: %s", path, err.msg);
	}
	mime_view_text(view, &out);
	/* The rendering is cleaned already; this is the same last pass as
	 * the pager's, so that nothing else can reach the terminal. */
	cli_print_clean(out.data ? out.data : "", out.len, 1);
	if (ferror(stdout) || fflush(stdout) != 0)
		rc = cli_fail("cannot write the output");
	mime_view_free(&view);
	buf_free(&out);
	buf_free(&raw);
	return rc;
}
