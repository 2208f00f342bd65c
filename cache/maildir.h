/*
 * maildir: a standard Maildir (cur/ new/ tmp/) that other mail programs
 * can read, written crash-safely (doc/HACKING.md, On-disk layout).
 *
 * Names: a delivered message's key is its unique name
 * "SECONDS.M<usec>P<pid>Q<counter>.<host>" (host with '/' and ':' escaped
 * as \057 and \072).  In new/ the file is named KEY; in cur/ it is
 * "KEY:2,<flags>" with flags in ASCII order from D F R S T (Draft,
 * Flagged, Replied, Seen, Trashed = MSG_DELETED).  A key never contains
 * '/' or ':'.  Keys passed in are validated (maildir_key_valid) so a
 * hostile key can never name a path outside the Maildir.
 *
 * Delivery (contract for the POP3 sync):
 *   maildir_deliver_begin()  creates tmp/KEY (0600, O_EXCL);
 *   maildir_deliver_write()  appends bytes (any chunk size);
 *   maildir_deliver_finish() optional: the body is complete; on Linux the
 *                            file is closed at once (syncfs() needs no
 *                            descriptor), elsewhere it stays open for
 *                            its fsync at commit;
 *   maildir_deliver_commit() fsyncs and closes the file, renames it
 *                            (renameat2 RENAME_NOREPLACE, else link +
 *                            unlink: never overwriting) to new/KEY,
 *                            fsyncs new/; *d is freed and NULLed.  After
 *                            it returns 0, the message survives a crash.
 *   maildir_deliver_abort()  removes the tmp file; *d NULLed.  Safe on NULL.
 * A crash before commit leaves at most a file in tmp/, which
 * maildir_open() removes when older than 36 hours (per the Maildir
 * convention) and which nothing ever reads.  The key is known at begin
 * (maildir_delivery_key), so a caller can record it before commit.
 *
 * A struct maildir is not changed after maildir_open: deliveries may
 * begin on one thread while another commits or reads.  A delivery is
 * used by one thread at a time.  Two structs on the same folder are fine
 * (names are unique per process, pid and counter).
 */
#ifndef POSTIE_CACHE_MAILDIR_H
#define POSTIE_CACHE_MAILDIR_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

struct maildir;
struct maildir_delivery;

/* One message found by maildir_scan. */
struct maildir_entry {
	const char *key;       /* valid during the callback only */
	int in_new;            /* 1: in new/ (never seen by a reader) */
	unsigned flags;        /* MSG_* from the info part */
	int64_t mtime;         /* the file's mtime (delivery time) */
	int64_t size;
};

/* Opens path, creating path, cur/, new/ and tmp/ (0700) if create. */
int maildir_open(const char *path, int create, struct maildir **md_r,
    struct error *err);
void maildir_close(struct maildir **md);
const char *maildir_path(const struct maildir *md);

int maildir_deliver_begin(struct maildir *md, struct maildir_delivery **d_r,
    struct error *err);
const char *maildir_delivery_key(const struct maildir_delivery *d);
int maildir_deliver_write(struct maildir_delivery *d, const void *p,
    size_t n, struct error *err);
/* No more writes (see above); -1 if the close reported an error. */
int maildir_deliver_finish(struct maildir_delivery *d, struct error *err);
/* flags: MSG_* to set at once (then the file goes to cur/ with info). */
int maildir_deliver_commit(struct maildir_delivery **d, unsigned flags,
    struct error *err);
void maildir_deliver_abort(struct maildir_delivery **d);
/*
 * Commits n deliveries (NULL entries are skipped) into new/ as one: every
 * file's data is made durable with a single flush (syncfs on Linux, else
 * an fsync per file), then each is moved into new/ (never overwriting),
 * then new/ is fsynced once.  Every d[i] is consumed and NULLed.  Returns
 * 0 when all of them survive a crash; -1 with err otherwise, and then
 * *committed_r (may be NULL) of them reached new/ (not surely durable:
 * the caller treats them as maybe there, as after a crash).
 */
int maildir_deliver_commit_many(struct maildir_delivery **d, size_t n,
    size_t *committed_r, struct error *err);

/* Every message in new/ and cur/, in no particular order.  fn returns 0
 * to go on or -1 to stop (maildir_scan then returns -1). */
int maildir_scan(struct maildir *md,
    int (*fn)(void *arg, const struct maildir_entry *e, struct error *err),
    void *arg, struct error *err);
/* Full path of the message's current file, allocated; 1 found, 0 gone. */
int maildir_find(struct maildir *md, const char *key, char **path_r,
    struct error *err);
/* Reads the whole message into out (appended).  1 read, 0 gone, -1. */
int maildir_read(struct maildir *md, const char *key, struct buf *out,
    struct error *err);
/* Renames into cur/KEY:2,FLAGS.  1 done, 0 gone, -1 error. */
int maildir_set_flags(struct maildir *md, const char *key, unsigned flags,
    struct error *err);
/* Unlinks the message.  1 removed, 0 already gone, -1 error. */
int maildir_remove(struct maildir *md, const char *key, struct error *err);

/* 1 if key is a name this module would accept. */
int maildir_key_valid(const char *key);
/* Flags from a file name's ":2," info (0 when none). */
unsigned maildir_info_flags(const char *name);

#endif
