/*
 * scr_setup: the first-run setup form (doc/postie.1, FIRST RUN).  postie
 * started with no configuration file asks for one account here, tests
 * its login through the cache (cache/probe.h: the UI never talks to
 * net/), and writes a commented configuration (ui/setup.h) only once the
 * login worked.  It runs before any cache exists, so it has its own
 * small poll() loop on the keyboard and the login test; the main loop
 * (ui/tui.c) starts after it.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/oauth.h"
#include "cache/probe.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/keys.h"
#include "ui/setup.h"
#include "ui/tui_int.h"

enum fid {
	F_ADDRESS, F_NAME, F_ACCOUNT, F_PROTO, F_MODE, F_SIGNIN, F_CLIENT_ID,
	F_CLIENT_SECRET, F_HOST, F_PORT, F_TLS,
	F_USER, F_PWMODE, F_PWCMD, F_PW, F_CA, F_FROM, F_SMTP_HOST, F_SMTP_PORT,
	F_SMTP_TLS, F_SAVE, F_CANCEL, F_N
};

enum kind { K_TEXT, K_SECRET, K_CHOICE, K_BUTTON, K_INFO };

static const char *const protos[] = { "IMAP", "POP3", NULL };
/* The account list's words, short enough for 80 columns. */
static const char *const modes[] = { "keep on server",
	"download and delete", NULL };
static const char *const secs[] = { "TLS", "STARTTLS",
	"none: plaintext, INSECURE", NULL };
static const char *const signins[] = { "password", "Gmail (OAuth2)",
	"Outlook (OAuth2)", NULL };
static const char *const pwmodes[] = { "from a command",
	"stored in the file", NULL };

struct field {
	const char *label;
	enum kind kind;
	const char *const *choices;
	int nchoices; /* counted at start */
	const char *help;
	int choice;
	int touched; /* typed into: suggestions leave it alone */
	struct buf text;
};

struct form {
	struct field f[F_N];
	int cur;
	const char *path;
	struct cache_probe *probe;
	struct cache_authorize_job *auth; /* the OAuth2 sign-in running */
	struct buf auth_text; /* what it said, shown instead of the fields */
	int asking; /* "store the password in the file?" */
	struct ui *ui; /* its message line is the form's sentence */
	int done; /* 1 saved, -1 cancelled */
};

#define FIELD(id, l, k, c, h) [id] = { l, k, c, 0, h, 0, 0, BUF_INIT }
#define NOCHOICE NULL

