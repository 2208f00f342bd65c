/* theme: parsing theme files and mapping colours to the terminal. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/paths.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/theme.h"

#define THEME_FILE_MAX (64 * 1024)

static const char *const elem_names[THEME_NELEMS] = {
	"normal", "title", "status", "cursor", "new", "flagged", "deleted",
	"tree", "header", "header-value", "quote1", "quote2", "quote3",
	"quote4", "link", "attachment", "signature", "search", "error",
	"insecure", "notice", "help-key",
};

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", THEME_BOLD }, { "dim", THEME_DIM },
	{ "underline", THEME_UNDERLINE }, { "reverse", THEME_REVERSE },
	{ "italic", THEME_ITALIC }, { "standout", THEME_STANDOUT },
	{ "none", 0 },
};

/* xterm's default RGB values of the 16 system colours. */
static const unsigned char sys_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static const unsigned char cube[6] = { 0, 95, 135, 175, 215, 255 };

const char *
theme_elem_name(enum theme_elem e)
{
	return (unsigned)e < THEME_NELEMS ? elem_names[e] : NULL;
}

static void
set(struct theme *t, enum theme_elem e, int fg, int bg, unsigned attrs)
{
	t->el[e].fg = fg;
	t->el[e].bg = bg;
	t->el[e].attrs = attrs;
}

void
theme_defaults(struct theme *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	str_lcpy(t->name, "built-in", sizeof(t->name));
	for (i = 0; i < THEME_NELEMS; i++)
		set(t, i, -1, -1, 0);
	set(t, THEME_TITLE, 0, 6, 0);
	set(t, THEME_STATUS, 0, 6, 0);
	set(t, THEME_CURSOR, -1, -1, THEME_REVERSE);
	set(t, THEME_NEW, -1, -1, THEME_BOLD);
	set(t, THEME_FLAGGED, 1, -1, THEME_BOLD);
	set(t, THEME_DELETED, -1, -1, THEME_DIM);
	set(t, THEME_TREE, 4, -1, 0);
	set(t, THEME_HEADER, 3, -1, THEME_BOLD);
	set(t, THEME_QUOTE1, 2, -1, 0);
	set(t, THEME_QUOTE2, 6, -1, 0);
	set(t, THEME_QUOTE3, 5, -1, 0);
	set(t, THEME_QUOTE4, 4, -1, 0);
	set(t, THEME_LINK, 4, -1, THEME_UNDERLINE);
	set(t, THEME_ATTACHMENT, 5, -1, THEME_BOLD);
	set(t, THEME_SIGNATURE, -1, -1, THEME_DIM);
	set(t, THEME_SEARCH, 0, 3, 0);
	set(t, THEME_ERROR, 1, -1, THEME_BOLD);
	set(t, THEME_INSECURE, 7, 1, THEME_BOLD);
	set(t, THEME_NOTICE, 2, -1, THEME_BOLD);
	set(t, THEME_HELP_KEY, 3, -1, THEME_BOLD);
}


