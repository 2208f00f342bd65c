/*
 * imap_login: connection set-up (greeting, STARTTLS, CAPABILITY, login,
 * ENABLE), NAMESPACE, LOGOUT and the small accessors.
 */
#include <config.h>

#include "net/imap_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "net/sasl.h"

static int
capability(struct imap *imap, struct error *err)
{
	struct imap_cmd cmd;
	int rc;

	imap_cmd_begin(imap, &cmd, "CAPABILITY", NULL, NULL);
	imap_add(imap, "CAPABILITY");
	imap->caps_known = 0;
	rc = imap_cmd_run(imap, &cmd, err);
	if (rc == 0 && !imap->caps_known)
		return error_set(err, "IMAP server %s sent no capabilities",
		    conn_host(imap->conn));
	return rc;
}

static int
greeting(struct imap *imap, enum imap_security sec, int *preauth_r,
    struct error *err)
{
	const struct imap_resp *r;
	const char *host = conn_host(imap->conn);

	if ((r = imap_read(imap, err)) == NULL)
		return -1;
	if (r->kind != IMAP_RESP_UNTAGGED || r->status == NULL)
		return error_set(err, "%s did not greet like an IMAP server",
		    host);
	if (str_casecmp(r->status, "BYE") == 0) {
		struct buf b = BUF_INIT;

		if (imap->trusted)
			str_clean_display(&b, r->text, strlen(r->text), 0);
		error_set(err, "IMAP server %s refused the connection%s%s",
		    host, b.len ? ": " : "", buf_cstr(&b));
		buf_free(&b);
		return -1;
	}
	*preauth_r = str_casecmp(r->status, "PREAUTH") == 0;
	if (*preauth_r && sec == IMAP_SEC_STARTTLS)
		return error_set(err, "IMAP server %s logged in before TLS "
		    "(PREAUTH on an unencrypted connection); refusing it",
		    host);
	if (str_casecmp(r->status, "OK") != 0 && !*preauth_r)
		return error_set(err, "%s did not greet like an IMAP server",
		    host);
	if (r->code && str_casecmp(r->code, "CAPABILITY") == 0)
		imap_parse_caps(imap, r->code_args);
	return 0;
}

static int
starttls(struct imap *imap, struct error *err)
{
	const char *host = conn_host(imap->conn);
	const struct imap_resp *r;
	struct imap_cmd cmd;

	if (!imap->caps_known && capability(imap, err) < 0)
		return -1;
	if (!(imap->caps & IMAP_CAP_STARTTLS))
		return error_set(err, "IMAP server %s does not offer "
		    "STARTTLS; refusing to continue without TLS", host);
	imap_cmd_begin(imap, &cmd, "STARTTLS", NULL, NULL);
	imap_add(imap, "STARTTLS");
	if (imap_cmd_send(imap, &cmd, err) < 0)
		return -1;
	/* Our tagged OK, nothing else: untagged data in plaintext is
	 * ignored, a continuation or any other answer aborts. */
	do
		if ((r = imap_read(imap, err)) == NULL)
			return -1;
	while (r->kind == IMAP_RESP_UNTAGGED &&
	    (r->status == NULL || str_casecmp(r->status, "BYE") != 0));
	if (r->kind != IMAP_RESP_TAGGED || strcmp(r->tag, cmd.tag) != 0 ||
	    str_casecmp(r->status, "OK") != 0) {
		imap->dead = 1;
		return error_set(err, "IMAP server %s refused STARTTLS", host);
	}
	imap->pending = NULL;
	if (imap->rpos < imap->rlen || imap_parser_busy(imap->parser))
		return error_set(err, "IMAP server %s sent unexpected data "
		    "after the STARTTLS answer (injected?); refusing", host);
	if (conn_starttls(imap->conn, err) < 0)
		return imap_dead(imap, err);
	/* Forget everything learnt in plaintext. */
	imap->caps = 0;
	imap->caps_known = 0;
	imap->trusted = 1;
	return capability(imap, err);
}

