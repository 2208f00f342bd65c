/*
 * net/pop3 against the harness server (run by tests/server/with-dovecot,
 * with-cyrus or with-courier):
 * POP3S and STLS sessions, every command, pipelined RETR byte for byte
 * against the server's own files, DELE/RSET/QUIT, and the refusals.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "net/pop3.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v != NULL, "%s is not set (run under with-dovecot)",
	    name);
	return v;
}

static void
opts_init(struct pop3_opts *o, enum pop3_security sec)
{
	memset(o, 0, sizeof(*o));
	o->conn.host = env("POSTIE_TEST_NAME");
	o->conn.port = (unsigned)atoi(env(sec == POP3_SEC_IMPLICIT ?
	    "POSTIE_TEST_POP3S_PORT" : "POSTIE_TEST_POP3_PORT"));
	o->security = sec;
	o->conn.timeout = 20;
	o->conn.ca_file = env("POSTIE_TEST_CA");
}

static struct pop3 *
login(enum pop3_security tls, const char *user, const char *pw)
{
	struct pop3_opts o;
	struct pop3 *p = NULL;
	struct error err;

	error_clear(&err);
	opts_init(&o, tls);
	ck_assert_msg(pop3_open(&o, &p, &err) == 0, "open: %s", err.msg);
	ck_assert_msg(pop3_login(p, user, pw, &err) == 0, "login: %s",
	    err.msg);
	return p;
}

/* The server's messages, CRLF -> LF, sorted, joined with a separator. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
server_is(const char *server)
{
	const char *s = getenv("POSTIE_TEST_SERVER");

	return strncmp(s ? s : "dovecot", server, strlen(server)) == 0;
}

/* Runs "harness CMD DIR USER [FILE]" (tests/server/harness); appends its
 * output to out unless out is NULL. */
static void
harness(const char *cmd, const char *user, const char *file,
    struct buf *out)
{
	char line[4096], chunk[4096];
	size_t got;
	FILE *fp;

	snprintf(line, sizeof(line), "python3 '%s/tests/server/harness' %s "
	    "'%s' %s %s", env("top_srcdir"), cmd, env("POSTIE_TEST_DIR"), user,
	    file ? file : "");
	ck_assert_ptr_nonnull(fp = popen(line, "r"));
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (out)
			buf_add(out, chunk, got);
	ck_assert_msg(pclose(fp) == 0, "%s failed", line);
}

static void
server_messages(const char *user, struct buf *out, size_t *n_r)
{
	char *names[256], var[64], path[4096];
	const char *sub[] = { "new", "cur" };
	size_t n = 0, i, k;
	struct dirent *de;
	DIR *d;

	snprintf(var, sizeof(var), "POSTIE_TEST_MAILDIR_%s", user);
	if (getenv(var) == NULL) {
		/* Cyrus keeps no Maildir: ask it over IMAP. */
		const char *q;

		harness("messages", user, NULL, out);
		q = out->data;
		while (q && (q = strstr(q, "\x01--\x01")) != NULL) {
			n++;
			q += 4;
		}
		*n_r = n;
		return;
	}
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s", env(var), sub[k]);
		ck_assert_ptr_nonnull(d = opendir(path));
		while ((de = readdir(d)) != NULL && n < 256) {
			struct buf b = BUF_INIT;
			FILE *fp;
			int c;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", env(var),
			    sub[k], de->d_name);
			ck_assert_ptr_nonnull(fp = fopen(path, "rb"));
			while ((c = fgetc(fp)) != EOF) {
				if (c == '\n' && b.len > 0 &&
				    b.data[b.len - 1] == '\r')
					b.len--;
				buf_addch(&b, c);
			}
			fclose(fp);
			names[n++] = buf_detach(&b, NULL);
		}
		closedir(d);
	}
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		buf_addstr(out, names[i]);
		buf_addstr(out, "\x01--\x01");
		free(names[i]);
	}
	*n_r = n;
}

struct got {
	char *msgs[256];
	size_t n;
	struct buf cur;
};

static int
g_begin(void *ctx, unsigned num, struct error *err)
{
	struct got *g = ctx;

	(void)num;
	(void)err;
	buf_reset(&g->cur);
	return 0;
}

static int
g_data(void *ctx, const char *p, size_t len, struct error *err)
{
	(void)err;
	buf_add(&((struct got *)ctx)->cur, p, len);
	return 0;
}

static int
g_end(void *ctx, unsigned num, struct error *err)
{
	struct got *g = ctx;

	(void)num;
	if (g->n == 256)
		return error_set(err, "too many");
	g->msgs[g->n++] = xstrdup(buf_cstr(&g->cur));
	return 0;
}

static const struct pop3_retr_cb got_cb = { g_begin, g_data, g_end };

