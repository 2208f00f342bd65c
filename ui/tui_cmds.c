/* tui_cmds: the functions of the command table that are not per screen. */
#include "config.h"

#include <curses.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "ui/tui_int.h"

int
ui_screen_run(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	if (id > UI_CMD_NONE && id < UI_CMD_N && s->ops->cmds &&
	    s->ops->cmds[id])
		return s->ops->cmds[id](ui, s, id, arg);
	ui_message(ui, 1, "That command does not apply here.");
	return -1;
}

int
ui_cmd_help(struct ui *ui, const char *arg)
{
	if (ui->top->ops->ctx == UI_CTX_HELP)
		return 0;
	ui_push(ui, scr_help_new(ui, ui->top->ops->ctx));
	return 0;
}

static void
back_after(struct ui *ui, void *arg)
{
	ui_pop(ui);
}

int
ui_cmd_back(struct ui *ui, const char *arg)
{
	/* Leaving a folder removes what was marked deleted, if the user
	 * says so (as NeoMutt asks to purge). */
	if (ui->top->ops->ctx == UI_CTX_INDEX &&
	    scr_index_leave(ui, ui->top, back_after, NULL) == 1)
		return 0;
	ui_pop(ui);
	return 0;
}

static void
quit_after(struct ui *ui, void *arg)
{
	ui->quit = 1;
}

int
ui_cmd_quit(struct ui *ui, const char *arg)
{
	struct ui_screen *s;

	for (s = ui->top; s; s = s->below)
		if (s->ops->ctx == UI_CTX_INDEX &&
		    scr_index_leave(ui, s, quit_after, NULL) == 1)
			return 0;
	ui->quit = 1;
	return 0;
}

void
ui_fcomp_free(struct ui_fcomp *c)
{
	free(c->stem);
	free(c->last);
	c->stem = c->last = NULL;
}

void
ui_complete_words(struct ui_fcomp *c, struct buf *text, size_t start,
    const char *const *cands, size_t n)
{
	const char *word = buf_cstr(text) + start, *pick = NULL;
	size_t i, len, lcp = 0, nhit = 0, first = 0, cur = (size_t)-1, k;

	/* A Tab after typing starts over from what is typed now. */
	if (c->last == NULL || strcmp(c->last, buf_cstr(text)) != 0) {
		free(c->stem);
		c->stem = xstrdup(word);
	}
	len = strlen(c->stem);
	for (i = 0; i < n; i++) {
		if (str_ncasecmp(cands[i], c->stem, len) != 0)
			continue;
		if (nhit++ == 0) {
			first = i;
			lcp = strlen(cands[i]);
		} else {
			for (k = 0; k < lcp && cands[i][k] == cands[first][k];
			    k++)
				;
			lcp = k;
		}
		if (strcmp(cands[i], word) == 0)
			cur = i;
	}
	if (nhit == 0) {
		beep();
	} else if (nhit == 1) {
		pick = cands[first];
	} else if (lcp > strlen(word)) {
		text->len = start;
		buf_add(text, cands[first], lcp);
	} else {
		/* Nothing more in common: each Tab shows the next
		 * candidate. */
		for (i = cur == (size_t)-1 ? 0 : cur + 1; i < n + first; i++)
			if (str_ncasecmp(cands[i % n], c->stem, len) == 0) {
				pick = cands[i % n];
				break;
			}
		if (pick == NULL)
			pick = cands[first];
	}
	if (pick) {
		text->len = start;
		buf_addstr(text, pick);
	}
	free(c->last);
	c->last = xstrdup(buf_cstr(text));
}

/* Tab on the command line: the command's name, then its argument
 * (folders, sort orders, themes). */
