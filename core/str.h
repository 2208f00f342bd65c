/*
 * str: small string helpers shared by every layer.
 *
 * All functions are pure (no I/O).  Functions that build text append to a
 * struct buf (see buf.h); none allocate otherwise unless stated.
 */
#ifndef POSTIE_CORE_STR_H
#define POSTIE_CORE_STR_H

#include <stddef.h>

#include "core/buf.h"

/* ASCII A-Z to a-z, every other value as it is (locale independent). */
static inline int
str_ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* ASCII-only case-insensitive comparisons (locale independent). */
int str_casecmp(const char *a, const char *b);
int str_ncasecmp(const char *a, const char *b, size_t n);
/* 1 if s starts with prefix (case-sensitive / ASCII case-insensitive). */
int str_has_prefix(const char *s, const char *prefix);
int str_has_casefix(const char *s, const char *prefix);
/* Copies src into dst of size dstsize, always NUL-terminating when
 * dstsize > 0.  Returns strlen(src); truncation happened if >= dstsize. */
size_t str_lcpy(char *dst, const char *src, size_t dstsize);
/* Trims ASCII space and tab from both ends in place; returns s. */
char *str_trim(char *s);
/* The value of one hexadecimal digit (either case), or -1. */
int str_hexval(int c);
/* Parses a decimal unsigned integer that must fill all of s, with no sign,
 * at most max.  Returns 0 and sets *v_r, or -1. */
int str_to_ulong(const char *s, unsigned long max, unsigned long *v_r);

/*
 * Appends the UTF-8 text s[0..len) to out, made safe to draw on a terminal:
 * C0 controls (except TAB, and LF when keep_newlines), DEL, C1 controls,
 * ESC sequences, and the bidi controls U+202A..U+202E, U+2066..U+2069,
 * U+200E, U+200F, U+061C are removed or replaced; invalid UTF-8 bytes
 * become U+FFFD.  An ESC starts a sequence that is dropped whole (CSI and
 * OSC included), so no fragment of it is printed.  TAB becomes a space
 * unless keep_newlines (then it is kept).
 */
void str_clean_display(struct buf *out, const char *s, size_t len,
    int keep_newlines);

/*
 * Appends s[0..len) to out as one field of tab-separated output, escaped
 * so that it can hold neither a separator nor anything a terminal acts
 * on: backslash becomes "\\", TAB "\t", LF "\n", CR "\r"; every other C0
 * control, DEL, C1 control (U+0080..U+009F), bidi control (as
 * str_clean_display lists them) and every byte that is not part of valid
 * UTF-8 becomes "\xHH" per byte (lower-case hex).  The result is valid
 * UTF-8 and str_unescape_field() gives s back byte for byte.
 */
void str_escape_field(struct buf *out, const char *s, size_t len);
/* The reverse of str_escape_field: "\\", "\t", "\n", "\r" and "\xHH"
 * (either case) are decoded, any other byte is copied.  Returns 0, or -1
 * (out then holds a partial result) at a backslash that starts none of
 * those. */
int str_unescape_field(struct buf *out, const char *s, size_t len);
/* Appends one record of tab-separated output: the n fields (NUL-terminated
 * strings) each escaped with str_escape_field, joined by TAB, ended by LF.
 * So a record is always exactly one line of exactly n fields. */
void str_tsv_record(struct buf *out, const char *const *fields, size_t n);

/*
 * Decodes one UTF-8 sequence at s (len bytes available).  Returns its length
 * (1..4) and sets *cp_r, or 0 if the bytes are not valid, shortest-form
 * UTF-8 (then *cp_r is 0xFFFD).  len must be > 0.
 */
size_t str_utf8_decode(const unsigned char *s, size_t len, unsigned *cp_r);
/* Appends the UTF-8 encoding of code point cp (invalid ones as U+FFFD). */
void str_utf8_encode(struct buf *out, unsigned cp);

#endif
