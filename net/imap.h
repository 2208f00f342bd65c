/*
 * imap: the IMAP engine (RFC 9051 / 3501 with CONDSTORE, QRESYNC, UIDPLUS,
 * MOVE, IDLE, LIST-STATUS, SPECIAL-USE, SASL-IR, LITERAL+, UTF8=ACCEPT).
 *
 * A struct imap is one logged-in session over one struct conn, used by one
 * thread at a time (imap_shutdown() excepted).  It knows nothing of the
 * cache: results go to callbacks and out-parameters.  Every function that
 * talks to the server returns 0 (or the documented value) on success and -1
 * with a sentence in err on failure; after a connection error, a BYE or a
 * protocol error the session is dead (imap_alive() returns 0) and the
 * caller reconnects.  A NO/BAD answer to one command fails that command
 * only.  Server texts in error sentences are cleaned with str_clean_display
 * and appear only once TLS is up (or the account allows plaintext);
 * passwords never appear anywhere.
 *
 * Security (doc/HACKING.md, Security rules): IMAP_SEC_STARTTLS sends
 * STARTTLS, reads exactly
 * one tagged answer, aborts on anything but OK or on any byte after it,
 * then forgets all capabilities and asks again.  Before TLS only the
 * capability list and each command's status are acted on (no ALERT text,
 * no untagged data, no referral ever).  A PREAUTH greeting on a connection
 * that must be encrypted aborts.  No LOGIN or AUTHENTICATE before TLS when
 * TLS is required; LOGIN is never sent when LOGINDISABLED is advertised.
 * Login uses AUTHENTICATE PLAIN (with SASL-IR when offered), else LOGIN.
 * After login, ENABLE CONDSTORE QRESYNC UTF8=ACCEPT (those offered).
 *
 * Untagged EXISTS, EXPUNGE, VANISHED, FETCH (flags/modseq) and, after
 * login, [ALERT] texts are handed to the event callback whenever they
 * arrive (during any command, SELECT with QRESYNC and IDLE included).
 *
 * Folder names are UTF-8 in this API; the engine converts to and from
 * modified UTF-7 (or sends UTF-8 after UTF8=ACCEPT) itself.  A name is
 * the server's own, byte for byte once encoded again, so that commands
 * name the same folder: it may hold controls (ESC, TAB, LF...) and, after
 * UTF8=ACCEPT, bytes that are not UTF-8.  It is never fit for a terminal
 * as it is: show it through str_escape_field or str_clean_display
 * (core/str.h).  A folder whose name holds NUL is left out: no command
 * could name it.
 * UID sets are IMAP sequence-set strings ("1:5,9,12:*"); see
 * imap_uidset_foreach().
 */
#ifndef POSTIE_NET_IMAP_H
#define POSTIE_NET_IMAP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/buf.h"
#include "core/error.h"
#include "net/conn.h"
#include "net/imap_parse.h"

enum imap_security {
	IMAP_SEC_IMPLICIT, /* IMAPS */
	IMAP_SEC_STARTTLS, /* plain port, TLS required via STARTTLS */
	IMAP_SEC_NONE,     /* plaintext: only with allow_plaintext */
};

struct imap_opts {
	struct conn_opts conn; /* conn.tls is set by the engine */
	enum imap_security security;
	int allow_plaintext; /* required for IMAP_SEC_NONE */
	const struct imap_limits *limits; /* NULL: imap_parse defaults */
	/* enum imap_cap bits to ignore even when offered (to work around a
	 * broken server, and for tests of the fallbacks); 0 normally.
	 * IMAP_CAP_STARTTLS and IMAP_CAP_LOGINDISABLED cannot be ignored. */
	unsigned ignore_caps;
};

/* Capabilities the engine uses (imap_has_cap). */
enum imap_cap {
	IMAP_CAP_IMAP4REV1 = 1u << 0,
	IMAP_CAP_IMAP4REV2 = 1u << 1,
	IMAP_CAP_STARTTLS = 1u << 2,
	IMAP_CAP_LOGINDISABLED = 1u << 3,
	IMAP_CAP_AUTH_PLAIN = 1u << 4,
	IMAP_CAP_SASL_IR = 1u << 5,
	IMAP_CAP_LITERALPLUS = 1u << 6,
	IMAP_CAP_LITERALMINUS = 1u << 7,
	IMAP_CAP_ENABLE = 1u << 8,
	IMAP_CAP_CONDSTORE = 1u << 9,
	IMAP_CAP_QRESYNC = 1u << 10,
	IMAP_CAP_UTF8_ACCEPT = 1u << 11,
	IMAP_CAP_NAMESPACE = 1u << 12,
	IMAP_CAP_LIST_STATUS = 1u << 13,
	IMAP_CAP_SPECIAL_USE = 1u << 14,
	IMAP_CAP_LIST_EXTENDED = 1u << 15,
	IMAP_CAP_IDLE = 1u << 16,
	IMAP_CAP_UIDPLUS = 1u << 17,
	IMAP_CAP_MOVE = 1u << 18,
	IMAP_CAP_ESEARCH = 1u << 19,
	IMAP_CAP_NOTIFY = 1u << 20,
	IMAP_CAP_ACL = 1u << 21,
	/* High bits: OAuth2 sign-in (net/sasl.h). */
	IMAP_CAP_AUTH_OAUTHBEARER = 1u << 30,
	IMAP_CAP_AUTH_XOAUTH2 = 1u << 31,
};

