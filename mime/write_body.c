/* write_body: text bodies as the writer writes them: CRLF line ends,
 * format=flowed (RFC 3676), and the transfer encoding (7bit, 8bit,
 * quoted-printable or base64, whichever the text needs and is shortest).
 * Split from write.c, which builds the parts and assembles the message;
 * the shared helpers are declared in mime/mime_int.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "mime/mime_int.h"

/* Quote depth as render.c reads it: '>'s, single blanks between. */
static size_t
quote_prefix(const char *s, size_t len, int *depth_r)
{
	size_t i = 0, end = 0;
	int d = 0;

	while (i < len && s[i] == '>') {
		d++;
		end = ++i;
		if (i < len && s[i] == ' ')
			i++;
	}
	*depth_r = d;
	return d > 0 && end < len && s[end] == ' ' ? end + 1 : end;
}

static void
flowed_piece(struct buf *out, int depth, const char *s, size_t n)
{
	int k;

	for (k = 0; k < depth; k++)
		buf_addch(out, '>');
	if (depth > 0 || (n > 0 && (s[0] == ' ' || s[0] == '>')) ||
	    (n >= 5 && memcmp(s, "From ", 5) == 0))
		buf_addch(out, ' ');
	buf_add(out, s, n);
	buf_add(out, "\r\n", 2);
}

/* One line (no line end) as format=flowed lines. */
static void
flowed_line(const char *l, size_t n, struct buf *out)
{
	size_t p, width, pos = 0;
	int depth;

	if (n == 3 && memcmp(l, "-- ", 3) == 0) {
		buf_add(out, "-- \r\n", 5);
		return;
	}
	p = quote_prefix(l, n, &depth);
	l += p;
	n -= p;
	while (n > 0 && mime_is_blank(l[n - 1]))
		n--;
	width = MIME_FOLD_AT - (size_t)depth - 1;
	while (n - pos > width) {
		size_t k = pos + width, cut = 0;

		/* after the last blank that keeps the line within width */
		while (k > pos + 1 && l[k - 1] != ' ')
			k--;
		if (k > pos + 1)
			cut = k;
		else { /* a long word: to the next blank */
			for (k = pos + width; k < n && l[k] != ' '; k++)
				;
			if (k >= n)
				break;
			cut = k + 1;
		}
		/* a soft line "-- " would read as the signature marker */
		if (cut - pos == 3 && memcmp(l + pos, "-- ", 3) == 0) {
			for (k = cut; k < n && l[k] != ' '; k++)
				;
			if (k >= n)
				break;
			cut = k + 1;
		}
		flowed_piece(out, depth, l + pos, cut - pos);
		pos = cut;
	}
	flowed_piece(out, depth, l + pos, n - pos);
}

/* The text with CRLF line ends (flowed when asked), ending in CRLF. */
void
mime_canonical_text(const char *s, size_t len, int flowed, struct buf *out)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (s + pos)) : len - pos;
		size_t next = nl ? pos + n + 1 : len;

		if (n > 0 && s[pos + n - 1] == '\r')
			n--;
		if (flowed)
			flowed_line(s + pos, n, out);
		else {
			buf_add(out, s + pos, n);
			buf_add(out, "\r\n", 2);
		}
		pos = next;
	}
}

/* What a CRLF text needs: 8-bit bytes, a line over 998, a lone CR. */
struct shape {
	int eight, longline, lonecr, nul;
};

static struct shape
text_shape(const char *s, size_t len)
{
	struct shape sh = {0, 0, 0, 0};
	size_t i, col = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
			col = 0;
			i++;
			continue;
		}
		if (c == '\n' || c == '\r')
			sh.lonecr = 1;
		if (c == 0)
			sh.nul = 1;
		if (c >= 0x80)
			sh.eight = 1;
		if (++col > MIME_LINE_MAX_OCT)
			sh.longline = 1;
	}
	return sh;
}

void
mime_qp_encode(const char *s, size_t len, struct buf *out)
{
	size_t i, col = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[4];
		size_t n;
		int eol = i + 1 >= len ||
		    (s[i + 1] == '\r' && i + 2 < len && s[i + 2] == '\n');

		if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
			buf_add(out, "\r\n", 2);
			col = 0;
			i++;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=' &&
		        !(col == 0 && c == 'F' && i + 5 <= len &&
		            memcmp(s + i, "From ", 5) == 0) &&
		        !(col == 0 && c == '.')) ||
		    (mime_is_blank((char)c) && !eol)) {
			e[0] = (char)c;
			n = 1;
		} else {
			snprintf(e, sizeof(e), "=%02X", c);
			n = 3;
		}
		/* 76 characters a line, the soft break's '=' included */
		if (col + n > 75 && !(eol && col + n <= 76)) {
			buf_add(out, "=\r\n", 3);
			col = 0;
			/* nor may "." or "From " lead the new line */
			if (n == 1 && (c == '.' ||
			                  (c == 'F' && i + 5 <= len &&
			                      memcmp(s + i, "From ", 5) == 0))) {
				snprintf(e, sizeof(e), "=%02X", c);
				n = 3;
			}
		}
		buf_add(out, e, n);
		col += n;
	}
}

void
mime_b64_lines(const char *s, size_t len, struct buf *out)
{
	size_t i;

	for (i = 0; i < len; i += 57) {
		mime_b64_encode((const unsigned char *)s + i,
		    len - i < 57 ? len - i : 57, out);
		buf_add(out, "\r\n", 2);
	}
}

static size_t
b64_size(size_t n)
{
	return mime_b64_len(n) + (n + 56) / 57 * 2;
}

const char *
mime_cte_name(int cte)
{
	return cte == 0 ? "7bit" : cte == 1 ? "8bit" : cte == 2
	        ? "quoted-printable"
	        : "base64";
}

/* Encodes CRLF text for the wire: 7bit, 8bit, QP or base64. */
int
mime_encode_text(const char *s, size_t len, int eightbit, struct buf *body)
{
	struct shape sh = text_shape(s, len);
	struct buf qp = BUF_INIT;

	if (!sh.eight && !sh.longline && !sh.lonecr && !sh.nul) {
		buf_add(body, s, len);
		return 0;
	}
	if (eightbit && !sh.longline && !sh.lonecr && !sh.nul) {
		buf_add(body, s, len);
		return 1;
	}
	mime_qp_encode(s, len, &qp);
	if (qp.len <= b64_size(len)) {
		buf_add(body, qp.data, qp.len);
		buf_free(&qp);
		return 2;
	}
	buf_free(&qp);
	mime_b64_lines(s, len, body);
	return 3;
}
