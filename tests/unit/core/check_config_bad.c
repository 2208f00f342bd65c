/* Unit tests of core/config: every kind of bad file, and its message. */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "tests/unit/core/check_core.h"

#define ACCT "[account work]\nhost = h\nuser = u\n"
#define POP "[account p]\nprotocol = pop3\nhost = h\nuser = u\n"

struct bad {
	const char *text;
	int line;
	const char *want1; /* substrings the message must contain */
	const char *want2;
};

static const struct bad bad[] = {
	/* unknown keys and sections */
	{ ACCT "hots = x\n", 4, "unknown key 'hots'", "[account work]" },
	{ "[general]\ncolour = red\n", 2, "unknown key 'colour'", "[general]" },
	{ "[genral]\n", 1, "unknown section [genral]", NULL },
	{ "[account]\n", 1, "unknown section [account]", NULL },
	{ "# c\nhost = x\n", 2, "'host' before any section", NULL },
	/* syntax */
	{ "[general\n", 1, "without ']'", NULL },
	{ "[general] x\n", 1, "text after the section header", NULL },
	{ ACCT "port\n", 4, "expected 'key = value'", "[account work]" },
	{ ACCT "= 5\n", 4, "expected 'key = value'", NULL },
	{ ACCT "user2 = \"abc\n", 4, "unterminated quote", "user2" },
	{ "[account w]\nhost = h\nuser = \"a\" b\n", 3, "after the closing "
	    "quote", "'user'" },
	{ "[account w]\nhost = h\nuser = \"a\\q\"\n", 3, "bad escape", "'user'" },
	{ ACCT "timeout =\n", 4, "'timeout'", "empty value" },
	{ ACCT "timeout = # none\n", 4, "'timeout'", "empty value" },
	{ "[general]\ntheme = a\x01" "b\n", 2, "control character", NULL },
	/* duplicates */
	{ ACCT "host = h2\n", 4, "'host' set twice", "first on line 2" },
	{ ACCT "\n" ACCT, 5, "account 'work' is defined twice",
	    "first on line 1" },
	{ "[general]\n[general]\n", 2, "[general] appears twice", NULL },
	{ "[general]\nopen_command =   \n", 2, "'open_command' in [general] has an empty value",
	    NULL },
	{ "[general]\nnew_mail_command = a\nnew_mail_command = b\n", 3,
	    "'new_mail_command' set twice", NULL },
	{ "[general]\ntheme = a\ntheme = b\n", 3, "'theme' set twice",
	    "[general]" },
	{ "[keys]\nj = down\nj = up\n", 3, "key 'j' bound twice", NULL },
	/* account names */
	{ "[account my work]\n", 1, "account name 'my work'", NULL },
	{ "[account ../x]\n", 1, "account name '../x'", NULL },
	{ "[account ..]\n", 1, "'..' is not a usable account name", NULL },
	/* missing */
	{ "[account w]\nhost = h\n\n[general]\n", 1, "[account w] has no "
	    "'user'", NULL },
	{ "[general]\n\n[account w]\nuser = u\n", 3, "[account w] has no "
	    "'host'", NULL },
	/* values */
	{ ACCT "protocol = smtp\n", 4, "'protocol'", "imap or pop3" },
	{ ACCT "tls = ssl\n", 4, "'tls'", "implicit, starttls or none" },
	{ ACCT "port = 0\n", 4, "'port' in [account work]", "1 to 65535" },
	{ ACCT "port = 65536\n", 4, "'port'", "1 to 65535" },
	{ ACCT "port = -1\n", 4, "'port'", "1 to 65535" },
	{ ACCT "port = 99x\n", 4, "'port'", "'99x'" },
	{ ACCT "timeout = 0\n", 4, "'timeout'", "1 to 3600" },
	{ ACCT "timeout = 3601\n", 4, "'timeout'", "1 to 3600" },
	{ ACCT "allow_plaintext = maybe\n", 4, "'allow_plaintext'",
	    "yes or no" },
	{ POP "keep_on_server = 2\n", 5, "'keep_on_server'", "yes or no" },
	{ POP "keep_on_server = yes\nkeep_days = x\n", 6, "'keep_days'",
	    "number" },
	{ POP "apop = sure\n", 5, "'apop'", "[account p]" },
	{ ACCT "tls_fingerprint = abcd\n", 4, "'tls_fingerprint'", "64 hex" },
	{ ACCT "tls_fingerprint = sha1:" "0123456789012345678901234567890123"
	    "456789\n", 4, "'tls_fingerprint'", NULL },
	{ ACCT "tls_fingerprint = sha256:" "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdeg\n", 4, "'tls_fingerprint'",
	    NULL },
	{ ACCT "tls_fingerprint = sha256:" "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef00\n", 4, "'tls_fingerprint'",
	    NULL },
	{ ACCT "tls_fingerprint = sha256:" "0123456789abcdef\n", 4,
	    "'tls_fingerprint'", NULL },
	{ ACCT "ca_file = certs/ca.pem\n", 4, "'ca_file'", "absolute path" },
	{ POP "maildir = Mail\n", 5, "'maildir'", "absolute path" },
	{ "[account w]\nhost = a b\nuser = u\n", 2, "'host'", "not a host" },
	{ ACCT "assumed_charset = iso 8859-1\n", 4, "'assumed_charset'",
	    NULL },
	{ "[general]\nprefer = rtf\n", 2, "'prefer'", "plain or html" },
	/* cross-key rules */
	{ ACCT "tls = none\n", 4, "'tls = none'", "allow_plaintext = yes" },
	{ ACCT "tls = none\nallow_plaintext = no\n", 4, "'tls = none'",
	    "[account work]" },
	{ POP "keep_on_server = no\nkeep_days = 3\n", 6, "'keep_days'",
	    "keep_on_server = yes" },
	{ ACCT "keep_on_server = yes\n", 4, "'keep_on_server'",
	    "POP3 accounts only" },
	{ ACCT "keep_days = 0\n", 4, "'keep_days'", "POP3 accounts only" },
	{ ACCT "apop = yes\n", 4, "'apop'", "POP3 accounts only" },
	{ ACCT "maildir = /m\n", 4, "'maildir'", "POP3 accounts only" },
	{ ACCT "password_command = true\npassword = s3cr3t\n", 4,
	    "both 'password' and 'password_command'", "line 5" },
	/* sending */
	{ ACCT "from = alice\n", 4, "'from'", "must be an address" },
	{ ACCT "from = Alice <alice@>\n", 4, "'from'", "'Alice <alice@>'" },
	{ ACCT "from = Alice <a@b.org\n", 4, "'from'", "must be an address" },
	{ ACCT "from = Alice <a@b.org> x\n", 4, "'from'", NULL },
	{ ACCT "from = a@b@c.org\n", 4, "'from'", NULL },
	{ ACCT "from = a b@c.org\n", 4, "'from'", NULL },
	{ ACCT "from = a@b..org\n", 4, "'from'", NULL },
	{ ACCT "from = a@b.org, c@d.org\n", 4, "'from'", NULL },
	{ ACCT "identities = a@b.org, alice\n", 4, "'identities'",
	    "not 'alice'" },
	{ ACCT "identities = a@b.org,\n", 4, "'identities'", NULL },
	{ ACCT "identities = A <a@b.org> x\n", 4, "'identities'", NULL },
	{ ACCT "smtp_tls = tls\n", 4, "'smtp_tls'", "implicit, starttls or "
	    "none" },
	{ ACCT "smtp_tls = none\n", 4, "'smtp_tls = none'",
	    "allow_plaintext = yes" },
	{ ACCT "smtp_port = 0\n", 4, "'smtp_port'", "1 to 65535" },
	{ ACCT "smtp_host = a b\n", 4, "'smtp_host'", "not a host" },
	{ ACCT "signature = sig.txt\n", 4, "'signature'", "absolute path" },
	{ ACCT "sent_folder = A\nsent_folder = B\n", 5, "'sent_folder' set "
	    "twice", NULL },
	{ "[general]\neditor = vi\neditor = ed\n", 3, "'editor' set twice",
	    NULL },
	/* saved searches */
	{ ACCT "[searches]\nold = ~d <2x\n", 5, "search 'old'",
	    "unknown unit 'x' at column 5" },
	{ ACCT "[searches]\nu = work,home: ~U\n", 5, "search 'u' names no "
	    "account 'home'", NULL },
	{ "[searches]\nu = home/INBOX: ~U\n" ACCT, 2, "no account 'home'",
	    NULL },
	{ ACCT "[searches]\nu = work,,: ~U\n", 5, "empty account", NULL },
	{ ACCT "[searches]\nu = ~U\nu = ~F\n", 6, "search 'u' is defined "
	    "twice", "line 5" },
	{ ACCT "[searches]\nwork = ~U\n", 5, "search 'work' has the name "
	    "of an account", NULL },
	{ ACCT "[searches]\na/b = ~U\n", 5, "search name 'a/b'", NULL },
	{ ACCT "[searches]\nu = ~U\n[searches]\n", 6, "[searches] appears "
	    "twice", NULL },
	/* OAuth2 */
	{ ACCT "auth = kerberos\n", 4, "'auth'", "password or oauth2" },
	{ ACCT "provider = yahoo\n", 4, "'provider'", "gmail or outlook" },
	{ ACCT "oauth2_client_id = x\n", 4, "'oauth2_client_id'",
	    "needs 'auth = oauth2'" },
	{ ACCT "auth = oauth2\n", 1, "neither 'oauth2_token_command'",
	    "'oauth2_client_id'" },
	{ ACCT "auth = oauth2\noauth2_client_id = c\n", 1,
	    "neither 'oauth2_token_command'", NULL },
	{ ACCT "auth = oauth2\noauth2_token_command = t\n"
	    "password_command = p\n", 6, "signs in with OAuth2",
	    "remove its password keys" },
	{ ACCT "auth = oauth2\noauth2_client_id = c\noauth2_token_url = "
	    "http://example.org/t\n", 6, "'oauth2_token_url'", "https://" },
	{ ACCT "auth = oauth2\noauth2_client_id = c\noauth2_token_url = "
	    "http://127.0.0.1:9/t\n", 6, "'oauth2_token_url'",
	    "allow_plaintext" },
	{ ACCT "provider = gmail\noauth2_client_id = c\n"
	    "oauth2_client_secret = s\noauth2_client_secret_command = s\n",
	    7, "both 'oauth2_client_secret'", NULL },
	{ ACCT "provider = outlook\noauth2_client_id = c\n"
	    "oauth2_refresh_store_command = s\n", 6,
	    "'oauth2_refresh_command' to read", NULL },
	/* the error is reported even after the account ends */
	{ ACCT "tls = none\n[general]\ntheme = x\n", 4, "'tls = none'",
	    NULL },
};

