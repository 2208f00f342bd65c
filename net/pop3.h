/*
 * pop3: the POP3 engine (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034
 * AUTH).  It knows nothing of the cache or the disk: bodies go to callbacks.
 *
 * Session contract:
 *   - pop3_open() connects (conn.h), reads the greeting, asks CAPA, and for
 *     POP3_SEC_STLS sends STLS and reads exactly one response: anything but
 *     +OK aborts, a byte buffered past it aborts (conn_starttls), and after
 *     the handshake every capability is forgotten and CAPA asked again.
 *     Nothing the server says before TLS is shown when TLS is required.
 *   - pop3_login() sends no credential unless the connection is as
 *     protected as the account requires (TLS, or tls = none with
 *     allow_plaintext).  Method: APOP when opts.apop (the greeting must
 *     carry a timestamp; MD5 is weak; never after STLS, which forgets
 *     the pre-TLS greeting and brings no new one), else AUTH PLAIN when the server
 *     offers SASL PLAIN (initial response on the AUTH line when it fits in
 *     255 octets, else after a "+" continuation), else USER/PASS.  Exactly
 *     one attempt: a refusal is an error, never a retry with another method.
 *     When CAPA lists UTF8 (RFC 6856), login first sends UTF8, so that
 *     the server hands out messages with raw UTF-8 headers as they are
 *     rather than a downgraded stub; a refusal is no error.  LANG is
 *     never sent: error texts stay the server's default and response
 *     codes, not text, are what the engine acts on.
 *     CAPA is asked again after login.
 *   - -ERR responses become sentences; RFC 2449/3206 response codes
 *     [IN-USE], [LOGIN-DELAY], [AUTH], [SYS/TEMP], [SYS/PERM] each have
 *     their own.  Server text is cleaned (str_clean_display) before it
 *     enters an error.
 *   - Multi-line responses are dot-unstuffed, need the "." terminator line
 *     (a closed connection before it is an error, never a short success),
 *     and bodies stream to a callback in chunks of at most POP3_CHUNK bytes
 *     with CRLF turned into LF: memory stays bounded whatever the size.
 *   - Limits: a status line or list line longer than POP3_MAX_LINE, a body
 *     line longer than POP3_MAX_BODY_LINE, or more than POP3_MAX_MESSAGES
 *     list entries is a protocol error.
 *   - UIDLs: 1..70 bytes of 0x21..0x7E; a duplicate UIDL is an error (a
 *     sync must stop rather than delete the wrong message).
 *   - With PIPELINING offered, RETR batches keep up to
 *     POP3_PIPELINE_WINDOW commands in flight, DELE batches up to
 *     POP3_DELE_WINDOW (a DELE reply is one short line: that many fit in
 *     any socket buffer, so the server never blocks writing to us while
 *     we write to it).
 *   - Every function returns 0 or -1 with a sentence in err.  After -1
 *     the session is unusable except for pop3_close().
 */
#ifndef POSTIE_NET_POP3_H
#define POSTIE_NET_POP3_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "net/conn.h"

#define POP3_MAX_LINE 1024
#define POP3_MAX_BODY_LINE (4u * 1024 * 1024)
#define POP3_MAX_MESSAGES 1000000
#define POP3_UIDL_MAX 70
#define POP3_CHUNK 65536
#define POP3_PIPELINE_WINDOW 32
#define POP3_DELE_WINDOW 256

enum pop3_security {
	POP3_SEC_IMPLICIT, /* POP3S */
	POP3_SEC_STLS,     /* STLS required */
	POP3_SEC_NONE,     /* plaintext; only with allow_plaintext */
};

/* The same shape as struct imap_opts and struct smtp_opts. */
struct pop3_opts {
	struct conn_opts conn; /* conn.tls is set by the engine */
	enum pop3_security security;
	int allow_plaintext;
	int apop;              /* log in with APOP */
};

/* Capability bits (CAPA). */
#define POP3_CAP_TOP 0x01u
#define POP3_CAP_USER 0x02u
#define POP3_CAP_UIDL 0x04u
#define POP3_CAP_PIPELINING 0x08u
#define POP3_CAP_STLS 0x10u
#define POP3_CAP_SASL_PLAIN 0x20u
#define POP3_CAP_RESP_CODES 0x40u
#define POP3_CAP_KNOWN 0x80u /* CAPA answered +OK */
#define POP3_CAP_UTF8 0x100u /* RFC 6856 UTF8 (with or without USER) */
#define POP3_CAP_SASL_OAUTHBEARER 0x200u
#define POP3_CAP_SASL_XOAUTH2 0x400u

struct pop3;

/* One message of the maildrop, from LIST and UIDL. */
struct pop3_msg {
	unsigned num;  /* message number, 1.. */
	uint64_t size; /* octets as the server counts them (CRLF) */
	char uidl[POP3_UIDL_MAX + 1]; /* "" when the server has no UIDL */
};

/* Body callbacks: data gets chunks of the unstuffed body, LF line ends.
 * Returning -1 (with err set) aborts the transfer and the session. */
struct pop3_retr_cb {
	int (*begin)(void *ctx, unsigned num, struct error *err);
	int (*data)(void *ctx, const char *p, size_t len, struct error *err);
	int (*end)(void *ctx, unsigned num, struct error *err);
};

int pop3_open(const struct pop3_opts *opts, struct pop3 **p_r,
    struct error *err);
int pop3_login(struct pop3 *p, const char *user, const char *password,
    struct error *err);
/*
 * Signs in with an OAuth2 access token (AUTH OAUTHBEARER when offered,
 * else XOAUTH2; net/sasl.h).  Returns 0 when logged in; 1 when the
 * server refused the token as invalid or expired and another try with
 * a fresh token may follow (err holds the refusal); -1 otherwise.
 */
