/*
 * compose: writing mail.  The message writer (a description in memory to
 * RFC 5322 + MIME bytes), the address lists it takes, and the pure helpers
 * that reply, forward, mailto: and the editor's header block need.  The
 * one header of mime/ for writing; mime.h is the reading side.
 *
 * Text in is UTF-8; bytes out are US-ASCII (or 8-bit / UTF-8 only where
 * the options allow it) with CRLF line ends, every line at most 998
 * octets, header lines folded at 78 columns wherever a fold is possible.
 * Never prints.  Thread-safe (no shared state).  The only I/O of mime/ is
 * here: mime_compose_write reads attachment files given by path and the
 * mime.types file; nothing else touches the file system.
 *
 * Header injection: a value that the user typed or an address book or
 * another message supplied (subject, display names, addresses, message
 * ids, custom header values, attachment names) containing CR, LF or any
 * other control character but TAB is REFUSED with an error naming the
 * field: "Subject: contains a line break or control character; ...".
 * The rule is the same for every field, the subject included (the TUI's
 * prompts cannot produce a line break; the editor's header block is
 * unfolded before it gets here).  Header names are checked too.  So no
 * value can ever start a header of its own.
 *
 * Round trip: what the writer writes reads back through mime.h as it was
 * given (names, addresses, subject, body text, attachment names and
 * bytes), except that unstructured values (subject, custom headers) and
 * display names lose leading and trailing blanks, a TAB in them reads back
 * as a space, and text line ends come back as CRLF (LF once read as text).
 *
 * Ownership: every pointer in the structs below is malloc'ed and owned by
 * the struct; the *_free functions release everything.  Set fields with
 * xstrdup or the helpers below.
 */
#ifndef POSTIE_MIME_COMPOSE_H
#define POSTIE_MIME_COMPOSE_H

#include <stddef.h>
#include <time.h>

#include "core/buf.h"
#include "core/error.h"

/* ------------------------------------------------------------------ */
/* Address lists.                                                      */

struct mime_address {
	char *name; /* UTF-8 display name, "" if none (never NULL) */
	char *addr; /* addr-spec "local@domain", as typed (never NULL) */
};

struct mime_addrlist {
	struct mime_address *v;
	size_t n, cap;
};

/* Appends a copy of name (NULL: "") and addr. */
void mime_addrlist_add(
    struct mime_addrlist *l, const char *name, const char *addr);
/* Appends every address of src whose addr is not yet in l. */
void mime_addrlist_merge(struct mime_addrlist *l,
    const struct mime_addrlist *src);
/* 1 if addr is in l (ASCII case-insensitive comparison of the addr). */
int mime_addrlist_has(const struct mime_addrlist *l, const char *addr);
/* Removes every entry whose addr is in drop. */
void mime_addrlist_remove(struct mime_addrlist *l,
    const struct mime_addrlist *drop);
void mime_addrlist_free(struct mime_addrlist *l);

/*
 * Parses an address list as a person types it ("Alice <a@example.org>,
 * "Martin, Bob" <b@example.org>, c@example.org") into l (appended).
 * Groups ("friends: a@x, b@y;") contribute their members; encoded words
 * in names are decoded; a comment is the name of a bare address
 * ("a@x (Alice)").  Fails, naming field in the sentence, on a control
 * character (CR, LF...), an unbalanced quote or "<", or a mailbox that is
 * no "local@domain"; l is then unchanged.
 */
int mime_addrlist_parse(const char *s, size_t len, const char *field,
    struct mime_addrlist *l, struct error *err);

/*
 * The same for a header of a received message: never fails; mailboxes
 * that are not "local@domain" are skipped; names are decoded and cleaned
 * (str_clean_display), addresses stripped of blanks and controls.
 */
void mime_addrlist_from_header(
    const char *value, size_t len, struct mime_addrlist *l);

