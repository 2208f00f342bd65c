/*
 * imap_parse: see imap_parse.h.  Input is split into lines (a line that
 * arrives in pieces is collected in p->line; a whole line is parsed in place
 * from the caller's data) and literals (copied to p->sb or the sink).  A
 * line is parsed whole, so no token is ever split across feeds; the list
 * stack survives from one line to the next across literals.
 */
#include "net/imap_parse.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"

#define NONE UINT32_MAX

enum pstate { ST_LINE, ST_LIT, ST_DONE, ST_ERR };

struct level {
	uint32_t list;  /* list node, NONE at the top level */
	uint32_t last;  /* last child so far, or NONE */
	size_t count;
};

struct imap_parser {
	struct imap_limits lim;
	struct buf line;  /* a line that arrived in pieces */
	struct buf sb;    /* string bytes of the current response */
	struct imap_arg *nodes;
	size_t n, cap;
	struct level *lv; /* max_depth + 2 entries (one for code args) */
	unsigned depth;
	enum pstate st;
	int started;
	uint32_t top_first, code_node;
	uint32_t lit_node;
	uint64_t lit_size, lit_off;
	int lit_stream;
	size_t tag_off, status_off, code_off, text_off;
	size_t sink_min;
	imap_sink_fn *sink;
	void *sink_ctx;
	struct imap_resp resp;
};

static const char empty[] = "";

void
imap_limits_default(struct imap_limits *lim)
{
	lim->max_line = 1024 * 1024;
	lim->max_literal = 64 * 1024 * 1024;
	lim->max_streamed = 1024ull * 1024 * 1024;
	lim->max_depth = 64;
	lim->max_list = 100000;
	lim->max_args = 500000;
	lim->max_response = 80 * 1024 * 1024;
}

struct imap_parser *
imap_parser_new(const struct imap_limits *lim)
{
	struct imap_parser *p = xcalloc(1, sizeof(*p));

	if (lim)
		p->lim = *lim;
	else
		imap_limits_default(&p->lim);
	if (p->lim.max_depth == 0)
		p->lim.max_depth = 1;
	p->lv = xcalloc(p->lim.max_depth + 2, sizeof(*p->lv));
	imap_parser_reset(p);
	return p;
}

void
imap_parser_free(struct imap_parser **pp)
{
	struct imap_parser *p = *pp;

	if (p == NULL)
		return;
	buf_free(&p->line);
	buf_free(&p->sb);
	free(p->nodes);
	free(p->lv);
	free(p);
	*pp = NULL;
}

static void
start_response(struct imap_parser *p)
{
	/* Give back memory a huge response needed. */
	if (p->sb.cap > 4 * 1024 * 1024)
		buf_free(&p->sb);
	else
		buf_reset(&p->sb);
	if (p->cap > 65536) {
		free(p->nodes);
		p->nodes = NULL;
		p->cap = 0;
	}
	if (p->line.cap > 1024 * 1024)
		buf_free(&p->line);
	p->n = 0;
	p->depth = 0;
	p->lv[0].list = NONE;
	p->lv[0].last = NONE;
	p->lv[0].count = 0;
	p->started = 0;
	p->top_first = p->code_node = NONE;
	p->tag_off = p->status_off = p->code_off = p->text_off = SIZE_MAX;
	p->st = ST_LINE;
	memset(&p->resp, 0, sizeof(p->resp));
}

void
imap_parser_reset(struct imap_parser *p)
{
	buf_reset(&p->line);
	start_response(p);
}

void
imap_parser_set_sink(struct imap_parser *p, size_t sink_min,
    imap_sink_fn *fn, void *ctx)
{
	p->sink_min = sink_min;
	p->sink = fn;
	p->sink_ctx = ctx;
}

int
imap_parser_busy(const struct imap_parser *p)
{
	return p->st == ST_LIT ||
	    (p->st == ST_LINE && (p->started || p->line.len > 0));
}

const struct imap_resp *
imap_parser_resp(const struct imap_parser *p)
{
	return &p->resp;
}

/* Stores s[0..n) plus a NUL; returns its offset. */
static int
store(struct imap_parser *p, const char *s, size_t n, size_t *off_r,
    struct error *err)
{
	if (p->sb.len + n + 1 > p->lim.max_response)
		return error_set(err, "server response larger than %zu bytes",
		    p->lim.max_response);
	*off_r = p->sb.len;
	buf_add(&p->sb, s, n);
	buf_addch(&p->sb, '\0');
	return 0;
}

