/* The one place a password is read for a login: see cache/login.h. */
#include <config.h>

#include "cache/login.h"

#include "cache/oauth.h"
#include "net/imap.h"
#include "net/pop3.h"
#include "net/smtp.h"

#include <stdlib.h>
#include <string.h>

void
cache_conn_opts(const struct config_account *a, enum cache_server which,
    struct conn_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout = a->timeout;
	o->ca_file = a->ca_file;
	if (which == CACHE_SERVER_SMTP) {
		o->host = a->smtp_host ? a->smtp_host : a->host;
		o->port = a->smtp_port;
		/* The pinned certificate is the reading server's; another
		 * host has its own. */
		if (a->smtp_host == NULL || strcmp(a->smtp_host, a->host) == 0)
			o->fingerprint = a->tls_fingerprint;
		return;
	}
	o->host = a->host;
	o->port = a->port;
	o->fingerprint = a->tls_fingerprint;
}

typedef int oauth_login_fn(void *engine, const char *user, const char *token,
    struct error *err);

static int
imap_oauth(void *e, const char *u, const char *t, struct error *err)
{
	return imap_login_oauth(e, u, t, err);
}

static int
pop3_oauth(void *e, const char *u, const char *t, struct error *err)
{
	return pop3_login_oauth(e, u, t, err);
}

static int
smtp_oauth(void *e, const char *u, const char *t, struct error *err)
{
	return smtp_login_oauth(e, u, t, err);
}

static void
wipe_free(char *s)
{
	explicit_bzero(s, strlen(s));
	free(s);
}

/*
 * A token refused as invalid or expired gets one fresh token and one more
 * try on the same session; a second refusal is final (no loop).
 */
static int
oauth_login(const struct config_account *a, enum cache_server which,
    void *engine, const char *user, struct error *err)
{
	oauth_login_fn *fn = which == CACHE_SERVER_SMTP ? smtp_oauth :
	    a->protocol == CONFIG_POP3 ? pop3_oauth : imap_oauth;
	char *tok;
	int rc, tries;

	for (tries = 0; tries < 2; tries++) {
		if ((tok = cache_oauth_token(a, tries > 0, err)) == NULL)
			return -1;
		rc = fn(engine, user, tok, err);
		wipe_free(tok);
		if (rc != 1)
			return rc;
	}
	return -1; /* err: the server's refusal of the fresh token */
}

int
cache_login(const struct config_account *a, enum cache_server which,
    cache_login_fn *login, void *engine, struct error *err)
{
	const char *user = a->user;
	char *pw;
	int rc;

	if (which == CACHE_SERVER_SMTP && a->smtp_user)
		user = a->smtp_user;
	if (a->auth == CONFIG_AUTH_OAUTH2)
		return oauth_login(a, which, engine, user ? user : "", err);
	if (which == CACHE_SERVER_SMTP) {
		if (a->smtp_user)
			user = a->smtp_user;
		pw = config_smtp_password(a, err);
	} else {
		pw = config_password(a, err);
	}
	if (pw == NULL)
		return -1;
	rc = login(engine, user ? user : "", pw, err);
	explicit_bzero(pw, strlen(pw));
	free(pw);
	return rc;
}