/*
 * Appends l as a person reads and edits it: "Name <addr>, addr", UTF-8,
 * names quoted where mime_addrlist_parse needs it, nothing encoded.
 */
void mime_addrlist_format(const struct mime_addrlist *l, struct buf *out);

/*
 * Checks one addr-spec: "local@domain" with a dot-atom or quoted local
 * part and a dot-atom or [literal] domain; non-ASCII (UTF-8) in either
 * half only when smtputf8.  Returns 0, or -1 with a sentence naming field.
 */
int mime_addr_check(const char *addr, int smtputf8, const char *field,
    struct error *err);

/* ------------------------------------------------------------------ */
/* The message description.                                            */

struct mime_attach {
	char *path;  /* file read at write time; NULL: data/len are used */
	char *data;  /* the bytes when path is NULL */
	size_t len;
	char *name;  /* UTF-8 name for the recipient; NULL: base name of
	              * path, or no name */
	char *type;  /* "type/subtype"; NULL: by the name's extension in
	              * mime.types, else text/plain for plain UTF-8 text,
	              * else application/octet-stream */
	int message; /* 1: a message/rfc822 part; data is the raw message
	              * (forward as attachment) */
};

struct mime_header_field {
	char *name;  /* checked: printable ASCII, no ':' or blank */
	char *value; /* UTF-8, unstructured (encoded when not ASCII) */
};

struct mime_compose {
	struct mime_address from;      /* name may be "", addr required */
	struct mime_addrlist to, cc, bcc;
	struct mime_addrlist reply_to, followup_to; /* Mail-Followup-To */
	char *subject;                 /* UTF-8 or NULL */
	char *in_reply_to;             /* a message id without <>, or NULL */
	char **references;             /* ids without <>, oldest first */
	size_t nreferences;
	char *body;                    /* UTF-8 text, LF or CRLF, or NULL */
	int flowed;                    /* write text as format=flowed */
	struct mime_attach *attach;
	size_t nattach;
	struct mime_header_field *extra; /* custom headers, in order */
	size_t nextra;
	char *user_agent;              /* NULL: no User-Agent header */
	/* Set by the first mime_compose_write when NULL/0, so the wire copy
	 * and the Sent copy written from one description are the same
	 * message: id without <> (random part @ the From domain); date
	 * written in the local zone with its numeric offset. */
	char *message_id;
	time_t date;
};

void mime_compose_init(struct mime_compose *m);
void mime_compose_free(struct mime_compose *m);
/* Replaces a string field: *field = copy of value (NULL: NULL). */
void mime_compose_set(char **field, const char *value);
/* Appends an attachment read from path at write time; name, type may be
 * NULL (see struct mime_attach). */
void mime_compose_attach_file(struct mime_compose *m, const char *path,
    const char *name, const char *type);
/* Appends an attachment of data[0..len) (copied). */
void mime_compose_attach_data(struct mime_compose *m, const char *data,
    size_t len, const char *name, const char *type);
/* Appends a message/rfc822 attachment holding raw[0..len) (copied). */
void mime_compose_attach_message(
    struct mime_compose *m, const char *raw, size_t len);
/* Removes attachment i (for the compose screen's D). */
void mime_compose_detach(struct mime_compose *m, size_t i);
/* Appends a custom header (checked at write time). */
void mime_compose_add_header(
    struct mime_compose *m, const char *name, const char *value);
/* Appends a reference id (without <>). */
void mime_compose_add_reference(struct mime_compose *m, const char *id);

enum mime_write_mode {
	MIME_WRITE_WIRE, /* what SMTP submits: no Bcc header, ever */
	MIME_WRITE_COPY, /* the Sent copy and drafts: Bcc kept (as Mutt
	                  * keeps it in its Fcc copy) */
};

struct mime_write_opts {
	enum mime_write_mode mode;
	int eightbit;           /* the server takes 8BITMIME: 8bit parts */
	int smtputf8;           /* the server takes SMTPUTF8: UTF-8 in
	                         * addr-specs is written raw (else refused) */
	const char *mime_types; /* NULL: /etc/mime.types (a built-in table
	                         * of common types when it cannot be read) */
};

