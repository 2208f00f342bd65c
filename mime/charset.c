/* charset: MIME charset labels to UTF-8 through iconv. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/str.h"
#include "mime/mime_int.h"

/* Labels decoded as a superset, as mail clients and browsers do: the
 * label is usually a lie about the smaller set. */
static const struct {
	const char *label, *iconv;
} aliases[] = {
    {"us-ascii", "WINDOWS-1252"},
    {"ascii", "WINDOWS-1252"},
    {"ansi_x3.4-1968", "WINDOWS-1252"},
    {"iso-8859-1", "WINDOWS-1252"},
    {"iso8859-1", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"latin-1", "WINDOWS-1252"},
    {"l1", "WINDOWS-1252"},
    {"cp819", "WINDOWS-1252"},
    {"iso-ir-100", "WINDOWS-1252"},
    {"cp1252", "WINDOWS-1252"},
    {"x-cp1252", "WINDOWS-1252"},
    {"windows-1252", "WINDOWS-1252"},
    {"iso-8859-9", "WINDOWS-1254"},
    {"latin5", "WINDOWS-1254"},
    {"iso-8859-11", "WINDOWS-874"},
    {"tis-620", "WINDOWS-874"},
    {"gb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},
    {"cp936", "GB18030"},
    {"euc-cn", "GB18030"},
    {"gb_2312-80", "GB18030"},
    {"chinese", "GB18030"},
    {"ks_c_5601-1987", "CP949"},
    {"ks_c_5601", "CP949"},
    {"ksc5601", "CP949"},
    {"euc-kr", "CP949"},
    {"korean", "CP949"},
    {"big5", "BIG5-HKSCS"},
    {"x-x-big5", "BIG5-HKSCS"},
    {"shift_jis", "CP932"},
    {"shift-jis", "CP932"},
    {"sjis", "CP932"},
    {"x-sjis", "CP932"},
    {"ms_kanji", "CP932"},
    {"windows-31j", "CP932"},
    {"csshiftjis", "CP932"},
    {"iso-2022-jp", "ISO-2022-JP-2"},
    {"euc-jp", "EUC-JP-MS"},
    {"iso-8859-8-i", "ISO-8859-8"},
    {"macintosh", "MACINTOSH"},
    {"x-mac-roman", "MACINTOSH"},
    {"unicode-1-1-utf-7", "UTF-7"},
    {"utf8", "UTF-8"},
};

/* Charsets whose ASCII bytes do not mean ASCII. */
static int
ascii_unsafe(const char *label)
{
	return str_has_casefix(label, "utf-7") ||
	    str_has_casefix(label, "utf-16") ||
	    str_has_casefix(label, "utf-32") || str_has_casefix(label, "ucs") ||
	    str_has_casefix(label, "hz") ||
	    str_has_casefix(label, "unicode-1-1-utf-7");
}

static void
utf8_copy(const char *str, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0, n;
	unsigned cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = str_utf8_decode(s + i, len - i, &cp)) > 0) {
			i += n;
			continue;
		}
		buf_add(out, str + start, i - start);
		str_utf8_encode(out, 0xFFFD);
		start = ++i;
	}
	buf_add(out, str + start, i - start);
}

int
mime_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = str_utf8_decode(s + i, len - i, &cp)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

static int
plain_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == 0x1b)
			return 0;
	return 1;
}

/* Normalises a label (trim, quotes, lower case) into buf of size n. */
static void
norm_label(const char *label, char *buf, size_t n)
{
	size_t i = 0;

	while (*label == ' ' || *label == '"' || *label == '\'')
		label++;
	for (; *label && i + 1 < n; label++) {
		unsigned char c = (unsigned char)*label;

		if (c == '"' || c == ' ' || c == ';' || c == '\'')
			break;
		buf[i++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	buf[i] = '\0';
}

static const char *
iconv_name(const char *norm)
{
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].label, norm) == 0)
			return aliases[i].iconv;
	return norm;
}

/*
 * A pool of open descriptors: glibc loads a gconv module on iconv_open and
 * unloads it on the last iconv_close, which made opening one per text the
 * main cost of rendering.  A descriptor is used by one thread at a time
 * (taken from the pool, put back after use).
 */
#define POOL_SIZE 16

static struct {
	char name[32];
	iconv_t cd;
	int used, busy;
} pool[POOL_SIZE];
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static iconv_t
cd_get(const char *name)
{
	iconv_t cd = (iconv_t)-1;
	size_t i;

	pthread_mutex_lock(&pool_lock);
	for (i = 0; i < POOL_SIZE; i++)
		if (pool[i].used && !pool[i].busy &&
		    strcmp(pool[i].name, name) == 0) {
			pool[i].busy = 1;
			cd = pool[i].cd;
			break;
		}
	pthread_mutex_unlock(&pool_lock);
	if (cd != (iconv_t)-1) {
		iconv(cd, NULL, NULL, NULL, NULL); /* initial shift state */
		return cd;
	}
	return iconv_open("UTF-8", name);
}

