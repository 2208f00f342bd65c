/* config: accessors, names and the password (contract in config.h). */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include "core/config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/spawn.h"
#include "core/xalloc.h"

/* More than any password; the rest of the output is read and dropped. */
#define PASSWORD_MAX 4096

static void
wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void
config_free(struct config **cfgp)
{
	struct config *cfg = *cfgp;
	size_t i, j;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->naccounts; i++) {
		struct config_account *a = &cfg->accounts[i];

		free(a->name);
		free(a->host);
		free(a->user);
		wipe_free(a->password);
		free(a->password_file);
		free(a->password_command);
		free(a->ca_file);
		free(a->tls_fingerprint);
		free(a->maildir);
		free(a->assumed_charset);
		free(a->from);
		free(a->smtp_host);
		free(a->smtp_user);
		free(a->smtp_password_command);
		free(a->sent_folder);
		free(a->drafts_folder);
		free(a->signature);
		free(a->oauth2_client_id);
		wipe_free(a->oauth2_client_secret);
		free(a->oauth2_client_secret_command);
		free(a->oauth2_auth_url);
		free(a->oauth2_token_url);
		free(a->oauth2_device_url);
		free(a->oauth2_scope);
		free(a->oauth2_token_command);
		free(a->oauth2_refresh_command);
		free(a->oauth2_refresh_store_command);
		for (j = 0; j < a->nidentities; j++)
			free(a->identities[j]);
		free(a->identities);
	}
	free(cfg->accounts);
	for (i = 0; i < cfg->nkeys; i++) {
		free(cfg->keys[i].key);
		free(cfg->keys[i].command);
	}
	free(cfg->keys);
	for (i = 0; i < cfg->nsearches; i++) {
		struct config_search *sr = &cfg->searches[i];
		size_t k;

		for (k = 0; k < sr->nscope; k++) {
			free(sr->scope[k].account);
			free(sr->scope[k].folder);
		}
		free(sr->scope);
		free(sr->name);
		free(sr->pattern);
	}
	free(cfg->searches);
	free(cfg->path);
	free(cfg->theme);
	free(cfg->assumed_charset);
	free(cfg->prefer);
	free(cfg->editor);
	free(cfg->query_command);
	free(cfg->open_command);
	free(cfg->pager_filter);
	free(cfg->new_mail_command);
	free(cfg);
	*cfgp = NULL;
}

const struct config_account *
config_account(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->naccounts; i++)
		if (strcmp(cfg->accounts[i].name, name) == 0)
			return &cfg->accounts[i];
	return NULL;
}

const struct config_search *
config_search(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nsearches; i++)
		if (strcmp(cfg->searches[i].name, name) == 0)
			return &cfg->searches[i];
	return NULL;
}

const char *
config_protocol_name(enum config_protocol p)
{
	return p == CONFIG_POP3 ? "pop3" : "imap";
}

const char *
config_protocol_label(enum config_protocol p)
{
	return p == CONFIG_POP3 ? "POP3" : "IMAP";
}

int
config_keeps_all(const struct config_account *a)
{
	return a->protocol == CONFIG_IMAP || (a->keep_on_server &&
	    a->keep_days == 0);
}

const char *
config_tls_name(enum config_tls t)
{
	switch (t) {
	case CONFIG_TLS_STARTTLS: return "starttls";
	case CONFIG_TLS_NONE: return "plaintext";
	default: return "tls";
	}
}

const char *
config_mode_name(const struct config_account *a, char *out, size_t outsize)
{
	if (config_keeps_all(a))
		snprintf(out, outsize, "keep-on-server");
	else if (a->keep_on_server)
		snprintf(out, outsize, "keep-on-server-%u-days", a->keep_days);
	else
		snprintf(out, outsize, "download-and-delete");
	return out;
}

const char *
config_mode_words(const struct config_account *a, char *out, size_t outsize)
{
	if (config_keeps_all(a))
		snprintf(out, outsize, "keeps mail on server");
	else if (a->keep_on_server)
		snprintf(out, outsize, "keeps on server for %u day%s",
		    a->keep_days, a->keep_days == 1 ? "" : "s");
	else
		snprintf(out, outsize, "downloads and deletes");
	return out;
}

