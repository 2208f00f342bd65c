/* Shared helpers of the IMAP parser unit tests. */
#ifndef POSTIE_TESTS_CHECK_IMAP_H
#define POSTIE_TESTS_CHECK_IMAP_H

#include <stddef.h>

#include <check.h>

#include "net/imap_parse.h"

/*
 * Parses all of in[0..len) fed in pieces of step bytes (0: all at once) and
 * returns a malloc'ed dump of every response and the final verdict.
 */
char *imap_test_dump(const char *in, size_t len, size_t step,
    const struct imap_limits *lim);
/*
 * Parses the first response of the string s (whole), asserts it completed
 * and used all of s, asserts the dumps fed whole, by 1 and by 3 bytes are
 * equal, and returns the response (valid until the next call).
 */
const struct imap_resp *imap_test_one(const char *s);
/* Asserts that s (fed whole and byte by byte) fails with a message that
 * contains want. */
void imap_test_fails(const char *s, size_t len,
    const struct imap_limits *lim, const char *want);

Suite *imap_quirks_suite(void);

#endif
