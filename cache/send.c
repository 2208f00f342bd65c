/*
 * send: an account's outbox through its submission server, on the
 * account's worker thread (doc/HACKING.md, "Data flow of a send").
 *
 * One pass: take the outbox lock (or leave it to the process that holds
 * it), then for each queued message that is due, oldest first: mark it
 * sending, open the SMTP session if none is open yet (open, then login),
 * submit it, marking it dot just before the final dot (from there on a
 * crash leaves it `unknown`, never resent), and record the outcome:
 *   - accepted by every recipient: the account's store keeps the Sent
 *     copy (struct cache_local, keep_sent: a queued APPEND of a file kept
 *     under DATA/sent-copies/, or a Maildir folder next to INBOX) and the
 *     message leaves the outbox, in one transaction;
 *   - accepted by some: the same, and a failed record stays for the
 *     refused recipients alone, with the server's sentence;
 *   - temporary (4xx, or the session lost before the final dot): queued
 *     again with back-off;
 *   - 8-bit and the server lacks 8BITMIME: sent again made 7-bit
 *     (mime_submission_7bit); the Sent copy stays the original;
 *   - permanent (5xx) or refused here: failed, with the sentence;
 *   - unknown (lost after the final dot): unknown, never resent.
 * A connection that cannot be made puts the message back, queued with
 * back-off, and ends the pass: the rest waits for the next one.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache_int.h"
#include "cache/login.h"
#include "cache/outbox.h"
#include "cache/send.h"
#include "cache/worker_int.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "mime/submit.h"
#include "net/smtp.h"

struct pass {
	int64_t current;   /* the outbox id being sent */
	struct cache_sync_ctx *ctx;
	const struct config_account *cfg;
	struct db *db;
	char *dir;         /* DATA/outbox */
	struct smtp *smtp;
	struct send_stats *st;
};

/* Just before the final dot: from here on a crash leaves the message
 * `unknown`, never sent again (outbox.h). */
static int
mark_dot(void *arg)
{
	struct pass *p = arg;
	struct error err;

	error_clear(&err);
	if (outbox_set(p->db, p->current, OUTBOX_DOT, NULL, 0, &err) < 0) {
		log_warn("%s: %s", p->cfg->name, err.msg);
		return -1;
	}
	return 0;
}

static void
opts_of(const struct config_account *a, struct smtp_opts *o_r)
{
	struct smtp_opts o;

	memset(&o, 0, sizeof(o));
	cache_conn_opts(a, CACHE_SERVER_SMTP, &o.conn);
	o.security = a->smtp_tls == CONFIG_TLS_IMPLICIT ? SMTP_SEC_IMPLICIT :
	    a->smtp_tls == CONFIG_TLS_STARTTLS ? SMTP_SEC_STARTTLS :
	    SMTP_SEC_NONE;
	o.allow_plaintext = a->allow_plaintext;
	*o_r = o;
}

static int
login_step(void *engine, const char *user, const char *password,
    struct error *err)
{
	return smtp_login(engine, user, password, err);
}

int
cache_send_probe(const struct config_account *a, struct error *err)
{
	struct smtp_opts o;
	struct smtp *s = NULL;

	opts_of(a, &o);
	if (smtp_open(&o, &s, err) < 0)
		return -1;
	if (cache_login(a, CACHE_SERVER_SMTP, login_step, s, err) < 0) {
		smtp_close(&s);
		return -1;
	}
	return smtp_quit(&s, err);
}

static int
smtp_connect(struct pass *p, struct error *err)
{
	const struct config_account *a = p->cfg;
	struct smtp_opts o;

	opts_of(a, &o);
	if (smtp_open(&o, &p->smtp, err) < 0)
		return -1;
	smtp_set_before_dot(p->smtp, mark_dot, p);
	cache_sync_set_cancel_fd(p->ctx, smtp_fd(p->smtp));
	if (cache_login(a, CACHE_SERVER_SMTP, login_step, p->smtp, err) < 0) {
		cache_sync_set_cancel_fd(p->ctx, -1);
		smtp_close(&p->smtp);
		return -1;
	}
	return 0;
}

int
send_local_copy(const char *inbox, const char *folder, const char *raw,
    size_t len, unsigned flags, struct error *err)
{
	struct buf path = BUF_INIT;
	struct maildir *md = NULL;
	struct maildir_delivery *d = NULL;
	size_t end;
	int rc = -1;

	/* INBOX's folder, less a trailing '/', is the parent's child. */
	end = strlen(inbox);
	while (end > 1 && inbox[end - 1] == '/')
		end--;
	while (end > 0 && inbox[end - 1] != '/')
		end--;
	if (end == 0)
		return error_set(err, "no Maildir beside %s", inbox);
	buf_add(&path, inbox, end);
	buf_addstr(&path, folder);
	if (maildir_open(buf_cstr(&path), 1, &md, err) < 0 ||
	    maildir_deliver_begin(md, &d, err) < 0 ||
	    maildir_deliver_write(d, raw, len, err) < 0 ||
	    maildir_deliver_finish(d, err) < 0 ||
	    maildir_deliver_commit(&d, flags, err) < 0)
		goto out;
	rc = 0;
out:
	maildir_deliver_abort(&d);
	maildir_close(&md);
	buf_free(&path);
	return rc;
}

