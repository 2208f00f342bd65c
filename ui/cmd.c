/* cmd: the command table, key bindings and the generated help. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "ui/cmd.h"
#include "ui/keys.h"
#include "ui/sidebar.h"
#include "ui/tui_int.h"

#define LISTS_PAGER (UI_CTX_LISTS | UI_CTX_PAGER)

const struct ui_cmd ui_cmds[] = {
	{ "help", "?", UI_CTX_ALL, ui_cmd_help, "show this help" },
	{ "back", "q", UI_CTX_ALL, ui_cmd_back,
	    "leave this screen (quit postie from the account list)" },
	{ "quit", "Q", UI_CTX_ALL, ui_cmd_quit, "quit postie" },
	{ "command-line", ":", UI_CTX_ALL, ui_cmd_cmdline,
	    "run a command by name" },
	{ "redraw", "C-l", UI_CTX_ALL, ui_cmd_redraw, "redraw the screen" },
	{ "suspend", "C-z", UI_CTX_ALL, ui_cmd_suspend,
	    "suspend postie (fg to come back)" },
	{ "down", "j <down>", LISTS_PAGER, ui_cmd_down, "move down one line" },
	{ "up", "k <up>", LISTS_PAGER, ui_cmd_up, "move up one line" },
	{ "page-down", "<pagedown> <space> C-f", LISTS_PAGER, ui_cmd_page_down,
	    "move down one page" },
	{ "page-up", "<pageup> - C-b", LISTS_PAGER, ui_cmd_page_up,
	    "move up one page" },
	{ "first", "<home> =", LISTS_PAGER, ui_cmd_first,
	    "go to the first line" },
	{ "last", "<end> *", LISTS_PAGER, ui_cmd_last, "go to the last line" },
	{ "open", "<enter> <right>", UI_CTX_ACCOUNTS | UI_CTX_FOLDERS |
	    UI_CTX_INDEX | UI_CTX_PARTS, ui_cmd_open,
	    "open the selected entry (parts: view the part)" },
	{ "next-message", "J", UI_CTX_MSG, ui_cmd_next_message,
	    "next message" },
	{ "previous-message", "K", UI_CTX_MSG, ui_cmd_prev_message,
	    "previous message" },
	{ "next-unread", "<tab>", UI_CTX_MSG, ui_cmd_next_unread,
	    "next unread message" },
	{ "toggle-new", "N", UI_CTX_MSG, ui_cmd_toggle_new,
	    "mark the message read or unread" },
	{ "flag", "F", UI_CTX_MSG, ui_cmd_flag, "flag or unflag the message" },
	{ "delete", "d", UI_CTX_MSG, ui_cmd_delete, "mark the message deleted" },
	{ "undelete", "u", UI_CTX_MSG, ui_cmd_undelete,
	    "remove the deleted mark" },
	{ "move", "s", UI_CTX_MSG, ui_cmd_move,
	    "move the message to a folder (/path: save to an mbox)" },
	{ "copy", "C", UI_CTX_MSG, ui_cmd_copy,
	    "copy the message to a folder (/path: to an mbox)" },
	{ "expunge", "X", UI_CTX_INDEX, ui_cmd_expunge,
	    "remove the messages marked deleted from the folder" },
	{ "sync", "$", UI_CTX_ALL, ui_cmd_sync,
	    "synchronise the account now" },
	{ "search", "/", UI_CTX_MSG | UI_CTX_HELP, ui_cmd_search,
	    "search (index: full text, offline; pager: this message)" },
	{ "search-next", "n", UI_CTX_MSG | UI_CTX_HELP, ui_cmd_search_next,
	    "find the next match" },
	{ "limit", "l", UI_CTX_INDEX, ui_cmd_limit,
	    "show only messages matching a search (empty: all)" },
	{ "change-folder", "c", UI_CTX_FOLDERS | UI_CTX_MSG,
	    ui_cmd_change_folder, "open another folder of this account" },
	{ "sort", "o", UI_CTX_INDEX, ui_cmd_sort,
	    "sort by date, arrival, from, subject, size or thread" },
	{ "sort-reverse", "O", UI_CTX_INDEX, ui_cmd_sort_reverse,
	    "reverse the sort order" },
	{ "collapse-thread", "z", UI_CTX_INDEX, ui_cmd_collapse,
	    "collapse or expand the thread (thread sort)" },
	{ "collapse-all", "Z", UI_CTX_INDEX, ui_cmd_collapse_all,
	    "collapse or expand every thread (thread sort)" },
	{ "tag-message", "t", UI_CTX_INDEX, ui_cmd_tag,
	    "tag or untag the message" },
	{ "tag-pattern", "T", UI_CTX_INDEX, ui_cmd_tag_pattern,
	    "tag the messages matching a pattern" },
	{ "untag-pattern", "C-t", UI_CTX_INDEX, ui_cmd_untag_pattern,
	    "untag the messages matching a pattern" },
	{ "tag-prefix", ";", UI_CTX_INDEX, ui_cmd_tag_prefix,
	    "apply the next command (d u F N s C | f) to the tagged messages" },
	{ "sidebar-toggle", "B", UI_CTX_INDEX, ui_cmd_sidebar_toggle,
	    "show or hide the folder sidebar" },
	{ "sidebar-next", "C-n", UI_CTX_INDEX, ui_cmd_sidebar_next,
	    "highlight the next folder in the sidebar" },
	{ "sidebar-prev", "C-p", UI_CTX_INDEX, ui_cmd_sidebar_prev,
	    "highlight the previous folder in the sidebar" },
	{ "sidebar-open", "C-o", UI_CTX_INDEX, ui_cmd_sidebar_open,
	    "open the folder highlighted in the sidebar" },
	{ "mark-all-read", "M-r", UI_CTX_INDEX, ui_cmd_mark_all_read,
	    "mark every message of the folder read" },
	{ "save-attachment", "w", UI_CTX_PAGER, ui_cmd_save_attachment,
	    "save an attachment: N [FILE]" },
	{ "open-attachment", "", UI_CTX_PAGER, ui_cmd_open_attachment,
	    "open an attachment through mailcap: N" },
	{ "attachments", "v", UI_CTX_PAGER, ui_cmd_parts,
	    "list the message's MIME parts, to view, save or pipe each" },
	{ "save-part", "s", UI_CTX_PARTS, ui_cmd_save_part,
	    "save the part to a file (asks where)" },
	{ "view-mailcap", "m", UI_CTX_PARTS, ui_cmd_view_mailcap,
	    "open the part with its mailcap viewer" },
	{ "toggle-headers", "h", UI_CTX_PAGER, ui_cmd_toggle_headers,
	    "show every header field, or the usual few" },
	{ "raw-message", "e", UI_CTX_PAGER, ui_cmd_raw,
	    "show the message as stored, or as rendered" },
	{ "pipe-message", "|", UI_CTX_MSG | UI_CTX_PARTS, ui_cmd_pipe,
	    "pipe the message (;| the tagged; parts: the part) to COMMAND "
	    "(!COMMAND: on the terminal)" },
	{ "open-link", "o", UI_CTX_PAGER, ui_cmd_open_link,
	    "open link N with [general] open_command" },
	{ "toggle-html", "H", UI_CTX_PAGER, ui_cmd_toggle_html,
	    "show the other part of a plain text / HTML message" },
	{ "theme", "", UI_CTX_ALL, ui_cmd_theme, "switch to theme NAME" },
	{ "compose", "m", UI_CTX_ACCOUNTS | UI_CTX_FOLDERS | UI_CTX_MSG,
	    ui_cmd_compose, "write a new message (mailto: URI optional)" },
	{ "reply", "r", UI_CTX_MSG, ui_cmd_reply, "reply to the sender" },
	{ "group-reply", "g", UI_CTX_MSG, ui_cmd_group_reply,
	    "reply to the sender and every recipient" },
	{ "list-reply", "L", UI_CTX_MSG, ui_cmd_list_reply,
	    "reply to the mailing list (List-Post)" },
	{ "forward", "f", UI_CTX_MSG, ui_cmd_forward,
	    "forward the message ([general] forward = inline | attachment)" },
	{ "resume-draft", "R", UI_CTX_MSG, ui_cmd_resume,
	    "edit the message as a new one (a draft: it goes once sent)" },
	{ "retry", "r", UI_CTX_OUTBOX, ui_cmd_retry,
	    "send the outbox message now (asks if it may have gone)" },
	{ "drop", "d", UI_CTX_OUTBOX, ui_cmd_drop,
	    "delete the outbox message, unsent (asks first)" },
	{ "create-folder", "C", UI_CTX_FOLDERS, ui_cmd_create_folder,
	    "create a folder: NAME (IMAP: on the server)" },
	{ "rename-folder", "r", UI_CTX_FOLDERS, ui_cmd_rename_folder,
	    "rename the selected folder: NEWNAME" },
	{ "delete-folder", "D", UI_CTX_FOLDERS, ui_cmd_delete_folder,
	    "delete the selected folder and its messages (asks first)" },
	{ "subscribe", "s", UI_CTX_FOLDERS, ui_cmd_subscribe,
	    "subscribe to the selected folder (IMAP)" },
	{ "unsubscribe", "u", UI_CTX_FOLDERS, ui_cmd_unsubscribe,
	    "unsubscribe from the selected folder (IMAP)" },
	{ "collapse-folder", "z", UI_CTX_FOLDERS, ui_cmd_collapse_folder,
	    "hide or show the subfolders of the selected folder" },
	{ "collapse-all-folders", "Z", UI_CTX_FOLDERS,
	    ui_cmd_collapse_all_folders,
	    "hide every branch of the folder tree, or show them all" },
	{ NULL, NULL, 0, NULL, NULL },
};

struct binding {
	int key;
	unsigned ctx; /* the screens where it holds: a subset of cmd->ctx */
	const struct ui_cmd *cmd;
};

