/*
 * outbox: messages waiting to be sent, stored so that no crash loses one
 * (doc/HACKING.md, "Data flow of a send").
 *
 * A message is first written to its own file under DATA/outbox/ (written,
 * fsynced, renamed, the folder fsynced) and then recorded in the index;
 * only then may the first attempt start.  A file that a crash left without
 * its record is recorded again at the next outbox_recover().
 *
 * States, and who moves them:
 *   queued   waits; the account's worker sends it when next_try is due;
 *   sending  a worker is sending it and the final dot has not gone out;
 *   dot      the final dot is about to go or went out: the server may
 *            have the message;
 *   failed   the server refused it for good (5xx) or refused some of its
 *            recipients; error says what; kept for the user;
 *   unknown  the connection broke after the final dot and before the
 *            reply: the server may or may not have it.  postie never
 *            sends such a message again on its own.
 * A sent message leaves the outbox once its Sent copy is stored.
 * outbox_recover() (at every cache_open) turns `sending` back into
 * `queued` and `dot` into `unknown`: a crash never causes a second copy.
 *
 * Threads: any thread, each with its own db connection.
 */
#ifndef POSTIE_CACHE_OUTBOX_H
#define POSTIE_CACHE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "cache/db.h"
#include "core/buf.h"
#include "core/error.h"
#include "mime/submit.h"

enum outbox_state {
	OUTBOX_QUEUED,
	OUTBOX_SENDING,
	OUTBOX_DOT,
	OUTBOX_FAILED,
	OUTBOX_UNKNOWN,
};

struct outbox_msg {
	int64_t id;
	char *account;
	enum outbox_state state;
	int64_t created, next_try;
	unsigned attempts;
	char *file;       /* name under DATA/outbox/ */
	char *message_id; /* "<id>" */
	char *mail_from;  /* envelope sender */
	char *rcpts;      /* envelope recipients, comma-separated */
	char *subject;    /* cleaned */
	char *error;      /* the last error sentence, or NULL */
	int64_t size;
	int eightbit;
};

/* "queued", "sending", "failed", "unknown" ("dot" reads as "sending"). */
const char *outbox_state_name(enum outbox_state st);

/* Stores s->msg durably under dir (DATA/outbox) and records it queued
 * for account; *id_r its id. */
int outbox_add(struct db *db, const char *dir, const char *account,
    const struct mime_submission *s, int64_t *id_r, struct error *err);
/* Every message of account (NULL: all), oldest first. */
int outbox_list(struct db *db, const char *account, struct outbox_msg **v_r,
    size_t *n_r, struct error *err);
/* 1 and *m (outbox_msg_clear) when id exists, 0 when not. */
int outbox_get(struct db *db, int64_t id, struct outbox_msg *m,
    struct error *err);
void outbox_msg_clear(struct outbox_msg *m);
void outbox_msgs_free(struct outbox_msg **v, size_t n);
/* The oldest queued message of account due at now: 1 and *m, or 0. */
int outbox_next_due(struct db *db, const char *account, int64_t now,
    struct outbox_msg *m, struct error *err);
/* Moves id to st with error (NULL clears it); next_try for queued. */
int outbox_set(struct db *db, int64_t id, enum outbox_state st,
    const char *error, int64_t next_try, struct error *err);
/* After a temporary failure: queued again, attempts + 1, and next_try
 * backed off (1, 2, 4 ... 60 minutes). */
int outbox_retry_later(struct db *db, int64_t id, const char *error,
    int64_t now, struct error *err);
/* Narrows the envelope to rcpts (those the server refused), for a
 * partial failure the user may retry. */
int outbox_set_rcpts(struct db *db, int64_t id, const char *rcpts,
    struct error *err);
/* The message's bytes, appended to out. */
int outbox_read(const char *dir, const struct outbox_msg *m, struct buf *out,
    struct error *err);
/* Removes the record and then the file (sent). */
int outbox_remove(struct db *db, const char *dir, int64_t id,
    struct error *err);
/*
 * The user's own moves, for a message no sender holds (queued, failed or
 * unknown); each returns 1 when done, 0 when the message is being sent
 * right now (sending, dot) or is gone, -1 on error.  outbox_drop()
 * removes it (record, then file): it will not be sent.
 * outbox_retry_now() makes it queued and due at once, its error and
 * back-off cleared (for `unknown`, the user accepts a second copy).
 */
int outbox_drop(struct db *db, const char *dir, int64_t id,
    struct error *err);
int outbox_retry_now(struct db *db, int64_t id, struct error *err);
/* The account's queued messages due at once, their attempts kept (so a
 * later back-off still grows): called when the account's server is
 * reached again after it was not, so mail written offline goes on the
 * first sync that works rather than when a back-off of up to an hour
 * ends. */
int outbox_due_now(struct db *db, const char *account, struct error *err);
/* The sender's queued -> sending: 1 when it got the message, 0 when the
 * user dropped or another sender claimed it first. */
int outbox_claim(struct db *db, int64_t id, struct error *err);
/*
 * Only one process sends an account's outbox at a time: the sender holds
 * this lock (flock on DATA/outbox/.lock-ACCOUNT, never a file SQLite
 * holds) for its whole pass.  1 and *fd_r when taken, 0 when another
 * holds it, -1 error.  outbox_unlock() releases it.
 */
int outbox_lock(const char *dir, const char *account, int *fd_r,
    struct error *err);
void outbox_unlock(int *fd);
/*
 * After a crash: for each account that no process is sending for,
 * sending -> queued and dot -> unknown; a message file with no record,
 * older than two minutes, is recorded queued for the account its name
 * carries.  Returns the number of records changed or added.
 */
int outbox_recover(struct db *db, const char *dir, struct error *err);
/* Waiting to be sent (queued, sending) and needing the user (failed,
 * unknown) for account. */
int outbox_counts(struct db *db, const char *account, size_t *waiting_r,
    size_t *trouble_r, struct error *err);

#endif
