/*
 * tui_int: what the TUI's files share (not a public header).
 *
 * Layout: row 0 is the title bar of the top screen, rows 1..rows-3 its
 * body, row rows-2 the status line (account mode, security, progress),
 * row rows-1 the message / prompt line.
 *
 * Screens form a stack (ui->top, each ->below).  Each has a vtable:
 * draw (the body and title), key (optional: raw keys before bindings),
 * resize, event (cache changes), cmds (its function for each
 * screen-specific command) and destroy.  Commands act on ui->top.
 */
#ifndef POSTIE_UI_TUI_INT_H
#define POSTIE_UI_TUI_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cache/cache.h"
#include "core/buf.h"
#include "core/config.h"
#include "ui/cli.h"
#include "ui/cmd.h"
#include "ui/theme.h"

struct ui;
struct ui_screen;

/* A scrolling list: n rows, cursor cur, first visible top. */
struct ui_list {
	size_t n, cur, top;
	int scroll_only; /* pager: no cursor, top moves */
};

/* A screen's function for command id (cmd.h), with the argument typed
 * after its name or NULL: 0 done, -1 failed (message shown). */
typedef int (*ui_screen_fn)(struct ui *ui, struct ui_screen *s,
    enum ui_cmd_id id, const char *arg);

struct ui_screen_ops {
	unsigned ctx; /* UI_CTX_* */
	void (*draw)(struct ui *ui, struct ui_screen *s);
	/* 1 if the key was used, 0 to look it up in the keymap. */
	int (*key)(struct ui *ui, struct ui_screen *s, int key);
	void (*resize)(struct ui *ui, struct ui_screen *s);
	/* Events as they come (cache.h); what changed in a folder is
	 * better read from its generation when drawing. */
	void (*event)(struct ui *ui, struct ui_screen *s,
	    const struct cache_event *ev);
	/* Screen-specific commands: UI_CMD_N entries indexed by id, NULL
	 * where the command does not apply (or the whole table NULL). */
	const ui_screen_fn *cmds;
	void (*destroy)(struct ui_screen *s);
};

struct ui_screen {
	const struct ui_screen_ops *ops;
	struct ui_screen *below;
	struct ui_list *list; /* NULL if the screen has none */
	size_t account;       /* the account shown, or UI_NO_ACCOUNT */
};

#define UI_NO_ACCOUNT ((size_t)-1)

typedef void (*ui_prompt_fn)(struct ui *ui, const char *text, void *arg);
/* Tab in a prompt: changes text (the prompt's), arg is the prompt's. */
typedef void (*ui_complete_fn)(struct ui *ui, struct buf *text, void *arg);

/* A folder prompt's completion: what was typed before the first Tab,
 * and the text the last Tab left (to cycle through the candidates). */
struct ui_fcomp {
	char *stem, *last;
};

struct ui_progress {
	uint64_t done, total, bytes;
	char what[64];
	int active;
};

struct ui {
	const struct cli_opts *opts;
	struct config *cfg;
	struct cache *cache;
	struct ui_keymap *km;
	struct theme theme;
	int ncolors;            /* 0 (none), 8, 16 or 256 in use */
	int hyperlinks;         /* OSC 8 links in the pager (hyperlink.h) */
	struct ui_links *links; /* this frame's links (hyperlink.c) */
	unsigned long attr[THEME_NELEMS]; /* attr_t with colour pair */
	struct ui_screen *top;
	int rows, cols;
	int quit;
	int full_redraw;
	/* message line */
	struct buf msg;
	int msg_error;
	time_t msg_until;
	/* new-mail notice on the status line, until notice_until */
	char notice[128];
	time_t notice_until;
	/* prompt */
	int prompting;
	int prompt_yesno;
	ui_complete_fn prompt_complete; /* Tab; NULL: none */
	struct ui_fcomp cmd_comp;       /* Tab on the command line */
	struct buf prompt_label, prompt_text;
	ui_prompt_fn prompt_fn;
	void *prompt_arg;
	/* per account */
	struct ui_progress *progress;
	int *worker_ok;
	struct cache_account_status *status; /* see ui_status() */
	int *status_valid;
	/* -e commands, run once the start folder has loaded */
	const char *start_cmds;
	int start_waiting; /* the start folder's index waits for the
			      ticket of its first sync */
	int start_ready;   /* run start_cmds after the next draw */
	int start_failed;  /* a -e command failed: exit status 1 */
	char start_error[ERROR_MAX];
	/* -d: time from a key's command to the end of its redraw */
	const char *trace_cmd;
	double trace_start;
	size_t start_account;
};

