/* smtp: the submission session (contract in smtp.h). */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/evp.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "net/sasl.h"
#include "net/smtp.h"

/* Each write of the body is bounded by the timeout on its own. */
#define BODY_CHUNK 65536

struct smtp {
	struct conn *conn;
	enum smtp_security sec;
	int trusted; /* TLS as required is up: server texts may be shown */
	int dead;
	struct smtp_caps caps;
	char *ehlo_name;
	struct smtp_reply reply;
	struct buf out; /* the command being sent; may hold credentials */
	int (*before_dot)(void *arg); /* smtp_set_before_dot */
	void *before_dot_arg;
};

static const char *
host(const struct smtp *s)
{
	return conn_host(s->conn);
}

static void
wipe(struct buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->cap);
	buf_reset(b);
}

static int
dead(struct smtp *s)
{
	s->dead = 1;
	return -1;
}

/* The current reply's text, cleaned, on one line; "" before TLS. */
static void
reply_text(const struct smtp *s, char *dst, size_t size)
{
	struct buf b = BUF_INIT;
	char *nl;

	dst[0] = '\0';
	if (!s->trusted || s->reply.text.len == 0)
		return;
	str_clean_display(&b, s->reply.text.data, s->reply.text.len, 1);
	while ((nl = memchr(b.data, '\n', b.len)) != NULL)
		*nl = ' ';
	str_lcpy(dst, buf_cstr(&b), size);
	buf_free(&b);
}

