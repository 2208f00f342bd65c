/* postie check-config: validates the configuration and explains it. */
#include <stdio.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/str.h"
#include "ui/cli.h"
#include "ui/cmd.h"
#include "ui/theme.h"

/* Values come from the user's own file, but still reach a terminal. */
static void
add_clean(struct buf *b, const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	str_clean_display(b, s, n, 0);
}

static void
explain(struct buf *b, const struct config_account *a)
{
	char mode[64];
	size_t i;

	add_clean(b, a->name);
	buf_printf(b, ": %s, ", config_protocol_label(a->protocol));
	switch (a->tls) {
	case CONFIG_TLS_IMPLICIT: buf_addstr(b, "implicit TLS"); break;
	case CONFIG_TLS_STARTTLS:
		buf_addstr(b, a->protocol == CONFIG_IMAP ? "STARTTLS" : "STLS");
		buf_addstr(b, " (required)");
		break;
	case CONFIG_TLS_NONE:
		buf_addstr(b, "PLAINTEXT (insecure: allowed by "
		    "allow_plaintext)");
		break;
	}
	buf_addstr(b, " to ");
	add_clean(b, a->host);
	buf_printf(b, ":%u as ", a->port);
	add_clean(b, a->user);
	buf_printf(b, "; %s", config_mode_words(a, mode, sizeof(mode)));
	if (a->auth == CONFIG_AUTH_OAUTH2)
		buf_addstr(b, a->oauth2_token_command ?
		    "; OAuth2, token from command" :
		    "; OAuth2 (postie authorize once)");
	else if (a->password_command)
		buf_addstr(b, "; password from command");
	else if (a->password || a->password_file)
		buf_addstr(b, "; password in the config file");
	else
		buf_addstr(b, "; no password configured");
	if (a->apop)
		buf_addstr(b, "; APOP login (weak, MD5)");
	if (a->tls_fingerprint)
		buf_addstr(b, "; certificate pinned by SHA-256 fingerprint");
	if (a->ca_file) {
		buf_addstr(b, "; also trusts CA ");
		add_clean(b, a->ca_file);
	}
	if (a->timeout != 30)
		buf_printf(b, "; timeout %u s", a->timeout);
	if (a->maildir) {
		buf_addstr(b, "; Maildir ");
		add_clean(b, a->maildir);
	}
	/* Where and how it sends, or why it cannot. */
	if (a->from == NULL)
		buf_addstr(b, "; cannot send: no from address");
	else {
		buf_addstr(b, "; sends through ");
		add_clean(b, a->smtp_host ? a->smtp_host : a->host);
		buf_printf(b, ":%u, %s, as ", a->smtp_port,
		    a->smtp_tls == CONFIG_TLS_IMPLICIT ? "tls" :
		    a->smtp_tls == CONFIG_TLS_STARTTLS ? "starttls" :
		    "PLAINTEXT (insecure)");
		add_clean(b, a->smtp_user ? a->smtp_user : a->user);
		buf_addstr(b, ", from ");
		add_clean(b, a->from);
		for (i = 0; i < a->nidentities; i++) {
			buf_addstr(b, i ? " or " : " (or, with F on the "
			    "compose screen, ");
			add_clean(b, a->identities[i]);
		}
		if (a->nidentities)
			buf_addch(b, ')');
	}
	buf_addch(b, '\n');
}

int
cli_check_config(const struct cli_opts *opts, int argc, char **argv)
{
	struct config *cfg;
	struct buf out = BUF_INIT;
	size_t i;

	(void)argv;
	if (argc > 1)
		return cli_fail("usage: postie check-config"), 2;
	if ((cfg = cli_load_config(opts)) == NULL)
		return 1;
	/* The reader's own checks, so that what passes here starts there:
	 * every [keys] line must name a key and a command. */
	{
		struct ui_keymap *km = ui_keymap_new();
		struct error err;
		int bad;

		error_clear(&err);
		bad = ui_keymap_config(km, cfg, &err) < 0;
		ui_keymap_free(&km);
		if (bad) {
			cli_fail("%s", err.msg);
			config_free(&cfg);
			return 1;
		}
	}
	if (cfg->naccounts == 0) {
		buf_addstr(&out, "no accounts in ");
		add_clean(&out, cfg->path);
		buf_addstr(&out, " (add an [account NAME] section)\n");
	}
	for (i = 0; i < cfg->naccounts; i++)
		explain(&out, &cfg->accounts[i]);
	/* Saved searches: where each looks and what it takes. */
	for (i = 0; i < cfg->nsearches; i++) {
		const struct config_search *sr = &cfg->searches[i];
		size_t k;

		buf_addstr(&out, "search ");
		add_clean(&out, sr->name);
		buf_addstr(&out, sr->nscope ? ": in " : ": in every account");
		for (k = 0; k < sr->nscope; k++) {
			if (k)
				buf_addstr(&out, ", ");
			add_clean(&out, sr->scope[k].account);
			if (sr->scope[k].folder) {
				buf_addch(&out, '/');
				add_clean(&out, sr->scope[k].folder);
			}
		}
		buf_addstr(&out, *sr->pattern ? "; pattern " :
		    "; every message");
		add_clean(&out, sr->pattern);
		buf_addch(&out, '\n');
	}
	/* A theme that does not load is not fatal in the reader (it falls
	 * back to the built-in colours), so it is a note here too. */
	{
		struct theme t;
		struct error err;

		error_clear(&err);
		if (theme_load(cfg->theme ? cfg->theme : "default", &t, NULL,
		    &err) < 0) {
			buf_addstr(&out, "note: ");
			add_clean(&out, err.msg);
			buf_addstr(&out, "; the built-in colours will be used\n");
		}
	}
	fputs(buf_cstr(&out), stdout);
	buf_free(&out);
	config_free(&cfg);
	return fflush(stdout) == 0 ? 0 : cli_fail("cannot write the output");
}
