/*
 * index: a folder's message list for the UI, loaded from the db and held
 * compactly (answer from disk, never the network: doc/HACKING.md, Data
 * flow of a sync).
 *
 * Memory: one 40-byte record per message (and 4 bytes more, its folder,
 * when the index spans several folders), one arena holding the cleaned
 * From display and Subject strings, and 4 bytes a message per sort order
 * computed; threading reads Message-ID, In-Reply-To and References (with
 * the rows when opening threaded) and frees them once threaded.
 *
 * Contract:
 *   - index_open() returns a snapshot: later changes are seen only by
 *     reopening it (on CACHE_EV_FOLDER_CHANGED) or index_set_flags().
 *   - Records are returned in display order; index_get(ix, i) for
 *     0 <= i < index_count(ix), NULL outside.  Pointers stay valid until
 *     index_limit() or index_free() (a re-sort does not move records, but
 *     changes their depth).
 *   - Strings are cleaned for display (str_clean_display): no control
 *     characters, escapes or bidi overrides; never NULL.
 *   - Ties are broken by date (for from, subject, size), then by
 *     arrival order, so the order is stable across opens.  Threading
 *     takes the messages in id order (thread.h breaks its ties by input
 *     order), whatever the query plan or the messages' flags.
 *   - Each sort order is computed once per open and kept: index_sort()
 *     gives exactly the order a fresh index_open() with that sort gives,
 *     and returning to an order computed before only copies it.
 *   - Not thread-safe; the struct belongs to the thread that opened it
 *     (index_precompute's helper is internal and joined before anything
 *     it reads changes).
 */
#ifndef POSTIE_CACHE_INDEX_H
#define POSTIE_CACHE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct db;
struct index;

enum index_sort {
	INDEX_SORT_DATE,     /* Date: header (arrival when missing) */
	INDEX_SORT_ARRIVAL,  /* internal date, then id */
	INDEX_SORT_FROM,     /* sender display form, case-folded ASCII */
	INDEX_SORT_SUBJECT,  /* base subject (prefixes stripped) */
	INDEX_SORT_SIZE,
	INDEX_SORT_THREAD,   /* thread.h order, with depth */
};

struct index_rec {
	int64_t id;          /* db message id */
	int64_t date;        /* Date: header, or internal date if missing */
	uint32_t uid;        /* IMAP UID, or 0 (POP3: use the position) */
	uint32_t size;       /* bytes, capped at UINT32_MAX */
	uint32_t from;       /* offset of the From string in the arena */
	uint32_t subject;    /* offset of the Subject string in the arena */
	uint8_t flags;       /* MSG_* */
	uint8_t has_attachment;
	uint16_t depth;      /* thread depth (INDEX_SORT_THREAD), else 0 */
	uint32_t arrival;    /* rank by arrival (0 = oldest) */
};

int index_open(struct db *db, int64_t folder_id, enum index_sort sort,
    int reverse, struct index **ix_r, struct error *err);
/* The same over several folders at once (a saved search's virtual
 * folder, cache_saved_search_open): one list, sorted and threaded
 * across them; index_folder() tells each record's folder. */
int index_open_folders(struct db *db, const int64_t *folders,
    size_t nfolders, enum index_sort sort, int reverse, struct index **ix_r,
    struct error *err);
void index_free(struct index **ix);
/* The folder record r (from index_get) belongs to. */
int64_t index_folder(const struct index *ix, const struct index_rec *r);
/* Changes the display order (threading reads references from db again
 * only after index_limit()). */
int index_sort(struct index *ix, struct db *db, enum index_sort sort,
    int reverse, struct error *err);
/*
 * Starts computing, on a helper thread, every sort order not computed
 * yet (threading included), so that a later index_sort() only copies a
 * permutation.  For the UI, which changes sort interactively.  The helper
 * starts after a short wait (an index reloaded meanwhile, as during a
 * sync, costs no work); index_sort and index_limit end that wait and
 * wait for the helper; index_free never waits (the helper stops and frees
 * the index itself).  The
 * helper reads the threading strings through a connection of its own,
 * which may see a later snapshot than the index (rows added since are
 * ignored; a message deleted since threads without its references) until
 * the reload that change brings.
 */
void index_precompute(struct index *ix);
size_t index_count(const struct index *ix);
const struct index_rec *index_get(const struct index *ix, size_t i);
const char *index_from(const struct index *ix, const struct index_rec *r);
const char *index_subject(const struct index *ix, const struct index_rec *r);
/* Position of message id in display order, or (size_t)-1.  O(log n)
 * (builds an id table of 16 bytes a message once per open, and a
 * position table of 4 bytes a message after each sort). */
size_t index_find(struct index *ix, int64_t id);
/*
 * Keeps only the records whose id is in ids[0..n) (e.g. the result of
 * cache_search), in the current display order; thread depths are kept
 * as they were.  Returns how many remain.  Reopen to see all again.
 */
size_t index_limit(struct index *ix, const int64_t *ids, size_t n);
/* Updates the flags of a record in the snapshot (after cache_set_flags). */
void index_set_flags(struct index *ix, int64_t id, unsigned flags);
/* Bytes held by the index once every order is computed (records, arena,
 * orders, lookup tables), for benchmarks. */
size_t index_memory(const struct index *ix);
/* Parses a sort name: date, arrival, from, subject, size, thread. */
int index_sort_parse(const char *name, enum index_sort *sort_r);

#endif
