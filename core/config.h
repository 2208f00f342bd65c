/*
 * config: the configuration file (doc/postie.conf.5; doc/HACKING.md, How
 * to add…, a config key).
 *
 * Format: INI-like.  "[general]", "[account NAME]" and "[keys]" sections;
 * "key = value" lines; '#' starts a comment at the start of a line or after
 * whitespace; blank lines ignored.  Values may be wrapped in double quotes
 * (then '#' inside is kept, and \" and \\ are escapes).
 *
 * Contract:
 *   - config_load() returns 0 and a complete struct config, or -1 with an
 *     error naming the file, the line and the key ("FILE:LINE: unknown key
 *     'hots' in [account work]").
 *   - Unknown sections and unknown keys are errors; so are duplicate
 *     accounts, duplicate keys in one section, missing host or user, bad
 *     numbers, ports out of range, tls = none without allow_plaintext = yes,
 *     keep_days without keep_on_server = yes, keep_on_server on an IMAP
 *     account, and both password and password_command.
 *   - config_load(): a missing file is an error that says where postie
 *     looked; a file that group or others can write, or that another
 *     user than this one or root owns, is refused (whoever can write it
 *     can set password_command); a "password" in a file readable by
 *     group or others is refused.  A "password" is not kept: only
 *     password_file is set, and config_password() reads the file again
 *     (same checks) at each login.
 *   - Defaults are filled in: protocol imap, tls implicit, port from
 *     protocol and tls (993/143, 995/110), timeout 30 (1..3600),
 *     keep_on_server yes (POP3 deletes only when asked to), keep_days 0,
 *     theme "default", prefer "plain".
 *   - Booleans: yes/no, true/false, on/off, 1/0.  Account names:
 *     [A-Za-z0-9._-]+ (they name folders on disk).  Port 1..65535.
 *     ca_file and maildir must be absolute or start with "~/" ($HOME).
 *     Empty values, control characters, files over 1 MiB, more than 1000
 *     accounts or 1000 key bindings are errors.
 *   - "[keys]" lines are "KEY = COMMAND" (KEY may be quoted, e.g. "#"),
 *     stored as given in file order; the UI validates them.
 *   - "[searches]" lines are "NAME = [SCOPE:] PATTERN": SCOPE is a comma
 *     list of ACCOUNT or ACCOUNT/FOLDER, ended by a colon; it is read as
 *     a scope only when the text before the first colon holds no
 *     pattern character (~ = ! | ( " ').  Every account named must exist
 *     and the pattern must parse (core/pattern_parse.h); a bad pattern is
 *     reported with its column in the pattern.  NAME follows the account
 *     name rule and may not be an account's name.
 *   - Passwords are stored but never appear in an error message.
 * The struct is owned by the caller and released with config_free().
 */
#ifndef POSTIE_CORE_CONFIG_H
#define POSTIE_CORE_CONFIG_H

#include <stddef.h>

#include "core/error.h"

enum config_protocol {
	CONFIG_IMAP,
	CONFIG_POP3,
};

enum config_tls {
	CONFIG_TLS_IMPLICIT, /* the default */
	CONFIG_TLS_STARTTLS, /* STARTTLS / STLS, required */
	CONFIG_TLS_NONE,     /* plaintext; needs allow_plaintext = yes */
};

enum config_auth {
	CONFIG_AUTH_PASSWORD, /* the default */
	CONFIG_AUTH_OAUTH2,   /* OAUTHBEARER / XOAUTH2 with an access token */
};

enum config_provider {
	CONFIG_PROVIDER_NONE,
	CONFIG_PROVIDER_GMAIL,
	CONFIG_PROVIDER_OUTLOOK,
};

