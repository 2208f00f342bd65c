/* pattern: a parsed pattern as one SQL query over the index (pattern.h). */
#include "config.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cache/db_int.h"
#include "cache/pattern.h"
#include "core/buf.h"
#include "core/pattern_parse.h"
#include "core/str.h"
#include "core/xalloc.h"

struct param {
	char *text;   /* NULL: an integer */
	int64_t num;
};

struct pattern {
	struct buf where;
	struct param *params;
	size_t nparams, cap;
	int body;     /* the query reads fts_text */
	const int64_t *tagged; /* sorted, the caller's (pattern_set_tagged) */
	size_t ntagged;
};

/* A bound value, and its `?` in the clause. */
static void
param_add(struct pattern *p, char *text, int64_t num)
{
	if (p->nparams == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->params = xreallocarray(p->params, p->cap,
		    sizeof(*p->params));
	}
	p->params[p->nparams].text = text;
	p->params[p->nparams++].num = num;
	buf_addch(&p->where, '?');
}

static void
param_text(struct pattern *p, const char *s, size_t len)
{
	param_add(p, xstrndup(s, len), 0);
}

static void
param_num(struct pattern *p, int64_t v)
{
	param_add(p, NULL, v);
}

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
static size_t
fts_words(struct buf *q, const char *s, int whole)
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

static int
cmp_tag(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* postie_tagged(id): whether id is in the run's tagged set (~T). */
static void
fn_tagged(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	const struct pattern *p = sqlite3_user_data(cx);
	int64_t id = sqlite3_value_int64(v[0]);

	(void)argc;
	sqlite3_result_int(cx, p->ntagged && bsearch(&id, p->tagged,
	    p->ntagged, sizeof(id), cmp_tag) != NULL);
}

void
pattern_set_tagged(struct pattern *p, const int64_t *ids, size_t n)
{
	p->tagged = ids;
	p->ntagged = n;
}

static void
register_functions(sqlite3 *sq)
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

/* --- the query --- */

/* Header lines for ~h (and ~B): those the index keeps. */
#define HEADERS "('From: ' || coalesce(m.from_, '') || char(10) ||" \
	" 'To: ' || coalesce(m.to_, '') || char(10) ||" \
	" 'Cc: ' || coalesce(m.cc, '') || char(10) ||" \
	" 'Subject: ' || coalesce(m.subject, '') || char(10) ||" \
	" 'Message-ID: ' || coalesce(m.message_id, '') || char(10) ||" \
	" 'In-Reply-To: ' || coalesce(m.in_reply_to, '') || char(10) ||" \
	" 'References: ' || coalesce(m.refs, ''))"
#define BODY "postie_body(t.text, m.from_, m.to_, m.cc, m.subject)"

/*
 * A regular expression SQLite's LIKE (case ignored) or GLOB can say
 * as well: literal characters, `.`, `.*`, and on a one-line field `^`
 * and `$`.  Builds it in out (with the % or * around it); 0 or -1.
 */
static int
simple_match(struct buf *out, const char *s, int regex, int like,
    int oneline)
{
	const char *any = like ? "%" : "*";
	size_t n = strlen(s);
	int head = 0, tail = 0;

	buf_reset(out);
	if (regex && n && s[0] == '^') {
		if (!oneline)
			return -1;
		head = 1;
		s++;
		n--;
	}
	if (regex && n && s[n - 1] == '$' && (n < 2 || s[n - 2] != '\\')) {
		if (!oneline)
			return -1;
		tail = 1;
		n--;
	}
	if (!head)
		buf_addstr(out, any);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (regex && c == '.' && i + 1 < n && s[i + 1] == '*') {
			buf_addstr(out, any);
			i++;
			continue;
		}
		if (regex && c == '.') {
			buf_addch(out, like ? '_' : '?');
			continue;
		}
		if (regex && c == '\\') {
			if (i + 1 >= n || strchr(".[]()*+?{}|^$\\", s[i + 1]) ==
			    NULL)
				return -1;
			c = s[++i];
		} else if (regex && strchr("[]()*+?{}|^$", c) != NULL)
			return -1;
		if (like && (c == '%' || c == '_' || c == '\\'))
			buf_addch(out, '\\');
		if (!like && (c == '*' || c == '?' || c == '[')) {
			buf_addch(out, '[');
			buf_addch(out, c);
			buf_addch(out, ']');
			continue;
		}
		buf_addch(out, c);
	}
	if (!tail)
		buf_addstr(out, any);
	buf_cstr(out);
	return 0;
}