/* System flags as bits. */
enum imap_flag {
	IMAP_FLAG_SEEN = 1u << 0,
	IMAP_FLAG_ANSWERED = 1u << 1,
	IMAP_FLAG_FLAGGED = 1u << 2,
	IMAP_FLAG_DELETED = 1u << 3,
	IMAP_FLAG_DRAFT = 1u << 4,
	IMAP_FLAG_RECENT = 1u << 5,
	IMAP_FLAG_FORWARDED = 1u << 6, /* $Forwarded */
};

enum imap_event_kind {
	IMAP_EV_EXISTS,   /* num = new message count */
	IMAP_EV_EXPUNGE,  /* num = sequence number removed */
	IMAP_EV_VANISHED, /* uidset removed; earlier = (EARLIER) */
	IMAP_EV_FETCH,    /* num = seq; uid (0 unknown); flags if has_flags */
	IMAP_EV_ALERT,    /* text (cleaned): show it to the user */
	IMAP_EV_BYE,      /* text (cleaned): the server is closing */
	IMAP_EV_MAILBOX,  /* folder (decoded, not cleaned): another folder
			   * changed (NOTIFY: an unsolicited STATUS or LIST);
			   * from a STATUS, what it says of UIDVALIDITY,
			   * UIDNEXT and HIGHESTMODSEQ (modseq), 0 for each
			   * not said */
};

struct imap_event {
	enum imap_event_kind kind;
	uint32_t num;
	uint32_t uid;
	int has_flags;
	unsigned flags;
	uint64_t modseq; /* 0 unknown */
	uint32_t uidvalidity, uidnext; /* IMAP_EV_MAILBOX; 0 unknown */
	const char *uidset;
	int earlier;
	const char *text;
	const char *folder;
};

/* Called with each event as it arrives; must not call back into imap. */
typedef void imap_event_fn(void *ctx, const struct imap_event *ev);

struct imap;

/*
 * The same shape as every engine: imap_open() connects, reads the
 * greeting, upgrades with STARTTLS when required and learns the
 * capabilities (*imap_r on success); imap_login() then authenticates
 * (nothing is sent after a PREAUTH greeting, and no credential unless the
 * connection is as protected as the account requires) and enables
 * extensions.  Other commands only after imap_login() returned 0; after
 * it failed, only imap_close().
 */
int imap_open(const struct imap_opts *opts, struct imap **imap_r,
    struct error *err);
int imap_login(struct imap *imap, const char *user, const char *password,
    struct error *err);
/*
 * Signs in with an OAuth2 access token (AUTHENTICATE OAUTHBEARER when
 * offered, else XOAUTH2; net/sasl.h).  Returns 0 when logged in; 1 when
 * the server refused the token as invalid or expired and the session
 * can try again with a fresh one (err holds the refusal); -1 otherwise,
 * and then only imap_close() remains.
 */
int imap_login_oauth(struct imap *imap, const char *user, const char *token,
    struct error *err);
/* 1 once logged in, or when the greeting was PREAUTH (no password is
 * needed then). */
int imap_authenticated(const struct imap *imap);
/* LOGOUT (waits for the answer), then imap_close. */
int imap_logout(struct imap **imap, struct error *err);
/* Closes the connection without LOGOUT and frees; NULLs *imap. */
void imap_close(struct imap **imap);
/* From another thread: makes blocked and later I/O fail at once. */
void imap_shutdown(struct imap *imap);
/* 0 once the session is unusable (connection error, BYE, bad data). */
int imap_alive(const struct imap *imap);
int imap_fd(const struct imap *imap);
void imap_set_event_cb(struct imap *imap, imap_event_fn *fn, void *ctx);
/* 1 if the capability (enum imap_cap) is offered now. */
int imap_has_cap(const struct imap *imap, unsigned cap);
/* 1 if QRESYNC (resp. CONDSTORE) was enabled. */
int imap_qresync(struct imap *imap);
int imap_condstore(const struct imap *imap);
/* "TLSv1.3 ..." or "plaintext". */
const char *imap_security_desc(const struct imap *imap);

