/*
 * pattern_fn: the text side of cache/pattern.c: words cut as FTS5's
 * unicode61 tokenizer cuts them, and the SQL functions a compiled pattern
 * calls (postie_phrase, postie_body, postie_body_has, postie_regexp),
 * registered on the connection at each run (doc/HACKING.md, Patterns).
 */
#include "config.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cache/pattern_int.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"

/* --- words, as the FTS5 tokenizer (unicode61) cuts them --- */

/*
 * True for a code point unicode61 treats as a separator: ASCII that is
 * not a letter or digit, Latin-1 punctuation and symbols, general and
 * CJK punctuation.  Other letters of other scripts are word characters.
 */
static int
separator(unsigned cp)
{
	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z'));
	if (cp < 0xc0)
		return cp != 0xaa && cp != 0xb5 && cp != 0xba &&
		    !(cp >= 0xb2 && cp <= 0xb3) && cp != 0xb9 &&
		    !(cp >= 0xbc && cp <= 0xbe);
	return cp == 0xd7 || cp == 0xf7 || (cp >= 0x2000 && cp <= 0x206f) ||
	    (cp >= 0x2e00 && cp <= 0x2e7f) || (cp >= 0x3000 && cp <= 0x303f) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff0f);
}

/* Lower case and, for Latin-1 letters, the letter without its accent:
 * what remove_diacritics makes of them, closely enough to compare. */
static unsigned
fold(unsigned cp)
{
	static const char latin1[] = "aaaaaaaceeeeiiii" "dnooooo ouuuuyts"
	    "aaaaaaaceeeeiiii" "dnooooo ouuuuyty";

	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xc0 && cp <= 0xff && latin1[cp - 0xc0] != ' ')
		return (unsigned char)latin1[cp - 0xc0];
	return cp;
}

/* An ASCII letter or digit: part of a word. */
#define ASCII_WORD(c) (((c) >= '0' && (c) <= '9') || \
	(((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'z'))

/* Code point at u[*pos] (a bad byte reads as U+FFFD), *pos moved on. */
static unsigned
code_point(const unsigned char *u, size_t len, size_t *pos)
{
	unsigned cp;
	size_t k;

	if (u[*pos] < 0x80)
		return u[(*pos)++];
	k = str_utf8_decode(u + *pos, len - *pos, &cp);
	if (k == 0) {
		k = 1;
		cp = 0xfffd;
	}
	*pos += k;
	return cp;
}

/*
 * The next word of u[*pos..len): its bytes u[*start..*end), and whether
 * they are all ASCII (then folding is a table lookup).  0 at the end.
 * The word's end is found before anything is copied: most words are
 * compared in place (same_word) and never folded into a buffer.
 */
static int
next_span(const unsigned char *u, size_t len, size_t *pos, size_t *start,
    size_t *end, int *ascii)
{
	size_t at;

	while (*pos < len) {
		at = *pos;
		if (u[at] < 0x80) {
			if (!ASCII_WORD(u[at])) {
				(*pos)++;
				continue;
			}
		} else if (separator(code_point(u, len, pos)))
			continue;
		*start = at;
		*ascii = u[at] < 0x80;
		while (*pos < len) {
			at = *pos;
			if (u[at] < 0x80) {
				if (!ASCII_WORD(u[at])) {
					*end = at;
					*pos = at + 1;
					return 1;
				}
				(*pos)++;
				continue;
			}
			*ascii = 0;
			if (separator(code_point(u, len, pos))) {
				*end = at;
				return 1;
			}
		}
		*end = *pos;
		return 1;
	}
	return 0;
}

static void
fold_span(const unsigned char *u, size_t start, size_t end, struct buf *w)
{
	buf_reset(w);
	while (start < end)
		str_utf8_encode(w, fold(code_point(u, end, &start)));
	buf_cstr(w);
}

/* The next word of s[*pos..len) folded into w; 0 when none is left. */
static int
next_word(const char *s, size_t len, size_t *pos, struct buf *w)
{
	size_t start, end;
	int ascii;

	if (!next_span((const unsigned char *)s, len, pos, &start, &end,
	    &ascii))
		return 0;
	fold_span((const unsigned char *)s, start, end, w);
	return 1;
}

/* The word u[start..end) folded equals want (folded, NUL-ended). */
static int
same_word(const unsigned char *u, size_t start, size_t end, int ascii,
    const char *want, struct buf *scratch)
{
	size_t i;

	if (!ascii) {
		fold_span(u, start, end, scratch);
		return strcmp(scratch->data, want) == 0;
	}
	for (i = 0; start + i < end; i++)
		if (want[i] == '\0' || (unsigned)want[i] != fold(u[start + i]))
			return 0;
	return want[i] == '\0';
}

/* An FTS5 query: every word of s, each quoted (so no FTS syntax gets
 * through) and a prefix unless whole words are wanted.  0 words: 0. */
size_t
pattern_fts_words(struct buf *q, const char *s, int whole)
{
	struct buf w = BUF_INIT;
	size_t pos = 0, len = strlen(s), n = 0;

	buf_reset(q);
	while (next_word(s, len, &pos, &w)) {
		buf_printf(q, "%s\"%s\"%s", n ? " " : "", buf_cstr(&w),
		    whole ? "" : "*");
		n++;
	}
	buf_free(&w);
	buf_cstr(q);
	return n;
}

/* --- SQL functions --- */

/* The folded words of s, each ended by a NUL in *words, their starts in
 * *at (free()); the count. */
static size_t
split_words(const char *s, struct buf *words, size_t **at)
{
	struct buf w = BUF_INIT;
	size_t n = 0, cap = 0, pos = 0, len = strlen(s);

	*at = NULL;
	while (next_word(s, len, &pos, &w)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*at = xreallocarray(*at, cap, sizeof(**at));
		}
		(*at)[n++] = words->len;
		buf_add(words, w.data, w.len + 1);
	}
	buf_free(&w);
	return n;
}

