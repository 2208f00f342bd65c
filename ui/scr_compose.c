/*
 * scr_compose: writing a message (compose, reply, group reply, list reply,
 * forward), as Mutt does it: the editor first, with the headers at the
 * top of the file (edit_headers), then this screen with the envelope and
 * the attachments, where y sends.
 *
 * Sending never waits for the network: y stores the message in the
 * account's outbox (durably) and asks its worker to send; the answer
 * comes back as CACHE_EV_SEND_DONE and is shown on the message line.  A
 * reply's original is marked replied once its reply went out.
 */
#include "config.h"

#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache/addrbook.h"
#include "cache/cache.h"
#include "core/log.h"
#include "core/spawn.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime.h"
#include "ui/scr_compose_int.h"
#include "ui/tui_int.h"

/* The sends still on their way, to say how they ended and to mark
 * replies' originals. */
struct pending_send {
	uint64_t ticket;
	size_t account;
	int64_t outbox_id;
	int64_t reply_to;
};
static struct pending_send pending[32];

/* A reply or forward waiting for its original's body to arrive. */
static struct {
	int64_t msg_id;
	size_t account;
	enum scr_compose_kind kind;
} waiting_body;

double
compose_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * The editor owns the terminal while it runs.  Its command line is the
 * user's (config or environment), run by the shell; the file name goes
 * as an argument of its own ("$1"), never into the command text.
 */
static int
run_editor(struct ui *ui, const char *path, struct error *err)
{
	struct buf cmd = BUF_INIT, what = BUF_INIT;
	struct spawn_opts o;
	struct spawn_result r;
	int rc;

	buf_printf(&cmd, "%s \"$1\"", config_editor(ui->cfg));
	memset(&o, 0, sizeof(o));
	o.command = buf_cstr(&cmd);
	o.arg1 = path;
	o.in_fd = -1;
	o.tty = 1;
	def_prog_mode();
	endwin();
	/* -d: from the key to the editor's start (bench/compose_bench). */
	if (ui->trace_start > 0)
		log_debug("ui: %s: the editor starts %.2f ms after the key",
		    ui->trace_cmd, compose_mono_ms() - ui->trace_start);
	rc = spawn_run(&o, &r, err);
	reset_prog_mode();
	ui->full_redraw = 1;
	if (rc == 0 && !spawn_ok(&r)) {
		str_clean_display(&what, config_editor(ui->cfg),
		    strlen(config_editor(ui->cfg)), 0);
		rc = spawn_error(err, &r, 0, "the editor (%s)", buf_cstr(&what));
	} else if (rc < 0) {
		error_prefix(err, "cannot start the editor");
	}
	buf_free(&what);
	buf_free(&cmd);
	return rc;
}