char *
config_password(const struct config_account *a, struct error *err)
{
	return config_password_within(a, CONFIG_PASSWORD_SECONDS, err);
}

char *
config_password_within(const struct config_account *a, unsigned seconds,
    struct error *err)
{
	struct spawn_opts o;
	struct spawn_result r;
	struct buf out = BUF_INIT;
	char *nl;

	buf_secret(&out);
	if (a->password)
		return xstrdup(a->password);
	if (a->password_file)
		return config_reread_password(a->password_file, a->name, err);
	if (a->password_command == NULL) {
		error_set(err, "account '%s' has neither password_command nor "
		    "password", a->name);
		return NULL;
	}
	/* Its stderr is captured, not left on the terminal: the TUI may be
	 * drawing there. */
	memset(&o, 0, sizeof(o));
	o.command = a->password_command;
	o.in_fd = -1;
	o.out = &out;
	o.out_max = PASSWORD_MAX;
	o.timeout_ms = seconds * 1000u;
	if (spawn_run(&o, &r, err) < 0) {
		error_prefix(err, "password_command of account '%s'", a->name);
	} else if (r.timed_out) {
		error_set(err, "password_command of account '%s' gave no "
		    "password within %u seconds", a->name, seconds);
	} else if (!spawn_ok(&r)) {
		spawn_error(err, &r, o.timeout_ms, "password_command of account "
		    "'%s'", a->name);
	} else {
		if ((nl = memchr(out.data, '\n', out.len)) != NULL)
			buf_truncate(&out, (size_t)(nl - out.data));
		if (out.len > 0 && out.data[out.len - 1] == '\r')
			buf_truncate(&out, out.len - 1);
		if (out.len > 0) {
			/* the rest of the output is wiped before leaving */
			char *pw = xstrndup(out.data, out.len);

			explicit_bzero(out.data, out.cap);
			buf_free(&out);
			return pw;
		}
		error_set(err, "password_command of account '%s' printed no "
		    "password", a->name);
	}
	buf_free(&out); /* wiped: secret */
	return NULL;
}

char *
config_smtp_password(const struct config_account *a, struct error *err)
{
	struct config_account b;
	char *pw;

	if (a->smtp_password_command == NULL)
		return config_password(a, err);
	/* The same runner and rules, with the other command. */
	b = *a;
	b.password = NULL;
	b.password_file = NULL;
	b.password_command = a->smtp_password_command;
	if ((pw = config_password(&b, err)) == NULL &&
	    strncmp(err->msg, "password_command", 16) == 0) {
		/* Name the key that failed. */
		char msg[ERROR_MAX];

		snprintf(msg, sizeof(msg), "smtp_%s", err->msg);
		error_set(err, "%s", msg);
	}
	return pw;
}

const char *
config_editor(const struct config *cfg)
{
	const char *e = cfg->editor;

	if (e == NULL || *e == '\0')
		e = getenv("VISUAL");
	if (e == NULL || *e == '\0')
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

char *
config_oauth2_token(const struct config_account *a, struct error *err)
{
	struct config_account b;
	char *tok;

	if (a->oauth2_token_command == NULL) {
		error_set(err, "account '%s' has no oauth2_token_command",
		    a->name);
		return NULL;
	}
	/* The same runner, bound and rules as password_command. */
	b = *a;
	b.password = NULL;
	b.password_file = NULL;
	b.password_command = a->oauth2_token_command;
	/* Four times the account's timeout (two minutes by default): the
	 * helper may ask the provider, or for a passphrase. */
	if ((tok = config_password_within(&b, 4 * a->timeout, err)) == NULL &&
	    strncmp(err->msg, "password_command", 16) == 0) {
		char msg[ERROR_MAX];
		const char *rest = err->msg + 16;

		/* Name the key that failed, and what it gives. */
		if (strstr(rest, "gave no password") ||
		    strstr(rest, "printed no password")) {
			const char *w = strstr(rest, "password");

			snprintf(msg, sizeof(msg), "oauth2_token_command%.*s"
			    "access token%s", (int)(w - rest), rest,
			    w + strlen("password"));
		} else {
			snprintf(msg, sizeof(msg), "oauth2_token_command%s",
			    rest);
		}
		error_set(err, "%s", msg);
	}
	return tok;
}
