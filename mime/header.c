/* header: RFC 5322 header fields, unfolded. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

/* Length of the line at s (without its LF), and sets *next_r past it. */
static size_t
line_at(const char *s, size_t len, size_t *next_r)
{
	const char *nl = memchr(s, '\n', len);
	size_t n = nl ? (size_t)(nl - s) : len;

	*next_r = nl ? n + 1 : len;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	return n;
}

/* Length of the field name if the line starts a field ("Name:"), else 0. */
static size_t
field_name_len(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 256; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ':')
			break;
		if (c <= ' ' || c >= 0x7f)
			break;
	}
	/* obsolete syntax allows blanks before the colon */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == 0 || i >= n || s[i] != ':')
		return 0;
	return i;
}

static void
add_field(
    struct mime_headers *h, const char *name, size_t nlen, struct buf *val)
{
	struct mime_field *f;
	size_t i = 0;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->v = xreallocarray(h->v, h->cap, sizeof(*h->v));
	}
	f = &h->v[h->n++];
	while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
		nlen--;
	f->name = xstrndup(name, nlen);
	while (i < val->len && (val->data[i] == ' ' || val->data[i] == '\t'))
		i++;
	f->vlen = val->len - i;
	f->value = xmemdup(val->len ? val->data + i : "", f->vlen);
	while (f->vlen > 0 &&
	    (f->value[f->vlen - 1] == ' ' || f->value[f->vlen - 1] == '\t'))
		f->value[--f->vlen] = '\0';
}

size_t
mime_headers_parse(const char *s, size_t len, struct mime_headers *h)
{
	struct buf val = BUF_INIT;
	const char *name = NULL;
	size_t pos = 0, next, n, nlen = 0;

	memset(h, 0, sizeof(*h));
	if (len >= 5 && memcmp(s, "From ", 5) == 0) {
		line_at(s, len, &next);
		pos = next;
	}
	n = line_at(s + pos, len - pos, &next);
	if (n == 0 && pos < len) /* an empty header (a digest entry) */
		return pos + next;
	if (field_name_len(s + pos, n) == 0)
		return 0;
	while (pos < len) {
		n = line_at(s + pos, len - pos, &next);
		if (n == 0) { /* the empty line */
			pos += next;
			break;
		}
		if (s[pos] == ' ' || s[pos] == '\t') {
			if (name != NULL && val.len < MIME_MAX_HEADER_LEN) {
				size_t room = MIME_MAX_HEADER_LEN - val.len;

				buf_add(&val, s + pos, n < room ? n : room);
			}
			pos += next;
			continue;
		}
		if (name != NULL && h->n < MIME_MAX_HEADERS)
			add_field(h, name, nlen, &val);
		name = NULL;
		if ((nlen = field_name_len(s + pos, n)) == 0)
			break; /* not a header line: the body starts here */
		name = s + pos;
		buf_reset(&val);
		n -= nlen + 1;
		buf_add(&val, s + pos + nlen + 1,
		    n < MIME_MAX_HEADER_LEN ? n : MIME_MAX_HEADER_LEN);
		pos += next;
	}
	if (name != NULL && h->n < MIME_MAX_HEADERS)
		add_field(h, name, nlen, &val);
	buf_free(&val);
	return pos;
}

const struct mime_field *
mime_headers_get(const struct mime_headers *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (str_casecmp(h->v[i].name, name) == 0)
			return &h->v[i];
	return NULL;
}

void
mime_headers_free(struct mime_headers *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].value);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}

void
mime_header_decode(
    const char *value, size_t len, const char *assumed, struct buf *out)
{
	struct buf raw = BUF_INIT;

	mime_rfc2047_decode(value, len, assumed, &raw);
	mime_clean(out, buf_cstr(&raw), raw.len, 0);
	buf_free(&raw);
}