static void
rgb_of(int c, unsigned rgb[3])
{
	int i;

	if (c < 16) {
		for (i = 0; i < 3; i++)
			rgb[i] = sys_rgb[c][i];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = cube[c / 36];
		rgb[1] = cube[(c / 6) % 6];
		rgb[2] = cube[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (unsigned)(c - 232);
	}
}

static unsigned long
dist(const unsigned a[3], unsigned r, unsigned g, unsigned b)
{
	long dr = (long)a[0] - r, dg = (long)a[1] - g, db = (long)a[2] - b;

	return (unsigned long)(dr * dr * 3 + dg * dg * 4 + db * db * 2);
}

static int
nearest(int lo, int hi, unsigned r, unsigned g, unsigned b)
{
	unsigned long best = (unsigned long)-1, d;
	unsigned rgb[3];
	int c, bestc = lo;

	for (c = lo; c < hi; c++) {
		rgb_of(c, rgb);
		if ((d = dist(rgb, r, g, b)) < best) {
			best = d;
			bestc = c;
		}
	}
	return bestc;
}

int
theme_rgb_to_256(unsigned r, unsigned g, unsigned b)
{
	return nearest(16, 256, r, g, b);
}

int
theme_color_reduce(int c, int ncolors)
{
	unsigned rgb[3];

	if (c < 0 || c < ncolors)
		return c;
	if (ncolors < 8)
		return -1;
	rgb_of(c, rgb);
	return nearest(0, ncolors >= 16 ? 16 : 8, rgb[0], rgb[1], rgb[2]);
}

int
theme_color_parse(const char *s, int *c_r)
{
	unsigned long n;
	unsigned v[6];
	int i;

	if (str_casecmp(s, "default") == 0) {
		*c_r = THEME_DEFAULT_COLOR;
		return 0;
	}
	for (i = 0; i < 8; i++) {
		if (str_casecmp(s, color_names[i]) == 0) {
			*c_r = i;
			return 0;
		}
		if (str_has_casefix(s, "bright-") &&
		    str_casecmp(s + 7, color_names[i]) == 0) {
			*c_r = i + 8;
			return 0;
		}
	}
	if (s[0] == '#') {
		if (strlen(s) != 7)
			return -1;
		for (i = 0; i < 6; i++) {
			int h = str_hexval((unsigned char)s[i + 1]);

			if (h < 0)
				return -1;
			v[i] = (unsigned)h;
		}
		*c_r = theme_rgb_to_256(v[0] * 16 + v[1], v[2] * 16 + v[3],
		    v[4] * 16 + v[5]);
		return 0;
	}
	if (str_to_ulong(s, 255, &n) == 0) {
		*c_r = (int)n;
		return 0;
	}
	return -1;
}

static int
parse_line(char *line, struct theme *t, const char *path, int lineno,
    struct error *err)
{
	char *eq, *name, *words[8], *p, *save = NULL;
	int nw = 0, fg, bg, e = -1, i;
	unsigned attrs = 0;
	size_t k;

	if ((eq = strchr(line, '=')) == NULL)
		return error_set(err, "%s:%d: expected 'element = fg bg [attrs]'",
		    path, lineno);
	*eq = '\0';
	name = str_trim(line);
	for (i = 0; i < THEME_NELEMS; i++)
		if (str_casecmp(name, elem_names[i]) == 0)
			e = i;
	if (e < 0)
		return error_set(err, "%s:%d: unknown element '%s'", path,
		    lineno, name);
	for (p = strtok_r(eq + 1, " \t", &save); p;
	    p = strtok_r(NULL, " \t", &save)) {
		if (nw == 8)
			return error_set(err, "%s:%d: too many words", path,
			    lineno);
		words[nw++] = p;
	}
	if (nw < 2)
		return error_set(err, "%s:%d: '%s' needs a foreground and a "
		    "background colour", path, lineno, name);
	if (theme_color_parse(words[0], &fg) < 0)
		return error_set(err, "%s:%d: bad colour '%s'", path, lineno,
		    words[0]);
	if (theme_color_parse(words[1], &bg) < 0)
		return error_set(err, "%s:%d: bad colour '%s'", path, lineno,
		    words[1]);
	for (i = 2; i < nw; i++) {
		for (k = 0; k < sizeof(attr_names) / sizeof(attr_names[0]); k++)
			if (str_casecmp(words[i], attr_names[k].name) == 0)
				break;
		if (k == sizeof(attr_names) / sizeof(attr_names[0]))
			return error_set(err, "%s:%d: unknown attribute '%s'",
			    path, lineno, words[i]);
		attrs |= attr_names[k].bit;
	}
	set(t, e, fg, bg, attrs);
	return 0;
}

int
theme_parse(const char *path, const char *text, size_t len, struct theme *t,
    struct error *err)
{
	struct buf clean = BUF_INIT;
	const char *p = text, *end = text + len, *nl, *q;
	char *line;
	int lineno = 0, rc = 0;

	/* Control bytes are refused; the rest is cleaned (C1, bidi) since
	 * error messages quote the file. */
	while (p < end && rc == 0) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		buf_reset(&clean);
		for (q = p; q < nl; q++) {
			if ((*q >= 0 && *q < 0x20 && *q != '\t' && *q != '\r') ||
			    *q == 0x7f) {
				rc = error_set(err, "%s:%d: control character",
				    path, lineno);
				break;
			}
		}
		if (rc < 0)
			break;
		str_clean_display(&clean, p, (size_t)(nl - p), 0);
		line = clean.len ? str_trim(clean.data) : NULL;
		if (line && line[0] != '\0' && line[0] != '#')
			rc = parse_line(line, t, path, lineno, err);
		p = nl + 1;
	}
	buf_free(&clean);
	return rc;
}

