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
/*
 * Makes the folder path (mkdir -p; each created component gets mode 0700)
 * and checks that it is safe to keep mail in, as ssh checks its files:
 *   - the folder is owned by this user and writable by no one else;
 *   - every folder above it, after symbolic links are resolved, is owned
 *     by this user or root and not writable by group or others, unless
 *     sticky (like /tmp), so no one else can swap the folder for theirs.
 * Symbolic links in path are followed (a data folder moved to another
 * disk is fine); folders inside it are made with paths_mkdir_below().
 * 0, or -1 with one sentence naming the folder and what to do.
 */
int paths_mkdir(const char *path, struct error *err);
/*
 * Makes path, which is root or a folder inside it ("ROOT/a/b"), root
 * having passed paths_mkdir(): each component below root is created 0700
 * when missing, and must be a real folder (no symbolic link is followed
 * inside postie's own folders), owned by this user and writable by no one
 * else.  0 or -1 with a sentence.
 */
int paths_mkdir_below(const char *root, const char *path, struct error *err);
/*
 * open() for a file in postie's own folders: adds O_NOFOLLOW, O_CLOEXEC
 * and O_NOCTTY, and refuses, with a sentence saying what to remove, a
 * symbolic link or anything but a regular file.  When flags can write
 * (O_WRONLY, O_RDWR), also a file owned by another user or with other
 * names (hard links): writing or chmod-ing it would change someone
 * else's file (O_TRUNC is applied only after these checks).  The
 * descriptor, or -1 with errno set (ENOENT for a file
 * that is not there and not created) and err filled.
 */
int paths_open(const char *path, int flags, unsigned mode, struct error *err);
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
 * folder (O_EXCL and O_NOFOLLOW, mode 0600), write, fsync, rename (which
 * replaces a symbolic link at path, never what it points to), fsync of
 * the folder.
 * On failure the tmp file is removed and path is untouched. */
int paths_write_atomic(const char *path, const void *data, size_t len,
    struct error *err);

#endif