/* NAMESPACE (personal): prefix (UTF-8, caller frees) and delimiter, or ""
 * and '/' when the server lacks NAMESPACE. */
int imap_namespace(struct imap *imap, char **prefix_r, char *delim_r,
    struct error *err);

enum imap_folder_attr {
	IMAP_FOLDER_NOSELECT = 1u << 0,
	IMAP_FOLDER_NOINFERIORS = 1u << 1,
	IMAP_FOLDER_HASCHILDREN = 1u << 2,
	IMAP_FOLDER_HASNOCHILDREN = 1u << 3,
	IMAP_FOLDER_NONEXISTENT = 1u << 4,
	IMAP_FOLDER_MARKED = 1u << 5,
	IMAP_FOLDER_ALL = 1u << 8, /* RFC 6154 special use */
	IMAP_FOLDER_ARCHIVE = 1u << 9,
	IMAP_FOLDER_DRAFTS = 1u << 10,
	IMAP_FOLDER_FLAGGED = 1u << 11,
	IMAP_FOLDER_JUNK = 1u << 12,
	IMAP_FOLDER_SENT = 1u << 13,
	IMAP_FOLDER_TRASH = 1u << 14,
};

struct imap_folder {
	const char *name; /* UTF-8 (raw when it is not valid modified UTF-7) */
	const char *raw;  /* as the server spells it */
	char delim;       /* hierarchy separator, 0 if none */
	unsigned attrs;   /* enum imap_folder_attr */
	int has_status;   /* messages and unseen are known */
	uint32_t messages, unseen;
	/* With CONDSTORE, what a QRESYNC SELECT would start from (0 when
	 * not reported): equal to the cache's, the folder is unchanged. */
	uint32_t uidvalidity, uidnext;
	uint64_t highestmodseq;
};

typedef int imap_folder_fn(void *ctx, const struct imap_folder *f);

/*
 * Lists every folder with its counts: LIST "" "*" RETURN (SPECIAL-USE
 * STATUS (MESSAGES UNSEEN)) with LIST-STATUS, else LIST then one STATUS per
 * selectable folder, pipelined; with CONDSTORE the STATUS items include
 * UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ.  fn is called once per folder after all
 * answers are in; a non-zero return stops the walk and is returned.
 */
int imap_list(struct imap *imap, imap_folder_fn *fn, void *ctx,
    struct error *err);
/*
 * The same without counts (has_status 0): a STATUS makes the server look
 * at the folder, about as costly as a SELECT on a big Maildir folder, and
 * is wasted when every folder is about to be selected anyway.
 */
int imap_list_names(struct imap *imap, imap_folder_fn *fn, void *ctx,
    struct error *err);
/* STATUS of one folder. */
int imap_status(struct imap *imap, const char *folder, uint32_t *messages_r,
    uint32_t *unseen_r, uint32_t *uidnext_r, uint32_t *uidvalidity_r,
    struct error *err);

/*
 * MYRIGHTS of one folder (RFC 4314; only where the server offers ACL):
 * the rights letters into rights (NUL-terminated, cut to size; "" when
 * the server answered none).  0, or -1 with err (a NO too).
 */
int imap_myrights(struct imap *imap, const char *folder, char *rights,
    size_t size, struct error *err);

/* What the client knew of a folder, for SELECT (QRESYNC ...). */
struct imap_qresync {
	uint32_t uidvalidity;
	uint64_t modseq;
	const char *known_uids; /* optional, NULL: all */
};

struct imap_mailbox {
	uint32_t uidvalidity, uidnext, exists; /* 0: not told */
	uint64_t highestmodseq; /* 0: NOMODSEQ or no CONDSTORE */
	/* enum imap_flag the server keeps ([PERMANENTFLAGS]; every one
	 * when it sends none, RFC 3501 7.1; $Forwarded with \*) */
	unsigned permflags;
	int readonly;           /* EXAMINE, or [READ-ONLY]: nothing kept */
	int permflags_told;     /* (while SELECT runs) */
};

/*
 * SELECT (or EXAMINE when readonly) folder.  With qr and QRESYNC enabled
 * the server sends VANISHED (EARLIER) and FETCH for changes since qr,
 * delivered as events before this returns; when qr->uidvalidity differs
 * from the answer the caller must drop what it knew.  With CONDSTORE only,
 * SELECT (CONDSTORE) is sent.
 */
