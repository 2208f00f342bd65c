/*
 * smtp: the message submission engine (RFC 6409 over RFC 5321, with RFC
 * 3207 STARTTLS, RFC 8314 implicit TLS, RFC 4954 AUTH, RFC 2920
 * PIPELINING, RFC 1870 SIZE, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8, RFC
 * 2034 ENHANCEDSTATUSCODES).  It knows nothing of the cache, the outbox or
 * the disk: it is handed one message as bytes and reports what the server
 * said.
 *
 * Shape (the same as every engine): smtp_open() connects, reads the
 * greeting, sends EHLO and, for SMTP_SEC_STARTTLS, upgrades and sends EHLO
 * again; smtp_login() authenticates; smtp_send() submits one message (call
 * it again for the next one on the same connection); smtp_quit() says
 * goodbye and frees, smtp_close() frees without a word.
 *
 * Security (the same rules as POP3 and IMAP):
 *   - SMTP_SEC_IMPLICIT (the default, port 465) is TLS from the first byte.
 *     SMTP_SEC_STARTTLS (587) requires the upgrade: STARTTLS not offered in
 *     the first EHLO, or answered with anything but 220, ends the session
 *     before any AUTH or MAIL; so does any byte that arrives after the 220
 *     line and before the handshake (conn_starttls).  After the handshake
 *     everything learnt before is forgotten and EHLO is sent again; only
 *     its answer counts.  SMTP_SEC_NONE needs allow_plaintext.
 *   - Before TLS on a SMTP_SEC_STARTTLS session no server text appears in
 *     an error: only codes.  Every server text that does appear (errors,
 *     per-recipient results) is cleaned with str_clean_display.
 *   - smtp_login() sends no credential unless the connection is as
 *     protected as the account requires.  AUTH PLAIN with the initial
 *     response on the AUTH line (RFC 4954; SASL-IR) when offered, else
 *     AUTH LOGIN; exactly one attempt.  Credentials are built in buffers
 *     that are wiped, and never appear in an error.
 *   - EHLO only: a server that refuses EHLO is refused (submission needs
 *     ESMTP for AUTH and STARTTLS; HELO would only lose them).
 *
 * Sending (smtp_send):
 *   - The message is RFC 5322 bytes with LF or CRLF line ends (a bare CR is
 *     a line end too); the engine sends it with CRLF, dot-stuffed, with a
 *     final CRLF added when missing.  It adds and removes nothing else: no
 *     Bcc handling (the caller gives a message without Bcc and the
 *     recipients separately).
 *   - Refused here, before any command of the transaction is sent
 *     (status SMTP_LOCAL): a line over SMTP_MAX_TEXT_LINE octets (the error
 *     names its line number), a NUL byte, an address with a line break,
 *     space, '<' or '>', more than SMTP_MAX_RCPTS recipients, a message
 *     larger than the server's SIZE, 8-bit bytes when the server lacks
 *     8BITMIME (error code SMTP_ERR_8BIT: convert the body to 7-bit and
 *     try again), a non-ASCII address when it lacks SMTPUTF8
 *     (SMTP_ERR_UTF8).
 *   - MAIL FROM carries SIZE= (when offered), BODY=8BITMIME (8-bit
 *     message) and SMTPUTF8 (non-ASCII address, or 8-bit headers when
 *     offered).  With PIPELINING, MAIL, the RCPTs (up to
 *     SMTP_PIPELINE_RCPTS at a time) and DATA go out in one write.
 *   - Every recipient's answer is kept in its own struct smtp_rcpt.  Some
 *     accepted and some refused is a partial success: smtp_send returns 0
 *     and res->refused > 0.  None accepted: no message is sent.
 *   - The outcome (res->status) tells apart: SMTP_ACCEPTED (250 after the
 *     final dot); SMTP_TEMPORARY (a 4xx, or the connection was lost before
 *     the final dot was written: nothing was delivered, try again later);
 *     SMTP_PERMANENT (a 5xx: do not try again unchanged); SMTP_UNKNOWN
 *     (the final dot was written and the connection broke or timed out
 *     before the reply: the message may have been delivered; a caller must
 *     never resend it on its own); SMTP_LOCAL (see above: nothing sent).
 *   - After a refusal that leaves the connection up (4xx/5xx to MAIL, RCPT,
 *     DATA or the final dot, or SMTP_LOCAL) the transaction is reset (RSET)
 *     and smtp_send may be called again; smtp_alive() says whether the
 *     session is still usable.  A 421 reply, a connection error or a
 *     malformed reply ends the session.
 *
 * Every wait for the server has the account's timeout (conn.h); a server
 * that stops answering is an error after that long.  Each exchange also
 * has an overall deadline (conn_budget_start: smtp_open's greeting, EHLO
 * and STARTTLS; the login; each smtp_send as a whole, writes and reads;
 * QUIT), so a server that drips its replies a byte at a time is cut off
 * ("HOST is too slow") after ten timeouts plus one per 64 KiB moved; a
 * message cut off after its final dot is SMTP_UNKNOWN.  Every function
 * returns 0 or -1 with a sentence in err.  A struct smtp is used by one
 * thread at a time; smtp_shutdown() may be called from another.
 */
