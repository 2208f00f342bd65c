/*
 * imap_parse: an incremental, bounded parser of IMAP server responses
 * (RFC 9051 / RFC 3501 grammar, read liberally where real servers differ).
 *
 * Model: a value tree per response.  The caller feeds bytes as they arrive;
 * imap_parser_feed() returns 1 when one whole response (its lines and
 * literals) is parsed, 0 when it consumed everything and needs more, -1 on a
 * protocol error or a limit violation (a sentence in err; the parser must
 * then be reset or destroyed).  After 1, *used_r tells how many input bytes
 * belong to the response; the caller feeds the rest again.  The same input
 * gives the same result however it is split (one byte at a time included).
 *
 * The response (imap_parser_resp()) and every string and arg in it are owned
 * by the parser and stay valid until the next feed or reset.  All strings
 * are NUL-terminated (a literal may also contain NULs: use len).  Memory is
 * kept between responses and reused, so a stream of FETCH responses does not
 * allocate per response.
 *
 * Shape of a response:
 *   "* 12 FETCH (UID 7 FLAGS (\Seen))"  kind UNTAGGED, tag "*",
 *       args: ATOM "12" -> ATOM "FETCH" -> LIST(ATOM "UID", ATOM "7",
 *       ATOM "FLAGS", LIST(ATOM "\Seen")); has_num 1, num 12.
 *   "a1 OK [UIDVALIDITY 3] done"  kind TAGGED, tag "a1", status "OK",
 *       code "UIDVALIDITY", code_args: ATOM "3", text "done"; args: ATOM
 *       "OK".  Status responses are OK NO BAD BYE PREAUTH (tagged or not).
 *       A code whose arguments do not parse as values keeps them as one
 *       TEXT arg (the raw bytes up to "]").
 *   "+ dGVzdA=="  kind CONT, text "dGVzdA==".
 * Atoms are read liberally: an atom that contains "[" runs to the matching
 * "]" whatever is inside, so "BODY[HEADER.FIELDS (DATE FROM)]<0>" is one
 * atom; "\Seen", "\*", "1:*" are atoms.  NIL (any case) is IMAP_ARG_NIL.
 * Literals: "{n}", "{n+}" (LITERAL+) and "~{n}" (literal8) must end their
 * line; n is checked against max_literal before anything is stored.
 *
 * Streaming: with a sink set, any literal of at least sink_min bytes is not
 * stored; its bytes go to the sink in the order received (offset counts from
 * 0 to size) and the arg is IMAP_ARG_STREAMED with len = size.  A 20 MB body
 * therefore passes through the caller's read buffer only.  The sink returns 0
 * to continue or -1 to fail the parse ("literal sink failed").
 *
 * Limits (violations are errors, never crashes or unbounded allocations):
 *   max_line      bytes of one line outside literals      (default 1 MiB)
 *   max_literal   bytes of one stored literal            (default 64 MiB)
 *   max_streamed  bytes of one literal sent to the sink    (default 1 GiB)
 *   max_depth     nesting of lists                            (default 64)
 *   max_list      items in one list, or at the top level (default 100000)
 *   max_args      values in one response                 (default 500000)
 *   max_response  stored bytes of one response           (default 80 MiB)
 */
#ifndef POSTIE_NET_IMAP_PARSE_H
#define POSTIE_NET_IMAP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum imap_arg_type {
	IMAP_ARG_NIL,
	IMAP_ARG_ATOM,
	IMAP_ARG_STRING,   /* quoted string, unescaped */
	IMAP_ARG_LITERAL,  /* {n} or ~{n} */
	IMAP_ARG_LIST,
	IMAP_ARG_STREAMED, /* literal handed to the sink: len only */
	IMAP_ARG_TEXT,     /* raw text of an unparsable response code */
};

struct imap_arg {
	enum imap_arg_type type;
	uint32_t count;        /* LIST: number of children */
	size_t len;            /* bytes of str, or streamed literal size */
	const char *str;       /* "" for LIST, NIL and STREAMED */
	struct imap_arg *list; /* LIST: first child, or NULL */
	struct imap_arg *next; /* next sibling, or NULL */
	/* private to the parser */
	uint32_t i_child, i_next;
	size_t i_off;
};

enum imap_resp_kind {
	IMAP_RESP_UNTAGGED,
	IMAP_RESP_TAGGED,
	IMAP_RESP_CONT,
};

struct imap_resp {
	enum imap_resp_kind kind;
	const char *tag;        /* the tag, "*" or "+" */
	struct imap_arg *args;  /* first value after the tag, or NULL */
	uint32_t nargs;         /* number of top-level values */
	int has_num;            /* "* N NAME ...": num is N */
	uint32_t num;
	const char *status;     /* "OK" "NO" "BAD" "BYE" "PREAUTH" or NULL */
	const char *code;       /* response code name, or NULL */
	struct imap_arg *code_args; /* values after the code name, or NULL */
	const char *text;       /* human text (status, CONT), "" if none */
};

struct imap_limits {
	size_t max_line;
	size_t max_literal;
	uint64_t max_streamed;
	unsigned max_depth;
	size_t max_list;
	size_t max_args;
	size_t max_response;
};

/* Literal sink: bytes data[0..len) at offset of a literal of size bytes. */
typedef int imap_sink_fn(void *ctx, uint64_t size, uint64_t offset,
    const void *data, size_t len);

struct imap_parser;

/* Fills lim with the defaults above. */
void imap_limits_default(struct imap_limits *lim);
/* lim may be NULL for the defaults. */
struct imap_parser *imap_parser_new(const struct imap_limits *lim);
void imap_parser_free(struct imap_parser **p);
/* Forgets any partial response and any error (the sink stays). */
void imap_parser_reset(struct imap_parser *p);
/* fn NULL: store every literal. */
void imap_parser_set_sink(struct imap_parser *p, size_t sink_min,
    imap_sink_fn *fn, void *ctx);
/* See the contract above. */
int imap_parser_feed(struct imap_parser *p, const void *data, size_t len,
    size_t *used_r, struct error *err);
/* The last complete response; valid after feed returned 1. */
const struct imap_resp *imap_parser_resp(const struct imap_parser *p);
/* 1 if a response has been started but is not complete yet. */
int imap_parser_busy(const struct imap_parser *p);

/* Helpers over args (all accept NULL). */
/* 1 if arg is an ATOM equal to name (ASCII case-insensitive). */
int imap_arg_is(const struct imap_arg *arg, const char *name);
/* ATOM, STRING, LITERAL or TEXT: its bytes; anything else (NIL too): NULL. */
const char *imap_arg_str(const struct imap_arg *arg);
/* ATOM holding a decimal number <= max: 0 and *v_r, else -1. */
int imap_arg_num(const struct imap_arg *arg, uint64_t max, uint64_t *v_r);
/* The i-th (0-based) sibling starting at arg, or NULL. */
const struct imap_arg *imap_arg_nth(const struct imap_arg *arg, unsigned i);

#endif
