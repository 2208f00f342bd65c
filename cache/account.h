/*
 * account: the account model the UI shows and `postie accounts` prints
 * (doc/postie.1), built from a config_account.  Pure: no I/O, no state.
 *
 * Contract: account_init() never fails; the struct borrows the config
 * account (cfg and name point into it), so it lives no longer than the
 * struct config.  The words are fixed strings or copies inside the struct.
 */
#ifndef POSTIE_CACHE_ACCOUNT_H
#define POSTIE_CACHE_ACCOUNT_H

#include "core/config.h"

enum account_security {
	ACCOUNT_SEC_TLS,       /* implicit TLS */
	ACCOUNT_SEC_STARTTLS,  /* STARTTLS / STLS, required */
	ACCOUNT_SEC_PLAINTEXT, /* no TLS: insecure */
};

enum account_mode {
	ACCOUNT_MODE_KEEP,        /* IMAP, or POP3 keep_on_server forever */
	ACCOUNT_MODE_DELETE,      /* POP3: download and delete */
	ACCOUNT_MODE_KEEP_DAYS,   /* POP3: keep on server for keep_days days */
};

/* Where a worker is; the UI shows account_state_name(). */
enum account_state {
	ACCOUNT_OFFLINE,    /* no worker, or not connected */
	ACCOUNT_CONNECTING,
	ACCOUNT_SYNCING,
	ACCOUNT_ONLINE,     /* connected and up to date (idle) */
	ACCOUNT_ERROR,      /* last attempt failed; see the status sentence */
};

struct account {
	const struct config_account *cfg; /* borrowed */
	const char *name;                 /* == cfg->name */
	enum config_protocol protocol;
	enum account_security security;
	int insecure;                     /* security == PLAINTEXT */
	/* It sends (has a from) over plaintext SMTP (smtp_tls = none):
	 * shown as INSECURE too, though it may read over TLS. */
	int send_insecure;
	enum account_mode mode;
	unsigned keep_days;               /* ACCOUNT_MODE_KEEP_DAYS only */
	char mode_name[48];  /* keep-on-server | download-and-delete |
				keep-on-server-N-days */
	char mode_words[48]; /* keeps mail on server | downloads and deletes |
				keeps on server for N days */
};

void account_init(struct account *a, const struct config_account *cfg);
/* "tls", "starttls", "plaintext". */
const char *account_security_name(enum account_security s);
/* "offline", "connecting", "syncing", "online", "error". */
const char *account_state_name(enum account_state s);

#endif
