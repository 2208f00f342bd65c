/* POP3 session: greeting, CAPA, STLS, login, and the transaction state. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "net/conn.h"
#include "net/pop3.h"
#include "net/sasl.h"

#define RBUF_SIZE (128 * 1024)

struct pop3 {
	struct conn *conn;
	char *host;
	enum pop3_security security;
	int allow_plaintext;
	int apop;
	int utf8_sent; /* UTF8 is asked once, not at each sign-in try */
	unsigned caps;
	struct buf stamp; /* APOP timestamp of the greeting, or empty */
	struct buf wbuf;  /* commands to send */
	char *rbuf;
	size_t rpos, rlen;
};

/* Server text may be shown once the required protection is in place. */
static int
show_text(const struct pop3 *p)
{
	return p->security == POP3_SEC_NONE || conn_is_tls(p->conn);
}

static int
flush_cmds(struct pop3 *p, struct error *err)
{
	int rc = 0;

	if (p->wbuf.len > 0)
		rc = conn_write(p->conn, p->wbuf.data, p->wbuf.len, err);
	/* The buffer may have held a password. */
	if (p->wbuf.cap > 0)
		OPENSSL_cleanse(p->wbuf.data, p->wbuf.cap);
	buf_reset(&p->wbuf);
	return rc;
}

static int
fill(struct pop3 *p, struct error *err)
{
	ssize_t n;

	if (p->rpos == p->rlen)
		p->rpos = p->rlen = 0;
	else if (p->rpos > 0) {
		memmove(p->rbuf, p->rbuf + p->rpos, p->rlen - p->rpos);
		p->rlen -= p->rpos;
		p->rpos = 0;
	}
	if (p->rlen == RBUF_SIZE)
		return error_set(err, "internal error: read buffer full");
	n = conn_read_some(p->conn, p->rbuf + p->rlen, RBUF_SIZE - p->rlen,
	    err);
	if (n <= 0) {
		if (!error_isset(err))
			error_set(err, "%s closed the connection", p->host);
		return -1;
	}
	p->rlen += (size_t)n;
	return 0;
}

/* One response line, CRLF stripped, NUL-terminated in place. */
static int
read_line(struct pop3 *p, const char **line_r, size_t *len_r,
    struct error *err)
{
	char *nl;
	size_t len;

	for (;;) {
		nl = memchr(p->rbuf + p->rpos, '\n', p->rlen - p->rpos);
		if (nl != NULL)
			break;
		if (p->rlen - p->rpos > POP3_MAX_LINE + 2)
			return error_set(err, "%s sent a line longer than %d "
			    "bytes", p->host, POP3_MAX_LINE);
		if (fill(p, err) < 0)
			return -1;
	}
	len = (size_t)(nl - (p->rbuf + p->rpos));
	*line_r = p->rbuf + p->rpos;
	p->rpos += len + 1;
	if (len > 0 && nl[-1] == '\r')
		len--;
	if (len > POP3_MAX_LINE)
		return error_set(err, "%s sent a line longer than %d bytes",
		    p->host, POP3_MAX_LINE);
	((char *)*line_r)[len] = '\0';
	*len_r = len;
	return 0;
}

static int
read_status(struct pop3 *p, struct pop3_status *st, const char *what,
    struct error *err)
{
	const char *line;
	size_t len;

	/* Each reply (with its lines) gets its own overall deadline. */
	conn_budget_start(p->conn);
	if (read_line(p, &line, &len, err) < 0)
		return error_prefix(err, "%s", what);
	if (pop3_status_parse(line, len, st) < 0)
		return error_set(err, "%s: %s sent a malformed reply", what,
		    p->host);
	return 0;
}

/* A reply that must be +OK; -ERR becomes the sentence for what. */
static int
expect_ok(struct pop3 *p, struct pop3_status *st, const char *what,
    struct error *err)
{
	if (read_status(p, st, what, err) < 0)
		return -1;
	if (st->kind == POP3_OK)
		return 0;
	if (st->kind == POP3_ERR)
		return pop3_status_error(st, what, show_text(p), err);
	return error_set(err, "%s: %s sent an unexpected continuation", what,
	    p->host);
}

