/*
 * mime: messages as people see them (RFC 5322, MIME, RFC 2047/2231,
 * charsets, format=flowed, HTML to text).  The public header of mime/ for
 * reading; writing mail (compose, reply, forward) is mime/compose.h.
 *
 * Pure: bytes in, structures and UTF-8 text out; no I/O (writing an
 * attachment to a file is ui/save.h's job).  Never prints.  Thread-safe: the only shared state is a mutex-guarded pool
 * of open iconv descriptors.
 *
 * Every string this module hands out is valid UTF-8, NUL-terminated, and
 * already cleaned for a terminal (str_clean_display: no C0/C1 controls, no
 * ESC sequences, no bidi overrides, no newline unless stated).  Malformed
 * input never fails: it is shown as well as it can be; -1 is returned only
 * for a caller error (NULL message) and fills the struct error.
 *
 * Limits (hostile input): nesting depth MIME_MAX_DEPTH, MIME_MAX_PARTS
 * parts, MIME_MAX_HEADERS header fields per part, one unfolded header field
 * at most MIME_MAX_HEADER_LEN bytes (longer ones are cut).  Past a limit the
 * rest is treated as plain body text or dropped, never an error.  All
 * work is linear in the input size.
 */
#ifndef POSTIE_MIME_MIME_H
#define POSTIE_MIME_MIME_H

#include <stddef.h>
#include <time.h>

#include "core/buf.h"
#include "core/error.h"

#define MIME_MAX_DEPTH 32
#define MIME_MAX_PARTS 10000
#define MIME_MAX_HEADERS 1000
#define MIME_MAX_HEADER_LEN 65536
#define MIME_MAX_LINES 1000000 /* body lines of a view; a NOTE says more */

/* ------------------------------------------------------------------ */
/* Header summary: what the cache indexes.                             */

struct mime_summary {
	char *from;         /* decoded: "Name <addr>" or "addr", "" if none */
	char *from_addr;    /* addr-spec of the first From mailbox, or "" */
	char *to;           /* decoded address list, "" if none */
	char *cc;           /* decoded address list, "" if none */
	char *subject;      /* RFC 2047-decoded, unfolded, cleaned, "" */
	time_t date;        /* UTC seconds; 0 when missing or unparsable */
	int date_valid;     /* 1 if Date: parsed */
	int date_zone;      /* the Date's zone offset, minutes east of UTC */
	char *message_id;   /* "local@domain" without <>, or "" */
	char **in_reply_to; /* ids without <>, n_in_reply_to of them */
	size_t n_in_reply_to;
	char **references; /* ids without <>, oldest first */
	size_t n_references;
	int has_attachment; /* hint, see mime_summary_parse */
};

/*
 * Parses the header of raw[0..len): a whole message or only its header
 * (the body, if any, starts after the first empty line).  Never fails on
 * content.  has_attachment is a hint: with the body present and a
 * multipart top, 1 if any part is an attachment (as mime_render lists
 * them, message/rfc822 excepted); otherwise 1 if the top Content-Type is
 * multipart/mixed or a non-text, non-multipart, non-message type.
 * Returns 0 and sets *sum_r (free with mime_summary_free), or -1 if raw
 * is NULL.  Cost: the header only, unless the body is present and the
 * top is multipart (then one structural pass, no decoding).
 */
int mime_summary_parse(const char *raw, size_t len, struct mime_summary **sum_r,
    struct error *err);
void mime_summary_free(struct mime_summary **sum);

/* ------------------------------------------------------------------ */
/* Rendering: what the pager shows.                                    */

enum mime_line_kind {
	MIME_LINE_HEADER,     /* "Name: value" in the header block */
	MIME_LINE_BODY,       /* body text (also the blank separator lines) */
	MIME_LINE_QUOTE,      /* quoted body text; level >= 1 */
	MIME_LINE_NOTE,       /* postie's own remark: "[-- part omitted --]" */
	MIME_LINE_LINK,       /* a link footnote "[N] URL" (from HTML) */
	MIME_LINE_ATTACHMENT, /* an attachment list entry; attachment >= 0 */
};

