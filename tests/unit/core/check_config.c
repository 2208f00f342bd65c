/* Unit tests of core/config: good files, defaults, file mode, password. */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "tests/unit/core/check_core.h"

#define FP_HEX "0123456789abcdef0123456789abcdef" \
	"0123456789abcdef0123456789abcdef"

static struct config *
parse_ok(const char *text)
{
	struct config *cfg = NULL;
	struct error err;

	error_clear(&err);
	ck_assert_msg(config_parse("t.conf", text, strlen(text), &cfg, &err) ==
	    0, "refused: %s", err.msg);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

/* The configuration example of the command-line contract, verbatim. */
static const char design_example[] =
    "[general]\n"
    "theme = default\n"
    "\n"
    "[account work]\n"
    "protocol = imap          # imap | pop3\n"
    "host = mail.example.org\n"
    "port = 993               # default follows protocol and tls\n"
    "tls = implicit           # implicit | starttls | none\n"
    "user = alice\n"
    "password_command = pass show mail/work\n"
    "ca_file = /path/ca.pem   # optional extra trust anchor\n"
    "tls_fingerprint = sha256:" FP_HEX "   # optional pin\n"
    "allow_plaintext = no     # must be yes for tls = none\n"
    "timeout = 30             # seconds for connect and for each server "
    "reply\n"
    "\n"
    "[account home]\n"
    "protocol = pop3\n"
    "host = pop.example.org\n"
    "tls = starttls\n"
    "user = bob\n"
    "password_command = secret-tool lookup mail home\n"
    "keep_on_server = no      # no: download and delete; yes: keep, UIDL "
    "tracked\n"
    "keep_days = 0            # with keep_on_server = yes: delete after N "
    "days (0 = never)\n";

START_TEST(test_design_example)
{
	struct config *cfg = parse_ok(design_example);
	const struct config_account *w, *h;
	char mode[64];

	ck_assert_str_eq(cfg->path, "t.conf");
	ck_assert_str_eq(cfg->theme, "default");
	ck_assert_uint_eq(cfg->naccounts, 2);
	w = config_account(cfg, "work");
	h = config_account(cfg, "home");
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_null(config_account(cfg, "Work"));
	ck_assert_int_eq(w->protocol, CONFIG_IMAP);
	ck_assert_str_eq(w->host, "mail.example.org");
	ck_assert_uint_eq(w->port, 993);
	ck_assert_int_eq(w->tls, CONFIG_TLS_IMPLICIT);
	ck_assert_str_eq(w->user, "alice");
	ck_assert_str_eq(w->password_command, "pass show mail/work");
	ck_assert_ptr_null(w->password);
	ck_assert_str_eq(w->ca_file, "/path/ca.pem");
	ck_assert_str_eq(w->tls_fingerprint, FP_HEX);
	ck_assert_int_eq(w->allow_plaintext, 0);
	ck_assert_uint_eq(w->timeout, 30);
	ck_assert_int_eq(w->keep_on_server, 1);
	ck_assert_int_eq(w->line, 4);
	ck_assert_int_eq(h->protocol, CONFIG_POP3);
	ck_assert_int_eq(h->tls, CONFIG_TLS_STARTTLS);
	ck_assert_uint_eq(h->port, 110);
	ck_assert_int_eq(h->keep_on_server, 0);
	ck_assert_uint_eq(h->keep_days, 0);
	ck_assert_int_eq(h->line, 16);
	ck_assert_str_eq(config_mode_name(w, mode, sizeof(mode)),
	    "keep-on-server");
	ck_assert_str_eq(config_mode_name(h, mode, sizeof(mode)),
	    "download-and-delete");
	ck_assert_str_eq(config_mode_words(h, mode, sizeof(mode)),
	    "downloads and deletes");
	ck_assert_int_eq(config_keeps_all(w), 1);
	ck_assert_int_eq(config_keeps_all(h), 0);
	ck_assert_str_eq(config_protocol_label(w->protocol), "IMAP");
	ck_assert_str_eq(config_protocol_label(h->protocol), "POP3");
	ck_assert_str_eq(config_tls_name(w->tls), "tls");
	ck_assert_str_eq(config_tls_name(h->tls), "starttls");
	ck_assert_str_eq(config_protocol_name(h->protocol), "pop3");
	config_free(&cfg);
	ck_assert_ptr_null(cfg);
}
END_TEST

START_TEST(test_every_key)
{
	static const char text[] =
	    "\xEF\xBB\xBF# every key there is\r\n"
	    "[general]\r\n"
	    "  theme = \"dark # night\"   # quoted keeps '#'\n"
	    "assumed_charset = windows-1252\n"
	    "prefer = html\n"
	    "editor = emacs -nw\n"
	    "query_command = abook --mutt-query\n"
	    "text_flowed = yes\n"
	    "sidebar = yes\n"
	    "[ account  p1 ]\n"
	    "protocol = POP3\n"
	    "host = [::1]\n"
	    "port = 1\n"
	    "tls = none\n"
	    "allow_plaintext = on\n"
	    "user = \"bob \\\"the\\\" \\\\ builder\"\n"
	    "password = pa#ss word\n"
	    "ca_file = ~/ca.pem\n"
	    "tls_fingerprint = SHA256:" "01:23:45:67:89:AB:CD:EF:01:23:45:67:"
	    "89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef\n"
	    "timeout = 3600\n"
	    "keep_on_server = true\n"
	    "keep_days = 14\n"
	    "apop = 1\n"
	    "maildir = /var/mail/p1\n"
	    "assumed_charset = koi8-r\n"
	    "from = \"Bob # B <bob@example.org>\"\n"
	    "smtp_host = smtp.example.org\n"
	    "smtp_port = 2525\n"
	    "smtp_tls = none\n"
	    "smtp_user = bob@example.org\n"
	    "smtp_password_command = pass smtp\n"
	    "sent_folder = Gesendet\n"
	    "drafts_folder = Entw\xc3\xbcrfe\n"
	    "signature = ~/.signature\n"
	    "identities = \"\\\"Martin, Bob\\\" <bm@example.org>, "
	    "b@example.net ,Bob <bob@example.com>\"\n"
	    "[keys]\n"
	    "j = next\n"
	    "C-l = redraw\n"
	    "<pagedown> = page-down  # comment\n"
	    "\"#\" = search\n";
	struct config *cfg;
	const struct config_account *a;
	char mode[64];

	setenv("HOME", "/home/t", 1);
	cfg = parse_ok(text);
	ck_assert_str_eq(cfg->theme, "dark # night");
	ck_assert_str_eq(cfg->assumed_charset, "windows-1252");
	ck_assert_str_eq(cfg->prefer, "html");
	ck_assert_uint_eq(cfg->naccounts, 1);
	a = &cfg->accounts[0];
	ck_assert_str_eq(a->name, "p1");
	ck_assert_int_eq(a->line, 10);
	ck_assert_int_eq(a->protocol, CONFIG_POP3);
	ck_assert_str_eq(a->host, "[::1]");
	ck_assert_uint_eq(a->port, 1);
	ck_assert_int_eq(a->tls, CONFIG_TLS_NONE);
	ck_assert_int_eq(a->allow_plaintext, 1);
	ck_assert_str_eq(a->user, "bob \"the\" \\ builder");
	ck_assert_str_eq(a->password, "pa#ss word"); /* '#' not after blank */
	ck_assert_str_eq(a->ca_file, "/home/t/ca.pem");
	ck_assert_str_eq(a->tls_fingerprint, FP_HEX);
	ck_assert_uint_eq(a->timeout, 3600);
	ck_assert_int_eq(a->keep_on_server, 1);
	ck_assert_uint_eq(a->keep_days, 14);
	ck_assert_int_eq(a->apop, 1);
	ck_assert_str_eq(a->maildir, "/var/mail/p1");
	ck_assert_str_eq(a->assumed_charset, "koi8-r");
	ck_assert_str_eq(a->from, "Bob # B <bob@example.org>");
	ck_assert_str_eq(a->smtp_host, "smtp.example.org");
	ck_assert_uint_eq(a->smtp_port, 2525);
	ck_assert_int_eq(a->smtp_tls, CONFIG_TLS_NONE);
	ck_assert_str_eq(a->smtp_user, "bob@example.org");
	ck_assert_str_eq(a->smtp_password_command, "pass smtp");
	ck_assert_str_eq(a->sent_folder, "Gesendet");
	ck_assert_str_eq(a->drafts_folder, "Entw\xc3\xbcrfe");
	ck_assert_str_eq(a->signature, "/home/t/.signature");
	ck_assert_uint_eq(a->nidentities, 3);
	ck_assert_str_eq(a->identities[0], "\"Martin, Bob\" <bm@example.org>");
	ck_assert_str_eq(a->identities[1], "b@example.net");
	ck_assert_str_eq(a->identities[2], "Bob <bob@example.com>");
	ck_assert_str_eq(cfg->query_command, "abook --mutt-query");
	ck_assert_int_eq(cfg->text_flowed, 1);
	ck_assert_int_eq(cfg->sidebar, 1);
	ck_assert_str_eq(cfg->editor, "emacs -nw");
	ck_assert_str_eq(config_editor(cfg), "emacs -nw");
	ck_assert_str_eq(config_mode_name(a, mode, sizeof(mode)),
	    "keep-on-server-14-days");
	ck_assert_str_eq(config_mode_words(a, mode, sizeof(mode)),
	    "keeps on server for 14 days");
	ck_assert_str_eq(config_tls_name(a->tls), "plaintext");
	ck_assert_uint_eq(cfg->nkeys, 4);
	ck_assert_str_eq(cfg->keys[0].key, "j");
	ck_assert_str_eq(cfg->keys[0].command, "next");
	ck_assert_int_eq(cfg->keys[0].line, 37);
	ck_assert_str_eq(cfg->keys[1].key, "C-l");
	ck_assert_str_eq(cfg->keys[2].key, "<pagedown>");
	ck_assert_str_eq(cfg->keys[2].command, "page-down");
	ck_assert_str_eq(cfg->keys[3].key, "#");
	ck_assert_str_eq(cfg->keys[3].command, "search");
	config_free(&cfg);
}
END_TEST

START_TEST(test_defaults)
{
	struct config *cfg = parse_ok(
	    "[account i]\nhost = h\nuser = u\n"
	    "[account is]\nhost = h\nuser = u\ntls = starttls\n"
	    "[account p]\nprotocol = pop3\nhost = h\nuser = u\n"
	    "[account ps]\nprotocol = pop3\nhost = h\nuser = u\n"
	    "tls = starttls\n"
	    "[account pn]\nprotocol = pop3\nhost = h\nuser = u\n"
	    "tls = none\nallow_plaintext = yes\nport = 1110\n");
	const struct config_account *a;
	char mode[64];

	ck_assert_str_eq(cfg->theme, "default");
	ck_assert_str_eq(cfg->prefer, "plain");
	ck_assert_ptr_null(cfg->assumed_charset);
	ck_assert_uint_eq(cfg->nkeys, 0);
	ck_assert_uint_eq(cfg->naccounts, 5);
	a = config_account(cfg, "i");
	ck_assert_int_eq(a->protocol, CONFIG_IMAP);
	ck_assert_int_eq(a->tls, CONFIG_TLS_IMPLICIT);
	ck_assert_uint_eq(a->port, 993);
	ck_assert_uint_eq(a->timeout, 30);
	ck_assert_int_eq(a->allow_plaintext, 0);
	ck_assert_int_eq(a->apop, 0);
	ck_assert_ptr_null(a->password);
	ck_assert_ptr_null(a->password_command);
	ck_assert_ptr_null(a->ca_file);
	ck_assert_ptr_null(a->tls_fingerprint);
	ck_assert_ptr_null(a->maildir);
	ck_assert_ptr_null(a->assumed_charset);
	/* Sending: no from (cannot send); host and user: the account's. */
	ck_assert_ptr_null(a->from);
	ck_assert_ptr_null(a->smtp_host);
	ck_assert_ptr_null(a->smtp_user);
	ck_assert_int_eq(a->smtp_tls, CONFIG_TLS_IMPLICIT);
	ck_assert_uint_eq(a->smtp_port, 465);
	ck_assert_ptr_null(a->smtp_password_command);
	ck_assert_ptr_null(a->sent_folder);
	ck_assert_ptr_null(a->drafts_folder);
	ck_assert_ptr_null(a->signature);
	ck_assert_ptr_null(cfg->editor);
	ck_assert_ptr_null(cfg->open_command);
	ck_assert_ptr_null(cfg->pager_filter);
	ck_assert_ptr_null(cfg->new_mail_command);
	/* The account's tls does not decide how it sends. */
	ck_assert_int_eq(config_account(cfg, "is")->smtp_tls,
	    CONFIG_TLS_IMPLICIT);
	ck_assert_uint_eq(config_account(cfg, "is")->smtp_port, 465);
	ck_assert_uint_eq(config_account(cfg, "is")->port, 143);
	a = config_account(cfg, "p");
	ck_assert_uint_eq(a->port, 995);
	/* POP3 keeps mail unless told to delete it. */
	ck_assert_int_eq(a->keep_on_server, 1);
	ck_assert_uint_eq(a->keep_days, 0);
	ck_assert_str_eq(config_mode_name(a, mode, sizeof(mode)),
	    "keep-on-server");
	ck_assert_str_eq(config_mode_words(a, mode, sizeof(mode)),
	    "keeps mail on server");
	ck_assert_uint_eq(config_account(cfg, "ps")->port, 110);
	ck_assert_uint_eq(config_account(cfg, "pn")->port, 1110);
	config_free(&cfg);
	config_free(&cfg); /* NULL: no-op */
}
END_TEST

START_TEST(test_empty_and_booleans)
{
	static const char *const yes[] = { "yes", "YES", "true", "On", "1" };
	static const char *const no[] = { "no", "False", "off", "0" };
	struct config *cfg = parse_ok("");
	char text[256];
	size_t i;

	ck_assert_uint_eq(cfg->naccounts, 0);
	config_free(&cfg);
	cfg = parse_ok("# only a comment\n\n   \t\n");
	config_free(&cfg);
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "[account a]\nprotocol = pop3\n"
		    "host = h\nuser = u\napop = %s\n", yes[i]);
		cfg = parse_ok(text);
		ck_assert_int_eq(cfg->accounts[0].apop, 1);
		config_free(&cfg);
	}
	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "[account a]\nprotocol = pop3\n"
		    "host = h\nuser = u\napop = %s\n", no[i]);
		cfg = parse_ok(text);
		ck_assert_int_eq(cfg->accounts[0].apop, 0);
		config_free(&cfg);
	}
	/* No final newline; account names with every allowed character. */
	cfg = parse_ok("[account A.b_c-9]\nhost = h\nuser = u");
	ck_assert_str_eq(cfg->accounts[0].name, "A.b_c-9");
	config_free(&cfg);
}
END_TEST

