/*
 * setup: what the first-run setup form (ui/scr_setup.c) suggests and
 * writes; no curses here, so it is unit-tested (tests/unit/ui/
 * check_setup.c).
 *
 * Contract:
 *   - setup_suggest() derives from an address "user@domain" the usual
 *     names: account = the domain's first label (lower case, reduced to
 *     [a-z0-9._-]); host imap.DOMAIN or pop.DOMAIN; port 993/143 (IMAP),
 *     995/110 (POP3) after tls (implicit / starttls or none); smtp host
 *     smtp.DOMAIN, port 465 for implicit TLS, else 587 (submission).
 *     -1 when address is not of that shape (nothing is filled).
 *   - setup_config_text() writes a complete, commented configuration for
 *     one account into out (marked secret: it may hold the password),
 *     or returns -1 with a sentence naming the field to correct.  The
 *     text is what config_parse() accepts for a valid answer; values
 *     that need it are quoted.  An empty smtp_host means no sending
 *     (no from, no smtp_* keys).
 *   - setup_write_config() creates path with mode 0600 holding text,
 *     whole or not at all (a temporary file, fsync, link(2)), and never
 *     replaces an existing file (then -1 with a sentence); it creates a
 *     missing parent folder 0700 (paths_mkdir).
 */
#ifndef POSTIE_UI_SETUP_H
#define POSTIE_UI_SETUP_H

#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"

struct setup_suggestion {
	char account[64];
	char host[256];
	unsigned port;
	char smtp_host[256];
	unsigned smtp_port;
};

int setup_suggest(const char *address, enum config_protocol proto,
    enum config_tls tls, enum config_tls smtp_tls,
    struct setup_suggestion *s);

/* The form's answers (strings may be empty, never NULL). */
struct setup_answers {
	const char *address, *name, *account;
	enum config_protocol protocol;
	int keep_on_server;          /* POP3 */
	const char *host;
	const char *port;            /* digits, 1..65535 */
	enum config_tls tls;
	const char *user;
	int store_password;          /* 1: password below, 0: command */
	const char *password_command, *password;
	const char *ca_file;         /* "" : the system's store */
	const char *smtp_host;       /* "": no sending */
	const char *smtp_port;
	enum config_tls smtp_tls;
	/* OAuth2 sign-in instead of a password (doc/postie.conf.5, "OAuth2
	 * sign-in"): CONFIG_PROVIDER_NONE for a password.  With a provider,
	 * the text holds provider, auth = oauth2, oauth2_client_id (the
	 * user's own, required) and oauth2_client_secret when given, no
	 * password keys, and no host, port, tls or smtp_* keys: the
	 * provider fills them in. */
	enum config_provider provider;
	const char *client_id, *client_secret;
};

int setup_config_text(const struct setup_answers *a, struct buf *out,
    struct error *err);
int setup_write_config(const char *path, const struct buf *text,
    struct error *err);

#endif