/*
 * Sent: the account's store keeps the copy (struct cache_local,
 * keep_sent) and the message leaves the outbox, in one transaction.
 */
static int
record_sent(struct pass *p, const struct outbox_msg *m,
    const struct buf *raw, struct error *err)
{
	const struct cache_local *l = p->ctx->w->drv->local;
	struct buf path = BUF_INIT;
	int rc = -1;

	buf_printf(&path, "%s/%s", p->dir, m->file);
	if (db_begin(p->db, err) < 0)
		goto out;
	if ((l->keep_sent == NULL || l->keep_sent(p->ctx,
	    buf_cstr(&path), raw->data, raw->len, err) == 0) &&
	    outbox_remove(p->db, p->dir, m->id, err) == 0 &&
	    db_commit(p->db, err) == 0)
		rc = 0;
	else
		db_rollback(p->db);
out:
	buf_free(&path);
	return rc;
}

static void
split_rcpts(char *s, const char ***v_r, size_t *n_r)
{
	char *p;

	*v_r = NULL;
	*n_r = 0;
	for (p = strtok(s, ","); p; p = strtok(NULL, ",")) {
		*v_r = xreallocarray(*v_r, *n_r + 1, sizeof(**v_r));
		(*v_r)[(*n_r)++] = p;
	}
}

/* "refused b@example.org (550 5.1.1 no such user), ..." */
static void
refused_sentence(const struct smtp_result *res, struct buf *why,
    struct buf *rcpts)
{
	size_t i;

	buf_addstr(why, "not delivered to ");
	for (i = 0; i < res->nrcpts; i++) {
		const struct smtp_rcpt *r = &res->rcpts[i];

		if (r->accepted)
			continue;
		buf_printf(why, "%s%s (%d %s)", rcpts->len ? ", " : "",
		    r->addr, r->code, r->text);
		buf_printf(rcpts, "%s%s", rcpts->len ? "," : "", r->addr);
	}
}

/*
 * The server lacks 8BITMIME and the message is 8-bit: it goes again made
 * 7-bit (mime_submission_7bit), on the same session (nothing of it was
 * sent).  Only the wire copy changes: the outbox file, and so the Sent
 * copy, stay the original.  A message with no 7-bit form fails with the
 * reason.
 */
static void
send_7bit(struct pass *p, const struct outbox_msg *m, const char **rcpts,
    size_t nrcpts, const struct buf *raw, struct smtp_result *res,
    struct error *serr)
{
	struct buf seven = BUF_INIT;
	struct error cerr;

	error_clear(&cerr);
	if (mime_submission_7bit(raw->data, raw->len, &seven, &cerr) < 0) {
		error_set(serr, "%s does not take 8-bit mail (no 8BITMIME) and "
		    "%s; nothing was sent", p->cfg->smtp_host ?
		    p->cfg->smtp_host : p->cfg->host, cerr.msg);
		buf_free(&seven);
		return;
	}
	log_info("%s: %s: no 8BITMIME; sending it 7-bit", p->cfg->name,
	    m->message_id);
	smtp_result_free(res);
	error_clear(serr);
	(void)smtp_send(p->smtp, m->mail_from ? m->mail_from : "", rcpts,
	    nrcpts, seven.data, seven.len, res, serr);
	buf_free(&seven);
}

/* One message: 1 go on, 0 end the pass (the session is gone), -1 a
 * database error. */