/* Reads the rest of a multi-line response into sink. */
static int
read_multi(struct pop3 *p, enum pop3_ml_mode mode, size_t max_line,
    pop3_sink_fn sink, void *ctx, struct error *err)
{
	struct pop3_ml *ml = xmalloc(sizeof(*ml));
	size_t used;
	int rc;

	pop3_ml_init(ml, mode, max_line, sink, ctx);
	for (;;) {
		if (p->rpos < p->rlen) {
			rc = pop3_ml_feed(ml, p->rbuf + p->rpos,
			    p->rlen - p->rpos, &used, err);
			if (rc < 0)
				break;
			p->rpos += used;
			if (rc > 0)
				break;
		}
		if ((rc = fill(p, err)) < 0) {
			error_prefix(err, "the message list or message was cut "
			    "short");
			break;
		}
	}
	free(ml);
	return rc < 0 ? -1 : 0;
}

/* Splits multi-line data into lines for fn. */
struct lines {
	struct buf line;
	size_t count;
	int (*fn)(void *ctx, const char *l, size_t len, struct error *err);
	void *ctx;
};

static int
lines_sink(void *ctx, const char *data, size_t len, struct error *err)
{
	struct lines *ls = ctx;
	const char *nl;
	size_t n;

	while (len > 0) {
		nl = memchr(data, '\n', len);
		n = nl ? (size_t)(nl - data) : len;
		buf_add(&ls->line, data, n);
		if (nl == NULL)
			break;
		if (++ls->count > POP3_MAX_MESSAGES + 64)
			return error_set(err, "the server sent more than %d "
			    "lines", POP3_MAX_MESSAGES);
		if (ls->fn(ls->ctx, ls->line.data ? ls->line.data : "",
		    ls->line.len, err) < 0)
			return -1;
		buf_reset(&ls->line);
		data += n + 1;
		len -= n + 1;
	}
	return 0;
}

static int
read_lines(struct pop3 *p, int (*fn)(void *, const char *, size_t,
    struct error *), void *ctx, struct error *err)
{
	struct lines ls = { BUF_INIT, 0, fn, ctx };
	int rc;

	rc = read_multi(p, POP3_ML_LF, POP3_MAX_LINE, lines_sink, &ls, err);
	buf_free(&ls.line);
	return rc;
}

static int
capa_fn(void *ctx, const char *l, size_t len, struct error *err)
{
	(void)err;
	pop3_capa_line(l, len, ctx);
	return 0;
}

static int
capa(struct pop3 *p, struct error *err)
{
	struct pop3_status st;

	p->caps = 0;
	buf_addstr(&p->wbuf, "CAPA\r\n");
	if (flush_cmds(p, err) < 0 || read_status(p, &st, "CAPA", err) < 0)
		return -1;
	if (st.kind != POP3_OK)
		return 0; /* an RFC 1939 server without CAPA */
	p->caps = POP3_CAP_KNOWN;
	return read_lines(p, capa_fn, &p->caps, err);
}

static int
stls(struct pop3 *p, struct error *err)
{
	struct pop3_status st;

	if ((p->caps & POP3_CAP_KNOWN) && !(p->caps & POP3_CAP_STLS))
		return error_set(err, "%s does not offer STLS, and the account "
		    "requires TLS; nothing was sent", p->host);
	buf_addstr(&p->wbuf, "STLS\r\n");
	if (flush_cmds(p, err) < 0 || read_status(p, &st, "STLS", err) < 0)
		return -1;
	/* Before TLS the text is untrusted: only the status counts. */
	if (st.kind != POP3_OK)
		return error_set(err, "%s refused STLS, and the account requires "
		    "TLS; nothing was sent", p->host);
	if (p->rpos != p->rlen)
		return error_set(err, "%s sent data after its STLS reply "
		    "(someone may be tampering with the connection); "
		    "aborting", p->host);
	if (conn_starttls(p->conn, err) < 0)
		return -1;
	/* RFC 2595: what came before TLS is forgotten, the APOP timestamp
	 * too.  No greeting follows STLS, so APOP has none to use. */
	p->caps = 0;
	buf_reset(&p->stamp);
	return capa(p, err);
}

