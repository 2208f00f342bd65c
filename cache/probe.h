/*
 * probe: tests an account's settings before any cache exists, for the
 * first-run setup form (ui/scr_setup.c): the UI never talks to net/, so
 * it asks this.  The login goes through the account protocol's driver
 * (struct cache_driver's probe) and, for sending, cache_send_probe(),
 * with every rule the sync workers follow (TLS, STARTTLS, plaintext only
 * with allow_plaintext, password_command run through core/spawn).
 * Nothing is written, on the server or on disk; POP3 sends no DELE.
 *
 * Contract:
 *   - cache_probe_login() blocks (bounded by the account's timeout for
 *     each step) and returns 0, or -1 with one sentence that says which
 *     side failed ("reading mail (IMAP at HOST port N): REASON" or
 *     "sending mail (SMTP at HOST port N): REASON").  The password never
 *     appears in it.
 *   - cache_probe_start() runs the same on its own thread and takes
 *     ownership of *cfg (NULLed).  cache_probe_fd() becomes readable when
 *     the answer is there; cache_probe_finish() then joins and returns it
 *     (called earlier, it waits).  cache_probe_abandon() leaves a probe
 *     nobody waits for any more: it returns at once, the thread frees
 *     everything when its last step returns.  Both free *p and NULL it.
 */
#ifndef POSTIE_CACHE_PROBE_H
#define POSTIE_CACHE_PROBE_H

#include <stddef.h>

#include "core/config.h"
#include "core/error.h"

#define CACHE_PROBE_SEND 0x1u /* also log in to the submission server
				 (when the account has a 'from') */

struct cache_probe;

int cache_probe_login(const struct config_account *a, unsigned flags,
    struct error *err);

int cache_probe_start(struct config **cfg, size_t account, unsigned flags,
    struct cache_probe **p_r, struct error *err);
int cache_probe_fd(const struct cache_probe *p);
int cache_probe_finish(struct cache_probe **p, struct error *err);
void cache_probe_abandon(struct cache_probe **p);

#endif