/* "550 5.1.1 text" of the current reply into err, after what. */
static int
reply_error(struct smtp *s, struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
reply_error(struct smtp *s, struct error *err, const char *fmt, ...)
{
	char what[ERROR_MAX], text[SMTP_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	reply_text(s, text, sizeof(text));
	return error_set(err, "%s: %s answered %d%s%s%s%s", what, host(s),
	    s->reply.code, s->reply.enhanced[0] ? " " : "", s->reply.enhanced,
	    text[0] ? " " : "", text);
}

/* Reads one whole reply into s->reply.  A 421 ends the session. */
static int
read_reply(struct smtp *s, const char *what, struct error *err)
{
	const char *line;
	size_t len;
	int rc, enh = (s->caps.ext & SMTP_EXT_ENHANCEDSTATUSCODES) != 0;

	do {
		if (conn_read_line(s->conn, SMTP_MAX_LINE, &line, &len,
		    err) < 0) {
			error_prefix(err, "%s", what);
			return dead(s);
		}
		rc = smtp_reply_feed(&s->reply, line, len, enh);
	} while (rc == 0);
	if (rc < 0) {
		error_set(err, "%s: %s sent a malformed reply", what, host(s));
		return dead(s);
	}
	if (s->reply.code == 421)
		s->dead = 1;
	return 0;
}

/* Writes s->out (then wipes it: it may have held a password). */
static int
flush(struct smtp *s, const char *what, struct error *err)
{
	int rc = conn_write(s->conn, s->out.data, s->out.len, err);

	wipe(&s->out);
	if (rc < 0) {
		error_prefix(err, "%s", what);
		return dead(s);
	}
	return 0;
}

static int
command(struct smtp *s, const char *what, struct error *err,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
command(struct smtp *s, const char *what, struct error *err,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&s->out, fmt, ap);
	va_end(ap);
	buf_addstr(&s->out, "\r\n");
	if (flush(s, what, err) < 0)
		return -1;
	return read_reply(s, what, err);
}

static void
local_name(struct smtp *s, const struct smtp_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char addr[INET6_ADDRSTRLEN], lit[INET6_ADDRSTRLEN + 8];

	if (o->ehlo_name != NULL) {
		s->ehlo_name = xstrdup(o->ehlo_name);
		return;
	}
	/* An address literal names no host (and leaks no host name). */
	if (getsockname(conn_fd(s->conn), (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET && inet_ntop(AF_INET,
		    &((struct sockaddr_in *)&ss)->sin_addr, addr,
		    sizeof(addr))) {
			snprintf(lit, sizeof(lit), "[%s]", addr);
			s->ehlo_name = xstrdup(lit);
			return;
		}
		if (ss.ss_family == AF_INET6 && inet_ntop(AF_INET6,
		    &((struct sockaddr_in6 *)&ss)->sin6_addr, addr,
		    sizeof(addr))) {
			snprintf(lit, sizeof(lit), "[IPv6:%s]", addr);
			s->ehlo_name = xstrdup(lit);
			return;
		}
	}
	s->ehlo_name = xstrdup("[127.0.0.1]");
}

static int
ehlo(struct smtp *s, struct error *err)
{
	memset(&s->caps, 0, sizeof(s->caps));
	if (command(s, "EHLO", err, "EHLO %s", s->ehlo_name) < 0)
		return -1;
	if (s->reply.code != 250)
		return reply_error(s, err, "%s refused EHLO; postie needs an "
		    "ESMTP submission server", host(s));
	smtp_ehlo_parse(&s->reply, &s->caps);
	return 0;
}

static int
starttls(struct smtp *s, struct error *err)
{
	if (!(s->caps.ext & SMTP_EXT_STARTTLS)) {
		s->dead = 1;
		return error_set(err, "%s does not offer STARTTLS, and the "
		    "account requires TLS; nothing was sent", host(s));
	}
	if (command(s, "STARTTLS", err, "STARTTLS") < 0)
		return -1;
	/* Before TLS the text is untrusted: only the code counts. */
	if (s->reply.code != 220) {
		s->dead = 1;
		return error_set(err, "%s refused STARTTLS (%d), and the "
		    "account requires TLS; nothing was sent", host(s),
		    s->reply.code);
	}
	if (conn_starttls(s->conn, err) < 0)
		return dead(s);
	s->trusted = 1;
	return ehlo(s, err);
}

int
smtp_open(const struct smtp_opts *o, struct smtp **s_r, struct error *err)
{
	struct conn_opts co = o->conn;
	struct smtp *s;

	*s_r = NULL;
	if (o->security == SMTP_SEC_NONE && !o->allow_plaintext)
		return error_set(err, "plaintext SMTP to %s needs "
		    "allow_plaintext = yes", co.host);
	co.tls = o->security == SMTP_SEC_IMPLICIT ? CONN_TLS_IMPLICIT :
	    CONN_TLS_NONE;
	s = xcalloc(1, sizeof(*s));
	s->sec = o->security;
	s->trusted = o->security != SMTP_SEC_STARTTLS;
	smtp_reply_init(&s->reply);
	if (conn_open(&co, &s->conn, err) < 0)
		goto fail;
	/* The greeting, EHLO and STARTTLS as one exchange: a server that
	 * drips its answers cannot hold the session (conn.h). */
	conn_budget_start(s->conn);
	local_name(s, o);
	if (read_reply(s, "no greeting", err) < 0)
		goto fail;
	if (s->reply.code != 220) {
		reply_error(s, err, "%s refused the connection", host(s));
		goto fail;
	}
	if (ehlo(s, err) < 0)
		goto fail;
	if (o->security == SMTP_SEC_STARTTLS && starttls(s, err) < 0)
		goto fail;
	*s_r = s;
	return 0;
fail:
	smtp_close(&s);
	return -1;
}

static void
b64(struct buf *out, const char *p, size_t n)
{
	size_t need = 4 * ((n + 2) / 3) + 1;

	buf_grow(out, need);
	out->len += (size_t)EVP_EncodeBlock((unsigned char *)out->data +
	    out->len, (const unsigned char *)p, (int)n);
	out->data[out->len] = '\0';
}

/* Sends s->out plus CRLF and reads the answer. */
static int
secret_line(struct smtp *s, struct error *err)
{
	buf_addstr(&s->out, "\r\n");
	if (flush(s, "login", err) < 0)
		return -1;
	return read_reply(s, "login", err);
}

/* AUTH mech with the initial response enc (base64).  RFC 4954: it rides
 * on the AUTH line when the line fits in 512 octets; else it follows an
 * empty challenge. */
static int
auth_initial(struct smtp *s, const char *mech, const struct buf *enc,
    struct error *err)
{
	int rc;

	if (enc->len + strlen(mech) + sizeof("AUTH  \r\n") - 1 <= 512) {
		buf_printf(&s->out, "AUTH %s ", mech);
		buf_add(&s->out, enc->data, enc->len);
		return secret_line(s, err);
	}
	buf_printf(&s->out, "AUTH %s", mech);
	rc = secret_line(s, err);
	if (rc == 0 && s->reply.code == 334) {
		buf_add(&s->out, enc->data, enc->len);
		rc = secret_line(s, err);
	}
	return rc;
}

static int
auth_plain(struct smtp *s, const char *user, const char *password,
    struct error *err)
{
	struct buf raw = BUF_INIT, enc = BUF_INIT;
	int rc;

	/* Built byte by byte: every grow must leave no copy behind. */
	buf_secret(&raw);
	buf_secret(&enc);
	buf_addch(&raw, '\0');
	buf_addstr(&raw, user);
	buf_addch(&raw, '\0');
	buf_addstr(&raw, password);
	b64(&enc, raw.data, raw.len);
	wipe(&raw);
	buf_free(&raw);
	rc = auth_initial(s, "PLAIN", &enc, err);
	wipe(&enc);
	buf_free(&enc);
	return rc;
}

static int
auth_login(struct smtp *s, const char *user, const char *password,
    struct error *err)
{
	buf_addstr(&s->out, "AUTH LOGIN");
	if (secret_line(s, err) < 0 || s->reply.code != 334)
		return s->dead ? -1 : 0;
	b64(&s->out, user, strlen(user));
	if (secret_line(s, err) < 0 || s->reply.code != 334)
		return s->dead ? -1 : 0;
	b64(&s->out, password, strlen(password));
	return secret_line(s, err);
}

/* The session can take a credential (what: "password"...). */
static int
login_ready(struct smtp *s, const char *what, struct error *err)
{
	if (s->dead)
		return error_set(err, "the connection to %s is closed",
		    host(s));
	if (s->sec != SMTP_SEC_NONE && !conn_is_tls(s->conn))
		return error_set(err, "the connection to %s is not "
		    "encrypted; not sending the %s", host(s), what);
	return 0;
}

int
smtp_login(struct smtp *s, const char *user, const char *password,
    struct error *err)
{
	int rc;

	if (login_ready(s, "password", err) < 0)
		return -1;
	if (user[0] == '\0' || strpbrk(user, "\r\n") ||
	    strpbrk(password, "\r\n"))
		return error_set(err, "the user name or password for %s "
		    "contains a line break or is empty", host(s));
	if (!(s->caps.ext & SMTP_EXT_AUTH))
		return error_set(err, "%s offers no login (AUTH); postie "
		    "submits mail only after logging in", host(s));
	conn_budget_start(s->conn);
	/* The password goes through out (AUTH LOGIN): from now on a grow
	 * leaves no copy behind, and what out drops is wiped. */
	buf_secret(&s->out);
	if (s->caps.auth & SMTP_AUTH_PLAIN)
		rc = auth_plain(s, user, password, err);
	else if (s->caps.auth & SMTP_AUTH_LOGIN)
		rc = auth_login(s, user, password, err);
	else
		return error_set(err, "%s offers no login method postie knows "
		    "(AUTH PLAIN or LOGIN)", host(s));
	if (rc < 0)
		return -1;
	if (s->reply.code == 235)
		return 0;
	if (s->reply.code == 334) {
		/* A challenge the method does not have: cancel. */
		buf_addstr(&s->out, "*");
		if (secret_line(s, err) < 0)
			return -1;
		return error_set(err, "login failed: %s sent an unexpected "
		    "challenge", host(s));
	}
	/* The user name is not secret; the password never appears. */
	return reply_error(s, err, "%s refused the login of %s", host(s),
	    user);
}

int
smtp_login_oauth(struct smtp *s, const char *user, const char *token,
    struct error *err)
{
	enum sasl_oauth_verdict verdict = SASL_OAUTH_OTHER;
	struct buf raw = BUF_INIT, enc = BUF_INIT;
	const char *name, *a;
	enum sasl_mech m;
	char status[40];
	size_t alen;
	int rc;

	if (login_ready(s, "access token", err) < 0)
		return -1;
	if (s->caps.auth & SMTP_AUTH_OAUTHBEARER)
		m = SASL_OAUTHBEARER;
	else if (s->caps.auth & SMTP_AUTH_XOAUTH2)
		m = SASL_XOAUTH2;
	else
		return error_set(err, "%s offers no OAuth2 sign-in (AUTH "
		    "OAUTHBEARER or XOAUTH2)", host(s));
	name = sasl_mech_name(m);
	buf_secret(&raw);
	buf_secret(&enc);
	if (user[0] == '\0' || sasl_oauth_initial(&raw, m, user, host(s),
	    conn_port(s->conn), token) < 0) {
		buf_free(&raw);
		return error_set(err, "the user name or access token for %s "
		    "is empty or contains a control character", host(s));
	}
	sasl_b64_encode(&enc, raw.data, raw.len);
	wipe(&raw);
	buf_free(&raw);
	conn_budget_start(s->conn);
	buf_secret(&s->out);
	rc = auth_initial(s, name, &enc, err);
	wipe(&enc);
	buf_free(&enc);
	if (rc == 0 && s->reply.code == 334) {
		/* RFC 7628 3.2.2: the error challenge, answered to end the
		 * exchange; the refusal follows. */
		verdict = sasl_oauth_error(s->reply.text.data,
		    s->reply.text.len, status, sizeof(status));
		a = sasl_oauth_abort(m, &alen);
		sasl_b64_encode(&s->out, a, alen);
		rc = secret_line(s, err);
		if (rc == 0 && s->reply.code == 334) {
			buf_addstr(&s->out, "*");
			if (secret_line(s, err) < 0)
				return -1;
			return error_set(err, "sign-in failed: %s sent an "
			    "unexpected challenge", host(s));
		}
	}
	if (rc < 0)
		return -1;
	if (s->reply.code == 235)
		return 0;
	reply_error(s, err, "%s refused the sign-in of %s", host(s), user);
	return verdict == SASL_OAUTH_INVALID && !s->dead ? 1 : -1;
}

const char *
smtp_status_name(enum smtp_status st)
{
	switch (st) {
	case SMTP_ACCEPTED: return "accepted";
	case SMTP_TEMPORARY: return "temporary failure";
	case SMTP_PERMANENT: return "permanent failure";
	case SMTP_UNKNOWN: return "unknown";
	default: return "not sent";
	}
}

void
smtp_result_free(struct smtp_result *res)
{
	free(res->rcpts);
	res->rcpts = NULL;
	res->nrcpts = 0;
}

/* Records the current reply as the one that decided res. */
static void
decide(struct smtp *s, struct smtp_result *res)
{
	res->code = s->reply.code;
	str_lcpy(res->enhanced, s->reply.enhanced, sizeof(res->enhanced));
	reply_text(s, res->text, sizeof(res->text));
	res->status = s->reply.code / 100 == 2 ? SMTP_ACCEPTED :
	    s->reply.code / 100 == 4 ? SMTP_TEMPORARY : SMTP_PERMANENT;
}

static int
local(struct smtp_result *res, enum smtp_local_err why, struct error *err,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
local(struct smtp_result *res, enum smtp_local_err why, struct error *err,
    const char *fmt, ...)
{
	va_list ap;

	res->status = SMTP_LOCAL;
	res->local = why;
	va_start(ap, fmt);
	error_vset(err, fmt, ap);
	va_end(ap);
	return -1;
}

static void
human_size(uint64_t n, char *out, size_t size)
{
	if (n >= 1024 * 1024)
		snprintf(out, size, "%.1f MB", (double)n / (1024.0 * 1024.0));
	else if (n >= 1024)
		snprintf(out, size, "%.1f KB", (double)n / 1024.0);
	else
		snprintf(out, size, "%llu bytes", (unsigned long long)n);
}

/* The checks that refuse a message before anything of it is sent. */
static int
check_message(struct smtp *s, const char *from, const char *const *rcpts,
    size_t n, const struct smtp_body_info *bi, size_t len, int *utf8_r,
    struct smtp_result *res, struct error *err)
{
	char a[32], b[32];
	size_t i;
	int u;

	*utf8_r = 0;
	if (n == 0)
		return local(res, SMTP_ERR_ADDRESS, err, "the message has no "
		    "recipients; nothing was sent");
	if (n > SMTP_MAX_RCPTS)
		return local(res, SMTP_ERR_ADDRESS, err, "the message has %zu "
		    "recipients, more than %d; nothing was sent", n,
		    SMTP_MAX_RCPTS);
	if (!smtp_addr_ok(from, 1, &u))
		return local(res, SMTP_ERR_ADDRESS, err, "the sender address "
		    "is not usable in SMTP; nothing was sent");
	*utf8_r |= u;
	for (i = 0; i < n; i++) {
		if (!smtp_addr_ok(rcpts[i], 0, &u)) {
			struct buf c = BUF_INIT;

			str_clean_display(&c, rcpts[i], strlen(rcpts[i]), 0);
			local(res, SMTP_ERR_ADDRESS, err, "recipient address "
			    "'%s' is not usable in SMTP; nothing was sent",
			    buf_cstr(&c));
			buf_free(&c);
			return -1;
		}
		*utf8_r |= u;
	}
	if (len == 0)
		return local(res, SMTP_ERR_MESSAGE, err, "the message is "
		    "empty; nothing was sent");
	if (bi->long_line)
		return local(res, SMTP_ERR_MESSAGE, err, "line %zu of the "
		    "message is longer than %d bytes, which mail servers "
		    "refuse or break; nothing was sent (encode that part as "
		    "quoted-printable or base64)", bi->long_line,
		    SMTP_MAX_TEXT_LINE);
	if (bi->nul_line)
		return local(res, SMTP_ERR_MESSAGE, err, "line %zu of the "
		    "message contains a NUL byte, which SMTP cannot carry; "
		    "nothing was sent", bi->nul_line);
	if (bi->eight_bit && !(s->caps.ext & SMTP_EXT_8BITMIME))
		return local(res, SMTP_ERR_8BIT, err, "the message contains "
		    "8-bit text and %s does not accept 8-bit mail (no "
		    "8BITMIME); nothing was sent (it must be re-encoded as "
		    "7-bit, e.g. quoted-printable)", host(s));
	if (*utf8_r && !(s->caps.ext & SMTP_EXT_SMTPUTF8))
		return local(res, SMTP_ERR_UTF8, err, "an address contains "
		    "non-ASCII characters and %s does not accept them (no "
		    "SMTPUTF8); nothing was sent", host(s));
	if ((s->caps.ext & SMTP_EXT_SIZE) && s->caps.size_max > 0 &&
	    bi->wire_len > s->caps.size_max) {
		human_size(bi->wire_len, a, sizeof(a));
		human_size(s->caps.size_max, b, sizeof(b));
		return local(res, SMTP_ERR_SIZE, err, "the message is %s, more "
		    "than the %s that %s accepts; nothing was sent", a, b,
		    host(s));
	}
	return 0;
}

static void
rset(struct smtp *s)
{
	struct error ignored;

	if (!s->dead)
		command(s, "RSET", &ignored, "RSET");
}

/* One recipient's answer, from s->reply. */
static void
rcpt_reply(struct smtp *s, struct smtp_rcpt *r, struct smtp_result *res)
{
	r->code = s->reply.code;
	r->accepted = s->reply.code == 250 || s->reply.code == 251;
	str_lcpy(r->enhanced, s->reply.enhanced, sizeof(r->enhanced));
	reply_text(s, r->text, sizeof(r->text));
	if (r->accepted)
		res->accepted++;
	else
		res->refused++;
}

/* The sentence for a transaction in which no recipient was accepted. */
static int
no_rcpt_error(struct smtp *s, struct smtp_result *res, struct error *err)
{
	const struct smtp_rcpt *r = NULL;
	struct buf a = BUF_INIT;
	size_t i;
	int temp = 0;

	for (i = 0; i < res->nrcpts; i++) {
		if (res->rcpts[i].code / 100 == 4)
			temp = 1;
		if (r == NULL && res->rcpts[i].code != 0)
			r = &res->rcpts[i];
	}
	res->status = temp ? SMTP_TEMPORARY : SMTP_PERMANENT;
	if (r == NULL)
		return error_set(err, "%s answered no recipient", host(s));
	res->code = r->code;
	str_lcpy(res->enhanced, r->enhanced, sizeof(res->enhanced));
	str_lcpy(res->text, r->text, sizeof(res->text));
	str_clean_display(&a, r->addr, strlen(r->addr), 0);
	error_set(err, "%s refused %s%s: %d%s%s%s%s%s; nothing was sent",
	    host(s), res->nrcpts > 1 ? "every recipient, first " :
	    "the recipient ", buf_cstr(&a), r->code, r->enhanced[0] ? " " : "",
	    r->enhanced, r->text[0] ? " " : "", r->text,
	    temp ? " (temporary)" : "");
	buf_free(&a);
	return -1;
}

/* After a refusal with DATA already sent: a 354 must be ended with an
 * empty message (the server then refuses it: no recipient). */
static void
end_data(struct smtp *s, int data_code)
{
	struct error ignored;

	if (data_code == 354 && !s->dead)
		command(s, "DATA", &ignored, ".");
}

static int
mail_refused(struct smtp *s, struct smtp_result *res, struct error *err)
{
	decide(s, res);
	return reply_error(s, err, "%s refused the sender", host(s));
}

/* Without PIPELINING: one command, one answer. */
static int
envelope_lockstep(struct smtp *s, const char *mail, const char *const *rcpts,
    struct smtp_result *res, int *data_code_r, struct error *err)
{
	size_t i;

	if (command(s, "MAIL FROM", err, "%s", mail) < 0)
		return -1;
	if (s->reply.code != 250)
		return mail_refused(s, res, err);
	for (i = 0; i < res->nrcpts; i++) {
		if (command(s, "RCPT TO", err, "RCPT TO:<%s>", rcpts[i]) < 0)
			return -1;
		rcpt_reply(s, &res->rcpts[i], res);
		if (s->dead)
			return reply_error(s, err, "%s closed the session",
			    host(s));
	}
	if (res->accepted == 0)
		return no_rcpt_error(s, res, err);
	if (command(s, "DATA", err, "DATA") < 0)
		return -1;
	*data_code_r = s->reply.code;
	return 0;
}

/* With PIPELINING: MAIL, up to SMTP_PIPELINE_RCPTS RCPTs and (with the
 * last of them) DATA in one write, then their answers in order. */
static int
envelope_pipelined(struct smtp *s, const char *mail,
    const char *const *rcpts, struct smtp_result *res, int *data_code_r,
    struct error *err)
{
	size_t n = res->nrcpts, i = 0, j, k;
	int data_sent = 0, mail_code;

	buf_printf(&s->out, "%s\r\n", mail);
	while (!data_sent) {
		j = n - i > SMTP_PIPELINE_RCPTS ? i + SMTP_PIPELINE_RCPTS : n;
		for (k = i; k < j; k++)
			buf_printf(&s->out, "RCPT TO:<%s>\r\n", rcpts[k]);
		if (j == n) {
			buf_addstr(&s->out, "DATA\r\n");
			data_sent = 1;
		}
		if (flush(s, "sending", err) < 0)
			return -1;
		if (i == 0) {
			if (read_reply(s, "MAIL FROM", err) < 0)
				return -1;
			mail_code = s->reply.code;
			if (mail_code != 250) {
				struct error e2;

				mail_refused(s, res, err);
				/* Read what the rest of the batch earned. */
				for (k = i; k < j; k++)
					if (read_reply(s, "RCPT TO", &e2) < 0)
						return -1;
				if (data_sent && read_reply(s, "DATA",
				    &e2) == 0)
					end_data(s, s->reply.code);
				return -1;
			}
		}
		for (k = i; k < j; k++) {
			if (read_reply(s, "RCPT TO", err) < 0)
				return -1;
			rcpt_reply(s, &res->rcpts[k], res);
		}
		i = j;
	}
	if (read_reply(s, "DATA", err) < 0)
		return -1;
	*data_code_r = s->reply.code;
	if (res->accepted == 0) {
		end_data(s, *data_code_r);
		return no_rcpt_error(s, res, err);
	}
	return 0;
}

/* The body, in chunks (each write has the timeout on its own), then the
 * final dot; from that moment an unanswered message is SMTP_UNKNOWN. */
static int
data(struct smtp *s, const char *msg, size_t len, struct smtp_result *res,
    struct error *err)
{
	struct buf body = BUF_INIT;
	size_t off;
	int rc = 0;

	smtp_body_encode(msg, len, &body);
	for (off = 0; off < body.len && rc == 0; off += BODY_CHUNK)
		rc = conn_write(s->conn, body.data + off, body.len - off >
		    BODY_CHUNK ? BODY_CHUNK : body.len - off, err);
	buf_free(&body);
	if (rc < 0) {
		res->status = SMTP_TEMPORARY;
		error_prefix(err, "the message was not sent (cut off before "
		    "its end)");
		return dead(s);
	}
	/* The caller records that the server may get the message from
	 * here on; if it cannot, the dot never goes. */
	if (s->before_dot && s->before_dot(s->before_dot_arg) < 0) {
		res->status = SMTP_TEMPORARY;
		s->dead = 1;
		return error_set(err, "the message was not sent (its state "
		    "could not be recorded first)");
	}
	res->status = SMTP_UNKNOWN;
	if (conn_write(s->conn, ".\r\n", 3, err) < 0 ||
	    read_reply(s, "end of message", err) < 0) {
		s->dead = 1;
		return error_prefix(err, "%s may or may not have accepted the "
		    "message (the connection broke after it was sent, before "
		    "the answer); postie does not send it again on its own",
		    host(s));
	}
	decide(s, res);
	if (s->reply.code != 250)
		return reply_error(s, err, "%s refused the message", host(s));
	return 0;
}

void
smtp_set_before_dot(struct smtp *s, int (*fn)(void *arg), void *arg)
{
	s->before_dot = fn;
	s->before_dot_arg = arg;
}

int
smtp_send(struct smtp *s, const char *from, const char *const *rcpts,
    size_t nrcpts, const char *msg, size_t len, struct smtp_result *res,
    struct error *err)
{
	struct smtp_body_info bi;
	struct buf mail = BUF_INIT;
	size_t i;
	int utf8, data_code = 0, rc;

	memset(res, 0, sizeof(*res));
	res->status = SMTP_TEMPORARY;
	res->nrcpts = nrcpts;
	res->rcpts = xcalloc(nrcpts ? nrcpts : 1, sizeof(*res->rcpts));
	for (i = 0; i < nrcpts; i++)
		res->rcpts[i].addr = rcpts[i];
	if (s->dead)
		return error_set(err, "the connection to %s is closed; "
		    "nothing was sent", host(s));
	/* One overall deadline for the whole transaction, writes and
	 * reads: the per-read timeout alone lets a server that answers a
	 * byte at a time hold the message (and the account's worker) for
	 * hours.  The body's bytes earn time as they go (conn.h). */
	conn_budget_start(s->conn);
	smtp_body_scan(msg, len, &bi);
	if (check_message(s, from, rcpts, nrcpts, &bi, len, &utf8, res,
	    err) < 0)
		return -1;
	buf_printf(&mail, "MAIL FROM:<%s>", from);
	if (s->caps.ext & SMTP_EXT_SIZE)
		buf_printf(&mail, " SIZE=%llu",
		    (unsigned long long)bi.wire_len);
	if (bi.eight_bit)
		buf_addstr(&mail, " BODY=8BITMIME");
	if (utf8 || (bi.header_8bit && (s->caps.ext & SMTP_EXT_SMTPUTF8)))
		buf_addstr(&mail, " SMTPUTF8");
	if (s->caps.ext & SMTP_EXT_PIPELINING)
		rc = envelope_pipelined(s, mail.data, rcpts, res, &data_code,
		    err);
	else
		rc = envelope_lockstep(s, mail.data, rcpts, res, &data_code,
		    err);
	buf_free(&mail);
	if (rc == 0 && data_code != 354) {
		decide(s, res);
		rc = reply_error(s, err, "%s refused the message (DATA)",
		    host(s));
	} else if (rc == 0) {
		rc = data(s, msg, len, res, err);
	}
	if (rc < 0 && s->dead && res->status == SMTP_ACCEPTED)
		res->status = SMTP_TEMPORARY;
	/* A failed transaction is reset, so the next smtp_send starts
	 * afresh (after the final dot's answer there is nothing to reset). */
	if (rc < 0 && res->status != SMTP_UNKNOWN &&
	    res->status != SMTP_LOCAL && data_code != 354)
		rset(s);
	return rc;
}

int
smtp_quit(struct smtp **sp, struct error *err)
{
	struct smtp *s = *sp;
	int rc = 0;

	if (s == NULL)
		return 0;
	if (!s->dead) {
		conn_budget_start(s->conn);
		rc = command(s, "QUIT", err, "QUIT");
	}
	smtp_close(sp);
	return rc;
}

void
smtp_close(struct smtp **sp)
{
	struct smtp *s = *sp;

	if (s == NULL)
		return;
	if (s->conn != NULL)
		conn_close(&s->conn);
	smtp_reply_free(&s->reply);
	wipe(&s->out);
	buf_free(&s->out);
	free(s->ehlo_name);
	free(s);
	*sp = NULL;
}

void
smtp_shutdown(struct smtp *s)
{
	if (s->conn != NULL)
		conn_shutdown(s->conn);
}

int
smtp_alive(const struct smtp *s)
{
	return s != NULL && !s->dead;
}

int
smtp_fd(const struct smtp *s)
{
	return s->conn != NULL ? conn_fd(s->conn) : -1;
}

const struct smtp_caps *
smtp_caps(const struct smtp *s)
{
	return &s->caps;
}

const char *
smtp_security_desc(const struct smtp *s)
{
	return conn_security(s->conn);
}
