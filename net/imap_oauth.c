/*
 * imap_oauth: AUTHENTICATE OAUTHBEARER / XOAUTH2 (net/sasl.h), with the
 * initial response on the command line when SASL-IR is offered.
 */
#include <config.h>

#include "net/imap_int.h"

#include <string.h>

#include "net/sasl.h"

/* The mechanism to use: OAUTHBEARER, the standard, when offered. */
static int
pick(const struct imap *imap, enum sasl_mech *m)
{
	if (imap->caps & IMAP_CAP_AUTH_OAUTHBEARER)
		*m = SASL_OAUTHBEARER;
	else if (imap->caps & IMAP_CAP_AUTH_XOAUTH2)
		*m = SASL_XOAUTH2;
	else
		return -1;
	return 0;
}

static int
exchange(struct imap *imap, struct imap_cmd *cmd, enum sasl_mech m,
    const struct buf *enc, enum sasl_oauth_verdict *verdict,
    struct error *err)
{
	const struct imap_resp *r;
	int rc, sent = 0, answered = 0;

	imap_cmd_begin(imap, cmd, "the sign-in", NULL, NULL);
	imap_add(imap, "AUTHENTICATE %s", sasl_mech_name(m));
	if (imap->caps & IMAP_CAP_SASL_IR) {
		imap_add(imap, " %s", enc->data);
		sent = 1;
	}
	rc = imap_cmd_send(imap, cmd, err);
	buf_wipe(&imap->out);
	while (rc == 0 && !cmd->done) {
		if ((r = imap_read(imap, err)) == NULL) {
			rc = -1;
		} else if (r->kind != IMAP_RESP_CONT) {
			rc = imap_dispatch(imap, r, err);
		} else if (!sent) {
			rc = conn_write(imap->conn, enc->data, enc->len, err);
			if (rc == 0)
				rc = conn_write(imap->conn, "\r\n", 2, err);
			sent = 1;
		} else if (!answered) {
			/* RFC 7628 3.2.2: the error challenge; the answer
			 * (%x01, or empty for XOAUTH2) ends the exchange. */
			struct buf b = BUF_INIT;
			const char *a;
			size_t alen;
			char status[40];

			*verdict = sasl_oauth_error(r->text, strlen(r->text),
			    status, sizeof(status));
			a = sasl_oauth_abort(m, &alen);
			sasl_b64_encode(&b, a, alen);
			buf_addstr(&b, "\r\n");
			rc = conn_write(imap->conn, b.data, b.len, err);
			buf_free(&b);
			answered = 1;
		} else {
			rc = conn_write(imap->conn, "*\r\n", 3, err);
		}
	}
	return rc;
}

int
imap_login_oauth(struct imap *imap, const char *user, const char *token,
    struct error *err)
{
	const char *host = conn_host(imap->conn);
	enum sasl_oauth_verdict verdict = SASL_OAUTH_OTHER;
	struct buf raw = BUF_INIT, enc = BUF_INIT;
	struct imap_cmd cmd;
	enum sasl_mech m;
	int rc;

	if (imap->logged_in)
		return error_set(err, "internal error: already logged in");
	if (imap->preauth)
		return imap_login_done(imap, err);
	if (imap->need_tls && !conn_is_tls(imap->conn)) {
		error_set(err, "the connection to %s is not encrypted; not "
		    "sending the access token", host);
		return imap_dead(imap, err);
	}
	if (pick(imap, &m) < 0)
		return error_set(err, "IMAP server %s offers no OAuth2 "
		    "sign-in (AUTH=OAUTHBEARER or AUTH=XOAUTH2)", host);
	buf_secret(&raw);
	buf_secret(&enc);
	if (sasl_oauth_initial(&raw, m, user, host, conn_port(imap->conn),
	    token) < 0) {
		buf_free(&raw);
		return error_set(err, "the user name or access token for %s "
		    "contains a control character", host);
	}
	sasl_b64_encode(&enc, raw.data, raw.len);
	buf_free(&raw);
	imap->caps_known = 0;
	rc = exchange(imap, &cmd, m, &enc, &verdict, err);
	buf_free(&enc);
	if (rc < 0) {
		imap_cmd_free(&cmd);
		return imap_dead(imap, err);
	}
	if (!cmd.ok) {
		error_set(err, "IMAP server %s refused the sign-in of %s%s%s",
		    host, user, cmd.text[0] ? ": " : "", cmd.text);
		imap_cmd_free(&cmd);
		if (verdict == SASL_OAUTH_INVALID && imap_alive(imap))
			return 1;
		return imap_dead(imap, err);
	}
	imap_cmd_free(&cmd);
	return imap_login_done(imap, err);
}