struct config_account {
	char *name;
	enum config_protocol protocol;
	char *host;
	unsigned port;
	enum config_tls tls;
	char *user;
	char *password;         /* NULL unless set in text given to
				   config_parse (config_load keeps none) */
	char *password_file;    /* config_load: the file has a password for
				   this account, read again by
				   config_password at each login; or NULL */
	char *password_command; /* NULL unless set */
	char *ca_file;          /* NULL unless set */
	char *tls_fingerprint;  /* written "sha256:HEX" (colons allowed, any
				   case); stored as the 64 lower-case hex
				   digits alone, or NULL */
	int allow_plaintext;
	unsigned timeout;       /* seconds, >= 1 */
	int keep_on_server;     /* POP3 only; always 1 for IMAP */
	unsigned keep_days;     /* 0 = never delete (with keep_on_server) */
	int apop;               /* POP3: use APOP (weak, MD5) */
	char *maildir;          /* POP3: Maildir path override, or NULL */
	char *assumed_charset;  /* charset for unlabelled 8-bit text, or NULL */
	/* Sending (all optional; without from the account cannot send). */
	char *from;             /* "Name <addr>" as written, or NULL */
	char *smtp_host;        /* NULL: host */
	unsigned smtp_port;     /* 465 (implicit) or 587 (starttls) by default */
	enum config_tls smtp_tls; /* implicit unless smtp_tls or port 587 */
	char *smtp_user;        /* NULL: user */
	char *smtp_password_command; /* NULL: the account's password */
	char *sent_folder;      /* NULL: the \Sent folder, else "Sent" */
	char *drafts_folder;    /* NULL: the \Drafts folder, else "Drafts" */
	char *signature;        /* absolute path, or NULL */
	char **identities;      /* further From addresses ("Name <addr>" as
				   written, each checked as from is) */
	size_t nidentities;
	/* Sign-in (doc/postie.conf.5, "OAuth2").  With provider set, the
	 * parser has filled in hosts, ports, URLs and scope not written. */
	enum config_auth auth;
	enum config_provider provider;
	char *oauth2_client_id;       /* these: NULL unless set */
	char *oauth2_client_secret;
	char *oauth2_client_secret_command;
	char *oauth2_auth_url;
	char *oauth2_token_url;
	char *oauth2_device_url;
	char *oauth2_scope;
	char *oauth2_token_command;   /* its stdout is the access token */
	char *oauth2_refresh_command; /* prints the stored refresh token */
	char *oauth2_refresh_store_command; /* stores the one on stdin */
	int line;               /* line of the [account] header, for messages */
};

struct config_key {
	char *key;     /* as written: "j", "C-l", "<pagedown>", ... */
	char *command; /* command name */
	int line;
};

/* One place a saved search looks: an account, and one of its folders
 * or (folder NULL) all of them. */
struct config_scope {
	char *account;
	char *folder;
};

/* A saved search ([searches] NAME = [SCOPE:] PATTERN): a virtual folder. */
struct config_search {
	char *name;
	char *pattern;              /* Mutt's pattern, "" for every message */
	struct config_scope *scope; /* nscope == 0: every folder of every
				       account */
	size_t nscope;
	int line;
};

struct config {
	char *path; /* the file read */
	char *theme;
	char *assumed_charset;  /* [general] default, or NULL */
	char *prefer;           /* "plain" (default) or "html" */
	char *editor;           /* [general] editor, or NULL ($VISUAL...) */
	int forward_attachment; /* forward = attachment (default inline) */
	char *query_command;    /* address lookup (Mutt's), or NULL */
	int text_flowed;        /* write format=flowed (default no) */
	int sidebar;            /* the index starts with the folder sidebar
				   (default no; B toggles it) */
	/* Opens a link: its words (no shell) then the URL as one argument;
	 * NULL: xdg-open. */
	char *open_command;
	/* The pager shows what this shell command prints when given the
	 * message on stdin, or NULL. */
	char *pager_filter;
	/* Run (no shell) with account, folder, new and unread counts as
	 * arguments when a sync finds new mail, or NULL. */
	char *new_mail_command;
	/* ;| pipes each tagged message to its own run of the command
	 * (Mutt's pipe_split; default no: one run, the messages as an
	 * mbox). */
	int pipe_split;
	/* OSC 8 hyperlinks on the pager's links (default auto: when the
	 * terminal is known to show them). */
	enum { CONFIG_LINKS_AUTO, CONFIG_LINKS_YES, CONFIG_LINKS_NO }
	    hyperlinks;
	struct config_account *accounts;
	size_t naccounts;
	struct config_key *keys;
	size_t nkeys;
	struct config_search *searches; /* in file order */
	size_t nsearches;
};

