/* thread: JWZ threading (see thread.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/thread.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/str.h"
#include "core/xalloc.h"

#define NONE UINT32_MAX
#define MAX_REFS 256 /* references per message considered (newest kept) */

struct cont {
	const char *id; /* not NUL-terminated; idlen bytes */
	size_t idlen;
	uint32_t msg;   /* index into msgs, or NONE for an empty container */
	uint32_t parent, child, next;
	uint32_t prev;  /* previous sibling while messages are linked (so a
			 * child leaves a long list at once), NONE first */
	int64_t date;   /* own date, or earliest below for an empty one */
	int64_t newest; /* newest date in the subtree */
};

struct slot {
	uint32_t k;     /* container, NONE = empty */
	uint32_t h;     /* high bits of the id's hash: most misses stop here */
};

struct tctx {
	const struct thread_msg *msgs;
	struct cont *c;
	size_t nc, cap;
	struct slot *hash; /* open addressing */
	size_t hsize;
	uint32_t *nrefs;   /* per message: ids in References */
};

/* Message-IDs and subjects come from whoever sends mail: a keyed hash,
 * so that no one can make them collide and the tables quadratic. */
static uint64_t
hash_bytes(const char *s, size_t n)
{
	return hash_keyed(s, n);
}

static uint32_t
new_cont(struct tctx *t, const char *id, size_t idlen)
{
	struct cont *c;

	if (t->nc == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->c = xreallocarray(t->c, t->cap, sizeof(*t->c));
	}
	c = &t->c[t->nc];
	c->id = id;
	c->idlen = idlen;
	c->msg = c->parent = c->child = c->next = c->prev = NONE;
	c->date = c->newest = 0;
	return (uint32_t)t->nc++;
}

/* The container for an id, created if absent; *slot_r is its hash slot. */
static uint32_t
lookup(struct tctx *t, const char *id, size_t len, int create)
{
	uint64_t hv = hash_bytes(id, len);
	size_t i = hv & (t->hsize - 1);
	uint32_t k, h = (uint32_t)(hv >> 32);

	while ((k = t->hash[i].k) != NONE) {
		if (t->hash[i].h == h && t->c[k].idlen == len &&
		    memcmp(t->c[k].id, id, len) == 0)
			return k;
		i = (i + 1) & (t->hsize - 1);
	}
	if (!create)
		return NONE;
	k = new_cont(t, id, len);
	t->hash[i].k = k;
	t->hash[i].h = h;
	return k;
}

/* Next message id in s: "<x>" or a bare word; brackets stripped. */
static const char *
next_id(const char **sp, size_t *len_r)
{
	const char *s = *sp, *e;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == ',' || *s == '\n' ||
		    *s == '\r')
			s++;
		if (*s == '\0') {
			*sp = s;
			return NULL;
		}
		if (*s == '<') {
			s++;
			for (e = s; *e && *e != '>' && *e != ' '; e++)
				;
		} else
			for (e = s; *e && *e != ' ' && *e != '\t' &&
			    *e != ','; e++)
				;
		*sp = *e == '>' ? e + 1 : e;
		if (e > s) {
			*len_r = (size_t)(e - s);
			return s;
		}
		s = *sp;
	}
}

static int
is_ancestor(struct tctx *t, uint32_t a, uint32_t b)
{
	size_t steps = 0;

	/* Is a equal to b or above it?  Very deep chains are refused too,
	 * so hostile references cannot make threading quadratic. */
	for (; b != NONE && steps <= 4096; b = t->c[b].parent, steps++)
		if (b == a)
			return 1;
	return steps > 4096;
}

static void
unlink_child(struct tctx *t, uint32_t k)
{
	uint32_t p = t->c[k].parent, prev = t->c[k].prev, next = t->c[k].next;

	if (p == NONE)
		return;
	if (prev == NONE)
		t->c[p].child = next;
	else
		t->c[prev].next = next;
	if (next != NONE)
		t->c[next].prev = prev;
	t->c[k].parent = t->c[k].next = t->c[k].prev = NONE;
}

static void
link_child(struct tctx *t, uint32_t parent, uint32_t k)
{
	if (parent == k || is_ancestor(t, k, parent))
		return;
	unlink_child(t, k);
	t->c[k].parent = parent;
	t->c[k].next = t->c[parent].child;
	t->c[k].prev = NONE;
	if (t->c[parent].child != NONE)
		t->c[t->c[parent].child].prev = k;
	t->c[parent].child = k;
}

