/* tui: start-up, the poll() loop, the status and message lines, prompts. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/hyperlink.h"
#include "ui/keys.h"
#include "ui/tui.h"
#include "ui/tui_int.h"

#define MSG_SECONDS 6

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
ui_body_rows(const struct ui *ui)
{
	int r = ui->rows - 3;

	return r > 1 ? r : 1;
}

void
ui_message(struct ui *ui, int error, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&ui->msg);
	va_start(ap, fmt);
	buf_vprintf(&ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_error = error;
	ui->msg_until = time(NULL) + MSG_SECONDS;
	if (error)
		log_info("ui: %s", buf_cstr(&ui->msg));
}

void
ui_prompt(struct ui *ui, const char *label, const char *initial,
    ui_prompt_fn fn, void *arg)
{
	buf_reset(&ui->prompt_label);
	buf_addstr(&ui->prompt_label, label);
	buf_reset(&ui->prompt_text);
	if (initial)
		buf_addstr(&ui->prompt_text, initial);
	ui->prompting = 1;
	ui->prompt_yesno = 0;
	ui->prompt_complete = NULL;
	ui->prompt_fn = fn;
	ui->prompt_arg = arg;
	curs_set(1);
}

void
ui_prompt_complete(struct ui *ui, ui_complete_fn fn)
{
	ui->prompt_complete = fn;
}

void
ui_ask_yesno(struct ui *ui, const char *question, ui_prompt_fn fn, void *arg)
{
	ui_prompt(ui, question, NULL, fn, arg);
	ui->prompt_yesno = 1;
}

static void
prompt_end(struct ui *ui, const char *text)
{
	ui_prompt_fn fn = ui->prompt_fn;
	void *arg = ui->prompt_arg;

	ui->prompting = 0;
	curs_set(0);
	if (text && fn)
		fn(ui, text, arg);
}

static void
prompt_key(struct ui *ui, int key)
{
	struct buf *t = &ui->prompt_text;

	if (ui->prompt_yesno) {
		prompt_end(ui, (key == 'y' || key == 'Y') ? "y" : "n");
		return;
	}
	if (key == '\t' && ui->prompt_complete) {
		ui->prompt_complete(ui, t, ui->prompt_arg);
	} else if (key == '\n') {
		struct buf copy = BUF_INIT;

		buf_addstr(&copy, buf_cstr(t));
		prompt_end(ui, buf_cstr(&copy));
		buf_free(&copy);
	} else if (key == 27 || key == UI_KEY_CTRL('G')) {
		prompt_end(ui, NULL);
	} else {
		ui_edit_key(t, key);
	}
}

int
ui_edit_key(struct buf *t, int key)
{
	if (key == UI_KEY_FN(KEY_BACKSPACE) || key == 127 ||
	    key == UI_KEY_CTRL('H')) {
		/* Drop one UTF-8 character. */
		while (t->len > 0 &&
		    ((unsigned char)t->data[t->len - 1] & 0xc0) == 0x80)
			t->len--;
		if (t->len > 0)
			t->len--;
		if (t->data)
			t->data[t->len] = '\0';
	} else if (key == UI_KEY_CTRL('U')) {
		buf_reset(t);
	} else if (!UI_KEY_IS_FN(key) && key >= 0x20 && t->len < 1024) {
		str_utf8_encode(t, (unsigned)key);
	} else {
		return 0;
	}
	return 1;
}

void
ui_push(struct ui *ui, struct ui_screen *s)
{
	s->below = ui->top;
	ui->top = s;
	if (s->list)
		ui_list_fix(s->list, ui_body_rows(ui));
}

void
ui_pop(struct ui *ui)
{
	struct ui_screen *s = ui->top;

	if (s == NULL)
		return;
	ui->top = s->below;
	s->ops->destroy(s);
	if (ui->top == NULL)
		ui->quit = 1;
}