static int
send_one(struct pass *p, struct outbox_msg *m, struct error *err)
{
	struct smtp_result res;
	struct buf raw = BUF_INIT, why = BUF_INIT, left = BUF_INIT;
	struct error serr;
	const char **rcpts = NULL;
	char *copy = xstrdup(m->rcpts);
	size_t nrcpts;
	int64_t now = time(NULL);
	int rc = 1;

	memset(&res, 0, sizeof(res));
	error_clear(&serr);
	if ((rc = outbox_claim(p->db, m->id, err)) <= 0) {
		rc = rc < 0 ? -1 : 1; /* dropped by the user meanwhile */
		goto out;
	}
	if (outbox_read(p->dir, m, &raw, &serr) < 0) {
		if (outbox_set(p->db, m->id, OUTBOX_FAILED, serr.msg, 0,
		    err) < 0)
			rc = -1;
		p->st->failed++;
		goto out;
	}
	if (p->smtp == NULL && smtp_connect(p, &serr) < 0) {
		if (outbox_retry_later(p->db, m->id, serr.msg, now, err) < 0)
			rc = -1;
		else
			rc = 0;
		error_set(&p->st->error, "%s", serr.msg);
		p->st->deferred++;
		goto out;
	}
	split_rcpts(copy, &rcpts, &nrcpts);
	/* mark_dot() moves it to `dot` just before the final dot. */
	p->current = m->id;
	if (smtp_send(p->smtp, m->mail_from ? m->mail_from : "", rcpts,
	    nrcpts, raw.data, raw.len, &res, &serr) < 0 &&
	    res.status == SMTP_LOCAL && res.local == SMTP_ERR_8BIT)
		send_7bit(p, m, rcpts, nrcpts, &raw, &res, &serr);
	switch (res.status) {
	case SMTP_ACCEPTED:
		if (res.refused > 0)
			refused_sentence(&res, &why, &left);
		if (record_sent(p, m, &raw, err) < 0) {
			/* It went out: never `queued` again. */
			(void)outbox_set(p->db, m->id, OUTBOX_UNKNOWN,
			    "sent, but its record could not be updated", 0,
			    NULL);
			rc = -1;
			goto out;
		}
		p->st->sent++;
		if (res.refused > 0) {
			/* What was refused is the user's to retry or drop:
			 * a record for those recipients alone. */
			struct mime_submission s;

			memset(&s, 0, sizeof(s));
			p->st->failed++;
			error_set(&p->st->error, "%s", buf_cstr(&why));
			if (mime_submission_prepare(raw.data, raw.len, NULL, &s,
			    &serr) == 0) {
				int64_t id;

				if (outbox_add(p->db, p->dir, p->cfg->name, &s,
				    &id, err) == 0) {
					(void)outbox_set_rcpts(p->db, id,
					    buf_cstr(&left), NULL);
					(void)outbox_set(p->db, id,
					    OUTBOX_FAILED, buf_cstr(&why), 0,
					    NULL);
				}
				mime_submission_free(&s);
			}
		}
		break;
	case SMTP_TEMPORARY:
		if (outbox_retry_later(p->db, m->id, serr.msg, now, err) < 0)
			rc = -1;
		p->st->deferred++;
		error_set(&p->st->error, "%s", serr.msg);
		break;
	case SMTP_PERMANENT:
	case SMTP_LOCAL:
		if (outbox_set(p->db, m->id, OUTBOX_FAILED, serr.msg, 0,
		    err) < 0)
			rc = -1;
		p->st->failed++;
		error_set(&p->st->error, "%s", serr.msg);
		break;
	case SMTP_UNKNOWN:
		buf_printf(&why, "the connection ended after the message was "
		    "handed over and before the server confirmed it (%s): it "
		    "may or may not have been sent", serr.msg);
		if (outbox_set(p->db, m->id, OUTBOX_UNKNOWN, buf_cstr(&why), 0,
		    err) < 0)
			rc = -1;
		p->st->failed++;
		error_set(&p->st->error, "%s", buf_cstr(&why));
		break;
	}
	if (rc == 1 && !smtp_alive(p->smtp))
		rc = 0;
out:
	smtp_result_free(&res);
	free(rcpts);
	free(copy);
	buf_free(&raw);
	buf_free(&why);
	buf_free(&left);
	return rc;
}

int
cache_send_pass(struct cache_sync_ctx *ctx, struct send_stats *st,
    struct error *err)
{
	const struct account *acct = cache_sync_account(ctx);
	struct pass p;
	struct outbox_msg m;
	struct buf dir = BUF_INIT;
	struct error qerr;
	int lock = -1, rc, got;

	memset(st, 0, sizeof(*st));
	if (acct->cfg->from == NULL)
		return 0; /* this account does not send */
	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	p.cfg = acct->cfg;
	p.db = cache_sync_db(ctx);
	p.st = st;
	buf_printf(&dir, "%s/outbox", ctx->w->c->data_dir);
	p.dir = buf_detach(&dir, NULL);
	if ((rc = outbox_lock(p.dir, acct->name, &lock, err)) <= 0) {
		free(p.dir);
		return rc; /* another process sends for this account */
	}
	rc = 0;
	while (!cache_sync_cancelled(ctx)) {
		if ((got = outbox_next_due(p.db, acct->name, time(NULL), &m,
		    err)) <= 0) {
			rc = got;
			break;
		}
		got = send_one(&p, &m, err);
		outbox_msg_clear(&m);
		cache_sync_outbox_changed(ctx);
		if (got <= 0) {
			rc = got;
			break;
		}
	}
	if (p.smtp) {
		error_clear(&qerr);
		cache_sync_set_cancel_fd(ctx, -1);
		(void)smtp_quit(&p.smtp, &qerr);
	}
	outbox_unlock(&lock);
	free(p.dir);
	return rc;
}