static int
authenticate(struct imap *imap, struct imap_cmd *cmd, const char *user,
    const char *pass, struct error *err)
{
	struct buf raw = BUF_INIT, enc = BUF_INIT;
	const struct imap_resp *r;
	int rc = 0, sent = 0;

	/* Built byte by byte: every grow must leave no copy behind. */
	buf_secret(&raw);
	buf_secret(&enc);
	buf_addch(&raw, '\0');
	buf_addstr(&raw, user);
	buf_addch(&raw, '\0');
	buf_addstr(&raw, pass);
	sasl_b64_encode(&enc, raw.data, raw.len);
	buf_wipe(&raw);
	buf_free(&raw);
	imap_cmd_begin(imap, cmd, "the login", NULL, NULL);
	imap_add(imap, "AUTHENTICATE PLAIN");
	if (imap->caps & IMAP_CAP_SASL_IR) {
		imap_add(imap, " %s", enc.len ? enc.data : "=");
		sent = 1;
	}
	rc = imap_cmd_send(imap, cmd, err);
	buf_wipe(&imap->out);
	while (rc == 0 && !cmd->done) {
		if ((r = imap_read(imap, err)) == NULL) {
			rc = -1;
		} else if (r->kind == IMAP_RESP_CONT) {
			/* A second challenge means failure: cancel. */
			buf_addstr(&enc, "\r\n");
			rc = conn_write(imap->conn, sent ? "*\r\n" : enc.data,
			    sent ? 3 : enc.len, err);
			sent = 1;
		} else {
			rc = imap_dispatch(imap, r, err);
		}
	}
	buf_wipe(&enc);
	buf_free(&enc);
	return rc;
}

static int
login(struct imap *imap, const char *user, const char *password,
    struct error *err)
{
	const char *host = conn_host(imap->conn);
	struct imap_cmd cmd;
	int rc;

	imap->caps_known = 0;
	if (imap->caps & IMAP_CAP_AUTH_PLAIN) {
		rc = authenticate(imap, &cmd, user, password, err);
	} else if (imap->caps & IMAP_CAP_LOGINDISABLED) {
		return error_set(err, "IMAP server %s does not allow LOGIN "
		    "here (LOGINDISABLED) and offers no AUTHENTICATE PLAIN",
		    host);
	} else {
		imap_cmd_begin(imap, &cmd, "the login", NULL, NULL);
		imap_add(imap, "LOGIN ");
		imap_add_astring(imap, user, strlen(user));
		imap_add(imap, " ");
		imap_add_astring(imap, password, strlen(password));
		rc = imap_cmd_send(imap, &cmd, err);
		buf_wipe(&imap->out);
		if (rc == 0)
			rc = imap_cmd_finish(imap, &cmd, err);
	}
	if (rc == 0 && !cmd.ok) {
		/* user is not secret; the password never appears. */
		error_set(err, "IMAP server %s rejected the login of %s%s%s",
		    host, user, cmd.text[0] ? ": " : "", cmd.text);
		rc = -1;
	}
	imap_cmd_free(&cmd);
	return rc;
}

static int
enabled_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	const struct imap_arg *a;

	(void)cmd;
	(void)err;
	if (r->status || !imap_arg_is(r->args, "ENABLED"))
		return 0;
	for (a = r->args->next; a; a = a->next) {
		if (imap_arg_is(a, "QRESYNC"))
			imap->qresync = imap->condstore = 1;
		else if (imap_arg_is(a, "CONDSTORE"))
			imap->condstore = 1;
		else if (imap_arg_is(a, "UTF8=ACCEPT"))
			imap->utf8 = 1;
	}
	return 1;
}

/*
 * ENABLE is sent, not waited for: its answer comes before the answer to
 * whatever follows, so the session's first command goes out with it in
 * the same round trip.  Until it is in, the session uses none of what it
 * enables (imap->qresync, utf8 stay 0); what depends on them settles it
 * first (imap_enable_settle).
 */
