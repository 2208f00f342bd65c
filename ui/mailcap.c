/* mailcap: find a viewer for a MIME type (RFC 1524, the common subset). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/tui_int.h"

#define MAILCAP_LINE_MAX 8192

/* Single-quotes s for /bin/sh. */
static void
shell_quote(struct buf *out, const char *s)
{
	buf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_addstr(out, "'\\''");
		else
			buf_addch(out, *s);
	}
	buf_addch(out, '\'');
}

/* Expands %s (the file, quoted) and %t (the type: its safe bytes only,
 * lower-cased); without %s the file is given on stdin if use_stdin. */
static char *
expand(const char *tmpl, const char *type, const char *file, int use_stdin)
{
	struct buf b = BUF_INIT;
	const char *p;
	int had_file = 0;

	for (p = tmpl; *p; p++) {
		if (*p == '\\' && p[1]) {
			buf_addch(&b, *++p);
		} else if (*p == '%' && p[1] == 's') {
			shell_quote(&b, file);
			had_file = 1;
			p++;
		} else if (*p == '%' && p[1] == 't') {
			for (const char *t = type; *t; t++)
				if (*t >= 'A' && *t <= 'Z')
					buf_addch(&b, *t - 'A' + 'a');
				else if ((*t >= 'a' && *t <= 'z') ||
				    (*t >= '0' && *t <= '9') ||
				    strchr("/+.-", *t))
					buf_addch(&b, *t);
			p++;
		} else if (*p == '%' && p[1] == '%') {
			buf_addch(&b, '%');
			p++;
		} else {
			buf_addch(&b, *p);
		}
	}
	if (!had_file && use_stdin) {
		buf_addstr(&b, " < ");
		shell_quote(&b, file);
	}
	return buf_detach(&b, NULL);
}

static int
type_matches(const char *pattern, const char *type)
{
	size_t n = strlen(pattern);

	if (str_casecmp(pattern, type) == 0)
		return 1;
	/* "image/" + "*" and a bare "image" match every subtype. */
	if (n >= 2 && strcmp(pattern + n - 2, "/*") == 0)
		n -= 2;
	else if (strchr(pattern, '/') != NULL)
		return 0;
	return str_ncasecmp(pattern, type, n) == 0 && type[n] == '/';
}

/* Splits at unescaped ';' in place; returns the number of fields. */
static int
split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	f[n++] = p;
	for (; *p && n < max; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == ';') {
			*p = '\0';
			f[n++] = p + 1;
		}
	}
	return n;
}

static char *
search_file(const char *path, const char *type, const char *file)
{
	struct buf line = BUF_INIT;
	char chunk[1024], *f[32], *cmd = NULL, *test;
	FILE *fp;
	int n, i, ok;
	size_t len;

	if ((fp = fopen(path, "re")) == NULL)
		return NULL;
	while (cmd == NULL && fgets(chunk, sizeof(chunk), fp)) {
		len = strlen(chunk);
		if (len && chunk[len - 1] == '\n')
			chunk[--len] = '\0';
		/* A backslash at the end continues the entry. */
		if (len && chunk[len - 1] == '\\') {
			chunk[len - 1] = '\0';
			if (line.len < MAILCAP_LINE_MAX)
				buf_addstr(&line, chunk);
			continue;
		}
		if (line.len < MAILCAP_LINE_MAX)
			buf_addstr(&line, chunk);
		if (line.len == 0 || line.data[0] == '#') {
			buf_reset(&line);
			continue;
		}
		n = split(line.data, f, 32);
		for (i = 0; i < n; i++)
			str_trim(f[i]);
		ok = n >= 2 && type_matches(f[0], type) && f[1][0] != '\0';
		for (i = 2; ok && i < n; i++) {
			if (str_has_prefix(f[i], "test=")) {
				struct buf t = BUF_INIT;

				/* The screen is still ours: no output. */
				test = expand(f[i] + 5, type, file, 0);
				buf_printf(&t, "(%s) </dev/null >/dev/null 2>&1",
				    test);
				ok = system(t.data) == 0;
				buf_free(&t);
				free(test);
			}
		}
		if (ok)
			cmd = expand(f[1], type, file, 1);
		buf_reset(&line);
	}
	fclose(fp);
	buf_free(&line);
	return cmd;
}

char *
ui_mailcap_command(const char *type, const char *file)
{
	struct buf path = BUF_INIT;
	const char *home = getenv("HOME"), *env = getenv("MAILCAPS");
	char *cmd = NULL;

	/* MAILCAPS (colon-separated) replaces the default search path. */
	if (env && *env) {
		char *copy = xstrdup(env), *save = NULL, *p;

		for (p = strtok_r(copy, ":", &save); p && !cmd;
		    p = strtok_r(NULL, ":", &save))
			cmd = search_file(p, type, file);
		free(copy);
		return cmd;
	}
	if (home && *home) {
		buf_printf(&path, "%s/.mailcap", home);
		cmd = search_file(path.data, type, file);
	}
	if (cmd == NULL)
		cmd = search_file("/etc/mailcap", type, file);
	buf_free(&path);
	return cmd;
}