struct ui_keymap {
	struct binding *b;
	size_t n, cap;
};

const struct ui_cmd *
ui_cmd_find(const char *name)
{
	const struct ui_cmd *c;

	for (c = ui_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void
unbind(struct ui_keymap *km, int key, unsigned ctx)
{
	size_t i, j;

	for (i = j = 0; i < km->n; i++) {
		if (km->b[i].key == key)
			km->b[i].ctx &= ~ctx;
		if (km->b[i].ctx)
			km->b[j++] = km->b[i];
	}
	km->n = j;
}

static void
add(struct ui_keymap *km, int key, const struct ui_cmd *cmd)
{
	unbind(km, key, cmd->ctx);
	if (km->n == km->cap) {
		km->cap = km->cap ? km->cap * 2 : 64;
		km->b = xreallocarray(km->b, km->cap, sizeof(*km->b));
	}
	km->b[km->n].key = key;
	km->b[km->n].ctx = cmd->ctx;
	km->b[km->n].cmd = cmd;
	km->n++;
}

struct ui_keymap *
ui_keymap_new(void)
{
	struct ui_keymap *km = xcalloc(1, sizeof(*km));
	const struct ui_cmd *c;
	char word[32];
	const char *p, *e;
	int key;

	for (c = ui_cmds; c->name; c++) {
		for (p = c->keys; *p; p = e) {
			while (*p == ' ')
				p++;
			if ((e = strchr(p, ' ')) == NULL)
				e = p + strlen(p);
			if (e == p || (size_t)(e - p) >= sizeof(word))
				continue;
			memcpy(word, p, (size_t)(e - p));
			word[e - p] = '\0';
			/* The table is ours: a bad name is a bug the unit
			 * tests catch. */
			if (ui_key_parse(word, &key, NULL) == 0)
				add(km, key, c);
		}
	}
	return km;
}

void
ui_keymap_free(struct ui_keymap **km)
{
	if (*km == NULL)
		return;
	free((*km)->b);
	free(*km);
	*km = NULL;
}

int
ui_keymap_bind(struct ui_keymap *km, const char *key, const char *name,
    struct error *err)
{
	const struct ui_cmd *c;
	int k;

	if (ui_key_parse(key, &k, err) < 0)
		return -1;
	if (strcmp(name, "none") == 0) {
		unbind(km, k, UI_CTX_ALL);
		return 0;
	}
	if ((c = ui_cmd_find(name)) == NULL) {
		struct buf b = BUF_INIT;

		str_clean_display(&b, name, strlen(name), 0);
		error_set(err, "unknown command '%s'", buf_cstr(&b));
		buf_free(&b);
		return -1;
	}
	add(km, k, c);
	return 0;
}

int
ui_keymap_config(struct ui_keymap *km, const struct config *cfg,
    struct error *err)
{
	size_t i;

	for (i = 0; i < cfg->nkeys; i++) {
		if (ui_keymap_bind(km, cfg->keys[i].key, cfg->keys[i].command,
		    err) < 0)
			return error_prefix(err, "%s:%d", cfg->path,
			    cfg->keys[i].line);
	}
	return 0;
}

const struct ui_cmd *
ui_keymap_lookup(const struct ui_keymap *km, int key, unsigned ctx)
{
	size_t i;

	for (i = 0; i < km->n; i++)
		if (km->b[i].key == key && (km->b[i].ctx & ctx))
			return km->b[i].cmd;
	return NULL;
}

void
ui_keymap_keys(const struct ui_keymap *km, const struct ui_cmd *cmd,
    unsigned ctx, struct buf *out)
{
	char name[32];
	size_t i, start = out->len;

	for (i = 0; i < km->n; i++) {
		if (km->b[i].cmd != cmd || (km->b[i].ctx & ctx) == 0)
			continue;
		if (out->len > start)
			buf_addch(out, ' ');
		buf_addstr(out, ui_key_name(km->b[i].key, name, sizeof(name)));
	}
}

void
ui_help_text(const struct ui_keymap *km, unsigned ctx, struct buf *out)
{
	const struct ui_cmd *c;

	for (c = ui_cmds; c->name; c++) {
		if ((c->ctx & ctx) == 0)
			continue;
		ui_keymap_keys(km, c, ctx, out);
		buf_printf(out, "\t%s\t%s\n", c->name, c->help);
	}
}

int
ui_cmdline_next(const char **p, struct buf *name, struct buf *arg)
{
	const char *s = *p, *e, *sp;

	buf_reset(name);
	buf_reset(arg);
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == ';')
			s++;
		if (*s == '\0') {
			*p = s;
			return 0;
		}
		if ((e = strchr(s, ';')) == NULL)
			e = s + strlen(s);
		for (sp = s; sp < e && *sp != ' ' && *sp != '\t'; sp++)
			;
		buf_add(name, s, (size_t)(sp - s));
		buf_add(arg, sp, (size_t)(e - sp));
		*p = e;
		if (arg->len) {
			/* str_trim works in place and keeps data at start. */
			str_trim(arg->data);
			arg->len = strlen(arg->data);
		}
		return 1;
	}
}
