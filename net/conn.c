/*
 * conn: TCP and TLS under poll() with timeouts.  See conn.h.
 *
 * The socket is non-blocking from connect() on; every wait is a poll()
 * bounded by a deadline on CLOCK_MONOTONIC.
 *
 * SIGPIPE: a library must not change the process's signal disposition, so
 * plaintext writes use send(MSG_NOSIGNAL), and under TLS OpenSSL talks to
 * the socket through a small BIO of ours (conn_tls.c) whose write is also
 * send(MSG_NOSIGNAL).  That covers every write OpenSSL makes (handshake,
 * alerts, close_notify) in every thread, with no per-thread signal masks.
 *
 * Verification: the verify callback records the first failure and lets
 * the handshake finish; tls_check() in conn_tls.c then decides before one
 * byte of application data is sent or read.  This is how a pin can accept a
 * failing chain, and how the refusal can name the fingerprint.
 */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include "net/conn.h"
#include "net/conn_priv.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "core/xalloc.h"

#define CONN_DEFAULT_TIMEOUT 30

int64_t
conn_deadline(const struct conn *c)
{
	return clock_ms() + (int64_t)c->timeout * 1000;
}

int
conn_err_timeout(const struct conn *c, struct error *err)
{
	return error_set(err, "%s did not answer within %u second%s", c->host,
	    c->timeout, c->timeout == 1 ? "" : "s");
}

int
conn_err_closed(const struct conn *c, struct error *err)
{
	if (atomic_load(&c->shut))
		return error_set(
		    err, "the connection to %s was cancelled", c->host);
	return error_set(err, "%s closed the connection", c->host);
}