static void
cd_put(const char *name, iconv_t cd)
{
	size_t i, free_slot = POOL_SIZE;

	pthread_mutex_lock(&pool_lock);
	for (i = 0; i < POOL_SIZE; i++) {
		if (pool[i].used && pool[i].cd == cd) {
			pool[i].busy = 0;
			pthread_mutex_unlock(&pool_lock);
			return;
		}
		if (!pool[i].used && free_slot == POOL_SIZE)
			free_slot = i;
	}
	if (free_slot < POOL_SIZE && strlen(name) < sizeof(pool[0].name)) {
		str_lcpy(pool[free_slot].name, name, sizeof(pool[0].name));
		pool[free_slot].cd = cd;
		pool[free_slot].used = 1;
		pool[free_slot].busy = 0;
		cd = (iconv_t)-1;
	}
	pthread_mutex_unlock(&pool_lock);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
}

/* Returns -1 if iconv does not know the charset. */
static int
iconv_to_utf8(const char *name, const char *s, size_t len, struct buf *out)
{
	iconv_t cd = cd_get(name);
	char *in = (char *)(uintptr_t)s, tmp[8192], *o;
	size_t inleft = len, oleft, r;

	if (cd == (iconv_t)-1)
		return -1;
	while (inleft > 0) {
		o = tmp;
		oleft = sizeof(tmp);
		r = iconv(cd, &in, &inleft, &o, &oleft);
		buf_add(out, tmp, (size_t)(o - tmp));
		if (r == (size_t)-1 && errno != E2BIG) {
			/* EILSEQ or a truncated sequence: one byte, one U+FFFD
			 */
			str_utf8_encode(out, 0xFFFD);
			in++;
			inleft--;
		}
	}
	o = tmp;
	oleft = sizeof(tmp);
	iconv(cd, NULL, NULL, &o, &oleft);
	buf_add(out, tmp, (size_t)(o - tmp));
	cd_put(name, cd);
	return 0;
}

int
mime_charset_to_utf8(
    const char *charset, const char *s, size_t len, struct buf *out)
{
	char norm[64];
	const char *name;

	norm_label(charset ? charset : "", norm, sizeof(norm));
	if (norm[0] == '\0')
		str_lcpy(norm, "windows-1252", sizeof(norm));
	if (strcmp(norm, "utf-8") == 0) { /* the common label, no lookups */
		utf8_copy(s, len, out);
		return 1;
	}
	if (!ascii_unsafe(norm) && plain_ascii(s, len)) {
		buf_add(out, s, len);
		return 1;
	}
	name = iconv_name(norm);
	if (strcmp(name, "UTF-8") == 0 || strcmp(name, "utf-8") == 0) {
		utf8_copy(s, len, out);
		return 1;
	}
	if (iconv_to_utf8(name, s, len, out) == 0)
		return 1;
	if (mime_utf8_valid(s, len))
		buf_add(out, s, len);
	else
		iconv_to_utf8("WINDOWS-1252", s, len, out);
	return 0;
}

int
mime_charset_same(const char *charset, const char *s, size_t len)
{
	char norm[64];

	norm_label(charset ? charset : "", norm, sizeof(norm));
	if (strcmp(norm, "utf-8") == 0)
		return mime_utf8_valid(s, len);
	if (norm[0] == '\0')
		str_lcpy(norm, "windows-1252", sizeof(norm));
	return !ascii_unsafe(norm) && plain_ascii(s, len);
}

void
mime_text_to_utf8(const char *charset, const char *assumed, const char *s,
    size_t len, struct buf *out)
{
	char norm[64];

	norm_label(charset ? charset : "", norm, sizeof(norm));
	/* Text labelled ASCII with 8-bit bytes is mislabelled; UTF-8 is
	 * what it then is, nearly always. */
	if (norm[0] != '\0' && strcmp(norm, "us-ascii") != 0 &&
	    strcmp(norm, "ascii") != 0) {
		mime_charset_to_utf8(norm, s, len, out);
		return;
	}
	if (plain_ascii(s, len)) {
		buf_add(out, s, len);
		return;
	}
	if ((norm[0] != '\0' || assumed == NULL || *assumed == '\0') &&
	    mime_utf8_valid(s, len)) {
		buf_add(out, s, len);
		return;
	}
	mime_charset_to_utf8(norm[0] ? norm : assumed, s, len, out);
}
