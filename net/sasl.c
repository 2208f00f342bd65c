/* sasl: see net/sasl.h. */
#include <config.h>

#include "net/sasl.h"

#include <string.h>

#include "core/json.h"

const char *
sasl_mech_name(enum sasl_mech m)
{
	return m == SASL_XOAUTH2 ? "XOAUTH2" : "OAUTHBEARER";
}

static int
carriable(const char *s)
{
	return strpbrk(s, "\001\r\n") == NULL;
}

int
sasl_oauth_initial(struct buf *out, enum sasl_mech m, const char *user,
    const char *host, unsigned port, const char *token)
{
	const char *c;

	if (!carriable(user) || !carriable(token) || !carriable(host))
		return -1;
	if (m == SASL_XOAUTH2) {
		buf_addstr(out, "user=");
		buf_addstr(out, user);
		buf_addstr(out, "\001auth=Bearer ");
		buf_addstr(out, token);
		buf_addstr(out, "\001\001");
		return 0;
	}
	/* RFC 5801 gs2-header: no channel binding, the authzid escaped. */
	buf_addstr(out, "n,a=");
	for (c = user; *c; c++) {
		if (*c == ',')
			buf_addstr(out, "=2C");
		else if (*c == '=')
			buf_addstr(out, "=3D");
		else
			buf_addch(out, *c);
	}
	buf_addstr(out, ",\001host=");
	buf_addstr(out, host);
	buf_printf(out, "\001port=%u\001auth=Bearer ", port);
	buf_addstr(out, token);
	buf_addstr(out, "\001\001");
	return 0;
}

const char *
sasl_oauth_abort(enum sasl_mech m, size_t *len_r)
{
	*len_r = m == SASL_XOAUTH2 ? 0 : 1;
	return m == SASL_XOAUTH2 ? "" : "\001";
}

static const char b64tab[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
sasl_b64_encode(struct buf *out, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k;

	for (k = 0; k + 2 < n; k += 3) {
		unsigned v = (unsigned)s[k] << 16 | (unsigned)s[k + 1] << 8 |
		    s[k + 2];

		buf_addch(out, b64tab[v >> 18]);
		buf_addch(out, b64tab[(v >> 12) & 63]);
		buf_addch(out, b64tab[(v >> 6) & 63]);
		buf_addch(out, b64tab[v & 63]);
	}
	if (k < n) {
		unsigned v = (unsigned)s[k] << 16 |
		    (k + 1 < n ? (unsigned)s[k + 1] << 8 : 0);

		buf_addch(out, b64tab[v >> 18]);
		buf_addch(out, b64tab[(v >> 12) & 63]);
		buf_addch(out, k + 1 < n ? b64tab[(v >> 6) & 63] : '=');
		buf_addch(out, '=');
	}
}

int
sasl_b64_decode(struct buf *out, const char *s, size_t n)
{
	unsigned v = 0, bits = 0;
	size_t i, start = out->len;
	const char *c;

	while (n > 0 && s[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		if (s[i] == '\0' || (c = strchr(b64tab, s[i])) == NULL) {
			buf_truncate(out, start);
			return -1;
		}
		v = (v << 6 | (unsigned)(c - b64tab)) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addch(out, (int)((v >> bits) & 0xff));
		}
	}
	if (bits >= 6) { /* a lone sextet encodes no byte */
		buf_truncate(out, start);
		return -1;
	}
	return 0;
}

enum sasl_oauth_verdict
sasl_oauth_error(const char *b64, size_t n, char *status, size_t size)
{
	struct buf json = BUF_INIT, st = BUF_INIT;
	enum sasl_oauth_verdict v = SASL_OAUTH_OTHER;
	size_t i, k = 0;

	if (size > 0)
		status[0] = '\0';
	if (sasl_b64_decode(&json, b64, n) == 0 && json.len > 0 &&
	    json_get(json.data, json.len, "status", &st) == 1) {
		for (i = 0; i < st.len && k + 1 < size; i++)
			if (st.data[i] > 0x20 && st.data[i] < 0x7f)
				status[k++] = st.data[i];
		if (size > 0)
			status[k] = '\0';
		if (strcmp(buf_cstr(&st), "invalid_token") == 0 ||
		    strcmp(buf_cstr(&st), "401") == 0)
			v = SASL_OAUTH_INVALID;
		else if (strcmp(buf_cstr(&st), "insufficient_scope") == 0 ||
		    strcmp(buf_cstr(&st), "403") == 0)
			v = SASL_OAUTH_SCOPE;
	}
	buf_free(&json);
	buf_free(&st);
	return v;
}
