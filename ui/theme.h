/*
 * theme: colour themes, read from text files (no terminal I/O here).
 *
 * File format, one rule a line, '#' starts a comment line:
 *     element = FG BG [ATTR...]
 * FG and BG: "default", a name (black red green yellow blue magenta cyan
 * white, "bright-" + one of those), a number 0..255, or #rrggbb (mapped to
 * the nearest entry of the xterm 256-colour palette).  ATTR: bold dim
 * underline reverse italic standout, or "none".  Elements are listed in
 * theme_elem_name(); an element a file does not mention keeps the built-in
 * default.  Unknown elements, colours or attributes are errors naming the
 * file and line.
 *
 * Lookup of a theme by name (theme_load): $XDG_CONFIG_HOME/postie/themes/
 * NAME.theme, then $POSTIE_THEMES_DIR (tests and uninstalled runs set it
 * to the source tree's themes/), then the installed POSTIE_DATADIR/themes.
 * Never the build tree: its path is not compiled in.
 */
#ifndef POSTIE_UI_THEME_H
#define POSTIE_UI_THEME_H

#include <stddef.h>

#include "core/error.h"

enum theme_elem {
	THEME_NORMAL,
	THEME_TITLE,     /* top bar */
	THEME_STATUS,    /* status line */
	THEME_CURSOR,    /* selected row */
	THEME_NEW,       /* unread message / folder with unread */
	THEME_FLAGGED,
	THEME_DELETED,
	THEME_TREE,      /* thread tree and folder tree lines */
	THEME_HEADER,    /* header names in the pager */
	THEME_HEADER_VALUE,
	THEME_QUOTE1,
	THEME_QUOTE2,
	THEME_QUOTE3,
	THEME_QUOTE4,    /* and deeper */
	THEME_LINK,
	THEME_ATTACHMENT,
	THEME_SIGNATURE,
	THEME_SEARCH,    /* search matches */
	THEME_ERROR,
	THEME_INSECURE,  /* plaintext account marks */
	THEME_NOTICE,    /* new-mail notices */
	THEME_HELP_KEY,
	THEME_NELEMS
};

/* Attribute bits (mapped to A_* by the drawing code). */
#define THEME_BOLD 0x01u
#define THEME_DIM 0x02u
#define THEME_UNDERLINE 0x04u
#define THEME_REVERSE 0x08u
#define THEME_ITALIC 0x10u
#define THEME_STANDOUT 0x20u

#define THEME_DEFAULT_COLOR (-1)

struct theme_style {
	int fg, bg;     /* THEME_DEFAULT_COLOR or 0..255 */
	unsigned attrs; /* THEME_* bits */
};

struct theme {
	char name[64];
	struct theme_style el[THEME_NELEMS];
};

/* The element's name in files ("quote1", "header-value"), or NULL. */
const char *theme_elem_name(enum theme_elem e);
/* Fills t with the built-in defaults (8 colours, usable everywhere). */
void theme_defaults(struct theme *t);
/* Parses a theme file's text over t (call theme_defaults first).
 * Returns 0, or -1 with "PATH:LINE: ..." in err. */
int theme_parse(const char *path, const char *text, size_t len,
    struct theme *t, struct error *err);
/* Parses one colour; 0 and *c_r (-1 for default, else 0..255), or -1. */
int theme_color_parse(const char *s, int *c_r);
/* Nearest xterm-256 entry (16..255) of an RGB colour. */
int theme_rgb_to_256(unsigned r, unsigned g, unsigned b);
/* Maps colour c (0..255 or -1) to one a terminal with ncolors colours
 * shows: itself if it fits, else the nearest of the first 8 (or 16). */
int theme_color_reduce(int c, int ncolors);
/*
 * Finds NAME.theme along the search path above and parses it over the
 * defaults into t.  A name with '/' or starting with '.' is refused.
 * path_r, if not NULL, receives the file used (caller frees).
 */
int theme_load(const char *name, struct theme *t, char **path_r,
    struct error *err);
/* The names of the themes along that search path, sorted, each once
 * (free each and the array). */
void theme_list(char ***names_r, size_t *n_r);

#endif
