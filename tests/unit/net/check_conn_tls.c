/*
 * Unit tests of net/conn under TLS against the listener thread of
 * conn_testsrv.c, with certificates made here: verification sentences,
 * pins, IP literals, old protocols, STARTTLS, SIGPIPE under TLS.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/conn.h"
#include "tests/unit/net/conn_testsrv.h"

static EVP_PKEY *key_leaf, *key_ca;
static X509 *crt_self, *crt_expired, *crt_future, *crt_ca, *crt_by_ca;

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ck_assert_ptr_nonnull(ext);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
}

/* A certificate for cn, valid from..to days from now, signed by the
 * issuer (or itself). */
static X509 *
cert_new(const char *cn, const char *san, long from, long to, X509 *issuer,
    EVP_PKEY *ikey, EVP_PKEY *key)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *name;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), from * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), to * 86400);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(
	    name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	if (san != NULL)
		add_ext(x, issuer ? issuer : x, NID_subject_alt_name, san);
	else
		add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
	ck_assert_int_gt(X509_sign(x, ikey ? ikey : key, EVP_sha256()), 0);
	return x;
}

static void
tls_setup(void)
{
	const char *san = "DNS:localhost,IP:127.0.0.1";

	key_leaf = EVP_EC_gen("P-256");
	key_ca = EVP_EC_gen("P-256");
	ck_assert_ptr_nonnull(key_leaf);
	crt_self = cert_new("localhost", san, -1, 30, NULL, NULL, key_leaf);
	crt_expired = cert_new("localhost", san, -30, -1, NULL, NULL, key_leaf);
	crt_future = cert_new("localhost", san, 10, 30, NULL, NULL, key_leaf);
	crt_ca =
	    cert_new("Nobody Trusts Me CA", NULL, -1, 30, NULL, NULL, key_ca);
	crt_by_ca =
	    cert_new("localhost", san, -1, 30, crt_ca, key_ca, key_leaf);
}

static void
tls_teardown(void)
{
	X509_free(crt_self);
	X509_free(crt_expired);
	X509_free(crt_future);
	X509_free(crt_ca);
	X509_free(crt_by_ca);
	EVP_PKEY_free(key_leaf);
	EVP_PKEY_free(key_ca);
}