static char tmpdir[64];

static void
setup_dir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_config.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

#define WITH_PW "[account w]\nhost = h\nuser = u\npassword = s3cr3t\n"
#define WITH_CMD "[account w]\nhost = h\nuser = u\n" \
	"password_command = echo s3cr3t\n"

START_TEST(test_load_mode)
{
	struct config *cfg = NULL;
	struct error err;
	char path[128];

	snprintf(path, sizeof(path), "%s/config", tmpdir);
	/* 0600: accepted. */
	write_file(path, WITH_PW, 0600);
	ck_assert_int_eq(config_load(path, &cfg, &err), 0);
	ck_assert_str_eq(cfg->path, path);
	config_free(&cfg);
	/* Group- or other-readable: refused, with the way out named. */
	write_file(path, WITH_PW, 0640);
	error_clear(&err);
	ck_assert_int_eq(config_load(path, &cfg, &err), -1);
	ck_assert_ptr_null(cfg);
	ck_assert_ptr_nonnull(strstr(err.msg, "readable by others"));
	ck_assert_ptr_nonnull(strstr(err.msg, "chmod 600"));
	ck_assert_ptr_nonnull(strstr(err.msg, "password_command"));
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_ptr_null(strstr(err.msg, "s3cr3t"));
	write_file(path, WITH_PW, 0604);
	ck_assert_int_eq(config_load(path, &cfg, &err), -1);
	ck_assert_ptr_null(strstr(err.msg, "s3cr3t"));
	/* Without a password, a readable file is fine. */
	write_file(path, WITH_CMD, 0644);
	ck_assert_int_eq(config_load(path, &cfg, &err), 0);
	config_free(&cfg);
	/* config_parse skips the mode check (there is no file). */
	ck_assert_int_eq(config_parse(path, WITH_PW, strlen(WITH_PW), &cfg,
	    &err), 0);
	config_free(&cfg);
}
END_TEST

