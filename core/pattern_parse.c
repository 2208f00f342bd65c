/* pattern_parse: Mutt's pattern language into a tree (pattern_parse.h). */
#include "config.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/pattern_parse.h"
#include "core/xalloc.h"

struct parser {
	const char *text;
	const char *p;
	time_t now;
	int depth;
	struct error *err;
};

static const char *const known = "~A ~b ~B ~c ~C ~d ~D ~f ~F ~h ~i ~L ~N "
    "~O ~Q ~r ~R ~s ~t ~T ~U ~x ~X ~z";

/* Characters, not bytes, from the start: the column a terminal shows. */
static size_t
column(const struct parser *ps, const char *at)
{
	const char *s;
	size_t col = 1;

	for (s = ps->text; s < at; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			col++;
	return col;
}

/*
 * "PIECE: WHY at column N": the piece is the term from `from` to the end
 * of what was read (or to the next space), so the user sees which part
 * of a long pattern is wrong.
 */
static int
fail(struct parser *ps, const char *from, const char *where, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

#define TERM_SHOWN 48 /* bytes of the faulty term an error shows */

static int
fail(struct parser *ps, const char *from, const char *where, const char *fmt,
    ...)
{
	struct buf why = BUF_INIT;
	const char *end = ps->p > from ? ps->p : from, *cut = "";
	va_list ap;

	/* The term as typed: to the end of its argument; the whole
	 * pattern when the fault is between terms. */
	while (*end && *end != ' ' && *end != '\t' && *end != ')' &&
	    *end != '|')
		end++;
	while (end > from && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == from) {
		from = ps->text;
		end = from + strlen(from);
	}
	/* A long term is cut (at a character's start), so the column
	 * always fits in the sentence. */
	if (end - from > TERM_SHOWN) {
		end = from + TERM_SHOWN;
		while (end > from && ((unsigned char)*end & 0xc0) == 0x80)
			end--;
		cut = "...";
	}
	va_start(ap, fmt);
	buf_vprintf(&why, fmt, ap);
	va_end(ap);
	error_set(ps->err, "%.*s%s: %s at column %zu", (int)(end - from), from,
	    cut, buf_cstr(&why), column(ps, where));
	buf_free(&why);
	return -1;
}

/* After the column (which a narrow status line must still show): the
 * terms postie knows. */
static int
known_ones(struct parser *ps, int rc)
{
	char msg[ERROR_MAX];

	if (ps->err) {
		memcpy(msg, ps->err->msg, sizeof(msg));
		error_set(ps->err, "%s; postie knows %s", msg, known);
	}
	return rc;
}

static struct pat_node *
node(enum pat_kind kind, size_t col)
{
	struct pat_node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->col = col;
	n->min = PAT_MIN;
	n->max = PAT_MAX;
	return n;
}

void
pat_free(struct pat_node **tree)
{
	struct pat_node *n = *tree;

	if (n == NULL)
		return;
	pat_free(&n->a);
	pat_free(&n->b);
	free(n->str);
	free(n);
	*tree = NULL;
}

static void
skip_space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
		ps->p++;
}

static int
ends_word(int c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == ')' ||
	    c == '|';
}

/*
 * One argument or word: 'quoted', "quoted" (spaces and operators kept)
 * or bare up to a space, `)` or `|`; a backslash takes the next
 * character as it is.  *quoted_r tells whether it started with a quote.
 */
static int
read_string(struct parser *ps, struct buf *out, int *quoted_r)
{
	const char *start = ps->p;
	char q = 0;

	buf_reset(out);
	if (*ps->p == '"' || *ps->p == '\'')
		q = *ps->p++;
	for (;;) {
		char c = *ps->p;

		if (q ? c == q : ends_word(c))
			break;
		if (c == '\0')
			return fail(ps, start, start, "the quote is never "
			    "closed");
		if (c == '\\' && ps->p[1] != '\0')
			c = *++ps->p;
		buf_addch(out, c);
		ps->p++;
	}
	if (q)
		ps->p++;
	if (quoted_r)
		*quoted_r = q != 0;
	buf_cstr(out);
	return 0;
}

/* POSIX extended regular expression characters (Mutt's EXPR). */
static int
has_regex_chars(const char *s)
{
	return strpbrk(s, ".[]()*+?{}|^$\\") != NULL;
}

static int
has_capital(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return 1;
	return 0;
}

/* --- numbers, sizes, dates --- */

/* Digits at ps->p into *v (at most 12 of them); 0 if none. */
static int
read_number(struct parser *ps, int64_t *v)
{
	int n = 0;

	*v = 0;
	while (*ps->p >= '0' && *ps->p <= '9') {
		if (++n > 12)
			return -1;
		*v = *v * 10 + (*ps->p++ - '0');
	}
	return n;
}

/* One bound of a size or count range: digits and, for sizes, K or M. */
static int
read_amount(struct parser *ps, const char *from, char op, int64_t *v)
{
	const char *at = ps->p;
	int n = read_number(ps, v);

	if (n < 0)
		return fail(ps, from, at, "the number is too large");
	if (n == 0)
		return fail(ps, from, at, "a number is missing");
	if (op == 'z' && (*ps->p == 'K' || *ps->p == 'k')) {
		*v *= 1024;
		ps->p++;
	} else if (op == 'z' && (*ps->p == 'M' || *ps->p == 'm')) {
		*v *= 1024 * 1024;
		ps->p++;
	}
	if (!ends_word(*ps->p) && *ps->p != '-') {
		if (op == 'z')
			return fail(ps, from, ps->p, "unknown unit '%c' (K or "
			    "M)", *ps->p);
		return fail(ps, from, ps->p, "unexpected '%c'", *ps->p);
	}
	return 0;
}

/* Mutt's ranges: N, <N, >N, N-M, N-, -M. */
static int
parse_range(struct parser *ps, const char *from, struct pat_node *n)
{
	int64_t v;

	if (*ps->p == '<' || *ps->p == '>') {
		char c = *ps->p++;

		if (read_amount(ps, from, n->op, &v) < 0)
			return -1;
		if (c == '<')
			n->max = v - 1;
		else
			n->min = v + 1;
	} else if (*ps->p == '-') {
		ps->p++;
		if (read_amount(ps, from, n->op, &v) < 0)
			return -1;
		n->max = v;
	} else {
		if (read_amount(ps, from, n->op, &v) < 0)
			return -1;
		n->min = v;
		if (*ps->p == '-') {
			ps->p++;
			if (ends_word(*ps->p))
				return 0;
			if (read_amount(ps, from, n->op, &v) < 0)
				return -1;
			n->max = v;
		} else
			n->max = v;
	}
	if (!ends_word(*ps->p))
		return fail(ps, from, ps->p, "unexpected '%c'", *ps->p);
	if (n->min != PAT_MIN && n->max != PAT_MAX && n->min > n->max)
		return fail(ps, from, from, "the range is empty");
	return 0;
}

static time_t
day_start(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static time_t
day_end(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = 23;
	tm.tm_min = tm.tm_sec = 59;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* t moved by sign * n units (y m w d on the calendar, H M S in seconds). */
static time_t
shift(time_t t, int sign, int64_t n, char unit)
{
	struct tm tm;

	switch (unit) {
	case 'H': return t + sign * n * 3600;
	case 'M': return t + sign * n * 60;
	case 'S': return t + sign * n;
	}
	localtime_r(&t, &tm);
	if (unit == 'y')
		tm.tm_year += (int)(sign * n);
	else if (unit == 'm')
		tm.tm_mon += (int)(sign * n);
	else if (unit == 'w')
		tm.tm_mday += (int)(sign * n * 7);
	else
		tm.tm_mday += (int)(sign * n);
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* A count and a unit ("2w"): the units are those of Mutt's dates. */
static int
read_offset(struct parser *ps, const char *from, int relative, int64_t *n,
    char *unit)
{
	const char *at = ps->p;
	int k = read_number(ps, n);

	if (k < 0 || *n > 100000)
		return fail(ps, from, at, "the number is too large");
	if (k == 0)
		return fail(ps, from, at, "a number is missing");
	if (*ps->p == '\0' || ends_word(*ps->p))
		return fail(ps, from, at, "a unit is missing (%s)",
		    relative ? "d, w, m, y, H, M or S" : "d, w, m or y");
	if (strchr(relative ? "dwmyHMS" : "dwmy", *ps->p) == NULL)
		return fail(ps, from, at, "unknown unit '%c'", *ps->p);
	*unit = *ps->p++;
	return 0;
}

/*
 * An absolute date: DD[/MM[/YY[YY]]] (month and year default to now's)
 * or YYYYMMDD, as Mutt reads them; then an optional error margin
 * (+2w, -1d, *3d).  *lo and *hi: the first and last second it covers.
 */
static int
read_date(struct parser *ps, const char *from, time_t *lo, time_t *hi)
{
	const char *at = ps->p;
	struct tm tm, now_tm;
	int64_t d, m = -1, y = -1;
	int k;
	time_t t;

	localtime_r(&ps->now, &now_tm);
	k = read_number(ps, &d);
	if (k == 4 && ps->p[0] == '-' && ps->p[1] >= '0' && ps->p[1] <= '9' &&
	    ps->p[2] >= '0' && ps->p[2] <= '9' && ps->p[3] == '-') {
		/* ISO 8601, YYYY-MM-DD: what a date looks like elsewhere
		 * (postie list prints it). */
		y = d;
		ps->p++;
		read_number(ps, &m);
		ps->p++;
		if (read_number(ps, &d) != 2)
			return fail(ps, from, at, "not a date (DD/MM/YY, "
			    "YYYYMMDD or YYYY-MM-DD)");
	} else if (k == 8) {
		y = d / 10000;
		m = d / 100 % 100;
		d %= 100;
	} else if (k == 1 || k == 2) {
		if (*ps->p == '/') {
			ps->p++;
			if ((k = read_number(ps, &m)) < 1 || k > 2)
				return fail(ps, from, at, "a month is missing");
			if (*ps->p == '/') {
				ps->p++;
				k = read_number(ps, &y);
				if (k == 2)
					y += y < 70 ? 2000 : 1900;
				else if (k != 4)
					return fail(ps, from, at, "a year "
					    "has 2 or 4 digits");
			}
		}
	} else
		return fail(ps, from, at, "not a date (DD/MM/YY, "
		    "YYYYMMDD or YYYY-MM-DD)");
	memset(&tm, 0, sizeof(tm));
	tm.tm_mday = (int)d;
	tm.tm_mon = m < 0 ? now_tm.tm_mon : (int)m - 1;
	tm.tm_year = y < 0 ? now_tm.tm_year : (int)y - 1900;
	tm.tm_isdst = -1;
	if (d < 1 || d > 31 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    (t = mktime(&tm)) == (time_t)-1 || tm.tm_mday != (int)d)
		return fail(ps, from, at, "no such date");
	*lo = day_start(t);
	*hi = day_end(t);
	/* A margin: '-' only when a count and a unit follow (else it is
	 * the range's dash). */
	if (*ps->p == '+' || *ps->p == '*' ||
	    (*ps->p == '-' && ps->p[1] >= '0' && ps->p[1] <= '9' &&
	    strchr("dwmy", ps->p[1 + strspn(ps->p + 1, "0123456789")]) !=
	    NULL && ps->p[1 + strspn(ps->p + 1, "0123456789")] != '\0')) {
		char sign = *ps->p++, unit;
		int64_t n;

		if (read_offset(ps, from, 0, &n, &unit) < 0)
			return -1;
		if (sign != '+')
			*lo = shift(*lo, -1, n, unit);
		if (sign != '-')
			*hi = shift(*hi, 1, n, unit);
	}
	return 0;
}

/* ~d and ~r: <2w >1m =3d (relative), or absolute dates and ranges. */
static int
parse_dates(struct parser *ps, const char *from, struct pat_node *n)
{
	time_t lo, hi, lo2, hi2;

	if (*ps->p == '<' || *ps->p == '>' || *ps->p == '=') {
		char c = *ps->p++, unit;
		int64_t k;
		time_t t;

		if (read_offset(ps, from, 1, &k, &unit) < 0)
			return -1;
		t = shift(ps->now, -1, k, unit);
		if (c == '<')
			n->min = t;
		else if (c == '>')
			n->max = t - 1;
		else {
			n->min = day_start(t);
			n->max = day_end(t);
		}
	} else if (*ps->p == '-') {
		ps->p++;
		if (read_date(ps, from, &lo, &hi) < 0)
			return -1;
		n->max = hi;
	} else {
		if (read_date(ps, from, &lo, &hi) < 0)
			return -1;
		n->min = lo;
		n->max = hi;
		if (*ps->p == '-') {
			ps->p++;
			n->max = PAT_MAX;
			if (!ends_word(*ps->p)) {
				if (read_date(ps, from, &lo2, &hi2) < 0)
					return -1;
				n->max = hi2;
			}
		}
	}
	if (!ends_word(*ps->p))
		return fail(ps, from, ps->p, "unexpected '%c'", *ps->p);
	if (n->min != PAT_MIN && n->max != PAT_MAX && n->min > n->max)
		return fail(ps, from, from, "the range is empty");
	return 0;
}

/* --- terms and operators --- */

static int parse_or(struct parser *, struct pat_node **);

static int string_node(struct parser *, const char *, char, char, char *,
    struct pat_node **);

/*
 * ~f ("Jim +Somebody"|"Ed +SomeoneElse"): the manual's shorthand for the
 * same term with each string, or'ed.
 */
static int
string_group(struct parser *ps, const char *from, char prefix, char op,
    struct pat_node **out)
{
	const char *open = ps->p;
	struct buf arg = BUF_INIT;
	struct pat_node *left = NULL, *n, *or;

	ps->p++;
	for (;;) {
		skip_space(ps);
		if (ends_word(*ps->p)) {
			pat_free(&left);
			buf_free(&arg);
			return fail(ps, from, *ps->p ? ps->p : open,
			    *ps->p == '\0' ?
			    "the parenthesis is never closed" :
			    "a string is missing");
		}
		if (read_string(ps, &arg, NULL) < 0 ||
		    string_node(ps, from, prefix, op, buf_detach(&arg, NULL),
		    &n) < 0) {
			pat_free(&left);
			buf_free(&arg);
			return -1;
		}
		if (left) {
			or = node(PAT_OR, left->col);
			or->a = left;
			or->b = n;
			left = or;
		} else
			left = n;
		skip_space(ps);
		if (*ps->p == ')')
			break;
		if (*ps->p != '|') {
			pat_free(&left);
			return fail(ps, from, *ps->p ? ps->p : open,
			    *ps->p ? "expected '|' or ')'" :
			    "the parenthesis is never closed");
		}
		ps->p++;
	}
	ps->p++;
	buf_free(&arg);
	*out = left;
	return 0;
}

/* ~X or =X and what it takes. */
static int
parse_term(struct parser *ps, struct pat_node **out)
{
	const char *from = ps->p;
	char prefix = *ps->p, op = ps->p[1];
	size_t col = column(ps, from);
	struct buf arg = BUF_INIT;
	struct pat_node *n;

	if (op == '\0' || op == ' ')
		return known_ones(ps, fail(ps, from, from, "a letter must "
		    "follow '%c'", prefix));
	ps->p += 2;
	if (strchr("NOURFDTAQ", op) != NULL) {
		if (prefix == '=')
			return fail(ps, from, from, "=%c takes no string; "
			    "write ~%c", op, op);
		if (!ends_word(*ps->p) && *ps->p != '(')
			return fail(ps, from, ps->p, "~%c takes no argument",
			    op);
		n = node(PAT_FLAG, col);
		n->op = op;
		*out = n;
		return 0;
	}
	if (strchr("ftcCLsbBhix", op) == NULL && strchr("drzX", op) == NULL)
		return known_ones(ps, fail(ps, from, from, "unknown "
		    "pattern"));
	if (prefix == '=' && strchr("drzX", op) != NULL)
		return fail(ps, from, from, "=%c is not a pattern; write ~%c",
		    op, op);
	skip_space(ps);
	if (ends_word(*ps->p))
		return fail(ps, from, from, "%c%c needs an argument", prefix,
		    op);
	if (strchr("drzX", op) != NULL) {
		n = node(PAT_RANGE, col);
		n->op = op;
		if ((op == 'd' || op == 'r' ? parse_dates(ps, from, n) :
		    parse_range(ps, from, n)) < 0) {
			pat_free(&n);
			return -1;
		}
		*out = n;
		return 0;
	}
	if (*ps->p == '(')
		return string_group(ps, from, prefix, op, out);
	if (read_string(ps, &arg, NULL) < 0) {
		buf_free(&arg);
		return -1;
	}
	return string_node(ps, from, prefix, op, buf_detach(&arg, NULL), out);
}

/*
 * What a regular expression would cost to compile, or NULL when it is
 * cheap.  glibc's regcomp copies a subexpression once per repetition, so
 * repetitions stacked or nested ("m++++", "((a{100}){100})") make a short
 * pattern take gigabytes.  The cost counts every repetition as if it
 * were nested in the ones before it: a bound of n costs n + 1, the
 * others 2, and their product stays under REGEX_COST_MAX, which still
 * lets a typed pattern have a dozen.  Inside a bracket expression the
 * characters are literal.
 */
#define REGEX_COST_MAX 4096
static const char *
regex_too_costly(const char *s)
{
	unsigned long cost = 1, f, v;
	const char *p, *q;
	char *end;
	int prev = 0; /* the character before was a repetition */

	for (p = s; *p; p++) {
		if (*p == '\\') {
			if (p[1])
				p++;
			prev = 0;
			continue;
		}
		if (*p == '[') {
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p++;
			if (*p == '\0')
				break;
			prev = 0;
			continue;
		}
		if (*p != '*' && *p != '+' && *p != '?' && *p != '{') {
			prev = 0;
			continue;
		}
		if (prev)
			return "one repetition right after another";
		f = 2;
		if (*p == '{') {
			for (q = p + 1;; q++) {
				v = strtoul(q, &end, 10);
				if (end != q && (v > 255 || v + 1 > f))
					f = v > 255 ? REGEX_COST_MAX + 1 : v + 1;
				q = end;
				if (*q != ',')
					break;
			}
			if (*q == '}')
				p = q;
		}
		cost *= f;
		if (cost > REGEX_COST_MAX)
			return "too many or too large repetitions";
		prev = 1;
	}
	return NULL;
}

/* One PAT_STR: str (taken) checked as a regular expression when it is
 * one. */
static int
string_node(struct parser *ps, const char *from, char prefix, char op,
    char *str, struct pat_node **out)
{
	struct pat_node *n = node(PAT_STR, column(ps, from));

	n->op = op;
	n->str = str;
	n->icase = !has_capital(n->str);
	n->literal = prefix == '=' || !has_regex_chars(n->str);
	if (!n->literal) {
		regex_t re;
		const char *costly = regex_too_costly(n->str);
		int rc;

		if (costly != NULL) {
			pat_free(&n);
			return fail(ps, from, from, "a regular expression with "
			    "%s (=%c takes the string as it is)", costly, op);
		}
		rc = regcomp(&re, n->str, REG_EXTENDED | REG_NOSUB);

		if (rc != 0) {
			char why[128];

			regerror(rc, &re, why, sizeof(why));
			pat_free(&n);
			return fail(ps, from, from, "not a regular expression "
			    "(%s; =%c takes the string as it is)", why, op);
		}
		regfree(&re);
	}
	*out = n;
	return 0;
}

static int
parse_unary(struct parser *ps, struct pat_node **out)
{
	const char *from;
	struct buf w = BUF_INIT;
	struct pat_node *n;
	int quoted;

	skip_space(ps);
	from = ps->p;
	if (++ps->depth > PAT_MAX_DEPTH)
		return fail(ps, from, from, "nested too deep");
	if (*ps->p == '!') {
		ps->p++;
		skip_space(ps);
		if (*ps->p == '\0' || *ps->p == ')' || *ps->p == '|')
			return fail(ps, from, from, "'!' needs something to "
			    "negate");
		n = node(PAT_NOT, column(ps, from));
		if (parse_unary(ps, &n->a) < 0) {
			pat_free(&n);
			return -1;
		}
		*out = n;
	} else if (*ps->p == '(') {
		ps->p++;
		skip_space(ps);
		if (*ps->p == ')' && ps->p++)
			return fail(ps, from, from, "the parentheses are "
			    "empty");
		if (parse_or(ps, out) < 0)
			return -1;
		skip_space(ps);
		if (*ps->p != ')') {
			pat_free(out);
			ps->p = from + 1;
			return fail(ps, from, from, "the parenthesis is never "
			    "closed");
		}
		ps->p++;
	} else if (*ps->p == '~' || *ps->p == '=') {
		if (parse_term(ps, out) < 0)
			return -1;
	} else if ((*ps->p == '^' || *ps->p == '@') &&
	    (ps->p[1] == '~' || ps->p[1] == '=')) {
		return fail(ps, from, from, "'%c' before a pattern is not "
		    "supported", *ps->p);
	} else if (*ps->p == '%') {
		return fail(ps, from, from, "address groups (%%) are not "
		    "supported");
	} else {
		if (read_string(ps, &w, &quoted) < 0) {
			buf_free(&w);
			return -1;
		}
		n = node(PAT_WORDS, column(ps, from));
		n->phrase = quoted;
		n->str = buf_detach(&w, NULL);
		*out = n;
	}
	ps->depth--;
	return 0;
}

static struct pat_node *
join(enum pat_kind kind, struct pat_node *a, struct pat_node *b)
{
	struct pat_node *n = node(kind, a->col);

	n->a = a;
	n->b = b;
	return n;
}

/* Juxtaposition.  Plain words next to each other become one node, so
 * that they cost one full-text lookup. */
static int
parse_and(struct parser *ps, struct pat_node **out)
{
	struct pat_node *left = NULL, *n, *last;

	for (;;) {
		skip_space(ps);
		if (*ps->p == '\0' || *ps->p == ')' || *ps->p == '|')
			break;
		if (parse_unary(ps, &n) < 0) {
			pat_free(&left);
			return -1;
		}
		last = left && left->kind == PAT_AND ? left->b : left;
		if (last && last->kind == PAT_WORDS && !last->phrase &&
		    n->kind == PAT_WORDS && !n->phrase) {
			struct buf b = BUF_INIT;

			buf_printf(&b, "%s %s", last->str, n->str);
			free(last->str);
			last->str = buf_detach(&b, NULL);
			pat_free(&n);
			continue;
		}
		left = left ? join(PAT_AND, left, n) : n;
	}
	if (left == NULL) {
		const char *at = ps->p;

		return fail(ps, at, at, *at == ')' ? "unexpected ')'" :
		    *at == '|' ? "'|' needs a pattern on each side" :
		    "a pattern is missing");
	}
	*out = left;
	return 0;
}

static int
parse_or(struct parser *ps, struct pat_node **out)
{
	struct pat_node *left, *right;

	if (parse_and(ps, &left) < 0)
		return -1;
	for (;;) {
		skip_space(ps);
		if (*ps->p != '|')
			break;
		ps->p++;
		if (parse_and(ps, &right) < 0) {
			pat_free(&left);
			return -1;
		}
		left = join(PAT_OR, left, right);
	}
	*out = left;
	return 0;
}

int
pat_parse(const char *text, time_t now, struct pat_node **tree_r,
    struct error *err)
{
	struct parser ps = { text, text, now, 0, err };

	*tree_r = NULL;
	if (strlen(text) > PAT_MAX_LEN)
		return error_set(err, "the pattern is longer than %d "
		    "characters", PAT_MAX_LEN);
	skip_space(&ps);
	if (*ps.p == '\0')
		return 0;
	if (parse_or(&ps, tree_r) < 0)
		return -1;
	skip_space(&ps);
	if (*ps.p != '\0') {
		pat_free(tree_r);
		return fail(&ps, ps.p, ps.p, "unexpected '%c'", *ps.p);
	}
	return 0;
}

static void
dump(struct buf *b, const struct pat_node *n)
{
	switch (n->kind) {
	case PAT_AND:
	case PAT_OR:
		buf_addch(b, '(');
		dump(b, n->a);
		buf_addstr(b, n->kind == PAT_AND ? " & " : " | ");
		dump(b, n->b);
		buf_addch(b, ')');
		break;
	case PAT_NOT:
		buf_addch(b, '!');
		dump(b, n->a);
		break;
	case PAT_FLAG:
		buf_printf(b, "~%c", n->op);
		break;
	case PAT_STR:
		buf_printf(b, "%c%c%s{%s}", n->literal ? '=' : '~', n->op,
		    n->icase ? "i" : "", n->str);
		break;
	case PAT_WORDS:
		buf_printf(b, n->phrase ? "\"%s\"" : "[%s]", n->str);
		break;
	case PAT_RANGE:
		buf_printf(b, "~%c ", n->op);
		if (n->min != PAT_MIN)
			buf_printf(b, "%lld", (long long)n->min);
		buf_addstr(b, "..");
		if (n->max != PAT_MAX)
			buf_printf(b, "%lld", (long long)n->max);
		break;
	}
}

char *
pat_dump(const struct pat_node *n)
{
	struct buf b = BUF_INIT;

	if (n == NULL)
		buf_addstr(&b, "(all)");
	else
		dump(&b, n);
	return buf_detach(&b, NULL);
}
