/* mutf7: see mutf7.h. */
#include "net/mutf7.h"

#include <string.h>

#include "core/str.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int
b64val(int c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64, c)) == NULL)
		return -1;
	return (int)(p - b64);
}

static void
put16(struct buf *out, unsigned u, unsigned *bits, unsigned *nbits)
{
	*bits = (*bits << 16) | u;
	*nbits += 16;
	while (*nbits >= 6) {
		*nbits -= 6;
		buf_addch(out, b64[(*bits >> *nbits) & 0x3f]);
	}
}

int
mutf7_encode(const char *in, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0;

	while (i < len) {
		unsigned bits = 0, nbits = 0, cp;
		size_t k;

		if (s[i] >= 0x20 && s[i] < 0x7f) {
			if (s[i] == '&')
				buf_addstr(out, "&-");
			else
				buf_addch(out, s[i]);
			i++;
			continue;
		}
		buf_addch(out, '&');
		while (i < len && !(s[i] >= 0x20 && s[i] < 0x7f)) {
			if (s[i] == 0 || (k = str_utf8_decode(s + i, len - i,
			    &cp)) == 0)
				return -1;
			i += k;
			if (cp >= 0x10000) {
				cp -= 0x10000;
				put16(out, 0xd800 | (cp >> 10), &bits, &nbits);
				put16(out, 0xdc00 | (cp & 0x3ff), &bits, &nbits);
			} else {
				put16(out, cp, &bits, &nbits);
			}
			bits &= 0x3f; /* keep only what is pending */
		}
		if (nbits > 0)
			buf_addch(out, b64[(bits << (6 - nbits)) & 0x3f]);
		buf_addch(out, '-');
	}
	return 0;
}

int
mutf7_decode(const char *in, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0;
	int prev_encoded = 0;

	while (i < len) {
		unsigned bits = 0, nbits = 0, hi = 0, units = 0;

		if (s[i] < 0x20 || s[i] >= 0x7f)
			return -1;
		if (s[i] != '&') {
			buf_addch(out, s[i++]);
			prev_encoded = 0;
			continue;
		}
		i++;
		if (i < len && s[i] == '-') {
			buf_addch(out, '&');
			i++;
			prev_encoded = 0;
			continue;
		}
		if (prev_encoded)
			return -1; /* "&AGE-&AGE-" must have been one run */
		for (; i < len && s[i] != '-'; i++) {
			int v = b64val(s[i]);

			if (v < 0)
				return -1;
			bits = (bits << 6) | (unsigned)v;
			nbits += 6;
			if (nbits >= 16) {
				unsigned u;

				nbits -= 16;
				u = (bits >> nbits) & 0xffff;
				bits &= (1u << nbits) - 1;
				units++;
				if (hi) {
					if (u < 0xdc00 || u > 0xdfff)
						return -1;
					str_utf8_encode(out, 0x10000 +
					    ((hi - 0xd800) << 10) + (u - 0xdc00));
					hi = 0;
				} else if (u >= 0xd800 && u <= 0xdbff) {
					hi = u;
				} else if (u >= 0xdc00 && u <= 0xdfff) {
					return -1;
				} else if (u >= 0x20 && u < 0x7f) {
					return -1; /* must not be encoded */
				} else {
					str_utf8_encode(out, u);
				}
			}
		}
		if (i >= len || units == 0 || hi || nbits >= 6 || bits != 0)
			return -1;
		i++; /* '-' */
		prev_encoded = 1;
	}
	return 0;
}