/* Anyone who can write the file can set password_command, which runs as
 * the user: a file others can write, or another user's, is refused even
 * without a password in it (as ssh refuses such a config). */
START_TEST(test_load_writable)
{
	struct config *cfg = NULL;
	struct error err;
	char path[128];
	static const unsigned modes[] = { 0620, 0602, 0666, 0660 };
	size_t i;

	snprintf(path, sizeof(path), "%s/config", tmpdir);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		write_file(path, WITH_CMD, modes[i]);
		error_clear(&err);
		ck_assert_msg(config_load(path, &cfg, &err) == -1, "mode %o "
		    "accepted", modes[i]);
		ck_assert_ptr_null(cfg);
		ck_assert_msg(strstr(err.msg, path) && strstr(err.msg,
		    "chmod go-w"), "%s", err.msg);
	}
	write_file(path, WITH_CMD, 0644);
	ck_assert_int_eq(config_load(path, &cfg, &err), 0);
	config_free(&cfg);
	if (geteuid() == 0) {
		/* Another user's file (root can make one). */
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		error_clear(&err);
		ck_assert_int_eq(config_load(path, &cfg, &err), -1);
		ck_assert_msg(strstr(err.msg, "another user"), "%s", err.msg);
	}
}
END_TEST

/* A "password =" is not kept in memory after loading: config_password
 * reads it again from the file (with the same checks) at each login. */
