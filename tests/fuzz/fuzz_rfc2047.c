/* Fuzz target: header decoding (RFC 2047 words, 8-bit bytes), address
 * lists and dates.  The decoded text must be clean. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "mime/mime.h"
#include "mime/mime_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_clean(const struct buf *b)
{
	const unsigned char *u = (const unsigned char *)buf_cstr(b);
	size_t i = 0, n;
	unsigned cp;

	while (i < b->len) {
		n = u[i] < 0x80 ? 1 : str_utf8_decode(u + i, b->len - i, &cp);
		if (n == 0 || (n == 1 && (u[i] < 0x20 || u[i] == 0x7f)))
			abort();
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf b = BUF_INIT;
	char *first = NULL;
	time_t t;
	int zone;

	mime_header_decode(s, size, NULL, &b);
	check_clean(&b);
	buf_reset(&b);
	mime_header_decode(s, size, "iso-2022-jp", &b);
	check_clean(&b);
	buf_reset(&b);
	mime_addr_display(s, size, NULL, &b, &first);
	check_clean(&b);
	if (first == NULL)
		abort();
	free(first);
	if (mime_date_parse(s, size, &t, &zone) == 0 &&
	    (zone <= -24 * 60 || zone >= 24 * 60))
		abort();
	buf_free(&b);
	return 0;
}
