/*
 * recover: opening the index database with damage detection.
 *
 * db_recover_open() is db_open() for the cache's main connection.  Before
 * opening, it checks an existing non-empty postie.db with SQLite's
 * `PRAGMA quick_check`.  When the file is not an SQLite database, is
 * truncated or fails the check (SQLITE_NOTADB, SQLITE_CORRUPT or a check
 * result other than "ok"), the file and its -wal and -journal companions
 * are renamed (never deleted) to PATH.corrupt-YYYYMMDDTHHMMSSZ[-N] (+ the
 * same suffixes), its -shm is removed (only a cache of the WAL index), and
 * a fresh database is created.  What is on disk rebuilds the rest:
 * cache_open() re-scans each POP3 Maildir into the index, IMAP folders
 * are re-synced by the next sync.  POP3 UIDL records live only in the
 * database: those still readable in the damaged file are copied into the
 * fresh one (best effort; the count is in the sentence).  For the rest,
 * a keep-mode account downloads what is still on the server once more; a
 * delete-mode account loses nothing (the server no longer has what was
 * downloaded).  Pending offline changes (the op queue) are not carried
 * over: they refer to rows of the old file.
 *
 * Other failures (permissions, locks, I/O errors, a newer schema) are not
 * damage: they are returned as errors and the file is left alone.
 *
 * Returns 1 when the database was rebuilt (the sentence saying so is in
 * notice, also logged as a warning and kept for db_recover_notice()),
 * 0 when it opened as it was, -1 with err.
 */
#ifndef POSTIE_CACHE_RECOVER_H
#define POSTIE_CACHE_RECOVER_H

#include <stddef.h>

#include "cache/db.h"
#include "core/error.h"

int db_recover_open(const char *path, struct db **db_r, char *notice,
    size_t notice_size, struct error *err);

/* The sentence of the last rebuild in this process, or NULL: for the UI
 * to show after cache_open() (thread: the one that called cache_open). */
const char *db_recover_notice(void);

#endif
