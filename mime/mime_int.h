/*
 * mime_int: what the modules of mime/ share.  Not for use outside mime/
 * (tests and fuzzers excepted).
 */
#ifndef POSTIE_MIME_INT_H
#define POSTIE_MIME_INT_H

#include <stddef.h>

#include "core/buf.h"
#include "mime/mime.h"

/* header.c: one unfolded field; value points into an owned copy. */
struct mime_field {
	char *name;  /* as written */
	size_t nlen; /* strlen(name) */
	char *value; /* unfolded, CR/LF removed, leading blanks trimmed */
	size_t vlen;
};

struct mime_headers {
	struct mime_field *v;
	size_t n, cap;
};

/*
 * Parses the header at s[0..len).  Returns the offset of the body (after
 * the empty line, or where a line that is no header starts, or len).  A
 * leading mbox "From " line is skipped.  If the first line is empty the
 * header is empty and the body follows it; if it is not a header field
 * the message has no header: returns 0.
 */
size_t mime_headers_parse(const char *s, size_t len, struct mime_headers *h);
/* First field named name (case-insensitive), or NULL. */
const struct mime_field *mime_headers_get(
    const struct mime_headers *h, const char *name);
void mime_headers_free(struct mime_headers *h);

/* addr.c: an address list as display text ("Name <a@b>, c@d"); appends
 * cleaned UTF-8.  If first_r is not NULL, it gets the first addr-spec
 * (malloc'ed, cleaned; "" if none). */
void mime_addr_display(const char *value, size_t len, const char *assumed,
    struct buf *out, char **first_r);
/* Message-ID lists: calls fn for each <id> (without brackets; id[0..len)
 * is not NUL-terminated). */
void mime_msgids(const char *value, size_t len,
    void (*fn)(const char *id, size_t len, void *arg), void *arg);

/* rfc2047.c: decodes encoded words, raw (not cleaned) UTF-8 appended. */
void mime_rfc2047_decode(
    const char *s, size_t len, const char *assumed, struct buf *out);
/* mime_rfc2047_decode then mime_clean: cleaned UTF-8 appended. */
void mime_rfc2047_clean(
    const char *s, size_t len, const char *assumed, struct buf *out);

/* param.c: the raw bytes of parameter name (no decoding beyond quotes);
 * returns 1 if found.  mime_value_token: the first token (type/subtype or
 * disposition) lower-cased into out. */
int mime_param_raw(
    const char *value, size_t len, const char *name, struct buf *out);
void mime_value_token(const char *value, size_t len, struct buf *out);

/* decode.c: transfer decodings, appended to out. */
enum mime_cte { MIME_CTE_8BIT, MIME_CTE_QP, MIME_CTE_BASE64 };
void mime_base64_decode(const char *s, size_t len, struct buf *out);
void mime_qp_decode(const char *s, size_t len, struct buf *out);
void mime_cte_decode(
    enum mime_cte cte, const char *s, size_t len, struct buf *out);

/* write_body.c, write_hdr.c: the writer's encoders, shared with the
 * 7-bit downgrade (submit7.c).  mime_qp_encode: CRLF text to
 * quoted-printable (CRLF kept as hard breaks, lines of at most 76, no
 * line led by "." or "From "); mime_b64_lines: base64 in lines of 76,
 * each ending CRLF; mime_write_addresses: "Field: " and the list, names
 * encoded and folded as the writer writes them (nothing when n is 0). */
void mime_qp_encode(const char *s, size_t len, struct buf *out);
void mime_b64_lines(const char *s, size_t len, struct buf *out);
struct mime_address;
void mime_write_addresses(struct buf *out, const char *field,
    const struct mime_address *v, size_t n);

/* Line limits the writer keeps (RFC 5322 2.1.1: FOLD_AT SHOULD, LINE_MAX
 * MUST).  An ASCII word longer than MIME_RAW_WORD_MAX is encoded, so it
 * can be split: the line "Name: word" must stay under MIME_LINE_MAX_OCT. */
#define MIME_FOLD_AT 78
#define MIME_LINE_MAX_OCT 998
#define MIME_RAW_WORD_MAX 900

static inline int
mime_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* write.c: 1 if s has a line break or control character other than tab. */
int mime_has_control(const char *s);

