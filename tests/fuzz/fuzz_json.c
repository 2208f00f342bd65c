/* Fuzz target: core/json, which reads what a token endpoint or a
 * server's SASL error challenge sends.  Asserts: no crash or over-read;
 * the verdict does not depend on the key asked for (the whole text is
 * checked either way); a value found has no NUL byte; found values are
 * the same when asked twice. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "access_token", "error",
		"expires_in", "status", "a" };
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *s = (const char *)data;
	int first = -2, rc;
	size_t k;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		buf_reset(&a);
		buf_reset(&b);
		rc = json_get(s, size, keys[k], &a);
		if (rc < -1 || rc > 1)
			abort();
		if ((rc < 0) != (first < 0) && first != -2)
			abort();
		first = rc;
		if (rc <= 0 && a.len != 0)
			abort();
		if (rc == 1 && memchr(a.data ? a.data : "", '\0', a.len))
			abort();
		if (json_get(s, size, keys[k], &b) != rc || a.len != b.len ||
		    (a.len && memcmp(a.data, b.data, a.len) != 0))
			abort();
	}
	buf_free(&a);
	buf_free(&b);
	return 0;
}
