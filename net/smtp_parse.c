/* smtp_parse: replies, EHLO keywords and the DATA encoding (pure). */
#include "config.h"

#include <string.h>

#include "core/str.h"
#include "net/smtp.h"

void
smtp_reply_init(struct smtp_reply *r)
{
	memset(r, 0, sizeof(*r));
}

void
smtp_reply_free(struct smtp_reply *r)
{
	buf_free(&r->text);
	smtp_reply_init(r);
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* "x.y.z" (RFC 3463: class 2, 4 or 5, then 1-3 and 1-3 digits) followed
 * by a space or the end; returns its length or 0. */
static size_t
enhanced_len(const char *s, size_t len)
{
	size_t i = 0, part, n;

	if (len < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') ||
	    s[1] != '.')
		return 0;
	i = 2;
	for (part = 0; part < 2; part++) {
		for (n = 0; i < len && is_digit((unsigned char)s[i]); i++)
			n++;
		if (n < 1 || n > 3)
			return 0;
		if (part == 0) {
			if (i >= len || s[i] != '.')
				return 0;
			i++;
		}
	}
	if (i < len && s[i] != ' ')
		return 0;
	return i;
}

int
smtp_reply_feed(struct smtp_reply *r, const char *line, size_t len,
    int enhanced)
{
	const char *t;
	size_t tl, el;
	int code;

	if (r->done) {
		buf_reset(&r->text);
		r->done = 0;
		r->nlines = 0;
		r->code = 0;
		r->enhanced[0] = '\0';
	}
	if (len < 3 || line[0] < '2' || line[0] > '5' ||
	    !is_digit((unsigned char)line[1]) ||
	    !is_digit((unsigned char)line[2]))
		return -1;
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return -1;
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (r->nlines > 0 && code != r->code)
		return -1;
	if (r->nlines >= SMTP_MAX_REPLY_LINES)
		return -1;
	t = len > 4 ? line + 4 : "";
	tl = len > 4 ? len - 4 : 0;
	if (enhanced && (el = enhanced_len(t, tl)) > 0) {
		if (r->nlines == 0 && el < sizeof(r->enhanced)) {
			memcpy(r->enhanced, t, el);
			r->enhanced[el] = '\0';
		}
		t += el;
		tl -= el;
		while (tl > 0 && *t == ' ')
			t++, tl--;
	}
	if (r->nlines > 0)
		buf_addch(&r->text, '\n');
	buf_add(&r->text, t, tl);
	r->code = code;
	r->nlines++;
	if (len > 3 && line[3] == '-')
		return 0;
	r->done = 1;
	return 1;
}

/* The next blank-separated word of s[*i..len), or 0 at the end. */
static size_t
word(const char *s, size_t len, size_t *i, const char **w_r)
{
	size_t start;

	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
	start = *i;
	while (*i < len && s[*i] != ' ' && s[*i] != '\t')
		(*i)++;
	*w_r = s + start;
	return *i - start;
}

static int
word_is(const char *w, size_t n, const char *name)
{
	return strlen(name) == n && str_ncasecmp(w, name, n) == 0;
}

static void
auth_mechs(const char *s, size_t len, size_t i, struct smtp_caps *caps)
{
	const char *w;
	size_t n;

	caps->ext |= SMTP_EXT_AUTH;
	while ((n = word(s, len, &i, &w)) > 0) {
		if (word_is(w, n, "PLAIN"))
			caps->auth |= SMTP_AUTH_PLAIN;
		else if (word_is(w, n, "LOGIN"))
			caps->auth |= SMTP_AUTH_LOGIN;
		else if (word_is(w, n, "OAUTHBEARER"))
			caps->auth |= SMTP_AUTH_OAUTHBEARER;
		else if (word_is(w, n, "XOAUTH2"))
			caps->auth |= SMTP_AUTH_XOAUTH2;
		else
			caps->auth |= SMTP_AUTH_OTHER;
	}
}

static void
ehlo_line(const char *s, size_t len, struct smtp_caps *caps)
{
	static const struct {
		const char *name;
		unsigned bit;
	} plain[] = {
		{ "STARTTLS", SMTP_EXT_STARTTLS },
		{ "PIPELINING", SMTP_EXT_PIPELINING },
		{ "8BITMIME", SMTP_EXT_8BITMIME },
		{ "SMTPUTF8", SMTP_EXT_SMTPUTF8 },
		{ "ENHANCEDSTATUSCODES", SMTP_EXT_ENHANCEDSTATUSCODES },
		{ "DSN", SMTP_EXT_DSN },
		{ "CHUNKING", SMTP_EXT_CHUNKING },
	};
	const char *w;
	size_t i = 0, n, k;

	if ((n = word(s, len, &i, &w)) == 0)
		return;
	for (k = 0; k < sizeof(plain) / sizeof(plain[0]); k++)
		if (word_is(w, n, plain[k].name)) {
			caps->ext |= plain[k].bit;
			return;
		}
	if (word_is(w, n, "AUTH")) {
		auth_mechs(s, len, i, caps);
	} else if (n > 5 && str_ncasecmp(w, "AUTH=", 5) == 0) {
		/* The pre-RFC 4954 form some servers still print. */
		auth_mechs(s, len, (size_t)(w - s) + 5, caps);
	} else if (word_is(w, n, "SIZE")) {
		char num[24];
		unsigned long long v = 0;
		size_t d;

		caps->ext |= SMTP_EXT_SIZE;
		caps->size_max = 0;
		if ((n = word(s, len, &i, &w)) == 0 || n >= sizeof(num))
			return;
		for (d = 0; d < n; d++) {
			if (!is_digit((unsigned char)w[d]))
				return;
			num[d] = w[d];
		}
		num[n] = '\0';
		for (d = 0; d < n; d++) {
			if (v > (UINT64_MAX - 9) / 10)
				return; /* absurd: treat as no limit */
			v = v * 10 + (unsigned)(num[d] - '0');
		}
		caps->size_max = v;
	}
}

void
smtp_ehlo_parse(const struct smtp_reply *r, struct smtp_caps *caps)
{
	const char *s = r->text.data ? r->text.data : "";
	size_t len = r->text.len, i = 0;
	int first = 1;

	memset(caps, 0, sizeof(*caps));
	while (i <= len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (s + i)) : len - i;

		if (!first)
			ehlo_line(s + i, n, caps);
		first = 0;
		i += n + 1;
	}
}