/* One field against a PAT_STR node. */
static void
str_match(struct pattern *p, const char *field, const struct pat_node *n,
    int oneline)
{
	struct buf like = BUF_INIT;

	if (simple_match(&like, n->str, !n->literal, n->icase, oneline) == 0) {
		buf_printf(&p->where, "%s %s ", field, n->icase ? "LIKE" :
		    "GLOB");
		param_text(p, like.data, like.len);
		if (n->icase)
			buf_addstr(&p->where, " ESCAPE '\\'");
	} else {
		buf_printf(&p->where, "postie_regexp(%s, ", field);
		param_text(p, n->str, strlen(n->str));
		buf_printf(&p->where, ", %d)", n->icase);
	}
	buf_free(&like);
}

/* m.id among the FTS5 hits of query (already built). */
static void
fts_in(struct pattern *p, const struct buf *q)
{
	buf_addstr(&p->where, "m.id IN (SELECT rowid FROM fts WHERE fts MATCH ");
	param_text(p, q->data, q->len);
	buf_addch(&p->where, ')');
}

static void
compile_str(struct pattern *p, const struct pat_node *n)
{
	static const struct {
		char op;
		const char *fields[3];
		int oneline;
	} map[] = {
		{ 'f', { "m.from_" }, 1 },
		{ 't', { "m.to_" }, 1 },
		{ 'c', { "m.cc" }, 1 },
		{ 'C', { "m.to_", "m.cc" }, 1 },
		{ 'L', { "m.from_", "m.to_", "m.cc" }, 1 },
		{ 's', { "m.subject" }, 1 },
		{ 'i', { "m.message_id" }, 1 },
		{ 'x', { "m.in_reply_to", "m.refs" }, 1 },
		{ 'h', { HEADERS }, 0 },
		{ 'b', { BODY }, 0 },
		{ 'B', { HEADERS " || char(10) || coalesce(" BODY ", '')" },
		    0 },
	};
	struct buf q = BUF_INIT;
	size_t i, k;

	for (i = 0; map[i].op != n->op; i++)
		;
	buf_addch(&p->where, '(');
	/* The body is read only for messages whose words are all there. */
	if ((n->op == 'b' || n->op == 'B') && n->literal &&
	    fts_words(&q, n->str, 0) > 0) {
		fts_in(p, &q);
		buf_addstr(&p->where, " AND ");
	}
	if (n->op == 'b' || n->op == 'B')
		p->body = 1;
	if (n->op == 'b' && n->literal) {
		/* What LIKE or GLOB would say of the body, read in place. */
		buf_addstr(&p->where, "postie_body_has(t.text, m.from_, m.to_,"
		    " m.cc, m.subject, ");
		param_text(p, n->str, strlen(n->str));
		buf_printf(&p->where, ", %d))", n->icase);
		buf_free(&q);
		return;
	}
	for (k = 0; k < 3 && map[i].fields[k]; k++) {
		if (k)
			buf_addstr(&p->where, " OR ");
		str_match(p, map[i].fields[k], n, map[i].oneline);
	}
	buf_addch(&p->where, ')');
	buf_free(&q);
}