START_TEST(test_bad)
{
	const struct bad *b = &bad[_i];
	struct config *cfg = NULL;
	struct error err;
	char want[64];

	error_clear(&err);
	ck_assert_msg(config_parse("t.conf", b->text, strlen(b->text), &cfg,
	    &err) == -1, "accepted bad file %d:\n%s", _i, b->text);
	ck_assert_ptr_null(cfg);
	snprintf(want, sizeof(want), "t.conf:%d: ", b->line);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0,
	    "file %d: want line %d, got: %s", _i, b->line, err.msg);
	ck_assert_msg(strstr(err.msg, b->want1) != NULL,
	    "file %d: want '%s' in: %s", _i, b->want1, err.msg);
	ck_assert_msg(b->want2 == NULL || strstr(err.msg, b->want2) != NULL,
	    "file %d: want '%s' in: %s", _i, b->want2, err.msg);
	/* No message ever quotes a password. */
	ck_assert_ptr_null(strstr(err.msg, "s3cr3t"));
}
END_TEST

/* A bad line after a password: the error never shows the password. */
START_TEST(test_password_never_shown)
{
	static const char *const texts[] = {
		"[account w]\nhost = h\nuser = u\npassword = s3cr3t\n"
		    "password = s3cr3t\n",
		"[account w]\nhost = h\nuser = u\npassword = \"s3cr3t\n",
		"[account w]\nhost = h\nuser = u\npassword = \"s3\\cr3t\"\n",
		"[account w]\nhost = h\nuser = u\npassword = \"s3cr3t\" x\n",
		"[account w]\nhost = h\nuser = u\npassword = s3cr3t\x01\n",
		"[account w]\nhost = h\nuser = u\npassword = s3cr3t\n"
		    "password_command = echo s3cr3t\n",
		"[account w]\nhost = h\npassword = s3cr3t\n",
		"[account w]\nhost = h\nuser = u\npassword = s3cr3t\n"
		    "tls = none\n",
	};
	struct config *cfg = NULL;
	struct error err;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		error_clear(&err);
		ck_assert_int_eq(config_parse("t.conf", texts[i],
		    strlen(texts[i]), &cfg, &err), -1);
		ck_assert(error_isset(&err));
		ck_assert_msg(strstr(err.msg, "s3cr3t") == NULL &&
		    strstr(err.msg, "cr3t") == NULL, "password shown: %s",
		    err.msg);
	}
}
END_TEST

