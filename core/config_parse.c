/* config: reading and validating the file (contract in config.h). */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include "core/config.h"
#include "core/config_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <time.h>

#include "core/buf.h"
#include "core/pattern_parse.h"
#include "core/str.h"
#include "core/xalloc.h"

#define CONFIG_MAX_SIZE (1024 * 1024)
/* Bounds that keep the duplicate checks cheap on hostile input. */
#define CONFIG_MAX_ACCOUNTS 1000
#define CONFIG_MAX_KEYS 1000

static const char *const akey_names[K_NAKEYS] = {
	"protocol", "host", "port", "tls", "user", "password",
	"password_command", "ca_file", "tls_fingerprint", "allow_plaintext",
	"timeout", "keep_on_server", "keep_days", "apop", "maildir",
	"assumed_charset", "from", "smtp_host", "smtp_port", "smtp_tls",
	"smtp_user", "smtp_password_command", "sent_folder", "drafts_folder",
	"signature", "identities", "auth", "provider", "oauth2_client_id",
	"oauth2_client_secret", "oauth2_client_secret_command",
	"oauth2_auth_url", "oauth2_token_url", "oauth2_device_url",
	"oauth2_scope", "oauth2_token_command", "oauth2_refresh_command",
	"oauth2_refresh_store_command",
};

static const char *const gkey_names[G_NGKEYS] = {
	"theme", "assumed_charset", "prefer", "editor", "forward",
	"query_command", "text_flowed", "open_command", "pager_filter",
	"new_mail_command", "pipe_split", "hyperlinks", "sidebar",
};

const char *
config_akey_name(enum akey k)
{
	return akey_names[k];
}

int
config_perr(struct parser *p, int line, const char *fmt, ...)
{
	char msg[ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return error_set(p->err, "%s:%d: %s", p->path, line, msg);
}

static const char *
section_name(struct parser *p, char *out, size_t outsize)
{
	switch (p->sec) {
	case S_GENERAL: return "[general]";
	case S_KEYS: return "[keys]";
	case S_SEARCHES: return "[searches]";
	case S_ACCOUNT:
		snprintf(out, outsize, "[account %s]", p->acct->name);
		return out;
	default: return "no section";
	}
}

static int
is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int
config_valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!is_name_char((unsigned char)*s))
			return 0;
	return 1;
}

static int
parse_bool(const char *v, int *b_r)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (str_casecmp(v, yes[i]) == 0)
			return *b_r = 1, 0;
		if (str_casecmp(v, no[i]) == 0)
			return *b_r = 0, 0;
	}
	return -1;
}

/* ~/ at the start becomes $HOME/; the result must be absolute. */
static char *
expand_path(const char *v)
{
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (v[0] == '~' && v[1] == '/' && home && home[0] == '/') {
		buf_addstr(&b, home);
		buf_addstr(&b, v + 1);
		return buf_detach(&b, NULL);
	}
	if (v[0] != '/')
		return NULL;
	return xstrdup(v);
}

/* 64 hex digits after "sha256:", colons allowed; stores lower-case hex. */
static char *
parse_fingerprint(const char *v)
{
	char hex[65];
	size_t n = 0;

	if (!str_has_casefix(v, "sha256:"))
		return NULL;
	for (v += 7; *v; v++) {
		int c = (unsigned char)*v;

		if (c == ':')
			continue;
		if (c >= 'A' && c <= 'F')
			c += 'a' - 'A';
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return NULL;
		if (n == 64)
			return NULL;
		hex[n++] = (char)c;
	}
	if (n != 64)
		return NULL;
	hex[n] = '\0';
	return xstrdup(hex);
}

static int
valid_host(const char *s)
{
	for (; *s; s++)
		if (!is_name_char((unsigned char)*s) && *s != ':' &&
		    *s != '[' && *s != ']' && *s != '%')
			return 0;
	return 1;
}

/* An addr-spec as SMTP carries it: local@domain, no blanks, controls,
 * angle brackets or list separators, exactly one '@' before a domain of
 * non-empty labels (or an address literal).  Non-ASCII is allowed (RFC
 * 6531). */
