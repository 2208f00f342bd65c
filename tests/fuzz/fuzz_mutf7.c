/* Fuzz target: IMAP folder names in modified UTF-7 (net/mutf7).  A name
 * that decodes must encode back to the server's bytes (else commands
 * would name another folder), and both ways the CLI and the screens show
 * it must be free of controls. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "net/mutf7.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The two ways a name is shown: escaped in a record, cleaned on screen. */
static void
check_shown(const struct buf *name)
{
	struct buf e = BUF_INIT, c = BUF_INIT;
	const char *s = name->data ? name->data : "";

	str_escape_field(&e, s, name->len);
	fuzz_assert_clean(buf_cstr(&e), e.len, 0);
	fuzz_assert_unescapes_to(buf_cstr(&e), e.len, s, name->len);
	str_clean_display(&c, s, name->len, 0);
	fuzz_assert_clean(buf_cstr(&c), c.len, 0);
	buf_free(&e);
	buf_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf dec = BUF_INIT, enc = BUF_INIT, back = BUF_INIT;

	/* From the server: mUTF-7 to a name. */
	if (mutf7_decode(s, size, &dec) == 0) {
		check_shown(&dec);
		if (dec.len == 0 || memchr(dec.data, '\0', dec.len) == NULL) {
			if (mutf7_encode(buf_cstr(&dec), dec.len, &enc) < 0 ||
			    enc.len != size ||
			    (size > 0 && memcmp(enc.data, s, size) != 0))
				abort();
		}
	}
	/* From the user: a name to mUTF-7, which must decode to it. */
	buf_reset(&enc);
	if (mutf7_encode(s, size, &enc) == 0) {
		const unsigned char *u = (const unsigned char *)buf_cstr(&enc);
		size_t i;

		for (i = 0; i < enc.len; i++)
			if (u[i] < 0x20 || u[i] >= 0x7F)
				abort();
		if (mutf7_decode(buf_cstr(&enc), enc.len, &back) < 0 ||
		    back.len != size ||
		    (size > 0 && memcmp(back.data, s, size) != 0))
			abort();
	}
	buf_free(&dec);
	buf_free(&enc);
	buf_free(&back);
	return 0;
}
