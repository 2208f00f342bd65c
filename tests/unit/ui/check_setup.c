/* setup: the setup form's suggestions from an address, and the config
 * it writes (read back by config_parse, 0600, never over a file). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/setup.h"

START_TEST(test_suggest)
{
	struct setup_suggestion s;

	ck_assert_int_eq(setup_suggest("alice@Example.ORG", CONFIG_IMAP,
	    CONFIG_TLS_IMPLICIT, CONFIG_TLS_IMPLICIT, &s), 0);
	ck_assert_str_eq(s.account, "example");
	ck_assert_str_eq(s.host, "imap.example.org");
	ck_assert_uint_eq(s.port, 993);
	ck_assert_str_eq(s.smtp_host, "smtp.example.org");
	ck_assert_uint_eq(s.smtp_port, 465);

	ck_assert_int_eq(setup_suggest("bob@mail.example.co.uk", CONFIG_POP3,
	    CONFIG_TLS_IMPLICIT, CONFIG_TLS_STARTTLS, &s), 0);
	ck_assert_str_eq(s.account, "mail");
	ck_assert_str_eq(s.host, "pop.mail.example.co.uk");
	ck_assert_uint_eq(s.port, 995);
	ck_assert_str_eq(s.smtp_host, "smtp.mail.example.co.uk");
	ck_assert_uint_eq(s.smtp_port, 587);

	ck_assert_int_eq(setup_suggest("c@example.org", CONFIG_POP3,
	    CONFIG_TLS_STARTTLS, CONFIG_TLS_IMPLICIT, &s), 0);
	ck_assert_uint_eq(s.port, 110);
	ck_assert_int_eq(setup_suggest("c@example.org", CONFIG_IMAP,
	    CONFIG_TLS_STARTTLS, CONFIG_TLS_IMPLICIT, &s), 0);
	ck_assert_uint_eq(s.port, 143);
	ck_assert_int_eq(setup_suggest("c@example.org", CONFIG_IMAP,
	    CONFIG_TLS_NONE, CONFIG_TLS_NONE, &s), 0);
	ck_assert_uint_eq(s.port, 143);
	ck_assert_uint_eq(s.smtp_port, 587);

	/* not an address: nothing suggested */
	ck_assert_int_eq(setup_suggest("alice", CONFIG_IMAP,
	    CONFIG_TLS_IMPLICIT, CONFIG_TLS_IMPLICIT, &s), -1);
	ck_assert_int_eq(setup_suggest("alice@", CONFIG_IMAP,
	    CONFIG_TLS_IMPLICIT, CONFIG_TLS_IMPLICIT, &s), -1);
	ck_assert_int_eq(setup_suggest("alice@localhost", CONFIG_IMAP,
	    CONFIG_TLS_IMPLICIT, CONFIG_TLS_IMPLICIT, &s), -1);
	ck_assert_int_eq(setup_suggest("a b@example.org", CONFIG_IMAP,
	    CONFIG_TLS_IMPLICIT, CONFIG_TLS_IMPLICIT, &s), -1);
}
END_TEST

static struct setup_answers
base(void)
{
	struct setup_answers a = {
		.address = "alice@example.org", .name = "Martin, Alice",
		.account = "work", .protocol = CONFIG_POP3,
		.keep_on_server = 0, .host = "pop.example.org", .port = "995",
		.tls = CONFIG_TLS_IMPLICIT, .user = "alice",
		.store_password = 1, .password_command = "",
		.password = "p#ss \"x\"\\", .ca_file = "",
		.smtp_host = "smtp.example.org", .smtp_port = "587",
		.smtp_tls = CONFIG_TLS_STARTTLS,
		.client_id = "", .client_secret = "",
	};

	return a;
}

