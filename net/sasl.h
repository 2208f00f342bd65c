/*
 * sasl: the OAuth2 bearer-token mechanisms every engine speaks,
 * OAUTHBEARER (RFC 7628) and XOAUTH2 (Google's and Microsoft's older
 * form), and the base64 that carries them.
 *
 * Contract: pure functions, no I/O.  The messages built here hold the
 * access token: callers pass a buffer marked with buf_secret() and wipe
 * it after sending.  A failed token login is answered by the server with
 * a challenge holding a JSON object ({"status":"invalid_token",...});
 * the client must answer it (OAUTHBEARER: one byte %x01; XOAUTH2: an
 * empty line) before the server sends its final refusal.
 * sasl_oauth_error() reads the status from that challenge so the caller
 * can tell an expired or revoked token (worth one refresh) from other
 * refusals.  Nothing here ever puts the token into an error sentence.
 */
#ifndef POSTIE_NET_SASL_H
#define POSTIE_NET_SASL_H

#include <stddef.h>

#include "core/buf.h"

enum sasl_mech {
	SASL_OAUTHBEARER,
	SASL_XOAUTH2,
};

/* "OAUTHBEARER" or "XOAUTH2": the name on the AUTH/AUTHENTICATE line. */
const char *sasl_mech_name(enum sasl_mech m);

/*
 * Appends the initial client response of m (raw, not base64) to out:
 * OAUTHBEARER  "n,a=USER,^Ahost=HOST^Aport=PORT^Aauth=Bearer TOKEN^A^A"
 *              (',' and '=' in USER escaped as =2C and =3D);
 * XOAUTH2      "user=USER^Aauth=Bearer TOKEN^A^A".
 * Returns -1 (out untouched) when user or token holds a byte the
 * format cannot carry (%x01, CR, LF, NUL is impossible in a C string).
 */
int sasl_oauth_initial(struct buf *out, enum sasl_mech m, const char *user,
    const char *host, unsigned port, const char *token);

/* The client's answer to the error challenge, raw: "\x01" for
 * OAUTHBEARER (RFC 7628 3.2.3), "" for XOAUTH2. */
const char *sasl_oauth_abort(enum sasl_mech m, size_t *len_r);

/* Appends the base64 (RFC 4648, padded) of p[0..n) to out. */
void sasl_b64_encode(struct buf *out, const void *p, size_t n);
/* Appends the decoded bytes of the base64 text s[0..n) to out; -1 when s
 * is not base64 (whitespace is not allowed; padding is optional). */
int sasl_b64_decode(struct buf *out, const char *s, size_t n);

/* What a failed token login said. */
enum sasl_oauth_verdict {
	SASL_OAUTH_OTHER,   /* no JSON, or a status we cannot act on */
	SASL_OAUTH_INVALID, /* "invalid_token" or HTTP 401: refresh once */
	SASL_OAUTH_SCOPE,   /* "insufficient_scope" or 403 */
};

/*
 * Reads the base64 error challenge b64[0..n): a JSON object whose
 * "status" member is a string ("invalid_token", RFC 6750) or an HTTP
 * status code as text ("401", Google).  Copies the status, cleaned to
 * printable ASCII, into status (at most size-1 bytes; "" when absent)
 * and returns the verdict.
 */
enum sasl_oauth_verdict sasl_oauth_error(const char *b64, size_t n,
    char *status, size_t size);

#endif