static int
valid_addr(const char *a, size_t n)
{
	const char *at = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)a[i];

		if (c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == ',' ||
		    c == ';' || c == '"' || c == '(' || c == ')')
			return 0;
		if (c == '@' && at != NULL)
			return 0;
		if (c == '@')
			at = a + i;
	}
	if (at == NULL || at == a || at == a + n - 1 || n > 254)
		return 0;
	if (at[1] == '[')
		return a[n - 1] == ']';
	if (at[1] == '.' || a[n - 1] == '.')
		return 0;
	for (i = (size_t)(at - a) + 1; i + 1 < n; i++)
		if (a[i] == '.' && a[i + 1] == '.')
			return 0;
	return 1;
}

/* "Name <addr>" (nothing but blanks after the '>') or a bare addr. */
static int
valid_from(const char *v)
{
	const char *lt = strrchr(v, '<'), *gt;

	if (lt == NULL)
		return valid_addr(v, strlen(v));
	if ((gt = strchr(lt, '>')) == NULL || gt[1 + strspn(gt + 1, " \t")])
		return 0;
	return valid_addr(lt + 1, (size_t)(gt - lt - 1));
}

/*
 * identities: addresses as "from" takes them, separated by commas outside
 * quotes and angle brackets ("Martin, Alice" <a@x> holds one).
 */
static int
set_identities(struct parser *p, struct config_account *a, const char *sec,
    const char *v)
{
	const char *s = v, *e;
	int quoted, angle;

	while (*s) {
		char *one;

		quoted = angle = 0;
		for (e = s; *e && (quoted || angle || *e != ','); e++)
			if (*e == '"')
				quoted = !quoted;
			else if (!quoted && *e == '<')
				angle = 1;
			else if (!quoted && *e == '>')
				angle = 0;
		s += strspn(s, " \t");
		one = xstrndup(s, (size_t)(e - s));
		while (*one && strchr(" \t", one[strlen(one) - 1]))
			one[strlen(one) - 1] = '\0';
		if (!valid_from(one)) {
			perr(p, p->lineno, "'identities' in %s must be "
			    "addresses separated by commas, such as 'Alice "
			    "<alice@example.org>, alice@example.net', not '%s'",
			    sec, one);
			free(one);
			return -1;
		}
		a->identities = xreallocarray(a->identities,
		    a->nidentities + 1, sizeof(*a->identities));
		a->identities[a->nidentities++] = one;
		s = *e ? e + 1 : e;
		if (*e && s[strspn(s, " \t")] == '\0') /* a trailing comma */
			return perr(p, p->lineno, "'identities' in %s ends "
			    "with a comma", sec);
	}
	return 0;
}

static int
set_number(struct parser *p, const char *key, const char *v,
    unsigned long min, unsigned long max, unsigned *out)
{
	char sec[320];
	unsigned long n;

	if (str_to_ulong(v, max, &n) < 0 || n < min)
		return perr(p, p->lineno, "'%s' in %s must be a number from "
		    "%lu to %lu, not '%s'", key, section_name(p, sec,
		    sizeof(sec)), min, max, v);
	*out = (unsigned)n;
	return 0;
}

static int
set_bool(struct parser *p, const char *key, const char *v, int *out)
{
	char sec[320];

	if (parse_bool(v, out) < 0)
		return perr(p, p->lineno, "'%s' in %s must be yes or no, not "
		    "'%s'", key, section_name(p, sec, sizeof(sec)), v);
	return 0;
}

