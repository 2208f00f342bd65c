/*
 * paths: where postie keeps things (XDG base directories; doc/HACKING.md,
 * On-disk layout).
 *
 * Each function returns a newly allocated absolute path (free() it) that
 * honours $XDG_CONFIG_HOME, $XDG_DATA_HOME, $XDG_CACHE_HOME and
 * $XDG_STATE_HOME when they are set to absolute paths, else $HOME with the
 * XDG defaults.  They return NULL with an error when neither is usable.
 * They do not create anything: paths_mkdir() does.
 */
#ifndef POSTIE_CORE_PATHS_H
#define POSTIE_CORE_PATHS_H

#include <stddef.h>

#include "core/error.h"

char *paths_config_file(struct error *err); /* .../postie/config */
char *paths_config_dir(struct error *err);  /* $XDG_CONFIG_HOME/postie */
char *paths_data_dir(struct error *err);    /* $XDG_DATA_HOME/postie */
char *paths_cache_dir(struct error *err);   /* $XDG_CACHE_HOME/postie */
char *paths_state_dir(struct error *err);   /* $XDG_STATE_HOME/postie */
/* mkdir -p with mode 0700 for each created component.  0 or -1. */
int paths_mkdir(const char *path, struct error *err);
/*
 * Turns an untrusted name (server folder name, UIDL, account name) into a
 * single safe path component: bytes [A-Za-z0-9._-] are kept except that a
 * leading '.' is escaped, every other byte becomes %XX; never empty, never
 * "." or "..", never containing '/'.  Appends to out.  Distinct names give
 * distinct results ("" becomes "%00", '%' itself is escaped), except that a
 * result longer than PATHS_COMPONENT_MAX bytes is cut and ends in "~" and a
 * 64-bit FNV-1a hash of the whole name (not collision-proof against a
 * deliberate attacker, who can only confuse names of its own account).
 */
#define PATHS_COMPONENT_MAX 200
struct buf;
void paths_encode_component(struct buf *out, const char *name);
/* Writes data to path atomically: tmp file ".NAME.tmp-PID-N" in the same
 * folder (O_EXCL, mode 0600), write, fsync, rename, fsync of the folder.
 * On failure the tmp file is removed and path is untouched. */
int paths_write_atomic(const char *path, const void *data, size_t len,
    struct error *err);

#endif