struct mime_line {
	enum mime_line_kind kind;
	int level;        /* quote depth for MIME_LINE_QUOTE, else 0 */
	int attachment;   /* index in mime_view.attachments, else -1 */
	const char *text; /* clean UTF-8, no newline, no TAB */
	size_t len;       /* strlen(text) */
};

struct mime_attachment {
	const char *name; /* decoded, cleaned; "" when the part has none */
	const char *type; /* lower-case "type/subtype" */
	size_t size;      /* decoded size in bytes */
	int inline_text;  /* 1 if its text is also shown in the body */
};

enum mime_prefer {
	MIME_PREFER_PLAIN = 0, /* multipart/alternative: text/plain first */
	MIME_PREFER_HTML,      /* text/html first (rendered to text) */
};

struct mime_render_opts {
	enum mime_prefer prefer;
	/* Charset of text parts with no charset label, and of 8-bit header
	 * bytes that are not UTF-8.  NULL: UTF-8 if the bytes are valid
	 * UTF-8, else windows-1252 (so unlabelled text never fails). */
	const char *assumed_charset;
	/* Wrap body lines (plain and HTML) longer than width columns at
	 * blanks, hard-cutting longer words; quoted lines keep their ">"
	 * prefix on every piece.  0 disables wrapping.  Header, note, link
	 * and attachment lines are never wrapped.  `postie view` uses 80. */
	int width;
};

/* Rendered message.  Read-only for the caller; freed as one. */
struct mime_view {
	struct mime_line *lines;
	size_t nlines;
	struct mime_attachment *attachments;
	size_t nattachments;
	struct mime_view_priv *priv; /* private */
};

/*
 * Renders raw[0..len) as the pager shows it, in this order:
 *   - header lines "Name: value" for Date, From, To, Cc, Subject (those
 *     present; addresses and encoded words decoded), then one empty
 *     line (none when the message has no header at all);
 *   - the body.  multipart/alternative shows one part (opts->prefer;
 *     the other type, then a nested multipart, as fallbacks);
 *     multipart/related its first part; other multiparts every part in
 *     order.  Text after the first shown part is introduced by a
 *     MIME_LINE_NOTE "[-- type: name --]" between empty lines.  Each
 *     HTML part is followed by its link footnotes ("[N] URL",
 *     MIME_LINE_LINK) after an empty line.  message/rfc822 shows a
 *     NOTE, the inner header block, and the inner body;
 *   - if there are attachments, an empty line and one MIME_LINE_ATTACHMENT
 *     per attachment: "[N] name (type, size)" (N = index + 1).
 * Attachments are parts with Content-Disposition: attachment, non-text
 * leaves, the non-first parts of multipart/related, and message/rfc822
 * parts (also shown inline, inline_text = 1, unless their disposition is
 * attachment); a text part with a file name that is shown inline is
 * listed too (inline_text = 1), so it can be saved.  Damaged structure: the
 * first Content-Type with a type/subtype wins; a missing closing
 * boundary ends the last part at the end of input; a multipart without
 * a usable boundary is shown as text; a delimiter line must be
 * "--boundary" or "--boundary--" followed by blanks only.
 * opts may be NULL (defaults: plain, assumed NULL, width 80).  The view
 * keeps a private copy of raw, so raw may be freed afterwards.  Returns 0
 * and sets *view_r (free with mime_view_free), -1 if raw is NULL.
 */
int mime_render(const char *raw, size_t len,
    const struct mime_render_opts *opts, struct mime_view **view_r,
    struct error *err);
/* The same, with all_headers 1: every header field of the message (and
 * of a message/rfc822 part) as written, in order, decoded and cleaned,
 * instead of Date, From, To, Cc and Subject. */
