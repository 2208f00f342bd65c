/* addrbook: seen addresses, ranked for completion (cache/addrbook.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/addrbook.h"
#include "core/hash.h"
#include "core/str.h"
#include "core/xalloc.h"

struct entry {
	char *addr; /* as first seen */
	char *key;  /* addr, ASCII lower case */
	char *name; /* the latest non-empty name, or "" */
	int64_t name_date;
	double score;
};

struct addrbook {
	int64_t start;
	struct entry *v;
	size_t n, cap;
	size_t *slot; /* index + 1 into v, 0 = empty; size nslot (2^k) */
	size_t nslot;
	char **mine;
	size_t nmine;
};

static char *
lower(const char *s, size_t len)
{
	char *k = xstrndup(s, len);
	char *p;

	for (p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return k;
}

struct addrbook *
addrbook_new(int64_t now)
{
	struct addrbook *ab = xcalloc(1, sizeof(*ab));

	ab->start = now;
	ab->nslot = 64;
	ab->slot = xcalloc(ab->nslot, sizeof(*ab->slot));
	return ab;
}

void
addrbook_free(struct addrbook **abp)
{
	struct addrbook *ab = *abp;
	size_t i;

	if (ab == NULL)
		return;
	for (i = 0; i < ab->n; i++) {
		free(ab->v[i].addr);
		free(ab->v[i].key);
		free(ab->v[i].name);
	}
	for (i = 0; i < ab->nmine; i++)
		free(ab->mine[i]);
	free(ab->mine);
	free(ab->v);
	free(ab->slot);
	free(ab);
	*abp = NULL;
}

void
addrbook_mine(struct addrbook *ab, const char *addr)
{
	if (addrbook_is_mine(ab, addr))
		return;
	ab->mine = xreallocarray(ab->mine, ab->nmine + 1, sizeof(*ab->mine));
	ab->mine[ab->nmine++] = lower(addr, strlen(addr));
}

static int is_mine_n(const struct addrbook *ab, const char *addr,
    size_t len);

int
addrbook_is_mine(const struct addrbook *ab, const char *addr)
{
	return is_mine_n(ab, addr, strlen(addr));
}

/* The slot of key: where it is, or the empty one where it goes. */
static size_t
find(const struct addrbook *ab, const char *key)
{
	size_t i = (size_t)hash_keyed(key, strlen(key)) & (ab->nslot - 1);

	while (ab->slot[i] != 0 && strcmp(ab->v[ab->slot[i] - 1].key, key) != 0)
		i = (i + 1) & (ab->nslot - 1);
	return i;
}

static void
grow(struct addrbook *ab)
{
	size_t i, *old = ab->slot, nold = ab->nslot;

	ab->nslot *= 2;
	ab->slot = xcalloc(ab->nslot, sizeof(*ab->slot));
	for (i = 0; i < nold; i++)
		if (old[i] != 0)
			ab->slot[find(ab, ab->v[old[i] - 1].key)] = old[i];
	free(old);
}

/* An address worth offering: local@domain, no blank or control. */
static int
plausible(const char *a, size_t len)
{
	const char *at = memchr(a, '@', len);
	size_t i;

	if (at == NULL || at == a || at == a + len - 1 ||
	    len > ADDRBOOK_FIELD_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)a[i] <= ' ' || a[i] == '<' || a[i] == '>' ||
		    a[i] == ',' || a[i] == 0x7f)
			return 0;
	return 1;
}

/* 2^x for x <= 0, without libm: 2^-k by squaring, 2^-f (0 <= f < 1)
 * by its series (e^y, y = -f ln 2, 12 terms: error below 1e-12). */
static double
pow2(double x)
{
	double base = 0.5, r = 1, y, term = 1;
	long k;
	int i;

	if (x > 0)
		x = 0;
	if (-x > 2000)
		return 0;
	k = (long)-x;
	y = (x + (double)k) * 0.69314718055994530942; /* in (-ln 2, 0] */
	for (i = 1; i <= 12; i++) {
		term *= y / i;
		r += term;
	}
	for (; k > 0; k >>= 1, base *= base)
		if (k & 1)
			r *= base;
	return r;
}