START_TEST(test_text)
{
	struct setup_answers a = base();
	struct buf t = BUF_INIT;
	struct config *cfg = NULL;
	struct error err;
	const struct config_account *c;

	ck_assert_int_eq(setup_config_text(&a, &t, &err), 0);
	ck_assert_ptr_nonnull(strstr(t.data, "# "));
	ck_assert_int_eq(config_parse("/x/config", t.data, t.len, &cfg, &err),
	    0);
	ck_assert_uint_eq(cfg->naccounts, 1);
	c = &cfg->accounts[0];
	ck_assert_str_eq(c->name, "work");
	ck_assert_int_eq(c->protocol, CONFIG_POP3);
	ck_assert_int_eq(c->keep_on_server, 0);
	ck_assert_uint_eq(c->port, 995);
	ck_assert_str_eq(c->password, "p#ss \"x\"\\");
	ck_assert_str_eq(c->from, "\"Martin, Alice\" <alice@example.org>");
	ck_assert_uint_eq(c->smtp_port, 587);
	ck_assert_int_eq(c->smtp_tls, CONFIG_TLS_STARTTLS);
	config_free(&cfg);
	buf_free(&t);

	/* plaintext needs allow_plaintext; no SMTP host: no sending */
	a.store_password = 0;
	a.password_command = "pass show mail/work";
	a.protocol = CONFIG_IMAP;
	a.tls = CONFIG_TLS_NONE;
	a.smtp_host = "";
	ck_assert_int_eq(setup_config_text(&a, &t, &err), 0);
	ck_assert_ptr_null(strstr(t.data, "\npassword ="));
	ck_assert_int_eq(config_parse("/x/config", t.data, t.len, &cfg, &err),
	    0);
	c = &cfg->accounts[0];
	ck_assert_int_eq(c->tls, CONFIG_TLS_NONE);
	ck_assert_int_eq(c->allow_plaintext, 1);
	ck_assert_str_eq(c->password_command, "pass show mail/work");
	ck_assert_ptr_null(c->from);
	config_free(&cfg);
	buf_free(&t);

	/* a field to correct is named */
	a = base();
	a.port = "99999";
	ck_assert_int_eq(setup_config_text(&a, &t, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "port"));
	a = base();
	a.account = "my work";
	ck_assert_int_eq(setup_config_text(&a, &t, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "account name"));
	a = base();
	a.store_password = 0;
	ck_assert_int_eq(setup_config_text(&a, &t, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "password command"));
	buf_free(&t);
}
END_TEST

/* OAuth2: provider and client id, no password and no servers (the
 * provider fills them in), parsed back as postie will read it. */
START_TEST(test_oauth_text)
{
	struct setup_answers a = base();
	struct buf t = BUF_INIT;
	struct config *cfg = NULL;
	struct error err;
	const struct config_account *c;

	a.provider = CONFIG_PROVIDER_OUTLOOK;
	a.protocol = CONFIG_IMAP;
	a.store_password = 0;
	ck_assert_int_eq(setup_config_text(&a, &t, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "client id"));
	a.client_id = "my-client";
	ck_assert_int_eq(setup_config_text(&a, &t, &err), 0);
	ck_assert_ptr_null(strstr(t.data, "password"));
	ck_assert_ptr_null(strstr(t.data, "\nhost ="));
	ck_assert_ptr_null(strstr(t.data, "oauth2_client_secret"));
	ck_assert_int_eq(config_parse("/x/config", t.data, t.len, &cfg, &err),
	    0);
	c = &cfg->accounts[0];
	ck_assert_int_eq(c->auth, CONFIG_AUTH_OAUTH2);
	ck_assert_int_eq(c->provider, CONFIG_PROVIDER_OUTLOOK);
	ck_assert_str_eq(c->host, "outlook.office365.com");
	ck_assert_str_eq(c->oauth2_client_id, "my-client");
	ck_assert_str_eq(c->from, "\"Martin, Alice\" <alice@example.org>");
	ck_assert_str_eq(c->smtp_host, "smtp.office365.com");
	config_free(&cfg);
	buf_free(&t);

	/* Gmail over POP3, with a secret: retention still said */
	a.provider = CONFIG_PROVIDER_GMAIL;
	a.protocol = CONFIG_POP3;
	a.client_secret = "s3cret";
	ck_assert_int_eq(setup_config_text(&a, &t, &err), 0);
	ck_assert_int_eq(config_parse("/x/config", t.data, t.len, &cfg, &err),
	    0);
	c = &cfg->accounts[0];
	ck_assert_str_eq(c->host, "pop.gmail.com");
	ck_assert_str_eq(c->oauth2_client_secret, "s3cret");
	ck_assert_int_eq(c->keep_on_server, 0);
	config_free(&cfg);
	buf_free(&t);
}
END_TEST

START_TEST(test_write)
{
	char dir[] = "/tmp/check_setup_XXXXXX", path[256], got[8] = "";
	struct buf t = BUF_INIT;
	struct error err;
	struct stat st;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/config", dir);
	buf_addstr(&t, "one\n");
	ck_assert_int_eq(setup_write_config(path, &t, &err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* never over an existing file */
	buf_reset(&t);
	buf_addstr(&t, "two\n");
	ck_assert_int_eq(setup_write_config(path, &t, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "exists"));
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(got, sizeof(got), fp));
	fclose(fp);
	ck_assert_str_eq(got, "one\n");
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
	buf_free(&t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("setup");
	TCase *tc = tcase_create("setup");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_suggest);
	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_oauth_text);
	tcase_add_test(tc, test_write);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
