/* draw: width-aware, cleaned text output and theme colours. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <string.h>
#include <wchar.h>

#include "core/str.h"
#include "ui/tui_int.h"

#define DRAW_MAX 1024 /* code points drawn per call; a row is narrower */

/* Where column 0 is (ui_origin). */
static int origin;

void
ui_origin(int x)
{
	origin = x;
}

int
ui_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	unsigned cp;
	size_t n;
	int w = 0, cw;

	while (p < end) {
		n = str_utf8_decode(p, (size_t)(end - p), &cp);
		p += n ? n : 1;
		cw = wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : cw;
	}
	return w;
}

int
ui_put(int y, int x, int maxw, const char *s, size_t len,
    unsigned long attr)
{
	struct buf clean = BUF_INIT;
	wchar_t wbuf[DRAW_MAX + 1];
	const unsigned char *p, *end;
	unsigned cp;
	size_t n, nw = 0;
	int used = 0, cw;

	if (maxw <= 0)
		return 0;
	/* Callers pass cleaned text; cleaning again costs little on one
	 * row and makes this the single gate to the terminal. */
	str_clean_display(&clean, s, len, 0);
	p = (const unsigned char *)buf_cstr(&clean);
	end = p + clean.len;
	while (p < end && nw < DRAW_MAX) {
		n = str_utf8_decode(p, (size_t)(end - p), &cp);
		p += n ? n : 1;
		cw = wcwidth((wchar_t)cp);
		if (cw < 0) {
			cp = '?';
			cw = 1;
		}
		if (used + cw > maxw)
			break;
		if (cw == 0 && nw == 0)
			continue; /* a combining mark with nothing to sit on */
		wbuf[nw++] = (wchar_t)cp;
		used += cw;
	}
	wbuf[nw] = L'\0';
	attrset((attr_t)attr);
	if (nw)
		mvaddnwstr(y, x + origin, wbuf, (int)nw);
	buf_free(&clean);
	return used;
}

void
ui_fill(int y, int x, int w, unsigned long attr)
{
	attrset((attr_t)attr);
	if (w > 0)
		mvhline(y, x + origin, ' ', w);
}

size_t
ui_fit(const char *s, size_t len, int w)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n, cut = 0, space = 0;
	unsigned cp;
	int used = 0, cw;

	while (p < end) {
		n = str_utf8_decode(p, (size_t)(end - p), &cp);
		n = n ? n : 1;
		cw = wcwidth((wchar_t)cp);
		cw = cw < 0 ? 1 : cw;
		if (used + cw > w)
			break;
		used += cw;
		p += n;
		cut = (size_t)(p - (const unsigned char *)s);
		if (cp == ' ')
			space = cut;
	}
	if (p >= end)
		return len;
	/* Break after the last space; a word longer than the row (a
	 * fingerprint) is cut where the row ends. */
	if (space)
		return space;
	if (cut)
		return cut;
	n = str_utf8_decode((const unsigned char *)s, len, &cp);
	return n ? n : 1;
}

int
ui_put_wrapped(int y, int x, int w, int maxrows, const char *s, size_t len,
    unsigned long attr)
{
	size_t n;
	int rows = 0;

	while (len > 0 && rows < maxrows && w > 0) {
		n = ui_fit(s, len, w);
		ui_put(y + rows, x, w, s, n, attr);
		rows++;
		s += n;
		len -= n;
	}
	return rows;
}

void
ui_put_pad(int y, int x, int maxw, const char *s, unsigned long attr)
{
	int used = ui_put(y, x, maxw, s, strlen(s), attr);

	ui_fill(y, x + used, maxw - used, attr);
}

void
ui_title(struct ui *ui, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	ui_put_pad(0, 0, ui->cols, buf_cstr(&b), ui->attr[THEME_TITLE]);
	buf_free(&b);
}

static attr_t
attrs_of(unsigned a)
{
	attr_t r = A_NORMAL;

	if (a & THEME_BOLD)
		r |= A_BOLD;
	if (a & THEME_DIM)
		r |= A_DIM;
	if (a & THEME_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_ITALIC)
		r |= A_ITALIC;
	if (a & THEME_STANDOUT)
		r |= A_STANDOUT;
	return r;
}

void
ui_theme_apply(struct ui *ui)
{
	const struct theme_style *st;
	int i, fg, bg;

	for (i = 0; i < THEME_NELEMS; i++) {
		st = &ui->theme.el[i];
		ui->attr[i] = attrs_of(st->attrs);
		if (ui->ncolors == 0) {
			/* No colour: a coloured bar or selection must stay
			 * visible, so give it reverse video. */
			if (i == THEME_TITLE || i == THEME_STATUS ||
			    i == THEME_CURSOR || i == THEME_SEARCH ||
			    i == THEME_INSECURE)
				ui->attr[i] |= A_REVERSE;
			continue;
		}
		fg = theme_color_reduce(st->fg, ui->ncolors);
		bg = theme_color_reduce(st->bg, ui->ncolors);
		init_pair((short)(i + 1), (short)fg, (short)bg);
		ui->attr[i] |= COLOR_PAIR(i + 1);
	}
	/* The screen's background follows "normal". */
	bkgdset(' ' | (chtype)ui->attr[THEME_NORMAL]);
}
