/*
 * scr_outbox: an account's outbox, the messages not sent yet, with their
 * state and why (doc/HACKING.md, "Data flow of a send").  Opened from the
 * "Outbox" row of the folder list; reads the index only, so it works
 * offline.  r sends the selected message now, d deletes it (after a
 * question); neither touches a message being sent at that moment (the
 * cache refuses, cache_outbox_drop/retry).
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/outbox.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/tui_int.h"

/* Rows under the list for the selected message's recipients and why. */
#define DETAIL_ROWS 6

struct outbox {
	struct ui_screen s;
	struct ui_list l;
	size_t account;
	struct outbox_msg *v;
	size_t n;
	int stale;          /* reload when next drawn */
	uint64_t ticket;    /* the send that r asked for */
	int64_t asked;      /* the message a question is about */
	char err[ERROR_MAX];
};

static void
load(struct ui *ui, struct outbox *o)
{
	struct error err;
	int64_t keep = o->l.cur < o->n ? o->v[o->l.cur].id : 0;
	size_t i;

	error_clear(&err);
	outbox_msgs_free(&o->v, o->n);
	o->n = 0;
	o->stale = 0;
	if (cache_outbox_list(ui->cache, o->account, &o->v, &o->n, &err) < 0)
		str_lcpy(o->err, err.msg, sizeof(o->err));
	else
		o->err[0] = '\0';
	o->l.n = o->n;
	for (i = 0; i < o->n; i++)
		if (o->v[i].id == keep)
			o->l.cur = i;
	if (o->l.cur >= o->n)
		o->l.cur = o->n ? o->n - 1 : 0;
}

static int
list_rows(struct ui *ui)
{
	int rows = ui_body_rows(ui);

	return rows > DETAIL_ROWS + 3 ? rows - DETAIL_ROWS - 1 : rows;
}

static int
trouble(const struct outbox_msg *m)
{
	return m->state == OUTBOX_FAILED || m->state == OUTBOX_UNKNOWN;
}

/* Local "2026-12-07 23:04": how long a message has waited matters. */
static void
when(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%d %H:%M", &tm);
}

/* What the user reads about the selected message, and can do. */
static void
detail(struct ui *ui, const struct outbox_msg *m, struct buf *b)
{
	char t[32];

	buf_printf(b, "To %s.  ", m->rcpts);
	switch (m->state) {
	case OUTBOX_QUEUED:
		if (m->next_try > time(NULL)) {
			when(m->next_try, t, sizeof(t));
			buf_printf(b, "Waits: next try at %s (tried %u time%s)",
			    t, m->attempts, m->attempts == 1 ? "" : "s");
		} else
			buf_addstr(b, "Waits for the server");
		if (m->error)
			buf_printf(b, ": %s", m->error);
		buf_addstr(b, ".  r: send now.  d: delete.");
		break;
	case OUTBOX_SENDING:
	case OUTBOX_DOT:
		buf_addstr(b, "Being sent now.");
		break;
	case OUTBOX_FAILED:
		buf_printf(b, "NOT SENT: %s.  It stays here until you act: r "
		    "sends it again as it is, d deletes it.", m->error ?
		    m->error : "refused");
		break;
	case OUTBOX_UNKNOWN:
		buf_printf(b, "UNKNOWN: %s.  postie does not send it again on "
		    "its own: r sends it again (the recipients may get it "
		    "twice), d deletes it (if it was not delivered, it is "
		    "lost).", m->error ? m->error : "the connection ended "
		    "after the message was handed over");
		break;
	}
}

static void
draw(struct ui *ui, struct ui_screen *s)
{
	struct outbox *o = (struct outbox *)s;
	const struct cache_account_status *st = ui_status(ui, o->account);
	struct buf b = BUF_INIT;
	int rows = list_rows(ui), y, x, rw;
	unsigned long attr;
	size_t i;
	char t[32];

	if (o->stale)
		load(ui, o);
	ui_list_fix(&o->l, rows);
	buf_printf(&b, " %s: outbox", cache_account(ui->cache,
	    o->account)->name);
	if (st->to_send)
		buf_printf(&b, "  %zu to send", st->to_send);
	if (st->not_sent)
		buf_printf(&b, "  %zu NOT SENT", st->not_sent);
	if (cache_account(ui->cache, o->account)->send_insecure)
		buf_addstr(&b, "  INSECURE: sends in plaintext");
	ui_title(ui, "%s   r: send now  d: delete  q: back", b.data);
	if (o->n == 0) {
		buf_reset(&b);
		buf_addstr(&b, o->err[0] ? o->err : "The outbox is empty: "
		    "nothing waits to be sent.");
		ui_put_wrapped(1, 1, ui->cols - 1, rows, b.data, b.len,
		    ui->attr[o->err[0] ? THEME_ERROR : THEME_NORMAL]);
	}
	rw = ui->cols / 4 > 30 ? 30 : ui->cols / 4;
	for (i = o->l.top, y = 1; i < o->n && y <= rows; i++, y++) {
		const struct outbox_msg *m = &o->v[i];

		attr = i == o->l.cur ? ui->attr[THEME_CURSOR] :
		    ui->attr[THEME_NORMAL];
		ui_fill(y, 0, ui->cols, attr);
		buf_reset(&b);
		buf_addstr(&b, m->state == OUTBOX_FAILED ? "NOT SENT" :
		    m->state == OUTBOX_UNKNOWN ? "UNKNOWN" :
		    outbox_state_name(m->state));
		ui_put(y, 1, 9, b.data, b.len, trouble(m) && i != o->l.cur ?
		    ui->attr[THEME_ERROR] : attr);
		when(m->created, t, sizeof(t));
		x = 11;
		x += ui_put(y, x, 16, t, strlen(t), attr) + 1;
		x = x < 29 ? 29 : x;
		ui_put(y, x, rw, m->rcpts, strlen(m->rcpts), attr);
		x += rw + 2;
		if (x < ui->cols)
			ui_put(y, x, ui->cols - x - 1, m->subject[0] ?
			    m->subject : "(no subject)", m->subject[0] ?
			    strlen(m->subject) : 12, attr);
	}
	if (o->l.cur < o->n && rows < ui_body_rows(ui)) {
		const struct outbox_msg *m = &o->v[o->l.cur];

		buf_reset(&b);
		detail(ui, m, &b);
		ui_put_wrapped(rows + 2, 1, ui->cols - 2, DETAIL_ROWS - 1,
		    b.data, b.len, ui->attr[trouble(m) ? THEME_ERROR :
		    THEME_NORMAL]);
	}
	buf_free(&b);
}