int mime_render_headers(const char *raw, size_t len,
    const struct mime_render_opts *opts, int all_headers,
    struct mime_view **view_r,
    struct error *err);
void mime_view_free(struct mime_view **view);

/* Writes every line of the view, each followed by '\n', to out: exactly
 * what `postie view` prints. */
void mime_view_text(const struct mime_view *view, struct buf *out);

/*
 * Appends the decoded bytes (transfer encoding undone, charset untouched)
 * of attachment index to out.  Returns 0, or -1 if index is out of range.
 */
int mime_attachment_data(const struct mime_view *view, size_t index,
    struct buf *out, struct error *err);

/*
 * Appends the value of parameter name of attachment index's Content-Type
 * (decoded as mime_param does, NOT cleaned: for a program that checks it,
 * never for a terminal) to out and returns 1, or returns 0 if absent or
 * index is out of range.
 */
int mime_attachment_param(const struct mime_view *view, size_t index,
    const char *name, struct buf *out);

/*
 * A file name safe to create in a folder, from an attachment name: only
 * the last path component ('/' or '\\') is kept; control characters and
 * escape sequences are removed (invalid UTF-8 becomes U+FFFD); leading
 * dots, blanks and dashes and trailing dots and blanks are removed;
 * of ASCII only letters, digits and " ._-+,=@" are kept, every other
 * character (shell metacharacters, quotes, globs, ':') becomes '_';
 * at most 200 bytes (UTF-8 characters kept whole).
 * An empty result becomes "attachment-N" (N = index + 1).
 * Returns a malloc'ed string the caller frees.
 */
char *mime_safe_filename(const char *name, size_t index);


/* ------------------------------------------------------------------ */
/* The MIME parts, one by one (the pager's attachment list).           */

struct mime_partinfo {
	int depth;           /* 0: the message itself; a child is one more */
	const char *type;    /* lower-case "type/subtype" */
	const char *charset; /* the charset label, cleaned, "" if none */
	const char *name;    /* file name, decoded and cleaned, "" if none */
	int attachment;      /* Content-Disposition: attachment */
	int container;       /* multipart/... or message/rfc822: the parts
	                      * under it follow it, one depth deeper */
	size_t size;         /* decoded size in bytes of the part's body */
};

struct mime_parts {
	struct mime_partinfo *v; /* in tree order (depth first) */
	size_t n;
	struct mime_parts_priv *priv; /* private */
};

/*
 * Lists every part of raw[0..len) in tree order, with the limits and the
 * damaged-structure rules of mime_render.  Keeps a private copy of raw.
 * Returns 0 and sets *parts_r (free with mime_parts_free), -1 if raw is
 * NULL.
 */
int mime_parts_parse(const char *raw, size_t len, struct mime_parts **parts_r,
    struct error *err);
void mime_parts_free(struct mime_parts **parts);
/* Appends the decoded bytes (transfer encoding undone, charset untouched)
 * of part i; a container's own body as stored.  0, or -1 out of range. */
int mime_part_data(const struct mime_parts *parts, size_t i, struct buf *out,
    struct error *err);
/*
 * Appends part i as a message of its own, for mime_render to show it
 * alone: a message/rfc822 part is the enclosed message; any other part
 * is its Content-Type and Content-Transfer-Encoding fields (not its
 * disposition: alone, it is the text to show), an empty line and its
 * body as stored.
 * 0, or -1 out of range.
 */
int mime_part_message(const struct mime_parts *parts, size_t i,
    struct buf *out, struct error *err);
/* Appends the value of parameter name of part i's Content-Type (as
 * mime_attachment_param: NOT cleaned) and returns 1; 0 when absent. */
int mime_part_param(const struct mime_parts *parts, size_t i,
    const char *name, struct buf *out);

/* A size as the attachment list writes it ("512 B", "1.5 KB", "2.0 MB"). */
void mime_size_text(size_t n, char *s, size_t len);

