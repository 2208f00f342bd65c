/*
 * Unit tests of net/conn in plaintext against the listener thread of
 * conn_testsrv.c: line limits, partial reads, timeouts, cancel, SIGPIPE,
 * the STARTTLS injection refusal.  TLS: check_conn_tls.c; against the real
 * server: tests/integration/check_conn.c.
 */
#include <config.h>

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/conn.h"
#include "tests/unit/net/conn_testsrv.h"

START_TEST(test_lines_in_pieces)
{
	struct srv s = {.chunks = {"fir", "st\r", "\nsec", "ond\n\r\n",
	                    "12345678\r\nlast\r\n"},
	    .pause_ms = 20,
	    .wait_eof = 1};
	struct error err = {""};
	const char *line;
	struct conn *c;
	size_t len;

	srv_start(&s);
	c = open_plain(&s, 5);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, "first");
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, "second");
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_uint_eq(len, 0);
	/* exactly max bytes is allowed */
	ck_assert_msg(
	    conn_read_line(c, 8, &line, &len, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(line, "12345678");
	ck_assert_int_eq(conn_read_line(c, 4, &line, &len, &err), 0);
	ck_assert_str_eq(line, "last");
	conn_close(&c);
	ck_assert_ptr_null(c);
	srv_join(&s);
}
END_TEST

START_TEST(test_bytewise)
{
	struct srv s = {
	    .bytewise = "* OK hi\r\n\r\n{3}\r\nabc\nend\r\n", .wait_eof = 1};
	struct error err = {""};
	const char *line;
	char lit[4] = "";
	struct conn *c;
	size_t len;

	srv_start(&s);
	c = open_plain(&s, 5);
	ck_assert_int_eq(conn_read_line(c, 7, &line, &len, &err), 0);
	ck_assert_str_eq(line, "* OK hi");
	ck_assert_int_eq(conn_read_line(c, 7, &line, &len, &err), 0);
	ck_assert_str_eq(line, "");
	ck_assert_int_eq(conn_read_line(c, 7, &line, &len, &err), 0);
	ck_assert_str_eq(line, "{3}");
	ck_assert_int_eq(conn_read_exact(c, lit, 3, &err), 0);
	ck_assert_str_eq(lit, "abc");
	ck_assert_int_eq(conn_read_line(c, 7, &line, &len, &err), 0);
	ck_assert_str_eq(line, "");
	ck_assert_int_eq(conn_read_line(c, 3, &line, &len, &err), 0);
	ck_assert_str_eq(line, "end");
	conn_close(&c);
	srv_join(&s);
}
END_TEST

START_TEST(test_line_too_long)
{
	static char big[3000];
	struct srv s = {.wait_eof = 1};
	struct error err = {""};
	const char *line;
	struct conn *c;
	size_t len;

	memset(big, 'x', sizeof(big) - 1);
	s.chunks[0] = big; /* no line end at all */
	srv_start(&s);
	c = open_plain(&s, 5);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), -1);
	ck_assert_str_eq(
	    err.msg, "127.0.0.1 sent a line longer than 100 bytes");
	conn_close(&c);
	srv_join(&s);
}
END_TEST

START_TEST(test_line_too_long_with_end)
{
	struct srv s = {.chunks = {"123456789\r\nok\r\n"}, .wait_eof = 1};
	struct error err = {""};
	const char *line;
	struct conn *c;
	size_t len;

	srv_start(&s);
	c = open_plain(&s, 5);
	ck_assert_int_eq(conn_read_line(c, 8, &line, &len, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "longer than 8 bytes"));
	conn_close(&c);
	srv_join(&s);
}
END_TEST