int
ui_run_command(struct ui *ui, const char *name, const char *arg)
{
	const struct ui_cmd *c = ui_cmd_find(name);
	struct buf b = BUF_INIT;

	if (c == NULL || (ui->top && (c->ctx & ui->top->ops->ctx) == 0)) {
		str_clean_display(&b, name, strlen(name), 0);
		ui_message(ui, 1, c ? "'%s' does not apply here" :
		    "no command '%s' (press ? for the list)", buf_cstr(&b));
		buf_free(&b);
		return -1;
	}
	if (ui->trace_start == 0 && log_debug_enabled()) {
		ui->trace_cmd = c->name;
		ui->trace_start = now_ms();
	}
	return c->fn(ui, arg && *arg ? arg : NULL);
}

int
ui_run_line(struct ui *ui, const char *line)
{
	struct buf name = BUF_INIT, arg = BUF_INIT;
	const char *p = line;
	int rc = 0;

	while (!ui->quit && ui_cmdline_next(&p, &name, &arg) == 1)
		if (ui_run_command(ui, buf_cstr(&name), buf_cstr(&arg)) < 0)
			rc = -1;
	buf_free(&name);
	buf_free(&arg);
	return rc;
}

int
ui_set_theme(struct ui *ui, const char *name)
{
	struct theme t;
	struct error err;

	error_clear(&err);
	if (theme_load(name, &t, NULL, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	ui->theme = t;
	ui_theme_apply(ui);
	ui->full_redraw = 1;
	return 0;
}

const struct cache_account_status *
ui_status(struct ui *ui, size_t i)
{
	struct cache_account_status *st = &ui->status[i];

	struct error err;

	if (!ui->status_valid[i]) {
		error_clear(&err);
		memset(st, 0, sizeof(*st));
		if (cache_account_status(ui->cache, i, st, &err) < 0) {
			st->state = ACCOUNT_ERROR;
			str_lcpy(st->error, err.msg, sizeof(st->error));
		}
		ui->status_valid[i] = 1;
	}
	return st;
}

void
ui_status_changed(struct ui *ui, size_t i)
{
	if (i < cache_naccounts(ui->cache))
		ui->status_valid[i] = 0;
}

void
ui_own_change(struct ui *ui, size_t account, int dunread)
{
	struct cache_account_status *st;

	if (account < cache_naccounts(ui->cache) && ui->status_valid[account]) {
		st = &ui->status[account];
		if (dunread < 0 && st->unread < (unsigned)-dunread)
			st->unread = 0;
		else
			st->unread += dunread;
	}
}

size_t
ui_current_account(struct ui *ui)
{
	struct ui_screen *s;

	for (s = ui->top; s; s = s->below)
		if (s->account != UI_NO_ACCOUNT)
			return s->account;
	return UI_NO_ACCOUNT;
}

void
ui_start_loaded(struct ui *ui)
{
	/* The loop runs them after the next draw, with the screen set up. */
	ui->start_waiting = 0;
	ui->start_ready = 1;
}

static void
run_start_cmds(struct ui *ui)
{
	const char *cmds = ui->start_cmds;

	ui->start_cmds = NULL;
	ui->start_ready = 0;
	if (cmds && ui_run_line(ui, cmds) < 0) {
		/* Scripts learn of it: status 1 and the reason on stderr. */
		ui->start_failed = 1;
		str_lcpy(ui->start_error, buf_cstr(&ui->msg),
		    sizeof(ui->start_error));
	}
}

static void
human_bytes(uint64_t n, char *out, size_t size)
{
	if (n >= 10u * 1024 * 1024)
		snprintf(out, size, "%llu MB", (unsigned long long)(n >> 20));
	else if (n >= 10u * 1024)
		snprintf(out, size, "%llu kB", (unsigned long long)(n >> 10));
	else
		snprintf(out, size, "%llu B", (unsigned long long)n);
}

static void
draw_status(struct ui *ui)
{
	const struct account *a;
	struct ui_progress *p;
	struct buf b = BUF_INIT;
	unsigned long attr = ui->attr[THEME_STATUS];
	size_t i = ui_current_account(ui);
	int y = ui->rows - 2, x = 0;
	char bytes[32];

	ui_fill(y, 0, ui->cols, attr);
	if (i == (size_t)-1 || i >= cache_naccounts(ui->cache)) {
		buf_printf(&b, " postie: %zu account%s", cache_naccounts(
		    ui->cache), cache_naccounts(ui->cache) == 1 ? "" : "s");
		x += ui_put(y, x, ui->cols - x, b.data, b.len, attr);
	} else {
		a = cache_account(ui->cache, i);
		buf_printf(&b, " %s: %s, ", a->name,
		    config_protocol_name(a->protocol));
		x += ui_put(y, x, ui->cols - x, b.data, b.len, attr);
		if (a->insecure || a->send_insecure)
			x += ui_put(y, x, ui->cols - x, a->insecure ?
			    "INSECURE plaintext" : "INSECURE sending", a->insecure ?
			    18 : 16, ui->attr[THEME_INSECURE]);
		else
			x += ui_put(y, x, ui->cols - x,
			    account_security_name(a->security),
			    strlen(account_security_name(a->security)), attr);
		buf_reset(&b);
		buf_printf(&b, ", %s", a->mode_words);
		buf_printf(&b, " | %s", account_state_name(
		    ui_status(ui, i)->state));
		/* "error" alone tells nothing: the sentence follows. */
		if (ui_status(ui, i)->state == ACCOUNT_ERROR)
			buf_printf(&b, ": %s", ui_status(ui, i)->error[0] ?
			    ui_status(ui, i)->error : "no reason was "
			    "recorded (see the log)");
		p = &ui->progress[i];
		if (p->active) {
			human_bytes(p->bytes, bytes, sizeof(bytes));
			buf_printf(&b, " | %s %llu/%llu, %s", p->what,
			    (unsigned long long)p->done,
			    (unsigned long long)p->total, bytes);
		}
		x += ui_put(y, x, ui->cols - x, b.data, b.len, attr);
	}
	if (ui->notice[0]) {
		x += ui_put(y, x, ui->cols - x, " | ", 3, attr);
		ui_put(y, x, ui->cols - x, ui->notice, strlen(ui->notice),
		    ui->attr[THEME_NOTICE] | A_REVERSE);
	}
	buf_free(&b);
}

static void
draw_msgline(struct ui *ui)
{
	int y = ui->rows - 1, x;

	ui_fill(y, 0, ui->cols, ui->attr[THEME_NORMAL]);
	if (ui->prompting) {
		x = ui_put(y, 0, ui->cols, ui->prompt_label.data ?
		    ui->prompt_label.data : "", ui->prompt_label.len,
		    ui->attr[THEME_NORMAL]);
		x += ui_put(y, x, ui->cols - x - 1, buf_cstr(&ui->prompt_text),
		    ui->prompt_text.len, ui->attr[THEME_NORMAL]);
		move(y, x);
		return;
	}
	if (ui->msg.len && time(NULL) <= ui->msg_until)
		ui_put(y, 0, ui->cols, ui->msg.data, ui->msg.len,
		    ui->attr[ui->msg_error ? THEME_ERROR : THEME_NORMAL]);
}

static void
draw(struct ui *ui)
{
	if (ui->full_redraw) {
		clearok(curscr, TRUE);
		ui->full_redraw = 0;
	}
	erase();
	if (ui->top)
		ui->top->ops->draw(ui, ui->top);
	draw_status(ui);
	draw_msgline(ui);
	ui_links_before_refresh(ui);
	refresh();
	ui_links_flush(ui);
	/* -d: how long a key took, command and redraw (bench/ reads it). */
	if (ui->trace_start > 0) {
		log_debug("ui: %s took %.2f ms to the end of the redraw",
		    ui->trace_cmd, now_ms() - ui->trace_start);
		ui->trace_start = 0;
	}
}

static void
resize(struct ui *ui)
{
	struct ui_screen *s;

	getmaxyx(stdscr, ui->rows, ui->cols);
	for (s = ui->top; s; s = s->below) {
		if (s->ops->resize)
			s->ops->resize(ui, s);
		if (s->list)
			ui_list_fix(s->list, ui_body_rows(ui));
	}
	ui->full_redraw = 1;
}

static void
handle_key(struct ui *ui, int key)
{
	const struct ui_cmd *c;
	char name[32];

	if (key == UI_KEY_FN(KEY_RESIZE)) {
		resize(ui);
		return;
	}
	if (ui->prompting) {
		prompt_key(ui, key);
		return;
	}
	if (ui->top->ops->key && ui->top->ops->key(ui, ui->top, key))
		return;
	if ((c = ui_keymap_lookup(ui->km, key, ui->top->ops->ctx)) != NULL) {
		ui->msg.len = 0;
		ui->trace_cmd = c->name;
		ui->trace_start = log_debug_enabled() ? now_ms() : 0;
		c->fn(ui, NULL);
		return;
	}
	ui_message(ui, 1, "%s is not bound here (press ? for help)",
	    ui_key_name(key, name, sizeof(name)));
}

#define NOTICE_SECONDS 60

static void
new_mail(struct ui *ui, const struct cache_event *ev)
{
	struct cache_folder *f = NULL;
	const char *folder = "";
	size_t n = 0, i;

	if (cache_folders(ui->cache, ev->account, &f, &n, NULL) == 0)
		for (i = 0; i < n; i++)
			if (f[i].id == ev->folder_id)
				folder = f[i].name;
	snprintf(ui->notice, sizeof(ui->notice), "New mail in %s%s%s",
	    cache_account(ui->cache, ev->account)->name, *folder ? "/" : "",
	    folder);
	ui->notice_until = time(NULL) + NOTICE_SECONDS;
	cache_folders_free(&f, n);
}

static void
handle_event(struct ui *ui, const struct cache_event *ev)
{
	struct ui_screen *s;
	struct ui_progress *p;

	if (ev->account < cache_naccounts(ui->cache)) {
		/* Progress events come often; counts change with the rest. */
		if (ev->kind != CACHE_EV_PROGRESS &&
		    ev->kind != CACHE_EV_BODY_READY &&
		    ev->kind != CACHE_EV_BODY_FAILED)
			ui_status_changed(ui, ev->account);
		p = &ui->progress[ev->account];
		if (ev->kind == CACHE_EV_PROGRESS) {
			p->done = ev->done;
			p->total = ev->total;
			p->bytes = ev->bytes;
			str_lcpy(p->what, ev->text[0] ? ev->text : "syncing",
			    sizeof(p->what));
			p->active = 1;
		} else if (ev->kind == CACHE_EV_SYNC_DONE) {
			p->active = 0;
			if (ev->status < 0)
				ui_message(ui, 1, "%s: %s", cache_account(
				    ui->cache, ev->account)->name, ev->text);
		} else if (ev->kind == CACHE_EV_ACCOUNT &&
		    ev->state == ACCOUNT_ERROR && ev->text[0]) {
			p->active = 0;
			ui_message(ui, 1, "%s: %s", cache_account(ui->cache,
			    ev->account)->name, ev->text);
		} else if (ev->kind == CACHE_EV_MESSAGE_ARRIVED) {
			new_mail(ui, ev);
		} else if (ev->kind == CACHE_EV_SEND_DONE ||
		    ev->kind == CACHE_EV_BODY_READY ||
		    ev->kind == CACHE_EV_BODY_FAILED) {
			scr_compose_event(ui, ev);
		} else if (ev->kind == CACHE_EV_ALERT) {
			ui_message(ui, 1, "%s: server alert: %s",
			    cache_account(ui->cache, ev->account)->name,
			    ev->text);
		} else if (ev->kind == CACHE_EV_FOLDER_DONE) {
			ui_message(ui, ev->status < 0, "%s", ev->text);
		} else if (ev->kind == CACHE_EV_REFUSED) {
			ui_message(ui, 1, "%s: %s",
			    cache_account(ui->cache, ev->account)->name,
			    ev->text);
		}
	}
	for (s = ui->top; s; s = s->below)
		if (s->ops->event)
			s->ops->event(ui, s, ev);
}

static int
open_start(struct ui *ui)
{
	const struct cli_opts *o = ui->opts;
	struct error err;
	int64_t fid;
	size_t i;

	error_clear(&err);
	ui_push(ui, scr_accounts_new(ui));
	if (o->account == NULL) {
		ui_start_loaded(ui);
		return 0;
	}
	if (cache_account_find(ui->cache, o->account, &i, &err) < 0) {
		fprintf(stderr, "postie: %s\n", err.msg);
		return -1;
	}
	ui_push(ui, scr_folders_new(ui, i));
	if (o->folder == NULL) {
		ui_start_loaded(ui);
		return 0;
	}
	ui->start_account = i;
	if (cache_folder_find(ui->cache, i, o->folder, &fid, &err) < 0 &&
	    !ui->worker_ok[i]) {
		fprintf(stderr, "postie: %s\n", err.msg);
		return -1;
	}
	/* Not in the cache yet: the index waits for the first sync.  It
	 * asks for it and says when its ticket is answered. */
	if (err.msg[0])
		fid = 0;
	ui->start_waiting = 1;
	ui_push(ui, scr_index_new(ui, i, fid, o->folder));
	return 0;
}

/* postie compose: the editor at once, from -a or the first account that
 * can send. */
static int
compose_start(struct ui *ui)
{
	struct error err;
	size_t i, n = cache_naccounts(ui->cache);

	error_clear(&err);
	if (ui->opts->account) {
		if (cache_account_find(ui->cache, ui->opts->account, &i,
		    &err) < 0) {
			ui_message(ui, 1, "%s", err.msg);
			return -1;
		}
	} else {
		for (i = 0; i < n; i++)
			if (cache_account(ui->cache, i)->cfg->from)
				break;
		if (i == n) {
			ui_message(ui, 1, "no account can send: give one a "
			    "'from' address in the configuration");
			return -1;
		}
	}
	return scr_compose_start(ui, i, SCR_COMPOSE_NEW, 0, ui->opts->mailto);
}

static void
start_workers(struct ui *ui)
{
	struct error err;
	size_t i, n = cache_naccounts(ui->cache);

	for (i = 0; i < n; i++) {
		error_clear(&err);
		ui->worker_ok[i] = cache_worker_start(ui->cache, i, &err) == 0;
		/* Bring every account up to date in the background; the
		 * screen shows what is on disk meanwhile. */
		if (ui->worker_ok[i] && (ui->opts->folder == NULL ||
		    strcmp(ui->opts->account, cache_account(ui->cache,
		    i)->name) != 0))
			ui->worker_ok[i] = cache_request_sync(ui->cache, i, 0, 0,
			    NULL, &err) == 0;
		if (!ui->worker_ok[i])
			ui_message(ui, 1, "%s: %s", cache_account(ui->cache,
			    i)->name, err.msg);
	}
}

static int
curses_start(struct ui *ui)
{
	static SCREEN *screen; /* the setup form may have made it */
	const char *nc = getenv("NO_COLOR");

	if (screen != NULL) {
		ui_theme_apply(ui);
		getmaxyx(stdscr, ui->rows, ui->cols);
		return 0;
	}
	/* newterm, unlike initscr, lets us say why instead of exiting. */
	if ((screen = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/* Home/End as tmux, screen and rxvt send them, whatever TERM says. */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[8~", KEY_END);
	define_key("\033[H", KEY_HOME);
	define_key("\033[F", KEY_END);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	ui->ncolors = 0;
	if (has_colors() && (nc == NULL || nc[0] == '\0')) {
		start_color();
		use_default_colors();
		ui->ncolors = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 :
		    COLORS >= 8 ? 8 : 0;
	}
	ui_theme_apply(ui);
	getmaxyx(stdscr, ui->rows, ui->cols);
	return 0;
}

/*
 * Tells each account's worker which folder the top-most index screen
 * shows (the pager above it shows one of its messages), so that IDLE
 * watches what the user looks at; the others watch INBOX.  The worker
 * ignores a value it already has; one started later is told on the next
 * turn (without a worker cache_watch does nothing).
 */
static void
watch_update(struct ui *ui)
{
	struct ui_screen *s;
	size_t i, n = cache_naccounts(ui->cache), acct = UI_NO_ACCOUNT;
	int64_t fid = 0;

	for (s = ui->top; s; s = s->below)
		if (s->ops->ctx == UI_CTX_INDEX) {
			acct = scr_index_account(s);
			fid = scr_index_folder(s);
			break;
		}
	for (i = 0; i < n; i++)
		(void)cache_watch(ui->cache, i, i == acct ? fid : 0);
}

/*
 * Alt-x: the terminal sends <esc> x at once, so x is already waiting
 * (a lone <esc> has nothing behind it).  Outside prompts only: there
 * <esc> cancels and what follows is typed.
 */
static int
alt_key(struct ui *ui, int key)
{
	wint_t wch;
	int krc, next;

	if (key != 27 || ui->prompting || (krc = get_wch(&wch)) == ERR)
		return key;
	next = ui_key_from_curses(krc, (unsigned)wch);
	if (next > 0x20 && next < 0x7f)
		return UI_KEY_META(next);
	handle_key(ui, key);
	return next;
}

static void
loop(struct ui *ui)
{
	struct pollfd pfd[2];
	struct cache_event ev;
	wint_t wch;
	time_t now;
	int rc, krc, timeout, nfds;

	while (!ui->quit) {
		/* postie compose: done once the message left the screen
		 * and its send was answered (sent, or queued). */
		if (ui->opts->compose && ui->top->ops->ctx != UI_CTX_COMPOSE &&
		    scr_compose_pending() == 0) {
			ui->quit = 1;
			break;
		}
		if (ui->notice[0] && ui->notice_until < time(NULL))
			ui->notice[0] = '\0';
		watch_update(ui);
		draw(ui);
		if (ui->start_ready) {
			run_start_cmds(ui);
			continue;
		}
		now = time(NULL);
		timeout = -1;
		if (ui->msg.len && ui->msg_until >= now)
			timeout = (int)(ui->msg_until - now + 1) * 1000;
		if (ui->notice[0] && (timeout < 0 ||
		    (ui->notice_until - now + 1) * 1000 < timeout))
			timeout = (int)(ui->notice_until - now + 1) * 1000;
		pfd[0].fd = 0;
		pfd[0].events = POLLIN;
		pfd[1].fd = cache_event_fd(ui->cache);
		pfd[1].events = POLLIN;
		nfds = pfd[1].fd >= 0 ? 2 : 1;
		rc = poll(pfd, (nfds_t)nfds, timeout);
		if (rc < 0 && errno != EINTR)
			break;
		/* EINTR may be SIGWINCH: get_wch then yields KEY_RESIZE. */
		while (!ui->quit && (krc = get_wch(&wch)) != ERR)
			handle_key(ui, alt_key(ui, ui_key_from_curses(krc,
			    (unsigned)wch)));
		if (nfds == 2 && rc > 0 && (pfd[1].revents & POLLIN))
			while (!ui->quit && cache_event_read(ui->cache, &ev) == 1)
				handle_event(ui, &ev);
	}
}

/*
 * No configuration file, in a terminal, with nothing asked of the start
 * (-a, -e, compose): the setup form writes one (ui/scr_setup.c).  1 when
 * it did (*o then opens the new account's INBOX; *name_r is its name),
 * 0 to go on as usual, -1 when the user cancelled (said on stderr).
 */
static int
first_run(struct ui *ui, struct cli_opts *o, char **name_r)
{
	struct error err;
	struct stat st;
	char *path = NULL;
	int rc = 0;

	error_clear(&err);
	if (o->account || o->commands || o->compose || !isatty(0) ||
	    !isatty(1))
		return 0;
	if (o->config_path == NULL && (path = paths_config_file(&err)) ==
	    NULL)
		return 0;
	if (lstat(o->config_path ? o->config_path : path, &st) == 0 ||
	    errno != ENOENT) {
		free(path);
		return 0;
	}
	theme_defaults(&ui->theme);
	if (curses_start(ui) == 0) {
		rc = scr_setup_run(ui, o->config_path ? o->config_path : path,
		    name_r) == 0 ? 1 : -1;
		endwin();
	}
	if (rc < 0)
		fprintf(stderr, "postie: setup cancelled: nothing was written. "
		    "Run postie again to set up an account, or write %s "
		    "yourself (man postie.conf).\n", o->config_path ?
		    o->config_path : path);
	if (rc > 0) {
		o->account = *name_r;
		o->folder = "INBOX";
	}
	free(path);
	return rc;
}

static const char *
env_get(const char *name)
{
	return getenv(name);
}

int
tui_run(const struct cli_opts *opts)
{
	struct ui ui;
	struct error err;
	struct cli_opts o = *opts;
	char *setup_account = NULL;
	double t0 = now_ms();
	int rc = 1;

	setlocale(LC_ALL, "");
	memset(&ui, 0, sizeof(ui));
	ui.opts = opts;
	error_clear(&err);
	if ((rc = first_run(&ui, &o, &setup_account)) < 0)
		return 1;
	if (rc > 0)
		ui.opts = opts = &o;
	rc = 1;
	if ((ui.cfg = cli_load_config(opts)) == NULL) {
		free(setup_account);
		return 1;
	}
	if (cli_open_log(opts) < 0)
		goto out;
	/* -d: the first redraw logs the time since start (bench/ reads it) */
	if (log_debug_enabled()) {
		ui.trace_cmd = "start";
		ui.trace_start = t0;
	}
	ui.km = ui_keymap_new();
	if (ui_keymap_config(ui.km, ui.cfg, &err) < 0) {
		cli_fail("%s", err.msg);
		goto out;
	}
	theme_defaults(&ui.theme);
	ui.hyperlinks = ui.cfg->hyperlinks == CONFIG_LINKS_YES ||
	    (ui.cfg->hyperlinks == CONFIG_LINKS_AUTO &&
	    ui_hyperlink_auto(env_get));
	if (cache_open(ui.cfg, NULL, &ui.cache, &err) < 0) {
		cli_fail("%s", err.msg);
		goto out;
	}
	ui.progress = xcalloc(cache_naccounts(ui.cache) + 1,
	    sizeof(*ui.progress));
	ui.worker_ok = xcalloc(cache_naccounts(ui.cache) + 1,
	    sizeof(*ui.worker_ok));
	ui.status = xcalloc(cache_naccounts(ui.cache) + 1, sizeof(*ui.status));
	ui.status_valid = xcalloc(cache_naccounts(ui.cache) + 1,
	    sizeof(*ui.status_valid));
	ui.start_cmds = opts->commands;
	if (theme_load(ui.cfg->theme ? ui.cfg->theme : "default", &ui.theme,
	    NULL, &err) < 0) {
		theme_defaults(&ui.theme);
		ui_message(&ui, 1, "%s; using the built-in colours", err.msg);
	}
	start_workers(&ui);
	if (open_start(&ui) < 0) {
		/* open_start said why */
	} else if (curses_start(&ui) < 0) {
		const char *term = getenv("TERM");

		cli_fail("cannot use the terminal (TERM=%s)", term ? term : "");
	} else {
		resize(&ui);
		if (opts->compose && compose_start(&ui) < 0) {
			endwin();
			rc = cli_fail("%s", buf_cstr(&ui.msg));
			goto stop;
		}
		loop(&ui);
		endwin();
		rc = 0;
		if (opts->compose && ui.msg_error && ui.msg.len)
			rc = cli_fail("%s", buf_cstr(&ui.msg));
		if (ui.start_failed)
			rc = cli_fail("-e: %s", ui.start_error);
	}
stop:
	while (ui.top)
		ui_pop(&ui);
	cache_close(&ui.cache);
out:
	free(ui.progress);
	free(ui.worker_ok);
	free(ui.status);
	free(ui.status_valid);
	buf_free(&ui.msg);
	buf_free(&ui.prompt_label);
	buf_free(&ui.prompt_text);
	ui_fcomp_free(&ui.cmd_comp);
	ui_keymap_free(&ui.km);
	ui_links_free(&ui);
	config_free(&ui.cfg);
	free(setup_account);
	log_close();
	return rc;
}