static const struct field templates[F_N] = {
	FIELD(F_ADDRESS, "Email address", K_TEXT, NOCHOICE,
	    "Your address, e.g. alice@example.org: the fields below are "
	    "suggested from it."),
	FIELD(F_NAME, "Your name", K_TEXT, NOCHOICE,
	    "Shown in the From of the mail you send (may be empty)."),
	FIELD(F_ACCOUNT, "Account name", K_TEXT, NOCHOICE,
	    "postie's name for the account: letters, digits, '.', '_', "
	    "'-'."),
	FIELD(F_PROTO, "Protocol", K_CHOICE, protos,
	    "IMAP keeps mail on the server (several devices); POP3 "
	    "downloads it to this computer.  Left/Right or Space."),
	FIELD(F_MODE, "Mail on the server", K_CHOICE, modes,
	    "Keep: mail stays on the server too.  Download and delete: each "
	    "message safely on disk here leaves the server; this computer "
	    "then holds the only copy."),
	FIELD(F_SIGNIN, "Sign in", K_CHOICE, signins,
	    "Gmail and Outlook want OAuth2: you approve postie in a browser "
	    "and no password is stored.  Chosen for you from the address."),
	FIELD(F_CLIENT_ID, "Client id", K_TEXT, NOCHOICE,
	    "The client id is your own: register an application with the "
	    "provider as postie.conf(5) explains (oauth2_client_id); postie "
	    "ships none."),
	FIELD(F_CLIENT_SECRET, "Client secret", K_SECRET, NOCHOICE,
	    "Only if the provider gave one (Google does for a desktop "
	    "client); may be empty."),
	FIELD(F_HOST, "Server", K_TEXT, NOCHOICE,
	    "The host name your provider gives for IMAP or POP3."),
	FIELD(F_PORT, "Port", K_TEXT, NOCHOICE,
	    "Usually 993 (IMAP, TLS), 143 (STARTTLS), 995 (POP3, TLS), "
	    "110 (STARTTLS)."),
	FIELD(F_TLS, "Security", K_CHOICE, secs,
	    "TLS encrypts from the start; STARTTLS requires encryption "
	    "after connecting; none sends your password in the clear."),
	FIELD(F_USER, "User", K_TEXT, NOCHOICE,
	    "The login name: often the whole address."),
	FIELD(F_PWMODE, "Password", K_CHOICE, pwmodes,
	    "A command (pass, secret-tool, ...) keeps the password out of "
	    "files; postie asks before storing it in the file."),
	FIELD(F_PWCMD, "Password command", K_TEXT, NOCHOICE,
	    "Its first line of output is the password, e.g. 'pass show "
	    "mail/example' or 'secret-tool lookup mail example'."),
	FIELD(F_PW, "Password", K_SECRET, NOCHOICE,
	    "Stored unencrypted in the config file, mode 0600 (only you "
	    "can read it)."),
	FIELD(F_CA, "CA file (optional)", K_TEXT, NOCHOICE,
	    "Only for a server whose certificate the system does not "
	    "trust: the CA's PEM file (absolute path or ~/...)."),
	FIELD(F_FROM, "Sends as", K_INFO, NOCHOICE, ""),
	FIELD(F_SMTP_HOST, "SMTP server", K_TEXT, NOCHOICE,
	    "Where your mail is sent from, with the same user and "
	    "password; empty: this account does not send."),
	FIELD(F_SMTP_PORT, "SMTP port", K_TEXT, NOCHOICE,
	    "465 (TLS) or 587 (submission with STARTTLS)."),
	FIELD(F_SMTP_TLS, "SMTP security", K_CHOICE, secs,
	    "TLS for port 465, STARTTLS for 587."),
	FIELD(F_SAVE, "Test the login and save", K_BUTTON, NOCHOICE,
	    "Enter: postie logs in (and out) with these settings and "
	    "writes the file only if that works."),
	FIELD(F_CANCEL, "Cancel", K_BUTTON, NOCHOICE,
	    "Enter, Esc: leave without writing anything."),
};

/* As long as postie authorize waits for the browser. */
#define AUTH_WAIT_SECONDS 600

static const char *
text(struct form *fm, enum fid id)
{
	return buf_cstr(&fm->f[id].text);
}

static enum config_tls
tls_of(int choice)
{
	return choice == 1 ? CONFIG_TLS_STARTTLS : choice == 2 ?
	    CONFIG_TLS_NONE : CONFIG_TLS_IMPLICIT;
}

/* Whether field id is on the form now (IMAP has no retention choice;
 * one of the two password fields). */
static int
shown(struct form *fm, int id)
{
	int oauth = fm->f[F_SIGNIN].choice != 0;

	if (id == F_CLIENT_ID || id == F_CLIENT_SECRET)
		return oauth;
	/* The provider fills in servers, ports and security. */
	if (oauth && (id == F_HOST || id == F_PORT || id == F_TLS ||
	    id == F_PWMODE || id == F_PWCMD || id == F_PW || id == F_CA ||
	    id == F_SMTP_HOST || id == F_SMTP_PORT || id == F_SMTP_TLS))
		return 0;
	if (id == F_PWCMD)
		return fm->f[F_PWMODE].choice == 0;
	if (id == F_PW)
		return fm->f[F_PWMODE].choice == 1;
	if (id == F_SMTP_PORT || id == F_SMTP_TLS)
		return fm->f[F_SMTP_HOST].text.len > 0;
	return 1;
}

static int
focusable(struct form *fm, int id)
{
	return shown(fm, id) && id != F_FROM &&
	    !(id == F_MODE && fm->f[F_PROTO].choice == 0);
}

static void
set_text(struct field *f, const char *s)
{
	buf_reset(&f->text);
	buf_addstr(&f->text, s);
}

/* The provider whose domain the address is in, or 0. */
static int
provider_of(const char *address)
{
	static const char *const gmail[] = { "gmail.com", "googlemail.com",
		NULL };
	static const char *const outlook[] = { "outlook.com", "hotmail.com",
		"live.com", NULL };
	const char *at = strrchr(address, '@');
	int i;

	if (at == NULL)
		return 0;
	for (i = 0; gmail[i]; i++)
		if (str_casecmp(at + 1, gmail[i]) == 0)
			return 1;
	for (i = 0; outlook[i]; i++)
		if (str_casecmp(at + 1, outlook[i]) == 0)
			return 2;
	return 0;
}

