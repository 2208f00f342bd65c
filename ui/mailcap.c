/* mailcap: a viewer for a MIME type, its command made safe (mailcap.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/spawn.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/mailcap.h"

#define MAILCAP_LINE_MAX 8192
#define TYPE_MAX 127
#define PARAM_MAX 64
#define PARAM_NAME_MAX 64
/* A test= command that hangs must not hang the TUI. */
#define TEST_TIMEOUT_MS 10000

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * 1 if s is a letter or digit followed by letters, digits and bytes of
 * extra, at most max bytes.  Nothing else can end a quote, start an
 * expansion or an option, or split a word, whatever quotes surround it.
 */
static int
is_safe(const char *s, size_t len, const char *extra, size_t max)
{
	size_t i;

	if (len == 0 || len > max || !is_alnum((unsigned char)s[0]))
		return 0;
	for (i = 1; i < len; i++)
		if (!is_alnum((unsigned char)s[i]) &&
		    (s[i] == '\0' || strchr(extra, s[i]) == NULL))
			return 0;
	return 1;
}

/* A path postie made: '/' first (or a letter or digit), then only
 * letters, digits and "/._-". */
static int
is_safe_path(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 4096)
		return 0;
	if (s[0] == '/')
		return n > 1 && is_safe(s + 1, n - 1, "/._-", 4095);
	return is_safe(s, n, "/._-", 4096);
}

int
ui_mailcap_expand(const char *tmpl, const char *type, const char *file,
    mailcap_param_fn param, void *arg, struct buf *out, int *had_file_r,
    struct error *err)
{
	struct buf val = BUF_INIT;
	const char *p, *end;
	int had_file = 0, rc = -1;

	for (p = tmpl; *p; p++) {
		if (*p == '\\' && p[1]) {
			buf_addch(out, *++p);
		} else if (*p == '%' && p[1] == 's') {
			if (!is_safe_path(file)) {
				error_set(err, "The file name is not safe to "
				    "give to the mailcap command.");
				goto out;
			}
			buf_addstr(out, file);
			had_file = 1;
			p++;
		} else if (*p == '%' && p[1] == 't') {
			if (!is_safe(type, strlen(type), "/+._-", TYPE_MAX)) {
				error_set(err, "The attachment's content type "
				    "is not safe to give to the mailcap "
				    "command; not opened.");
				goto out;
			}
			buf_addstr(out, type);
			p++;
		} else if (*p == '%' && p[1] == '{' &&
		    (end = strchr(p + 2, '}')) != NULL) {
			size_t nlen = (size_t)(end - (p + 2));
			char name[PARAM_NAME_MAX + 1];

			/* the name is the user's, from the mailcap file */
			if (nlen == 0 || nlen > PARAM_NAME_MAX) {
				error_set(err, "The mailcap entry has a bad "
				    "%%{parameter}.");
				goto out;
			}
			memcpy(name, p + 2, nlen);
			name[nlen] = '\0';
			buf_reset(&val);
			if (param && param(name, &val, arg) && val.len > 0 &&
			    !is_safe(val.data, val.len, "+._-", PARAM_MAX)) {
				struct buf clean = BUF_INIT;

				str_clean_display(&clean, name, nlen, 0);
				error_set(err, "The attachment's %s parameter is "
				    "not safe to give to the mailcap command; "
				    "not opened.", buf_cstr(&clean));
				buf_free(&clean);
				goto out;
			}
			buf_add(out, val.data ? val.data : "", val.len);
			p = end;
		} else if (*p == '%' && p[1] == '%') {
			buf_addch(out, '%');
			p++;
		} else {
			buf_addch(out, *p);
		}
	}
	if (had_file_r)
		*had_file_r = had_file;
	rc = 0;
out:
	buf_free(&val);
	return rc;
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

/* Runs a test= command: 1 if it succeeds.  Its output is dropped, not
 * left on the screen. */
static int
run_test(const char *cmd)
{
	struct spawn_opts o;
	struct spawn_result r;

	memset(&o, 0, sizeof(o));
	o.command = cmd;
	o.in_fd = -1;
	o.timeout_ms = TEST_TIMEOUT_MS;
	return spawn_run(&o, &r, NULL) == 0 && spawn_ok(&r);
}

/* 1 found, 0 none, -1 refused (err set); a refused test= skips the entry
 * but is remembered in *refused_r, should nothing else match. */
static int
search_file(const char *path, const char *type, const char *file,
    mailcap_param_fn param, void *arg, struct mailcap_entry *e,
    struct error *refused, struct error *err)
{
	struct buf line = BUF_INIT, cmd = BUF_INIT;
	char chunk[1024], *f[32];
	FILE *fp;
	int n, i, ok, rc = 0;
	size_t len;

	if ((fp = fopen(path, "re")) == NULL)
		return 0;
	while (rc == 0 && fgets(chunk, sizeof(chunk), fp)) {
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
			if (!str_has_prefix(f[i], "test="))
				continue;
			buf_reset(&cmd);
			if (ui_mailcap_expand(f[i] + 5, type, file, param, arg,
			    &cmd, NULL, refused) < 0)
				ok = 0;
			else
				ok = run_test(cmd.data);
		}
		if (ok) {
			memset(e, 0, sizeof(*e));
			buf_reset(&cmd);
			if (ui_mailcap_expand(f[1], type, file, param, arg, &cmd,
			    &e->file_on_stdin, err) < 0) {
				rc = -1;
			} else {
				e->file_on_stdin = !e->file_on_stdin;
				for (i = 2; i < n; i++)
					if (str_casecmp(f[i],
					    "copiousoutput") == 0)
						e->copiousoutput = 1;
				e->command = buf_detach(&cmd, NULL);
				rc = 1;
			}
		}
		buf_reset(&line);
	}
	fclose(fp);
	buf_free(&line);
	buf_free(&cmd);
	return rc;
}

int
ui_mailcap_find(const char *type, const char *file, mailcap_param_fn param,
    void *arg, struct mailcap_entry *e, struct error *err)
{
	struct buf path = BUF_INIT;
	const char *home = getenv("HOME"), *env = getenv("MAILCAPS");
	struct error refused;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	error_clear(&refused);
	/* MAILCAPS (colon-separated) replaces the default search path. */
	if (env && *env) {
		char *copy = xstrdup(env), *save = NULL, *p;

		for (p = strtok_r(copy, ":", &save); p && rc == 0;
		    p = strtok_r(NULL, ":", &save))
			rc = search_file(p, type, file, param, arg, e, &refused,
			    err);
		free(copy);
	} else {
		if (home && *home) {
			buf_printf(&path, "%s/.mailcap", home);
			rc = search_file(path.data, type, file, param, arg, e,
			    &refused, err);
		}
		if (rc == 0)
			rc = search_file("/etc/mailcap", type, file, param,
			    arg, e, &refused, err);
	}
	buf_free(&path);
	if (rc == 0 && error_isset(&refused)) {
		error_set(err, "%s", refused.msg);
		return -1;
	}
	return rc;
}

void
ui_mailcap_entry_free(struct mailcap_entry *e)
{
	free(e->command);
	e->command = NULL;
}

void
ui_mailcap_extension(const char *name, char *out)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	size_t n;

	out[0] = '\0';
	if (dot == NULL || dot == name)
		return;
	n = strlen(dot + 1);
	if (n == 0 || n > MAILCAP_EXT_MAX)
		return;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)dot[1 + i]))
			return;
	out[0] = '.';
	memcpy(out + 1, dot + 1, n + 1);
}