/* The next line of msg at *pos (its end excluded) into *p_r, *n_r;
 * 0 at the end.  A line ends with CRLF, LF, or a CR alone; an empty
 * last line (after the last line end) does not count. */
static int
next_line(const char *msg, size_t len, size_t *pos, const char **p_r,
    size_t *n_r)
{
	size_t i = *pos, j = i;

	if (i >= len)
		return 0;
	while (j < len && msg[j] != '\n' && msg[j] != '\r')
		j++;
	*p_r = msg + i;
	*n_r = j - i;
	if (j < len && msg[j] == '\r' && j + 1 < len && msg[j + 1] == '\n')
		j++;
	*pos = j + 1;
	return 1;
}

void
smtp_body_scan(const char *msg, size_t len, struct smtp_body_info *info)
{
	const char *p;
	size_t n, k, pos = 0;
	int in_header = 1;

	memset(info, 0, sizeof(*info));
	while (next_line(msg, len, &pos, &p, &n)) {
		info->lines++;
		if (n > SMTP_MAX_TEXT_LINE && info->long_line == 0)
			info->long_line = info->lines;
		if (n == 0)
			in_header = 0;
		for (k = 0; k < n; k++) {
			unsigned char c = (unsigned char)p[k];

			if (c >= 0x80) {
				info->eight_bit = 1;
				if (in_header)
					info->header_8bit = 1;
			} else if (c == 0 && info->nul_line == 0) {
				info->nul_line = info->lines;
			}
		}
		info->wire_len += n + 2 + (n > 0 && p[0] == '.');
	}
}

void
smtp_body_encode(const char *msg, size_t len, struct buf *out)
{
	const char *p;
	size_t n, pos = 0;

	while (next_line(msg, len, &pos, &p, &n)) {
		if (n > 0 && p[0] == '.')
			buf_addch(out, '.');
		buf_add(out, p, n);
		buf_add(out, "\r\n", 2);
	}
}

int
smtp_addr_ok(const char *addr, int empty_ok, int *utf8_r)
{
	size_t n = strlen(addr), i;

	*utf8_r = 0;
	if (n == 0)
		return empty_ok;
	if (n > 254)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)addr[i];

		if (c <= ' ' || c == 0x7F || c == '<' || c == '>')
			return 0;
		if (c >= 0x80)
			*utf8_r = 1;
	}
	return 1;
}
