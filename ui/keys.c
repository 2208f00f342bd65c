/* keys: key names <-> key codes. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "ui/keys.h"

static const struct {
	const char *name;
	int key;
} names[] = {
	{ "up", UI_KEY_FN(KEY_UP) },
	{ "down", UI_KEY_FN(KEY_DOWN) },
	{ "left", UI_KEY_FN(KEY_LEFT) },
	{ "right", UI_KEY_FN(KEY_RIGHT) },
	{ "pageup", UI_KEY_FN(KEY_PPAGE) },
	{ "pagedown", UI_KEY_FN(KEY_NPAGE) },
	{ "home", UI_KEY_FN(KEY_HOME) },
	{ "end", UI_KEY_FN(KEY_END) },
	{ "backtab", UI_KEY_FN(KEY_BTAB) },
	{ "backspace", UI_KEY_FN(KEY_BACKSPACE) },
	{ "delete", UI_KEY_FN(KEY_DC) },
	{ "insert", UI_KEY_FN(KEY_IC) },
	{ "enter", '\n' },
	{ "return", '\n' },
	{ "tab", '\t' },
	{ "space", ' ' },
	{ "esc", 27 },
};

static int
ctrl_of(const char *s, int *key_r)
{
	int c = (unsigned char)s[0];

	if (s[0] == '\0' || s[1] != '\0')
		return -1;
	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if (c == '?') {
		*key_r = 127;
		return 0;
	}
	if (c < '@' || c > '_')
		return -1;
	*key_r = UI_KEY_CTRL(c);
	return 0;
}

int
ui_key_parse(const char *s, int *key_r, struct error *err)
{
	char inner[32];
	size_t len = strlen(s), i, n;
	unsigned cp, f;
	int used;

	if (len == 0)
		return error_set(err, "empty key name");
	if (s[0] == '<' && len > 2 && s[len - 1] == '>') {
		if (len - 2 >= sizeof(inner))
			goto bad;
		memcpy(inner, s + 1, len - 2);
		inner[len - 2] = '\0';
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (str_casecmp(inner, names[i].name) == 0) {
				*key_r = names[i].key;
				return 0;
			}
		}
		if ((inner[0] == 'f' || inner[0] == 'F') && inner[1] != '\0' &&
		    sscanf(inner + 1, "%u%n", &f, &used) == 1 &&
		    (size_t)used == strlen(inner + 1) && f >= 1 && f <= 12) {
			*key_r = UI_KEY_FN(KEY_F(f));
			return 0;
		}
		if ((inner[0] == 'C' || inner[0] == 'c') && inner[1] == '-' &&
		    ctrl_of(inner + 2, key_r) == 0)
			return 0;
		goto bad;
	}
	if (len > 2 && (s[0] == 'C') && s[1] == '-')
		return ctrl_of(s + 2, key_r) == 0 ? 0 : error_set(err,
		    "bad key '%s': C- takes one letter", s);
	if (len == 3 && s[0] == 'M' && s[1] == '-' && s[2] > 0x20 &&
	    s[2] < 0x7f) {
		*key_r = UI_KEY_META(s[2]);
		return 0;
	}
	if (len == 2 && s[0] == '^')
		return ctrl_of(s + 1, key_r) == 0 ? 0 : error_set(err,
		    "bad key '%s'", s);
	n = str_utf8_decode((const unsigned char *)s, len, &cp);
	if (n == 0 || n != len || cp < 0x20 || cp == 0x7f)
		goto bad;
	*key_r = (int)cp;
	return 0;
bad:
	{
		struct buf b = BUF_INIT;

		str_clean_display(&b, s, len, 0);
		error_set(err, "bad key '%s'", buf_cstr(&b));
		buf_free(&b);
	}
	return -1;
}

const char *
ui_key_name(int key, char *out, size_t outsize)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* "return" is an alias of "enter": the first wins. */
		if (names[i].key == key) {
			snprintf(out, outsize, "<%s>", names[i].name);
			return out;
		}
	}
	if (UI_KEY_IS_META(key)) {
		snprintf(out, outsize, "M-%c", (char)(key - UI_KEY_META_BASE));
		return out;
	}
	if (UI_KEY_IS_FN(key)) {
		int k = key - UI_KEY_FN_BASE;

		if (k >= KEY_F(1) && k <= KEY_F(12))
			snprintf(out, outsize, "<f%d>", k - KEY_F(0));
		else
			snprintf(out, outsize, "<key%d>", k);
		return out;
	}
	if (key == 127) {
		snprintf(out, outsize, "C-?");
		return out;
	}
	if (key >= 0 && key < 0x20) {
		int c = key + '@';

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		snprintf(out, outsize, "C-%c", c);
		return out;
	}
	str_utf8_encode(&b, (unsigned)key);
	str_lcpy(out, buf_cstr(&b), outsize);
	buf_free(&b);
	return out;
}

int
ui_key_from_curses(int rc, unsigned wch)
{
	if (rc == KEY_CODE_YES) {
		if (wch == KEY_ENTER)
			return '\n';
		return UI_KEY_FN((int)wch);
	}
	if (wch == '\r')
		return '\n';
	return (int)wch;
}