int pop3_login_oauth(struct pop3 *p, const char *user, const char *token,
    struct error *err);
/* Current capability bits. */
unsigned pop3_caps(const struct pop3 *p);
/* "TLSv1.3 ..." or "plaintext". */
const char *pop3_security(const struct pop3 *p);

int pop3_stat(struct pop3 *p, unsigned *count_r, uint64_t *size_r,
    struct error *err);
/*
 * LIST and UIDL of the whole maildrop (pipelined when offered).  Returns
 * an array the caller frees, sorted by number.  *have_uidl_r is 0 when the
 * server refused UIDL (then every uidl is "").
 */
int pop3_scan(struct pop3 *p, struct pop3_msg **msgs_r, size_t *n_r,
    int *have_uidl_r, struct error *err);
/* RETR of each number in nums, in order, through cb. */
int pop3_retr_many(struct pop3 *p, const unsigned *nums, size_t n,
    const struct pop3_retr_cb *cb, void *ctx, struct error *err);
/* TOP num lines: header and the first lines of the body through cb. */
int pop3_top(struct pop3 *p, unsigned num, unsigned lines,
    const struct pop3_retr_cb *cb, void *ctx, struct error *err);
/* DELE of each number (marks; the server deletes at QUIT). */
int pop3_dele_many(struct pop3 *p, const unsigned *nums, size_t n,
    struct error *err);
int pop3_rset(struct pop3 *p, struct error *err);
int pop3_noop(struct pop3 *p, struct error *err);
/* QUIT: commits deletions.  An -ERR means they were not committed. */
int pop3_quit(struct pop3 *p, struct error *err);
/* Closes (without QUIT: marked deletions are not committed) and frees. */
void pop3_close(struct pop3 **p);
/* Makes a blocked read fail; safe from another thread. */
void pop3_shutdown(struct pop3 *p);
/* The socket (for shutdown(2) by a canceller, or poll), or -1. */
int pop3_fd(const struct pop3 *p);

/*
 * The parsers, pure and exposed for tests and fuzzing (pop3_parse.c).
 */

/* A status line: "+OK text", "-ERR [CODE] text", or "+ text" (SASL). */
enum pop3_status_kind { POP3_OK, POP3_ERR, POP3_CONT };
struct pop3_status {
	enum pop3_status_kind kind;
	char code[32];   /* "IN-USE", "SYS/TEMP", ... or "" */
	const char *text; /* points into the line, after the code */
	size_t text_len;
};
/* Returns 1 and fills st, or -1 if the line is no status line. */
int pop3_status_parse(const char *line, size_t len, struct pop3_status *st);
/*
 * Builds the sentence for an -ERR to command what ("login", "RETR 3"...):
 * the response code's meaning, then the cleaned server text when show_text.
 * Returns -1 so callers can `return pop3_status_error(...)`.
 */
int pop3_status_error(const struct pop3_status *st, const char *what,
    int show_text, struct error *err);

/*
 * The multi-line reader: feed it the bytes that follow a +OK line.  It
 * removes dot-stuffing, turns CRLF into LF (mode POP3_ML_LF; POP3_ML_RAW
 * keeps line ends as sent), and calls sink with chunks of at most
 * POP3_CHUNK bytes.  pop3_ml_feed() returns >0 when the terminator line
 * was seen (*used_r bytes consumed; the rest belongs to the next response),
 * 0 when all of data was consumed and more is needed, -1 on a protocol
 * error or a sink error.
 */
enum pop3_ml_mode { POP3_ML_LF, POP3_ML_RAW };
typedef int (*pop3_sink_fn)(void *ctx, const char *p, size_t len,
    struct error *err);
struct pop3_ml {
	int state;
	enum pop3_ml_mode mode;
	size_t max_line;
	size_t line_len;
	uint64_t total;  /* bytes handed to the sink */
	pop3_sink_fn sink;
	void *ctx;
	size_t olen;
	char out[POP3_CHUNK];
};
void pop3_ml_init(struct pop3_ml *ml, enum pop3_ml_mode mode, size_t max_line,
    pop3_sink_fn sink, void *ctx);
int pop3_ml_feed(struct pop3_ml *ml, const char *data, size_t len,
    size_t *used_r, struct error *err);

/* CAPA: folds one capability line into *caps.  Never fails. */
void pop3_capa_line(const char *line, size_t len, unsigned *caps);
/* "N SIZE" of LIST and "N UIDL" of UIDL.  Return 1 or -1 (bad line). */
int pop3_list_line(const char *line, size_t len, unsigned *num_r,
    uint64_t *size_r);
int pop3_uidl_line(const char *line, size_t len, unsigned *num_r,
    char uidl_r[POP3_UIDL_MAX + 1]);
/* 1 if s[0..len) is a valid UIDL. */
int pop3_uidl_valid(const char *s, size_t len);
/* The APOP digest (RFC 1939: lower-case hex MD5 of stamp + password)
 * into out.  0, or -1 when MD5 is not available. */
int pop3_apop_digest(const char *stamp, size_t stamp_len,
    const char *password, char out[33]);
/* Finds the APOP timestamp "<...>" of a greeting; 1 found, 0 not. */
int pop3_apop_stamp(const char *line, size_t len, struct buf *out);
/*
 * Fills msgs (n entries from LIST) with UIDLs: checks numbers exist, no
 * number twice, no UIDL twice.  Returns 0 or -1 with a sentence.
 */
int pop3_check_uidls(struct pop3_msg *msgs, size_t n, struct error *err);

#endif
