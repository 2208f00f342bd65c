/*
 * Integration tests of net/conn against the real Dovecot and the
 * bad-certificate listeners of tests/server/ (run under with-dovecot,
 * which exports the POSTIE_TEST_* variables).
 */
#include <config.h>

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "net/conn.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0')
		ck_abort_msg(
		    "%s is not set: run under tests/server/with-dovecot", name);
	return v;
}

static unsigned
env_port(const char *name)
{
	return (unsigned)strtoul(env(name), NULL, 10);
}

/* Options for the harness host with its CA trusted. */
static struct conn_opts
opts(const char *port_var, enum conn_tls tls)
{
	struct conn_opts o = {0};

	o.host = env("POSTIE_TEST_HOST");
	o.port = env_port(port_var);
	o.tls = tls;
	o.timeout = 10;
	o.ca_file = env("POSTIE_TEST_CA");
	o.tls_servername = env("POSTIE_TEST_NAME");
	return o;
}

static const char *
line_of(struct conn *c)
{
	struct error err = {""};
	const char *line;
	size_t len;

	ck_assert_msg(
	    conn_read_line(c, 8192, &line, &len, &err) == 0, "%s", err.msg);
	return line;
}

static void
send_str(struct conn *c, const char *s)
{
	struct error err = {""};

	ck_assert_msg(conn_write(c, s, strlen(s), &err) == 0, "%s", err.msg);
}

static struct conn *
open_ok(const struct conn_opts *o)
{
	struct error err = {""};
	struct conn *c = NULL;

	ck_assert_msg(conn_open(o, &c, &err) == 0, "%s", err.msg);
	return c;
}

/* conn_open must fail; returns the sentence. */
static const char *
open_fails(const struct conn_opts *o)
{
	static struct error err;
	struct conn *c = NULL;

	ck_assert_int_eq(conn_open(o, &c, &err), -1);
	ck_assert_ptr_null(c);
	return err.msg;
}

static void
assert_has(const char *msg, const char *words)
{
	ck_assert_msg(
	    strstr(msg, words) != NULL, "\"%s\" lacks \"%s\"", msg, words);
}

START_TEST(test_imaps)
{
	struct conn_opts o = opts("POSTIE_TEST_IMAPS_PORT", CONN_TLS_IMPLICIT);
	struct conn *c = open_ok(&o);

	ck_assert_int_eq(conn_is_tls(c), 1);
	assert_has(conn_security(c), "TLSv1.");
	ck_assert_int_eq(strncmp(line_of(c), "* OK", 4), 0);
	conn_close(&c);
	/* the name alone, resolved by getaddrinfo (maybe ::1 first) */
	o.host = env("POSTIE_TEST_NAME");
	o.tls_servername = NULL;
	c = open_ok(&o);
	ck_assert_int_eq(strncmp(line_of(c), "* OK", 4), 0);
	conn_close(&c);
}
END_TEST

START_TEST(test_imaps_ip_verified)
{
	struct conn_opts o = opts("POSTIE_TEST_IMAPS_PORT", CONN_TLS_IMPLICIT);
	struct conn *c;

	o.tls_servername = NULL; /* check the certificate's IP address */
	c = open_ok(&o);
	ck_assert_int_eq(strncmp(line_of(c), "* OK", 4), 0);
	conn_close(&c);
}
END_TEST

START_TEST(test_pop3s)
{
	struct conn_opts o = opts("POSTIE_TEST_POP3S_PORT", CONN_TLS_IMPLICIT);
	struct conn *c = open_ok(&o);

	ck_assert_int_eq(strncmp(line_of(c), "+OK", 3), 0);
	send_str(c, "QUIT\r\n");
	ck_assert_int_eq(strncmp(line_of(c), "+OK", 3), 0);
	conn_close(&c);
}
END_TEST

