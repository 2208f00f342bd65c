/* http: see net/http.h. */
#include <config.h>

#include "net/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "net/conn.h"

#define HTTP_MAX_LINE 8192

struct url {
	char host[256];
	unsigned port;
	int tls;
	const char *path; /* into the URL, "/" at least */
};

static int
parse_url(const char *u, int allow_plaintext, struct url *o,
    struct error *err)
{
	const char *h, *end, *colon;
	size_t n;

	memset(o, 0, sizeof(*o));
	if (strncmp(u, "https://", 8) == 0) {
		o->tls = 1;
		o->port = 443;
		h = u + 8;
	} else if (strncmp(u, "http://", 7) == 0 && allow_plaintext) {
		o->port = 80;
		h = u + 7;
	} else {
		return error_set(err, "the URL %s is not https://", u);
	}
	end = h + strcspn(h, "/?#");
	o->path = *end == '/' ? end : "/";
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));

		if (rb == NULL)
			return error_set(err, "the URL %s is malformed", u);
		n = (size_t)(rb - h - 1);
		if (n == 0 || n >= sizeof(o->host))
			return error_set(err, "the URL %s is malformed", u);
		memcpy(o->host, h + 1, n);
		colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		n = (size_t)((colon ? colon : end) - h);
		if (n == 0 || n >= sizeof(o->host) || memchr(h, '@', n))
			return error_set(err, "the URL %s is malformed", u);
		memcpy(o->host, h, n);
	}
	if (colon) {
		char *e;
		unsigned long p = strtoul(colon + 1, &e, 10);

		if (e != end || p == 0 || p > 65535)
			return error_set(err, "the URL %s has a bad port", u);
		o->port = (unsigned)p;
	}
	if (strpbrk(o->path, " \r\n\t") || strpbrk(o->host, " \r\n\t"))
		return error_set(err, "the URL %s is malformed", u);
	return 0;
}

void
http_form_escape(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *c;

	for (c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '.' ||
		    *c == '_' || *c == '~') {
			buf_addch(out, *c);
		} else {
			buf_addch(out, '%');
			buf_addch(out, hex[*c >> 4]);
			buf_addch(out, hex[*c & 15]);
		}
	}
}

static int
read_body_exact(struct conn *c, struct buf *b, size_t n, struct error *err)
{
	buf_grow(b, n + 1);
	if (conn_read_exact(c, b->data + b->len, n, err) < 0)
		return -1;
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static int
read_chunked(struct conn *c, const char *host, struct buf *b,
    struct error *err)
{
	const char *line;
	size_t len;
	char *e;
	unsigned long n;

	for (;;) {
		if (conn_read_line(c, HTTP_MAX_LINE, &line, &len, err) < 0)
			return -1;
		n = strtoul(line, &e, 16);
		if (e == line || (*e != '\0' && *e != ';'))
			return error_set(err, "%s sent a malformed chunk", host);
		if (n > HTTP_MAX_BODY - b->len)
			return error_set(err, "%s sent too large an answer",
			    host);
		if (n == 0)
			break;
		if (read_body_exact(c, b, n, err) < 0 ||
		    conn_read_line(c, HTTP_MAX_LINE, &line, &len, err) < 0)
			return -1;
		if (len != 0)
			return error_set(err, "%s sent a malformed chunk", host);
	}
	/* Trailers, up to the empty line. */
	do
		if (conn_read_line(c, HTTP_MAX_LINE, &line, &len, err) < 0)
			return -1;
	while (len > 0);
	return 0;
}

static int
read_to_end(struct conn *c, const char *host, struct buf *b)
{
	char tmp[4096];
	ssize_t n;
	struct error e;

	for (;;) {
		n = conn_read_some(c, tmp, sizeof(tmp), &e);
		if (n <= 0)
			return 0; /* the end of the stream ends the body */
		if ((size_t)n > HTTP_MAX_BODY - b->len)
			return -1;
		buf_add(b, tmp, (size_t)n);
		(void)host;
	}
}

static int
read_answer(struct conn *c, const char *host, struct http_response *r,
    struct error *err)
{
	const char *line;
	size_t len;
	long clen = -1;
	int chunked = 0;

	if (conn_read_line(c, HTTP_MAX_LINE, &line, &len, err) < 0)
		return -1;
	if (len < 12 || strncmp(line, "HTTP/1.", 7) != 0 || line[8] != ' ' ||
	    line[9] < '1' || line[9] > '5' || line[10] < '0' ||
	    line[10] > '9' || line[11] < '0' || line[11] > '9')
		return error_set(err, "%s did not answer like a web server",
		    host);
	r->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 +
	    (line[11] - '0');
	for (;;) {
		if (conn_read_line(c, HTTP_MAX_LINE, &line, &len, err) < 0)
			return -1;
		if (len == 0)
			break;
		if (len > 15 && str_ncasecmp(line, "content-length:", 15) == 0) {
			char *e;
			const char *v = line + 15;

			while (*v == ' ' || *v == '\t')
				v++;
			clen = strtol(v, &e, 10);
			if (e == v || clen < 0)
				return error_set(err, "%s sent a bad "
				    "Content-Length", host);
		} else if (len > 18 && str_ncasecmp(line,
		    "transfer-encoding:", 18) == 0 &&
		    strstr(line, "chunked") != NULL) {
			chunked = 1;
		}
	}
	if (chunked)
		return read_chunked(c, host, &r->body, err);
	if (clen >= 0) {
		if (clen > HTTP_MAX_BODY)
			return error_set(err, "%s sent too large an answer",
			    host);
		return read_body_exact(c, &r->body, (size_t)clen, err);
	}
	if (read_to_end(c, host, &r->body) < 0)
		return error_set(err, "%s sent too large an answer", host);
	return 0;
}

int
http_post_form(const char *url, const char *body, size_t len,
    const struct http_opts *o, struct http_response *r, struct error *err)
{
	struct conn_opts co;
	struct conn *c = NULL;
	struct buf req = BUF_INIT;
	struct url u;
	int rc;

	memset(r, 0, sizeof(*r));
	buf_secret(&r->body);
	if (parse_url(url, o->allow_plaintext, &u, err) < 0)
		return -1;
	memset(&co, 0, sizeof(co));
	co.host = u.host;
	co.port = u.port;
	co.tls = u.tls ? CONN_TLS_IMPLICIT : CONN_TLS_NONE;
	co.timeout = o->timeout;
	co.ca_file = o->ca_file;
	if (conn_open(&co, &c, err) < 0)
		return -1;
	buf_secret(&req);
	buf_printf(&req, "POST %s HTTP/1.1\r\nHost: %s", u.path, u.host);
	if (u.port != (u.tls ? 443u : 80u))
		buf_printf(&req, ":%u", u.port);
	buf_printf(&req, "\r\nUser-Agent: postie/%s\r\n"
	    "Accept: application/json\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	    PACKAGE_VERSION, len);
	buf_add(&req, body, len);
	conn_budget_start(c);
	rc = conn_write(c, req.data, req.len, err);
	buf_free(&req); /* wiped: secret */
	if (rc == 0)
		rc = read_answer(c, u.host, r, err);
	conn_close(&c);
	if (rc < 0)
		http_response_free(r);
	return rc;
}

void
http_response_free(struct http_response *r)
{
	buf_free(&r->body); /* wiped: secret */
}

static void
b64url(struct buf *out, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t k;

	for (k = 0; k < n; k += 3) {
		unsigned v = (unsigned)p[k] << 16 |
		    (k + 1 < n ? (unsigned)p[k + 1] << 8 : 0) |
		    (k + 2 < n ? p[k + 2] : 0);

		buf_addch(out, tab[v >> 18]);
		buf_addch(out, tab[(v >> 12) & 63]);
		if (k + 1 < n)
			buf_addch(out, tab[(v >> 6) & 63]);
		if (k + 2 < n)
			buf_addch(out, tab[v & 63]);
	}
}

int
http_random_urlsafe(struct buf *out, size_t n, struct error *err)
{
	unsigned char r[64];

	if (n > sizeof(r) || RAND_bytes(r, (int)n) != 1)
		return error_set(err, "no random numbers to be had");
	b64url(out, r, n);
	explicit_bzero(r, sizeof(r));
	return 0;
}

void
http_pkce_challenge(struct buf *out, const char *verifier)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	EVP_Digest(verifier, strlen(verifier), md, &len, EVP_sha256(), NULL);
	b64url(out, md, len);
}

int
http_redirect_listen(int *fd_r, unsigned *port_r, struct error *err)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd;

	*fd_r = -1;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return error_errno(err, errno, "cannot make a socket");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
		error_errno(err, errno, "cannot listen on 127.0.0.1");
		close(fd);
		return -1;
	}
	*fd_r = fd;
	*port_r = ntohs(sa.sin_port);
	return 0;
}

