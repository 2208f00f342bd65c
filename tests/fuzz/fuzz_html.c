/* Fuzz target: HTML to text, at a few widths; the output must be valid
 * UTF-8 when the input is. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mime/mime.h"
#include "mime/mime_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int widths[] = {0, 1, 80};
	const char *s = (const char *)data;
	int valid = mime_utf8_valid(s, size);
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < 3; i++) {
		buf_reset(&b);
		mime_html_to_text(s, size, widths[i], &b);
		if (valid && !mime_utf8_valid(buf_cstr(&b), b.len))
			abort();
	}
	buf_free(&b);
	return 0;
}