START_TEST(test_imap_starttls)
{
	struct conn_opts o = opts("POSTIE_TEST_IMAP_PORT", CONN_TLS_NONE);
	struct error err = {""};
	struct conn *c = open_ok(&o);
	const char *l;
	int caps = 0;

	ck_assert_int_eq(strncmp(line_of(c), "* OK", 4), 0);
	send_str(c, "a STARTTLS\r\n");
	while (strncmp(l = line_of(c), "a ", 2) != 0)
		;
	ck_assert_int_eq(strncmp(l, "a OK", 4), 0);
	ck_assert_msg(conn_starttls(c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(conn_is_tls(c), 1);
	send_str(c, "b CAPABILITY\r\n");
	while (strncmp(l = line_of(c), "b ", 2) != 0)
		if (strncmp(l, "* CAPABILITY ", 13) == 0) {
			caps++;
			assert_has(l, "IMAP4rev1");
		}
	ck_assert_int_eq(strncmp(l, "b OK", 4), 0);
	ck_assert_int_eq(caps, 1);
	send_str(c, "c LOGOUT\r\n");
	conn_close(&c);
}
END_TEST

START_TEST(test_pop3_stls)
{
	struct conn_opts o = opts("POSTIE_TEST_POP3_PORT", CONN_TLS_NONE);
	struct error err = {""};
	struct conn *c = open_ok(&o);
	const char *l;
	int n = 0;

	ck_assert_int_eq(strncmp(line_of(c), "+OK", 3), 0);
	send_str(c, "STLS\r\n");
	ck_assert_int_eq(strncmp(line_of(c), "+OK", 3), 0);
	ck_assert_msg(conn_starttls(c, &err) == 0, "%s", err.msg);
	send_str(c, "CAPA\r\n");
	ck_assert_int_eq(strncmp(line_of(c), "+OK", 3), 0);
	while (strcmp(l = line_of(c), ".") != 0)
		n++;
	ck_assert_int_gt(n, 0);
	send_str(c, "QUIT\r\n");
	ck_assert_int_eq(strncmp(line_of(c), "+OK", 3), 0);
	conn_close(&c);
}
END_TEST

START_TEST(test_wrong_host)
{
	struct conn_opts o =
	    opts("POSTIE_TEST_WRONGHOST_PORT", CONN_TLS_IMPLICIT);
	const char *msg = open_fails(&o);

	assert_has(msg, "certificate is for other.example.org");
	assert_has(msg, "not localhost; fingerprint sha256:");
}
END_TEST

START_TEST(test_expired)
{
	struct conn_opts o =
	    opts("POSTIE_TEST_EXPIRED_PORT", CONN_TLS_IMPLICIT);
	const char *msg = open_fails(&o);
	const char *na = getenv("POSTIE_TEST_EXPIRED_NOTAFTER");
	char want[64];

	assert_has(msg, "certificate expired on 20");
	assert_has(msg, "; fingerprint sha256:");
	/* 2021-01-01T00:00:00Z is said 2021-01-01 00:00:00 UTC */
	if (na != NULL && strlen(na) == 20) {
		snprintf(want, sizeof(want), "expired on %.10s %.8s UTC;", na,
		    na + 11);
		assert_has(msg, want);
	}
}
END_TEST

START_TEST(test_selfsigned)
{
	struct conn_opts o =
	    opts("POSTIE_TEST_SELFSIGNED_PORT", CONN_TLS_IMPLICIT);
	const char *msg = open_fails(&o);
	char want[200];

	snprintf(want, sizeof(want),
	    "self-signed certificate; fingerprint "
	    "sha256:%s",
	    env("POSTIE_TEST_SELFSIGNED_FP"));
	assert_has(msg, want);
	assert_has(msg, "127.0.0.1");
}
END_TEST

START_TEST(test_unknown_ca)
{
	struct conn_opts o =
	    opts("POSTIE_TEST_UNKNOWNCA_PORT", CONN_TLS_IMPLICIT);
	const char *msg = open_fails(&o);

	assert_has(msg, "certificate issued by an unknown authority (");
	assert_has(msg, "; fingerprint sha256:");
}
END_TEST

/*
 * Without ca_file the system store decides: the hashed directory of
 * SSL_CERT_DIR (read lazily), or the bundle when that directory holds no
 * certificates.  Here the directory holds only the harness CA.
 */
START_TEST(test_system_store)
{
	struct conn_opts o = opts("POSTIE_TEST_IMAPS_PORT", CONN_TLS_IMPLICIT);
	char dir[] = "/tmp/postie-certdir.XXXXXX", path[128], buf[4096];
	struct conn *c;
	FILE *in, *out;
	X509 *x;
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(in = fopen(env("POSTIE_TEST_CA"), "r"));
	ck_assert_ptr_nonnull(x = PEM_read_X509(in, NULL, NULL, NULL));
	snprintf(path, sizeof(path), "%s/%08lx.0", dir,
	    X509_subject_name_hash(x));
	X509_free(x);
	rewind(in);
	ck_assert_ptr_nonnull(out = fopen(path, "w"));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
	o.ca_file = NULL;
	unsetenv("SSL_CERT_FILE");
	setenv("SSL_CERT_DIR", dir, 1);
	c = open_ok(&o);
	conn_close(&c);
	/* The same directory empty: the bundle, which lacks our CA. */
	ck_assert_int_eq(unlink(path), 0);
	assert_has(open_fails(&o), "certificate issued by an unknown");
	/* A bundle that has it, read only once an issuer is missing: with
	 * no ca_file, and with a ca_file of another CA (both are trusted). */
	setenv("SSL_CERT_FILE", env("POSTIE_TEST_CA"), 1);
	c = open_ok(&o);
	conn_close(&c);
	o.ca_file = env("POSTIE_TEST_UNKNOWNCA_CA");
	c = open_ok(&o);
	conn_close(&c);
	unsetenv("SSL_CERT_FILE");
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_pin_accepts_selfsigned)
{
	struct conn_opts o =
	    opts("POSTIE_TEST_SELFSIGNED_PORT", CONN_TLS_IMPLICIT);
	char pin[100];
	struct conn *c;

	snprintf(
	    pin, sizeof(pin), "sha256:%s", env("POSTIE_TEST_SELFSIGNED_FP"));
	o.fingerprint = pin;
	c = open_ok(&o);
	ck_assert_int_eq(strncmp(line_of(c), "* OK", 4), 0);
	conn_close(&c);
}
END_TEST

START_TEST(test_pin_refuses_valid)
{
	struct conn_opts o = opts("POSTIE_TEST_IMAPS_PORT", CONN_TLS_IMPLICIT);
	const char *msg;

	o.fingerprint = env("POSTIE_TEST_SELFSIGNED_FP");
	msg = open_fails(&o);
	assert_has(msg, "does not match the pinned fingerprint");
	assert_has(msg, "although its chain is valid");
}
END_TEST

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The bound is the contract (timeout + 1 s), not a speed measurement. */
START_TEST(test_silent_plain)
{
	struct conn_opts o = opts("POSTIE_TEST_SILENT_PORT", CONN_TLS_NONE);
	struct error err = {""};
	const char *line;
	struct conn *c;
	size_t len;
	double t;

	o.timeout = 2;
	c = open_ok(&o);
	t = now_s();
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), -1);
	t = now_s() - t;
	assert_has(err.msg, "did not answer within 2 seconds");
	ck_assert_msg(t < 3.0, "the timeout took %.1f s", t);
	conn_close(&c);
}
END_TEST