/* Fills what the user has not typed into from the address. */
static void
suggest(struct form *fm)
{
	struct setup_suggestion s;
	char port[8];

	if (!fm->f[F_SIGNIN].touched)
		fm->f[F_SIGNIN].choice = provider_of(text(fm, F_ADDRESS));

	if (setup_suggest(text(fm, F_ADDRESS), fm->f[F_PROTO].choice ?
	    CONFIG_POP3 : CONFIG_IMAP, tls_of(fm->f[F_TLS].choice),
	    tls_of(fm->f[F_SMTP_TLS].choice), &s) < 0)
		return;
	if (!fm->f[F_ACCOUNT].touched)
		set_text(&fm->f[F_ACCOUNT], s.account);
	if (!fm->f[F_HOST].touched)
		set_text(&fm->f[F_HOST], s.host);
	if (!fm->f[F_PORT].touched) {
		snprintf(port, sizeof(port), "%u", s.port);
		set_text(&fm->f[F_PORT], port);
	}
	if (!fm->f[F_USER].touched)
		set_text(&fm->f[F_USER], text(fm, F_ADDRESS));
	if (!fm->f[F_SMTP_HOST].touched)
		set_text(&fm->f[F_SMTP_HOST], s.smtp_host);
	if (!fm->f[F_SMTP_PORT].touched) {
		snprintf(port, sizeof(port), "%u", s.smtp_port);
		set_text(&fm->f[F_SMTP_PORT], port);
	}
}

/* The answers as setup_config_text() takes them (pointers into fm). */
static void
answers(struct form *fm, struct setup_answers *a)
{
	memset(a, 0, sizeof(*a));
	a->address = text(fm, F_ADDRESS);
	a->name = text(fm, F_NAME);
	a->account = text(fm, F_ACCOUNT);
	a->protocol = fm->f[F_PROTO].choice ? CONFIG_POP3 : CONFIG_IMAP;
	a->keep_on_server = fm->f[F_MODE].choice == 0;
	a->host = text(fm, F_HOST);
	a->port = text(fm, F_PORT);
	a->tls = tls_of(fm->f[F_TLS].choice);
	a->user = text(fm, F_USER);
	a->store_password = fm->f[F_PWMODE].choice == 1;
	a->password_command = text(fm, F_PWCMD);
	a->password = text(fm, F_PW);
	a->ca_file = text(fm, F_CA);
	a->smtp_host = text(fm, F_SMTP_HOST);
	a->smtp_port = text(fm, F_SMTP_PORT);
	a->smtp_tls = tls_of(fm->f[F_SMTP_TLS].choice);
	a->provider = fm->f[F_SIGNIN].choice == 1 ? CONFIG_PROVIDER_GMAIL :
	    fm->f[F_SIGNIN].choice == 2 ? CONFIG_PROVIDER_OUTLOOK :
	    CONFIG_PROVIDER_NONE;
	a->client_id = text(fm, F_CLIENT_ID);
	a->client_secret = text(fm, F_CLIENT_SECRET);
}

/* config_parse's "PATH:LINE: reason" without the place: the file is
 * not written yet. */
static const char *
reason(const char *msg, const char *path)
{
	size_t n = strlen(path);
	const char *p;

	if (strncmp(msg, path, n) != 0 || msg[n] != ':' ||
	    (p = strstr(msg + n + 1, ": ")) == NULL)
		return msg;
	return p + 2;
}

/* The configuration text of the answers, checked as postie will read
 * it: 0 and *cfg_r, or -1 with the reason said. */
static int
build(struct form *fm, struct buf *out, struct config **cfg_r)
{
	struct setup_answers a;
	struct error err;

	error_clear(&err);
	answers(fm, &a);
	if (setup_config_text(&a, out, &err) < 0 ||
	    config_parse(fm->path, out->data, out->len, cfg_r, &err) < 0) {
		ui_message(fm->ui, 1, "%s", reason(err.msg, fm->path));
		return -1;
	}
	return 0;
}