/* --- tui.c: the loop and shared drawing --- */
int ui_body_rows(const struct ui *ui);
void ui_message(struct ui *ui, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_prompt(struct ui *ui, const char *label, const char *initial,
    ui_prompt_fn fn, void *arg);
void ui_ask_yesno(struct ui *ui, const char *question, ui_prompt_fn fn,
    void *arg);
/* A key typed into a line of text t: Backspace drops a character, C-u
 * clears, a printable character is appended.  1 if t changed, 0 if the
 * key is none of these. */
int ui_edit_key(struct buf *t, int key);
/* Gives the prompt just opened a Tab completion. */
void ui_prompt_complete(struct ui *ui, ui_complete_fn fn);
void ui_push(struct ui *ui, struct ui_screen *s);
void ui_pop(struct ui *ui);
int ui_run_command(struct ui *ui, const char *name, const char *arg);
int ui_run_line(struct ui *ui, const char *line);
int ui_set_theme(struct ui *ui, const char *name);
/* Account i's status, counted by the cache only when something changed
 * (an event, or ui_status_changed()), never once per keystroke. */
const struct cache_account_status *ui_status(struct ui *ui, size_t i);
void ui_status_changed(struct ui *ui, size_t i);
/*
 * A change this UI made through the cache moved the account's unread
 * count by dunread: the status line follows without a recount (the
 * cache posts no event for it; screens learn of it from the folder's
 * generation, cache.h).
 */
void ui_own_change(struct ui *ui, size_t account, int dunread);
/* The account the top screen is about (index), or (size_t)-1. */
size_t ui_current_account(struct ui *ui);
/* Called by the index when its start folder has loaded. */
void ui_start_loaded(struct ui *ui);

/* --- tui_cmds.c: completion --- */
/*
 * Tab: completes the text after byte start against cands (ASCII case
 * folded): a unique match in full, several their common part, and
 * further Tabs cycle through them.  c keeps what was typed.
 */
void ui_complete_words(struct ui_fcomp *c, struct buf *text, size_t start,
    const char *const *cands, size_t n);
void ui_fcomp_free(struct ui_fcomp *c);

/* --- draw.c --- */
/* Draws s (cleaned again here, and cut to maxw columns by wcwidth) at
 * (y, x) with attr; returns the columns used. */
/* Moves column 0 of ui_put and ui_fill to x (the index beside the
 * sidebar); 0 again when done. */
void ui_origin(int x);
int ui_put(int y, int x, int maxw, const char *s, size_t len,
    unsigned long attr);
/* How many bytes of s fit in w columns, broken after a space when the
 * whole does not fit (at least one character). */
size_t ui_fit(const char *s, size_t len, int w);
/* ui_put over up to maxrows rows of w columns from (y, x), broken at
 * spaces; returns the rows used. */
int ui_put_wrapped(int y, int x, int w, int maxrows, const char *s,
    size_t len, unsigned long attr);
/* ui_put, then spaces up to maxw columns. */
void ui_put_pad(int y, int x, int maxw, const char *s, unsigned long attr);
void ui_fill(int y, int x, int w, unsigned long attr);
/* Display width of UTF-8 text (wcwidth). */
int ui_width(const char *s, size_t len);
/* Applies a theme to ncurses colour pairs into ui->attr. */
void ui_theme_apply(struct ui *ui);
/* Title bar text in row 0. */
void ui_title(struct ui *ui, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* --- list.c: cursor movement shared by list screens and the pager --- */
void ui_list_move(struct ui_list *l, long delta, int rows);
void ui_list_set(struct ui_list *l, size_t cur, int rows);
void ui_list_fix(struct ui_list *l, int rows);

/* --- screens --- */
struct ui_screen *scr_accounts_new(struct ui *ui);
struct ui_screen *scr_folders_new(struct ui *ui, size_t account);
struct ui_screen *scr_index_new(struct ui *ui, size_t account,
    int64_t folder_id, const char *folder_name);
/* A saved search's virtual folder ([searches]), opened from account's
 * folder list. */
struct ui_screen *scr_index_search_new(struct ui *ui, size_t account,
    const struct config_search *sr);
struct ui_screen *scr_pager_new(struct ui *ui, struct ui_screen *index,
    int64_t msg_id);
struct ui_screen *scr_help_new(struct ui *ui, unsigned ctx);
/* The account's outbox (scr_outbox.c), from the folder list. */
struct ui_screen *scr_outbox_new(struct ui *ui, size_t account);

/* --- scr_setup.c: the first-run setup form --- */
/* With curses started and no configuration file at path: runs the form
 * until the user saves (0: path written, *account_r the new account's
 * name, to free) or cancels (1: nothing written). */
int scr_setup_run(struct ui *ui, const char *path, char **account_r);

/* --- scr_compose.c: writing mail --- */
enum scr_compose_kind {
	SCR_COMPOSE_NEW, SCR_COMPOSE_REPLY, SCR_COMPOSE_REPLY_ALL,
	SCR_COMPOSE_REPLY_LIST, SCR_COMPOSE_FORWARD, SCR_COMPOSE_RESUME,
};
/* Runs the editor on a new message (mailto: a mailto: URI, or NULL), or
 * a reply to / forward of msg_id, then pushes the compose screen.  -1
 * with a message shown when it cannot. */
int scr_compose_start(struct ui *ui, size_t account,
    enum scr_compose_kind kind, int64_t msg_id, const char *mailto);
/* Forwards the n messages ids as message/rfc822 attachments of one new
 * message (;f in the index). */
int scr_compose_forward(struct ui *ui, size_t account, const int64_t *ids,
    size_t n);
/* Sends from the compose screen not answered yet. */
int scr_compose_pending(void);
/* How a send asked for from the compose screen ended. */
void scr_compose_event(struct ui *ui, const struct cache_event *ev);
/* The message the pager shows. */
int64_t scr_pager_current(struct ui_screen *s);

/* Folder prompts (scr_folders.c): Tab completes the text after byte
 * start with the folder names of account (ui_complete_words; free c
 * with ui_fcomp_free). */
void scr_folders_complete(struct ui *ui, size_t account, struct ui_fcomp *c,
    struct buf *text, size_t start);
/* cache_folder_find(), and on failure a message that suggests the
 * nearest folder ("did you mean 'Archive'?"): 0, or -1 shown. */
int scr_folders_find(struct ui *ui, size_t account, const char *name,
    int64_t *id_r);
/* The same, the sentence in msg instead of on the message line. */
int scr_folders_lookup(struct ui *ui, size_t account, const char *name,
    int64_t *id_r, char *msg, size_t size);

/* What the index offers the pager. */
size_t scr_index_account(struct ui_screen *s);
int64_t scr_index_folder(struct ui_screen *s); /* 0: not one folder */
/* "account/folder", the cursor's row (from 1) and the number of rows. */
const char *scr_index_where(struct ui *ui, struct ui_screen *s,
    size_t *row_r, size_t *n_r);
int64_t scr_index_current(struct ui_screen *s);
/* Moves the index cursor delta rows, or to the next unread after the
 * cursor (unread != 0).  Returns the new message id or 0 if none. */
int64_t scr_index_step(struct ui *ui, struct ui_screen *s, int delta,
    int unread);
/*
 * Before leaving the index s: if messages are marked deleted, asks
 * whether to remove them (saying what is lost) and returns 1; then(ui,
 * arg) runs after the answer unless the removal failed.  0: nothing to
 * ask, then is not called (leave at once).
 */
int scr_index_leave(struct ui *ui, struct ui_screen *s,
    void (*then)(struct ui *, void *), void *arg);
/* Marks id read (opening it in the pager). */
void scr_index_seen(struct ui *ui, struct ui_screen *s, int64_t id);
/* Runs the screen command id on s, the top screen or one below it (the
 * pager runs message commands on its index): -1 with a message if s
 * has no function for it. */
int ui_screen_run(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg);

/* --- commands (the functions of the table in cmd.c) --- */
int ui_cmd_help(struct ui *, const char *);
int ui_cmd_back(struct ui *, const char *);
int ui_cmd_quit(struct ui *, const char *);
int ui_cmd_cmdline(struct ui *, const char *);
int ui_cmd_redraw(struct ui *, const char *);
int ui_cmd_suspend(struct ui *, const char *);
int ui_cmd_open(struct ui *, const char *);
int ui_cmd_next_message(struct ui *, const char *);
int ui_cmd_prev_message(struct ui *, const char *);
int ui_cmd_next_unread(struct ui *, const char *);
int ui_cmd_toggle_new(struct ui *, const char *);
int ui_cmd_flag(struct ui *, const char *);
int ui_cmd_delete(struct ui *, const char *);
int ui_cmd_undelete(struct ui *, const char *);
int ui_cmd_move(struct ui *, const char *);
int ui_cmd_copy(struct ui *, const char *);
int ui_cmd_expunge(struct ui *, const char *);
int ui_cmd_search(struct ui *, const char *);
int ui_cmd_search_next(struct ui *, const char *);
int ui_cmd_limit(struct ui *, const char *);
int ui_cmd_change_folder(struct ui *, const char *);
int ui_cmd_sort(struct ui *, const char *);
int ui_cmd_sort_reverse(struct ui *, const char *);
int ui_cmd_collapse(struct ui *, const char *);
int ui_cmd_collapse_all(struct ui *, const char *);
int ui_cmd_save_attachment(struct ui *, const char *);
int ui_cmd_open_attachment(struct ui *, const char *);
int ui_cmd_toggle_headers(struct ui *, const char *);
int ui_cmd_raw(struct ui *, const char *);
int ui_cmd_pipe(struct ui *, const char *);
int ui_cmd_open_link(struct ui *, const char *);
int ui_cmd_toggle_html(struct ui *, const char *);
int ui_cmd_tag(struct ui *, const char *);
int ui_cmd_tag_pattern(struct ui *, const char *);
int ui_cmd_untag_pattern(struct ui *, const char *);
int ui_cmd_tag_prefix(struct ui *, const char *);
int ui_cmd_mark_all_read(struct ui *, const char *);
int ui_cmd_down(struct ui *, const char *);
int ui_cmd_up(struct ui *, const char *);
int ui_cmd_page_down(struct ui *, const char *);
int ui_cmd_page_up(struct ui *, const char *);
int ui_cmd_first(struct ui *, const char *);
int ui_cmd_last(struct ui *, const char *);
int ui_cmd_sync(struct ui *, const char *);
int ui_cmd_theme(struct ui *, const char *);
int ui_cmd_compose(struct ui *, const char *);
int ui_cmd_reply(struct ui *, const char *);
int ui_cmd_group_reply(struct ui *, const char *);
int ui_cmd_list_reply(struct ui *, const char *);
int ui_cmd_forward(struct ui *, const char *);
int ui_cmd_parts(struct ui *, const char *);
int ui_cmd_save_part(struct ui *, const char *);
int ui_cmd_view_mailcap(struct ui *, const char *);
int ui_cmd_resume(struct ui *, const char *);
int ui_cmd_retry(struct ui *, const char *);
int ui_cmd_drop(struct ui *, const char *);
int ui_cmd_create_folder(struct ui *, const char *);
int ui_cmd_rename_folder(struct ui *, const char *);
int ui_cmd_delete_folder(struct ui *, const char *);
int ui_cmd_subscribe(struct ui *, const char *);
int ui_cmd_unsubscribe(struct ui *, const char *);
int ui_cmd_collapse_folder(struct ui *, const char *);
int ui_cmd_collapse_all_folders(struct ui *, const char *);

#endif