static void
compile_flag(struct pattern *p, char op)
{
	const char *sql = "1";

	switch (op) {
	/* Exactly the partial index's condition (messages_unread), so
	 * that unread mail is found through it. */
	case 'U': sql = "m.flags & 1 = 0"; break;
	/* New and old split the unread at the folder's old_mark (what
	 * the reader showed when the user last left the folder); the
	 * first term stays the partial index's condition. */
	case 'N': sql = "(m.flags & 1 = 0 AND m.id > (SELECT f.old_mark"
	    " FROM folders f WHERE f.id = m.folder))"; break;
	case 'O': sql = "(m.flags & 1 = 0 AND m.id <= (SELECT f.old_mark"
	    " FROM folders f WHERE f.id = m.folder))"; break;
	case 'R': sql = "m.flags & 1 <> 0"; break;
	case 'Q': sql = "m.flags & 2 <> 0"; break;
	case 'F': sql = "m.flags & 4 <> 0"; break;
	case 'D': sql = "m.flags & 8 <> 0"; break;
	case 'T': sql = "postie_tagged(m.id)"; break;
	}
	buf_addstr(&p->where, sql);
}

static void
compile_range(struct pattern *p, const struct pat_node *n)
{
	const char *col = n->op == 'd' ? "m.date" : n->op == 'r' ?
	    "m.internal_date" : "m.size";

	if (n->op == 'X') {
		/* Known: 0 attachments, or 1 and more (counted as 1). */
		int none = n->min <= 0, some = n->max >= 1;

		buf_addstr(&p->where, none && some ? "1" : none ?
		    "m.has_attachment = 0" : some ? "m.has_attachment <> 0" :
		    "0");
		return;
	}
	if (n->min == PAT_MIN && n->max == PAT_MAX) {
		buf_addstr(&p->where, "1");
		return;
	}
	buf_addch(&p->where, '(');
	if (n->min != PAT_MIN) {
		buf_printf(&p->where, "%s >= ", col);
		param_num(p, n->min);
	}
	if (n->max != PAT_MAX) {
		buf_printf(&p->where, "%s%s <= ", n->min != PAT_MIN ?
		    " AND " : "", col);
		param_num(p, n->max);
	}
	buf_addch(&p->where, ')');
}

static void
compile_words(struct pattern *p, const struct pat_node *n)
{
	struct buf q = BUF_INIT;

	if (fts_words(&q, n->str, n->phrase) == 0) {
		/* No word at all ("--"): nothing has it. */
		buf_addstr(&p->where, "0");
	} else if (!n->phrase) {
		fts_in(p, &q);
	} else {
		buf_addch(&p->where, '(');
		fts_in(p, &q);
		buf_addstr(&p->where, " AND postie_phrase(t.text, m.from_,"
		    " m.to_, m.cc, m.subject, ");
		param_text(p, n->str, strlen(n->str));
		buf_addstr(&p->where, "))");
		p->body = 1;
	}
	buf_free(&q);
}

static void
compile(struct pattern *p, const struct pat_node *n)
{
	switch (n->kind) {
	case PAT_AND:
	case PAT_OR:
		buf_addch(&p->where, '(');
		compile(p, n->a);
		buf_addstr(&p->where, n->kind == PAT_AND ? " AND " : " OR ");
		compile(p, n->b);
		buf_addch(&p->where, ')');
		break;
	case PAT_NOT:
		/* NOT of NULL (a field absent) is still false: coalesce. */
		buf_addstr(&p->where, "NOT coalesce(");
		compile(p, n->a);
		buf_addstr(&p->where, ", 0)");
		break;
	case PAT_STR:
		compile_str(p, n);
		break;
	case PAT_FLAG:
		compile_flag(p, n->op);
		break;
	case PAT_RANGE:
		compile_range(p, n);
		break;
	case PAT_WORDS:
		compile_words(p, n);
		break;
	}
}

int
pattern_compile(const char *text, time_t now, struct pattern **p_r,
    struct error *err)
{
	struct pat_node *tree;
	struct pattern *p;

	*p_r = NULL;
	if (pat_parse(text, now, &tree, err) < 0)
		return -1;
	p = xcalloc(1, sizeof(*p));
	if (tree == NULL)
		buf_addstr(&p->where, "1");
	else
		compile(p, tree);
	buf_cstr(&p->where);
	pat_free(&tree);
	*p_r = p;
	return 0;
}

void
pattern_free(struct pattern **pp)
{
	struct pattern *p = *pp;
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nparams; i++)
		free(p->params[i].text);
	free(p->params);
	buf_free(&p->where);
	free(p);
	*pp = NULL;
}