static void
start_test(struct form *fm)
{
	struct buf t = BUF_INIT;
	struct config *cfg = NULL;
	struct error err;

	error_clear(&err);
	buf_secret(&t);
	if (build(fm, &t, &cfg) < 0) {
		buf_free(&t);
		return;
	}
	buf_free(&t);
	if (fm->f[F_SIGNIN].choice != 0) {
		/* No token yet, so no login test: the sign-in is the test.
		 * No config means no open_command: the URL is shown. */
		buf_reset(&fm->auth_text);
		if (cache_authorize_start(&cfg, 0, NULL, AUTH_WAIT_SECONDS,
		    &fm->auth, &err) < 0) {
			config_free(&cfg);
			ui_message(fm->ui, 1, "%s", err.msg);
			return;
		}
		buf_reset(&fm->ui->msg);
		return;
	}
	if (cache_probe_start(&cfg, 0, CACHE_PROBE_SEND, &fm->probe,
	    &err) < 0) {
		config_free(&cfg);
		ui_message(fm->ui, 1, "%s", err.msg);
		return;
	}
	ui_message(fm->ui, 0, "Testing: logging in to %s port %s as %s%s ... (Esc "
	    "cancels)", text(fm, F_HOST), text(fm, F_PORT), text(fm, F_USER),
	    fm->f[F_SMTP_HOST].text.len ? ", then to the SMTP server" : "");
}

static void
save(struct form *fm)
{
	struct buf t = BUF_INIT;
	struct config *cfg = NULL;
	struct error err;

	error_clear(&err);
	buf_secret(&t);
	if (build(fm, &t, &cfg) == 0) {
		config_free(&cfg);
		if (setup_write_config(fm->path, &t, &err) < 0)
			ui_message(fm->ui, 1, "%s", err.msg);
		else
			fm->done = 1;
	}
	buf_free(&t);
}

static void
test_done(struct form *fm)
{
	struct error err;

	error_clear(&err);
	if (cache_probe_finish(&fm->probe, &err) < 0) {
		size_t n = strlen(err.msg);

		while (n > 0 && err.msg[n - 1] == '.')
			err.msg[--n] = '\0';
		ui_message(fm->ui, 1, "The login failed: %s.  %s", err.msg,
		    strstr(err.msg, "cannot trust") ? "If your provider "
		    "gave you its CA certificate, name the file in CA file." :
		    "Correct the fields and test again.");
		return;
	}
	if (fm->f[F_PWMODE].choice == 1) {
		fm->asking = 1;
		ui_message(fm->ui, 0, "The login works.  Store the password unencrypted "
		    "in %s (mode 0600, only you can read it)? y/n", fm->path);
		return;
	}
	save(fm);
}

/* The sign-in said more, or ended: signed in, the file is written. */
static void
auth_step(struct form *fm)
{
	struct error err;
	int rc;

	error_clear(&err);
	rc = cache_authorize_poll(fm->auth, &fm->auth_text, &err);
	if (rc == 1)
		return;
	cache_authorize_abandon(&fm->auth);
	if (rc < 0) {
		ui_message(fm->ui, 1, "The sign-in failed: %s.  Correct the "
		    "fields and save again.", err.msg);
		return;
	}
	save(fm);
}

static void
move_focus(struct form *fm, int delta)
{
	int i = fm->cur;

	do
		i = (i + delta + F_N) % F_N;
	while (!focusable(fm, i) && i != fm->cur);
	fm->cur = i;
}

static void
edit(struct form *fm, struct field *f, int key)
{
	if (!ui_edit_key(&f->text, key))
		return;
	f->touched = 1;
	buf_reset(&fm->ui->msg); /* it spoke of the old values */
	if (f == &fm->f[F_ADDRESS])
		suggest(fm);
}

