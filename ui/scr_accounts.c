/* scr_accounts: the account list, security and retention at a glance. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#include "ui/tui_int.h"

struct accounts {
	struct ui_screen s;
	struct ui_list l;
};

static void
when(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t, now = time(NULL);
	struct tm tm, tn;

	if (t == 0) {
		snprintf(out, size, "never synced");
		return;
	}
	localtime_r(&tt, &tm);
	localtime_r(&now, &tn);
	if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		strftime(out, size, "synced %H:%M", &tm);
	else
		strftime(out, size, "synced %Y-%m-%d", &tm);
}

static void
draw(struct ui *ui, struct ui_screen *s)
{
	struct accounts *a = (struct accounts *)s;
	const struct cache_account_status *st;
	const struct account *ac;
	struct buf b = BUF_INIT;
	int rows = ui_body_rows(ui), y, x, nw, mw;
	unsigned long attr;
	size_t i;
	char last[32];

	a->l.n = cache_naccounts(ui->cache);
	ui_list_fix(&a->l, rows);
	ui_title(ui, " postie: accounts   Enter: folders  $: sync  "
	    "?: help  q: quit");
	if (a->l.n == 0) {
		static const char none[] = "No accounts: add an [account "
		    "NAME] section to the configuration file.";

		ui_put(1, 1, ui->cols - 1, none, strlen(none),
		    ui->attr[THEME_NORMAL]);
	}
	/* Columns as wide as their longest entry, two spaces apart, so
	 * that "keeps on server for 14 days" never runs into "online". */
	for (i = 0, nw = 4, mw = 0; i < a->l.n; i++) {
		ac = cache_account(ui->cache, i);
		nw = MAX(nw, (int)strlen(ac->name));
		mw = MAX(mw, (int)strlen(ac->mode_words));
	}
	nw = MIN(nw, 24);
	for (i = a->l.top, y = 1; i < a->l.n && y <= rows; i++, y++) {
		ac = cache_account(ui->cache, i);
		st = ui_status(ui, i);
		attr = i == a->l.cur ? ui->attr[THEME_CURSOR] :
		    ui->attr[THEME_NORMAL];
		ui_fill(y, 0, ui->cols, attr);
		buf_reset(&b);
		buf_printf(&b, " %-*.*s  %-4s  ", nw, nw, ac->name,
		    config_protocol_name(ac->protocol));
		x = ui_put(y, 0, ui->cols, b.data, b.len, attr);
		if (ac->insecure || ac->send_insecure)
			ui_put(y, x, ui->cols - x, "INSECURE", 8,
			    ui->attr[THEME_INSECURE]);
		else
			ui_put(y, x, ui->cols - x, account_security_name(
			    ac->security), strlen(account_security_name(
			    ac->security)), attr);
		x += 10;
		buf_reset(&b);
		when(st->last_sync, last, sizeof(last));
		buf_printf(&b, "%-*s  %-10s  %-15s %5u unread", mw,
		    ac->mode_words, account_state_name(st->state), last,
		    st->unread);
		if (st->pending_ops)
			buf_printf(&b, ", %zu queued", st->pending_ops);
		if (st->to_send)
			buf_printf(&b, ", %zu to send", st->to_send);
		if (st->not_sent)
			buf_printf(&b, ", %zu NOT SENT (see its Outbox)",
			    st->not_sent);
		x += ui_put(y, x, ui->cols - x, b.data, b.len, attr);
	}
	/* The sentences of accounts in error, below the list: a row has
	 * no room for them. */
	for (i = 0, y++; i < a->l.n && y <= rows; i++) {
		st = ui_status(ui, i);
		if (st->error[0] == '\0')
			continue;
		buf_reset(&b);
		buf_printf(&b, "%s: %s", cache_account(ui->cache, i)->name,
		    st->error);
		/* Wrapped, not cut: a certificate's fingerprint is what the
		 * user has to compare. */
		y += ui_put_wrapped(y, 1, ui->cols - 1, rows - y + 1, b.data,
		    b.len, ui->attr[st->state == ACCOUNT_ERROR ? THEME_ERROR :
		    THEME_NORMAL]);
	}
	buf_free(&b);
}

static int
open_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct accounts *a = (struct accounts *)s;

	if (a->l.cur < a->l.n) {
		ui_push(ui, scr_folders_new(ui, a->l.cur));
		return 0;
	}
	ui_message(ui, 1, "'open' does not apply to the account list");
	return -1;
}

static const ui_screen_fn cmds[UI_CMD_N] = {
	[UI_CMD_OPEN] = open_cmd,
};

static void
destroy(struct ui_screen *s)
{
	free(s);
}

static const struct ui_screen_ops ops = {
	UI_CTX_ACCOUNTS, draw, NULL, NULL, NULL, cmds, destroy,
};

struct ui_screen *
scr_accounts_new(struct ui *ui)
{
	struct accounts *a = xcalloc(1, sizeof(*a));

	a->s.ops = &ops;
	a->s.list = &a->l;
	a->s.account = UI_NO_ACCOUNT;
	a->l.n = cache_naccounts(ui->cache);
	return &a->s;
}