#ifndef POSTIE_NET_SMTP_H
#define POSTIE_NET_SMTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "net/conn.h"

/* A reply line longer than this is a protocol error (RFC 5321: 512). */
#define SMTP_MAX_LINE 2048
/* Lines of one reply (an EHLO answer is the longest). */
#define SMTP_MAX_REPLY_LINES 200
/* A message line, without its CRLF (RFC 5322 2.1.1). */
#define SMTP_MAX_TEXT_LINE 998
#define SMTP_MAX_RCPTS 1000
#define SMTP_PIPELINE_RCPTS 100
/* Cleaned server text kept per recipient and in struct smtp_reply. */
#define SMTP_TEXT_MAX 300

enum smtp_security {
	SMTP_SEC_IMPLICIT, /* submissions, port 465 */
	SMTP_SEC_STARTTLS, /* submission, port 587, TLS required */
	SMTP_SEC_NONE,     /* plaintext: only with allow_plaintext */
};

struct smtp_opts {
	struct conn_opts conn; /* conn.tls is set by the engine */
	enum smtp_security security;
	int allow_plaintext;
	/* The EHLO argument; NULL: the address literal of our end of the
	 * connection ("[192.0.2.1]"), which names no host. */
	const char *ehlo_name;
};

/* Extensions the engine uses (struct smtp_caps.ext). */
enum smtp_ext {
	SMTP_EXT_STARTTLS = 1u << 0,
	SMTP_EXT_PIPELINING = 1u << 1,
	SMTP_EXT_SIZE = 1u << 2,
	SMTP_EXT_8BITMIME = 1u << 3,
	SMTP_EXT_SMTPUTF8 = 1u << 4,
	SMTP_EXT_ENHANCEDSTATUSCODES = 1u << 5,
	SMTP_EXT_AUTH = 1u << 6,
	SMTP_EXT_DSN = 1u << 7,
	SMTP_EXT_CHUNKING = 1u << 8,
};

enum smtp_auth_mech {
	SMTP_AUTH_PLAIN = 1u << 0,
	SMTP_AUTH_LOGIN = 1u << 1,
	SMTP_AUTH_OTHER = 1u << 2, /* something postie does not speak */
	SMTP_AUTH_OAUTHBEARER = 1u << 3,
	SMTP_AUTH_XOAUTH2 = 1u << 4,
};

struct smtp_caps {
	unsigned ext;      /* enum smtp_ext */
	unsigned auth;     /* enum smtp_auth_mech */
	uint64_t size_max; /* SIZE n; 0 = no limit given */
};

/* What the server answered to one recipient. */
struct smtp_rcpt {
	const char *addr;   /* the caller's string */
	int accepted;       /* 250/251 to RCPT TO */
	int code;           /* the reply code; 0: no reply (session ended) */
	char enhanced[16];  /* "5.1.1" or "" */
	char text[SMTP_TEXT_MAX]; /* the server's text, cleaned */
};

enum smtp_status {
	SMTP_ACCEPTED,  /* the server took the message (maybe not for all) */
	SMTP_TEMPORARY, /* 4xx, or lost before the final dot: not sent */
	SMTP_PERMANENT, /* 5xx: not sent; do not retry unchanged */
	SMTP_UNKNOWN,   /* lost after the final dot: never resend on your own */
	SMTP_LOCAL,     /* refused here; nothing of it was sent */
};

/* Why a SMTP_LOCAL refusal happened, for callers that can act on it. */
enum smtp_local_err {
	SMTP_ERR_NONE,
	SMTP_ERR_8BIT,    /* 8-bit message, no 8BITMIME: convert to 7-bit */
	SMTP_ERR_UTF8,    /* non-ASCII address, no SMTPUTF8 */
	SMTP_ERR_SIZE,    /* larger than the server's SIZE */
	SMTP_ERR_MESSAGE, /* line too long, NUL byte, empty message */
	SMTP_ERR_ADDRESS, /* an address is malformed, too many recipients */
};

struct smtp_result {
	enum smtp_status status;
	enum smtp_local_err local; /* with SMTP_LOCAL */
	struct smtp_rcpt *rcpts;   /* nrcpts entries, one per recipient */
	size_t nrcpts;
	size_t accepted, refused;  /* recipients; refused counts 4xx and 5xx */
	int code;                  /* the deciding reply's code, 0 if none */
	char enhanced[16];
	char text[SMTP_TEXT_MAX];  /* its text, cleaned ("" before TLS) */
};

struct smtp;

int smtp_open(const struct smtp_opts *opts, struct smtp **s_r,
    struct error *err);
/* AUTH PLAIN (initial response) or LOGIN; see the contract above.  A
 * server that offers no AUTH is an error (submission needs a login). */