START_TEST(test_password_reread)
{
	struct config *cfg = NULL;
	const struct config_account *a;
	struct error err;
	char path[128], *pw;

	snprintf(path, sizeof(path), "%s/config", tmpdir);
	write_file(path, WITH_PW, 0600);
	error_clear(&err);
	ck_assert_int_eq(config_load(path, &cfg, &err), 0);
	a = &cfg->accounts[0];
	ck_assert_ptr_null(a->password);
	ck_assert_ptr_nonnull(a->password_file);
	pw = config_password(a, &err);
	ck_assert_msg(pw != NULL, "%s", err.msg);
	ck_assert_str_eq(pw, "s3cr3t");
	free(pw);
	/* The file as it is now: changed, or made unsafe meanwhile. */
	write_file(path, "[account w]\nhost = h\nuser = u\n"
	    "password = other\n", 0600);
	pw = config_password(a, &err);
	ck_assert_str_eq(pw, "other");
	free(pw);
	write_file(path, WITH_PW, 0644);
	ck_assert_ptr_null(config_password(a, &err));
	ck_assert_msg(strstr(err.msg, "readable by others"), "%s", err.msg);
	ck_assert_ptr_null(strstr(err.msg, "s3cr3t"));
	write_file(path, WITH_CMD, 0600);
	ck_assert_ptr_null(config_password(a, &err));
	ck_assert_msg(strstr(err.msg, "'w'") && strstr(err.msg, path), "%s",
	    err.msg);
	config_free(&cfg);
}
END_TEST