static int
account_key(struct parser *p, const char *key, const char *v)
{
	struct config_account *a = p->acct;
	char sec[320];
	int k;

	section_name(p, sec, sizeof(sec));
	for (k = 0; k < K_NAKEYS; k++)
		if (strcmp(key, akey_names[k]) == 0)
			break;
	if (k == K_NAKEYS)
		return perr(p, p->lineno, "unknown key '%s' in %s", key, sec);
	if (p->aline[k])
		return perr(p, p->lineno, "'%s' set twice in %s (first on "
		    "line %d)", key, sec, p->aline[k]);
	p->aline[k] = p->lineno;
	switch ((enum akey)k) {
	case K_PROTOCOL:
		if (str_casecmp(v, "imap") == 0)
			a->protocol = CONFIG_IMAP;
		else if (str_casecmp(v, "pop3") == 0)
			a->protocol = CONFIG_POP3;
		else
			return perr(p, p->lineno, "'protocol' in %s must be "
			    "imap or pop3, not '%s'", sec, v);
		return 0;
	case K_HOST:
		if (!valid_host(v))
			return perr(p, p->lineno, "'host' in %s is not a host "
			    "name or address: '%s'", sec, v);
		a->host = xstrdup(v);
		return 0;
	case K_PORT:
		return set_number(p, key, v, 1, 65535, &a->port);
	case K_TLS:
	case K_SMTP_TLS: {
		enum config_tls *t = k == K_TLS ? &a->tls : &a->smtp_tls;

		if (str_casecmp(v, "implicit") == 0)
			*t = CONFIG_TLS_IMPLICIT;
		else if (str_casecmp(v, "starttls") == 0)
			*t = CONFIG_TLS_STARTTLS;
		else if (str_casecmp(v, "none") == 0)
			*t = CONFIG_TLS_NONE;
		else
			return perr(p, p->lineno, "'%s' in %s must be "
			    "implicit, starttls or none, not '%s'", key, sec, v);
		return 0;
	}
	case K_FROM:
		/* One address, bare or "Name <addr>", whose addr SMTP can
		 * carry as the envelope sender; the sender (mime/) parses the
		 * rest. */
		if (!valid_from(v))
			return perr(p, p->lineno, "'from' in %s must be an "
			    "address such as 'Alice Martin <alice@example.org>'"
			    ", not '%s'", sec, v);
		a->from = xstrdup(v);
		return 0;
	case K_IDENTITIES:
		return set_identities(p, a, sec, v);
	case K_AUTH: case K_PROVIDER: case K_OAUTH2_CLIENT_ID:
	case K_OAUTH2_CLIENT_SECRET: case K_OAUTH2_CLIENT_SECRET_COMMAND:
	case K_OAUTH2_AUTH_URL: case K_OAUTH2_TOKEN_URL:
	case K_OAUTH2_DEVICE_URL: case K_OAUTH2_SCOPE:
	case K_OAUTH2_TOKEN_COMMAND: case K_OAUTH2_REFRESH_COMMAND:
	case K_OAUTH2_REFRESH_STORE_COMMAND:
		return config_oauth_key(p, (enum akey)k, v, sec);
	case K_SMTP_HOST:
		if (!valid_host(v))
			return perr(p, p->lineno, "'smtp_host' in %s is not a "
			    "host name or address: '%s'", sec, v);
		a->smtp_host = xstrdup(v);
		return 0;
	case K_SMTP_PORT:
		return set_number(p, key, v, 1, 65535, &a->smtp_port);
	case K_SMTP_USER:
		a->smtp_user = xstrdup(v);
		return 0;
	case K_SMTP_PASSWORD_COMMAND:
		a->smtp_password_command = xstrdup(v);
		return 0;
	case K_SENT_FOLDER:
		a->sent_folder = xstrdup(v);
		return 0;
	case K_DRAFTS_FOLDER:
		a->drafts_folder = xstrdup(v);
		return 0;
	case K_SIGNATURE: {
		char *path = expand_path(v);

		if (path == NULL)
			return perr(p, p->lineno, "'signature' in %s must be "
			    "an absolute path (or start with ~/), not '%s'",
			    sec, v);
		a->signature = path;
		return 0;
	}
	case K_USER:
		a->user = xstrdup(v);
		return 0;
	case K_PASSWORD: /* never echoed */
		a->password = xstrdup(v);
		return 0;
	case K_PASSWORD_COMMAND:
		a->password_command = xstrdup(v);
		return 0;
	case K_CA_FILE:
	case K_MAILDIR: {
		char *path = expand_path(v);

		if (path == NULL)
			return perr(p, p->lineno, "'%s' in %s must be an "
			    "absolute path (or start with ~/), not '%s'", key,
			    sec, v);
		if (k == K_CA_FILE)
			a->ca_file = path;
		else
			a->maildir = path;
		return 0;
	}
	case K_TLS_FINGERPRINT:
		if ((a->tls_fingerprint = parse_fingerprint(v)) == NULL)
			return perr(p, p->lineno, "'tls_fingerprint' in %s must "
			    "be sha256: followed by 64 hex digits", sec);
		return 0;
	case K_ALLOW_PLAINTEXT:
		return set_bool(p, key, v, &a->allow_plaintext);
	case K_TIMEOUT:
		return set_number(p, key, v, 1, 3600, &a->timeout);
	case K_KEEP_ON_SERVER:
		return set_bool(p, key, v, &a->keep_on_server);
	case K_KEEP_DAYS:
		return set_number(p, key, v, 0, 36500, &a->keep_days);
	case K_APOP:
		return set_bool(p, key, v, &a->apop);
	case K_ASSUMED_CHARSET:
		if (!config_valid_name(v))
			return perr(p, p->lineno, "'assumed_charset' in %s is "
			    "not a charset name: '%s'", sec, v);
		a->assumed_charset = xstrdup(v);
		return 0;
	default:
		abort();
	}
}

