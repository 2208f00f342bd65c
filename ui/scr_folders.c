/* scr_folders: an account's folders as a tree with counts and roles. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "ui/tui_int.h"

struct folders {
	struct ui_screen s;
	struct ui_list l;
	size_t account;
	struct cache_folder *f;
	size_t n;
	unsigned gen; /* ui->local_gen at the last load */
	char err[ERROR_MAX];
};

static const char *
role_name(enum folder_role r)
{
	switch (r) {
	case FOLDER_ROLE_INBOX: return "Inbox";
	case FOLDER_ROLE_DRAFTS: return "Drafts";
	case FOLDER_ROLE_SENT: return "Sent";
	case FOLDER_ROLE_TRASH: return "Trash";
	case FOLDER_ROLE_JUNK: return "Junk";
	case FOLDER_ROLE_ARCHIVE: return "Archive";
	case FOLDER_ROLE_ALL: return "All mail";
	case FOLDER_ROLE_FLAGGED: return "Flagged";
	default: return NULL;
	}
}

static void
load(struct ui *ui, struct folders *f)
{
	struct error err;
	int64_t keep = f->l.cur < f->n ? f->f[f->l.cur].id : 0;
	size_t i;

	error_clear(&err);
	f->gen = ui->local_gen;
	cache_folders_free(&f->f, f->n);
	f->n = 0;
	if (cache_folders(ui->cache, f->account, &f->f, &f->n, &err) < 0)
		str_lcpy(f->err, err.msg, sizeof(f->err));
	else
		f->err[0] = '\0';
	f->l.n = f->n;
	for (i = 0; i < f->n; i++)
		if (f->f[i].id == keep)
			f->l.cur = i;
	ui_list_fix(&f->l, ui_body_rows(ui));
}

static void
draw(struct ui *ui, struct ui_screen *s)
{
	struct folders *f = (struct folders *)s;
	const struct cache_folder *cf;
	struct buf b = BUF_INIT;
	int rows = ui_body_rows(ui), y, x, w;
	unsigned long attr;
	size_t i;

	if (f->gen != ui->local_gen)
		load(ui, f); /* counts changed while another screen was up */
	ui_title(ui, " %s: folders   Enter: open  c: change folder  "
	    "$: sync  q: back", cache_account(ui->cache, f->account)->name);
	if (f->n == 0)
		ui_put(1, 1, ui->cols - 1, f->err[0] ? f->err :
		    "No folders yet (press $ to sync).", strlen(f->err[0] ?
		    f->err : "No folders yet (press $ to sync)."),
		    ui->attr[f->err[0] ? THEME_ERROR : THEME_NORMAL]);
	for (i = f->l.top, y = 1; i < f->n && y <= rows; i++, y++) {
		cf = &f->f[i];
		attr = i == f->l.cur ? ui->attr[THEME_CURSOR] : cf->unread ?
		    ui->attr[THEME_NEW] : ui->attr[THEME_NORMAL];
		ui_fill(y, 0, ui->cols, attr);
		buf_reset(&b);
		buf_printf(&b, "%u unread of %u", cf->unread, cf->total);
		w = ui_width(b.data, b.len);
		ui_put(y, ui->cols - w - 1, w, b.data, b.len, attr);
		x = 1 + 2 * (int)(cf->depth > 20 ? 20 : cf->depth);
		if (cf->depth > 0)
			ui_put(y, x - 2, 2, "\xe2\x94\x94 ", 4, i == f->l.cur ?
			    attr : ui->attr[THEME_TREE]);
		x += ui_put(y, x, ui->cols - x - w - 2, cf->leaf,
		    strlen(cf->leaf), attr);
		if (role_name(cf->role)) {
			buf_reset(&b);
			buf_printf(&b, "  (%s)", role_name(cf->role));
			ui_put(y, x, ui->cols - x - w - 2, b.data, b.len, attr);
		}
	}
	buf_free(&b);
}

static void
event(struct ui *ui, struct ui_screen *s, const struct cache_event *ev)
{
	struct folders *f = (struct folders *)s;

	/* Reloaded when next drawn: once per batch of events, and not at
	 * all while another screen covers this one. */
	if (ev->account == f->account &&
	    (ev->kind == CACHE_EV_FOLDERS_CHANGED ||
	    ev->kind == CACHE_EV_FOLDER_CHANGED ||
	    ev->kind == CACHE_EV_SYNC_DONE))
		f->gen = ui->local_gen - 1;
}

static int
open_name(struct ui *ui, struct folders *f, const char *name)
{
	struct error err;
	int64_t id;

	error_clear(&err);
	if (cache_folder_find(ui->cache, f->account, name, &id, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	ui_push(ui, scr_index_new(ui, f->account, id, name));
	return 0;
}

static void
change_done(struct ui *ui, const char *text, void *arg)
{
	if (*text)
		open_name(ui, arg, text);
}

static int
cmd(struct ui *ui, struct ui_screen *s, const char *name, const char *arg)
{
	struct folders *f = (struct folders *)s;

	if (strcmp(name, "open") == 0) {
		if (f->l.cur >= f->n)
			return 0;
		if (f->f[f->l.cur].noselect) {
			ui_message(ui, 1, "%s holds only folders",
			    f->f[f->l.cur].name);
			return -1;
		}
		ui_push(ui, scr_index_new(ui, f->account, f->f[f->l.cur].id,
		    f->f[f->l.cur].name));
		return 0;
	}
	if (strcmp(name, "change-folder") == 0) {
		if (arg)
			return open_name(ui, f, arg);
		ui_prompt(ui, "Open folder: ", NULL, change_done, f);
		return 0;
	}
	ui_message(ui, 1, "'%s' does not apply to the folder list", name);
	return -1;
}

static void
destroy(struct ui_screen *s)
{
	struct folders *f = (struct folders *)s;

	cache_folders_free(&f->f, f->n);
	free(f);
}

static const struct ui_screen_ops ops = {
	UI_CTX_FOLDERS, draw, NULL, NULL, event, cmd, destroy,
};

struct ui_screen *
scr_folders_new(struct ui *ui, size_t account)
{
	struct folders *f = xcalloc(1, sizeof(*f));

	f->s.ops = &ops;
	f->s.list = &f->l;
	f->s.account = account;
	f->account = account;
	load(ui, f);
	return &f->s;
}
