/*
 * conn_testsrv: the listener thread the conn unit tests talk to (a test
 * of the socket layer, not a mail server): it accepts one connection on
 * 127.0.0.1, sends the chunks, then either reads until the client closes
 * or, with tls set, does a TLS handshake, greets "* OK tls", echoes one
 * line as "echo LINE" and sends close_notify.
 */
#ifndef POSTIE_TESTS_CONN_TESTSRV_H
#define POSTIE_TESTS_CONN_TESTSRV_H

#include <pthread.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "net/conn.h"

struct srv {
	int lfd;
	unsigned port;
	const char *chunks[8]; /* sent one by one, with a pause between */
	int pause_ms;
	const char *bytewise; /* then this, one send() per byte */
	int wait_eof;  /* after the chunks, read until the client closes */
	size_t got;    /* bytes read meanwhile */
	SSL_CTX *tls;  /* then TLS: greets, echoes one line */
	int tls_drop;  /* TLS: hang up right after the handshake */
	char sni[256]; /* TLS: the server name the client sent, or "" */
	pthread_t th;
};

/* Listens on 127.0.0.1, sets s->port, starts the thread (asserts). */
void srv_start(struct srv *s);
/* Waits for the thread and closes the listener. */
void srv_join(struct srv *s);
void sleep_ms(int ms);
/* conn_open in plaintext to the listener (asserts). */
struct conn *open_plain(struct srv *s, unsigned timeout);
/* Polls conn_fd() itself, then asks conn_wait_readable(c, 0), as a worker
 * does, until that says 1 (asserts no error). */
int poll_then_ask(struct conn *c);

#endif
