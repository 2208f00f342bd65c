/* save: safe file names for attachments (writing them is ui/save.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime_int.h"

#define NAME_MAX_BYTES 200

/*
 * The ASCII kept in a name: nothing a shell, a glob or another system's
 * file names give a meaning to ($ ` ' " \ ; & | < > ( ) { } [ ] * ? ! ~
 * # ^ : and the rest become '_'), as the name may be typed or pasted
 * into a command line.
 */
static int
safe_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == ' ' || c == '.' || c == '_' ||
	    c == '-' || c == '+' || c == ',' || c == '=' || c == '@';
}

char *
mime_safe_filename(const char *name, size_t index)
{
	struct buf clean = BUF_INIT, out = BUF_INIT;
	const char *s, *base;
	size_t i, len;

	str_clean_display(&clean, name ? name : "", name ? strlen(name) : 0, 0);
	s = buf_cstr(&clean);
	/* only the last path component, for both kinds of separator */
	base = s;
	for (i = 0; s[i]; i++)
		if (s[i] == '/' || s[i] == '\\')
			base = s + i + 1;
	while (*base == '.' || *base == ' ' || *base == '-')
		base++;
	len = strlen(base);
	for (i = 0; i < len;) {
		unsigned cp;
		size_t n = (unsigned char)base[i] < 0x80
		    ? 1
		    : str_utf8_decode(
		          (const unsigned char *)base + i, len - i, &cp);

		if (n == 0)
			n = 1;
		if (out.len + n > NAME_MAX_BYTES)
			break;
		if (n == 1 && !safe_ascii(base[i]))
			buf_addch(&out, '_');
		else
			buf_add(&out, base + i, n);
		i += n;
	}
	while (out.len > 0 &&
	    (out.data[out.len - 1] == ' ' || out.data[out.len - 1] == '.'))
		buf_truncate(&out, out.len - 1);
	if (out.len == 0)
		buf_printf(&out, "attachment-%zu", index + 1);
	buf_free(&clean);
	return buf_detach(&out, NULL);
}