int imap_select(struct imap *imap, const char *folder, int readonly,
    const struct imap_qresync *qr, struct imap_mailbox *mb_r,
    struct error *err);
/*
 * imap_select in two halves, so that commands on the folder (a FETCH
 * formed from what a LIST-STATUS told) can follow the SELECT before its
 * answer is in.  imap_select_send fills *mb_r as the answer is read (it
 * must stay valid until the end); imap_select_end reads until the tagged
 * answer, frees *op and returns like imap_select.  Every op sent must be
 * ended in the order sent, with the other pipelined commands, even after
 * an error (it then only frees).
 */
struct imap_select_op;
int imap_select_send(struct imap *imap, const char *folder, int readonly,
    const struct imap_qresync *qr, struct imap_mailbox *mb_r,
    struct imap_select_op **op_r, struct error *err);
int imap_select_end(struct imap *imap, struct imap_select_op **op,
    struct error *err);

/* What imap_fetch asks for. */
enum imap_fetch_what {
	IMAP_FETCH_FLAGS = 1u << 0,   /* FLAGS (and MODSEQ with CHANGEDSINCE,
				       * where the server sends it anyway) */
	IMAP_FETCH_HEADERS = 1u << 1, /* INTERNALDATE RFC822.SIZE and the
				       * header fields the index needs */
	IMAP_FETCH_BODYSTRUCTURE = 1u << 2,
	IMAP_FETCH_BYSEQ = 1u << 3,   /* set is sequence numbers (FETCH),
				       * not UIDs (UID FETCH) */
};

struct imap_msg {
	uint32_t seq, uid;
	int has_flags;
	unsigned flags;
	uint64_t modseq;
	time_t internaldate; /* -1 unknown */
	uint64_t size;
	const char *header;  /* the requested header fields, raw, or NULL */
	size_t header_len;
	const struct imap_arg *bodystructure; /* parsed tree, or NULL */
};

/* Called for each message as its FETCH response arrives; the pointers
 * stay valid during the call only.  Non-zero stops (read on, then
 * returned). */
typedef int imap_msg_fn(void *ctx, const struct imap_msg *m);

/*
 * FETCH set (UIDs, or sequence numbers with IMAP_FETCH_BYSEQ) of the
 * selected folder.  changedsince > 0 adds (CHANGEDSINCE n) under
 * CONDSTORE.  Responses for messages not asked for (flag changes from
 * elsewhere) go to the event callback instead.
 */
int imap_fetch(struct imap *imap, const char *set, unsigned what,
    uint64_t changedsince, imap_msg_fn *fn, void *ctx, struct error *err);

/*
 * imap_fetch in two halves, so that the next FETCH can be on its way
 * while the answer to the last one is read (the server never waits for
 * the client between two).  imap_fetch_send sends the command and
 * returns 0 with *op_r, or -1.  imap_fetch_end reads until the tagged
 * answer of *op (fn called for its messages), frees it and returns like
 * imap_fetch.  Every op sent must be ended, oldest first, even after an
 * error (it then only frees).
 */
struct imap_fetch_op;
int imap_fetch_send(struct imap *imap, const char *set, unsigned what,
    uint64_t changedsince, imap_msg_fn *fn, void *ctx,
    struct imap_fetch_op **op_r, struct error *err);
int imap_fetch_end(struct imap *imap, struct imap_fetch_op **op,
    struct error *err);

/*
 * BODY.PEEK[section]<offset.length> of one UID, streamed to sink (section
 * "" for the whole message, "HEADER", "1.2" ...; length 0: to the end).
 * Returns 0 with *size_r the byte count delivered, or -1 ("message no
 * longer exists" when the server has none).
 */
int imap_fetch_body(struct imap *imap, uint32_t uid, const char *section,
    uint64_t offset, uint64_t length, imap_sink_fn *sink, void *ctx,
    uint64_t *size_r, struct error *err);

/* UID STORE set +FLAGS.SILENT / -FLAGS.SILENT (flags: enum imap_flag). */
int imap_store(struct imap *imap, const char *uidset, int add,
    unsigned flags, struct error *err);
/* UID COPY; with UIDPLUS the new UIDs go to *dest_uids_r (caller frees,
 * NULL if unknown; dest_uids_r may be NULL). */
int imap_copy(struct imap *imap, const char *uidset, const char *folder,
    char **dest_uids_r, struct error *err);