/* Writes the editor's file, runs the editor, reads the file back. */
static int
edit(struct ui *ui, struct compose *c, struct error *err)
{
	struct buf text = BUF_INIT;
	char chunk[8192];
	ssize_t n;
	int fd, rc = -1;

	mime_edit_headers_write(&c->m, &text);
	if ((fd = open(c->path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC)) <
	    0 || write(fd, text.data, text.len) != (ssize_t)text.len) {
		error_errno(err, errno, "cannot write %s", c->path);
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	if (run_editor(ui, c->path, err) < 0)
		goto out;
	buf_reset(&text);
	if ((fd = open(c->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		error_errno(err, errno, "cannot read %s", c->path);
		goto out;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&text, chunk, (size_t)n);
	close(fd);
	rc = mime_edit_headers_parse(text.data ? text.data : "", text.len,
	    &c->m, err);
out:
	buf_free(&text);
	return rc;
}

static void
addr_line(struct buf *b, const char *label, const struct mime_addrlist *l)
{
	buf_printf(b, "%-9s", label);
	mime_addrlist_format(l, b);
}

/* The candidates of the last Tab, in the rows above the prompt, the one
 * the prompt holds highlighted. */
static void
draw_menu(struct ui *ui, struct compose *c)
{
	int rows = ui_body_rows(ui), shown, y, i;

	if (!ui->prompting || ui->prompt_arg != c)
		return;
	shown = c->nmenu < 2 ? 0 : (int)c->nmenu < rows - 2 ?
	    (int)c->nmenu : rows - 2;
	y = rows - shown + 1;
	if (c->note[0]) {
		ui_fill(y - 1, 0, ui->cols, ui->attr[THEME_TITLE]);
		ui_put(y - 1, 0, ui->cols, c->note, strlen(c->note),
		    ui->attr[THEME_TITLE]);
	}
	for (i = 0; i < shown; i++, y++) {
		int cur = (size_t)i == c->menu_cur;

		ui_fill(y, 0, ui->cols, ui->attr[cur ? THEME_CURSOR :
		    THEME_STATUS]);
		ui_put(y, 1, ui->cols - 1, c->menu[i], strlen(c->menu[i]),
		    ui->attr[cur ? THEME_CURSOR : THEME_STATUS]);
	}
}

static void
draw(struct ui *ui, struct ui_screen *s)
{
	struct compose *c = (struct compose *)s;
	struct buf b = BUF_INIT;
	const char *body = c->m.body ? c->m.body : "";
	int rows = ui_body_rows(ui), y = 1;
	size_t i;

	ui_title(ui, " postie: compose   y: send  e: edit  a: attach  "
	    "D: detach  t/c/b/s: to/cc/bcc/subject  F: from  P: postpone  "
	    "q: abort");
	buf_printf(&b, "%-9s", "From:");
	if (c->m.from.name[0])
		buf_printf(&b, "%s <%s>", c->m.from.name, c->m.from.addr);
	else
		buf_addstr(&b, c->m.from.addr);
	ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_NORMAL]);
	buf_reset(&b);
	addr_line(&b, "To:", &c->m.to);
	ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_NORMAL]);
	buf_reset(&b);
	addr_line(&b, "Cc:", &c->m.cc);
	ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_NORMAL]);
	buf_reset(&b);
	addr_line(&b, "Bcc:", &c->m.bcc);
	ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_NORMAL]);
	buf_reset(&b);
	buf_printf(&b, "%-9s%s", "Subject:", c->m.subject ? c->m.subject : "");
	ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_NORMAL]);
	y++;
	buf_reset(&b);
	buf_printf(&b, "-- Attachments (%zu)", c->m.nattach);
	ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_STATUS]);
	for (i = 0; i < c->m.nattach && y <= rows; i++) {
		const struct mime_attach *a = &c->m.attach[i];

		buf_reset(&b);
		buf_printf(&b, "%3zu %s%s", i + 1, a->message ?
		    "message/rfc822 " : "", a->name ? a->name : a->path ?
		    a->path : "(unnamed)");
		ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_NORMAL]);
	}
	y++;
	buf_reset(&b);
	buf_addstr(&b, "-- Text");
	ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_STATUS]);
	while (*body && y <= rows) {
		const char *nl = strchr(body, '\n');
		size_t len = nl ? (size_t)(nl - body) : strlen(body);

		buf_reset(&b);
		str_clean_display(&b, body, len, 0);
		ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_NORMAL]);
		body += len + (nl != NULL);
	}
	buf_free(&b);
	draw_menu(ui, c);
}

static void
track(struct ui *ui, uint64_t ticket, size_t account, int64_t id,
    int64_t reply_to)
{
	size_t i;

	(void)ui;
	for (i = 0; i < sizeof(pending) / sizeof(pending[0]); i++)
		if (pending[i].ticket == 0) {
			pending[i].ticket = ticket;
			pending[i].account = account;
			pending[i].outbox_id = id;
			pending[i].reply_to = reply_to;
			return;
		}
}

int
scr_compose_pending(void)
{
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(pending) / sizeof(pending[0]); i++)
		n += pending[i].ticket != 0;
	return n + (waiting_body.msg_id != 0);
}

void
scr_compose_event(struct ui *ui, const struct cache_event *ev)
{
	struct outbox_msg;
	struct error err;
	size_t i;

	if ((ev->kind == CACHE_EV_BODY_READY ||
	    ev->kind == CACHE_EV_BODY_FAILED) && waiting_body.msg_id &&
	    ev->msg_id == waiting_body.msg_id) {
		int64_t id = waiting_body.msg_id;

		waiting_body.msg_id = 0;
		if (ev->kind == CACHE_EV_BODY_FAILED)
			ui_message(ui, 1, "cannot fetch the message: %s",
			    ev->text);
		else
			(void)scr_compose_start(ui, waiting_body.account,
			    waiting_body.kind, id, NULL);
		return;
	}
	if (ev->kind != CACHE_EV_SEND_DONE || ev->ticket == 0)
		return;
	for (i = 0; i < sizeof(pending) / sizeof(pending[0]); i++) {
		struct pending_send *p = &pending[i];
		const char *name;

		if (p->ticket != ev->ticket)
			continue;
		name = cache_account(ui->cache, p->account)->name;
		error_clear(&err);
		if (ev->stats.sent > 0 && ev->status == 0) {
			if (p->reply_to)
				(void)cache_set_flags(ui->cache, p->reply_to,
				    MSG_ANSWERED, 0, &err);
			ui_message(ui, 0, "Sent (%s).", name);
		} else if (ev->stats.sent > 0) {
			if (p->reply_to)
				(void)cache_set_flags(ui->cache, p->reply_to,
				    MSG_ANSWERED, 0, &err);
			ui_message(ui, 1, "%s: %s", name, ev->text);
		} else
			ui_message(ui, 1, "%s: not sent: %s (it waits in the "
			    "outbox)", name, ev->text[0] ? ev->text :
			    "the server is not reachable");
		p->ticket = 0;
	}
}