static int
enable(struct imap *imap, struct error *err)
{
	struct imap_cmd *cmd;
	unsigned want = imap->caps & (IMAP_CAP_CONDSTORE | IMAP_CAP_QRESYNC |
	    IMAP_CAP_UTF8_ACCEPT);

	if (!(imap->caps & IMAP_CAP_ENABLE) || want == 0)
		return 0;
	cmd = xcalloc(1, sizeof(*cmd));
	imap_cmd_begin(imap, cmd, "ENABLE", enabled_untagged, NULL);
	imap_add(imap, "ENABLE");
	if (want & IMAP_CAP_CONDSTORE)
		imap_add(imap, " CONDSTORE");
	if (want & IMAP_CAP_QRESYNC)
		imap_add(imap, " QRESYNC");
	if (want & IMAP_CAP_UTF8_ACCEPT)
		imap_add(imap, " UTF8=ACCEPT");
	if (imap_cmd_send(imap, cmd, err) < 0) {
		imap_cmd_free(cmd);
		free(cmd);
		return -1;
	}
	imap->enabling = cmd;
	return 0;
}

int
imap_enable_settle(struct imap *imap, struct error *err)
{
	struct imap_cmd *cmd = imap->enabling;
	int rc;

	if (cmd == NULL)
		return 0;
	/* a refused ENABLE only means fewer extensions */
	rc = imap_cmd_finish(imap, cmd, err);
	imap->enabling = NULL;
	imap_cmd_free(cmd);
	free(cmd);
	return rc;
}

int
imap_open(const struct imap_opts *o, struct imap **imap_r, struct error *err)
{
	struct imap *imap;
	struct conn_opts co = o->conn;

	*imap_r = NULL;
	if (o->security == IMAP_SEC_NONE && !o->allow_plaintext)
		return error_set(err, "plaintext IMAP to %s needs "
		    "allow_plaintext = yes", o->conn.host);
	imap = xcalloc(1, sizeof(*imap));
	co.tls = o->security == IMAP_SEC_IMPLICIT ? CONN_TLS_IMPLICIT :
	    CONN_TLS_NONE;
	if (o->limits)
		imap->lim = *o->limits;
	else
		imap_limits_default(&imap->lim);
	/* LOGIN puts the password in it: no copy may be left behind by a
	 * grow, and everything it drops is wiped. */
	buf_secret(&imap->out);
	imap->parser = imap_parser_new(&imap->lim);
	imap->rbuf = xmalloc(IMAP_RBUF);
	imap->trusted = o->security != IMAP_SEC_STARTTLS;
	imap->need_tls = o->security != IMAP_SEC_NONE;
	imap->ignore_caps = o->ignore_caps;
	if (conn_open(&co, &imap->conn, err) < 0)
		goto fail;
	if (greeting(imap, o->security, &imap->preauth, err) < 0)
		goto fail;
	if (o->security == IMAP_SEC_STARTTLS && starttls(imap, err) < 0)
		goto fail;
	if (!imap->caps_known && capability(imap, err) < 0)
		goto fail;
	*imap_r = imap;
	return 0;
fail:
	imap_close(&imap);
	return -1;
}

int
imap_login(struct imap *imap, const char *user, const char *password,
    struct error *err)
{
	if (imap->logged_in)
		return error_set(err, "internal error: already logged in");
	if (!imap->preauth) {
		if (imap->need_tls && !conn_is_tls(imap->conn)) {
			error_set(err, "the connection to %s is not "
			    "encrypted; not sending the password",
			    conn_host(imap->conn));
			return imap_dead(imap, err);
		}
		if (login(imap, user ? user : "", password ? password : "",
		    err) < 0)
			return imap_dead(imap, err);
	}
	return imap_login_done(imap, err);
}

int
imap_login_done(struct imap *imap, struct error *err)
{
	if (!imap->preauth && !imap->caps_known && capability(imap, err) < 0)
		return imap_dead(imap, err);
	imap->logged_in = 1;
	if (enable(imap, err) < 0)
		return imap_dead(imap, err);
	if (!imap->qresync && (imap->caps & IMAP_CAP_CONDSTORE))
		imap->condstore = 1; /* enabled by SELECT (CONDSTORE) */
	return 0;
}