static int
general_key(struct parser *p, const char *key, const char *v)
{
	struct config *cfg = p->cfg;
	int k;

	for (k = 0; k < G_NGKEYS; k++)
		if (strcmp(key, gkey_names[k]) == 0)
			break;
	if (k == G_NGKEYS)
		return perr(p, p->lineno, "unknown key '%s' in [general]", key);
	if (p->gline[k])
		return perr(p, p->lineno, "'%s' set twice in [general] (first "
		    "on line %d)", key, p->gline[k]);
	p->gline[k] = p->lineno;
	switch ((enum gkey)k) {
	case G_THEME:
		free(cfg->theme);
		cfg->theme = xstrdup(v);
		return 0;
	case G_ASSUMED_CHARSET:
		if (!config_valid_name(v))
			return perr(p, p->lineno, "'assumed_charset' in "
			    "[general] is not a charset name: '%s'", v);
		cfg->assumed_charset = xstrdup(v);
		return 0;
	case G_PREFER:
		if (strcmp(v, "plain") != 0 && strcmp(v, "html") != 0)
			return perr(p, p->lineno, "'prefer' in [general] must "
			    "be plain or html, not '%s'", v);
		free(cfg->prefer);
		cfg->prefer = xstrdup(v);
		return 0;
	case G_EDITOR:
		free(cfg->editor);
		cfg->editor = xstrdup(v);
		return 0;
	case G_TEXT_FLOWED:
		return set_bool(p, key, v, &cfg->text_flowed);
	case G_SIDEBAR:
		return set_bool(p, key, v, &cfg->sidebar);
	case G_QUERY_COMMAND:
		free(cfg->query_command);
		cfg->query_command = xstrdup(v);
		return 0;
	case G_FORWARD:
		if (strcmp(v, "inline") != 0 && strcmp(v, "attachment") != 0)
			return perr(p, p->lineno, "'forward' in [general] must "
			    "be inline or attachment, not '%s'", v);
		cfg->forward_attachment = strcmp(v, "attachment") == 0;
		return 0;
	case G_PIPE_SPLIT:
		return set_bool(p, key, v, &cfg->pipe_split);
	case G_HYPERLINKS:
		if (strcmp(v, "auto") != 0 && strcmp(v, "yes") != 0 &&
		    strcmp(v, "no") != 0)
			return perr(p, p->lineno, "'hyperlinks' in [general] "
			    "must be auto, yes or no, not '%s'", v);
		cfg->hyperlinks = strcmp(v, "yes") == 0 ? CONFIG_LINKS_YES :
		    strcmp(v, "no") == 0 ? CONFIG_LINKS_NO : CONFIG_LINKS_AUTO;
		return 0;
	case G_OPEN_COMMAND:
	case G_PAGER_FILTER:
	case G_NEW_MAIL_COMMAND: {
		char **f = k == G_OPEN_COMMAND ? &cfg->open_command :
		    k == G_PAGER_FILTER ? &cfg->pager_filter :
		    &cfg->new_mail_command;

		*f = xstrdup(v);
		return 0;
	}
	default:
		abort();
	}
}