int smtp_login(struct smtp *s, const char *user, const char *password,
    struct error *err);
/*
 * Signs in with an OAuth2 access token (AUTH OAUTHBEARER when offered,
 * else XOAUTH2; net/sasl.h).  Returns 0 when logged in; 1 when the
 * server refused the token as invalid or expired and another try with
 * a fresh token may follow (err holds the refusal); -1 otherwise.
 */
int smtp_login_oauth(struct smtp *s, const char *user, const char *token,
    struct error *err);
/*
 * Submits msg[0..len) from the envelope sender from ("" for the null
 * sender) to rcpts[0..nrcpts).  Fills *res (res->rcpts is allocated, one
 * entry per recipient; free it with smtp_result_free).  Returns 0 when
 * the server accepted the message (res->status SMTP_ACCEPTED, maybe with
 * res->refused > 0), else -1 with the sentence in err and the outcome in
 * res->status.
 */
int smtp_send(struct smtp *s, const char *from, const char *const *rcpts,
    size_t nrcpts, const char *msg, size_t len, struct smtp_result *res,
    struct error *err);
void smtp_result_free(struct smtp_result *res);
/*
 * fn(arg) runs in smtp_send just before the final dot is written, for a
 * caller that must record durably that the server may now get the
 * message (an outbox's "unknown after a crash").  When it returns -1 the
 * dot is not sent, the session ends, and the outcome is SMTP_TEMPORARY.
 */
void smtp_set_before_dot(struct smtp *s, int (*fn)(void *arg), void *arg);
/* QUIT (waits for the answer), then smtp_close. */
int smtp_quit(struct smtp **s, struct error *err);
/* Closes without QUIT and frees; NULLs *s. */
void smtp_close(struct smtp **s);
/* From another thread: makes blocked and later I/O fail at once. */
void smtp_shutdown(struct smtp *s);
/* 0 once the session is unusable. */
int smtp_alive(const struct smtp *s);
int smtp_fd(const struct smtp *s);
/* The extensions of the last EHLO (after TLS, when TLS was started). */
const struct smtp_caps *smtp_caps(const struct smtp *s);
/* "TLSv1.3 ..." or "plaintext". */
const char *smtp_security_desc(const struct smtp *s);
/* "accepted", "temporary failure", ... for messages and logs. */
const char *smtp_status_name(enum smtp_status st);

/*
 * The pure parts (smtp_parse.c), exposed for tests and fuzzing.
 */

/* One reply, possibly of several lines ("250-a", "250 b"). */
struct smtp_reply {
	int code;          /* 200..599 */
	int nlines;
	char enhanced[16]; /* of the first line, "x.y.z", when present */
	/* The lines' texts (after the code and separator), raw, joined with
	 * '\n'; not cleaned: clean before showing. */
	struct buf text;
	int done;
};

void smtp_reply_init(struct smtp_reply *r);
void smtp_reply_free(struct smtp_reply *r);
/*
 * Feeds one line (without CRLF) of a reply.  Returns 1 when the reply is
 * complete (its last line "NNN " or "NNN"), 0 when more lines follow
 * ("NNN-"), -1 when the line is malformed: no 3-digit code from 2xx..5xx,
 * a code that differs from the first line's, a separator other than ' ',
 * '-' or end of line, or more than SMTP_MAX_REPLY_LINES lines.  Feeding
 * a complete reply again starts a new one.  Enhanced status codes
 * ("2.1.0 ") are recognised when enhanced is set.
 */
int smtp_reply_feed(struct smtp_reply *r, const char *line, size_t len,
    int enhanced);
/* Folds the lines of an EHLO reply (all but the first) into *caps. */
void smtp_ehlo_parse(const struct smtp_reply *r, struct smtp_caps *caps);

/* What smtp_body_scan learns of a message. */
struct smtp_body_info {
	uint64_t wire_len;   /* bytes of the encoded body (without ".") */
	size_t lines;
	size_t long_line;    /* number (1..) of the first line over
				SMTP_MAX_TEXT_LINE octets, 0 if none */
	size_t nul_line;     /* number (1..) of the first line with NUL */
	int eight_bit;       /* a byte >= 0x80 anywhere */
	int header_8bit;     /* ... in the header */
};
void smtp_body_scan(const char *msg, size_t len, struct smtp_body_info *info);
/* Appends the body as it goes on the wire: CRLF line ends, dot-stuffed,
 * ending with CRLF; the terminating ".\r\n" is not included. */
void smtp_body_encode(const char *msg, size_t len, struct buf *out);
/* 1 if addr may go into MAIL FROM:<> / RCPT TO:<> (no CR, LF, NUL, space,
 * '<', '>', at most 254 octets; "" only when empty_ok); *utf8_r is set
 * when it has non-ASCII bytes (then SMTPUTF8 is needed). */
int smtp_addr_ok(const char *addr, int empty_ok, int *utf8_r);

#endif
