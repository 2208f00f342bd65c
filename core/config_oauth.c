/*
 * config_oauth: the OAuth2 keys of an [account] (doc/postie.conf.5,
 * "OAuth2") and what provider = gmail | outlook fills in.  Private to
 * the parser (core/config_int.h); the contract is core/config.h.
 */
#include <config.h>

#include <string.h>

#include "core/config_int.h"
#include "core/str.h"
#include "core/xalloc.h"

struct provider {
	const char *name;
	enum config_provider id;
	const char *imap_host, *pop3_host, *smtp_host;
	unsigned smtp_port; /* 587: STARTTLS; 465: implicit TLS */
	const char *auth_url, *token_url, *device_url, *scope;
};

/* The endpoints each provider publishes for installed applications;
 * the client id is always the user's own (postie.conf(5) says how to
 * register one). */
static const struct provider providers[] = {
	{ "gmail", CONFIG_PROVIDER_GMAIL, "imap.gmail.com", "pop.gmail.com",
	  "smtp.gmail.com", 465,
	  "https://accounts.google.com/o/oauth2/v2/auth",
	  "https://oauth2.googleapis.com/token",
	  "https://oauth2.googleapis.com/device/code",
	  "https://mail.google.com/" },
	{ "outlook", CONFIG_PROVIDER_OUTLOOK, "outlook.office365.com",
	  "outlook.office365.com", "smtp.office365.com", 587,
	  "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
	  "https://login.microsoftonline.com/common/oauth2/v2.0/token",
	  "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode",
	  "https://outlook.office.com/IMAP.AccessAsUser.All "
	  "https://outlook.office.com/POP.AccessAsUser.All "
	  "https://outlook.office.com/SMTP.Send offline_access" },
};

static char **
field(struct config_account *a, enum akey k)
{
	switch (k) {
	case K_OAUTH2_CLIENT_ID: return &a->oauth2_client_id;
	case K_OAUTH2_CLIENT_SECRET: return &a->oauth2_client_secret;
	case K_OAUTH2_CLIENT_SECRET_COMMAND:
		return &a->oauth2_client_secret_command;
	case K_OAUTH2_AUTH_URL: return &a->oauth2_auth_url;
	case K_OAUTH2_TOKEN_URL: return &a->oauth2_token_url;
	case K_OAUTH2_DEVICE_URL: return &a->oauth2_device_url;
	case K_OAUTH2_SCOPE: return &a->oauth2_scope;
	case K_OAUTH2_TOKEN_COMMAND: return &a->oauth2_token_command;
	case K_OAUTH2_REFRESH_COMMAND: return &a->oauth2_refresh_command;
	case K_OAUTH2_REFRESH_STORE_COMMAND:
		return &a->oauth2_refresh_store_command;
	default: return NULL;
	}
}