/* Reads and validates path.  On error *cfg_r is untouched. */
int config_load(const char *path, struct config **cfg_r, struct error *err);
/* Parses text as if read from path (for tests and fuzzing); the file mode
 * check is skipped.  Same contract as config_load otherwise. */
int config_parse(const char *path, const char *text, size_t len,
    struct config **cfg_r, struct error *err);
void config_free(struct config **cfg);
/* The account named name, or NULL. */
const struct config_account *config_account(const struct config *cfg,
    const char *name);
/* The saved search named name, or NULL. */
const struct config_search *config_search(const struct config *cfg,
    const char *name);
/* Words for the UI and `postie accounts`. */
const char *config_protocol_name(enum config_protocol p); /* imap | pop3 */
const char *config_protocol_label(enum config_protocol p); /* IMAP | POP3 */
/* Whether the account leaves every message on the server: IMAP always
 * does, POP3 with keep_on_server and no keep_days. */
int config_keeps_all(const struct config_account *a);
const char *config_tls_name(enum config_tls t); /* tls | starttls | plaintext */
/* "keep-on-server", "download-and-delete", "keep-on-server-N-days";
 * written into out (size >= 48). */
const char *config_mode_name(const struct config_account *a, char *out,
    size_t outsize);
/* "keeps mail on server", "downloads and deletes",
 * "keeps on server for N days". */
const char *config_mode_words(const struct config_account *a, char *out,
    size_t outsize);
/*
 * Obtains the password: runs password_command through /bin/sh -c
 * (core/spawn.h: stdin is /dev/null, stdout and stderr are pipes, so
 * nothing it prints reaches a terminal the TUI is drawing on; a passphrase
 * is asked for by a pinentry, as gpg-agent does) and takes its first line
 * of output without CR/LF, at most 4096 bytes, or uses password.  Blocks
 * until the command exits, at most CONFIG_PASSWORD_SECONDS (time enough to
 * type a passphrase into a pinentry); then the command is killed and that
 * is the error.  Safe in a threaded process.  Returns a string the caller
 * frees (after wiping it), or NULL with an error naming the account: no
 * password configured, exit status, signal, empty output, or timeout,
 * followed by the first line the command wrote on stderr (cleaned).  The
 * error never contains the output.
 */
#define CONFIG_PASSWORD_SECONDS 120
char *config_password(const struct config_account *a, struct error *err);
/* The same with another bound (tests). */
char *config_password_within(const struct config_account *a,
    unsigned seconds, struct error *err);
/* The "password" of account name, read again from the file at path with
 * config_load's checks (config_password uses it); freed and wiped like
 * config_password's, or NULL with an error. */
char *config_reread_password(const char *path, const char *name,
    struct error *err);
/* The password for sending: smtp_password_command when set (same rules
 * and bound as password_command; the error names the key), else
 * config_password(). */
/* auth = oauth2: the access token oauth2_token_command prints (the
 * rules of password_command, bounded by four times the account's
 * timeout; the error names the key and never holds the output).  Freed
 * and wiped like a password. */
char *config_oauth2_token(const struct config_account *a, struct error *err);
char *config_smtp_password(const struct config_account *a,
    struct error *err);
/* The editor command: [general] editor, else $VISUAL, else $EDITOR (when
 * not empty), else "vi". */
const char *config_editor(const struct config *cfg);

#endif