static void
cmdline_complete(struct ui *ui, struct buf *text, void *arg)
{
	static const char *const sorts[] = {
		"date", "arrival", "from", "subject", "size", "thread",
	};
	const char *t = buf_cstr(text), *sp = strchr(t, ' ');
	const char **names;
	const struct ui_cmd *c;
	size_t n = 0, i, start, account;
	char **themes;

	if (sp == NULL) {
		for (c = ui_cmds; c->name; c++)
			n++;
		names = xreallocarray(NULL, n, sizeof(*names));
		for (c = ui_cmds, n = 0; c->name; c++)
			if (c->ctx & ui->top->ops->ctx)
				names[n++] = c->name;
		ui_complete_words(&ui->cmd_comp, text, 0, names, n);
		free(names);
		return;
	}
	start = (size_t)(sp - t) + 1;
	if (strncmp(t, "change-folder ", start) == 0 ||
	    strncmp(t, "move ", start) == 0 || strncmp(t, "copy ", start) == 0) {
		if ((account = ui_current_account(ui)) != UI_NO_ACCOUNT)
			scr_folders_complete(ui, account, &ui->cmd_comp, text,
			    start);
	} else if (strncmp(t, "sort ", start) == 0) {
		ui_complete_words(&ui->cmd_comp, text, start, sorts,
		    sizeof(sorts) / sizeof(sorts[0]));
	} else if (strncmp(t, "theme ", start) == 0) {
		theme_list(&themes, &n);
		ui_complete_words(&ui->cmd_comp, text, start,
		    (const char *const *)themes, n);
		for (i = 0; i < n; i++)
			free(themes[i]);
		free(themes);
	}
}

static void
cmdline_done(struct ui *ui, const char *text, void *arg)
{
	ui_run_line(ui, text);
}

int
ui_cmd_cmdline(struct ui *ui, const char *arg)
{
	if (arg)
		return ui_run_line(ui, arg);
	ui_prompt(ui, ":", NULL, cmdline_done, NULL);
	ui_prompt_complete(ui, cmdline_complete);
	return 0;
}

int
ui_cmd_redraw(struct ui *ui, const char *arg)
{
	ui->full_redraw = 1;
	return 0;
}

int
ui_cmd_suspend(struct ui *ui, const char *arg)
{
	def_prog_mode();
	endwin();
	/* SIGSTOP, not SIGTSTP: ncurses' own handler must not run twice. */
	kill(getpid(), SIGSTOP);
	reset_prog_mode();
	ui->full_redraw = 1;
	return 0;
}

static int
list_cmd(struct ui *ui, long delta, int page, int end)
{
	struct ui_list *l = ui->top->list;
	int rows = ui_body_rows(ui);

	if (l == NULL) /* every screen has a list; nothing to scroll */
		return 0;
	if (end < 0) {
		ui_list_set(l, 0, rows);
	} else if (end > 0) {
		ui_list_set(l, l->n ? l->n - 1 : 0, rows);
	} else if (page && l->scroll_only) {
		/* Space at the end of a message goes on to the next one,
		 * as in NeoMutt. */
		if (delta > 0 && l->top + (size_t)rows >= l->n &&
		    ui->top->ops->ctx == UI_CTX_PAGER)
			return ui_screen_run(ui, ui->top, UI_CMD_NEXT_MESSAGE,
			    NULL);
		ui_list_move(l, delta * (rows > 1 ? rows - 1 : 1), rows);
	} else if (page) {
		/* Like mutt: the view and the cursor move a page together. */
		size_t step = (size_t)rows;

		if (delta > 0 && l->top + step < l->n) {
			l->top += step;
			l->cur += step;
		} else if (delta > 0) {
			l->cur = l->n ? l->n - 1 : 0;
		} else if (l->top >= step) {
			l->top -= step;
			l->cur = l->cur >= step ? l->cur - step : 0;
		} else {
			l->top = l->cur = 0;
		}
		ui_list_fix(l, rows);
	} else {
		ui_list_move(l, delta, rows);
	}
	return 0;
}

int
ui_cmd_down(struct ui *ui, const char *arg)
{
	return list_cmd(ui, 1, 0, 0);
}

int
ui_cmd_up(struct ui *ui, const char *arg)
{
	return list_cmd(ui, -1, 0, 0);
}

int
ui_cmd_page_down(struct ui *ui, const char *arg)
{
	return list_cmd(ui, 1, 1, 0);
}

