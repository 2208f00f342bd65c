/*
 * submit: a finished RFC 5322 message made ready for submission, the way
 * `sendmail -t` reads one (`postie send`, the outbox).
 *
 * mime_submission_prepare() takes the message as the user or a program
 * wrote it and gives:
 *   - the envelope recipients: every address of To, Cc and Bcc, once each
 *     (case of the domain ignored), in that order;
 *   - the message as it goes on the wire: CRLF line ends, every Bcc field
 *     removed (Bcc never leaves the machine), and Date, Message-ID,
 *     MIME-Version and From added when missing (From from default_from);
 *   - the From address, Message-ID and Subject (decoded, cleaned) for the
 *     outbox's records.
 * It refuses, with one sentence, a message that names no recipient, has
 * no From and no default, holds a NUL byte, has a line over 998 octets,
 * or has no header/body boundary where one is needed.  Pure: no I/O, no
 * state; thread-safe.
 */
#ifndef POSTIE_MIME_SUBMIT_H
#define POSTIE_MIME_SUBMIT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "mime/compose.h"

struct mime_submission {
	struct buf msg;              /* the wire message (CRLF) */
	struct mime_addrlist rcpts;  /* envelope recipients */
	char *from;                  /* addr-spec of From */
	char *message_id;            /* "<id>" */
	char *subject;               /* decoded and cleaned, "" if none */
	int eightbit;                /* a byte >= 0x80 somewhere */
};

/* default_from: the account's `from` ("Name <addr>"), or NULL. */
int mime_submission_prepare(const char *raw, size_t len,
    const char *default_from, struct mime_submission *s, struct error *err);
void mime_submission_free(struct mime_submission *s);

/*
 * The wire message msg[0..len) (CRLF) made 7-bit, for a server that
 * lacks 8BITMIME (RFC 6152), appended to out:
 *   - every leaf part with 8-bit bytes is re-encoded from its decoded
 *     bytes: quoted-printable for text parts, base64 for anything else, its
 *     Content-Transfer-Encoding replaced; decoding the result gives back
 *     the original bytes;
 *   - message/rfc822 parts are made 7-bit inside (they may not be
 *     encoded), multiparts part by part; a container's "8bit" or
 *     "binary" becomes "7bit";
 *   - header fields with 8-bit UTF-8: Subject, Comments,
 *     Content-Description and X- fields are written in RFC 2047 encoded
 *     words; address fields (From, To, Cc, Reply-To, Sender, ...) with
 *     their display names encoded (a group becomes its members);
 *   - everything else (7-bit parts, boundaries, field order) is kept
 *     byte for byte; 8-bit bytes in a preamble or epilogue, which no
 *     reader shows, become '?'.
 * Fails with one sentence ("the message cannot be made 7-bit: the
 * address ... has non-ASCII characters (it needs SMTPUTF8)"), out
 * unchanged, on an 8-bit header field that has no 7-bit form (a
 * non-ASCII address, a file name parameter, text that is not UTF-8), a
 * multipart without a boundary, or nesting over MIME_MAX_DEPTH.
 */
int mime_submission_7bit(const char *msg, size_t len, struct buf *out,
    struct error *err);

#endif
