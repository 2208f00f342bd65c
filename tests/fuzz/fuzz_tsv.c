/* Fuzz target: the tab-separated writer of the CLI (str_tsv_record and
 * str_escape_field).  The input is split into fields at NUL bytes (a
 * field is a C string); the record must be one line of exactly that many
 * fields, free of controls, each reading back to its field. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FIELDS 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *fields[MAX_FIELDS];
	size_t n = 0, i, start, k, tabs = 0;
	struct buf rec = BUF_INIT, esc = BUF_INIT;
	char *copy = xmalloc(size + 1);
	const char *p, *end;

	/* One field holding everything, NUL bytes included. */
	str_escape_field(&esc, (const char *)data, size);
	fuzz_assert_clean(buf_cstr(&esc), esc.len, 0);
	fuzz_assert_unescapes_to(buf_cstr(&esc), esc.len, (const char *)data,
	    size);

	memcpy(copy, data, size);
	copy[size] = '\0';
	for (start = 0; start <= size && n < MAX_FIELDS; n++) {
		fields[n] = copy + start;
		start += strlen(copy + start) + 1;
	}
	str_tsv_record(&rec, fields, n);
	if (rec.len == 0 || rec.data[rec.len - 1] != '\n')
		abort();
	/* TAB and LF only as separators: counted next. */
	fuzz_assert_clean(rec.data, rec.len, 1);
	for (i = 0; i + 1 < rec.len; i++) {
		if (rec.data[i] == '\n')
			abort();
		tabs += rec.data[i] == '\t';
	}
	if (tabs != n - 1)
		abort();
	/* Field k reads back to what was given. */
	p = rec.data;
	for (k = 0; k < n; k++) {
		end = memchr(p, k + 1 < n ? '\t' : '\n',
		    rec.len - (size_t)(p - rec.data));
		if (end == NULL)
			abort();
		fuzz_assert_unescapes_to(p, (size_t)(end - p), fields[k],
		    strlen(fields[k]));
		p = end + 1;
	}
	buf_free(&rec);
	buf_free(&esc);
	free(copy);
	return 0;
}