static void
key(struct form *fm, int k)
{
	struct field *f = &fm->f[fm->cur];

	if (fm->auth && k == 27) {
		/* Back to the form: a wrong client id is corrected there. */
		cache_authorize_abandon(&fm->auth);
		ui_message(fm->ui, 0, "Sign-in cancelled; nothing written.");
		return;
	}
	if (k == 27 || k == UI_KEY_CTRL('C')) {
		fm->done = -1;
		return;
	}
	if (fm->auth)
		return; /* only Esc while the browser is awaited */
	if (fm->probe)
		return; /* only Esc while the test runs */
	if (fm->asking) {
		fm->asking = 0;
		if (k == 'y' || k == 'Y') {
			save(fm);
		} else {
			ui_message(fm->ui, 0, "Nothing written.  Give a password command "
			    "instead, or save again.");
		}
		return;
	}
	if (k == UI_KEY_FN(KEY_UP) || k == UI_KEY_FN(KEY_BTAB)) {
		move_focus(fm, -1);
	} else if (k == UI_KEY_FN(KEY_DOWN) || k == '\t') {
		move_focus(fm, 1);
	} else if (k == '\n') {
		if (fm->cur == F_SAVE)
			start_test(fm);
		else if (fm->cur == F_CANCEL)
			fm->done = -1;
		else
			move_focus(fm, 1);
	} else if (f->kind == K_CHOICE && (k == UI_KEY_FN(KEY_RIGHT) ||
	    k == ' ' || k == UI_KEY_FN(KEY_LEFT))) {
		f->choice = (f->choice + (k == UI_KEY_FN(KEY_LEFT) ?
		    f->nchoices - 1 : 1)) % f->nchoices;
		f->touched = 1;
		buf_reset(&fm->ui->msg);
		suggest(fm);
	} else if (k == 'q' && (f->kind == K_CHOICE || f->kind ==
	    K_BUTTON)) {
		fm->done = -1;
	} else if (f->kind == K_TEXT || f->kind == K_SECRET) {
		edit(fm, f, k);
	}
}

#define LABEL_W 22

/* Row of each shown field in the scrolled body, and the total. */
static int
layout(struct form *fm, int *row)
{
	int i, y = 0;

	for (i = 0; i < F_N; i++) {
		if (i == F_FROM || i == F_SAVE)
			y++; /* a blank row before sending, and the buttons */
		if (i == F_CANCEL) {
			row[i] = row[F_SAVE]; /* beside it */
			continue;
		}
		row[i] = shown(fm, i) ? y++ : -1;
	}
	return y;
}

static void
draw_choice(struct ui *ui, struct form *fm, int id, int y)
{
	struct field *f = &fm->f[id];
	unsigned long attr;
	int i, x = LABEL_W;

	if (id == F_MODE && fm->f[F_PROTO].choice == 0) {
		static const char kept[] = "kept (IMAP always keeps mail "
		    "on the server)";

		ui_put(y, x, ui->cols - x, kept, sizeof(kept) - 1,
		    ui->attr[THEME_NORMAL]);
		return;
	}
	for (i = 0; i < f->nchoices && x < ui->cols; i++) {
		attr = ui->attr[THEME_NORMAL];
		if (i == f->choice)
			attr = fm->cur == id ? ui->attr[THEME_CURSOR] :
			    ui->attr[THEME_NORMAL] | A_BOLD;
		if (f->choices == secs && i == 2 && i == f->choice)
			attr = ui->attr[THEME_INSECURE];
		x += ui_put(y, x, ui->cols - x, i == f->choice ? "(*) " :
		    "( ) ", 4, attr);
		x += ui_put(y, x, ui->cols - x, f->choices[i],
		    strlen(f->choices[i]), attr);
		x += 3;
	}
}

/* The From the account will send with (setup_config_text's rule). */
static void
draw_from(struct ui *ui, struct form *fm, int y)
{
	struct buf b = BUF_INIT;

	if (fm->f[F_SMTP_HOST].text.len == 0 && fm->f[F_SIGNIN].choice == 0)
		buf_addstr(&b, "nothing: no SMTP server, no sending");
	else if (fm->f[F_NAME].text.len)
		buf_printf(&b, "%s <%s>", text(fm, F_NAME),
		    text(fm, F_ADDRESS));
	else
		buf_addstr(&b, text(fm, F_ADDRESS));
	ui_put(y, LABEL_W, ui->cols - LABEL_W, b.data, b.len,
	    ui->attr[THEME_NORMAL]);
	buf_free(&b);
}

/* The status line: what this account will be, the way the account list
 * shows accounts (mode and security always said). */
