/*
 * conn: a TCP connection, optionally under TLS, that every engine uses.
 *
 * Contract:
 *   - conn_open() resolves host with getaddrinfo (IPv4 and IPv6, tried in
 *     order, each address given the whole timeout to connect), and for
 *     CONN_TLS_IMPLICIT does the TLS handshake at once.  Returns 0 or -1
 *     with a sentence: "cannot look up HOST: ...", "cannot connect to HOST
 *     port N: Connection refused", "HOST did not answer within N seconds".
 *   - Every read and write waits at most timeout seconds (the whole call
 *     for conn_write and the handshake, each wait for data for reads); a
 *     timeout is an error "HOST did not answer within N seconds".  End of
 *     stream is "HOST closed the connection"; after conn_shutdown() it is
 *     "the connection to HOST was cancelled".
 *   - After any read or write error the connection is unusable: close it.
 *   - conn_read_line() returns one line of at most max bytes (CRLF or LF
 *     stripped), or -1 with "HOST sent a line longer than N bytes" etc.
 *     The line stays valid until the next call on the connection.  The
 *     read buffer never holds more than max + 2 + 16 KiB bytes.
 *   - conn_read_exact() reads exactly n bytes (literals, bodies) straight
 *     into dst once the buffer is drained; it does not grow the buffer.
 *   - conn_starttls() upgrades in place after the caller has read the
 *     server's OK line: if any byte is already buffered past it, it refuses
 *     (the server, or someone in the middle, injected data) with a sentence
 *     that says so.  The caller then closes; it must not retry in clear.
 *   - TLS (doc/HACKING.md, Security rules): TLS 1.2 at least, the chain
 *     verified against the
 *     system store plus ca_file, the name (tls_servername, else host)
 *     checked with X509_VERIFY_PARAM_set1_host (no partial wildcards), or
 *     as an IP address if it is an IP literal; SNI sent for names only.
 *   - With a fingerprint pin (hex SHA-256 of the DER leaf certificate;
 *     "sha256:" prefix, colons and upper case accepted; compared in constant
 *     time) the pin alone decides: a matching certificate is accepted even
 *     if its chain does not verify (self-signed, expired, other name), and a
 *     non-matching one is refused even if its chain is valid.
 *   - Certificate errors are sentences naming the host: "cannot trust HOST:
 *     certificate is for X, Y, not NAME", "... certificate expired on
 *     2024-01-02 00:00:00 UTC", "... certificate is not valid before DATE",
 *     "... self-signed certificate", "... certificate issued by an unknown
 *     authority (ISSUER CN)", each followed by "; fingerprint sha256:HEX"
 *     (lower-case, no colons: what tls_fingerprint accepts).  Handshake
 *     failures: "TLS handshake with HOST failed: REASON" (protocol older
 *     than TLS 1.2, not TLS at all, ...), never only an OpenSSL code.
 *   - SIGPIPE is never raised (send(MSG_NOSIGNAL), also under TLS); the
 *     process's signal dispositions are left alone.
 *   - conn_close() sends close_notify under TLS (waiting at most half a
 *     second to send it, never for the peer's), closes and frees.
 *   - A struct conn is used by one thread at a time.  conn_shutdown() may be
 *     called from another thread to make a blocked read or write fail at
 *     once; that thread must be done with the conn before conn_close().
 */
#ifndef POSTIE_NET_CONN_H
#define POSTIE_NET_CONN_H

#include <stddef.h>
#include <sys/types.h>

#include "core/error.h"

struct conn;

enum conn_tls {
	CONN_TLS_NONE,     /* plaintext (maybe upgraded by conn_starttls) */
	CONN_TLS_IMPLICIT, /* TLS from the first byte */
};

struct conn_opts {
	const char *host;
	unsigned port;
	enum conn_tls tls;
	unsigned timeout;           /* seconds; 0 means 30 */
	const char *ca_file;        /* extra trust anchor, or NULL */
	const char *fingerprint;    /* pinned sha256 hex, or NULL */
	const char *tls_servername; /* name to verify; NULL means host */
};

int conn_open(
    const struct conn_opts *opts, struct conn **conn_r, struct error *err);
void conn_close(struct conn **conn);
/* Makes blocked and later I/O fail; safe from another thread. */
void conn_shutdown(struct conn *conn);

/*
 * The overall deadline of one exchange (a command and all of its answer,
 * or a greeting): a per-read timeout alone lets a server that sends one
 * byte every timeout - 1 seconds hold a session forever.  From
 * conn_budget_start() (none is running after conn_open) reads may go on
 * for CONN_BUDGET_BASE times the timeout, plus the timeout again
 * for every CONN_BUDGET_CREDIT bytes read or written since (an upload is
 * progress too); past that a read or a write fails with "HOST is too
 * slow: ...".
 * So a link that moves CONN_BUDGET_CREDIT bytes per timeout (about
 * 2 KiB/s with the default 30 s) never meets it, however large the
 * answer, while a drip-feeding server is cut off after five minutes (ten
 * timeouts).  conn_budget_stop() lifts it (IDLE, where waiting is the
 * point).
 */
#define CONN_BUDGET_BASE 10
#define CONN_BUDGET_CREDIT (64 * 1024)
void conn_budget_start(struct conn *conn);
void conn_budget_stop(struct conn *conn);

/* Reads one line of at most max bytes (without CRLF).  Returns 0 and sets
 * *line_r and *len_r (the line is NUL-terminated, may contain NULs), or -1
 * with an error (connection closed, timeout, line too long). */
int conn_read_line(struct conn *conn, size_t max, const char **line_r,
    size_t *len_r, struct error *err);
/* Reads exactly n bytes into dst. */
int conn_read_exact(struct conn *conn, void *dst, size_t n, struct error *err);
/* Reads up to n (> 0) bytes that are buffered, or available after one wait:
 * returns the count (> 0), or -1.  For streaming bodies. */
ssize_t conn_read_some(
    struct conn *conn, void *dst, size_t n, struct error *err);
/* Bytes already read from the socket but not yet handed out. */
size_t conn_buffered(const struct conn *conn);
/* Writes all n bytes or fails. */
int conn_write(
    struct conn *conn, const void *data, size_t n, struct error *err);
/* The TLS upgrade: see the contract above. */
int conn_starttls(struct conn *conn, struct error *err);
/* 1 if the connection is under TLS now. */
int conn_is_tls(const struct conn *conn);
/* The socket, for poll() by workers; -1 if closed. */
int conn_fd(const struct conn *conn);
/* Waits until data can be read or timeout_ms passes (-1: the connection's
 * timeout).  Returns 1 readable (or buffered), 0 timeout, -1 error.  Under
 * TLS, records without application data (session tickets) do not count;
 * plaintext end of stream counts as readable (the read then fails). */
int conn_wait_readable(struct conn *conn, int timeout_ms, struct error *err);
/* Describes the TLS session, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384", or
 * "plaintext". */
const char *conn_security(const struct conn *conn);
/* The peer's name as given in opts (for messages). */
const char *conn_host(const struct conn *conn);
/* The port connected to (OAUTHBEARER names it, net/sasl.h). */
unsigned conn_port(const struct conn *conn);

#endif