static int
keys_key(struct parser *p, const char *key, const char *v)
{
	struct config *cfg = p->cfg;
	size_t i;

	if (cfg->nkeys == CONFIG_MAX_KEYS)
		return perr(p, p->lineno, "more than %d key bindings",
		    CONFIG_MAX_KEYS);
	for (i = 0; i < cfg->nkeys; i++)
		if (strcmp(cfg->keys[i].key, key) == 0)
			return perr(p, p->lineno, "key '%s' bound twice in "
			    "[keys] (first on line %d)", key,
			    cfg->keys[i].line);
	cfg->keys = xreallocarray(cfg->keys, cfg->nkeys + 1,
	    sizeof(*cfg->keys));
	cfg->keys[cfg->nkeys].key = xstrdup(key);
	cfg->keys[cfg->nkeys].command = xstrdup(v);
	cfg->keys[cfg->nkeys].line = p->lineno;
	cfg->nkeys++;
	return 0;
}

/* Cross-key checks and defaults of the account just finished. */
static int
finish_account(struct parser *p)
{
	struct config_account *a = p->acct;
	char sec[320];

	if (a == NULL)
		return 0;
	section_name(p, sec, sizeof(sec));
	if (config_oauth_finish(p, sec) < 0)
		return -1;
	if (a->host == NULL)
		return perr(p, a->line, "%s has no 'host'", sec);
	if (a->user == NULL)
		return perr(p, a->line, "%s has no 'user'", sec);
	if (a->password && a->password_command)
		return perr(p, p->aline[K_PASSWORD_COMMAND], "%s sets both "
		    "'password' and 'password_command' (line %d); keep one",
		    sec, p->aline[K_PASSWORD]);
	if (a->tls == CONFIG_TLS_NONE && !a->allow_plaintext)
		return perr(p, p->aline[K_TLS], "'tls = none' in %s sends "
		    "the password in clear text; it needs 'allow_plaintext = "
		    "yes'", sec);
	if (a->protocol == CONFIG_IMAP) {
		static const enum akey pop_only[] = { K_KEEP_ON_SERVER,
			K_KEEP_DAYS, K_APOP, K_MAILDIR };
		size_t i;

		for (i = 0; i < sizeof(pop_only) / sizeof(pop_only[0]); i++)
			if (p->aline[pop_only[i]])
				return perr(p, p->aline[pop_only[i]], "'%s' in "
				    "%s applies to POP3 accounts only (IMAP "
				    "always keeps mail on the server)",
				    akey_names[pop_only[i]], sec);
		a->keep_on_server = 1;
	} else if (a->keep_days > 0 && !a->keep_on_server) {
		return perr(p, p->aline[K_KEEP_DAYS], "'keep_days' in %s needs "
		    "'keep_on_server = yes'", sec);
	}
	if (!p->aline[K_SMTP_TLS])
		a->smtp_tls = p->aline[K_SMTP_PORT] && a->smtp_port == 587 ?
		    CONFIG_TLS_STARTTLS : CONFIG_TLS_IMPLICIT;
	if (a->smtp_tls == CONFIG_TLS_NONE && !a->allow_plaintext)
		return perr(p, p->aline[K_SMTP_TLS], "'smtp_tls = none' in %s "
		    "sends the password in clear text; it needs "
		    "'allow_plaintext = yes'", sec);
	if (a->smtp_port == 0)
		a->smtp_port = a->smtp_tls == CONFIG_TLS_IMPLICIT ? 465 : 587;
	if (a->port == 0) {
		int tls = a->tls == CONFIG_TLS_IMPLICIT;

		if (a->protocol == CONFIG_IMAP)
			a->port = tls ? 993 : 143;
		else
			a->port = tls ? 995 : 110;
	}
	p->acct = NULL;
	p->sec = S_NONE;
	return 0;
}

