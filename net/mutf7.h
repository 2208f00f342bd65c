/*
 * mutf7: IMAP folder names in modified UTF-7 (RFC 3501 §5.1.3) and UTF-8.
 *
 * Contract: both functions append to out and return 0, or return -1 (out
 * then holds a partial result the caller should discard) when the input is
 * not valid: for mutf7_decode, a name that breaks the RFC's rules (a bare
 * "&" run without "-", base64 that encodes printable ASCII, bad padding
 * bits, broken surrogates, adjacent encoded runs, 8-bit bytes or controls);
 * for mutf7_encode, input that is not valid UTF-8 or that holds NUL.
 * Pure functions, no limits beyond the caller's input length.
 *
 * mutf7_decode is lossless: encoded controls (ESC, BEL, TAB, LF, C1, and
 * U+0000 as a NUL byte) come out as they are, so that a decoded name
 * other than one holding NUL encodes back to the very bytes the server
 * sent.  Its output is a name, never display text: escape it
 * (str_escape_field in core/str.h) before it reaches a terminal.
 */
#ifndef POSTIE_NET_MUTF7_H
#define POSTIE_NET_MUTF7_H

#include <stddef.h>

#include "core/buf.h"

/* Modified UTF-7 -> UTF-8. */
int mutf7_decode(const char *in, size_t len, struct buf *out);
/* UTF-8 -> modified UTF-7. */
int mutf7_encode(const char *in, size_t len, struct buf *out);

#endif