const char *
pattern_sql(const struct pattern *p)
{
	return buf_cstr(&p->where);
}

/*
 * once: folder_id is searched as part of its whole account.  If it is
 * the account's \All folder (Gmail's "[Gmail]/All Mail" holds every
 * message once more), a message whose Message-ID another folder of the
 * account holds is left out: it is found there, and counts once.  Mail
 * only in All Mail (archived on Gmail) is still found.  The Message-IDs
 * elsewhere are one uncorrelated subquery, computed once.
 */
static int
run(struct db *db, const struct pattern *p, int64_t folder_id, int once,
    int64_t **ids_r, size_t *n_r, struct error *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	*ids_r = NULL;
	*n_r = 0;
	register_functions(db->sq);
	/* This run's tags: the function's data is p, so it is registered
	 * for each run (not deterministic: the set differs between runs). */
	sqlite3_create_function(db->sq, "postie_tagged", 1, SQLITE_UTF8,
	    (void *)p, fn_tagged, NULL, NULL);
	buf_printf(&sql, "SELECT m.id FROM messages m%s WHERE %s AND (%s)",
	    p->body ? " LEFT JOIN fts_text t ON t.id = m.id" : "",
	    folder_id ? "m.folder = ?" : "1", buf_cstr(&p->where));
	if (once && folder_id)
		buf_printf(&sql, " AND (m.message_id IS NULL OR m.message_id = ''"
		    " OR (SELECT role FROM folders WHERE id = ?1) != %d"
		    " OR m.message_id NOT IN (SELECT o.message_id FROM messages o"
		    " JOIN folders fo ON fo.id = o.folder WHERE fo.role != %d AND"
		    " o.message_id IS NOT NULL AND fo.account = (SELECT account"
		    " FROM folders WHERE id = ?1)))", FOLDER_ROLE_ALL,
		    FOLDER_ROLE_ALL);
	buf_addstr(&sql, " ORDER BY m.id");
	rc = sqlite3_prepare_v2(db->sq, sql.data, (int)sql.len, &st, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK)
		return db_fail(db, err, "pattern");
	rc = 1;
	if (folder_id)
		sqlite3_bind_int64(st, rc++, folder_id);
	for (i = 0; i < p->nparams; i++, rc++)
		if (p->params[i].text)
			sqlite3_bind_text(st, rc, p->params[i].text, -1,
			    SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, rc, p->params[i].num);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xreallocarray(ids, cap, sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		db_fail(db, err, "pattern");
		sqlite3_finalize(st);
		free(ids);
		return -1;
	}
	sqlite3_finalize(st);
	*ids_r = ids ? ids : xcalloc(1, sizeof(*ids));
	*n_r = n;
	return 0;
}

int
pattern_run(struct db *db, const struct pattern *p, int64_t folder_id,
    int64_t **ids_r, size_t *n_r, struct error *err)
{
	return run(db, p, folder_id, 0, ids_r, n_r, err);
}

int
pattern_run_once(struct db *db, const struct pattern *p, int64_t folder_id,
    int64_t **ids_r, size_t *n_r, struct error *err)
{
	return run(db, p, folder_id, 1, ids_r, n_r, err);
}

int
pattern_search_tagged(struct db *db, int64_t folder_id, const char *text,
    time_t now, const int64_t *tagged, size_t ntagged, int64_t **ids_r,
    size_t *n_r, struct error *err)
{
	struct pattern *p;
	int rc;

	*ids_r = NULL;
	*n_r = 0;
	if (pattern_compile(text, now, &p, err) < 0)
		return -1;
	pattern_set_tagged(p, tagged, ntagged);
	rc = pattern_run(db, p, folder_id, ids_r, n_r, err);
	pattern_free(&p);
	return rc;
}

int
pattern_search(struct db *db, int64_t folder_id, const char *text,
    time_t now, int64_t **ids_r, size_t *n_r, struct error *err)
{
	return pattern_search_tagged(db, folder_id, text, now, NULL, 0, ids_r,
	    n_r, err);
}