/* UID MOVE when offered, else UID COPY + UID STORE +FLAGS (\Deleted) +
 * imap_expunge() of uidset.  The new UIDs (COPYUID, with UIDPLUS) go to
 * *dest_uids_r as for imap_copy.  The source messages leave as
 * EXPUNGE/VANISHED events. */
int imap_move(struct imap *imap, const char *uidset, const char *folder,
    char **dest_uids_r, struct error *err);
/*
 * Expunges the \Deleted messages of uidset, and only those: UID EXPUNGE
 * with UIDPLUS; without it UID SEARCH DELETED, -FLAGS (\Deleted) on the
 * others, EXPUNGE, +FLAGS (\Deleted) on them again (a message another
 * client marks within that round trip still goes).  uidset NULL: a plain
 * EXPUNGE of every \Deleted message.
 */
int imap_expunge(struct imap *imap, const char *uidset, struct error *err);
enum imap_req_kind {
	IMAP_REQ_STORE,   /* uidset, add, flags */
	IMAP_REQ_COPY,    /* uidset, folder */
	IMAP_REQ_MOVE,    /* uidset, folder */
	IMAP_REQ_EXPUNGE, /* uidset, as imap_expunge() */
};

/* One change of a pipelined batch. */
struct imap_req {
	enum imap_req_kind kind;
	const char *uidset;
	int add;
	unsigned flags;
	const char *folder;
	/* out */
	int result;       /* 0 done, -1 refused (err says why) */
	struct error err;
};

/*
 * Sends the n requests pipelined (at most 32 in flight) and reads the
 * answers, so replaying many queued changes costs about one round trip.
 * Each request gets its own result; a refused one does not stop the
 * others.  A MOVE without the MOVE capability runs as imap_move(), an
 * EXPUNGE without UIDPLUS as imap_expunge(), in its turn (not
 * pipelined).  Returns 0 when the session survived (look at each
 * result), -1 on a connection error (err; results of unanswered requests
 * are -1).
 */
int imap_batch(struct imap *imap, struct imap_req *reqs, size_t n,
    struct error *err);

/* APPEND msg to folder with flags (enum imap_flag); with UIDPLUS *uid_r is
 * the new UID, else 0 (uid_r may be NULL). */
int imap_append(struct imap *imap, const char *folder, unsigned flags,
    const void *msg, size_t len, uint32_t *uid_r, struct error *err);
int imap_noop(struct imap *imap, struct error *err);
/* CREATE folder (UTF-8 name). */
int imap_create(struct imap *imap, const char *folder, struct error *err);
/* RENAME from to (UTF-8 names): the server keeps the messages, and
 * its subfolders follow (RFC 3501 6.3.5). */
int imap_rename(struct imap *imap, const char *from, const char *to,
    struct error *err);
/* DELETE folder with its messages (a server may refuse one that has
 * subfolders, or turn it into a \Noselect node). */
int imap_delete(struct imap *imap, const char *folder, struct error *err);
/* SUBSCRIBE (on) or UNSUBSCRIBE folder. */
int imap_subscribe(struct imap *imap, const char *folder, int on,
    struct error *err);

/*
 * Waits for changes in the selected folder: IDLE when offered (re-issued
 * every 25 minutes), else NOOP every 30 seconds.  Returns 1 when wake_fd
 * (-1: none) became readable (it is not read), 2 when events were
 * delivered (or the server ended IDLE), 0 when timeout_ms passed (-1: wait
 * forever), -1 on error.
 * The session is out of IDLE when this returns.
 */
int imap_wait(struct imap *imap, int wake_fd, int timeout_ms,
    struct error *err);

/*
 * NOTIFY SET (RFC 5465), when offered: from now on in this session the
 * selected folder reports as usual, and every other personal folder's new,
 * expunged or re-flagged mail, and folders made (renamed or deleted, where
 * the server tells), arrive as IMAP_EV_MAILBOX events (imap_wait returns
 * 2 for them).
 * 0 done, -1 refused or error (imap_alive tells which).
 */
int imap_notify(struct imap *imap, struct error *err);

/* Appends the range lo..hi (one number when lo == hi) to a sequence set
 * being built in set, with a comma when set is not empty. */
void imap_uidset_add(struct buf *set, uint32_t lo, uint32_t hi);
/* Whether a and b name the same folder: INBOX in any case is INBOX
 * (RFC 3501); other names compare exactly. */
int imap_folder_same(const char *a, const char *b);
/* Calls fn for each range lo..hi of a sequence set ("*" is UINT32_MAX);
 * returns 0, -1 if malformed, or fn's non-zero return. */
int imap_uidset_foreach(const char *set,
    int (*fn)(void *ctx, uint32_t lo, uint32_t hi), void *ctx);

#endif