START_TEST(test_exact_and_some)
{
	struct srv s = {
	    .chunks = {"* 1 FETCH {10}\r\n0123", "456789)\r\n", "tail"},
	    .pause_ms = 20,
	    .wait_eof = 1};
	struct error err = {""};
	const char *line;
	char body[11] = "", rest[16];
	struct conn *c;
	size_t len;
	ssize_t n;

	srv_start(&s);
	c = open_plain(&s, 5);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, "* 1 FETCH {10}");
	ck_assert_int_eq(conn_read_exact(c, body, 10, &err), 0);
	ck_assert_str_eq(body, "0123456789");
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, ")");
	n = conn_read_some(c, rest, sizeof(rest), &err);
	ck_assert_int_gt(n, 0);
	ck_assert_int_le(n, 4);
	ck_assert_int_eq(memcmp(rest, "tail", (size_t)n), 0);
	conn_close(&c);
	srv_join(&s);
}
END_TEST

START_TEST(test_closed)
{
	struct srv s = {.chunks = {"partial"}};
	struct error err = {""};
	const char *line;
	struct conn *c;
	size_t len;
	char b[16];

	srv_start(&s);
	c = open_plain(&s, 5);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), -1);
	ck_assert_str_eq(err.msg, "127.0.0.1 closed the connection");
	ck_assert_uint_eq(conn_buffered(c), 7); /* "partial" */
	ck_assert_int_eq(conn_read_exact(c, b, 10, &err), -1);
	ck_assert_str_eq(err.msg, "127.0.0.1 closed the connection");
	conn_close(&c);
	srv_join(&s);
}
END_TEST

START_TEST(test_timeout)
{
	struct srv s = {.wait_eof = 1};
	struct error err = {""};
	const char *line;
	struct conn *c;
	size_t len;

	srv_start(&s);
	c = open_plain(&s, 1);
	ck_assert_int_eq(conn_wait_readable(c, 50, &err), 0);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), -1);
	ck_assert_str_eq(err.msg, "127.0.0.1 did not answer within 1 second");
	conn_close(&c);
	srv_join(&s);
}
END_TEST

START_TEST(test_wait_readable_zero)
{
	struct srv s = {.chunks = {"hello\r\n"}, .wait_eof = 1};
	struct error err = {""};
	const char *line;
	struct conn *c;
	size_t len;

	srv_start(&s);
	c = open_plain(&s, 5);
	ck_assert_int_eq(poll_then_ask(c), 1);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, "hello");
	ck_assert_int_eq(conn_wait_readable(c, 0, &err), 0);
	conn_close(&c);
	srv_join(&s);
}
END_TEST

static void *
cancel_later(void *arg)
{
	sleep_ms(100);
	conn_shutdown(arg);
	return NULL;
}

START_TEST(test_shutdown_from_thread)
{
	struct srv s = {.wait_eof = 1};
	struct error err = {""};
	const char *line;
	struct conn *c;
	pthread_t th;
	size_t len;

	srv_start(&s);
	c = open_plain(&s, 30);
	ck_assert_int_eq(pthread_create(&th, NULL, cancel_later, c), 0);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), -1);
	pthread_join(th, NULL);
	ck_assert_str_eq(err.msg, "the connection to 127.0.0.1 was cancelled");
	ck_assert_int_eq(conn_write(c, "x", 1, &err), -1);
	conn_close(&c);
	srv_join(&s);
}
END_TEST

START_TEST(test_write_big)
{
	struct srv s = {.wait_eof = 1};
	struct error err = {""};
	size_t n = 4 << 20;
	char *data = calloc(1, n);
	struct conn *c;

	srv_start(&s);
	c = open_plain(&s, 10);
	ck_assert_msg(conn_write(c, data, n, &err) == 0, "%s", err.msg);
	conn_close(&c);
	srv_join(&s);
	ck_assert_uint_eq(s.got, n);
	free(data);
}
END_TEST

START_TEST(test_write_to_closed_peer)
{
	struct srv s = {0}; /* accepts and closes at once */
	struct error err = {""};
	static char data[65536];
	struct conn *c;
	int i, r = 0;

	srv_start(&s);
	c = open_plain(&s, 5);
	srv_join(&s);
	/* without MSG_NOSIGNAL one of these raises SIGPIPE and kills us */
	for (i = 0; i < 200 && r == 0; i++)
		r = conn_write(c, data, sizeof(data), &err);
	ck_assert_int_eq(r, -1);
	ck_assert_str_eq(err.msg, "127.0.0.1 closed the connection");
	conn_close(&c);
}
END_TEST