static int
start_section(struct parser *p, char *name)
{
	struct config *cfg = p->cfg;
	struct config_account *a;
	size_t i;

	if (finish_account(p) < 0)
		return -1;
	if (strcmp(name, "general") == 0) {
		if (p->seen_general)
			return perr(p, p->lineno, "[general] appears twice "
			    "(first on line %d)", p->seen_general);
		p->seen_general = p->lineno;
		p->sec = S_GENERAL;
		return 0;
	}
	if (strcmp(name, "keys") == 0) {
		if (p->seen_keys)
			return perr(p, p->lineno, "[keys] appears twice (first "
			    "on line %d)", p->seen_keys);
		p->seen_keys = p->lineno;
		p->sec = S_KEYS;
		return 0;
	}
	if (strcmp(name, "searches") == 0) {
		if (p->seen_searches)
			return perr(p, p->lineno, "[searches] appears twice "
			    "(first on line %d)", p->seen_searches);
		p->seen_searches = p->lineno;
		p->sec = S_SEARCHES;
		return 0;
	}
	if (strncmp(name, "account", 7) != 0 ||
	    (name[7] != ' ' && name[7] != '\t'))
		return perr(p, p->lineno, "unknown section [%s] (expected "
		    "[general], [account NAME], [keys] or [searches])", name);
	name = str_trim(name + 7);
	if (!config_valid_name(name))
		return perr(p, p->lineno, "account name '%s' may only contain "
		    "letters, digits, '.', '_' and '-'", name);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return perr(p, p->lineno, "'%s' is not a usable account name",
		    name);
	if (cfg->naccounts == CONFIG_MAX_ACCOUNTS)
		return perr(p, p->lineno, "more than %d accounts",
		    CONFIG_MAX_ACCOUNTS);
	for (i = 0; i < cfg->naccounts; i++)
		if (strcmp(cfg->accounts[i].name, name) == 0)
			return perr(p, p->lineno, "account '%s' is defined "
			    "twice (first on line %d)", name,
			    cfg->accounts[i].line);
	cfg->accounts = xreallocarray(cfg->accounts, cfg->naccounts + 1,
	    sizeof(*cfg->accounts));
	a = &cfg->accounts[cfg->naccounts++];
	memset(a, 0, sizeof(*a));
	a->name = xstrdup(name);
	a->protocol = CONFIG_IMAP;
	a->tls = CONFIG_TLS_IMPLICIT;
	a->timeout = 30;
	a->keep_on_server = 1; /* nothing is deleted unless asked for */
	a->line = p->lineno;
	memset(p->aline, 0, sizeof(p->aline));
	p->acct = a;
	p->sec = S_ACCOUNT;
	return 0;
}

/* After a value or header: only blanks or a comment may follow. */
static int
only_comment(const char *s)
{
	s += strspn(s, " \t");
	return *s == '\0' || *s == '#';
}

/*
 * Reads a value at s: a quoted string with \" and \\ escapes, or bare text
 * up to a '#' that follows a blank.  Appends it to out.
 */
static int
parse_value(struct parser *p, const char *key, const char *s, struct buf *out)
{
	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\') {
				if (s[1] != '"' && s[1] != '\\')
					return perr(p, p->lineno, "bad escape "
					    "in the value of '%s' (only \\\" "
					    "and \\\\)", key);
				s++;
			}
			buf_addch(out, *s);
		}
		if (*s != '"')
			return perr(p, p->lineno, "unterminated quote in the "
			    "value of '%s'", key);
		if (!only_comment(s + 1))
			return perr(p, p->lineno, "text after the closing quote "
			    "of '%s'", key);
	} else {
		const char *e = s;

		for (; *e; e++)
			if (*e == '#' && (e[-1] == ' ' || e[-1] == '\t'))
				break;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		buf_add(out, s, (size_t)(e - s));
	}
	return 0;
}