static void
add(struct addrbook *ab, const char *name, size_t nlen, const char *addr,
    size_t alen, int64_t date, double weight)
{
	struct entry *e;
	char *key;
	size_t s;

	if (!plausible(addr, alen))
		return;
	key = lower(addr, alen);
	if (addrbook_is_mine(ab, key)) {
		free(key);
		return;
	}
	/* No date: as if long ago; a date to come (a wrong clock, or the
	 * book older than the message): now. */
	if (date <= 0)
		date = ab->start - 10 * (int64_t)ADDRBOOK_HALF_LIFE;
	else if (date > ab->start)
		date = ab->start;
	if (nlen > ADDRBOOK_FIELD_MAX)
		nlen = ADDRBOOK_FIELD_MAX;
	s = find(ab, key);
	if (ab->slot[s] == 0) {
		if (ab->n == ab->cap) {
			ab->cap = ab->cap ? 2 * ab->cap : 64;
			ab->v = xreallocarray(ab->v, ab->cap, sizeof(*ab->v));
		}
		e = &ab->v[ab->n++];
		memset(e, 0, sizeof(*e));
		e->addr = xstrndup(addr, alen);
		e->key = key;
		e->name = xstrdup("");
		e->name_date = INT64_MIN;
		ab->slot[s] = ab->n;
		if (2 * ab->n > ab->nslot)
			grow(ab);
	} else {
		e = &ab->v[ab->slot[s] - 1];
		free(key);
	}
	e->score += weight * pow2((double)(date - ab->start) /
	    ADDRBOOK_HALF_LIFE);
	if (nlen > 0 && date >= e->name_date) {
		free(e->name);
		e->name = xstrndup(name, nlen);
		e->name_date = date;
	}
}

void
addrbook_add(struct addrbook *ab, const char *name, const char *addr,
    int64_t date, double weight)
{
	add(ab, name ? name : "", name ? strlen(name) : 0, addr, strlen(addr),
	    date, weight);
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '"')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '"'))
		(*len)--;
}

void
addrbook_add_list(struct addrbook *ab, const char *list, int64_t date,
    double weight)
{
	const char *p = list, *name = NULL;

	if (list == NULL)
		return;
	/* Pieces between ", ": "Name <addr>", "addr", or part of a name
	 * that held ", " (kept from name on until its "<addr>"). */
	while (*p) {
		const char *e = strstr(p, ", "), *lt, *gt;
		size_t len = e ? (size_t)(e - p) : strlen(p);

		gt = len > 0 && p[len - 1] == '>' ? p + len - 1 : NULL;
		lt = NULL;
		if (gt)
			for (lt = gt; lt > p && *lt != '<'; lt--)
				;
		if (gt && *lt == '<') {
			const char *n = name ? name : p;
			size_t nlen = (size_t)(lt - n);

			trim(&n, &nlen);
			add(ab, n, nlen, lt + 1, (size_t)(gt - lt - 1), date,
			    weight);
			name = NULL;
		} else if (memchr(p, '@', len) && !memchr(p, ' ', len)) {
			add(ab, "", 0, p, len, date, weight);
			name = NULL;
		} else if (name == NULL) {
			name = p;
		}
		p = e ? e + 2 : p + len;
	}
}

size_t
addrbook_addr_of(const char *v, const char **addr_r)
{
	const char *lt = strrchr(v, '<'), *gt;

	if (lt && (gt = strchr(lt, '>')) != NULL) {
		*addr_r = lt + 1;
		return (size_t)(gt - lt - 1);
	}
	*addr_r = v + strspn(v, " ");
	return strcspn(*addr_r, " ");
}

static int
is_mine_n(const struct addrbook *ab, const char *addr, size_t len)
{
	size_t i;

	for (i = 0; i < ab->nmine; i++)
		if (strlen(ab->mine[i]) == len &&
		    str_ncasecmp(ab->mine[i], addr, len) == 0)
			return 1;
	return 0;
}