/*
 * Writes the message: Date, From, To, Cc, [Bcc], Reply-To,
 * Mail-Followup-To, Subject, Message-ID, In-Reply-To, References,
 * User-Agent, the custom headers, MIME-Version, then the body.
 *   - Text is one text/plain part (charset us-ascii or utf-8;
 *     format=flowed when m->flowed).  Its transfer encoding: 7bit when it
 *     is; 8bit when opts->eightbit and the lines fit; else
 *     quoted-printable or base64, whichever is shorter.  The text must be
 *     valid UTF-8.
 *   - With attachments: multipart/mixed, the text first (if any), then
 *     each attachment in base64 with Content-Disposition: attachment and
 *     its name (RFC 2231 filename*, plus an ASCII filename= fallback);
 *     message/rfc822 parts are "inline" (shown in place, as Mutt sends a
 *     forward) and 7bit or 8bit as their bytes allow, else base64 (which
 *     RFC 2046 frowns on and every reader accepts).  Each part keeps its
 *     last line end (an empty line precedes each delimiter).
 *   - format=flowed: lines longer than 78 octets are wrapped at blanks
 *     with soft breaks; trailing blanks of lines are dropped ("-- "
 *     stays); a line starting with '>' is a quote (its depth kept, as in
 *     a reply); unquoted lines starting with a blank or "From " and all
 *     quoted text are space-stuffed.
 *   - opts NULL: wire mode, 7-bit, no SMTPUTF8, /etc/mime.types.
 * Fills m->message_id and m->date when unset.  Returns 0 with the message
 * appended to out, or -1 with one sentence (out then holds partial
 * bytes the caller discards): a refused field (see above), a missing or
 * invalid From, an attachment file that cannot be read (named), text
 * that is not UTF-8.
 */
int mime_compose_write(struct mime_compose *m,
    const struct mime_write_opts *opts, struct buf *out, struct error *err);

/* Every envelope recipient (To, Cc, Bcc), duplicates dropped, in order:
 * what the caller hands SMTP with the wire copy. */
void mime_compose_recipients(
    const struct mime_compose *m, struct mime_addrlist *out);

/* ------------------------------------------------------------------ */
/* Pieces, also used by the fuzzers and tests.                         */

/*
 * Appends "Name: value" encoded and folded as the writer writes an
 * unstructured header (RFC 2047 words where needed, B or Q whichever is
 * shorter, never splitting a character, each word at most 75 chars,
 * lines at most 78 columns where blanks or encoded words allow), CRLF
 * included.  Returns -1 (nothing appended) if value holds a control
 * character but TAB, or name is not a valid header name.
 */
int mime_write_unstructured(const char *name, const char *value,
    struct buf *out, struct error *err);

/* The RFC 5322 date-time of t in the local zone ("Mon, 7 Dec 2026
 * 19:23:42 +0100"), appended. */
void mime_write_date(time_t t, struct buf *out);

/* A new message id (without <>): random part "@" domain (the domain of
 * from_addr when it is plain ASCII, else "localhost"). Malloc'ed. */
char *mime_message_id_new(const char *from_addr);

/* The type mime.types (path; NULL: /etc/mime.types, then the built-in
 * table) gives the extension of name, or NULL.  Static string or one
 * malloc'ed into *owned_r (free it). */
const char *mime_type_for_name(
    const char *name, const char *path, char **owned_r);

/* ------------------------------------------------------------------ */
/* Reply, forward, mailto.                                             */

/* "Re: " + subject without its leading "Re:" / "RE:" / "re:" / "Re[N]:"
 * prefixes (so never doubled).  Malloc'ed. */
char *mime_reply_subject(const char *subject);
/* "Fwd: " + subject without leading "Fwd:" / "Fw:" prefixes. */
char *mime_forward_subject(const char *subject);

