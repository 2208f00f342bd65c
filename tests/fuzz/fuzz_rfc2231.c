/* Fuzz target: MIME parameters (RFC 2231 continuations and charsets,
 * quoted strings, RFC 2047 in quotes) and the safe file name made of
 * the result. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
	    "filename", "name", "charset", "boundary", "title", "url"};
	const char *s = (const char *)data;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *safe;

		buf_reset(&b);
		mime_param(s, size, names[i], &b);
		safe = mime_safe_filename(buf_cstr(&b), i);
		if (safe[0] == '\0' || safe[0] == '.' || safe[0] == '-' ||
		    strlen(safe) > 200 ||
		    strpbrk(safe, "/\\$`'\"();&|<>*?!~#{}[]^:%\t\n\r") !=
		    NULL)
			abort();
		free(safe);
		buf_reset(&b);
		mime_param_raw(s, size, names[i], &b);
	}
	buf_reset(&b);
	mime_value_token(s, size, &b);
	buf_free(&b);
	return 0;
}