static void
fingerprint(X509 *x, char hex[65])
{
	unsigned char md[32];
	unsigned n = 0, i;

	X509_digest(x, EVP_sha256(), md, &n);
	ck_assert_uint_eq(n, 32);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* Writes x as PEM to a temporary file; the caller unlinks it. */
static void
pem_file(X509 *x, char path[64])
{
	FILE *f;
	int fd;

	snprintf(path, 64, "/tmp/check_conn_XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_int_eq(PEM_write_X509(f, x), 1);
	fclose(f);
}

static void
srv_tls_start(struct srv *s, X509 *x, int old)
{
	s->tls = SSL_CTX_new(TLS_server_method());
	ck_assert_int_eq(SSL_CTX_use_certificate(s->tls, x), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(s->tls, key_leaf), 1);
	if (old) {
		SSL_CTX_set_security_level(s->tls, 0);
		SSL_CTX_set_min_proto_version(s->tls, TLS1_VERSION);
		SSL_CTX_set_max_proto_version(s->tls, TLS1_1_VERSION);
	}
	srv_start(s);
}

static void
srv_tls_join(struct srv *s)
{
	srv_join(s);
	SSL_CTX_free(s->tls);
}

/* Opens implicit TLS to a server presenting x; returns conn_open's. */
static char last_sni[256]; /* what the last tls_try() sent as SNI */

static int
tls_try(X509 *x, const char *host, const char *name, X509 *trust,
    const char *pin, struct conn **c_r, struct error *err)
{
	struct srv s = {0};
	struct conn_opts o = {0};
	char ca[64];
	int r;

	srv_tls_start(&s, x, 0);
	if (trust != NULL)
		pem_file(trust, ca);
	o.host = host;
	o.port = s.port;
	o.tls = CONN_TLS_IMPLICIT;
	o.timeout = 10;
	o.ca_file = trust ? ca : NULL;
	o.fingerprint = pin;
	o.tls_servername = name;
	r = conn_open(&o, c_r, err);
	if (r == 0) {
		/* the server waits for a line before it closes */
		ck_assert_int_eq(conn_write(*c_r, "bye\r\n", 5, err), 0);
		conn_close(c_r);
	}
	srv_tls_join(&s);
	memcpy(last_sni, s.sni, sizeof(last_sni));
	if (trust != NULL)
		unlink(ca);
	return r;
}

static void
assert_refused(X509 *x, const char *host, const char *name, X509 *trust,
    const char *pin, const char *want)
{
	struct error err = {""};
	struct conn *c = NULL;
	char fp[65], full[400];

	ck_assert_int_eq(tls_try(x, host, name, trust, pin, &c, &err), -1);
	ck_assert_ptr_null(c);
	fingerprint(x, fp);
	snprintf(full, sizeof(full), "%s; fingerprint sha256:%s", want, fp);
	ck_assert_str_eq(err.msg, full);
}

START_TEST(test_tls_ok_and_echo)
{
	struct srv s = {0};
	struct conn_opts o = {0};
	struct error err = {""};
	const char *line;
	struct conn *c = NULL;
	char ca[64];
	size_t len;

	srv_tls_start(&s, crt_by_ca, 0);
	pem_file(crt_ca, ca);
	o.host = "localhost"; /* ::1 first maybe: refused, then 127.0.0.1 */
	o.port = s.port;
	o.tls = CONN_TLS_IMPLICIT;
	o.timeout = 10;
	o.ca_file = ca;
	ck_assert_msg(conn_open(&o, &c, &err) == 0, "%s", err.msg);
	unlink(ca);
	ck_assert_int_eq(conn_is_tls(c), 1);
	ck_assert_ptr_nonnull(strstr(conn_security(c), "TLSv1.3"));
	/* session tickets arrive first: they are not data */
	ck_assert_int_eq(poll_then_ask(c), 1);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, "* OK tls");
	ck_assert_int_eq(conn_wait_readable(c, 0, &err), 0);
	ck_assert_int_eq(conn_write(c, "a CAPABILITY\r\n", 14, &err), 0);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, "echo a CAPABILITY");
	ck_assert_int_eq(conn_wait_readable(c, -1, &err), -1);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), -1);
	ck_assert_str_eq(err.msg, "localhost closed the connection");
	conn_close(&c);
	srv_tls_join(&s);
	ck_assert_str_eq(s.sni, "localhost");
}
END_TEST