/* Appends a node at the current level. */
static int
add_node(struct imap_parser *p, enum imap_arg_type type, size_t off,
    size_t len, uint32_t *idx_r, struct error *err)
{
	struct level *l = &p->lv[p->depth];
	struct imap_arg *a;
	uint32_t idx;

	if (p->n >= p->lim.max_args)
		return error_set(err, "server response has more than %zu values",
		    p->lim.max_args);
	if (l->count >= p->lim.max_list)
		return error_set(err, "server sent a list of more than %zu items",
		    p->lim.max_list);
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->nodes = xreallocarray(p->nodes, p->cap, sizeof(*p->nodes));
	}
	idx = (uint32_t)p->n++;
	a = &p->nodes[idx];
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->i_off = off;
	a->len = len;
	a->i_child = a->i_next = NONE;
	if (l->last != NONE)
		p->nodes[l->last].i_next = idx;
	else if (l->list != NONE)
		p->nodes[l->list].i_child = idx;
	else
		p->top_first = idx;
	l->last = idx;
	l->count++;
	if (l->list != NONE)
		p->nodes[l->list].count++;
	if (idx_r)
		*idx_r = idx;
	return 0;
}

static int
push_list(struct imap_parser *p, struct error *err)
{
	uint32_t idx;

	if (p->depth >= p->lim.max_depth)
		return error_set(err, "server response nests lists deeper "
		    "than %u", p->lim.max_depth);
	if (add_node(p, IMAP_ARG_LIST, 0, 0, &idx, err) < 0)
		return -1;
	p->depth++;
	p->lv[p->depth].list = idx;
	p->lv[p->depth].last = NONE;
	p->lv[p->depth].count = 0;
	return 0;
}

static int
is_atom_stop(int c, int code)
{
	return c == ' ' || c == '(' || c == ')' || (code && c == ']');
}

/* An atom (liberal: "[" runs to "]"), NIL included. */
static int
parse_atom(struct imap_parser *p, const char *s, size_t n, size_t *i,
    int code, struct error *err)
{
	size_t start = *i, j = *i, off = 0;

	while (j < n && !is_atom_stop((unsigned char)s[j], code)) {
		if (s[j] == '\0')
			return error_set(err, "server sent a NUL byte");
		if (s[j] == '[' && !code) {
			const char *e = memchr(s + j, ']', n - j);

			if (e == NULL)
				return error_set(err, "server sent an "
				    "unterminated \"[\"");
			if (memchr(s + j, '\0', (size_t)(e - (s + j))))
				return error_set(err, "server sent a NUL byte");
			j = (size_t)(e - s);
		}
		j++;
	}
	if (j == start)
		return error_set(err, "server sent an unexpected \"%c\"",
		    s[start]);
	*i = j;
	if (j - start == 3 && str_ncasecmp(s + start, "NIL", 3) == 0)
		return add_node(p, IMAP_ARG_NIL, 0, 0, NULL, err);
	if (store(p, s + start, j - start, &off, err) < 0)
		return -1;
	return add_node(p, IMAP_ARG_ATOM, off, j - start, NULL, err);
}

static int
parse_quoted(struct imap_parser *p, const char *s, size_t n, size_t *i,
    struct error *err)
{
	size_t j = *i + 1, off = p->sb.len, len = 0;

	/* Unescape straight into sb; roll back on error. */
	for (; j < n && s[j] != '"'; j++) {
		if (s[j] == '\\' && j + 1 < n)
			j++;
		if (s[j] == '\0') {
			buf_truncate(&p->sb, off);
			return error_set(err, "server sent a NUL byte");
		}
		buf_addch(&p->sb, s[j]);
		len++;
	}
	if (j >= n) {
		buf_truncate(&p->sb, off);
		return error_set(err, "server sent an unterminated quoted "
		    "string");
	}
	if (p->sb.len + 1 > p->lim.max_response) {
		buf_truncate(&p->sb, off);
		return error_set(err, "server response larger than %zu bytes",
		    p->lim.max_response);
	}
	buf_addch(&p->sb, '\0');
	*i = j + 1;
	return add_node(p, IMAP_ARG_STRING, off, len, NULL, err);
}

/* "{n}", "{n+}", "~{n}" ending the line: prepares literal mode. */
static int
parse_literal(struct imap_parser *p, const char *s, size_t n, size_t *i,
    struct error *err)
{
	size_t j = *i;
	uint64_t v = 0;
	int digits = 0;

