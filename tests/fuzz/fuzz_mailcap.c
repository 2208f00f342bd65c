/* Fuzz target: the mailcap command builder (ui/mailcap.c).  The input is
 * an attachment name, a content type and two parameter values, split at
 * NUL bytes; the whole input is also tried as a command template.  Every
 * substitution must come out made of safe characters only, or be
 * refused: then no quoting in an entry can be undone. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/mailcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fields {
	const char *f[4]; /* name, type, charset, title */
};

static int
params(const char *name, struct buf *out, void *arg)
{
	const struct fields *fl = arg;

	if (strcmp(name, "charset") == 0) {
		buf_addstr(out, fl->f[2]);
		return 1;
	}
	if (strcmp(name, "title") == 0) {
		buf_addstr(out, fl->f[3]);
		return 1;
	}
	return 0;
}

static int
alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Expands tmpl; if it is accepted, every byte must be alnum or in ok,
 * and the first byte alnum or (for a path) '/'. */
static void
check_alone(const char *tmpl, const char *type, const char *file,
    struct fields *fl, const char *ok)
{
	struct buf out = BUF_INIT;
	struct error err;
	size_t i;

	if (ui_mailcap_expand(tmpl, type, file, params, fl, &out, NULL,
	    &err) == 0) {
		if (out.len > 0 && !alnum((unsigned char)out.data[0]) &&
		    out.data[0] != '/')
			abort();
		for (i = 0; i < out.len; i++)
			if (!alnum((unsigned char)out.data[i]) &&
			    (out.data[i] == '\0' ||
			    strchr(ok, out.data[i]) == NULL))
				abort();
	} else if (err.msg[0] == '\0') {
		abort();
	}
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tmpls[] = {
	    "cat %s", "cat '%s'", "cat \"%s\"", "view --type=%t %s",
	    "iconv -f '%{charset}' \"%s\"", "x %{title} %{none} %% \\%s",
	};
	char *copy = malloc(size + 1), *p, ext[MAILCAP_EXT_MAX + 2];
	struct buf file = BUF_INIT, out = BUF_INIT;
	struct fields fl = { { "", "", "", "" } };
	struct error err;
	size_t i, n = 0;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy; n < 4 && p <= copy + size; p += strlen(p) + 1)
		fl.f[n++] = p;

	/* the file: postie's name, with what is kept of the extension */
	ui_mailcap_extension(fl.f[0], ext);
	if (ext[0] != '\0') {
		if (ext[0] != '.' || strlen(ext) > MAILCAP_EXT_MAX + 1 ||
		    strlen(ext) < 2)
			abort();
		for (i = 1; ext[i]; i++)
			if (!alnum((unsigned char)ext[i]))
				abort();
	}
	buf_printf(&file, "/tmp/postie-AbC123/postie-XyZ789%s", ext);

	/* each substitution alone: safe bytes only, or refused */
	check_alone("%s", fl.f[1], file.data, &fl, "/._-");
	check_alone("%s", fl.f[1], fl.f[0], &fl, "/._-");
	check_alone("%t", fl.f[1], file.data, &fl, "/+._-");
	check_alone("%{charset}", fl.f[1], file.data, &fl, "+._-");
	check_alone("%{title}", fl.f[1], file.data, &fl, "+._-");

	/* whole entries, and the input as an entry (the user's text) */
	for (i = 0; i < sizeof(tmpls) / sizeof(tmpls[0]); i++) {
		buf_reset(&out);
		ui_mailcap_expand(tmpls[i], fl.f[1], file.data, params, &fl,
		    &out, NULL, &err);
	}
	buf_reset(&out);
	ui_mailcap_expand(copy, "text/plain", file.data, params, &fl, &out,
	    NULL, &err);
	buf_free(&out);
	buf_free(&file);
	free(copy);
	return 0;
}