START_TEST(test_tls_ip_literal)
{
	struct error err = {""};
	struct conn *c = NULL;

	ck_assert_msg(
	    tls_try(crt_by_ca, "127.0.0.1", NULL, crt_ca, NULL, &c, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(last_sni, ""); /* no SNI for an IP address */
	ck_assert_msg(tls_try(crt_by_ca, "127.0.0.1", "localhost", crt_ca, NULL,
	                  &c, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(last_sni, "localhost");
}
END_TEST

START_TEST(test_tls_selfsigned)
{
	assert_refused(crt_self, "localhost", NULL, NULL, NULL,
	    "cannot trust localhost: self-signed certificate");
}
END_TEST

START_TEST(test_tls_unknown_ca)
{
	assert_refused(crt_by_ca, "127.0.0.1", NULL, NULL, NULL,
	    "cannot trust 127.0.0.1: certificate issued by an unknown "
	    "authority (Nobody Trusts Me CA)");
}
END_TEST

START_TEST(test_tls_wrong_host)
{
	assert_refused(crt_by_ca, "127.0.0.1", "other.example.org", crt_ca,
	    NULL,
	    "cannot trust 127.0.0.1: certificate is for localhost, "
	    "127.0.0.1, not other.example.org");
}
END_TEST

START_TEST(test_tls_no_partial_wildcard)
{
	X509 *x = cert_new(
	    "w", "DNS:f*.example.org", -1, 30, crt_ca, key_ca, key_leaf);

	assert_refused(x, "127.0.0.1", "foo.example.org", crt_ca, NULL,
	    "cannot trust 127.0.0.1: certificate is for f*.example.org, "
	    "not foo.example.org");
	X509_free(x);
}
END_TEST

START_TEST(test_tls_expired)
{
	struct error err = {""};
	struct conn *c = NULL;

	ck_assert_int_eq(tls_try(crt_expired, "localhost", NULL, crt_expired,
	                     NULL, &c, &err),
	    -1);
	ck_assert_msg(strncmp(err.msg,
	                  "cannot trust localhost: certificate "
	                  "expired on 20",
	                  44) == 0,
	    "%s", err.msg);
	ck_assert_msg(strstr(err.msg, " UTC; fingerprint sha256:") != NULL,
	    "%s", err.msg);
}
END_TEST

START_TEST(test_tls_not_yet_valid)
{
	struct error err = {""};
	struct conn *c = NULL;

	ck_assert_int_eq(
	    tls_try(crt_future, "localhost", NULL, crt_future, NULL, &c, &err),
	    -1);
	ck_assert_ptr_nonnull(
	    strstr(err.msg, "certificate is not valid before 20"));
}
END_TEST

START_TEST(test_tls_pin_accepts_selfsigned)
{
	struct error err = {""};
	struct conn *c = NULL;
	char fp[65], pin[80];

	fingerprint(crt_self, fp);
	snprintf(pin, sizeof(pin), "sha256:%s", fp);
	ck_assert_msg(
	    tls_try(crt_self, "localhost", NULL, NULL, pin, &c, &err) == 0,
	    "%s", err.msg);
	/* the bare hex works too */
	ck_assert_msg(
	    tls_try(crt_self, "localhost", NULL, NULL, fp, &c, &err) == 0, "%s",
	    err.msg);
}
END_TEST

START_TEST(test_tls_pin_refuses_valid)
{
	struct error err = {""};
	struct conn *c = NULL;
	char fp[65], pin[300];

	fingerprint(crt_self, fp);
	snprintf(pin, sizeof(pin), "sha256:%s", fp);
	ck_assert_int_eq(
	    tls_try(crt_by_ca, "localhost", NULL, crt_ca, pin, &c, &err), -1);
	fingerprint(crt_by_ca, fp);
	snprintf(pin, sizeof(pin),
	    "the certificate of localhost does not "
	    "match the pinned fingerprint (refused although its chain is "
	    "valid); fingerprint sha256:%s",
	    fp);
	ck_assert_str_eq(err.msg, pin);
}
END_TEST

START_TEST(test_tls_write_to_closed_peer)
{
	struct srv s = {.tls_drop = 1};
	struct conn_opts o = {0};
	struct error err = {""};
	static char data[65536];
	struct conn *c = NULL;
	char fp[65];
	int i, r = 0;

	srv_tls_start(&s, crt_self, 0);
	fingerprint(crt_self, fp);
	o.host = "127.0.0.1";
	o.port = s.port;
	o.tls = CONN_TLS_IMPLICIT;
	o.timeout = 10;
	o.fingerprint = fp;
	ck_assert_msg(conn_open(&o, &c, &err) == 0, "%s", err.msg);
	srv_tls_join(&s);
	/* OpenSSL writes through our BIO: send(MSG_NOSIGNAL), no SIGPIPE */
	for (i = 0; i < 200 && r == 0; i++)
		r = conn_write(c, data, sizeof(data), &err);
	ck_assert_int_eq(r, -1);
	ck_assert_str_eq(err.msg, "127.0.0.1 closed the connection");
	conn_close(&c);
}
END_TEST

START_TEST(test_tls_missing_ca_file)
{
	struct srv s = {0};
	struct conn_opts o = {0};
	struct error err = {""};
	struct conn *c = NULL;

	srv_tls_start(&s, crt_self, 0);
	o.host = "127.0.0.1";
	o.port = s.port;
	o.tls = CONN_TLS_IMPLICIT;
	o.timeout = 10;
	o.ca_file = "/nonexistent/ca.pem";
	ck_assert_int_eq(conn_open(&o, &c, &err), -1);
	ck_assert_str_eq(err.msg,
	    "cannot read the CA file /nonexistent/ca.pem: "
	    "No such file or directory");
	srv_tls_join(&s);
}
END_TEST

START_TEST(test_tls_old_protocol)
{
	struct srv s = {0};
	struct conn_opts o = {0};
	struct error err = {""};
	struct conn *c = NULL;

	srv_tls_start(&s, crt_self, 1);
	o.host = "127.0.0.1";
	o.port = s.port;
	o.tls = CONN_TLS_IMPLICIT;
	o.timeout = 10;
	ck_assert_int_eq(conn_open(&o, &c, &err), -1);
	ck_assert_msg(strstr(err.msg,
	                  "TLS handshake with 127.0.0.1 failed: "
	                  "the server offers only protocol versions older than "
	                  "TLS 1.2") != NULL,
	    "%s", err.msg);
	srv_tls_join(&s);
}
END_TEST

START_TEST(test_tls_not_tls)
{
	struct srv s = {.chunks = {"* OK plain IMAP here\r\n"}, .wait_eof = 1};
	struct conn_opts o = {0};
	struct error err = {""};
	struct conn *c = NULL;

	srv_start(&s);
	o.host = "127.0.0.1";
	o.port = s.port;
	o.tls = CONN_TLS_IMPLICIT;
	o.timeout = 10;
	ck_assert_int_eq(conn_open(&o, &c, &err), -1);
	ck_assert_msg(
	    strstr(err.msg, "does not speak TLS") != NULL, "%s", err.msg);
	srv_join(&s);
}
END_TEST

START_TEST(test_tls_starttls)
{
	struct srv s = {
	    .chunks = {"* OK plain\r\n", "a OK begin\r\n"}, .pause_ms = 20};
	struct conn_opts o = {0};
	struct error err = {""};
	const char *line;
	struct conn *c = NULL;
	char ca[64];
	size_t len;

	pem_file(crt_ca, ca);
	srv_tls_start(&s, crt_by_ca, 0);
	o.host = "127.0.0.1";
	o.port = s.port;
	o.timeout = 10;
	o.ca_file = ca;
	o.tls_servername = "localhost";
	ck_assert_int_eq(conn_open(&o, &c, &err), 0);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, "a OK begin");
	ck_assert_msg(conn_starttls(c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(conn_is_tls(c), 1);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, "* OK tls");
	ck_assert_int_eq(conn_starttls(c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "already under TLS"));
	ck_assert_int_eq(conn_write(c, "b\r\n", 3, &err), 0);
	conn_close(&c);
	srv_tls_join(&s);
	unlink(ca);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("conn_tls");
	TCase *tc = tcase_create("tls");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, tls_setup, tls_teardown);
	tcase_add_test(tc, test_tls_ok_and_echo);
	tcase_add_test(tc, test_tls_ip_literal);
	tcase_add_test(tc, test_tls_selfsigned);
	tcase_add_test(tc, test_tls_unknown_ca);
	tcase_add_test(tc, test_tls_wrong_host);
	tcase_add_test(tc, test_tls_no_partial_wildcard);
	tcase_add_test(tc, test_tls_expired);
	tcase_add_test(tc, test_tls_not_yet_valid);
	tcase_add_test(tc, test_tls_pin_accepts_selfsigned);
	tcase_add_test(tc, test_tls_pin_refuses_valid);
	tcase_add_test(tc, test_tls_write_to_closed_peer);
	tcase_add_test(tc, test_tls_missing_ca_file);
	tcase_add_test(tc, test_tls_old_protocol);
	tcase_add_test(tc, test_tls_not_tls);
	tcase_add_test(tc, test_tls_starttls);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