int
imap_authenticated(const struct imap *imap)
{
	return imap->preauth || imap->logged_in;
}

void
imap_close(struct imap **pp)
{
	struct imap *imap = *pp;

	if (imap == NULL)
		return;
	if (imap->enabling) { /* never answered: nothing reads it now */
		imap_cmd_free(imap->enabling);
		free(imap->enabling);
	}
	conn_close(&imap->conn);
	imap_parser_free(&imap->parser);
	free(imap->rbuf);
	buf_wipe(&imap->out);
	buf_free(&imap->out);
	buf_free(&imap->tmp);
	free(imap);
	*pp = NULL;
}

int
imap_logout(struct imap **pp, struct error *err)
{
	struct imap *imap = *pp;
	struct imap_cmd cmd;
	int rc = 0;

	if (imap == NULL)
		return 0;
	if (!imap->dead && !imap->bye) {
		imap_cmd_begin(imap, &cmd, "LOGOUT", NULL, NULL);
		imap_add(imap, "LOGOUT");
		rc = imap_cmd_send(imap, &cmd, err);
		if (rc == 0)
			rc = imap_cmd_finish(imap, &cmd, err);
		imap_cmd_free(&cmd);
	}
	imap_close(pp);
	return rc;
}

void
imap_shutdown(struct imap *imap)
{
	conn_shutdown(imap->conn);
}

int
imap_alive(const struct imap *imap)
{
	return imap && !imap->dead && !imap->bye;
}

int
imap_fd(const struct imap *imap)
{
	return conn_fd(imap->conn);
}

void
imap_set_event_cb(struct imap *imap, imap_event_fn *fn, void *ctx)
{
	imap->ev_fn = fn;
	imap->ev_ctx = ctx;
}

int
imap_has_cap(const struct imap *imap, unsigned cap)
{
	return (imap->caps & cap) == cap;
}

int
imap_qresync(struct imap *imap)
{
	struct error scratch;

	error_clear(&scratch);
	if (imap_enable_settle(imap, &scratch) < 0)
		return 0; /* the session broke: the next command says so */
	return imap->qresync;
}

int
imap_condstore(const struct imap *imap)
{
	return imap->condstore;
}

const char *
imap_security_desc(const struct imap *imap)
{
	return conn_security(imap->conn);
}

struct ns_ctx {
	char *prefix;
	char delim;
};

static int
namespace_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	struct ns_ctx *ns = cmd->ctx;
	const struct imap_arg *a, *p;
	const char *d;

	(void)err;
	if (r->status || !imap_arg_is(r->args, "NAMESPACE"))
		return 0;
	a = r->args->next;
	if (a && a->type == IMAP_ARG_LIST && a->list &&
	    a->list->type == IMAP_ARG_LIST && imap_arg_str(a->list->list)) {
		const char *prefix;

		p = a->list->list;
		if ((prefix = imap_folder_name(imap, p->str, p->len)) == NULL)
			return 1;
		free(ns->prefix);
		ns->prefix = xstrdup(prefix);
		d = imap_arg_str(p->next);
		ns->delim = d && *d ? *d : 0;
	}
	return 1;
}

int
imap_namespace(struct imap *imap, char **prefix_r, char *delim_r,
    struct error *err)
{
	struct ns_ctx ns = { NULL, '/' };
	struct imap_cmd cmd;
	int rc;

	*prefix_r = NULL;
	*delim_r = '/';
	if (!(imap->caps & IMAP_CAP_NAMESPACE)) {
		*prefix_r = xstrdup("");
		return 0;
	}
	imap_cmd_begin(imap, &cmd, "NAMESPACE", namespace_untagged, &ns);
	imap_add(imap, "NAMESPACE");
	rc = imap_cmd_send(imap, &cmd, err) < 0 ? -1 :
	    imap_cmd_wait(imap, &cmd, err);
	if (rc == 0) {
		*prefix_r = ns.prefix ? ns.prefix : xstrdup("");
		*delim_r = ns.delim;
	} else {
		free(ns.prefix);
	}
	imap_cmd_free(&cmd);
	return rc;
}