/*
 * postie_phrase(text, from, to, cc, subject, phrase): the words of phrase
 * appear one after the other in the message's search text: its kept
 * text (t.text), else its header fields, as fts_src gives them to FTS5
 * (which without positions cannot tell).  The text is read word by
 * word, with no copy of it: at each word equal to the phrase's first,
 * the following ones are compared, and on a mismatch the reading goes
 * back to the word after that first one.
 */
static void
fn_phrase(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *text = sqlite3_value_text(argv[0]);
	const char *phrase = (const char *)sqlite3_value_text(argv[5]);
	struct buf scratch = BUF_INIT, pw = BUF_INIT, fields = BUF_INIT;
	size_t *pa = NULL, np = 0, k, pos = 0, next, tlen, start, end;
	int found = 0, ascii, i;

	(void)argc;
	if (text == NULL) {
		/* No kept text: the header fields, short. */
		for (i = 1; i <= 4; i++) {
			const char *f = (const char *)sqlite3_value_text(argv[i]);

			buf_addstr(&fields, f ? f : "");
			buf_addch(&fields, ' ');
		}
		text = (const unsigned char *)buf_cstr(&fields);
	}
	if (phrase != NULL)
		np = split_words(phrase, &pw, &pa);
	tlen = text ? strlen((const char *)text) : 0;
	while (np > 0 && !found &&
	    next_span(text, tlen, &pos, &start, &end, &ascii)) {
		if (!same_word(text, start, end, ascii, pw.data + pa[0],
		    &scratch))
			continue;
		next = pos;
		for (k = 1; k < np && next_span(text, tlen, &pos, &start,
		    &end, &ascii); k++)
			if (!same_word(text, start, end, ascii,
			    pw.data + pa[k], &scratch))
				break;
		found = k == np;
		pos = next;
	}
	sqlite3_result_int(ctx, found);
	free(pa);
	buf_free(&scratch);
	buf_free(&pw);
	buf_free(&fields);
}

/* How far the header fields f[0..3] (NULL as "") run at the start of
 * text, each followed by a space, the empty ones skipped or not; 0 when
 * text does not start so. */
static size_t
header_run(const char *text, size_t len, const char *const *f,
    int skip_empty)
{
	size_t at = 0, n;
	int i;

	for (i = 0; i < 4; i++) {
		n = f[i] ? strlen(f[i]) : 0;
		if (n == 0 && skip_empty)
			continue;
		if (at + n + 1 > len || memcmp(text + at, f[i] ? f[i] : "",
		    n) != 0 || text[at + n] != ' ')
			return 0;
		at += n + 1;
	}
	return at;
}

/* Where the body starts in a kept search text of len bytes whose
 * header fields are argv[1..4] (from, to, cc, subject): db_msg.c joins
 * them in one of two ways. */