int
config_oauth_key(struct parser *p, enum akey k, const char *v,
    const char *sec)
{
	struct config_account *a = p->acct;
	char **f;
	size_t i;

	if (k == K_AUTH) {
		if (str_casecmp(v, "password") == 0)
			a->auth = CONFIG_AUTH_PASSWORD;
		else if (str_casecmp(v, "oauth2") == 0)
			a->auth = CONFIG_AUTH_OAUTH2;
		else
			return perr(p, p->lineno, "'auth' in %s must be "
			    "password or oauth2, not '%s'", sec, v);
		return 0;
	}
	if (k == K_PROVIDER) {
		for (i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
			if (str_casecmp(v, providers[i].name) == 0) {
				a->provider = providers[i].id;
				return 0;
			}
		return perr(p, p->lineno, "'provider' in %s must be gmail or "
		    "outlook, not '%s'", sec, v);
	}
	f = field(a, k);
	if (*v == '\0')
		return perr(p, p->lineno, "'%s' in %s is empty",
		    config_akey_name(k), sec);
	*f = xstrdup(v); /* a client secret is never echoed */
	return 0;
}

/* https, or http to this machine's loopback (a test provider) with
 * allow_plaintext = yes. */
static int
url_ok(const char *u, int allow_plaintext)
{
	static const char *const loop[] = { "http://127.0.0.1:",
		"http://127.0.0.1/", "http://localhost:", "http://localhost/",
		"http://[::1]:", "http://[::1]/" };
	size_t i;

	if (strncmp(u, "https://", 8) == 0 && u[8] != '\0' && u[8] != '/')
		return 1;
	if (!allow_plaintext)
		return 0;
	for (i = 0; i < sizeof(loop) / sizeof(loop[0]); i++)
		if (strncmp(u, loop[i], strlen(loop[i])) == 0)
			return 1;
	return 0;
}

static void
fill(struct parser *p, enum akey k, char **dst, const char *v)
{
	if (*dst == NULL && !p->aline[k])
		*dst = xstrdup(v);
}

static void
provider_defaults(struct parser *p, const struct provider *pv)
{
	struct config_account *a = p->acct;
	int line = p->aline[K_PROVIDER];

	if (!p->aline[K_AUTH])
		a->auth = CONFIG_AUTH_OAUTH2;
	fill(p, K_HOST, &a->host, a->protocol == CONFIG_POP3 ?
	    pv->pop3_host : pv->imap_host);
	fill(p, K_SMTP_HOST, &a->smtp_host, pv->smtp_host);
	if (!p->aline[K_SMTP_PORT] && !p->aline[K_SMTP_TLS]) {
		/* As if written on the provider's line: the account's
		 * checks then derive smtp_tls from it. */
		a->smtp_port = pv->smtp_port;
		p->aline[K_SMTP_PORT] = line;
	}
	fill(p, K_OAUTH2_AUTH_URL, &a->oauth2_auth_url, pv->auth_url);
	fill(p, K_OAUTH2_TOKEN_URL, &a->oauth2_token_url, pv->token_url);
	fill(p, K_OAUTH2_DEVICE_URL, &a->oauth2_device_url, pv->device_url);
	fill(p, K_OAUTH2_SCOPE, &a->oauth2_scope, pv->scope);
}

int
config_oauth_finish(struct parser *p, const char *sec)
{
	static const enum akey urls[] = { K_OAUTH2_AUTH_URL,
		K_OAUTH2_TOKEN_URL, K_OAUTH2_DEVICE_URL };
	struct config_account *a = p->acct;
	enum akey k;
	size_t i;

	for (i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (a->provider == providers[i].id)
			provider_defaults(p, &providers[i]);
	if (a->auth != CONFIG_AUTH_OAUTH2) {
		for (k = K_OAUTH2_CLIENT_ID; k < K_NAKEYS; k++)
			if (p->aline[k])
				return perr(p, p->aline[k], "'%s' in %s needs "
				    "'auth = oauth2'", config_akey_name(k),
				    sec);
		return 0;
	}
	if (a->password || a->password_file || a->password_command ||
	    a->smtp_password_command)
		return perr(p, p->aline[p->aline[K_PASSWORD] ? K_PASSWORD :
		    a->password_command ? K_PASSWORD_COMMAND :
		    K_SMTP_PASSWORD_COMMAND], "%s signs in with OAuth2 "
		    "('auth = oauth2'): remove its password keys", sec);
	if (a->oauth2_client_secret && a->oauth2_client_secret_command)
		return perr(p, p->aline[K_OAUTH2_CLIENT_SECRET_COMMAND],
		    "%s sets both 'oauth2_client_secret' and "
		    "'oauth2_client_secret_command'; keep one", sec);
	if (a->oauth2_refresh_store_command && !a->oauth2_refresh_command)
		return perr(p, p->aline[K_OAUTH2_REFRESH_STORE_COMMAND],
		    "%s sets 'oauth2_refresh_store_command' without "
		    "'oauth2_refresh_command' to read the token back", sec);
	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		const char *u = *field(a, urls[i]);

		if (u && !url_ok(u, a->allow_plaintext))
			return perr(p, p->aline[urls[i]] ? p->aline[urls[i]] :
			    a->line, "'%s' in %s must be an https:// URL "
			    "(http:// only to 127.0.0.1 or localhost, with "
			    "'allow_plaintext = yes')", config_akey_name(urls[i]),
			    sec);
	}
	if (a->oauth2_token_command == NULL && (a->oauth2_client_id == NULL ||
	    a->oauth2_token_url == NULL))
		return perr(p, a->line, "%s has 'auth = oauth2' but neither "
		    "'oauth2_token_command' nor 'oauth2_client_id' with "
		    "'oauth2_token_url' (or a 'provider')", sec);
	return 0;
}
