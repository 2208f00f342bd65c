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

/* The lines of a header as the first pass saw them, so the second
 * does not look for their ends again (the first LINES_SEEN lines). */
#define LINES_SEEN 64

struct lines {
	struct {
		size_t n, next, nlen; /* nlen 0: a continuation line */
	} v[LINES_SEEN];
	size_t n;
};

/* Where the header at s[pos..len) ends (the value mime_headers_parse
 * returns once past its first line) and how many fields it has. */
static size_t
header_end(const char *s, size_t len, size_t pos, struct lines *ls,
    size_t *nfields_r)
{
	size_t next, n, nlen = 0, nf = 0;

	ls->n = 0;
	while (pos < len) {
		n = line_at(s + pos, len - pos, &next);
		if (n == 0) {
			pos += next;
			break;
		}
		if (s[pos] != ' ' && s[pos] != '\t') {
			if ((nlen = field_name_len(s + pos, n)) == 0)
				break;
			nf++;
		} else
			nlen = 0;
		if (ls->n < LINES_SEEN) {
			ls->v[ls->n].n = n;
			ls->v[ls->n].next = next;
			ls->v[ls->n++].nlen = nlen;
		}
		pos += next;
	}
	*nfields_r = nf;
	return pos;
}

/* Appends a piece of a value at w; leading blanks of the whole value
 * are skipped while *lead.  Returns the end. */
static char *
add_piece(char *w, const char *p, size_t n, int *lead)
{
	if (*lead) {
		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		*lead = n == 0;
	}
	memcpy(w, p, n);
	return w + n;
}

/* Ends the value of f written up to w: trailing blanks trimmed, NUL.
 * Returns where the next name goes. */
static char *
end_value(struct mime_field *f, char *w)
{
	f->vlen = (size_t)(w - f->value);
	while (f->vlen > 0 &&
	    (f->value[f->vlen - 1] == ' ' || f->value[f->vlen - 1] == '\t'))
		f->vlen--;
	f->value[f->vlen] = '\0';
	return f->value + f->vlen + 1;
}

/*
 * Two passes: the first finds the end and counts the fields, so one
 * allocation holds the field array and, after it, every name and value:
 * name and value of a field together are at most its bytes plus one.
 */
size_t
mime_headers_parse(const char *s, size_t len, struct mime_headers *h)
{
	struct mime_field *f = NULL;
	struct lines ls;
	size_t pos = 0, next, n, nlen = 0, k, end, li, nf = 0, vraw = 0;
	char *w;
	int lead = 0;

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
	end = header_end(s, len, pos, &ls, &nf);
	if (nf > MIME_MAX_HEADERS)
		nf = MIME_MAX_HEADERS;
	h->v = xmalloc(nf * sizeof(*h->v) + (end - pos) + 1);
	h->cap = nf;
	w = (char *)(h->v + nf);
	for (li = 0; pos < end; li++) {
		if (li < ls.n) {
			n = ls.v[li].n;
			next = ls.v[li].next;
			nlen = ls.v[li].nlen;
		} else if (ls.n < LINES_SEEN ||
		    (n = line_at(s + pos, len - pos, &next)) == 0)
			break; /* the empty line */
		else if (s[pos] != ' ' && s[pos] != '\t')
			nlen = field_name_len(s + pos, n);
		if (s[pos] == ' ' || s[pos] == '\t') {
			if (f != NULL && vraw < MIME_MAX_HEADER_LEN) {
				size_t room = MIME_MAX_HEADER_LEN - vraw;

				if (n > room)
					n = room;
				w = add_piece(w, s + pos, n, &lead);
				vraw += n;
			}
			pos += next;
			continue;
		}
		if (f != NULL)
			w = end_value(f, w);
		f = NULL;
		if (h->n >= nf)
			break; /* past MIME_MAX_HEADERS: dropped */
		f = &h->v[h->n++];
		f->name = w;
		memcpy(w, s + pos, nlen);
		for (k = nlen; k > 0 && (w[k - 1] == ' ' || w[k - 1] == '\t');)
			k--;
		w[k] = '\0';
		f->nlen = k;
		w += k + 1;
		n -= nlen + 1;
		if (n > MIME_MAX_HEADER_LEN)
			n = MIME_MAX_HEADER_LEN;
		f->value = w;
		lead = 1;
		w = add_piece(w, s + pos + nlen + 1, n, &lead);
		vraw = n;
		pos += next;
	}
	if (f != NULL)
		end_value(f, w);
	return end;
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
	free(h->v); /* names and values live in the same block */
	memset(h, 0, sizeof(*h));
}

void
mime_header_decode(
    const char *value, size_t len, const char *assumed, struct buf *out)
{
	mime_rfc2047_clean(value, len, assumed, out);
}