/* ------------------------------------------------------------------ */
/* mbox (mboxrd), for saving and piping several messages as one file.  */

/*
 * Appends raw[0..len) as one mboxrd entry: "From SENDER DATE" (SENDER
 * the envelope address, the Return-Path or the first From address, else
 * MAILER-DAEMON, without blanks or controls; DATE in asctime form, UTC,
 * from the Date field, else now), the message with LF line ends and one
 * '>' more before every line that reads ">*From ", a line end if the
 * message lacks one, and an empty line.  now is the fallback date.
 */
void mime_mbox_entry(const char *raw, size_t len, time_t now,
    struct buf *out);

/* ------------------------------------------------------------------ */
/* Building blocks, exported for the cache, the UI and the fuzzers.    */

/*
 * Display width in terminal columns of UTF-8 text (cleaned text from this
 * module).  Uses wcwidth(), which needs a UTF-8 LC_CTYPE locale: the
 * caller sets it (setlocale(LC_CTYPE, "") in main).  Where wcwidth()
 * knows nothing (C locale, or -1 for a printable character), a built-in
 * table is used: CJK, Hangul, fullwidth forms and emoji are 2, combining
 * marks and zero-width characters 0, the rest 1.  Invalid bytes count 1.
 */
size_t mime_width(const char *utf8, size_t len);

/*
 * Decodes an unstructured header value: unfolds, decodes RFC 2047 words
 * (B and Q; adjacent words joined; malformed ones kept as they are),
 * converts 8-bit bytes that are not UTF-8 from assumed_charset (NULL:
 * windows-1252), cleans for display.  Appends to out.
 */
void mime_header_decode(const char *value, size_t len,
    const char *assumed_charset, struct buf *out);

/*
 * Parses an RFC 5322 date (and obsolete forms: two-digit years, missing
 * weekday or seconds, named zones like GMT/EST/PDT, military zones, a
 * missing zone, extra text after it).  Returns 0 and sets *t_r (UTC) and
 * *zone_r (minutes east of UTC), or -1 if it is not a date.
 */
int mime_date_parse(const char *s, size_t len, time_t *t_r, int *zone_r);

/*
 * Converts len bytes in charset (a MIME label; NULL or "" means
 * windows-1252) to UTF-8 appended to out.  Labels are mapped to supersets
 * (us-ascii and iso-8859-1 to windows-1252, gb2312/gbk to GB18030,
 * ks_c_5601-1987/euc-kr to CP949, ...); an unknown charset is treated as
 * windows-1252 if the text is not valid UTF-8.  Invalid bytes become
 * U+FFFD, never dropped.  Returns 1 if the label was known, 0 if not.
 */
int mime_charset_to_utf8(
    const char *charset, const char *s, size_t len, struct buf *out);

/*
 * HTML to plain text (UTF-8 in, UTF-8 out, not yet cleaned): paragraphs,
 * <br>, lists, headings, <pre>, blockquote (as "> "), simple tables (cells
 * separated by " | "), entities (named and numeric), script/style/head
 * dropped, links as "text[N]" with "[N] URL" footnotes appended after the
 * text.  width > 0 wraps paragraphs.  Appends to out.
 */
void mime_html_to_text(
    const char *html, size_t len, int width, struct buf *out);

/*
 * Reads a MIME parameter from a header value such as
 * "attachment; filename*=UTF-8''%E2%82%AC.txt": RFC 2231 continuations
 * (name*0, name*1*, ...), charset and language, and plain or quoted
 * values (RFC 2047 inside quotes is decoded too, as mail clients do).
 * Appends the decoded UTF-8 value (not cleaned) to out and returns 1, or
 * returns 0 if the parameter is absent.  name is ASCII case-insensitive.
 */
int mime_param(
    const char *value, size_t len, const char *name, struct buf *out);

#endif
