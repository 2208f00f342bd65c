/*
 * oauth: the access token of an account that signs in with OAuth2
 * (auth = oauth2; doc/postie.conf.5, "OAuth2").
 *
 * Contract: called from a sync worker or the send path, never from the
 * UI thread (it may run a command or wait on the network).  A token
 * lives in memory only, in a string the caller wipes and frees.  With
 * oauth2_token_command, each call runs the command (a fresh one is
 * what the command prints next).  No error sentence holds a token, a
 * code or a secret.
 */
#ifndef POSTIE_CACHE_OAUTH_H
#define POSTIE_CACHE_OAUTH_H

#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "net/http.h"

/*
 * The access token to try.  fresh: the server refused the last one as
 * invalid or expired; do not hand it out again.  Returns a string the
 * caller wipes and frees, or NULL with an error naming the account.
 */
char *cache_oauth_token(const struct config_account *a, int fresh,
    struct error *err);

/*
 * Without oauth2_token_command, the token comes from the token endpoint
 * (RFC 6749 6) with the refresh token kept by oauth2_refresh_command /
 * oauth2_refresh_store_command, or in DATA/oauth2/NAME (mode 0600); it
 * is held in memory until a minute before it expires.  A refused refresh
 * token (invalid_grant) gives "NAME: the sign-in has expired; run postie
 * authorize NAME".  The pieces below are shared with cache/authorize.
 */
int cache_oauth_store_refresh(const struct config_account *a,
    const char *token, struct error *err);
/* oauth2_client_secret, or what its command prints, or "". */
char *cache_oauth_client_secret(const struct config_account *a,
    struct error *err);
/* Appends "&client_id=..[&client_secret=..]" to a form. */
void cache_oauth_form_client(struct buf *form,
    const struct config_account *a, const char *secret);
/* POSTs form to url with the account's timeout and ca_file. */
int cache_oauth_post(const struct config_account *a, const char *url,
    const struct buf *form, struct http_response *r, struct error *err);
/* "NAME: WHAT: the sign-in service answered 400 error: description". */
void cache_oauth_error(const struct config_account *a, const char *what,
    const struct http_response *r, struct error *err);
/* A 200 token answer: stores a new refresh token, holds and returns the
 * access token (caller wipes and frees), or NULL with an error. */
char *cache_oauth_take(const struct config_account *a,
    struct http_response *r, struct error *err);

/*
 * postie authorize: gets the first tokens and stores the refresh token.
 * device: the device flow (RFC 8628): prints the code and the URL and
 * polls, respecting interval and slow_down.  Otherwise the authorization
 * code with PKCE S256 (RFC 7636) and a one-shot listener on 127.0.0.1
 * (RFC 8252): prints the URL and hands it, as one argument, to
 * open_command (when not NULL).  say() gets each line for the user.
 * Blocks (it is a command of its own, not the TUI's thread).
 */
struct cache_authorize_opts {
	int device;
	const char *open_command;
	unsigned wait_seconds;  /* for the browser or the device user */
	void (*say)(void *ctx, const char *line);
	void *ctx;
};
int cache_authorize(const struct config_account *a,
    const struct cache_authorize_opts *o, struct error *err);

/*
 * The same on a thread of its own, for the setup form (ui/scr_setup.c),
 * which must not block: takes ownership of *cfg (NULLed) and signs in
 * its account number account, without the device flow.  The fd becomes
 * readable when a line for the user or the end is there;
 * cache_authorize_poll() moves the new lines (each ending in '\n') to
 * out and returns 1 while it runs, then 0 (signed in) or -1 with err.
 * cache_authorize_abandon() returns at once; the thread frees
 * everything when the sign-in returns (it waits at most wait_seconds).
 */
struct cache_authorize_job;
int cache_authorize_start(struct config **cfg, size_t account,
    const char *open_command, unsigned wait_seconds,
    struct cache_authorize_job **j_r, struct error *err);
int cache_authorize_fd(const struct cache_authorize_job *j);
int cache_authorize_poll(struct cache_authorize_job *j, struct buf *out,
    struct error *err);
void cache_authorize_abandon(struct cache_authorize_job **j);

#endif
