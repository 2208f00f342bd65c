/* param: MIME header parameters, RFC 2045 and RFC 2231. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "mime/mime_int.h"

#define SECTIONS_MAX 100

struct pscan {
	const char *s;
	size_t len, pos;
};

/* Next "name=value": sets name/nlen and the value (unquoted into val).
 * Returns 0 at the end. */
static int
next_param(struct pscan *p, const char **name, size_t *nlen, struct buf *val)
{
	const char *s = p->s;
	size_t i = p->pos, len = p->len, st;

	for (;;) {
		while (i < len && s[i] != ';' && s[i] != '"')
			i++;
		if (i < len && s[i] == '"') { /* a stray quoted string */
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (i >= len)
			return p->pos = len, 0;
		i++;
		while (i < len &&
		    (s[i] == ' ' || s[i] == '\t' || s[i] == ';' ||
		        s[i] == '\r' || s[i] == '\n'))
			i++;
		st = i;
		while (i < len && s[i] != '=' && s[i] != ';')
			i++;
		*name = s + st;
		*nlen = i - st;
		while (*nlen > 0 &&
		    (s[st + *nlen - 1] == ' ' || s[st + *nlen - 1] == '\t'))
			(*nlen)--;
		if (i >= len || s[i] != '=') {
			p->pos = i;
			continue;
		}
		i++;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		buf_reset(val);
		if (i < len && s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				buf_addch(val, s[i]);
			}
			if (i < len)
				i++;
		} else {
			st = i;
			while (i < len && s[i] != ';')
				i++;
			buf_add(val, s + st, i - st);
			while (val->len > 0 &&
			    (val->data[val->len - 1] == ' ' ||
			        val->data[val->len - 1] == '\t'))
				buf_truncate(val, val->len - 1);
		}
		p->pos = i;
		return 1;
	}
}

void
mime_value_token(const char *value, size_t len, struct buf *out)
{
	size_t i = 0;

	while (i < len && (value[i] == ' ' || value[i] == '\t'))
		i++;
	for (; i < len && value[i] != ';' && value[i] != ' ' &&
	     value[i] != '\t' && value[i] != '(';
	     i++) {
		unsigned char c = (unsigned char)value[i];

		buf_addch(out, c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
}

int
mime_param_raw(const char *value, size_t len, const char *name, struct buf *out)
{
	struct pscan p = {value, len, 0};
	struct buf val = BUF_INIT;
	const char *n;
	size_t nlen, want = strlen(name);

	while (next_param(&p, &n, &nlen, &val))
		if (nlen == want && str_ncasecmp(n, name, want) == 0) {
			buf_add(out, val.data ? val.data : "", val.len);
			buf_free(&val);
			return 1;
		}
	buf_free(&val);
	return 0;
}


static void
pct_decode(const char *s, size_t len, struct buf *out)
{
	size_t i;
	int h1, h2;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (h1 = str_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (h2 = str_hexval((unsigned char)s[i + 2])) >= 0) {
			buf_addch(out, h1 * 16 + h2);
			i += 2;
		} else
			buf_addch(out, s[i]);
	}
}

/* Splits "charset'lang'rest": copies charset, returns offset of rest. */
static size_t
ext_prefix(const char *s, size_t len, char *cs, size_t cslen)
{
	const char *q1 = memchr(s, '\'', len), *q2;
	size_t n;

	cs[0] = '\0';
	if (q1 == NULL)
		return 0;
	q2 = memchr(q1 + 1, '\'', len - (size_t)(q1 + 1 - s));
	if (q2 == NULL)
		return 0;
	n = (size_t)(q1 - s);
	if (n >= cslen)
		n = cslen - 1;
	memcpy(cs, s, n);
	cs[n] = '\0';
	return (size_t)(q2 + 1 - s);
}

int
mime_param(const char *value, size_t len, const char *name, struct buf *out)
{
	struct pscan p = {value, len, 0};
	struct buf val = BUF_INIT, plain = BUF_INIT, raw = BUF_INIT;
	struct buf sect[SECTIONS_MAX];
	unsigned char ext[SECTIONS_MAX];
	char cs[64] = "";
	const char *n;
	size_t nlen, want = strlen(name), i, nsect = 0;
	int have_plain = 0, have_ext = 0, found = 0;

	/* sect[] is zeroed lazily: only indexes below nsect are in use */
	memset(ext, 0, sizeof(ext));
	while (next_param(&p, &n, &nlen, &val)) {
		unsigned long idx;
		char num[8];
		size_t k;

		if (nlen < want || str_ncasecmp(n, name, want) != 0)
			continue;
		if (nlen == want) {
			if (!have_plain)
				buf_add(
				    &plain, val.data ? val.data : "", val.len);
			have_plain = 1;
			continue;
		}
		if (n[want] != '*')
			continue;
		if (nlen == want + 1) { /* name*=charset'lang'value */
			k = ext_prefix(
			    val.data ? val.data : "", val.len, cs, sizeof(cs));
			buf_reset(&raw);
			pct_decode(buf_cstr(&val) + k, val.len - k, &raw);
			have_ext = 1;
			break;
		}
		/* name*N or name*N* */
		k = nlen - want - 1;
		if (k > 0 && n[nlen - 1] == '*')
			k--;
		if (k == 0 || k >= sizeof(num))
			continue;
		memcpy(num, n + want + 1, k);
		num[k] = '\0';
		if (str_to_ulong(num, SECTIONS_MAX - 1, &idx) < 0 ||
		    ext[idx] != 0)
			continue;
		for (; nsect <= idx; nsect++)
			buf_init(&sect[nsect]);
		buf_add(&sect[idx], buf_cstr(&val), val.len);
		ext[idx] = n[nlen - 1] == '*' ? 2 : 1;
	}
	if (!have_ext && nsect > 0 && ext[0] != 0) {
		buf_reset(&raw);
		for (i = 0; i < nsect && ext[i] != 0; i++) {
			const char *d = buf_cstr(&sect[i]);
			size_t k = 0;

			if (i == 0 && ext[0] == 2)
				k = ext_prefix(d, sect[0].len, cs, sizeof(cs));
			if (ext[i] == 2)
				pct_decode(d + k, sect[i].len - k, &raw);
			else
				buf_add(&raw, d, sect[i].len);
		}
		have_ext = 1;
	}
	if (have_ext) {
		mime_text_to_utf8(
		    cs, NULL, raw.data ? raw.data : "", raw.len, out);
		found = 1;
	} else if (have_plain) {
		/* RFC 2047 inside quotes is wrong, and common. */
		mime_rfc2047_decode(
		    plain.data ? plain.data : "", plain.len, NULL, out);
		found = 1;
	}
	for (i = 0; i < nsect; i++)
		buf_free(&sect[i]);
	buf_free(&val);
	buf_free(&plain);
	buf_free(&raw);
	return found;
}