START_TEST(test_refused)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	struct conn_opts o = {0};
	struct error err = {""};
	struct conn *c = NULL;
	char want[128];
	int fd;

	/* a port that was free a moment ago and has no listener now */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);
	close(fd);
	o.host = "127.0.0.1";
	o.port = ntohs(sin.sin_port);
	o.timeout = 5;
	ck_assert_int_eq(conn_open(&o, &c, &err), -1);
	ck_assert_ptr_null(c);
	snprintf(want, sizeof(want),
	    "cannot connect to 127.0.0.1 port %u: Connection refused", o.port);
	ck_assert_str_eq(err.msg, want);
}
END_TEST

/* An IPv6 literal, where the machine has IPv6 loopback at all. */
START_TEST(test_ipv6)
{
	struct sockaddr_in6 sin6;
	socklen_t slen = sizeof(sin6);
	struct conn_opts o = {0};
	struct error err = {""};
	struct conn *c = NULL;
	const char *line;
	size_t len;
	int lfd, fd;

	lfd = socket(AF_INET6, SOCK_STREAM, 0);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	if (lfd == -1 ||
	    bind(lfd, (struct sockaddr *)&sin6, sizeof(sin6)) == -1) {
		fprintf(stderr, "no IPv6 loopback here: test_ipv6 skipped\n");
		return;
	}
	ck_assert_int_eq(listen(lfd, 1), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&sin6, &slen), 0);
	o.host = "::1";
	o.port = ntohs(sin6.sin6_port);
	o.timeout = 5;
	ck_assert_msg(conn_open(&o, &c, &err) == 0, "%s", err.msg);
	fd = accept(lfd, NULL, NULL);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(send(fd, "v6\r\n", 4, 0), 4);
	ck_assert_int_eq(conn_read_line(c, 10, &line, &len, &err), 0);
	ck_assert_str_eq(line, "v6");
	conn_close(&c);
	close(fd);
	close(lfd);
}
END_TEST

START_TEST(test_bad_opts)
{
	struct conn_opts o = {0};
	struct error err = {""};
	struct conn *c = NULL;

	ck_assert_int_eq(conn_open(&o, &c, &err), -1);
	o.host = "127.0.0.1";
	ck_assert_int_eq(conn_open(&o, &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a TCP port"));
	o.port = 1;
	o.fingerprint = "sha256:abc";
	ck_assert_int_eq(conn_open(&o, &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "64 hex digits"));
	ck_assert_ptr_null(c);
}
END_TEST

START_TEST(test_starttls_injected)
{
	struct srv s = {.chunks = {"OK\r\nINJECTED\r\n"}, .wait_eof = 1};
	struct error err = {""};
	const char *line;
	struct conn *c;
	size_t len;

	srv_start(&s);
	c = open_plain(&s, 5);
	ck_assert_int_eq(conn_read_line(c, 100, &line, &len, &err), 0);
	ck_assert_str_eq(line, "OK");
	ck_assert_uint_eq(conn_buffered(c), 10);
	ck_assert_int_eq(conn_starttls(c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "injected"));
	ck_assert_ptr_nonnull(strstr(err.msg, "127.0.0.1"));
	ck_assert_int_eq(conn_is_tls(c), 0);
	conn_close(&c);
	srv_join(&s);
}
END_TEST

static Suite *
conn_suite(void)
{
	Suite *s = suite_create("conn");
	TCase *tc = tcase_create("plain");

	tcase_add_test(tc, test_lines_in_pieces);
	tcase_add_test(tc, test_bytewise);
	tcase_add_test(tc, test_line_too_long);
	tcase_add_test(tc, test_line_too_long_with_end);
	tcase_add_test(tc, test_exact_and_some);
	tcase_add_test(tc, test_closed);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_wait_readable_zero);
	tcase_add_test(tc, test_shutdown_from_thread);
	tcase_add_test(tc, test_write_big);
	tcase_add_test(tc, test_write_to_closed_peer);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_bad_opts);
	tcase_add_test(tc, test_starttls_injected);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conn_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