	if (s[j] == '~')
		j++;
	j++; /* '{' */
	for (; j < n && s[j] >= '0' && s[j] <= '9'; j++, digits++) {
		if (v > (UINT64_MAX - 9) / 10)
			return error_set(err, "server sent an absurd literal "
			    "size");
		v = v * 10 + (uint64_t)(s[j] - '0');
	}
	if (j < n && s[j] == '+')
		j++;
	if (!digits || j >= n || s[j] != '}' || j + 1 != n)
		return error_set(err, "server sent a malformed literal");
	p->lit_stream = p->sink != NULL && v >= p->sink_min && v > 0;
	if (p->lit_stream ? v > p->lim.max_streamed : v > p->lim.max_literal)
		return error_set(err, "server sent a literal of %llu bytes "
		    "(limit %llu)", (unsigned long long)v,
		    (unsigned long long)(p->lit_stream ? p->lim.max_streamed :
		    p->lim.max_literal));
	p->lit_size = v;
	p->lit_off = 0;
	/* Nothing is reserved for the announced size: the buffer grows
	 * with the bytes that really come (a server may announce 64 MiB
	 * and hang up). */
	if (!p->lit_stream && p->sb.len + v + 1 > p->lim.max_response)
		return error_set(err, "server response larger than %zu bytes",
		    p->lim.max_response);
	if (add_node(p, p->lit_stream ? IMAP_ARG_STREAMED : IMAP_ARG_LITERAL,
	    p->sb.len, (size_t)v, &p->lit_node, err) < 0)
		return -1;
	*i = n;
	return 0;
}

/*
 * Values up to the end of the line (returns 1), a literal (0), or in code
 * mode up to "]" at the code level (1, *i at the "]").
 */
static int
parse_values(struct imap_parser *p, const char *s, size_t n, size_t *i,
    unsigned base, struct error *err)
{
	int code = base > 0;

	while (*i < n) {
		unsigned char c = (unsigned char)s[*i];

		if (c == ' ') {
			(*i)++;
		} else if (c == '(') {
			if (push_list(p, err) < 0)
				return -1;
			(*i)++;
		} else if (c == ')') {
			if (p->depth <= base)
				return error_set(err, "server sent an "
				    "unbalanced \")\"");
			p->depth--;
			(*i)++;
		} else if (c == ']' && code && p->depth == base) {
			return 1;
		} else if (c == '"') {
			if (parse_quoted(p, s, n, i, err) < 0)
				return -1;
		} else if (c == '{' || (c == '~' && *i + 1 < n &&
		    s[*i + 1] == '{')) {
			if (code)
				return error_set(err, "literal in a response "
				    "code");
			return parse_literal(p, s, n, i, err);
		} else if (parse_atom(p, s, n, i, code, err) < 0) {
			return -1;
		}
	}
	if (code)
		return error_set(err, "server sent an unterminated response "
		    "code");
	if (p->depth > 0)
		return error_set(err, "server sent an unbalanced \"(\"");
	return 1;
}

static int
is_status(const char *w, size_t n)
{
	static const char *const names[] = { "OK", "NO", "BAD", "BYE",
		"PREAUTH" };
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k]) == n && str_ncasecmp(w, names[k], n) == 0)
			return 1;
	return 0;
}