START_TEST(test_pop3s_session)
{
	struct pop3 *p = login(POP3_SEC_IMPLICIT, "bob", "pw-bob");
	struct pop3_msg *msgs = NULL;
	struct buf want = BUF_INIT, have = BUF_INIT;
	struct got g;
	struct error err;
	unsigned count, nums[256], caps;
	uint64_t size, sum = 0;
	size_t n, i, nwant;
	int have_uidl;

	memset(&g, 0, sizeof(g));
	error_clear(&err);
	ck_assert(strstr(pop3_security(p), "TLS") != NULL);
	caps = pop3_caps(p);
	ck_assert(caps & POP3_CAP_UIDL);
	ck_assert(caps & POP3_CAP_PIPELINING);
	ck_assert(caps & POP3_CAP_TOP);
	ck_assert_int_eq(pop3_stat(p, &count, &size, &err), 0);
	server_messages("bob", &want, &nwant);
	ck_assert_uint_eq(count, nwant);
	ck_assert_int_eq(pop3_scan(p, &msgs, &n, &have_uidl, &err), 0);
	ck_assert_uint_eq(n, count);
	ck_assert(have_uidl);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(msgs[i].num, i + 1);
		ck_assert(pop3_uidl_valid(msgs[i].uidl, strlen(msgs[i].uidl)));
		sum += msgs[i].size;
		nums[i] = msgs[i].num;
	}
	ck_assert_uint_eq(sum, size);
	/* Every message, pipelined, byte for byte (CRLF -> LF). */
	ck_assert_msg(pop3_retr_many(p, nums, n, &got_cb, &g, &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(g.n, n);
	qsort(g.msgs, g.n, sizeof(g.msgs[0]), cmp_str);
	for (i = 0; i < g.n; i++) {
		buf_addstr(&have, g.msgs[i]);
		buf_addstr(&have, "\x01--\x01");
		free(g.msgs[i]);
	}
	ck_assert_uint_eq(have.len, want.len);
	ck_assert(memcmp(have.data, want.data, want.len) == 0);
	/* TOP n 0: the header and the blank line after it. */
	g.n = 0;
	ck_assert_int_eq(pop3_top(p, 1, 0, &got_cb, &g, &err), 0);
	ck_assert_uint_eq(g.n, 1);
	ck_assert(strstr(g.msgs[0], "\n\n") != NULL);
	ck_assert(strlen(strstr(g.msgs[0], "\n\n")) == 2);
	free(g.msgs[0]);
	/* DELE then RSET: nothing is deleted. */
	ck_assert_int_eq(pop3_dele_many(p, nums, 1, &err), 0);
	ck_assert_int_eq(pop3_stat(p, &count, &size, &err), 0);
	ck_assert_uint_eq(count, n - 1);
	ck_assert_int_eq(pop3_rset(p, &err), 0);
	ck_assert_int_eq(pop3_noop(p, &err), 0);
	ck_assert_int_eq(pop3_quit(p, &err), 0);
	pop3_close(&p);
	p = login(POP3_SEC_IMPLICIT, "bob", "pw-bob");
	ck_assert_int_eq(pop3_stat(p, &count, &size, &err), 0);
	ck_assert_uint_eq(count, n);
	pop3_close(&p);
	free(msgs);
	buf_free(&want);
	buf_free(&have);
	buf_free(&g.cur);
}
END_TEST

START_TEST(test_stls)
{
	struct pop3 *p = login(POP3_SEC_STLS, "bob", "pw-bob");
	struct error err;
	unsigned count;
	uint64_t size;

	ck_assert(strstr(pop3_security(p), "TLS") != NULL);
	ck_assert_int_eq(pop3_stat(p, &count, &size, &err), 0);
	ck_assert_uint_gt(count, 0);
	ck_assert_int_eq(pop3_quit(p, &err), 0);
	pop3_close(&p);
}
END_TEST

static void
drop(const char *user, int i)
{
	char var[64], path[4096], tmp[4096];
	struct stat st;
	FILE *fp;

	snprintf(var, sizeof(var), "POSTIE_TEST_MAILDIR_%s", user);
	if (getenv(var) == NULL) {
		/* Cyrus: through its LMTP (harness deliver). */
		snprintf(tmp, sizeof(tmp), "%s/engine-%d", env("POSTIE_TEST_DIR"),
		    i);
		ck_assert_ptr_nonnull(fp = fopen(tmp, "wb"));
		fprintf(fp, "Subject: engine %d\r\n\r\nbody %d\r\n.dot\r\n",
		    i, i);
		fclose(fp);
		harness("deliver", user, tmp, NULL);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s/tmp/engine-%d-%d", env(var), (int)getpid(),
	    i);
	snprintf(path, sizeof(path), "%s/new/engine-%d-%d", env(var),
	    (int)getpid(), i);
	ck_assert_ptr_nonnull(fp = fopen(tmp, "wb"));
	/* Courier serves Maildir files as they are: LF there. */
	if (server_is("courier"))
		fprintf(fp, "Subject: engine %d\n\nbody %d\n.dot\n", i, i);
	else
		fprintf(fp, "Subject: engine %d\r\n\r\nbody %d\r\n.dot\r\n",
		    i, i);
	fclose(fp);
	ck_assert_int_eq(stat(env(var), &st), 0);
	ck_assert_int_eq(chown(tmp, st.st_uid, st.st_gid), 0);
	ck_assert_int_eq(chmod(tmp, 0644), 0);
	ck_assert_int_eq(rename(tmp, path), 0);
}

START_TEST(test_dele_quit)
{
	struct pop3 *p;
	struct pop3_msg *msgs = NULL;
	struct error err;
	unsigned nums[8], count;
	uint64_t size;
	size_t n, i;
	int have_uidl;

	for (i = 0; i < 3; i++)
		drop("carol", (int)i);
	p = login(POP3_SEC_IMPLICIT, "carol", "pw-carol");
	ck_assert_int_eq(pop3_scan(p, &msgs, &n, &have_uidl, &err), 0);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++)
		nums[i] = msgs[i].num;
	ck_assert_int_eq(pop3_dele_many(p, nums, n, &err), 0);
	/* Without QUIT nothing is deleted. */
	pop3_close(&p);
	p = login(POP3_SEC_IMPLICIT, "carol", "pw-carol");
	ck_assert_int_eq(pop3_stat(p, &count, &size, &err), 0);
	ck_assert_uint_eq(count, 3);
	ck_assert_int_eq(pop3_dele_many(p, nums, n, &err), 0);
	ck_assert_int_eq(pop3_quit(p, &err), 0);
	pop3_close(&p);
	p = login(POP3_SEC_IMPLICIT, "carol", "pw-carol");
	ck_assert_int_eq(pop3_stat(p, &count, &size, &err), 0);
	ck_assert_uint_eq(count, 0);
	ck_assert_uint_eq(size, 0);
	pop3_close(&p);
	free(msgs);
}
END_TEST

