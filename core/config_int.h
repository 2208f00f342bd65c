/*
 * config_int: private to core/config_parse.c and core/config_search.c,
 * the parser's state while it reads one file (the contract is config.h).
 */
#ifndef POSTIE_CORE_CONFIG_INT_H
#define POSTIE_CORE_CONFIG_INT_H

#include "core/config.h"
#include "core/error.h"

enum akey {
	K_PROTOCOL, K_HOST, K_PORT, K_TLS, K_USER, K_PASSWORD,
	K_PASSWORD_COMMAND, K_CA_FILE, K_TLS_FINGERPRINT, K_ALLOW_PLAINTEXT,
	K_TIMEOUT, K_KEEP_ON_SERVER, K_KEEP_DAYS, K_APOP, K_MAILDIR,
	K_ASSUMED_CHARSET, K_FROM, K_SMTP_HOST, K_SMTP_PORT, K_SMTP_TLS,
	K_SMTP_USER, K_SMTP_PASSWORD_COMMAND, K_SENT_FOLDER, K_DRAFTS_FOLDER,
	K_SIGNATURE, K_IDENTITIES,
	/* OAuth2 sign-in: core/config_oauth.c */
	K_AUTH, K_PROVIDER, K_OAUTH2_CLIENT_ID, K_OAUTH2_CLIENT_SECRET,
	K_OAUTH2_CLIENT_SECRET_COMMAND, K_OAUTH2_AUTH_URL, K_OAUTH2_TOKEN_URL,
	K_OAUTH2_DEVICE_URL, K_OAUTH2_SCOPE, K_OAUTH2_TOKEN_COMMAND,
	K_OAUTH2_REFRESH_COMMAND, K_OAUTH2_REFRESH_STORE_COMMAND, K_NAKEYS
};

enum gkey { G_THEME, G_ASSUMED_CHARSET, G_PREFER, G_EDITOR, G_FORWARD,
	G_QUERY_COMMAND, G_TEXT_FLOWED, G_OPEN_COMMAND, G_PAGER_FILTER,
	G_NEW_MAIL_COMMAND, G_PIPE_SPLIT, G_HYPERLINKS, G_SIDEBAR, G_NGKEYS };

enum section { S_NONE, S_GENERAL, S_ACCOUNT, S_KEYS, S_SEARCHES };

struct parser {
	const char *path;
	struct config *cfg;
	struct error *err;
	int lineno;
	enum section sec;
	int seen_general, seen_keys, seen_searches;
	int gline[G_NGKEYS];
	/* Line of each key of the current account (0 = not set). */
	int aline[K_NAKEYS];
	struct config_account *acct;
};

/* The key's name as written in the file. */
const char *config_akey_name(enum akey k);
/* Sets p->err to "PATH:LINE: sentence"; returns -1. */
int config_perr(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Its short name in the parser's files, where it is on every line. */
#define perr config_perr
/* Letters, digits, '.', '_', '-': account and search names. */
int config_valid_name(const char *s);

/* config_search.c: a [searches] line, and the checks once the whole file
 * is read (every account a search names exists). */
int config_searches_key(struct parser *p, const char *key, const char *v);
int config_finish_searches(struct parser *p);

/* config_oauth.c: the keys K_AUTH.. of the current account, and its
 * checks and provider defaults, run before the account's other checks. */
int config_oauth_key(struct parser *p, enum akey k, const char *v,
    const char *sec);
int config_oauth_finish(struct parser *p, const char *sec);

#endif
