/* The one place a password is read for a login: see cache/login.h. */
#include <config.h>

#include "cache/login.h"

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

int
cache_login(const struct config_account *a, enum cache_server which,
    cache_login_fn *login, void *engine, struct error *err)
{
	const char *user = a->user;
	char *pw;
	int rc;

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