/* "OK [CODE args] text" from s[i]; i is at the status word. */
static int
parse_status(struct imap_parser *p, const char *s, size_t n, size_t i,
    size_t wlen, struct error *err)
{
	size_t j, mark_n, mark_sb, off = 0;
	int r;

	if (store(p, s + i, wlen, &p->status_off, err) < 0 ||
	    add_node(p, IMAP_ARG_ATOM, p->status_off, wlen, NULL, err) < 0)
		return -1;
	i += wlen;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '[') {
		i++;
		for (j = i; j < n && s[j] != ' ' && s[j] != ']'; j++)
			;
		if (j == n)
			return error_set(err, "server sent an unterminated "
			    "response code");
		if (store(p, s + i, j - i, &p->code_off, err) < 0)
			return -1;
		i = j;
		if (s[i] == ' ') {
			/* A hidden list holds the code's values. */
			uint32_t saved_last = p->lv[0].last;
			uint32_t saved_first = p->top_first;
			size_t saved_count = p->lv[0].count;
			struct error scratch;

			mark_n = p->n;
			mark_sb = p->sb.len;
			if (push_list(p, err) < 0)
				return -1;
			p->lv[0].last = saved_last;
			p->lv[0].count = saved_count;
			p->top_first = saved_first;
			if (saved_last != NONE)
				p->nodes[saved_last].i_next = NONE;
			p->code_node = (uint32_t)mark_n;
			j = i + 1;
			r = parse_values(p, s, n, &j, 1, &scratch);
			if (r < 0) {
				const char *e = memchr(s + i, ']', n - i);

				if (e == NULL)
					return error_set(err, "server sent an "
					    "unterminated response code");
				p->n = mark_n + 1;
				p->nodes[mark_n].i_child = NONE;
				p->nodes[mark_n].count = 0;
				buf_truncate(&p->sb, mark_sb);
				p->depth = 1;
				p->lv[1].last = NONE;
				p->lv[1].count = 0;
				j = (size_t)(e - s);
				if (memchr(s + i + 1, '\0', j - i - 1))
					return error_set(err, "server sent a "
					    "NUL byte");
				if (store(p, s + i + 1, j - i - 1, &off,
				    err) < 0 ||
				    add_node(p, IMAP_ARG_TEXT, off, j - i - 1,
				    NULL, err) < 0)
					return -1;
			}
			p->depth = 0;
			i = j;
		}
		i++; /* ']' */
		if (i < n && s[i] == ' ')
			i++;
	}
	if (memchr(s + i, '\0', n - i))
		return error_set(err, "server sent a NUL byte");
	return store(p, s + i, n - i, &p->text_off, err);
}

/* The first line: tag, then status or values. */
static int
parse_first(struct imap_parser *p, const char *s, size_t n, size_t *i,
    struct error *err)
{
	size_t j, k;

	if (n == 0)
		return error_set(err, "server sent an empty line");
	if (s[0] == '+') {
		p->resp.kind = IMAP_RESP_CONT;
		j = n > 1 && s[1] == ' ' ? 2 : 1;
		if (memchr(s + j, '\0', n - j))
			return error_set(err, "server sent a NUL byte");
		if (store(p, "+", 1, &p->tag_off, err) < 0 ||
		    store(p, s + j, n - j, &p->text_off, err) < 0)
			return -1;
		return 1;
	}
	for (j = 0; j < n && s[j] != ' '; j++)
		if ((unsigned char)s[j] <= ' ' || s[j] == '(' || s[j] == ')' ||
		    s[j] == '{' || s[j] == '"' || (unsigned char)s[j] == 0x7f)
			return error_set(err, "server sent a malformed tag");
	if (j == n)
		return error_set(err, "server sent a line without a response");
	if (store(p, s, j, &p->tag_off, err) < 0)
		return -1;
	p->resp.kind = (j == 1 && s[0] == '*') ? IMAP_RESP_UNTAGGED :
	    IMAP_RESP_TAGGED;
	j++;
	for (k = j; k < n && s[k] != ' '; k++)
		;
	if (is_status(s + j, k - j))
		return parse_status(p, s, n, j, k - j, err) < 0 ? -1 : 1;
	if (p->resp.kind == IMAP_RESP_TAGGED)
		return error_set(err, "server sent a tagged response without "
		    "a status");
	*i = j;
	return 0;
}

static int
parse_line(struct imap_parser *p, const char *s, size_t n,
    struct error *err)
{
	size_t i = 0;
	int r;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (!p->started) {
		p->started = 1;
		if ((r = parse_first(p, s, n, &i, err)) != 0)
			return r;
	}
	return parse_values(p, s, n, &i, 0, err);
}

static struct imap_arg *
node(struct imap_parser *p, uint32_t idx)
{
	return idx == NONE ? NULL : &p->nodes[idx];
}

static const char *
sbstr(struct imap_parser *p, size_t off)
{
	return off == SIZE_MAX ? NULL : p->sb.data + off;
}