static int
parse_line(struct parser *p, char *line)
{
	struct buf key = BUF_INIT, val = BUF_INIT;
	char sec[320], *s = line, *e;
	int rc = -1;

	buf_secret(&val); /* may be a password */
	s += strspn(s, " \t");
	if (*s == '\0' || *s == '#')
		return 0;
	if (*s == '[') {
		if ((e = strchr(s, ']')) == NULL)
			return perr(p, p->lineno, "section header without ']'");
		if (!only_comment(e + 1))
			return perr(p, p->lineno, "text after the section "
			    "header");
		*e = '\0';
		return start_section(p, str_trim(s + 1));
	}
	/* The key: a word, or in [keys] also a quoted string ("#" = ...). */
	if (*s == '"' && p->sec == S_KEYS) {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				s++;
			buf_addch(&key, *s);
		}
		if (*s++ != '"') {
			perr(p, p->lineno, "unterminated quote in a key name");
			goto out;
		}
	} else {
		e = s + strcspn(s, " \t=");
		buf_add(&key, s, (size_t)(e - s));
		s = e;
	}
	s += strspn(s, " \t");
	if (key.len == 0 || *s != '=') {
		perr(p, p->lineno, "expected 'key = value' in %s",
		    section_name(p, sec, sizeof(sec)));
		goto out;
	}
	s++;
	s += strspn(s, " \t");
	if (p->sec == S_NONE) {
		perr(p, p->lineno, "key '%s' before any section (start with "
		    "[general] or [account NAME])", buf_cstr(&key));
		goto out;
	}
	if (parse_value(p, buf_cstr(&key), s, &val) < 0)
		goto out;
	if (val.len == 0) {
		perr(p, p->lineno, "'%s' in %s has an empty value",
		    buf_cstr(&key), section_name(p, sec, sizeof(sec)));
		goto out;
	}
	if (p->sec == S_GENERAL)
		rc = general_key(p, buf_cstr(&key), buf_cstr(&val));
	else if (p->sec == S_KEYS)
		rc = keys_key(p, buf_cstr(&key), buf_cstr(&val));
	else if (p->sec == S_SEARCHES)
		rc = config_searches_key(p, buf_cstr(&key), buf_cstr(&val));
	else
		rc = account_key(p, buf_cstr(&key), buf_cstr(&val));
out:
	buf_free(&val); /* wiped: secret */
	buf_free(&key);
	return rc;
}

static int
parse(const char *path, const char *text, size_t len, int mode,
    struct config **cfg_r, struct error *err)
{
	struct parser p;
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	struct buf line = BUF_INIT;
	size_t i = 0;
	int rc = -1;

	memset(&p, 0, sizeof(p));
	buf_secret(&line); /* a line may hold a password */
	p.path = path;
	p.cfg = cfg;
	p.err = err;
	cfg->path = xstrdup(path);
	cfg->theme = xstrdup("default");
	cfg->prefer = xstrdup("plain");
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* a UTF-8 byte order mark some editors write */
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i, j;

		p.lineno++;
		buf_reset(&line);
		buf_add(&line, text + i, n);
		i += n + (nl != NULL);
		if (line.len > 0 && line.data[line.len - 1] == '\r')
			buf_truncate(&line, line.len - 1);
		for (j = 0; j < line.len; j++) {
			unsigned char c = (unsigned char)line.data[j];

			if ((c < 0x20 && c != '\t') || c == 0x7F) {
				perr(&p, p.lineno, "control character (byte "
				    "0x%02X) in the file", c);
				goto out;
			}
		}
		if (parse_line(&p, line.data) < 0)
			goto out;
	}
	if (finish_account(&p) < 0 || config_finish_searches(&p) < 0)
		goto out;
	if (mode >= 0 && (mode & (S_IRGRP | S_IROTH))) {
		for (i = 0; i < cfg->naccounts; i++) {
			if (cfg->accounts[i].password == NULL)
				continue;
			error_set(err, "%s: 'password' in [account %s] refused: "
			    "%s is readable by others; chmod 600 %s or use "
			    "password_command", path, cfg->accounts[i].name,
			    path, path);
			goto out;
		}
	}
	rc = 0;
	*cfg_r = cfg;
	cfg = NULL;