START_TEST(test_silent_tls)
{
	struct conn_opts o = opts("POSTIE_TEST_SILENT_PORT", CONN_TLS_IMPLICIT);
	const char *msg;
	double t;

	o.timeout = 2;
	t = now_s();
	msg = open_fails(&o);
	t = now_s() - t;
	assert_has(msg, "did not answer within 2 seconds");
	ck_assert_msg(t < 3.0, "the timeout took %.1f s", t);
}
END_TEST

START_TEST(test_refused)
{
	struct conn_opts o = opts("POSTIE_TEST_IMAP_PORT", CONN_TLS_NONE);
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	char want[128];
	int fd;

	/* a loopback port that was free a moment ago */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);
	close(fd);
	o.host = "127.0.0.1";
	o.port = ntohs(sin.sin_port);
	snprintf(want, sizeof(want),
	    "cannot connect to 127.0.0.1 port %u: Connection refused", o.port);
	ck_assert_str_eq(open_fails(&o), want);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("conn-integration");
	TCase *tc = tcase_create("dovecot");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_imaps);
	tcase_add_test(tc, test_imaps_ip_verified);
	tcase_add_test(tc, test_pop3s);
	tcase_add_test(tc, test_imap_starttls);
	tcase_add_test(tc, test_pop3_stls);
	tcase_add_test(tc, test_wrong_host);
	tcase_add_test(tc, test_expired);
	tcase_add_test(tc, test_selfsigned);
	tcase_add_test(tc, test_unknown_ca);
	tcase_add_test(tc, test_system_store);
	tcase_add_test(tc, test_pin_accepts_selfsigned);
	tcase_add_test(tc, test_pin_refuses_valid);
	tcase_add_test(tc, test_silent_plain);
	tcase_add_test(tc, test_silent_tls);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