enum mime_reply_kind {
	MIME_REPLY_SENDER, /* Reply-To, else From (To if From is me) */
	MIME_REPLY_ALL,    /* Mail-Followup-To if present; else the sender
	                    * plus To and Cc, without me */
	MIME_REPLY_LIST,   /* the List-Post mailto: address */
};

#define MIME_REFERENCES_MAX 20 /* the first id and the last 19 */

/*
 * Fills m (To, Cc, Subject, In-Reply-To, References, body) for a reply to
 * the message raw[0..len).  me: the user's own addresses (dropped from the
 * recipients).  The body is the attribution ("On DATE, NAME wrote:") and
 * the original's text with "> " prefixes (">" before already quoted lines
 * and empty ones), then an empty line.  From, the signature and Bcc are
 * the caller's.  Returns -1 for MIME_REPLY_LIST when the message has no
 * List-Post mailto: address, or when no recipient remains.
 */
int mime_reply_init(struct mime_compose *m, const char *raw, size_t len,
    enum mime_reply_kind kind, const struct mime_addrlist *me,
    struct error *err);

/*
 * Fills m (Subject, body, attachments) to forward raw[0..len): inline (a
 * "----- Forwarded message from NAME -----" block with the original's
 * Date/From/To/Cc/Subject and text, and its attachments attached again),
 * or as_attachment (one message/rfc822 part holding raw, empty body).
 */
int mime_forward_init(struct mime_compose *m, const char *raw, size_t len,
    int as_attachment, struct error *err);

/*
 * Parses a mailto: URI (RFC 6068) into m: the path's addresses and to=
 * go to To, cc=, bcc=, subject=, body= (line breaks kept, as LF),
 * in-reply-to=; other header fields are ignored.  Percent-decoded values
 * must be UTF-8; a control character in any field but the body (header
 * injection through %0D%0A) is refused with a sentence.
 */
int mime_mailto_parse(const char *uri, struct mime_compose *m,
    struct error *err);

/* ------------------------------------------------------------------ */
/* The editor's file (Mutt's edit_headers).                            */

/*
 * Appends the file the editor gets: "From:", "To:", "Cc:", "Bcc:",
 * "Subject:" (always), "Reply-To:" and "Mail-Followup-To:" (when set) and
 * the custom headers, UTF-8, one per line, then an empty line and the
 * body.  LF line ends.
 */
void mime_edit_headers_write(const struct mime_compose *m, struct buf *out);

/*
 * Reads that file back after the editor: the header lines up to the first
 * empty line (folded lines unfolded), then the body.  To, Cc, Bcc,
 * Subject, Reply-To, Mail-Followup-To and the custom headers are replaced
 * by what the file says (absent: empty); From, In-Reply-To and
 * References only when present; Date, Message-ID, MIME-Version, Content-* and
 * User-Agent are ignored.  Fails with a sentence (m unchanged) on a
 * header line that is not "Name: value" (its line number), a bad
 * address (its field), a control character, or text that is not UTF-8.
 */
int mime_edit_headers_parse(const char *text, size_t len,
    struct mime_compose *m, struct error *err);

/*
 * Resumes a draft (a message mime_compose_write wrote in copy mode, or
 * another client's): replaces m with From, To, Cc, Bcc, Reply-To,
 * Mail-Followup-To, Subject, In-Reply-To, References, the X- headers, the
 * first text/plain part as the body (format=flowed undone, m->flowed
 * set) and every other part as an attachment (the other halves of a
 * multipart/alternative are dropped).  Names are decoded and cleaned.
 * Message-ID and Date are not taken: a resumed draft is sent as a new
 * message.  A draft without From keeps m's From.  Returns 0, or -1 if
 * raw is NULL.
 */
int mime_compose_from_message(const char *raw, size_t len,
    struct mime_compose *m, struct error *err);

#endif