int
ui_cmd_page_up(struct ui *ui, const char *arg)
{
	return list_cmd(ui, -1, 1, 0);
}

int
ui_cmd_first(struct ui *ui, const char *arg)
{
	return list_cmd(ui, 0, 0, -1);
}

int
ui_cmd_last(struct ui *ui, const char *arg)
{
	return list_cmd(ui, 0, 0, 1);
}

int
ui_cmd_sync(struct ui *ui, const char *arg)
{
	struct error err;
	size_t i = ui_current_account(ui);

	if (i == (size_t)-1 && ui->top->ops->ctx == UI_CTX_ACCOUNTS)
		i = ui->top->list->cur;
	if (i == (size_t)-1 || i >= cache_naccounts(ui->cache)) {
		ui_message(ui, 1, "no account selected");
		return -1;
	}
	error_clear(&err);
	if (cache_request_sync(ui->cache, i, 0, 0, NULL, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	ui->worker_ok[i] = 1;
	ui_message(ui, 0, "Syncing %s...", cache_account(ui->cache, i)->name);
	return 0;
}

int
ui_cmd_theme(struct ui *ui, const char *arg)
{
	if (arg == NULL) {
		struct buf b = BUF_INIT;
		char **names;
		size_t n, i;

		theme_list(&names, &n);
		for (i = 0; i < n; i++) {
			buf_printf(&b, "%s%s%s", i ? ", " : "", names[i],
			    strcmp(names[i], ui->theme.name) == 0 ?
			    " (in use)" : "");
			free(names[i]);
		}
		free(names);
		ui_message(ui, 0, "Themes: %s. :theme NAME switches.",
		    n ? buf_cstr(&b) : "none found");
		buf_free(&b);
		return 0;
	}
	if (ui_set_theme(ui, arg) < 0)
		return -1;
	ui_message(ui, 0, "Theme %s", ui->theme.name);
	return 0;
}

/* Commands whose meaning depends on the screen: the screen's function
 * for the id (cmd.h). */
#define FORWARD(fn, id) \
	int fn(struct ui *ui, const char *arg) \
	{ \
		return ui_screen_run(ui, ui->top, id, arg); \
	}

FORWARD(ui_cmd_open, UI_CMD_OPEN)
FORWARD(ui_cmd_next_message, UI_CMD_NEXT_MESSAGE)
FORWARD(ui_cmd_prev_message, UI_CMD_PREV_MESSAGE)
FORWARD(ui_cmd_next_unread, UI_CMD_NEXT_UNREAD)
FORWARD(ui_cmd_toggle_new, UI_CMD_TOGGLE_NEW)
FORWARD(ui_cmd_flag, UI_CMD_FLAG)
FORWARD(ui_cmd_delete, UI_CMD_DELETE)
FORWARD(ui_cmd_retry, UI_CMD_RETRY)
FORWARD(ui_cmd_drop, UI_CMD_DROP)
FORWARD(ui_cmd_undelete, UI_CMD_UNDELETE)
FORWARD(ui_cmd_move, UI_CMD_MOVE)
FORWARD(ui_cmd_copy, UI_CMD_COPY)
FORWARD(ui_cmd_expunge, UI_CMD_EXPUNGE)
FORWARD(ui_cmd_search, UI_CMD_SEARCH)
FORWARD(ui_cmd_search_next, UI_CMD_SEARCH_NEXT)
FORWARD(ui_cmd_limit, UI_CMD_LIMIT)
FORWARD(ui_cmd_change_folder, UI_CMD_CHANGE_FOLDER)
FORWARD(ui_cmd_sort, UI_CMD_SORT)
FORWARD(ui_cmd_sort_reverse, UI_CMD_SORT_REVERSE)
FORWARD(ui_cmd_collapse, UI_CMD_COLLAPSE)
FORWARD(ui_cmd_create_folder, UI_CMD_CREATE_FOLDER)
FORWARD(ui_cmd_rename_folder, UI_CMD_RENAME_FOLDER)
FORWARD(ui_cmd_delete_folder, UI_CMD_DELETE_FOLDER)
FORWARD(ui_cmd_subscribe, UI_CMD_SUBSCRIBE)
FORWARD(ui_cmd_unsubscribe, UI_CMD_UNSUBSCRIBE)
FORWARD(ui_cmd_collapse_folder, UI_CMD_COLLAPSE_FOLDER)
FORWARD(ui_cmd_collapse_all_folders, UI_CMD_COLLAPSE_ALL_FOLDERS)
FORWARD(ui_cmd_collapse_all, UI_CMD_COLLAPSE_ALL)
FORWARD(ui_cmd_save_attachment, UI_CMD_SAVE_ATTACHMENT)
FORWARD(ui_cmd_open_attachment, UI_CMD_OPEN_ATTACHMENT)
FORWARD(ui_cmd_toggle_headers, UI_CMD_TOGGLE_HEADERS)
FORWARD(ui_cmd_raw, UI_CMD_RAW)
FORWARD(ui_cmd_pipe, UI_CMD_PIPE)
FORWARD(ui_cmd_open_link, UI_CMD_OPEN_LINK)
FORWARD(ui_cmd_toggle_html, UI_CMD_TOGGLE_HTML)
FORWARD(ui_cmd_tag, UI_CMD_TAG)
FORWARD(ui_cmd_tag_pattern, UI_CMD_TAG_PATTERN)
FORWARD(ui_cmd_untag_pattern, UI_CMD_UNTAG_PATTERN)
FORWARD(ui_cmd_tag_prefix, UI_CMD_TAG_PREFIX)
FORWARD(ui_cmd_mark_all_read, UI_CMD_MARK_ALL_READ)
FORWARD(ui_cmd_parts, UI_CMD_PARTS)
FORWARD(ui_cmd_save_part, UI_CMD_SAVE_ATTACHMENT)
FORWARD(ui_cmd_view_mailcap, UI_CMD_OPEN_ATTACHMENT)

/* The message under the cursor of the index or shown by the pager. */
static int64_t
current_message(struct ui *ui)
{
	if (ui->top->ops->ctx == UI_CTX_INDEX)
		return scr_index_current(ui->top);
	if (ui->top->ops->ctx == UI_CTX_PAGER)
		return scr_pager_current(ui->top);
	return 0;
}

static int
write_cmd(struct ui *ui, enum scr_compose_kind kind, const char *arg)
{
	size_t i = ui_current_account(ui);
	int64_t id = 0;

	if (i == (size_t)-1 && ui->top->ops->ctx == UI_CTX_ACCOUNTS &&
	    ui->top->list && ui->top->list->cur < cache_naccounts(ui->cache))
		i = ui->top->list->cur;
	if (i == (size_t)-1 && cache_naccounts(ui->cache) > 0)
		i = 0;
	if (kind != SCR_COMPOSE_NEW && (id = current_message(ui)) == 0) {
		ui_message(ui, 1, "no message selected");
		return -1;
	}
	return scr_compose_start(ui, i, kind, id, arg);
}

int
ui_cmd_compose(struct ui *ui, const char *arg)
{
	return write_cmd(ui, SCR_COMPOSE_NEW, arg);
}

int
ui_cmd_reply(struct ui *ui, const char *arg)
{
	(void)arg;
	return write_cmd(ui, SCR_COMPOSE_REPLY, NULL);
}

int
ui_cmd_group_reply(struct ui *ui, const char *arg)
{
	(void)arg;
	return write_cmd(ui, SCR_COMPOSE_REPLY_ALL, NULL);
}

int
ui_cmd_list_reply(struct ui *ui, const char *arg)
{
	(void)arg;
	return write_cmd(ui, SCR_COMPOSE_REPLY_LIST, NULL);
}

int
ui_cmd_forward(struct ui *ui, const char *arg)
{
	(void)arg;
	return write_cmd(ui, SCR_COMPOSE_FORWARD, NULL);
}

int
ui_cmd_resume(struct ui *ui, const char *arg)
{
	(void)arg;
	return write_cmd(ui, SCR_COMPOSE_RESUME, NULL);
}