START_TEST(test_load_errors)
{
	struct config *cfg = NULL;
	struct error err;
	char path[128];

	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	ck_assert_int_eq(config_load(path, &cfg, &err), -1);
	ck_assert_ptr_null(cfg);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_ptr_nonnull(strstr(err.msg, "man postie.conf"));
	/* --help has no example: the message points at the setup form. */
	ck_assert_ptr_null(strstr(err.msg, "postie --help"));
	ck_assert_ptr_nonnull(strstr(err.msg, "set up an account"));
	ck_assert_int_eq(config_load(tmpdir, &cfg, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	/* Errors from a file carry its name and the line. */
	snprintf(path, sizeof(path), "%s/bad", tmpdir);
	write_file(path, "[general]\n\nthem = x\n", 0600);
	ck_assert_int_eq(config_load(path, &cfg, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, ":3: unknown key 'them'"));
	ck_assert(strncmp(err.msg, path, strlen(path)) == 0);
}
END_TEST

static struct config_account *
cmd_account(const char *cmd)
{
	static struct config_account a;

	memset(&a, 0, sizeof(a));
	a.name = "work";
	a.password_command = (char *)cmd;
	return &a;
}

START_TEST(test_password)
{
	struct config_account *a;
	struct error err;
	char *pw;

	pw = config_password(cmd_account("printf 's3cr3t\\nsecond\\n'"), &err);
	ck_assert_ptr_nonnull(pw);
	ck_assert_str_eq(pw, "s3cr3t");
	free(pw);
	pw = config_password(cmd_account("printf 'no-newline'"), &err);
	ck_assert_str_eq(pw, "no-newline");
	free(pw);
	pw = config_password(cmd_account("printf 'crlf\\r\\n'"), &err);
	ck_assert_str_eq(pw, "crlf");
	free(pw);
	/* A command writing much more than a password: read, dropped. */
	pw = config_password(cmd_account("printf 'pw\\n'; head -c 200000 "
	    "/dev/zero"), &err);
	ck_assert_str_eq(pw, "pw");
	free(pw);

	error_clear(&err);
	ck_assert_ptr_null(config_password(cmd_account("echo s3cr3t; exit 3"),
	    &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "'work'"));
	ck_assert_ptr_nonnull(strstr(err.msg, "exited with 3"));
	ck_assert_ptr_null(strstr(err.msg, "s3cr3t"));
	ck_assert_ptr_null(config_password(cmd_account("true"), &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "'work'"));
	ck_assert_ptr_nonnull(strstr(err.msg, "no password"));
	ck_assert_ptr_null(config_password(cmd_account("echo"), &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "no password"));
	ck_assert_ptr_null(config_password(cmd_account("kill -9 $$"), &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "signal 9"));
	ck_assert_ptr_null(config_password(cmd_account(
	    "/nonexistent/command 2>/dev/null"), &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "exited with 127"));
	/* What it says on stderr is in the sentence (first line, cleaned),
	 * not on the terminal. */
	ck_assert_ptr_null(config_password(cmd_account("printf 'gpg: "
	    "\\033[2Jdecryption failed\\nmore\\n' >&2; exit 2"), &err));
	ck_assert_str_eq(err.msg, "password_command of account 'work' exited "
	    "with 2: gpg: decryption failed");
	/* A command that never answers is given up (and killed). */
	ck_assert_ptr_null(config_password_within(cmd_account(
	    "exec sleep 30"), 1, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "no password within 1 second"));
	/* A slow one within the bound is fine. */
	pw = config_password_within(cmd_account("sleep 0.2; echo late"), 5,
	    &err);
	ck_assert_str_eq(pw, "late");
	free(pw);

	a = cmd_account(NULL);
	ck_assert_ptr_null(config_password(a, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "'work'"));
	a->password = "from-file";
	pw = config_password(a, &err);
	ck_assert_str_eq(pw, "from-file");
	free(pw);
	/* Sending uses the same password unless told otherwise. */
	pw = config_smtp_password(a, &err);
	ck_assert_str_eq(pw, "from-file");
	free(pw);
	a->smtp_password_command = "echo smtp-secret";
	pw = config_smtp_password(a, &err);
	ck_assert_str_eq(pw, "smtp-secret");
	free(pw);
	a->smtp_password_command = "exit 4";
	ck_assert_ptr_null(config_smtp_password(a, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "smtp_password_command of "
	    "account 'work'"));
	ck_assert_ptr_nonnull(strstr(err.msg, "exited with 4"));
}
END_TEST

START_TEST(test_hooks)
{
	static const char text[] =
	    "[general]\n"
	    "open_command = firefox --new-tab\n"
	    "pager_filter = my-renderer --width 80\n"
	    "new_mail_command = notify new\n"
	    "pipe_split = yes\n"
	    "hyperlinks = no\n";
	struct config *cfg = NULL;
	struct error err;

	error_clear(&err);
	ck_assert_int_eq(config_parse("t.conf", "[general]\n", 10, &cfg,
	    &err), 0);
	ck_assert_int_eq(cfg->pipe_split, 0);
	ck_assert_int_eq(cfg->hyperlinks, CONFIG_LINKS_AUTO);
	config_free(&cfg);
	ck_assert_int_eq(config_parse("t.conf", "[general]\nhyperlinks = "
	    "maybe\n", 29, &cfg, &err), -1);
	ck_assert_str_eq(err.msg, "t.conf:2: 'hyperlinks' in [general] must "
	    "be auto, yes or no, not 'maybe'");
	ck_assert_int_eq(config_parse("t.conf", text, sizeof(text) - 1, &cfg,
	    &err), 0);
	ck_assert_int_eq(cfg->pipe_split, 1);
	ck_assert_int_eq(cfg->hyperlinks, CONFIG_LINKS_NO);
	ck_assert_str_eq(cfg->open_command, "firefox --new-tab");
	ck_assert_str_eq(cfg->pager_filter, "my-renderer --width 80");
	ck_assert_str_eq(cfg->new_mail_command, "notify new");
	config_free(&cfg);
}
END_TEST

START_TEST(test_editor)
{
	struct config cfg;

	memset(&cfg, 0, sizeof(cfg));
	setenv("VISUAL", "vis", 1);
	setenv("EDITOR", "ed", 1);
	ck_assert_str_eq(config_editor(&cfg), "vis");
	setenv("VISUAL", "", 1);
	ck_assert_str_eq(config_editor(&cfg), "ed");
	unsetenv("VISUAL");
	unsetenv("EDITOR");
	ck_assert_str_eq(config_editor(&cfg), "vi");
	cfg.editor = "nano";
	setenv("VISUAL", "vis", 1);
	ck_assert_str_eq(config_editor(&cfg), "nano");
	unsetenv("VISUAL");
}
END_TEST

/* [searches]: scopes, patterns with colons, an empty pattern. */
START_TEST(test_searches)
{
	static const char text[] =
	    "[searches]\n"
	    "unified = work/INBOX, home/INBOX:\n"
	    "todo = work: ~F | ~U\n"
	    "re = ~s re: ~U\n"
	    "all = ~A\n"
	    "[account work]\nhost = h\nuser = u\n"
	    "[account home]\nhost = h\nuser = u\nprotocol = pop3\n";
	struct config *cfg = NULL;
	const struct config_search *s;
	struct error err;

	error_clear(&err);
	ck_assert_int_eq(config_parse("t", text, strlen(text), &cfg, &err), 0);
	ck_assert_uint_eq(cfg->nsearches, 4);
	s = config_search(cfg, "unified");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->pattern, "");
	ck_assert_uint_eq(s->nscope, 2);
	ck_assert_str_eq(s->scope[0].account, "work");
	ck_assert_str_eq(s->scope[0].folder, "INBOX");
	ck_assert_str_eq(s->scope[1].account, "home");
	ck_assert_str_eq(s->scope[1].folder, "INBOX");
	ck_assert_int_eq(s->line, 2);
	s = config_search(cfg, "todo");
	ck_assert_str_eq(s->pattern, "~F | ~U");
	ck_assert_uint_eq(s->nscope, 1);
	ck_assert_str_eq(s->scope[0].account, "work");
	ck_assert_ptr_null(s->scope[0].folder);
	s = config_search(cfg, "re");
	ck_assert_str_eq(s->pattern, "~s re: ~U");
	ck_assert_uint_eq(s->nscope, 0);
	ck_assert_str_eq(config_search(cfg, "all")->pattern, "~A");
	ck_assert_ptr_null(config_search(cfg, "work"));
	config_free(&cfg);
}
END_TEST

START_TEST(test_oauth2)
{
	struct config *cfg = parse_ok(
	    "[account g]\nprovider = gmail\nuser = a@gmail.com\n"
	    "oauth2_client_id = id.apps.googleusercontent.com\n"
	    "[account o]\nprovider = outlook\nprotocol = pop3\n"
	    "user = a@outlook.com\noauth2_client_id = cid\n"
	    "oauth2_scope = only-this\n"
	    "[account t]\nhost = h\nuser = u\nauth = oauth2\n"
	    "oauth2_token_command = tok\nallow_plaintext = yes\n"
	    "oauth2_client_id = c\n"
	    "oauth2_token_url = http://127.0.0.1:8080/token\n"
	    "[account p]\nhost = h\nuser = u\nprovider = gmail\n"
	    "auth = password\npassword_command = pw\n");
	const struct config_account *g = &cfg->accounts[0];
	const struct config_account *o = &cfg->accounts[1];
	const struct config_account *t = &cfg->accounts[2];
	const struct config_account *p = &cfg->accounts[3];

	ck_assert_int_eq(g->auth, CONFIG_AUTH_OAUTH2);
	ck_assert_int_eq(g->provider, CONFIG_PROVIDER_GMAIL);
	ck_assert_str_eq(g->host, "imap.gmail.com");
	ck_assert_uint_eq(g->port, 993);
	ck_assert_str_eq(g->smtp_host, "smtp.gmail.com");
	ck_assert_uint_eq(g->smtp_port, 465);
	ck_assert_int_eq(g->smtp_tls, CONFIG_TLS_IMPLICIT);
	ck_assert_str_eq(g->oauth2_token_url,
	    "https://oauth2.googleapis.com/token");
	ck_assert_str_eq(g->oauth2_scope, "https://mail.google.com/");
	ck_assert_ptr_null(g->oauth2_token_command);
	/* Outlook: POP3 host, submission with STARTTLS, the scope kept. */
	ck_assert_str_eq(o->host, "outlook.office365.com");
	ck_assert_uint_eq(o->port, 995);
	ck_assert_str_eq(o->smtp_host, "smtp.office365.com");
	ck_assert_uint_eq(o->smtp_port, 587);
	ck_assert_int_eq(o->smtp_tls, CONFIG_TLS_STARTTLS);
	ck_assert_str_eq(o->oauth2_scope, "only-this");
	ck_assert(strstr(o->oauth2_device_url, "/devicecode") != NULL);
	/* Loopback http with allow_plaintext; no provider: nothing filled. */
	ck_assert_int_eq(t->auth, CONFIG_AUTH_OAUTH2);
	ck_assert_str_eq(t->oauth2_token_command, "tok");
	ck_assert_ptr_null(t->oauth2_scope);
	ck_assert_ptr_null(t->smtp_host);
	/* auth = password wins over the provider's default. */
	ck_assert_int_eq(p->auth, CONFIG_AUTH_PASSWORD);
	ck_assert_str_eq(p->host, "h");
	config_free(&cfg);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("good files");
	TCase *tl = tcase_create("load");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_design_example);
	tcase_add_test(tc, test_every_key);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_empty_and_booleans);
	tcase_add_test(tc, test_password);
	tcase_add_test(tc, test_editor);
	tcase_add_test(tc, test_hooks);
	tcase_add_test(tc, test_searches);
	tcase_add_test(tc, test_oauth2);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tl, setup_dir, teardown_dir);
	tcase_add_test(tl, test_load_mode);
	tcase_add_test(tl, test_load_writable);
	tcase_add_test(tl, test_password_reread);
	tcase_add_test(tl, test_load_errors);
	suite_add_tcase(s, tl);
	suite_add_tcase(s, config_bad_tcase());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
