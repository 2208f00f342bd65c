/*
 * sidebar: the folder tree beside the message index (`[general] sidebar
 * = yes`, B toggles it), with unread counts, and keys that move its
 * highlight and open the highlighted folder without leaving the index
 * (doc/postie.1, sidebar-toggle).  UI thread only.
 *
 * Contract:
 *   - sidebar_rows() is the one place that says which folder rows the
 *     sidebar shows, in order (the folder list's tree order; noselect
 *     parents included, as headings).
 *   - sidebar_draw() draws it at the left of the body rows when shown
 *     and the terminal is wide enough (60 columns; narrower hides it),
 *     and returns the columns it took (0: none), which the index leaves
 *     to it.  Counts are read again when the account's generation moved
 *     (cache.h, Generations).
 */
#ifndef POSTIE_UI_SIDEBAR_H
#define POSTIE_UI_SIDEBAR_H

#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"

struct ui;

/* The rows the sidebar shows for account: 0 and *f_r (free with
 * cache_folders_free), or -1. */
int sidebar_rows(struct ui *ui, size_t account, struct cache_folder **f_r,
    size_t *n_r);
/* Draws the sidebar for account with folder current open (0: none, a
 * virtual folder); returns its width. */
int sidebar_draw(struct ui *ui, size_t account, int64_t current);

/* Commands (ui/cmd.c), on the index. */
int ui_cmd_sidebar_toggle(struct ui *, const char *);
int ui_cmd_sidebar_next(struct ui *, const char *);
int ui_cmd_sidebar_prev(struct ui *, const char *);
int ui_cmd_sidebar_open(struct ui *, const char *);

#endif