/* The bounds on accounts and key bindings, and on nothing smaller. */
START_TEST(test_limits)
{
	struct config *cfg = NULL;
	struct error err;
	struct buf text = BUF_INIT;
	size_t len1000 = 0;
	int i;

	for (i = 0; i < 1001; i++) {
		if (i == 1000)
			len1000 = text.len;
		buf_printf(&text, "[account a%d]\nhost = h\nuser = u\n", i);
	}
	ck_assert_int_eq(config_parse("t.conf", text.data, text.len, &cfg,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "t.conf:3001: more than 1000 "
	    "accounts"));
	ck_assert_int_eq(config_parse("t.conf", text.data, len1000, &cfg,
	    &err), 0);
	ck_assert_uint_eq(cfg->naccounts, 1000);
	config_free(&cfg);
	buf_reset(&text);
	buf_addstr(&text, "[keys]\n");
	for (i = 0; i < 1001; i++)
		buf_printf(&text, "k%d = c\n", i);
	ck_assert_int_eq(config_parse("t.conf", text.data, text.len, &cfg,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "t.conf:1002: more than 1000 "
	    "key bindings"));
	buf_free(&text);
}
END_TEST

TCase *
config_bad_tcase(void)
{
	TCase *tc = tcase_create("bad files");

	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof(bad) /
	    sizeof(bad[0])));
	tcase_add_test(tc, test_password_never_shown);
	tcase_add_test(tc, test_limits);
	return tc;
}