static size_t
body_start(const char *text, size_t len, sqlite3_value **argv)
{
	const char *f[4];
	size_t skip;
	int i;

	for (i = 0; i < 4; i++)
		f[i] = (const char *)sqlite3_value_text(argv[i + 1]);
	if ((skip = header_run(text, len, f, 0)) == 0)
		skip = header_run(text, len, f, 1);
	return skip;
}

/*
 * postie_body(text, from, to, cc, subject): the body part of a message's
 * kept search text, which starts with its header fields (db_msg.c keeps
 * them joined in one of two ways); NULL without body text.
 */
static void
fn_body(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	size_t len, skip;

	(void)argc;
	if (text == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	len = strlen(text);
	skip = body_start(text, len, argv);
	sqlite3_result_text(ctx, text + skip, (int)(len - skip),
	    SQLITE_TRANSIENT);
}

/* Whether hay holds needle (n bytes, lower case when icase), ASCII case
 * ignored when icase: what LIKE '%needle%' (or GLOB) would say. */
static int
contains(const char *hay, size_t len, const char *needle, size_t n, int icase)
{
	size_t i, k;
	char c0, c1;

	if (n == 0)
		return 1;
	if (!icase)
		return memmem(hay, len, needle, n) != NULL;
	c0 = needle[0];
	c1 = c0 >= 'a' && c0 <= 'z' ? (char)(c0 - 32) : c0;
	for (i = 0; i + n <= len; i++) {
		if (hay[i] != c0 && hay[i] != c1)
			continue;
		for (k = 1; k < n; k++)
			if (str_ascii_lower((unsigned char)hay[i + k]) !=
			    (unsigned char)needle[k])
				break;
		if (k == n)
			return 1;
	}
	return 0;
}

/* postie_body_has(text, from, to, cc, subject, string, icase): the body
 * part of the kept text (see postie_body) holds the string, read in
 * place. */
static void
fn_body_has(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	const char *needle = (const char *)sqlite3_value_text(argv[5]);
	int icase = sqlite3_value_int(argv[6]);
	char low[256], *lw = low;
	size_t len, skip, n, i;

	(void)argc;
	if (text == NULL || needle == NULL) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	len = strlen(text);
	skip = body_start(text, len, argv);
	n = strlen(needle);
	if (icase) {
		if (n >= sizeof(low))
			lw = xmalloc(n);
		for (i = 0; i < n; i++)
			lw[i] = (char)str_ascii_lower((unsigned char)needle[i]);
		needle = lw;
	}
	sqlite3_result_int(ctx, contains(text + skip, len - skip, needle, n,
	    icase));
	if (lw != low)
		free(lw);
}

static void
free_regex(void *re)
{
	regfree(re);
	free(re);
}

/* postie_regexp(text, re, icase): POSIX extended, ^ and $ at each line.
 * The compiled expression is kept for the statement (a bound value). */
static void
fn_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	regex_t *re = sqlite3_get_auxdata(ctx, 1);

	(void)argc;
	if (re == NULL) {
		const char *src = (const char *)sqlite3_value_text(argv[1]);
		int flags = REG_EXTENDED | REG_NOSUB | REG_NEWLINE;

		if (sqlite3_value_int(argv[2]))
			flags |= REG_ICASE;
		re = xmalloc(sizeof(*re));
		if (src == NULL || regcomp(re, src, flags) != 0) {
			free(re);
			sqlite3_result_error(ctx, "not a regular expression",
			    -1);
			return;
		}
		sqlite3_set_auxdata(ctx, 1, re, free_regex);
		if ((re = sqlite3_get_auxdata(ctx, 1)) == NULL) {
			sqlite3_result_error(ctx, "out of memory", -1);
			return;
		}
	}
	sqlite3_result_int(ctx, text != NULL && regexec(re, text, 0, NULL,
	    0) == 0);
}

void
pattern_register_functions(sqlite3 *sq)
{
	int fl = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	/* Again on every run: cheap, and a connection opened since gets
	 * them too.  Failing (SQLITE_BUSY while a statement of this
	 * connection runs) leaves the ones registered before. */
	sqlite3_create_function(sq, "postie_regexp", 3, fl, NULL, fn_regexp,
	    NULL, NULL);
	sqlite3_create_function(sq, "postie_body", 5, fl, NULL, fn_body, NULL,
	    NULL);
	sqlite3_create_function(sq, "postie_body_has", 7, fl, NULL,
	    fn_body_has, NULL, NULL);
	sqlite3_create_function(sq, "postie_phrase", 6, fl, NULL, fn_phrase,
	    NULL, NULL);
}
