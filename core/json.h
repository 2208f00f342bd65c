/*
 * json: reads one member of a small JSON object (RFC 8259), enough for
 * OAuth2 token responses (RFC 6749 5.1/5.2), device authorization
 * responses (RFC 8628 3.2) and SASL error challenges (RFC 7628 3.2.2).
 *
 * Contract: the whole text is checked, not only the member asked for:
 * it must be exactly one object (whitespace around it allowed), nested
 * at most JSON_MAX_DEPTH deep, with valid strings (escapes, UTF-8 is
 * passed through, \u0000 and lone surrogates refused).  Hostile input
 * gets -1, never a crash or an over-read.  No allocation besides out.
 */
#ifndef POSTIE_CORE_JSON_H
#define POSTIE_CORE_JSON_H

#include <stddef.h>

#include "core/buf.h"

#define JSON_MAX_DEPTH 32

/*
 * Looks for the top-level member key of the object s[0..n).  When its
 * value is a string, appends the unescaped string to out; a number,
 * true, false or null is appended as written.  Returns 1 when found, 0
 * when the object has no such member (or its value is an object or an
 * array), -1 when s is not one valid JSON object.  The first member of
 * that name counts.
 */
int json_get(const char *s, size_t n, const char *key, struct buf *out);

#endif
