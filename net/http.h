/*
 * http: one HTTP/1.1 POST of a form (application/x-www-form-urlencoded),
 * which is all an OAuth2 client needs of the web: the token endpoint
 * (RFC 6749 4.1.3, 6; RFC 8628 3.4) and the device authorization
 * endpoint (RFC 8628 3.1).
 *
 * Contract: the URL is https://HOST[:PORT]/PATH, or http:// when the
 * caller allows it (loopback test providers; the config checks that).
 * TLS is net/conn's: verified chain and name, ca_file as an extra trust
 * anchor.  One request per connection ("Connection: close").  The answer
 * body (Content-Length, chunked, or up to the end of the stream) is
 * bounded by HTTP_MAX_BODY.  The request body holds secrets (codes,
 * refresh tokens, client secrets): every buffer that held it is wiped,
 * and no error sentence quotes it; the answer body is kept in a buffer
 * marked secret, wiped by http_response_free().
 */
#ifndef POSTIE_NET_HTTP_H
#define POSTIE_NET_HTTP_H

#include "core/buf.h"
#include "core/error.h"

#define HTTP_MAX_BODY (256 * 1024)

struct http_opts {
	unsigned timeout;      /* seconds for connect and each read */
	const char *ca_file;   /* extra trust anchor, or NULL */
	int allow_plaintext;   /* http:// URLs accepted */
};

struct http_response {
	int status;      /* 200, 400, ... */
	struct buf body; /* secret: wiped by http_response_free */
};

/* Appends s, percent-encoded for a form value (RFC 3986 unreserved kept,
 * everything else %XX), to out. */
void http_form_escape(struct buf *out, const char *s);

/* POSTs body[0..len) to url.  Returns 0 with r filled (any status: the
 * caller reads the JSON error of a 400), or -1 with a sentence naming
 * the host (unreachable, TLS, malformed answer, too large). */
int http_post_form(const char *url, const char *body, size_t len,
    const struct http_opts *o, struct http_response *r, struct error *err);

void http_response_free(struct http_response *r);

/* Appends n random bytes (OpenSSL's generator), base64url without
 * padding: PKCE verifiers (RFC 7636 4.1) and state values.  -1 when the
 * generator fails. */
int http_random_urlsafe(struct buf *out, size_t n, struct error *err);
/* Appends the S256 challenge of verifier: BASE64URL(SHA256(verifier)). */
void http_pkce_challenge(struct buf *out, const char *verifier);

/*
 * The loopback redirect of RFC 8252 7.3: a listener on 127.0.0.1 and a
 * port the system picks.  http_redirect_wait() takes connections until
 * one asks for "GET /?..." (others get 404), answers it with a page
 * saying the browser can be closed, and appends the query (after '?')
 * to query; it gives up after timeout seconds.  The listener is closed
 * by the caller (close(2)).
 */
int http_redirect_listen(int *fd_r, unsigned *port_r, struct error *err);
int http_redirect_wait(int fd, unsigned timeout, struct buf *query,
    struct error *err);
/* The value of name in a query string (percent-decoded), appended to
 * out; 1 found, 0 not. */
int http_query_get(const char *query, const char *name, struct buf *out);

#endif
