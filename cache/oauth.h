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

#include "core/config.h"
#include "core/error.h"

/*
 * The access token to try.  fresh: the server refused the last one as
 * invalid or expired; do not hand it out again.  Returns a string the
 * caller wipes and frees, or NULL with an error naming the account.
 */
char *cache_oauth_token(const struct config_account *a, int fresh,
    struct error *err);

#endif