static void
event(struct ui *ui, struct ui_screen *s, const struct cache_event *ev)
{
	struct outbox *o = (struct outbox *)s;

	if (ev->account != o->account)
		return;
	if (ev->kind == CACHE_EV_OUTBOX || ev->kind == CACHE_EV_SEND_DONE ||
	    ev->kind == CACHE_EV_SYNC_DONE)
		o->stale = 1;
	if (ev->kind == CACHE_EV_SEND_DONE && o->ticket &&
	    ev->ticket == o->ticket) {
		o->ticket = 0;
		if (ev->status == 0 && ev->stats.sent > 0)
			ui_message(ui, 0, "Sent.");
		else if (ev->text[0])
			ui_message(ui, 1, "Not sent: %s", ev->text);
	}
}

static const struct outbox_msg *
current(struct ui *ui, struct outbox *o)
{
	if (o->l.cur >= o->n) {
		ui_message(ui, 1, "The outbox is empty.");
		return NULL;
	}
	if (o->v[o->l.cur].state == OUTBOX_SENDING ||
	    o->v[o->l.cur].state == OUTBOX_DOT) {
		ui_message(ui, 1, "It is being sent right now.");
		return NULL;
	}
	return &o->v[o->l.cur];
}

static void
retry(struct ui *ui, struct outbox *o, int64_t id)
{
	struct error err;
	int rc;

	error_clear(&err);
	o->stale = 1;
	if ((rc = cache_outbox_retry(ui->cache, id, &err)) <= 0) {
		ui_message(ui, 1, "%s", rc < 0 ? err.msg : "It is being sent "
		    "right now, or was sent meanwhile.");
		return;
	}
	if (cache_request_send(ui->cache, o->account, &o->ticket, &err) < 0) {
		ui_message(ui, 1, "It waits in the outbox: %s", err.msg);
		return;
	}
	ui_message(ui, 0, "Sending...");
}

static void
retry_done(struct ui *ui, const char *text, void *arg)
{
	struct outbox *o = arg;

	if (strcmp(text, "y") == 0)
		retry(ui, o, o->asked);
	else
		ui_message(ui, 0, "Not sent again.");
}

static void
drop_done(struct ui *ui, const char *text, void *arg)
{
	struct outbox *o = arg;
	struct error err;
	int rc;

	if (strcmp(text, "y") != 0) {
		ui_message(ui, 0, "Kept in the outbox.");
		return;
	}
	error_clear(&err);
	o->stale = 1;
	ui_status_changed(ui, o->account);
	if ((rc = cache_outbox_drop(ui->cache, o->asked, &err)) <= 0)
		ui_message(ui, 1, "%s", rc < 0 ? err.msg : "Not deleted: it is "
		    "being sent right now, or was sent meanwhile.");
	else
		ui_message(ui, 0, "Deleted from the outbox; it will not be "
		    "sent.");
}

/* retry and drop: both on the message under the cursor. */
static int
msg_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct outbox *o = (struct outbox *)s;
	const struct outbox_msg *m;

	if ((m = current(ui, o)) == NULL)
		return -1;
	o->asked = m->id;
	if (id == UI_CMD_DROP)
		ui_ask_yesno(ui, m->state == OUTBOX_QUEUED ? "Delete this "
		    "message from the outbox? It will not be sent. (y/n) " :
		    "Delete this message from the outbox? (y/n) ", drop_done,
		    o);
	else if (m->state == OUTBOX_UNKNOWN)
		ui_ask_yesno(ui, "It may have been delivered already. "
		    "Send it again anyway? (y/n) ", retry_done, o);
	else
		retry(ui, o, m->id);
	return 0;
}

static const ui_screen_fn cmds[UI_CMD_N] = {
	[UI_CMD_RETRY] = msg_cmd,
	[UI_CMD_DROP] = msg_cmd,
};

static void
destroy(struct ui_screen *s)
{
	struct outbox *o = (struct outbox *)s;

	outbox_msgs_free(&o->v, o->n);
	free(o);
}

static const struct ui_screen_ops ops = {
	UI_CTX_OUTBOX, draw, NULL, NULL, event, cmds, destroy,
};

struct ui_screen *
scr_outbox_new(struct ui *ui, size_t account)
{
	struct outbox *o = xcalloc(1, sizeof(*o));

	o->s.ops = &ops;
	o->s.list = &o->l;
	o->s.account = account;
	o->account = account;
	load(ui, o);
	return &o->s;
}
