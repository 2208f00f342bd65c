/*
 * send: an account's outbox through its submission server (send.c has
 * the rules).  For the worker thread of the account.
 */
#ifndef POSTIE_CACHE_SEND_H
#define POSTIE_CACHE_SEND_H

#include "cache/driver.h"
#include "core/error.h"

struct send_stats {
	unsigned sent;      /* accepted by the server */
	unsigned failed;    /* failed or unknown now: the user decides */
	unsigned deferred;  /* queued again for later */
	struct error error; /* the last problem's sentence */
};

/*
 * Sends what is due in the account's outbox.  Returns 0 (what happened is
 * in *st), or -1 with err on a database error.  An account without
 * `from`, or whose outbox another process is sending, is left alone.
 */
int cache_send_pass(struct cache_sync_ctx *ctx, struct send_stats *st,
    struct error *err);

/* Opens a session to the account's submission server, logs in and says
 * QUIT, sending nothing (cache/probe.h).  Any thread.  0, or -1 with err. */
int cache_send_probe(const struct config_account *a, struct error *err);

/* Delivers raw into the Maildir `folder` beside the Maildir inbox (a
 * POP3 account's Sent and Drafts), with MSG_* flags. */
int send_local_copy(const char *inbox, const char *folder, const char *raw,
    size_t len, unsigned flags, struct error *err);

/* The account's outbox changed (CACHE_EV_OUTBOX). */
void cache_sync_outbox_changed(struct cache_sync_ctx *ctx);

#endif