const char *
thread_base_subject(const char *s, size_t *len_r)
{
	size_t len;
	int again = 1, c0, c1;

	if (s == NULL)
		s = "";
	while (again) {
		again = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[') { /* [list] tag */
			const char *e = strchr(s, ']');

			if (e && e - s < 64) {
				s = e + 1;
				again = 1;
				continue;
			}
		}
		/* "Re:", "Aw:", "Sv:", "Fwd:", "Fw:", any case; tested a
		 * character at a time (this runs for every message). */
		c0 = str_ascii_lower(s[0]);
		c1 = c0 ? str_ascii_lower(s[1]) : 0;
		if (((c0 == 'r' && c1 == 'e') || (c0 == 'a' && c1 == 'w') ||
		    (c0 == 's' && c1 == 'v')) && s[2] == ':') {
			s += 3;
			again = 1;
		} else if (c0 == 'f' && c1 == 'w' &&
		    str_ascii_lower(s[2]) == 'd' && s[3] == ':') {
			s += 4;
			again = 1;
		} else if (c0 == 'f' && c1 == 'w' && s[2] == ':') {
			s += 3;
			again = 1;
		}
	}
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*len_r = len;
	return s;
}

struct skey {
	int64_t date;
	int64_t date2; /* tie-break */
	uint32_t k;
};

static int
cmp_skey(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->date2 != y->date2)
		return x->date2 < y->date2 ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

static uint64_t
skey_field(const struct skey *x, int field)
{
	if (field == 0)
		return x->k;
	/* Signed to unsigned, order kept. */
	return (uint64_t)(field == 1 ? x->date2 : x->date) ^
	    (uint64_t)1 << 63;
}

/* Stable LSD radix sort of a[0..n) on one field; bytes equal in every
 * key are skipped. */