int
pop3_open(const struct pop3_opts *opts, struct pop3 **p_r,
    struct error *err)
{
	struct conn_opts co;
	struct pop3_status st;
	struct pop3 *p;
	const char *line;
	size_t len;

	if (opts->security == POP3_SEC_NONE && !opts->allow_plaintext)
		return error_set(err, "plaintext POP3 to %s needs "
		    "allow_plaintext = yes", opts->conn.host);
	co = opts->conn;
	co.tls = opts->security == POP3_SEC_IMPLICIT ? CONN_TLS_IMPLICIT :
	    CONN_TLS_NONE;
	p = xcalloc(1, sizeof(*p));
	p->host = xstrdup(opts->conn.host);
	p->security = opts->security;
	p->allow_plaintext = opts->allow_plaintext;
	p->apop = opts->apop;
	p->rbuf = xmalloc(RBUF_SIZE);
	if (conn_open(&co, &p->conn, err) < 0)
		goto fail;
	conn_budget_start(p->conn); /* the greeting's */
	if (read_line(p, &line, &len, err) < 0) {
		error_prefix(err, "no greeting from %s", p->host);
		goto fail;
	}
	if (pop3_status_parse(line, len, &st) < 0 || st.kind != POP3_OK) {
		if (st.kind == POP3_ERR)
			pop3_status_error(&st, "the server refused the "
			    "connection", show_text(p), err);
		else
			error_set(err, "%s does not greet like a POP3 server",
			    p->host);
		goto fail;
	}
	/* The APOP stamp is a nonce: a forged one only fails the login. */
	pop3_apop_stamp(line, len, &p->stamp);
	if (capa(p, err) < 0)
		goto fail;
	if (p->security == POP3_SEC_STLS && stls(p, err) < 0)
		goto fail;
	*p_r = p;
	return 0;
fail:
	pop3_close(&p);
	return -1;
}