/* write_hdr.c: header fields, folded at MIME_FOLD_AT.  mime_hw_begin
 * writes "Name:"; mime_hw_add appends the blanks ws and the token tok,
 * folding before them if the line would grow too long; mime_hw_end ends
 * the field with CRLF.  mime_hw_unstructured: a checked, trimmed
 * unstructured value (RFC 2047 words where needed); mime_hw_name_params:
 * param="name" (an ASCII fallback if it must be), then, if ext and the
 * name is not plain ASCII, its RFC 2231 param*= sections;
 * mime_write_ids: "Field: <id> <id>..." (nothing when n is 0).
 * mime_b64_len: base64 length of n octets; mime_b64_encode appends it
 * without line breaks. */
struct mime_hw {
	struct buf *out;
	size_t col; /* octets on the current line */
	int empty;  /* nothing after "Name:" yet */
};
void mime_hw_begin(struct mime_hw *h, struct buf *out, const char *name);
void mime_hw_add(struct mime_hw *h, const char *ws, size_t wslen,
    const char *tok, size_t toklen);
void mime_hw_end(struct mime_hw *h);
void mime_hw_unstructured(struct mime_hw *h, const char *s, size_t len);
void mime_hw_name_params(
    struct mime_hw *h, const char *param, const char *name, int ext);
void mime_write_ids(
    struct buf *out, const char *field, char *const *ids, size_t n);
size_t mime_b64_len(size_t n);
void mime_b64_encode(const unsigned char *s, size_t n, struct buf *out);

/* write_body.c: mime_canonical_text appends s[0..len) with CRLF line
 * ends (format=flowed if flowed), ending in CRLF; mime_encode_text
 * appends CRLF text encoded for the wire and returns the encoding used
 * (0 7bit, 1 8bit (only when eightbit), 2 quoted-printable, 3 base64),
 * which mime_cte_name names for Content-Transfer-Encoding. */
void mime_canonical_text(
    const char *s, size_t len, int flowed, struct buf *out);
int mime_encode_text(
    const char *s, size_t len, int eightbit, struct buf *body);
const char *mime_cte_name(int cte);

/* addrlist.c: 1 if s[0..len) has a byte >= 0x80. */
int mime_has_8bit(const char *s, size_t len);

/* charset.c: text of unknown charset: UTF-8 if valid, else assumed (NULL:
 * windows-1252). */
void mime_text_to_utf8(const char *charset, const char *assumed, const char *s,
    size_t len, struct buf *out);
int mime_utf8_valid(const char *s, size_t len);
/* 1 if mime_charset_to_utf8(charset, s, len) would append s unchanged
 * (0 may also mean "cannot tell cheaply"). */
int mime_charset_same(const char *charset, const char *s, size_t len);

/* flowed.c: RFC 3676 to fixed lines, quote prefix normalised to ">> ". */
void mime_flowed_decode(const char *s, size_t len, int delsp, struct buf *out);

/* html.c: text and link footnote lines ("[N] URL\n") separately. */
void mime_html_render(const char *html, size_t len, int width, struct buf *text,
    struct buf *links);
/* The charset named by a <meta> in the first bytes, or 0. */
int mime_html_meta_charset(const char *html, size_t len, struct buf *out);

/* tree.c: the MIME structure. */
struct mime_part {
	struct mime_headers hdr;
	char *type;     /* lower-case "type/subtype" */
	char *charset;  /* raw label, "" if none */
	char *filename; /* decoded UTF-8 (not cleaned), "" if none */
	int attachment; /* Content-Disposition: attachment */
	int flowed, delsp;
	enum mime_cte cte;
	const char *body; /* still transfer-encoded */
	size_t body_len;
	char *owned; /* decoded message/rfc822 the children point into */
	int depth;
	struct mime_part *child, *next;
};

struct mime_tree {
	struct mime_part *root;
	size_t nparts;
};

/* Parses s[0..len) (which must outlive the tree).  Never fails. */
struct mime_tree *mime_tree_parse(const char *s, size_t len);
void mime_tree_free(struct mime_tree **t);
/* 1 if part is shown as an attachment rather than as text. */
int mime_part_is_attachment(const struct mime_part *p);

/* width.c */
int mime_cp_width(unsigned cp);
/* Appends s[0..len) (one line, no LF) wrapped at blanks to width columns
 * (0: no wrapping), each output line ending in LF; the first line starts
 * with prefix1, the others with prefix2. */
void mime_wrap(const char *s, size_t len, const char *prefix1,
    const char *prefix2, int width, struct buf *out);
/* str_clean_display with a fast path for printable ASCII; same output. */
void mime_clean(struct buf *out, const char *s, size_t len, int keep_newlines);

#endif