out:
	buf_free(&line); /* wiped: secret */
	config_free(&cfg);
	return rc;
}

int
config_parse(const char *path, const char *text, size_t len,
    struct config **cfg_r, struct error *err)
{
	return parse(path, text, len, -1, cfg_r, err);
}

/* keep_passwords: 0 for config_load (it keeps none in memory), 1 when a
 * login reads one again (config_reread_password). */
static int
load(const char *path, int keep_passwords, struct config **cfg_r,
    struct error *err)
{
	struct buf text = BUF_INIT;
	struct stat st;
	size_t i;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return error_set(err, "no configuration file at %s; "
			    "run postie in a terminal to set up an account, "
			    "or write the file (an example is in `man "
			    "postie.conf`), or name another with -c FILE",
			    path);
		return error_errno(err, errno, "cannot open %s", path);
	}
	buf_secret(&text);
	if (fstat(fd, &st) < 0) {
		rc = error_errno(err, errno, "cannot read %s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = error_set(err, "%s is not a regular file", path);
		goto out;
	}
	/* Whoever can write the file can set a password_command, which
	 * runs as this user (ssh refuses such a config for the same
	 * reason).  Root's files are trusted, as ssh does. */
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		rc = error_set(err, "refusing to read %s: it belongs to "
		    "another user (uid %lu), who could make it run commands "
		    "as you; use a file of your own", path,
		    (unsigned long)st.st_uid);
		goto out;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		rc = error_set(err, "refusing to read %s: others can "
		    "write to it and so make it run commands as you; run "
		    "chmod go-w %s", path, path);
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (text.len > CONFIG_MAX_SIZE) {
			rc = error_set(err, "%s is larger than %d bytes; that "
			    "is not a postie configuration", path,
			    CONFIG_MAX_SIZE);
			goto out;
		}
		buf_grow(&text, 8192);
		n = read(fd, text.data + text.len, text.cap - text.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = error_errno(err, errno, "cannot read %s", path);
			goto out;
		}
		if (n == 0)
			break;
		text.len += (size_t)n;
		text.data[text.len] = '\0';
	}
	rc = parse(path, text.data, text.len, (int)(st.st_mode & 07777),
	    cfg_r, err);
	/* A password is held only while logging in: config_password reads
	 * it again from the file then. */
	for (i = 0; rc == 0 && !keep_passwords && i < (*cfg_r)->naccounts;
	    i++) {
		struct config_account *a = &(*cfg_r)->accounts[i];

		if (a->password == NULL)
			continue;
		explicit_bzero(a->password, strlen(a->password));
		free(a->password);
		a->password = NULL;
		a->password_file = xstrdup(path);
	}
out:
	close(fd);
	buf_free(&text); /* wiped: secret */
	return rc;
}

int
config_load(const char *path, struct config **cfg_r, struct error *err)
{
	return load(path, 0, cfg_r, err);
}

char *
config_reread_password(const char *path, const char *name,
    struct error *err)
{
	struct config *cfg = NULL;
	const struct config_account *a;
	char *pw = NULL;

	if (load(path, 1, &cfg, err) < 0) {
		error_prefix(err, "cannot read the password of account '%s' "
		    "again", name);
		return NULL;
	}
	if ((a = config_account(cfg, name)) == NULL || a->password == NULL)
		error_set(err, "account '%s' has no 'password' in %s any "
		    "more; restart postie after changing its configuration",
		    name, path);
	else
		pw = xstrdup(a->password);
	config_free(&cfg); /* wipes the password */
	return pw;
}