static void
finish(struct imap_parser *p)
{
	struct imap_resp *r = &p->resp;
	size_t k;

	for (k = 0; k < p->n; k++) {
		struct imap_arg *a = &p->nodes[k];

		a->str = (a->type == IMAP_ARG_LIST || a->type == IMAP_ARG_NIL ||
		    a->type == IMAP_ARG_STREAMED) ? empty : p->sb.data + a->i_off;
		a->list = node(p, a->i_child);
		a->next = node(p, a->i_next);
	}
	r->tag = sbstr(p, p->tag_off);
	r->args = node(p, p->top_first);
	r->nargs = (uint32_t)p->lv[0].count;
	r->status = sbstr(p, p->status_off);
	r->code = sbstr(p, p->code_off);
	r->code_args = p->code_node == NONE ? NULL :
	    node(p, p->nodes[p->code_node].i_child);
	r->text = sbstr(p, p->text_off);
	if (r->text == NULL)
		r->text = empty;
	if (r->kind == IMAP_RESP_UNTAGGED && r->status == NULL &&
	    r->args && r->args->next) {
		uint64_t v;

		if (imap_arg_num(r->args, UINT32_MAX, &v) == 0) {
			r->has_num = 1;
			r->num = (uint32_t)v;
		}
	}
	p->st = ST_DONE;
}

static int
fail(struct imap_parser *p)
{
	p->st = ST_ERR;
	return -1;
}

static int
feed_literal(struct imap_parser *p, const char *d, size_t len,
    struct error *err)
{
	if (p->lit_stream) {
		if (p->sink(p->sink_ctx, p->lit_size, p->lit_off, d, len) < 0)
			return error_set(err, "literal sink failed");
	} else {
		buf_add(&p->sb, d, len);
	}
	p->lit_off += len;
	if (p->lit_off == p->lit_size) {
		if (!p->lit_stream)
			buf_addch(&p->sb, '\0');
		p->st = ST_LINE;
	}
	return 0;
}

int
imap_parser_feed(struct imap_parser *p, const void *data, size_t len,
    size_t *used_r, struct error *err)
{
	const char *d = data;
	size_t used = 0;

	*used_r = 0;
	if (p->st == ST_ERR)
		return error_set(err, "IMAP parser used after an error");
	if (p->st == ST_DONE)
		start_response(p);
	while (used < len) {
		const char *s, *lf;
		size_t n;
		int r;

		if (p->st == ST_LIT) {
			uint64_t left = p->lit_size - p->lit_off;
			size_t take = len - used < left ? len - used :
			    (size_t)left;

			if (feed_literal(p, d + used, take, err) < 0)
				return fail(p);
			used += take;
			continue;
		}
		lf = memchr(d + used, '\n', len - used);
		n = lf ? (size_t)(lf - (d + used)) : len - used;
		if (p->line.len + n > p->lim.max_line) {
			error_set(err, "server sent a line longer than %zu "
			    "bytes", p->lim.max_line);
			return fail(p);
		}
		if (lf == NULL) {
			buf_add(&p->line, d + used, n);
			used = len;
			break;
		}
		if (p->line.len > 0) {
			buf_add(&p->line, d + used, n);
			s = p->line.data;
			n = p->line.len;
		} else {
			s = d + used;
		}
		used += (size_t)(lf - (d + used)) + 1;
		r = parse_line(p, s, n, err);
		buf_reset(&p->line);
		if (r < 0)
			return fail(p);
		if (r > 0) {
			finish(p);
			*used_r = used;
			return 1;
		}
		p->st = ST_LIT;
		if (p->lit_size == 0)
			feed_literal(p, "", 0, err);
	}
	*used_r = used;
	return 0;
}

int
imap_arg_is(const struct imap_arg *arg, const char *name)
{
	return arg && arg->type == IMAP_ARG_ATOM &&
	    str_casecmp(arg->str, name) == 0;
}

const char *
imap_arg_str(const struct imap_arg *arg)
{
	if (arg == NULL)
		return NULL;
	switch (arg->type) {
	case IMAP_ARG_ATOM:
	case IMAP_ARG_STRING:
	case IMAP_ARG_LITERAL:
	case IMAP_ARG_TEXT:
		return arg->str;
	default:
		return NULL;
	}
}

int
imap_arg_num(const struct imap_arg *arg, uint64_t max, uint64_t *v_r)
{
	uint64_t v = 0;
	size_t k;

	if (arg == NULL || arg->type != IMAP_ARG_ATOM || arg->len == 0 ||
	    arg->len > 20)
		return -1;
	for (k = 0; k < arg->len; k++) {
		unsigned c = (unsigned char)arg->str[k] - '0';

		if (c > 9 || v > (UINT64_MAX - c) / 10)
			return -1;
		v = v * 10 + c;
	}
	if (v > max)
		return -1;
	*v_r = v;
	return 0;
}

const struct imap_arg *
imap_arg_nth(const struct imap_arg *arg, unsigned i)
{
	while (arg && i-- > 0)
		arg = arg->next;
	return arg;
}
