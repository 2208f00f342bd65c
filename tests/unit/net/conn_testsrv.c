/* The listener thread of the conn unit tests: see conn_testsrv.h. */
#include <config.h>

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/net/conn_testsrv.h"

void
sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static void
srv_tls(struct srv *s, int fd)
{
	char line[512], out[600];
	size_t n = 0;
	SSL *ssl;
	const char *name;
	int r;

	ssl = SSL_new(s->tls);
	SSL_set_fd(ssl, fd);
	r = SSL_accept(ssl);
	name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	snprintf(s->sni, sizeof(s->sni), "%s", name ? name : "");
	if (r == 1 && !s->tls_drop && SSL_write(ssl, "* OK tls\r\n", 10) > 0) {
		while (n < sizeof(line) - 1 &&
		    (r = SSL_read(ssl, line + n, 1)) == 1 && line[n] != '\n')
			n++;
		line[n] = '\0';
		snprintf(out, sizeof(out), "echo %s\n", line);
		SSL_write(ssl, out, (int)strlen(out));
		SSL_shutdown(ssl);
	}
	SSL_free(ssl);
}

static void *
srv_main(void *arg)
{
	struct srv *s = arg;
	sigset_t set;
	char buf[65536];
	ssize_t r;
	int fd, i;

	/* a write to a closed peer must not kill the test from here */
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	fd = accept(s->lfd, NULL, NULL);
	if (fd == -1)
		return NULL;
	for (i = 0; i < 8 && s->chunks[i] != NULL; i++) {
		if (i > 0)
			sleep_ms(s->pause_ms);
		send(fd, s->chunks[i], strlen(s->chunks[i]), MSG_NOSIGNAL);
	}
	for (i = 0; s->bytewise != NULL && s->bytewise[i] != '\0'; i++) {
		send(fd, s->bytewise + i, 1, MSG_NOSIGNAL);
		if (i % 7 == 0)
			sleep_ms(1); /* let some bytes arrive alone */
	}
	if (s->tls != NULL)
		srv_tls(s, fd); /* after the chunks: STARTTLS */
	else
		while (s->wait_eof && (r = recv(fd, buf, sizeof(buf), 0)) > 0)
			s->got += (size_t)r;
	close(fd);
	return NULL;
}

void
srv_start(struct srv *s)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(s->lfd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(s->lfd, 4), 0);
	ck_assert_int_eq(getsockname(s->lfd, (struct sockaddr *)&sin, &len), 0);
	s->port = ntohs(sin.sin_port);
	ck_assert_int_eq(pthread_create(&s->th, NULL, srv_main, s), 0);
}

void
srv_join(struct srv *s)
{
	pthread_join(s->th, NULL);
	close(s->lfd);
}

struct conn *
open_plain(struct srv *s, unsigned timeout)
{
	struct conn_opts o = {0};
	struct error err = {""};
	struct conn *c = NULL;

	o.host = "127.0.0.1";
	o.port = s->port;
	o.timeout = timeout;
	ck_assert_msg(conn_open(&o, &c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(conn_is_tls(c), 0);
	ck_assert_str_eq(conn_security(c), "plaintext");
	return c;
}

/* As a worker does: poll the fd itself, then ask conn with timeout 0. */
int
poll_then_ask(struct conn *c)
{
	struct error err = {""};
	struct pollfd pfd;
	int i, r = 0;

	for (i = 0; i < 100 && r == 0; i++) {
		pfd.fd = conn_fd(c);
		pfd.events = POLLIN;
		ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
		r = conn_wait_readable(c, 0, &err);
		ck_assert_msg(r >= 0, "%s", err.msg);
	}
	return r;
}
