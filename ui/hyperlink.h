/*
 * hyperlink: OSC 8 hyperlinks on the pager's links, for terminals that
 * show them (doc/postie.conf.5, hyperlinks).
 *
 * ncurses has no notion of a cell's link, so the links are laid over the
 * screen after ncurses has drawn it (ui_links_flush, after refresh()):
 * for each visible link, the cursor goes to its first cell, its text is
 * written again in the attributes it was drawn with, between the OSC 8
 * open and close, and the cursor and attributes go back where ncurses
 * left them (vid_puts keeps ncurses's idea of the attributes true).
 * The cells hold the same characters, so ncurses's picture of the screen
 * stays right; when the set of links changes, the whole screen is drawn
 * again (clearok), so no old link stays on a cell.
 *
 * Nothing but printable ASCII is ever put between ESC ] 8 and ST: a URL
 * with any other byte is not made a link (ui_hyperlink_url_ok), so no
 * text from a message can end the sequence or start another.
 */
#ifndef POSTIE_UI_HYPERLINK_H
#define POSTIE_UI_HYPERLINK_H

#include <stddef.h>

#include "core/buf.h"

#define UI_HYPERLINK_URL_MAX 2048

/* 1 if url[0..len) may go into an OSC 8: 1 to UI_HYPERLINK_URL_MAX
 * bytes, each printable ASCII without a blank (0x21..0x7e), and a
 * scheme of letters then ':'. */
int ui_hyperlink_url_ok(const char *url, size_t len);

/* Appends OSC 8 url ST, text, OSC 8 ST; text must already be cleaned
 * for a terminal.  -1 (nothing appended) when the URL is not ok. */
int ui_hyperlink_wrap(struct buf *out, const char *url, size_t ulen,
    const char *text, size_t tlen);

/* The first http:// or https:// URL in s[0..len) at or after *start:
 * 1 with *start and *ulen set (trailing punctuation left out), or 0. */
int ui_url_find(const char *s, size_t len, size_t *start, size_t *ulen);

/* hyperlinks = auto: 1 when the environment names a terminal known to
 * show OSC 8 links, 0 under tmux or screen (which drop or mangle them
 * unless set up) or when nothing says so.  env is getenv, or a test's. */
int ui_hyperlink_auto(const char *(*env)(const char *name));

struct ui;
/* The pager: a link drawn at (y, x) as text[0..tlen) in attr. */
void ui_link_add(struct ui *ui, int y, int x, const char *text, size_t tlen,
    const char *url, size_t ulen, unsigned long attr);
/* tui.c, around refresh(): before, asks for a full redraw when the
 * links changed; after, lays them over the screen and forgets them. */
void ui_links_before_refresh(struct ui *ui);
void ui_links_flush(struct ui *ui);
void ui_links_free(struct ui *ui);

#endif