static void
reply(int c, const char *status, const char *text)
{
	char head[256];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %s\r\nContent-Type: "
	    "text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", status, strlen(text));

	if (send(c, head, (size_t)n, MSG_NOSIGNAL) == n)
		(void)!send(c, text, strlen(text), MSG_NOSIGNAL);
}

int
http_redirect_wait(int fd, unsigned timeout, struct buf *query,
    struct error *err)
{
	time_t end = time(NULL) + timeout;
	struct pollfd pfd;

	for (;;) {
		char req[8192];
		size_t len = 0;
		ssize_t n;
		int c, left = (int)(end - time(NULL));
		const char *sp;

		if (left <= 0)
			return error_set(err, "no answer from the browser "
			    "within %u seconds", timeout);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left * 1000) <= 0)
			continue;
		if ((c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) < 0)
			continue;
		/* The request line and headers, with a short wait: a
		 * browser sends them at once. */
		while (len < sizeof(req) - 1) {
			pfd.fd = c;
			if (poll(&pfd, 1, 5000) <= 0 ||
			    (n = recv(c, req + len, sizeof(req) - 1 - len,
			    0)) <= 0)
				break;
			len += (size_t)n;
			req[len] = '\0';
			if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
				break;
		}
		req[len] = '\0';
		if (strncmp(req, "GET /?", 6) != 0 ||
		    (sp = strchr(req + 6, ' ')) == NULL) {
			reply(c, "404 Not Found", "Not here.\n");
			close(c);
			continue;
		}
		buf_add(query, req + 6, (size_t)(sp - (req + 6)));
		explicit_bzero(req, sizeof(req));
		reply(c, "200 OK", "postie has the answer; you can close "
		    "this window.\n");
		close(c);
		return 0;
	}
}

int
http_query_get(const char *q, const char *name, struct buf *out)
{
	size_t nl = strlen(name);

	while (*q) {
		const char *end = q + strcspn(q, "&");

		if ((size_t)(end - q) > nl && strncmp(q, name, nl) == 0 &&
		    q[nl] == '=') {
			const char *p;

			for (p = q + nl + 1; p < end; p++) {
				if (*p == '+')
					buf_addch(out, ' ');
				else if (*p == '%' && end - p > 2 &&
				    str_hexval(p[1]) >= 0 && str_hexval(p[2]) >= 0) {
					buf_addch(out, str_hexval(p[1]) * 16 +
					    str_hexval(p[2]));
					p += 2;
				} else
					buf_addch(out, *p);
			}
			return 1;
		}
		q = *end ? end + 1 : end;
	}
	return 0;
}