/* Polls until dl: 1 ready, 0 timeout, -1 errno set. */
int
conn_io_poll(struct conn *c, short events, int64_t dl)
{
	struct pollfd pfd;
	int64_t left;
	int r;

	for (;;) {
		/* a deadline already past still gets one look (timeout 0) */
		left = dl - clock_ms();
		if (left < 0)
			left = 0;
		pfd.fd = c->fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r > 0) {
			if (pfd.revents & POLLNVAL) {
				errno = EBADF;
				return -1;
			}
			return 1;
		}
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/* Waits for events on the socket until dl.  Returns 0 ready, -1 error. */
int
conn_io_wait(struct conn *c, short events, int64_t dl, struct error *err)
{
	int r;

	if (atomic_load(&c->shut))
		return conn_err_closed(c, err);
	r = conn_io_poll(c, events, dl);
	if (r == 1)
		return 0;
	if (r == 0)
		return conn_err_timeout(c, err);
	return error_errno(err, errno, "cannot wait for %s", c->host);
}

/* --- the overall deadline of an exchange ------------------------------- */

void
conn_budget_start(struct conn *c)
{
	c->budget_on = 1;
	c->budget_start = clock_ms();
	c->budget_bytes = 0;
}

void
conn_budget_stop(struct conn *c)
{
	c->budget_on = 0;
}

static int64_t
budget_deadline(const struct conn *c)
{
	uint64_t credits = c->budget_bytes / CONN_BUDGET_CREDIT;

	if (!c->budget_on)
		return INT64_MAX;
	if (credits > 1000000)
		credits = 1000000; /* keeps the sum below far from overflow */
	return c->budget_start + (int64_t)c->timeout * 1000 *
	    (CONN_BUDGET_BASE + (int64_t)credits);
}

static int
conn_err_slow(const struct conn *c, struct error *err)
{
	return error_set(err, "%s is too slow: its answer did not come "
	    "within %lld seconds; try again later, or raise the account's "
	    "timeout", c->host,
	    (long long)((clock_ms() - c->budget_start) / 1000));
}

/* --- raw reads and writes --------------------------------------------- */

/* One attempt: >0 bytes, 0 end of stream, -1 error set, -2 would block
 * (then *ev_r says what to poll for). */
static ssize_t
raw_read(struct conn *c, void *dst, size_t n, short *ev_r, struct error *err)
{
	unsigned long e;
	ssize_t r;
	int ret;

	if (c->ssl == NULL) {
		for (;;) {
			r = recv(c->fd, dst, n, 0);
			if (r >= 0)
				return r;
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				*ev_r = POLLIN;
				return -2;
			}
			if (errno == ECONNRESET || errno == EPIPE)
				return 0;
			return error_errno(
			    err, errno, "cannot read from %s", c->host);
		}
	}
	ERR_clear_error();
	ret = SSL_read(c->ssl, dst, n > INT_MAX ? INT_MAX : (int)n);
	if (ret > 0)
		return ret;
	switch (SSL_get_error(c->ssl, ret)) {
	case SSL_ERROR_WANT_READ: *ev_r = POLLIN; return -2;
	case SSL_ERROR_WANT_WRITE: *ev_r = POLLOUT; return -2;
	case SSL_ERROR_ZERO_RETURN: return 0;
	case SSL_ERROR_SYSCALL:
		c->ssl_dead = 1;
		if (errno == 0 || c->eof || errno == ECONNRESET)
			return 0;
		return error_errno(err, errno, "cannot read from %s", c->host);
	default:
		c->ssl_dead = 1;
		e = ERR_peek_error();
		if (ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return 0;
		return error_set(err, "TLS error on the connection to %s: %s",
		    c->host, conn_ssl_reason(e));
	}
}

/* Reads at least one byte, waiting at most the timeout. */
static ssize_t
read_wait(struct conn *c, void *dst, size_t n, struct error *err)
{
	int64_t dl = conn_deadline(c), bdl;
	ssize_t r;
	short ev = POLLIN;
	int ready;

	if (atomic_load(&c->shut))
		return conn_err_closed(c, err);
	for (;;) {
		r = raw_read(c, dst, n, &ev, err);
		if (r > 0) {
			c->budget_bytes += (uint64_t)r;
			return r;
		}
		if (r == 0)
			return conn_err_closed(c, err);
		if (r == -1)
			return -1;
		if (atomic_load(&c->shut))
			return conn_err_closed(c, err);
		bdl = budget_deadline(c);
		ready = conn_io_poll(c, ev, bdl < dl ? bdl : dl);
		if (ready == 0)
			return bdl < dl ? conn_err_slow(c, err) :
			    conn_err_timeout(c, err);
		if (ready == -1)
			return error_errno(err, errno, "cannot wait for %s",
			    c->host);
	}
}

/* Reads one chunk into the buffer, keeping room for a line of max. */
static int
fill(struct conn *c, size_t max, struct error *err)
{
	size_t want;
	ssize_t r;

	if (c->rstart > 0) {
		memmove(c->rbuf, c->rbuf + c->rstart, c->rend - c->rstart);
		c->rend -= c->rstart;
		c->rstart = 0;
	}
	want = max + 2 + CONN_CHUNK;
	if (want < max)
		return error_set(err, "line limit too large");
	if (c->rcap < want) {
		c->rbuf = xrealloc(c->rbuf, want);
		c->rcap = want;
	}
	want = c->rcap - c->rend;
	if (want > CONN_CHUNK)
		want = CONN_CHUNK;
	r = read_wait(c, c->rbuf + c->rend, want, err);
	if (r < 0)
		return -1;
	c->rend += (size_t)r;
	return 0;
}

/* --- public I/O --------------------------------------------------------- */

int
conn_read_line(struct conn *c, size_t max, const char **line_r, size_t *len_r,
    struct error *err)
{
	size_t scanned = 0, len;
	char *start, *nl;

	for (;;) {
		start = c->rbuf + c->rstart;
		nl = c->rend > c->rstart + scanned
		    ? memchr(
		          start + scanned, '\n', c->rend - c->rstart - scanned)
		    : NULL;
		if (nl != NULL) {
			len = (size_t)(nl - start);
			c->rstart += len + 1;
			if (len > 0 && start[len - 1] == '\r')
				len--;
			if (len > max)
				break;
			start[len] = '\0';
			*line_r = start;
			*len_r = len;
			return 0;
		}
		scanned = c->rend - c->rstart;
		/* max bytes plus a CR may wait for their LF; more may not */
		if (scanned > max + 1)
			break;
		if (fill(c, max, err) == -1)
			return -1;
	}
	return error_set(
	    err, "%s sent a line longer than %zu bytes", c->host, max);
}

int
conn_read_exact(struct conn *c, void *dst, size_t n, struct error *err)
{
	unsigned char *p = dst;
	size_t k;
	ssize_t r;

	k = c->rend - c->rstart;
	if (k > n)
		k = n;
	if (k > 0) {
		memcpy(p, c->rbuf + c->rstart, k);
		c->rstart += k;
		p += k;
		n -= k;
	}
	while (n > 0) {
		r = read_wait(c, p, n, err);
		if (r < 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

ssize_t
conn_read_some(struct conn *c, void *dst, size_t n, struct error *err)
{
	size_t k = c->rend - c->rstart;

	if (n == 0)
		return error_set(err, "conn_read_some: nothing to read into");
	if (k > 0) {
		if (k > n)
			k = n;
		memcpy(dst, c->rbuf + c->rstart, k);
		c->rstart += k;
		return (ssize_t)k;
	}
	return read_wait(c, dst, n, err);
}

size_t
conn_buffered(const struct conn *c)
{
	return c->rend - c->rstart;
}

/* A write's wait: until dl (the call's timeout) or the exchange's
 * overall deadline, whichever comes first; 0 ready, -1 error. */
static int
write_wait(struct conn *c, short ev, int64_t dl, struct error *err)
{
	int64_t bdl = budget_deadline(c);
	int ready;

	if (atomic_load(&c->shut))
		return conn_err_closed(c, err);
	ready = conn_io_poll(c, ev, bdl < dl ? bdl : dl);
	if (ready == 1)
		return 0;
	if (ready == 0)
		return bdl < dl ? conn_err_slow(c, err) :
		    conn_err_timeout(c, err);
	return error_errno(err, errno, "cannot wait for %s", c->host);
}

int
conn_write(struct conn *c, const void *data, size_t n, struct error *err)
{
	const unsigned char *p = data;
	int64_t dl = conn_deadline(c);
	short ev;
	ssize_t r;
	int ret, chunk;

	while (n > 0) {
		if (atomic_load(&c->shut))
			return conn_err_closed(c, err);
		if (c->ssl == NULL) {
			r = send(c->fd, p, n, MSG_NOSIGNAL);
			if (r >= 0) {
				p += r;
				n -= (size_t)r;
				c->budget_bytes += (uint64_t)r;
				continue;
			}
			if (errno == EINTR)
				continue;
			if (errno == EPIPE || errno == ECONNRESET)
				return conn_err_closed(c, err);
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return error_errno(
				    err, errno, "cannot write to %s", c->host);
			ev = POLLOUT;
		} else {
			/* a retried SSL_write must repeat its arguments */
			chunk = n > CONN_CHUNK ? CONN_CHUNK : (int)n;
			ERR_clear_error();
			ret = SSL_write(c->ssl, p, chunk);
			if (ret > 0) {
				p += ret;
				n -= (size_t)ret;
				c->budget_bytes += (uint64_t)ret;
				continue;
			}
			switch (SSL_get_error(c->ssl, ret)) {
			case SSL_ERROR_WANT_WRITE: ev = POLLOUT; break;
			case SSL_ERROR_WANT_READ: ev = POLLIN; break;
			case SSL_ERROR_ZERO_RETURN:
				return conn_err_closed(c, err);
			case SSL_ERROR_SYSCALL:
				c->ssl_dead = 1;
				if (errno == 0 || errno == EPIPE ||
				    errno == ECONNRESET)
					return conn_err_closed(c, err);
				return error_errno(
				    err, errno, "cannot write to %s", c->host);
			default:
				c->ssl_dead = 1;
				return error_set(err,
				    "TLS error on the connection to %s: %s",
				    c->host, conn_ssl_reason(ERR_peek_error()));
			}
		}
		if (write_wait(c, ev, dl, err) < 0)
			return -1;
	}
	return 0;
}

int
conn_wait_readable(struct conn *c, int timeout_ms, struct error *err)
{
	int64_t dl;
	ssize_t r;
	short ev = POLLIN;
	int ready, must_poll = 0;

	if (c->rend > c->rstart)
		return 1;
	dl = timeout_ms < 0 ? conn_deadline(c) : clock_ms() + timeout_ms;
	for (;;) {
		if (atomic_load(&c->shut))
			return conn_err_closed(c, err);
		if (c->ssl != NULL && SSL_pending(c->ssl) > 0)
			return 1; /* decrypted data waits */
		/* Records read ahead need no poll, unless they are only part
		 * of a record (the last read wanted more); they may be only
		 * a ticket or a close_notify, so they are read below. */
		if (c->ssl == NULL || must_poll || !SSL_has_pending(c->ssl)) {
			ready = conn_io_poll(c, ev, dl);
			if (ready == 0)
				return 0;
			if (ready == -1)
				return error_errno(
				    err, errno, "cannot wait for %s", c->host);
			if (c->ssl == NULL)
				return 1;
		}
		/* Under TLS a readable socket may carry only a session
		 * ticket: read without blocking and report real data only. */
		c->rstart = c->rend = 0;
		if (c->rcap < CONN_CHUNK) {
			c->rbuf = xrealloc(c->rbuf, CONN_CHUNK);
			c->rcap = CONN_CHUNK;
		}
		r = raw_read(c, c->rbuf, c->rcap, &ev, err);
		if (r > 0) {
			c->rend = (size_t)r;
			c->budget_bytes += (uint64_t)r;
			return 1;
		}
		if (r == 0)
			return conn_err_closed(c, err);
		if (r == -1)
			return -1;
		must_poll = 1;
	}
}

/* --- connecting ----------------------------------------------------------- */

static int
try_connect(struct conn *c, const struct addrinfo *ai, struct error *err)
{
	socklen_t len;
	int fd, soerr;

	fd = socket(ai->ai_family,
	    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return error_errno(err, errno, "cannot connect to %s port %u",
		    c->host, c->port);
	c->fd = fd;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EINTR)
		goto fail;
	if (conn_io_wait(c, POLLOUT, conn_deadline(c), err) == -1) {
		close(fd);
		c->fd = -1;
		return -1;
	}
	len = sizeof(soerr);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		goto fail;
	if (soerr == 0)
		return 0;
	errno = soerr;
fail:
	soerr = errno;
	close(fd);
	c->fd = -1;
	return error_errno(
	    err, soerr, "cannot connect to %s port %u", c->host, c->port);
}

static int
parse_pin(const char *s, unsigned char pin[32], struct error *err)
{
	size_t n = 0;
	int hi = -1, v;

	if (str_ncasecmp(s, "sha256:", 7) == 0)
		s += 7;
	for (; *s != '\0'; s++) {
		if (*s == ':')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			goto bad;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == 32)
			goto bad;
		pin[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	if (n == 32 && hi < 0)
		return 0;
bad:
	return error_set(err,
	    "the pinned fingerprint is not a SHA-256 in hex "
	    "(64 hex digits, as in tls_fingerprint = sha256:HEX)");
}

int
conn_open(const struct conn_opts *o, struct conn **conn_r, struct error *err)
{
	struct addrinfo hints, *res, *ai;
	struct conn *c;
	char port[16];
	int r;

	*conn_r = NULL;
	if (o->host == NULL || o->host[0] == '\0')
		return error_set(err, "no host name to connect to");
	if (o->port == 0 || o->port > 65535)
		return error_set(
		    err, "port %u of %s is not a TCP port", o->port, o->host);
	c = xcalloc(1, sizeof(*c));
	c->fd = -1;
	c->host = xstrdup(o->host);
	c->servername =
	    xstrdup(o->tls_servername ? o->tls_servername : o->host);
	c->ca_file = o->ca_file ? xstrdup(o->ca_file) : NULL;
	c->port = o->port;
	c->timeout = o->timeout ? o->timeout : CONN_DEFAULT_TIMEOUT;
	atomic_init(&c->shut, 0);
	snprintf(c->security, sizeof(c->security), "plaintext");
	if (o->fingerprint != NULL && o->fingerprint[0] != '\0') {
		if (parse_pin(o->fingerprint, c->pin, err) == -1)
			goto fail;
		c->has_pin = 1;
	}

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", o->port);
	r = getaddrinfo(o->host, port, &hints, &res);
	if (r != 0) {
		if (r == EAI_SYSTEM)
			error_errno(err, errno, "cannot look up %s", o->host);
		else
			error_set(err, "cannot look up %s: %s", o->host,
			    gai_strerror(r));
		goto fail;
	}
	r = -1;
	for (ai = res; ai != NULL && r == -1; ai = ai->ai_next)
		r = try_connect(c, ai, err);
	freeaddrinfo(res);
	if (r == -1)
		goto fail;
	if (o->tls == CONN_TLS_IMPLICIT && conn_tls_handshake(c, err) == -1)
		goto fail;
	*conn_r = c;
	return 0;
fail:
	conn_close(&c);
	return -1;
}

void
conn_shutdown(struct conn *c)
{
	if (c == NULL)
		return;
	atomic_store(&c->shut, 1);
	if (c->fd != -1)
		shutdown(c->fd, SHUT_RDWR);
}

void
conn_close(struct conn **cp)
{
	struct conn *c = *cp;

	if (c == NULL)
		return;
	*cp = NULL;
	conn_tls_close(c);
	if (c->fd != -1)
		close(c->fd);
	free(c->rbuf);
	free(c->host);
	free(c->servername);
	free(c->ca_file);
	free(c);
}

int
conn_is_tls(const struct conn *c)
{
	return c->ssl != NULL;
}

int
conn_fd(const struct conn *c)
{
	return c->fd;
}

const char *
conn_security(const struct conn *c)
{
	return c->security;
}

const char *
conn_host(const struct conn *c)
{
	return c->host;
}

unsigned
conn_port(const struct conn *c)
{
	return c->port;
}