static void
radix_skey(struct skey *a, struct skey *tmp, size_t n, int field)
{
	size_t cnt[8][256], i, b, sum, c;
	struct skey *src = a, *dst = tmp, *sw;
	unsigned p;
	uint64_t v;

	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++)
		for (v = skey_field(&a[i], field), p = 0; p < 8; p++)
			cnt[p][(v >> (8 * p)) & 0xFF]++;
	for (p = 0; p < 8; p++) {
		if (cnt[p][(skey_field(&a[0], field) >> (8 * p)) & 0xFF] == n)
			continue;
		for (b = 0, sum = 0; b < 256; b++) {
			c = cnt[p][b];
			cnt[p][b] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[p][(skey_field(&src[i], field) >> (8 * p)) &
			    0xFF]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

/* Sorts keys by (date, date2, k). */
static void
sort_keys(struct skey *a, size_t n)
{
	struct skey x, *r;
	size_t i, j;

	if (n <= 16) { /* most lists: insertion sort, no qsort call */
		for (i = 1; i < n; i++) {
			x = a[i];
			for (j = i; j > 0 && cmp_skey(&a[j - 1], &x) > 0; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
	} else if (n < 4096)
		qsort(a, n, sizeof(*a), cmp_skey);
	else { /* the roots: three stable radix passes, k first */
		r = xreallocarray(NULL, n, sizeof(*r));
		radix_skey(a, r, n, 0);
		radix_skey(a, r, n, 1);
		radix_skey(a, r, n, 2);
		free(r);
	}
}

/* Sorts the child list starting at *head by date, relinking. */
static void
sort_list(struct tctx *t, uint32_t *head, struct skey **tmp, size_t *tmpcap)
{
	size_t n = 0, i;
	uint32_t k;

	for (k = *head; k != NONE; k = t->c[k].next)
		n++;
	if (n < 2)
		return;
	if (n > *tmpcap) {
		*tmpcap = n;
		*tmp = xreallocarray(*tmp, n, sizeof(**tmp));
	}
	for (i = 0, k = *head; k != NONE; k = t->c[k].next, i++) {
		(*tmp)[i].date = (*tmp)[i].date2 = t->c[k].date;
		(*tmp)[i].k = k;
	}
	sort_keys(*tmp, n);
	for (i = 0; i + 1 < n; i++)
		t->c[(*tmp)[i].k].next = (*tmp)[i + 1].k;
	t->c[(*tmp)[n - 1].k].next = NONE;
	*head = (*tmp)[0].k;
}

static size_t
count_ids(const char *s)
{
	size_t n = 0, len;

	while (s && next_id(&s, &len))
		n++;
	return n;
}

static void
add_message(struct tctx *t, uint32_t i)
{
	const struct thread_msg *m = &t->msgs[i];
	const char *s, *id, *irt = NULL;
	size_t len, irtlen = 0, nrefs, skip, lastlen = 0;
	uint32_t k = NONE, prev = NONE, rk;
	const char *last = NULL;

	s = m->message_id;
	if (s && (id = next_id(&s, &len)) != NULL) {
		k = lookup(t, id, len, 1);
		if (t->c[k].msg != NONE) /* duplicate id: a separate message */
			k = NONE;
	}
	if (k == NONE)
		k = new_cont(t, NULL, 0);
	t->c[k].msg = i;
	t->c[k].date = t->c[k].newest = m->date;

	nrefs = t->nrefs[i];
	skip = nrefs > MAX_REFS ? nrefs - MAX_REFS : 0;
	s = m->references;
	while (s && (id = next_id(&s, &len)) != NULL) {
		if (skip > 0) {
			skip--;
			continue;
		}
		rk = lookup(t, id, len, 1);
		if (prev != NONE && t->c[rk].parent == NONE)
			link_child(t, prev, rk);
		prev = rk;
		last = id;
		lastlen = len;
	}
	s = m->in_reply_to;
	if (s)
		irt = next_id(&s, &irtlen);
	if (irt && !(last && lastlen == irtlen &&
	    memcmp(last, irt, irtlen) == 0)) {
		rk = lookup(t, irt, irtlen, 1);
		if (prev != NONE && t->c[rk].parent == NONE)
			link_child(t, prev, rk);
		prev = rk;
	}
	if (prev != NONE)
		link_child(t, prev, k);
	else
		unlink_child(t, k);
}

/* The first message's subject at or below container k. */
static const char *
first_subject(struct tctx *t, uint32_t k)
{
	size_t steps = 0;

	while (k != NONE && t->c[k].msg == NONE && steps++ < t->nc)
		k = t->c[k].child;
	return k != NONE && t->c[k].msg != NONE ?
	    t->msgs[t->c[k].msg].subject : NULL;
}

/* Base subject of the thread under root k (len 0: none). */
static const char *
root_base(struct tctx *t, uint32_t k, size_t *len_r)
{
	const char *subj = first_subject(t, k);

	*len_r = 0;
	return subj ? thread_base_subject(subj, len_r) : NULL;
}

/*
 * Roots with the same base subject and no references linking them join
 * one thread, under the earliest of them.  The table holds 8 bytes a
 * slot (anchor, hash bits): small enough to stay in cache; the subjects
 * themselves are compared only when the hashes agree.
 */
static void
group_subjects(struct tctx *t, uint32_t roots)
{
	size_t hsize = 64, nroots = 0, i, len, alen, j;
	struct slot *h;
	uint32_t k, next, a, child, parent, hb;
	const char *base, *abase;
	struct buf fold = BUF_INIT;
	uint64_t hv;

	for (k = roots; k != NONE; k = t->c[k].next)
		nroots++;
	while (hsize < nroots * 2)
		hsize *= 2;
	h = xmalloc(hsize * sizeof(*h));
	for (i = 0; i < hsize; i++)
		h[i].k = NONE;
	for (k = roots; k != NONE; k = next) {
		next = t->c[k].next;
		if ((base = root_base(t, k, &len)) == NULL || len == 0)
			continue;
		buf_reset(&fold);
		for (j = 0; j < len; j++)
			buf_addch(&fold, base[j] >= 'A' && base[j] <= 'Z' ?
			    base[j] + 32 : base[j]);
		hv = hash_bytes(fold.data, fold.len);
		hb = (uint32_t)(hv >> 32);
		for (i = hv & (hsize - 1); h[i].k != NONE;
		    i = (i + 1) & (hsize - 1)) {
			if (h[i].h != hb)
				continue;
			abase = root_base(t, h[i].k, &alen);
			if (alen == len && str_ncasecmp(abase, base, len) == 0)
				break;
		}
		if (h[i].k == NONE) {
			h[i].k = k;
			h[i].h = hb;
			continue;
		}
		a = h[i].k;
		if (t->c[k].date < t->c[a].date) {
			/* k is earlier: it anchors, the old anchor below */
			h[i].k = k;
			child = a;
			parent = k;
		} else {
			child = k;
			parent = a;
		}
		/* child was a root: its list link is free (k's next is saved,
		 * an earlier root's is no longer walked). */
		t->c[child].parent = parent;
		t->c[child].next = t->c[parent].child;
		t->c[parent].child = child;
	}
	free(h);
	buf_free(&fold);
}

void
thread_order(const struct thread_msg *msgs, size_t n, uint32_t *order_r,
    uint16_t *depth_r)
{
	struct tctx t;
	struct skey *tmp = NULL, *rootv;
	size_t tmpcap = 0, total = 0, i, npre = 0, out = 0, sp, nr;
	uint32_t *pre, roots = NONE, k, c, *stack;
	uint16_t *sdepth, d;

	if (n == 0)
		return;
	memset(&t, 0, sizeof(t));
	t.msgs = msgs;
	t.nrefs = xreallocarray(NULL, n, sizeof(*t.nrefs));
	for (i = 0; i < n; i++) {
		size_t r = count_ids(msgs[i].references);

		t.nrefs[i] = r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;
		total += 2 + (r > MAX_REFS ? MAX_REFS : r);
	}
	t.hsize = 64;
	while (t.hsize < total * 2)
		t.hsize *= 2;
	t.hash = xmalloc(t.hsize * sizeof(*t.hash));
	for (i = 0; i < t.hsize; i++)
		t.hash[i].k = NONE;
	/* Every container is made by an id or a message: no regrowing. */
	t.cap = total + 1;
	t.c = xreallocarray(NULL, t.cap, sizeof(*t.c));
	for (i = 0; i < n; i++)
		add_message(&t, (uint32_t)i);
	free(t.hash);
	free(t.nrefs);

	/* The root list (grouping by subject anchors on the earliest). */
	for (k = 0; k < t.nc; k++)
		if (t.c[k].parent == NONE) {
			t.c[k].next = roots;
			roots = k;
		}
	/* Dates of empty containers come from below: pre-order, then a
	 * reverse pass propagating up. */
	pre = xmalloc(t.nc * sizeof(*pre));
	stack = xmalloc(t.nc * sizeof(*stack));
	sdepth = xmalloc(t.nc * sizeof(*sdepth));
	sp = 0;
	for (k = roots; k != NONE; k = t.c[k].next)
		stack[sp++] = k;
	while (sp > 0) {
		k = stack[--sp];
		pre[npre++] = k;
		for (c = t.c[k].child; c != NONE; c = t.c[c].next)
			stack[sp++] = c;
	}
	for (i = 0; i < t.nc; i++)
		if (t.c[i].msg == NONE)
			t.c[i].date = INT64_MAX;
	for (i = npre; i-- > 0;) {
		k = pre[i];
		if (t.c[k].msg == NONE && t.c[k].date == INT64_MAX)
			t.c[k].date = t.c[k].newest = 0;
		if (t.c[k].parent != NONE) {
			struct cont *p = &t.c[t.c[k].parent];

			if (p->msg == NONE && t.c[k].date < p->date)
				p->date = t.c[k].date;
			if (t.c[k].newest > p->newest)
				p->newest = t.c[k].newest;
		}
	}
	group_subjects(&t, roots);
	/* Grouping moved some roots below others: collect the roots again
	 * (an array: walking a list in date order misses the cache at every
	 * step) and propagate newest again. */
	rootv = xreallocarray(NULL, t.nc, sizeof(*rootv));
	nr = 0;
	for (i = npre; i-- > 0;) {
		k = pre[i];
		if (t.c[k].parent == NONE)
			rootv[nr++].k = k;
		else if (t.c[k].newest > t.c[t.c[k].parent].newest)
			t.c[t.c[k].parent].newest = t.c[k].newest;
	}
	/* Only now is newest final: a root grouped under another may come
	 * later in pre-order than its new parent. */
	for (i = 0; i < nr; i++) {
		rootv[i].date = t.c[rootv[i].k].newest;
		rootv[i].date2 = t.c[rootv[i].k].date;
	}
	for (i = 0; i < npre; i++)
		sort_list(&t, &t.c[pre[i]].child, &tmp, &tmpcap);
	sort_keys(rootv, nr);

	/* Depth-first output; empty containers are not shown and do not
	 * add depth.  Children are pushed in reverse to pop in order. */
	sp = 0;
	while (nr > 0) {
		stack[sp] = rootv[--nr].k;
		sdepth[sp++] = 0;
	}
	free(rootv);
	while (sp > 0) {
		size_t nch = 0;

		k = stack[--sp];
		d = sdepth[sp];
		if (t.c[k].msg != NONE) {
			order_r[out] = t.c[k].msg;
			depth_r[out++] = d > THREAD_MAX_DEPTH ?
			    THREAD_MAX_DEPTH : d;
		}
		for (c = t.c[k].child; c != NONE; c = t.c[c].next)
			pre[nch++] = c;
		while (nch > 0) {
			stack[sp] = pre[--nch];
			sdepth[sp++] = (uint16_t)(t.c[k].msg != NONE &&
			    d < UINT16_MAX ? d + 1 : d);
		}
	}
	free(pre);
	free(stack);
	free(sdepth);
	free(tmp);
	free(t.c);
}