static int
read_file(const char *path, struct buf *out, struct error *err)
{
	char chunk[4096];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return error_errno(err, errno, "%s", path);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || out->len + (size_t)n > THEME_FILE_MAX) {
			close(fd);
			return n < 0 ? error_errno(err, errno, "%s", path) :
			    error_set(err, "%s: file too large", path);
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

static char *
candidate(const char *dir, const char *sub, const char *name)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s%s/%s.theme", dir, sub, name);
	if (access(b.data, R_OK) == 0)
		return buf_detach(&b, NULL);
	buf_free(&b);
	return NULL;
}

int
theme_load(const char *name, struct theme *t, char **path_r,
    struct error *err)
{
	struct buf text = BUF_INIT;
	const char *env;
	char *dir, *path = NULL;
	int rc;

	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') ||
	    strlen(name) >= sizeof(t->name))
		return error_set(err, "bad theme name");
	if ((dir = paths_config_dir(NULL)) != NULL) {
		path = candidate(dir, "/themes", name);
		free(dir);
	}
	if (path == NULL && (env = getenv("POSTIE_THEMES_DIR")) && *env)
		path = candidate(env, "", name);
	if (path == NULL)
		path = candidate(POSTIE_DATADIR, "/themes", name);
	if (path == NULL)
		return error_set(err, "no theme named '%s'", name);
	theme_defaults(t);
	if ((rc = read_file(path, &text, err)) == 0)
		rc = theme_parse(path, text.data ? text.data : "", text.len, t,
		    err);
	buf_free(&text);
	if (rc == 0)
		str_lcpy(t->name, name, sizeof(t->name));
	if (rc == 0 && path_r)
		*path_r = path;
	else
		free(path);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the NAME of each NAME.theme in dir not listed yet. */
static void
list_dir(const char *dir, char ***names, size_t *n)
{
	DIR *d;
	struct dirent *e;
	size_t len, i;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= 6 ||
		    strcmp(e->d_name + len - 6, ".theme") != 0)
			continue;
		for (i = 0; i < *n; i++)
			if (strncmp((*names)[i], e->d_name, len - 6) == 0 &&
			    (*names)[i][len - 6] == '\0')
				break;
		if (i < *n)
			continue;
		*names = xreallocarray(*names, *n + 1, sizeof(**names));
		(*names)[(*n)++] = xstrndup(e->d_name, len - 6);
	}
	closedir(d);
}

void
theme_list(char ***names_r, size_t *n_r)
{
	struct buf b = BUF_INIT;
	const char *env;
	char *dir;

	*names_r = NULL;
	*n_r = 0;
	if ((dir = paths_config_dir(NULL)) != NULL) {
		buf_printf(&b, "%s/themes", dir);
		list_dir(b.data, names_r, n_r);
		free(dir);
	}
	if ((env = getenv("POSTIE_THEMES_DIR")) && *env)
		list_dir(env, names_r, n_r);
	buf_reset(&b);
	buf_printf(&b, "%s/themes", POSTIE_DATADIR);
	list_dir(b.data, names_r, n_r);
	buf_free(&b);
	if (*n_r)
		qsort(*names_r, *n_r, sizeof(**names_r), cmp_str);
}