static int
send_now(struct ui *ui, struct compose *c)
{
	struct buf raw = BUF_INIT;
	struct mime_write_opts o;
	struct error err;
	int64_t id;
	uint64_t ticket;

	error_clear(&err);
	if (c->m.to.n + c->m.cc.n + c->m.bcc.n == 0) {
		ui_message(ui, 1, "No recipients: t sets To.");
		return -1;
	}
	memset(&o, 0, sizeof(o));
	o.mode = MIME_WRITE_COPY; /* submission strips Bcc (mime/submit) */
	if (mime_compose_write(&c->m, &o, &raw, &err) < 0 ||
	    cache_outbox_add(ui->cache, c->s.account, raw.data, raw.len, &id,
	    NULL, &err) < 0) {
		buf_free(&raw);
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	buf_free(&raw);
	if (cache_request_send(ui->cache, c->s.account, &ticket, &err) < 0) {
		ui_message(ui, 1, "queued: %s", err.msg);
	} else {
		track(ui, ticket, c->s.account, id, c->reply_to);
		/* The draft is done with once its message is in the outbox
		 * (durably): marked deleted, gone at the next expunge. */
		if (c->draft)
			(void)cache_delete(ui->cache, c->draft, &err);
		ui_message(ui, 0, "Sending... (queued in the outbox: it will "
		    "be sent when %s is reachable)",
		    cache_account(ui->cache, c->s.account)->name);
	}
	(void)unlink(c->path);
	ui_pop(ui);
	return 0;
}

static void
field_done(struct ui *ui, const char *text, void *arg)
{
	struct compose *c = arg;
	struct mime_addrlist l = { 0 };
	struct mime_addrlist *target = NULL;
	struct error err;
	const char *f = c->asking;

	error_clear(&err);
	c->asking = NULL;
	compose_menu_clear(c);
	if (f == NULL)
		return;
	if (strcmp(f, "Subject") == 0) {
		if (strpbrk(text, "\r\n") != NULL) {
			ui_message(ui, 1, "Subject: no line breaks");
			return;
		}
		mime_compose_set(&c->m.subject, text);
		return;
	}
	if (strcmp(f, "Attach") == 0) {
		struct stat sb;
		char *path;

		if (*text == '\0')
			return;
		path = compose_expand_home(text);
		errno = 0;
		if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
			ui_message(ui, 1, "cannot attach %s: %s", text,
			    errno ? strerror(errno) : "not a file");
		else
			mime_compose_attach_file(&c->m, path, NULL, NULL);
		free(path);
		return;
	}
	if (strcmp(f, "Detach") == 0) {
		unsigned long n = strtoul(text, NULL, 10);

		if (n >= 1 && n <= c->m.nattach)
			mime_compose_detach(&c->m, n - 1);
		else
			ui_message(ui, 1, "no attachment %s", text);
		return;
	}
	target = strcmp(f, "To") == 0 ? &c->m.to : strcmp(f, "Cc") == 0 ?
	    &c->m.cc : &c->m.bcc;
	if (mime_addrlist_parse(text, strlen(text), f, &l, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return;
	}
	mime_addrlist_free(target);
	*target = l;
}

static void
ask(struct ui *ui, struct compose *c, const char *field,
    const struct mime_addrlist *l, const char *initial)
{
	struct buf b = BUF_INIT;
	char label[32];

	c->asking = field;
	compose_menu_clear(c);
	if (l)
		mime_addrlist_format(l, &b);
	snprintf(label, sizeof(label), "%s: ", field);
	ui_prompt(ui, label, l ? buf_cstr(&b) : initial, field_done, c);
	if (l)
		ui_prompt_complete(ui, compose_address_complete);
	else if (strcmp(field, "Attach") == 0)
		ui_prompt_complete(ui, compose_path_complete);
	buf_free(&b);
}

static void
postpone(struct ui *ui, struct compose *c)
{
	struct buf raw = BUF_INIT;
	struct mime_write_opts o;
	struct error err;

	error_clear(&err);
	memset(&o, 0, sizeof(o));
	o.mode = MIME_WRITE_COPY;
	if (mime_compose_write(&c->m, &o, &raw, &err) < 0 ||
	    cache_draft_store(ui->cache, c->s.account, raw.data, raw.len,
	    &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		buf_free(&raw);
		return;
	}
	buf_free(&raw);
	(void)unlink(c->path);
	ui_message(ui, 0, "Postponed to Drafts.");
	ui_pop(ui);
}

static void
abort_done(struct ui *ui, const char *text, void *arg)
{
	struct compose *c = arg;

	if (text[0] == 'y') {
		postpone(ui, c);
		return;
	}
	(void)unlink(c->path);
	ui_message(ui, 0, "Message discarded.");
	ui_pop(ui);
}

static int
key(struct ui *ui, struct ui_screen *s, int k)
{
	struct compose *c = (struct compose *)s;
	struct error err;

	error_clear(&err);
	/* a prompt left with Esc leaves its list behind */
	compose_menu_clear(c);
	switch (k) {
	case 'y':
		send_now(ui, c);
		return 1;
	case 'e':
		if (edit(ui, c, &err) < 0)
			ui_message(ui, 1, "%s", err.msg);
		return 1;
	case 't':
		ask(ui, c, "To", &c->m.to, NULL);
		return 1;
	case 'c':
		ask(ui, c, "Cc", &c->m.cc, NULL);
		return 1;
	case 'b':
		ask(ui, c, "Bcc", &c->m.bcc, NULL);
		return 1;
	case 's':
		ask(ui, c, "Subject", NULL, c->m.subject);
		return 1;
	case 'a':
		ask(ui, c, "Attach", NULL, NULL);
		return 1;
	case 'D':
		if (c->m.nattach == 1)
			mime_compose_detach(&c->m, 0);
		else if (c->m.nattach > 1)
			ask(ui, c, "Detach", NULL, NULL);
		return 1;
	case 'P':
		postpone(ui, c);
		return 1;
	case 'F':
		compose_switch_from(ui, c);
		return 1;
	case 'q':
		ui_ask_yesno(ui, "Postpone this message? (y/n)", abort_done,
		    c);
		return 1;
	}
	return 0;
}

static void
destroy(struct ui_screen *s)
{
	struct compose *c = (struct compose *)s;

	mime_compose_free(&c->m);
	compose_menu_clear(c);
	free(c);
}

static const struct ui_screen_ops ops = {
	.ctx = UI_CTX_COMPOSE,
	.draw = draw,
	.key = key,
	.destroy = destroy,
};

static void
signature(struct compose *c, const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	int fd;

	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	buf_addstr(&b, c->m.body ? c->m.body : "");
	buf_addstr(&b, "\n-- \n");
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && b.len < 65536)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	free(c->m.body);
	c->m.body = buf_detach(&b, NULL);
}

/* The forward of several messages (;f): each after the first as one more
 * message/rfc822 part.  0, 1 when one is still being fetched (said), or
 * -1 said. */
static int
attach_more(struct ui *ui, struct compose *c, const int64_t *more,
    size_t nmore)
{
	struct buf raw = BUF_INIT;
	struct error err;
	size_t i, missing = 0;
	int rc;

	for (i = 0; i < nmore; i++) {
		buf_reset(&raw);
		error_clear(&err);
		rc = cache_message_raw(ui->cache, more[i], &raw, &err);
		if (rc < 0) {
			ui_message(ui, 1, "%s", err.msg);
			buf_free(&raw);
			return -1;
		}
		if (rc == 0)
			missing++;
		else
			mime_compose_attach_message(&c->m, raw.data, raw.len);
	}
	buf_free(&raw);
	if (missing) {
		ui_message(ui, 1, "%zu of the messages are not downloaded yet; "
		    "they are being fetched: forward again in a moment.",
		    missing);
		return 1;
	}
	return 0;
}

static int
start(struct ui *ui, size_t account, enum scr_compose_kind kind,
    int64_t msg_id, const int64_t *more, size_t nmore, const char *mailto)
{
	const struct config_account *a;
	struct compose *c;
	struct buf raw = BUF_INIT;
	struct mime_addrlist me = { 0 };
	struct error err;
	int fd, rc;

	error_clear(&err);
	if (account >= cache_naccounts(ui->cache)) {
		ui_message(ui, 1, "no account to send from");
		return -1;
	}
	a = cache_account(ui->cache, account)->cfg;
	if (a->from == NULL) {
		ui_message(ui, 1, "%s cannot send: set 'from' in its [account] "
		    "section (postie check-config explains)", a->name);
		return -1;
	}
	c = xcalloc(1, sizeof(*c));
	c->s.ops = &ops;
	c->s.account = account;
	mime_compose_init(&c->m);
	c->m.flowed = ui->cfg->text_flowed; /* a resumed draft says its own */
	if (mime_addrlist_parse(a->from, strlen(a->from), "from", &me,
	    &err) < 0 || me.n == 0) {
		ui_message(ui, 1, "%s", err.msg);
		goto fail;
	}
	mime_compose_set(&c->m.from.name, me.v[0].name);
	mime_compose_set(&c->m.from.addr, me.v[0].addr);
	mime_addrlist_free(&me);
	if (kind != SCR_COMPOSE_NEW) {
		rc = cache_message_raw(ui->cache, msg_id, &raw, &err);
		if (rc == 0 && nmore) {
			/* many are not waited for: asked again once here */
			attach_more(ui, c, more, nmore);
			ui_message(ui, 1, "Some of the messages are not "
			    "downloaded yet; they are being fetched: forward "
			    "again in a moment.");
			goto fail;
		}
		if (rc == 0) {
			/* Goes on when its body arrives (scr_compose_event). */
			waiting_body.msg_id = msg_id;
			waiting_body.account = account;
			waiting_body.kind = kind;
			ui_message(ui, 0, "Fetching the message...");
			goto fail;
		}
		if (rc < 0) {
			ui_message(ui, 1, "%s", err.msg);
			goto fail;
		}
		compose_my_addresses(ui, &me);
		rc = kind == SCR_COMPOSE_RESUME ? mime_compose_from_message(
		    raw.data, raw.len, &c->m, &err) :
		    kind == SCR_COMPOSE_FORWARD ? mime_forward_init(&c->m,
		    raw.data, raw.len, ui->cfg->forward_attachment || nmore,
		    &err) :
		    mime_reply_init(&c->m,
		    raw.data, raw.len, kind == SCR_COMPOSE_REPLY_ALL ?
		    MIME_REPLY_ALL : kind == SCR_COMPOSE_REPLY_LIST ?
		    MIME_REPLY_LIST : MIME_REPLY_SENDER, &me, &err);
		mime_addrlist_free(&me);
		if (rc < 0) {
			ui_message(ui, 1, "%s", err.msg);
			goto fail;
		}
		if (nmore && attach_more(ui, c, more, nmore) != 0)
			goto fail;
		if (kind == SCR_COMPOSE_RESUME)
			c->draft = msg_id;
		else if (kind != SCR_COMPOSE_FORWARD)
			c->reply_to = msg_id;
		if (kind != SCR_COMPOSE_RESUME)
			compose_reply_identity(ui, c, raw.data, raw.len);
	} else if (mailto && mime_mailto_parse(mailto, &c->m, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		goto fail;
	}
	if (kind != SCR_COMPOSE_RESUME)
		signature(c, a->signature);
	buf_free(&raw);
	snprintf(c->path, sizeof(c->path), "%s/postie-compose-XXXXXX.eml",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if ((fd = mkstemps(c->path, 4)) < 0) {
		ui_message(ui, 1, "cannot make a file for the editor: %s",
		    strerror(errno));
		goto fail;
	}
	close(fd);
	cache_addr_prepare(ui->cache); /* read while the editor runs */
	if (edit(ui, c, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		(void)unlink(c->path);
		goto fail;
	}
	ui_push(ui, &c->s);
	return 0;
fail:
	buf_free(&raw);
	mime_addrlist_free(&me);
	mime_compose_free(&c->m);
	free(c);
	return -1;
}

int
scr_compose_start(struct ui *ui, size_t account, enum scr_compose_kind kind,
    int64_t msg_id, const char *mailto)
{
	return start(ui, account, kind, msg_id, NULL, 0, mailto);
}

int
scr_compose_forward(struct ui *ui, size_t account, const int64_t *ids,
    size_t n)
{
	if (n == 0)
		return -1;
	return start(ui, account, SCR_COMPOSE_FORWARD, ids[0], ids + 1, n - 1,
	    NULL);
}