void
addrbook_add_message(struct addrbook *ab, const char *from, const char *to,
    const char *cc, int64_t date)
{
	const char *a;
	size_t alen = from ? addrbook_addr_of(from, &a) : 0;
	int mine = alen > 0 && is_mine_n(ab, a, alen);

	if (!mine)
		addrbook_add_list(ab, from, date, ADDRBOOK_W_FROM);
	addrbook_add_list(ab, to, date, mine ? ADDRBOOK_W_SENT : ADDRBOOK_W_CC);
	addrbook_add_list(ab, cc, date, mine ? ADDRBOOK_W_SENT : ADDRBOOK_W_CC);
}

size_t
addrbook_size(const struct addrbook *ab)
{
	return ab->n;
}

/* Where q (lower case) occurs in s, ASCII case folded, or NULL. */
static const char *
find_folded(const char *s, const char *q, size_t qlen)
{
	const char *p;
	size_t i;

	for (p = s; *p; p++) {
		for (i = 0; i < qlen && p[i]; i++) {
			char c = p[i];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != q[i])
				break;
		}
		if (i == qlen)
			return p;
	}
	return NULL;
}

/* 0: q starts the address or a word of the name; 1: q occurs in one;
 * 2: no match. */
static int
klass(const struct entry *e, const char *q, size_t qlen)
{
	const char *p;
	int k = 2;

	if (qlen == 0)
		return 0;
	if ((p = find_folded(e->key, q, qlen)) != NULL) {
		if (p == e->key)
			return 0;
		k = 1;
	}
	for (p = e->name; (p = find_folded(p, q, qlen)) != NULL; p++) {
		if (p == e->name || strchr(" .-_'(\"", p[-1]))
			return 0;
		k = 1;
	}
	return k;
}

struct ranked {
	const struct entry *e;
	int k;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->k != y->k)
		return x->k - y->k;
	if (x->e->score != y->e->score)
		return x->e->score > y->e->score ? -1 : 1;
	return strcmp(x->e->key, y->e->key);
}

size_t
addrbook_match(const struct addrbook *ab, const char *query,
    struct addrbook_hit *hits, size_t max)
{
	struct ranked *r;
	size_t i, n = 0, qlen;
	char *q;

	while (*query == ' ')
		query++;
	q = lower(query, strlen(query));
	qlen = strlen(q);
	while (qlen > 0 && q[qlen - 1] == ' ')
		q[--qlen] = '\0';
	r = xreallocarray(NULL, ab->n ? ab->n : 1, sizeof(*r));
	for (i = 0; i < ab->n; i++) {
		int k = klass(&ab->v[i], q, qlen);

		if (k < 2) {
			r[n].e = &ab->v[i];
			r[n++].k = k;
		}
	}
	qsort(r, n, sizeof(*r), cmp_ranked);
	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		hits[i].name = r[i].e->name;
		hits[i].addr = r[i].e->addr;
		hits[i].score = r[i].e->score;
	}
	free(r);
	free(q);
	return n;
}

void
addrbook_query_lines(const char *out, size_t len,
    void (*fn)(void *arg, const char *name, size_t nlen, const char *addr,
    size_t alen), void *arg)
{
	const char *p = out, *end = out + len;
	int first = 1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *t1, *t2, *q;

		if (le > p && le[-1] == '\r')
			le--;
		for (t1 = p; t1 < le && *t1 != '\t'; t1++)
			;
		if (!first && t1 < le) {
			for (t2 = t1 + 1; t2 < le && *t2 != '\t'; t2++)
				;
			for (q = t1 + 1; q < t2 && (unsigned char)*q >= ' ' &&
			    *q != 0x7f; q++)
				;
			if (q == t2 && plausible(p, (size_t)(t1 - p)))
				fn(arg, t1 + 1, (size_t)(t2 - t1 - 1), p,
				    (size_t)(t1 - p));
		}
		first = 0;
		p = nl ? nl + 1 : end;
	}
}