/* A wrong password's error: Dovecot and Cyrus send [AUTH] (RFC 3206),
 * which postie words itself; Courier has no RESP-CODES and says only
 * "Login failed.", which postie shows. */
static int
refused_login(const char *msg)
{
	if (server_is("courier"))
		return strstr(msg, "login failed") != NULL &&
		    strstr(msg, "Login failed.") != NULL;
	return strstr(msg, "rejected the user name or password") != NULL;
}

START_TEST(test_refusals)
{
	struct pop3_opts o;
	struct pop3 *p = NULL;
	struct error err;
	char longpw[400];

	/* Plaintext needs allow_plaintext. */
	error_clear(&err);
	opts_init(&o, POP3_SEC_NONE);
	ck_assert_int_eq(pop3_open(&o, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "allow_plaintext"));
	/* A wrong password, short (initial response) and long (after a
	 * continuation): the same clear sentence. */
	opts_init(&o, POP3_SEC_IMPLICIT);
	ck_assert_int_eq(pop3_open(&o, &p, &err), 0);
	ck_assert_int_eq(pop3_login(p, "bob", "wrong", &err), -1);
	ck_assert_msg(refused_login(err.msg), "%s", err.msg);
	pop3_close(&p);
	memset(longpw, 'p', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	ck_assert_int_eq(pop3_open(&o, &p, &err), 0);
	error_clear(&err);
	ck_assert_int_eq(pop3_login(p, "bob", longpw, &err), -1);
	ck_assert_msg(refused_login(err.msg), "%s", err.msg);
	pop3_close(&p);
	/* APOP only when the greeting offers it: Dovecot's and Courier's do
	 * not; Cyrus's does (its sasldb holds plain passwords), and it
	 * works. */
	o.apop = 1;
	ck_assert_int_eq(pop3_open(&o, &p, &err), 0);
	if (server_is("cyrus")) {
		ck_assert_msg(pop3_login(p, "bob", "pw-bob", &err) == 0, "%s",
		    err.msg);
	} else {
		ck_assert_int_eq(pop3_login(p, "bob", "pw-bob", &err), -1);
		ck_assert_ptr_nonnull(strstr(err.msg, "offers no APOP"));
	}
	pop3_close(&p);
	/* A certificate for another name. */
	o.apop = 0;
	o.conn.port = (unsigned)atoi(env("POSTIE_TEST_WRONGHOST_PORT"));
	ck_assert_int_eq(pop3_open(&o, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "fingerprint sha256:"));
	ck_assert_ptr_null(p);
	/* Line breaks never reach the server. */
	opts_init(&o, POP3_SEC_IMPLICIT);
	ck_assert_int_eq(pop3_open(&o, &p, &err), 0);
	ck_assert_int_eq(pop3_login(p, "bob\r\nDELE 1", "pw-bob", &err), -1);
	pop3_close(&p);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pop3_engine");
	TCase *tc = tcase_create("dovecot");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_pop3s_session);
	tcase_add_test(tc, test_stls);
	tcase_add_test(tc, test_dele_quit);
	tcase_add_test(tc, test_refusals);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
