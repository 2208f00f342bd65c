/*
 * conn_priv: what conn.c (sockets, buffer) and conn_tls.c (TLS) share.
 * Not for use outside net/conn*.c.
 */
#ifndef POSTIE_NET_CONN_PRIV_H
#define POSTIE_NET_CONN_PRIV_H

#include <stdatomic.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "core/error.h"

#define CONN_CHUNK 16384

struct conn {
	int fd;
	char *host;
	char *servername;
	char *ca_file;
	unsigned port;
	unsigned timeout;
	int has_pin;
	unsigned char pin[32];

	char *rbuf;
	size_t rcap, rstart, rend;

	SSL_CTX *ctx;
	SSL *ssl;
	int ssl_dead; /* fatal TLS error: no close_notify */
	int eof;      /* the BIO saw end of stream */
	int verr;     /* first verification failure */
	X509 *vcert;  /* the certificate it was about */
	int bundle_pending; /* the system bundle file is loaded when needed */
	char security[128];

	atomic_int shut;

	/* conn_budget_start(): the exchange began at budget_start (ms) and
	 * budget_bytes arrived since; budget_on 0: no overall deadline */
	int budget_on;
	int64_t budget_start;
	uint64_t budget_bytes;
};

/* Now plus the connection's timeout. */
int64_t conn_deadline(const struct conn *c);
/* "HOST did not answer within N seconds"; returns -1. */
int conn_err_timeout(const struct conn *c, struct error *err);
/* "HOST closed the connection" (or cancelled); returns -1. */
int conn_err_closed(const struct conn *c, struct error *err);
/* Polls the socket until dl: 1 ready, 0 timeout, -1 errno set. */
int conn_io_poll(struct conn *c, short events, int64_t dl);
/* As conn_io_poll, with the sentence: 0 ready, -1 error (timeout too). */
int conn_io_wait(struct conn *c, short events, int64_t dl, struct error *err);

/* A readable reason for an OpenSSL error code (never NULL). */
const char *conn_ssl_reason(unsigned long e);
/* Sets up TLS on the connected socket, handshakes, verifies. */
int conn_tls_handshake(struct conn *c, struct error *err);
/* Sends close_notify if the session is healthy, frees the TLS state. */
void conn_tls_close(struct conn *c);

#endif