static void
draw_status(struct ui *ui, struct form *fm)
{
	struct buf b = BUF_INIT;
	unsigned long attr = ui->attr[THEME_STATUS];
	int y = ui->rows - 2, x = 0;

	ui_fill(y, 0, ui->cols, attr);
	buf_printf(&b, " new account: %s, ", fm->f[F_PROTO].choice ? "pop3" :
	    "imap");
	x += ui_put(y, x, ui->cols - x, b.data, b.len, attr);
	if (fm->f[F_TLS].choice == 2)
		x += ui_put(y, x, ui->cols - x, "INSECURE plaintext", 18,
		    ui->attr[THEME_INSECURE]);
	else
		x += ui_put(y, x, ui->cols - x, fm->f[F_TLS].choice ?
		    "starttls" : "tls", fm->f[F_TLS].choice ? 8 : 3, attr);
	buf_reset(&b);
	buf_printf(&b, ", %s", fm->f[F_PROTO].choice == 0 ||
	    fm->f[F_MODE].choice == 0 ? "keeps mail on server" :
	    "downloads and deletes");
	ui_put(y, x, ui->cols - x, b.data, b.len, attr);
	buf_free(&b);
}

/* While the sign-in runs: what it said (the URL whole, wrapped at the
 * screen's edge so a copy of the rows joins back into it). */
static void
draw_auth(struct ui *ui, struct form *fm)
{
	const char *p = buf_cstr(&fm->auth_text), *nl;
	int y = 2;

	erase();
	ui_title(ui, " postie: set up an account   Esc: back to the form");
	static const char head[] = "Signing in: postie waits on this "
	    "computer for the browser to come back.";

	y += ui_put_wrapped(y, 0, ui->cols, 2, head, sizeof(head) - 1,
	    ui->attr[THEME_NORMAL]) + 1;
	while (*p && y < ui->rows - 2) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		y += ui_put_wrapped(y, 0, ui->cols, ui->rows - 2 - y, p,
		    (size_t)(nl - p), ui->attr[THEME_NORMAL]) + 1;
		p = *nl ? nl + 1 : nl;
	}
	draw_status(ui, fm);
	ui_fill(ui->rows - 1, 0, ui->cols, ui->attr[THEME_NORMAL]);
	curs_set(0);
	refresh();
}

static void
draw(struct ui *ui, struct form *fm)
{
	struct buf b = BUF_INIT;
	int row[F_N], total, top, body, y0, i, y, x, cx = -1, cy = -1;
	struct field *f;
	unsigned long attr;
	size_t n;

	if (fm->auth) {
		draw_auth(ui, fm);
		return;
	}
	erase();
	ui_title(ui, " postie: set up an account   Tab: next  Up: back  "
	    "Space: choose  Esc: cancel");
	buf_printf(&b, "There is no configuration file at %s yet.  Fill in "
	    "one account: postie tests the login before it writes the "
	    "file.", fm->path);
	y0 = 1 + ui_put_wrapped(1, 1, ui->cols - 2, 3, b.data, b.len,
	    ui->attr[THEME_NORMAL]) + 1;
	/* Below the fields: the focused field's help and the message. */
	body = ui->rows - 2 - y0 - 5;
	if (body < 3)
		body = 3;
	total = layout(fm, row);
	top = 0;
	if (row[fm->cur] >= body)
		top = row[fm->cur] - body + 1;
	if (total - top < body && total > body)
		top = total - body;
	for (i = 0; i < F_N; i++) {
		f = &fm->f[i];
		if (row[i] < top || row[i] - top >= body || row[i] < 0)
			continue;
		y = y0 + row[i] - top;
		if (f->kind == K_BUTTON) {
			x = i == F_SAVE ? LABEL_W : LABEL_W + 30;
			buf_reset(&b);
			buf_printf(&b, "[ %s ]", f->label);
			ui_put(y, x, ui->cols - x, b.data, b.len, fm->cur == i ?
			    ui->attr[THEME_CURSOR] : ui->attr[THEME_NORMAL] |
			    A_BOLD);
			continue;
		}
		ui_put(y, 2, LABEL_W - 3, f->label, strlen(f->label),
		    fm->cur == i ? ui->attr[THEME_NORMAL] | A_BOLD :
		    ui->attr[THEME_NORMAL]);
		if (f->kind == K_CHOICE) {
			draw_choice(ui, fm, i, y);
			continue;
		}
		if (f->kind == K_INFO) {
			draw_from(ui, fm, y);
			continue;
		}
		attr = fm->cur == i ? ui->attr[THEME_CURSOR] :
		    ui->attr[THEME_NORMAL] | A_UNDERLINE;
		ui_fill(y, LABEL_W, ui->cols - LABEL_W - 1, attr);
		buf_reset(&b);
		if (f->kind == K_SECRET) {
			for (n = 0; n < f->text.len; n++)
				if (((unsigned char)f->text.data[n] & 0xc0) !=
				    0x80) /* one per character */
					buf_addch(&b, '*');
		} else {
			buf_addstr(&b, buf_cstr(&f->text));
		}
		/* The end of a long value stays in sight while typing. */
		n = 0;
		while (ui_width(b.data + n, b.len - n) > ui->cols - LABEL_W - 2)
			n++;
		while (n < b.len && ((unsigned char)b.data[n] & 0xc0) == 0x80)
			n++;
		x = ui_put(y, LABEL_W, ui->cols - LABEL_W - 1, b.data + n,
		    b.len - n, attr);
		if (fm->cur == i) {
			cy = y;
			cx = LABEL_W + x;
		}
	}
	/* A short terminal scrolls the form: say that there is more. */
	if (top > 0)
		ui_put(y0 - 1, LABEL_W, ui->cols - LABEL_W, "(more above: Up)",
		    16, ui->attr[THEME_NORMAL] | A_DIM);
	if (total - top > body)
		ui_put(y0 + body, LABEL_W, ui->cols - LABEL_W,
		    "(more below: Down)", 18, ui->attr[THEME_NORMAL] | A_DIM);
	/* The message (a failed login's sentence with a fingerprint takes
	 * three rows) or else the focused field's help. */
	y = y0 + body + 1;
	if (ui->msg.len)
		ui_put_wrapped(y, 2, ui->cols - 4, ui->rows - 2 - y,
		    ui->msg.data, ui->msg.len, ui->attr[ui->msg_error ?
		    THEME_ERROR : THEME_NORMAL]);
	else
		ui_put_wrapped(y, 2, ui->cols - 4, ui->rows - 2 - y,
		    templates[fm->cur].help, strlen(templates[fm->cur].help),
		    ui->attr[THEME_NORMAL] | A_DIM);
	draw_status(ui, fm);
	ui_fill(ui->rows - 1, 0, ui->cols, ui->attr[THEME_NORMAL]);
	if (cy >= 0 && !fm->probe && !fm->asking) {
		curs_set(1);
		move(cy, cx);
	} else {
		curs_set(0);
	}
	refresh();
	buf_free(&b);
}

