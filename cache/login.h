/*
 * login: the one place where an account's connection options are built
 * and its password is read, for every engine (net/pop3, net/imap,
 * net/smtp).
 *
 * Every engine has the same shape (doc/HACKING.md, "an engine"): a
 * struct X_opts with a struct conn_opts inside, X_open() (connect,
 * greeting, TLS, capabilities), X_login(), then operations.  A driver
 * fills the options with cache_conn_opts(), calls X_open(), and then
 * cache_login() with the engine's login step.  The password (password,
 * password_file or password_command, core/config.h) is therefore read
 * only after the connection is as safe as the account requires, never
 * when the server is unreachable, and it is wiped right after the login
 * step returns.  Engines never see the configuration.
 */
#ifndef POSTIE_CACHE_LOGIN_H
#define POSTIE_CACHE_LOGIN_H

#include "core/config.h"
#include "core/error.h"
#include "net/conn.h"

enum cache_server {
	CACHE_SERVER_READ, /* the IMAP or POP3 server */
	CACHE_SERVER_SMTP, /* the submission server */
};

/*
 * Fills o for the account's server: host, port, timeout, ca_file and the
 * pinned fingerprint (the SMTP server gets it only when it is the same
 * host).  o->tls is left to the engine, which derives it from its
 * security setting.  Strings are borrowed from a.
 */
void cache_conn_opts(const struct config_account *a, enum cache_server which,
    struct conn_opts *o);

/* An engine's login step (pop3_login, imap_login, smtp_login through a
 * one-line wrapper that casts engine). */
typedef int cache_login_fn(void *engine, const char *user,
    const char *password, struct error *err);

/*
 * Reads the password for which (runs password_command, with its
 * timeout), calls login(engine, user, password, err) and wipes the
 * password.  user: the account's user (SMTP: smtp_user when set).
 * Returns what login returned, or -1 with the password's error.
 */
int cache_login(const struct config_account *a, enum cache_server which,
    cache_login_fn *login, void *engine, struct error *err);

#endif