static int
safe_arg(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

static int
login_apop(struct pop3 *p, const char *user, const char *password,
    struct pop3_status *st, struct error *err)
{
	char digest[33];

	if (p->stamp.len == 0 && p->security == POP3_SEC_STLS)
		return error_set(err, "APOP cannot be used with STLS: the "
		    "only timestamp %s gives came before TLS; remove apop from "
		    "the account (the password goes under TLS) or use tls = "
		    "implicit", p->host);
	if (p->stamp.len == 0)
		return error_set(err, "%s offers no APOP (its greeting has no "
		    "timestamp); remove apop from the account", p->host);
	if (pop3_apop_digest(p->stamp.data, p->stamp.len, password,
	    digest) < 0)
		return error_set(err, "APOP: MD5 is not available in this "
		    "OpenSSL");
	buf_printf(&p->wbuf, "APOP %s %s\r\n", user, digest);
	OPENSSL_cleanse(digest, sizeof(digest));
	if (flush_cmds(p, err) < 0)
		return -1;
	return expect_ok(p, st, "login failed", err);
}

static int
login_plain(struct pop3 *p, const char *user, const char *password,
    struct pop3_status *st, struct error *err)
{
	struct buf raw = BUF_INIT;
	char *b64;
	size_t n, blen;
	int rc = -1;

	buf_secret(&raw); /* built byte by byte: grows leave no copy */
	buf_addch(&raw, '\0');
	buf_addstr(&raw, user);
	buf_addch(&raw, '\0');
	buf_addstr(&raw, password);
	n = raw.len;
	b64 = xmalloc(4 * ((n + 2) / 3) + 1);
	blen = (size_t)EVP_EncodeBlock((unsigned char *)b64,
	    (unsigned char *)raw.data, (int)n);
	buf_free(&raw); /* wiped: secret */
	/* RFC 5034: the initial response only if the line fits 255. */
	if (blen + sizeof("AUTH PLAIN \r\n") - 1 <= 255) {
		buf_printf(&p->wbuf, "AUTH PLAIN %s\r\n", b64);
		if (flush_cmds(p, err) < 0 ||
		    read_status(p, st, "login failed", err) < 0)
			goto out;
	} else {
		buf_addstr(&p->wbuf, "AUTH PLAIN\r\n");
		if (flush_cmds(p, err) < 0 ||
		    read_status(p, st, "login failed", err) < 0)
			goto out;
		if (st->kind == POP3_CONT) {
			buf_printf(&p->wbuf, "%s\r\n", b64);
			if (flush_cmds(p, err) < 0 ||
			    read_status(p, st, "login failed", err) < 0)
				goto out;
		}
	}
	if (st->kind == POP3_CONT) {
		/* A challenge PLAIN does not have: cancel. */
		buf_addstr(&p->wbuf, "*\r\n");
		flush_cmds(p, err);
		error_set(err, "login failed: %s sent an unexpected "
		    "challenge", p->host);
		goto out;
	}
	if (st->kind == POP3_ERR) {
		pop3_status_error(st, "login failed", show_text(p), err);
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(b64, blen);
	free(b64);
	return rc;
}

/* RFC 6856, in the AUTHORIZATION state: without it a server may
 * replace each message that has raw UTF-8 headers by a notice.
 * -ERR only means the messages come as the server keeps them. */
static int
utf8(struct pop3 *p, struct error *err)
{
	struct pop3_status st;

	if ((p->caps & POP3_CAP_UTF8) && !p->utf8_sent) {
		p->utf8_sent = 1;
		buf_addstr(&p->wbuf, "UTF8\r\n");
		if (flush_cmds(p, err) < 0 || read_status(p, &st, "UTF8",
		    err) < 0)
			return -1;
		if (st.kind == POP3_CONT)
			return error_set(err, "UTF8: %s answered with a "
			    "continuation", p->host);
	}
	return 0;
}

int
pop3_login(struct pop3 *p, const char *user, const char *password,
    struct error *err)
{
	struct pop3_status st;

	if (p->security != POP3_SEC_NONE && !conn_is_tls(p->conn))
		return error_set(err, "the connection to %s is not encrypted; "
		    "not sending the password", p->host);
	if (!safe_arg(user) || !safe_arg(password) || user[0] == '\0')
		return error_set(err, "the user name or password contains a "
		    "line break or is empty");
	if (utf8(p, err) < 0)
		return -1;
	/* The password goes through wbuf: a grow must not leave a copy in
	 * freed memory (flush_cmds wipes what stays). */
	buf_secret(&p->wbuf);
	if (p->apop) {
		if (login_apop(p, user, password, &st, err) < 0)
			return -1;
	} else if (p->caps & POP3_CAP_SASL_PLAIN) {
		if (login_plain(p, user, password, &st, err) < 0)
			return -1;
	} else if ((p->caps & POP3_CAP_USER) || !(p->caps & POP3_CAP_KNOWN)) {
		buf_printf(&p->wbuf, "USER %s\r\n", user);
		if (flush_cmds(p, err) < 0 ||
		    expect_ok(p, &st, "login failed", err) < 0)
			return -1;
		buf_printf(&p->wbuf, "PASS %s\r\n", password);
		if (flush_cmds(p, err) < 0 ||
		    expect_ok(p, &st, "login failed", err) < 0)
			return -1;
	} else
		return error_set(err, "%s offers no login method postie knows "
		    "(USER or SASL PLAIN)", p->host);
	/* RFC 2449: capabilities may change after login. */
	return capa(p, err);
}

/* The SASL exchange of AUTH m with the initial response enc (base64). */
static int
oauth_exchange(struct pop3 *p, enum sasl_mech m, const struct buf *enc,
    struct pop3_status *st, enum sasl_oauth_verdict *verdict,
    struct error *err)
{
	const char *name = sasl_mech_name(m), *a;
	size_t alen;
	struct buf b = BUF_INIT;
	char status[40];

	/* RFC 5034: the initial response only if the line fits 255;
	 * access tokens often do not. */
	if (enc->len + strlen(name) + sizeof("AUTH  \r\n") - 1 <= 255) {
		buf_printf(&p->wbuf, "AUTH %s %s\r\n", name, enc->data);
		if (flush_cmds(p, err) < 0 ||
		    read_status(p, st, "sign-in failed", err) < 0)
			return -1;
	} else {
		buf_printf(&p->wbuf, "AUTH %s\r\n", name);
		if (flush_cmds(p, err) < 0 ||
		    read_status(p, st, "sign-in failed", err) < 0)
			return -1;
		if (st->kind == POP3_CONT) {
			buf_add(&p->wbuf, enc->data, enc->len);
			buf_addstr(&p->wbuf, "\r\n");
			if (flush_cmds(p, err) < 0 ||
			    read_status(p, st, "sign-in failed", err) < 0)
				return -1;
		}
	}
	if (st->kind != POP3_CONT)
		return 0;
	/* RFC 7628 3.2.2: the error challenge, answered to end the
	 * exchange; the -ERR follows. */
	*verdict = sasl_oauth_error(st->text, st->text_len, status,
	    sizeof(status));
	a = sasl_oauth_abort(m, &alen);
	sasl_b64_encode(&b, a, alen);
	buf_add(&p->wbuf, b.data, b.len);
	buf_free(&b);
	buf_addstr(&p->wbuf, "\r\n");
	if (flush_cmds(p, err) < 0 ||
	    read_status(p, st, "sign-in failed", err) < 0)
		return -1;
	if (st->kind == POP3_CONT) {
		buf_addstr(&p->wbuf, "*\r\n");
		flush_cmds(p, err);
		return error_set(err, "sign-in failed: %s sent an unexpected "
		    "challenge", p->host);
	}
	return 0;
}

int
pop3_login_oauth(struct pop3 *p, const char *user, const char *token,
    struct error *err)
{
	enum sasl_oauth_verdict verdict = SASL_OAUTH_OTHER;
	struct buf raw = BUF_INIT, enc = BUF_INIT;
	struct pop3_status st;
	enum sasl_mech m;
	int rc;

	if (p->security != POP3_SEC_NONE && !conn_is_tls(p->conn))
		return error_set(err, "the connection to %s is not encrypted; "
		    "not sending the access token", p->host);
	if (p->caps & POP3_CAP_SASL_OAUTHBEARER)
		m = SASL_OAUTHBEARER;
	else if (p->caps & POP3_CAP_SASL_XOAUTH2)
		m = SASL_XOAUTH2;
	else
		return error_set(err, "%s offers no OAuth2 sign-in (SASL "
		    "OAUTHBEARER or XOAUTH2)", p->host);
	buf_secret(&raw);
	buf_secret(&enc);
	if (user[0] == '\0' || sasl_oauth_initial(&raw, m, user, p->host,
	    conn_port(p->conn), token) < 0) {
		buf_free(&raw);
		return error_set(err, "the user name or access token for %s "
		    "is empty or contains a control character", p->host);
	}
	sasl_b64_encode(&enc, raw.data, raw.len);
	buf_free(&raw);
	if (utf8(p, err) < 0) {
		buf_free(&enc);
		return -1;
	}
	buf_secret(&p->wbuf);
	rc = oauth_exchange(p, m, &enc, &st, &verdict, err);
	buf_free(&enc);
	if (rc < 0)
		return -1;
	if (st.kind == POP3_ERR) {
		pop3_status_error(&st, "sign-in failed", show_text(p), err);
		return verdict == SASL_OAUTH_INVALID ? 1 : -1;
	}
	return capa(p, err);
}

unsigned
pop3_caps(const struct pop3 *p)
{
	return p->caps;
}

const char *
pop3_security(const struct pop3 *p)
{
	return conn_security(p->conn);
}

int
pop3_stat(struct pop3 *p, unsigned *count_r, uint64_t *size_r,
    struct error *err)
{
	struct pop3_status st;
	unsigned num;

	buf_addstr(&p->wbuf, "STAT\r\n");
	if (flush_cmds(p, err) < 0 || expect_ok(p, &st, "STAT", err) < 0)
		return -1;
	/* "+OK n size" has the shape of a LIST line, but n may be 0. */
	if (st.text_len >= 2 && st.text[0] == '0' && st.text[1] == ' ') {
		char tmp[POP3_MAX_LINE + 2];

		snprintf(tmp, sizeof(tmp), "1%.*s", (int)(st.text_len - 1),
		    st.text + 1);
		*count_r = 0;
		if (pop3_list_line(tmp, strlen(tmp), &num, size_r) < 0)
			return error_set(err, "STAT: %s sent a malformed "
			    "reply", p->host);
		return 0;
	}
	if (pop3_list_line(st.text, st.text_len, count_r, size_r) < 0)
		return error_set(err, "STAT: %s sent a malformed reply",
		    p->host);
	return 0;
}

struct scan {
	struct pop3_msg *msgs;
	size_t n, cap;
	int seen_dup;
};

static int
list_fn(void *ctx, const char *l, size_t len, struct error *err)
{
	struct scan *sc = ctx;
	unsigned num;
	uint64_t size;

	if (pop3_list_line(l, len, &num, &size) < 0)
		return error_set(err, "the server sent a malformed LIST line");
	if (sc->n == POP3_MAX_MESSAGES)
		return error_set(err, "the server lists more than %d messages",
		    POP3_MAX_MESSAGES);
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 256;
		sc->msgs = xreallocarray(sc->msgs, sc->cap, sizeof(*sc->msgs));
	}
	memset(&sc->msgs[sc->n], 0, sizeof(sc->msgs[0]));
	sc->msgs[sc->n].num = num;
	sc->msgs[sc->n].size = size;
	sc->n++;
	return 0;
}

static int
cmp_num(const void *a, const void *b)
{
	const struct pop3_msg *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

static int
uidl_fn(void *ctx, const char *l, size_t len, struct error *err)
{
	struct scan *sc = ctx;
	struct pop3_msg key, *m;
	char uidl[POP3_UIDL_MAX + 1];

	if (pop3_uidl_line(l, len, &key.num, uidl) < 0)
		return error_set(err, "the server sent a malformed or invalid "
		    "UIDL line");
	m = sc->n == 0 ? NULL :
	    bsearch(&key, sc->msgs, sc->n, sizeof(*m), cmp_num);
	if (m == NULL)
		return error_set(err, "the server sent a UIDL for message %u, "
		    "which LIST did not show", key.num);
	if (m->uidl[0] != '\0')
		return error_set(err, "the server sent two UIDLs for message "
		    "%u", key.num);
	memcpy(m->uidl, uidl, sizeof(uidl));
	return 0;
}

int
pop3_scan(struct pop3 *p, struct pop3_msg **msgs_r, size_t *n_r,
    int *have_uidl_r, struct error *err)
{
	struct scan sc = { NULL, 0, 0, 0 };
	struct pop3_status st;
	int pipelined = (p->caps & POP3_CAP_PIPELINING) != 0;
	size_t i;

	buf_addstr(&p->wbuf, pipelined ? "LIST\r\nUIDL\r\n" : "LIST\r\n");
	if (flush_cmds(p, err) < 0 || expect_ok(p, &st, "LIST", err) < 0 ||
	    read_lines(p, list_fn, &sc, err) < 0)
		goto fail;
	if (sc.n > 1)
		qsort(sc.msgs, sc.n, sizeof(*sc.msgs), cmp_num);
	for (i = 1; i < sc.n; i++)
		if (sc.msgs[i].num == sc.msgs[i - 1].num) {
			error_set(err, "the server listed message %u twice",
			    sc.msgs[i].num);
			goto fail;
		}
	if (!pipelined) {
		buf_addstr(&p->wbuf, "UIDL\r\n");
		if (flush_cmds(p, err) < 0)
			goto fail;
	}
	if (read_status(p, &st, "UIDL", err) < 0)
		goto fail;
	*have_uidl_r = st.kind == POP3_OK;
	if (st.kind == POP3_OK && (read_lines(p, uidl_fn, &sc, err) < 0 ||
	    pop3_check_uidls(sc.msgs, sc.n, err) < 0))
		goto fail;
	*msgs_r = sc.msgs;
	*n_r = sc.n;
	return 0;
fail:
	free(sc.msgs);
	return -1;
}

struct body {
	const struct pop3_retr_cb *cb;
	void *ctx;
};

static int
body_sink(void *ctx, const char *data, size_t len, struct error *err)
{
	struct body *b = ctx;

	return b->cb->data(b->ctx, data, len, err);
}

static int
read_body(struct pop3 *p, unsigned num, const char *what,
    const struct pop3_retr_cb *cb, void *ctx, struct error *err)
{
	struct body b = { cb, ctx };
	struct pop3_status st;

	if (expect_ok(p, &st, what, err) < 0)
		return -1;
	if (cb->begin && cb->begin(ctx, num, err) < 0)
		return -1;
	if (read_multi(p, POP3_ML_LF, POP3_MAX_BODY_LINE, body_sink, &b,
	    err) < 0)
		return -1;
	return cb->end ? cb->end(ctx, num, err) : 0;
}

/* Sends cmd for nums[] with up to a window in flight; each reply is
 * handled by reply(). */
static int
windowed(struct pop3 *p, const char *cmd, size_t window, const unsigned *nums,
    size_t n, int (*reply)(struct pop3 *, unsigned, void *, struct error *),
    void *arg, struct error *err)
{
	size_t win = (p->caps & POP3_CAP_PIPELINING) ? window : 1;
	size_t sent = 0, done = 0;

	while (done < n) {
		/* Refill when half the window has drained. */
		if (sent - done <= win / 2) {
			while (sent < n && sent - done < win)
				buf_printf(&p->wbuf, "%s %u\r\n", cmd,
				    nums[sent++]);
			if (flush_cmds(p, err) < 0)
				return -1;
		}
		if (reply(p, nums[done], arg, err) < 0)
			return -1;
		done++;
	}
	return 0;
}

struct retr_arg {
	const struct pop3_retr_cb *cb;
	void *ctx;
};

static int
retr_reply(struct pop3 *p, unsigned num, void *arg, struct error *err)
{
	struct retr_arg *ra = arg;
	char what[32];

	snprintf(what, sizeof(what), "RETR %u", num);
	return read_body(p, num, what, ra->cb, ra->ctx, err);
}

int
pop3_retr_many(struct pop3 *p, const unsigned *nums, size_t n,
    const struct pop3_retr_cb *cb, void *ctx, struct error *err)
{
	struct retr_arg ra = { cb, ctx };

	return windowed(p, "RETR", POP3_PIPELINE_WINDOW, nums, n, retr_reply,
	    &ra, err);
}

int
pop3_top(struct pop3 *p, unsigned num, unsigned lines,
    const struct pop3_retr_cb *cb, void *ctx, struct error *err)
{
	char what[48];

	buf_printf(&p->wbuf, "TOP %u %u\r\n", num, lines);
	if (flush_cmds(p, err) < 0)
		return -1;
	snprintf(what, sizeof(what), "TOP %u", num);
	return read_body(p, num, what, cb, ctx, err);
}

static int
dele_reply(struct pop3 *p, unsigned num, void *arg, struct error *err)
{
	struct pop3_status st;
	char what[32];

	(void)arg;
	snprintf(what, sizeof(what), "DELE %u", num);
	return expect_ok(p, &st, what, err);
}

int
pop3_dele_many(struct pop3 *p, const unsigned *nums, size_t n,
    struct error *err)
{
	return windowed(p, "DELE", POP3_DELE_WINDOW, nums, n, dele_reply, NULL,
	    err);
}

static int
simple(struct pop3 *p, const char *cmd, struct error *err)
{
	struct pop3_status st;

	buf_printf(&p->wbuf, "%s\r\n", cmd);
	if (flush_cmds(p, err) < 0)
		return -1;
	return expect_ok(p, &st, cmd, err);
}

int
pop3_rset(struct pop3 *p, struct error *err)
{
	return simple(p, "RSET", err);
}

int
pop3_noop(struct pop3 *p, struct error *err)
{
	return simple(p, "NOOP", err);
}

int
pop3_quit(struct pop3 *p, struct error *err)
{
	if (simple(p, "QUIT", err) < 0)
		return error_prefix(err, "the server may not have deleted the "
		    "downloaded messages");
	return 0;
}

void
pop3_close(struct pop3 **pp)
{
	struct pop3 *p = *pp;

	if (p == NULL)
		return;
	if (p->conn != NULL)
		conn_close(&p->conn);
	buf_free(&p->stamp);
	buf_free(&p->wbuf);
	free(p->rbuf);
	free(p->host);
	free(p);
	*pp = NULL;
}

void
pop3_shutdown(struct pop3 *p)
{
	if (p->conn != NULL)
		conn_shutdown(p->conn);
}

int
pop3_fd(const struct pop3 *p)
{
	return p->conn != NULL ? conn_fd(p->conn) : -1;
}