int
scr_setup_run(struct ui *ui, const char *path, char **account_r)
{
	struct form fm;
	struct pollfd pfd[2];
	wint_t wch;
	int i, krc, rc;

	memset(&fm, 0, sizeof(fm));
	memcpy(fm.f, templates, sizeof(fm.f));
	for (i = 0; i < F_N; i++)
		while (fm.f[i].choices && fm.f[i].choices[fm.f[i].nchoices])
			fm.f[i].nchoices++;
	buf_secret(&fm.f[F_PW].text);
	buf_secret(&fm.f[F_CLIENT_SECRET].text);
	fm.path = path;
	fm.ui = ui;
	while (fm.done == 0) {
		draw(ui, &fm);
		pfd[0].fd = 0;
		pfd[0].events = POLLIN;
		pfd[1].fd = fm.probe ? cache_probe_fd(fm.probe) : fm.auth ?
		    cache_authorize_fd(fm.auth) : -1;
		pfd[1].events = POLLIN;
		rc = poll(pfd, 2, -1);
		if (rc < 0 && errno != EINTR)
			break;
		while (fm.done == 0 && (krc = get_wch(&wch)) != ERR) {
			int k = ui_key_from_curses(krc, (unsigned)wch);

			if (k == UI_KEY_FN(KEY_RESIZE))
				getmaxyx(stdscr, ui->rows, ui->cols);
			else
				key(&fm, k);
		}
		if (fm.done == 0 && fm.probe && rc > 0 &&
		    (pfd[1].revents & POLLIN))
			test_done(&fm);
		else if (fm.done == 0 && fm.auth && rc > 0 &&
		    (pfd[1].revents & POLLIN))
			auth_step(&fm);
	}
	curs_set(0);
	cache_probe_abandon(&fm.probe);
	cache_authorize_abandon(&fm.auth);
	buf_free(&fm.auth_text);
	if (fm.done == 1)
		*account_r = xstrdup(text(&fm, F_ACCOUNT));
	for (i = 0; i < F_N; i++)
		buf_free(&fm.f[i].text);
	/* The main loop starts with a clean line; after a cancel there is
	 * no main loop to free it. */
	buf_free(&ui->msg);
	return fm.done == 1 ? 0 : 1;
}
