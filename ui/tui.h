/*
 * tui: the full-screen mail reader (doc/HACKING.md, Threads and who owns
 * what; doc/postie.1).
 *
 * tui_run() loads the configuration named by opts, opens the cache,
 * starts every account's sync worker and runs the screen loop on the
 * calling (main) thread until the user quits.  It opens on the account
 * list, or with opts->account on that account's folders, and with
 * opts->folder on that folder's index; opts->commands (-e) run once the
 * start folder has loaded (after its first sync when a worker runs).
 * Returns the process exit status: 0, or 1 after printing why on stderr
 * (also when a -e command failed, e.g. an unknown command or folder).
 */
#ifndef POSTIE_UI_TUI_H
#define POSTIE_UI_TUI_H

#include "ui/cli.h"

int tui_run(const struct cli_opts *opts);

#endif
