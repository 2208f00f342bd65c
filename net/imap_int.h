/*
 * imap_int: what the files of the IMAP engine share (private to net/imap*).
 */
#ifndef POSTIE_NET_IMAP_INT_H
#define POSTIE_NET_IMAP_INT_H

#include "core/buf.h"
#include "net/imap.h"

#define IMAP_RBUF 65536
#define IMAP_TEXT_MAX 300

struct imap_cmd;

/* Offered each untagged response while the command is pending: 1 taken,
 * 0 not for me, -1 fatal (err set). */
typedef int imap_untagged_fn(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err);

struct imap_cmd {
	char tag[16];
	const char *name;  /* for messages: "SELECT" */
	imap_untagged_fn *untagged;
	void *ctx;
	int done;
	int ok;            /* tagged OK */
	char status[8];
	char code[32];
	struct buf code_args; /* raw code arguments joined by spaces */
	char text[IMAP_TEXT_MAX]; /* cleaned, empty when not trusted */
	struct imap_cmd *next;
};

struct imap {
	struct conn *conn;
	struct imap_parser *parser;
	struct imap_limits lim;
	char *rbuf;
	size_t rpos, rlen;
	unsigned caps;
	unsigned ignore_caps;
	int caps_known;
	int trusted;   /* TLS (or allowed plaintext) is up: texts may show */
	int logged_in;
	int preauth;   /* the greeting was PREAUTH: imap_login sends none */
	int need_tls;  /* credentials only under TLS (not IMAP_SEC_NONE) */
	int dead;
	int bye;       /* the server said BYE */
	char bye_text[IMAP_TEXT_MAX]; /* cleaned, "" before TLS */
	int qresync, condstore, utf8;
	int vanished_warned; /* VANISHED without QRESYNC was logged */
	int budgeted;  /* the connection's overall deadlines have begun */
	unsigned tagno;
	imap_event_fn *ev_fn;
	void *ev_ctx;
	int events;    /* events delivered since last reset */
	struct imap_cmd *pending; /* commands sent, not answered */
	struct imap_cmd *enabling; /* ENABLE sent, not yet settled */
	struct buf out;           /* command being built */
	size_t sync_at[8];        /* offsets just after "{n}\r\n" */
	unsigned nsync;
	struct buf tmp;
};

/* imap_io.c */
/* Next response, reading as needed; NULL on error (session dead). */
const struct imap_resp *imap_read(struct imap *imap, struct error *err);
/* Builds a command: begin, add text/astring/folder, send. */
void imap_cmd_begin(struct imap *imap, struct imap_cmd *cmd,
    const char *name, imap_untagged_fn *fn, void *ctx);
void imap_add(struct imap *imap, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void imap_add_astring(struct imap *imap, const char *s, size_t len);
void imap_add_literal(struct imap *imap, const char *s, size_t len);
/* "(\\Seen \\Flagged)" for enum imap_flag bits. */
void imap_add_flags(struct imap *imap, unsigned flags);
/* The folder (UTF-8) as the server wants it, as an astring. */
int imap_add_folder(struct imap *imap, const char *folder,
    struct error *err);
/* Sends the command and queues cmd as pending. */
int imap_cmd_send(struct imap *imap, struct imap_cmd *cmd,
    struct error *err);
/* Reads until cmd is answered; 0 on OK, -1 on NO/BAD or error. */
int imap_cmd_wait(struct imap *imap, struct imap_cmd *cmd,
    struct error *err);
/* Reads until cmd is answered; 0 done (any status), -1 error. */
int imap_cmd_finish(struct imap *imap, struct imap_cmd *cmd,
    struct error *err);
/* Reads and handles one response (unless cmd is answered already):
 * 1 once cmd is answered, 0 before, -1 error. */
int imap_cmd_step(struct imap *imap, struct imap_cmd *cmd,
    struct error *err);
void imap_cmd_free(struct imap_cmd *cmd);
/* Sends, waits (as imap_cmd_wait) and frees cmd. */
int imap_cmd_run(struct imap *imap, struct imap_cmd *cmd, struct error *err);
/* Hands one response to pending commands, then to the defaults. */
int imap_dispatch(struct imap *imap, const struct imap_resp *r,
    struct error *err);
/* The error sentence for a failed command. */
int imap_cmd_error(struct imap *imap, const struct imap_cmd *cmd,
    struct error *err);
int imap_dead(struct imap *imap, struct error *err);
/* After a successful login: capabilities, ENABLE, logged_in. */
int imap_login_done(struct imap *imap, struct error *err);
/* Reads the answer to an ENABLE still on its way (imap_login), so that
 * imap->qresync and utf8 say what the server enabled. */
int imap_enable_settle(struct imap *imap, struct error *err);
void imap_parse_caps(struct imap *imap, const struct imap_arg *a);
unsigned imap_parse_flags(const struct imap_arg *list);
void imap_event(struct imap *imap, const struct imap_event *ev);
/* FETCH (...) items to ev-ready fields; 0 or -1 malformed. */
int imap_fetch_items(const struct imap_resp *r, struct imap_msg *m);
/* "(MESSAGES 3 UNSEEN 1 ...)" of a STATUS response into the status
 * fields of st (has_status once MESSAGES is seen); others untouched. */
void imap_status_items(const struct imap_arg *a, struct imap_folder *st);
/* Decodes a folder name from the server into UTF-8 (imap->tmp), controls
 * and all: the name commands give back (see imap.h).  NULL for a name
 * that holds NUL, raw or encoded: no command can name that folder. */
const char *imap_folder_name(struct imap *imap, const char *raw, size_t len);

#endif
