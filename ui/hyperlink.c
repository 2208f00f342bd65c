/* hyperlink: OSC 8 links laid over the pager (ui/hyperlink.h). */
#include "config.h"

#include <curses.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "ui/hyperlink.h"
#include "ui/tui_int.h"

int
ui_hyperlink_url_ok(const char *url, size_t len)
{
	size_t i, scheme = 0;

	if (len == 0 || len > UI_HYPERLINK_URL_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)url[i] < 0x21 || (unsigned char)url[i] > 0x7e)
			return 0;
	while (scheme < len && ((url[scheme] >= 'a' && url[scheme] <= 'z') ||
	    (url[scheme] >= 'A' && url[scheme] <= 'Z')))
		scheme++;
	return scheme > 0 && scheme < len && url[scheme] == ':';
}

int
ui_hyperlink_wrap(struct buf *out, const char *url, size_t ulen,
    const char *text, size_t tlen)
{
	if (!ui_hyperlink_url_ok(url, ulen))
		return -1;
	buf_addstr(out, "\033]8;;");
	buf_add(out, url, ulen);
	buf_addstr(out, "\033\\");
	buf_add(out, text, tlen);
	buf_addstr(out, "\033]8;;\033\\");
	return 0;
}

int
ui_url_find(const char *s, size_t len, size_t *start, size_t *ulen)
{
	size_t i, e;

	for (i = *start; i + 8 <= len; i++) {
		if (str_ncasecmp(s + i, "https://", 8) == 0)
			e = i + 8;
		else if (str_ncasecmp(s + i, "http://", 7) == 0)
			e = i + 7;
		else
			continue;
		/* inside a word ("xhttp://") it is no URL */
		if (i > 0 && ((s[i - 1] >= 'a' && s[i - 1] <= 'z') ||
		    (s[i - 1] >= 'A' && s[i - 1] <= 'Z')))
			continue;
		while (e < len && (unsigned char)s[e] > 0x20 &&
		    (unsigned char)s[e] < 0x7f && !strchr("<>\"'`", s[e]))
			e++;
		/* sentence punctuation and a closing bracket are the
		 * text's, as terminals guess them too */
		while (e > i && strchr(".,;:!?)]}", s[e - 1]))
			e--;
		if (e <= i + 8)
			continue;
		*start = i;
		*ulen = e - i;
		return 1;
	}
	return 0;
}

static int
has_prefix(const char *s, const char *p)
{
	return s && strncmp(s, p, strlen(p)) == 0;
}

int
ui_hyperlink_auto(const char *(*env)(const char *name))
{
	static const char *const terms[] = { "xterm-kitty", "foot",
		"alacritty", "wezterm", "xterm-ghostty", "contour", NULL };
	static const char *const progs[] = { "iTerm.app", "WezTerm", "vscode",
		"ghostty", "Hyper", NULL };
	const char *term = env("TERM"), *prog = env("TERM_PROGRAM"), *v;
	size_t i;

	/* A multiplexer between us and the terminal: its own rules. */
	if ((env("TMUX") && *env("TMUX")) || (env("STY") && *env("STY")) ||
	    has_prefix(term, "screen") || has_prefix(term, "tmux"))
		return 0;
	for (i = 0; terms[i]; i++)
		if (has_prefix(term, terms[i]))
			return 1;
	for (i = 0; prog && progs[i]; i++)
		if (strcmp(prog, progs[i]) == 0)
			return 1;
	/* VTE 0.50 (GNOME Terminal, Tilix...) was the first with links. */
	if ((v = env("VTE_VERSION")) != NULL && atoi(v) >= 5000)
		return 1;
	if ((v = env("WT_SESSION")) != NULL && *v)
		return 1;
	if ((v = env("KONSOLE_VERSION")) != NULL && atoi(v) >= 200400)
		return 1;
	return 0;
}

struct ui_link {
	int y, x;
	char *text, *url;
	size_t tlen, ulen;
	unsigned long attr;
};

struct ui_links {
	struct ui_link *v;
	size_t n, cap;
	uint64_t hash, shown; /* of this frame's links, of those on screen */
};

/* FNV-1a: tells one frame's links from the last frame's */
static uint64_t
mix(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	if (h == 0)
		h = 1469598103934665603ULL;
	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

void
ui_link_add(struct ui *ui, int y, int x, const char *text, size_t tlen,
    const char *url, size_t ulen, unsigned long attr)
{
	struct ui_links *l;
	struct ui_link *k;

	if (!ui->hyperlinks || tlen == 0 || !ui_hyperlink_url_ok(url, ulen))
		return;
	if (ui->links == NULL)
		ui->links = xcalloc(1, sizeof(*ui->links));
	l = ui->links;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	k = &l->v[l->n++];
	k->y = y;
	k->x = x;
	k->text = xstrndup(text, tlen);
	k->tlen = tlen;
	k->url = xstrndup(url, ulen);
	k->ulen = ulen;
	k->attr = attr;
	l->hash = mix(l->hash, &y, sizeof(y));
	l->hash = mix(l->hash, &x, sizeof(x));
	l->hash = mix(l->hash, url, ulen);
	l->hash = mix(l->hash, text, tlen);
}

void
ui_links_before_refresh(struct ui *ui)
{
	struct ui_links *l = ui->links;
	uint64_t now = l ? l->hash : 0;

	/* Cells keep a link until they are written again: when the links
	 * change, every cell is. */
	if (l && l->shown != now && l->shown != 0)
		clearok(curscr, TRUE);
}

static struct buf *vid_out;

static int
vid_putc(int c)
{
	buf_addch(vid_out, (char)c);
	return c;
}

void
ui_links_flush(struct ui *ui)
{
	struct ui_links *l = ui->links;
	struct buf out = BUF_INIT;
	const char *p;
	size_t i, off;
	ssize_t w;
	int cy, cx;

	if (l == NULL)
		return;
	vid_out = &out;
	for (i = 0; i < l->n; i++) {
		buf_printf(&out, "\033[%d;%dH", l->v[i].y + 1, l->v[i].x + 1);
		vid_puts((attr_t)(l->v[i].attr & ~A_COLOR),
		    (short)PAIR_NUMBER(l->v[i].attr), NULL, vid_putc);
		ui_hyperlink_wrap(&out, l->v[i].url, l->v[i].ulen,
		    l->v[i].text, l->v[i].tlen);
		free(l->v[i].text);
		free(l->v[i].url);
	}
	if (l->n > 0) {
		vid_puts(A_NORMAL, 0, NULL, vid_putc);
		getyx(curscr, cy, cx);
		buf_printf(&out, "\033[%d;%dH", cy + 1, cx + 1);
	}
	vid_out = NULL;
	for (p = out.data, off = 0; off < out.len; off += (size_t)w)
		if ((w = write(STDOUT_FILENO, p + off, out.len - off)) <= 0)
			break;
	buf_free(&out);
	l->shown = l->hash;
	l->hash = 0;
	l->n = 0;
}

void
ui_links_free(struct ui *ui)
{
	size_t i;

	if (ui->links == NULL)
		return;
	for (i = 0; i < ui->links->n; i++) {
		free(ui->links->v[i].text);
		free(ui->links->v[i].url);
	}
	free(ui->links->v);
	free(ui->links);
	ui->links = NULL;
}
