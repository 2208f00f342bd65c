/* scr_help: the help screen, generated from the command table. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "ui/tui_int.h"

struct help {
	struct ui_screen s;
	struct ui_list l;
	struct buf text;
	const char **line; /* into text: "KEYS\tNAME\tHELP" */
	char *search;
};

static void
draw(struct ui *ui, struct ui_screen *s)
{
	struct help *h = (struct help *)s;
	const char *p, *t1, *t2, *end;
	int rows = ui_body_rows(ui), y, kw = 26, nw = 18;
	unsigned long attr;
	size_t i;

	ui_title(ui, " postie: help   keys, command (for : and -e), what "
	    "it does   q: back");
	for (i = h->l.top, y = 1; i < h->l.n && y <= rows; i++, y++) {
		p = h->line[i];
		end = strchr(p, '\n');
		t1 = strchr(p, '\t');
		t2 = strchr(t1 + 1, '\t');
		attr = i == h->l.cur ? ui->attr[THEME_CURSOR] :
		    ui->attr[THEME_NORMAL];
		ui_fill(y, 0, ui->cols, attr);
		ui_put(y, 1, kw - 1, p, (size_t)(t1 - p), i == h->l.cur ? attr :
		    ui->attr[THEME_HELP_KEY]);
		ui_put(y, kw, nw - 1, t1 + 1, (size_t)(t2 - t1 - 1), attr);
		ui_put(y, kw + nw, ui->cols - kw - nw, t2 + 1,
		    (size_t)(end - t2 - 1), attr);
	}
}

static int
find(struct ui *ui, struct help *h, size_t from)
{
	size_t i, k, len = strlen(h->search);
	const char *p, *end;

	for (k = 0; k < h->l.n; k++) {
		i = (from + k) % h->l.n;
		end = strchr(h->line[i], '\n');
		for (p = h->line[i]; p + len <= end; p++) {
			if (str_ncasecmp(p, h->search, len) == 0) {
				ui_list_set(&h->l, i, ui_body_rows(ui));
				return 0;
			}
		}
	}
	ui_message(ui, 1, "Not found: %s", h->search);
	return -1;
}

static void
search_done(struct ui *ui, const char *text, void *arg)
{
	struct help *h = arg;

	if (*text == '\0')
		return;
	free(h->search);
	h->search = xstrdup(text);
	find(ui, h, h->l.cur + 1);
}

static int
search_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct help *h = (struct help *)s;

	if (arg) {
		search_done(ui, arg, h);
		return 0;
	}
	ui_prompt(ui, "Search help: ", NULL, search_done, h);
	return 0;
}

static int
search_next_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct help *h = (struct help *)s;

	if (h->search)
		return find(ui, h, h->l.cur + 1);
	ui_message(ui, 1, "'search-next' does not apply to the help screen");
	return -1;
}

static const ui_screen_fn cmds[UI_CMD_N] = {
	[UI_CMD_SEARCH] = search_cmd,
	[UI_CMD_SEARCH_NEXT] = search_next_cmd,
};

static void
destroy(struct ui_screen *s)
{
	struct help *h = (struct help *)s;

	buf_free(&h->text);
	free(h->line);
	free(h->search);
	free(h);
}

static const struct ui_screen_ops ops = {
	UI_CTX_HELP, draw, NULL, NULL, NULL, cmds, destroy,
};

struct ui_screen *
scr_help_new(struct ui *ui, unsigned ctx)
{
	struct help *h = xcalloc(1, sizeof(*h));
	const char *p;
	size_t n = 0;

	h->s.ops = &ops;
	h->s.list = &h->l;
	h->s.account = UI_NO_ACCOUNT;
	ui_help_text(ui->km, ctx, &h->text);
	for (p = buf_cstr(&h->text); *p; p = strchr(p, '\n') + 1)
		n++;
	h->line = xcalloc(n + 1, sizeof(*h->line));
	for (p = buf_cstr(&h->text); *p; p = strchr(p, '\n') + 1)
		h->line[h->l.n++] = p;
	return &h->s;
}
