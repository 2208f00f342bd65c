/*
 * bodies: the IMAP body cache under $XDG_CACHE_HOME/postie/
 * (doc/HACKING.md, On-disk layout).
 *
 * Layout: ROOT/<enc account>/<enc folder>/<uidvalidity>/<uid>, where enc
 * is paths_encode_component (never a server string as a path).  Files
 * 0600, folders 0700, written by paths_write_atomic (tmp, fsync, rename,
 * folder fsync), so a reader sees a whole body or none.  Deleting the
 * tree only costs downloads.  The root must pass paths_mkdir (checked at
 * the first store); below it no symbolic link is followed, by any call:
 * a link planted there is an error that names it (or, at the name of a
 * body being stored or removed, is replaced or removed itself).
 * Thread-safe (no state but the root and whether it was checked).
 */
#ifndef POSTIE_CACHE_BODIES_H
#define POSTIE_CACHE_BODIES_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

struct bodies;

/* root: the cache folder (created 0700 on first store). */
struct bodies *bodies_new(const char *root);
void bodies_free(struct bodies **b);
int bodies_store(struct bodies *b, const char *account, const char *folder,
    uint32_t uidvalidity, uint32_t uid, const void *data, size_t len,
    struct error *err);
/* Appends the body to out: 1 found, 0 not cached, -1 error. */
int bodies_load(struct bodies *b, const char *account, const char *folder,
    uint32_t uidvalidity, uint32_t uid, struct buf *out, struct error *err);
int bodies_remove(struct bodies *b, const char *account, const char *folder,
    uint32_t uidvalidity, uint32_t uid, struct error *err);
/* Drops every cached body of the folder (all UIDVALIDITYs but keep, or
 * all when keep == 0): called when UIDVALIDITY changes. */
int bodies_drop_folder(struct bodies *b, const char *account,
    const char *folder, uint32_t keep, struct error *err);

#endif
