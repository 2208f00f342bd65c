/* sidebar: the folder tree beside the index (see sidebar.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "ui/cmd.h"
#include "ui/sidebar.h"
#include "ui/tui_int.h"

/* Narrower than this, the index needs every column. */
#define SIDEBAR_MIN_COLS 60

/* One sidebar for the session, as in Mutt: shown or not, and the
 * highlighted folder, whichever index is on top. */
static struct {
	int init;
	int shown;
	size_t account;
	int64_t hl;        /* highlighted folder id, 0: the open one */
	uint64_t gen;      /* the account's generation at the last read */
	struct cache_folder *f;
	size_t n;
} sb;

int
sidebar_rows(struct ui *ui, size_t account, struct cache_folder **f_r,
    size_t *n_r)
{
	return cache_folders(ui->cache, account, f_r, n_r, NULL);
}

static int
width(const struct ui *ui)
{
	if (!sb.shown || ui->cols < SIDEBAR_MIN_COLS)
		return 0;
	return ui->cols >= 100 ? 26 : ui->cols / 4;
}

/* The account's rows, read again when its generation moved. */
static void
refresh(struct ui *ui, size_t account)
{
	uint64_t g = cache_account_gen(ui->cache, account);

	if (sb.f && sb.account == account && sb.gen == g)
		return;
	cache_folders_free(&sb.f, sb.n);
	sb.n = 0;
	if (sb.account != account)
		sb.hl = 0;
	sb.account = account;
	sb.gen = g;
	if (sidebar_rows(ui, account, &sb.f, &sb.n) < 0) {
		sb.f = NULL;
		sb.n = 0;
	}
}

static size_t
row_of(int64_t id)
{
	size_t i;

	for (i = 0; i < sb.n; i++)
		if (sb.f[i].id == id)
			return i;
	return (size_t)-1;
}

int
sidebar_draw(struct ui *ui, size_t account, int64_t current)
{
	struct buf b = BUF_INIT;
	int w, rows = ui_body_rows(ui), y, cw;
	size_t i, top = 0, hl;
	char count[16];

	if (!sb.init) {
		sb.init = 1;
		sb.shown = ui->cfg->sidebar;
	}
	if ((w = width(ui)) == 0)
		return 0;
	refresh(ui, account);
	if (sb.hl == 0 || row_of(sb.hl) == (size_t)-1)
		sb.hl = current;
	hl = row_of(sb.hl);
	if (hl != (size_t)-1 && hl >= (size_t)rows)
		top = hl - (size_t)rows + 1;
	for (y = 1, i = top; y <= rows; y++, i++) {
		unsigned long attr = ui->attr[THEME_NORMAL];

		ui_fill(y, 0, w - 1, attr);
		ui_put(y, w - 1, 1, "\xe2\x94\x82", 3, ui->attr[THEME_TREE]);
		if (i >= sb.n)
			continue;
		if (i == hl)
			attr = ui->attr[THEME_CURSOR];
		else if (sb.f[i].unread)
			attr = ui->attr[THEME_NEW];
		if (i == hl)
			ui_fill(y, 0, w - 1, attr);
		buf_reset(&b);
		buf_addch(&b, sb.f[i].id == current ? '>' : ' ');
		buf_printf(&b, "%*s", (int)(sb.f[i].depth > 4 ? 4 :
		    sb.f[i].depth), "");
		str_clean_display(&b, sb.f[i].leaf, strlen(sb.f[i].leaf), 0);
		count[0] = '\0';
		if (sb.f[i].unread)
			snprintf(count, sizeof(count), " %u", sb.f[i].unread);
		cw = (int)strlen(count);
		ui_put(y, 0, w - 1 - cw, b.data, b.len, attr);
		if (cw)
			ui_put(y, w - 1 - cw, cw, count, (size_t)cw, attr);
	}
	buf_free(&b);
	return w;
}

/* The index on top, or NULL with a message (the commands are the
 * index's, so it is there unless run from elsewhere). */
static int
usable(struct ui *ui)
{
	if (ui->top == NULL || ui->top->ops->ctx != UI_CTX_INDEX)
		return 0;
	if (!sb.shown) {
		ui_message(ui, 1, "The sidebar is hidden (B shows it).");
		return 0;
	}
	return 1;
}

int
ui_cmd_sidebar_toggle(struct ui *ui, const char *arg)
{
	(void)arg;
	if (!sb.init) {
		sb.init = 1;
		sb.shown = ui->cfg->sidebar;
	}
	sb.shown = !sb.shown;
	if (sb.shown && ui->cols < SIDEBAR_MIN_COLS)
		ui_message(ui, 1, "The sidebar needs a terminal of %d columns "
		    "or more.", SIDEBAR_MIN_COLS);
	return 0;
}

/* Moves the highlight delta folders (skipping those that hold only
 * folders). */
static int
step(struct ui *ui, long delta)
{
	size_t row;
	long j;

	if (!usable(ui))
		return -1;
	refresh(ui, scr_index_account(ui->top));
	if (sb.hl == 0)
		sb.hl = scr_index_folder(ui->top);
	row = row_of(sb.hl);
	j = row != (size_t)-1 ? (long)row : delta > 0 ? -1 : (long)sb.n;
	for (j += delta; j >= 0 && j < (long)sb.n; j += delta)
		if (!sb.f[j].noselect) {
			sb.hl = sb.f[j].id;
			return 0;
		}
	ui_message(ui, 1, delta > 0 ? "This is the last folder." :
	    "This is the first folder.");
	return -1;
}

int
ui_cmd_sidebar_next(struct ui *ui, const char *arg)
{
	(void)arg;
	return step(ui, 1);
}

int
ui_cmd_sidebar_prev(struct ui *ui, const char *arg)
{
	(void)arg;
	return step(ui, -1);
}

int
ui_cmd_sidebar_open(struct ui *ui, const char *arg)
{
	size_t i;

	(void)arg;
	if (!usable(ui))
		return -1;
	refresh(ui, scr_index_account(ui->top));
	if ((i = row_of(sb.hl)) == (size_t)-1) {
		ui_message(ui, 1, "No folder is highlighted (C-n, C-p).");
		return -1;
	}
	/* As change-folder: the deleted marks of the folder left first. */
	return ui_screen_run(ui, ui->top, UI_CMD_CHANGE_FOLDER, sb.f[i].name);
}
