/*
 * imap_expunge: EXPUNGE of chosen messages, with or without UIDPLUS.
 *
 * UID EXPUNGE (UIDPLUS) removes only the named messages.  A server
 * without it has only EXPUNGE, which also removes what other clients
 * marked \Deleted.  So: UID SEARCH DELETED, take \Deleted off the others
 * for the moment, EXPUNGE, and put it back.  The window between the
 * SEARCH and the EXPUNGE is one round trip; a message another client
 * marks then still goes, as with any client.  If the session drops
 * before the flag is put back, the others lose a mark, never a message.
 */
#include <config.h>

#include "net/imap_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"

/* Bytes of one UID STORE set: lines stay short. */
#define SET_MAX 4000
/* Ranges kept from one SEARCH answer (the parser bounds it already). */
#define RANGES_MAX 1000000

struct range {
	uint32_t lo, hi;
};

struct rset {
	struct range *r;
	size_t n, cap;
	int over; /* more than RANGES_MAX */
};

static int
rset_add(void *ctx, uint32_t lo, uint32_t hi)
{
	struct rset *s = ctx;

	if (s->n == RANGES_MAX) {
		s->over = 1;
		return 1;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->r = xreallocarray(s->r, s->cap, sizeof(*s->r));
	}
	s->r[s->n].lo = lo;
	s->r[s->n].hi = hi;
	s->n++;
	return 0;
}

static int
cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorted, with overlapping and adjacent ranges joined. */
static void
rset_norm(struct rset *s)
{
	size_t i, k = 0;

	if (s->n == 0)
		return;
	qsort(s->r, s->n, sizeof(*s->r), cmp_range);
	for (i = 1; i < s->n; i++) {
		if (s->r[i].lo <= s->r[k].hi ||
		    s->r[i].lo - 1 == s->r[k].hi) {
			if (s->r[i].hi > s->r[k].hi)
				s->r[k].hi = s->r[i].hi;
		} else {
			s->r[++k] = s->r[i];
		}
	}
	s->n = k + 1;
}

/* out = a minus b; both normalized. */
static void
rset_minus(const struct rset *a, const struct rset *b, struct rset *out)
{
	size_t i, j = 0;
	uint32_t lo, hi;

	for (i = 0; i < a->n; i++) {
		lo = a->r[i].lo;
		hi = a->r[i].hi;
		while (j < b->n && b->r[j].hi < lo)
			j++;
		while (lo <= hi && j < b->n && b->r[j].lo <= hi) {
			if (b->r[j].lo > lo)
				rset_add(out, lo, b->r[j].lo - 1);
			if (b->r[j].hi >= hi) {
				lo = 1;
				hi = 0; /* all of it taken */
				break;
			}
			lo = b->r[j].hi + 1;
			j++;
		}
		if (lo <= hi)
			rset_add(out, lo, hi);
	}
}

static void
rset_free(struct rset *s)
{
	free(s->r);
	memset(s, 0, sizeof(*s));
}

/*
 * "* SEARCH 3 9 12" or, for UID SEARCH RETURN (ALL),
 * "* ESEARCH (TAG "a7") UID ALL 3,9:12".
 */
static int
search_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	struct rset *found = cmd->ctx;
	const struct imap_arg *a, *t;
	uint64_t v;

	(void)imap;
	(void)err;
	if (r->status != NULL || r->has_num || r->args == NULL)
		return 0;
	if (imap_arg_is(r->args, "SEARCH")) {
		for (a = r->args->next; a; a = a->next)
			if (imap_arg_num(a, UINT32_MAX, &v) == 0 && v > 0)
				rset_add(found, (uint32_t)v, (uint32_t)v);
		return 1;
	}
	if (!imap_arg_is(r->args, "ESEARCH"))
		return 0;
	a = r->args->next;
	if (a && a->type == IMAP_ARG_LIST) {
		t = imap_arg_nth(a->list, 1);
		if (!imap_arg_is(a->list, "TAG") || imap_arg_str(t) == NULL ||
		    strcmp(imap_arg_str(t), cmd->tag) != 0)
			return 0; /* another command's */
		a = a->next;
	}
	if (a && imap_arg_is(a, "UID"))
		a = a->next;
	for (; a && a->next; a = a->next->next)
		if (imap_arg_is(a, "ALL") && imap_arg_str(a->next) &&
		    imap_uidset_foreach(imap_arg_str(a->next), rset_add,
		    found) < 0)
			found->over = 1; /* unreadable: trust nothing */
	return 1;
}

/* The UIDs of the selected folder's \Deleted messages. */
static int
search_deleted(struct imap *imap, struct rset *found, struct error *err)
{
	struct imap_cmd cmd;
	int rc;

	imap_cmd_begin(imap, &cmd, "SEARCH", search_untagged, found);
	if (imap->caps & IMAP_CAP_ESEARCH)
		imap_add(imap, "UID SEARCH RETURN (ALL) DELETED");
	else
		imap_add(imap, "UID SEARCH DELETED");
	rc = imap_cmd_run(imap, &cmd, err);
	if (rc == 0 && found->over)
		return error_set(err, "IMAP server sent an unusable SEARCH "
		    "answer; not expunging");
	return rc;
}

/* UID STORE of \Deleted on every range of s, SET_MAX bytes at a time. */
static int
store_deleted(struct imap *imap, const struct rset *s, int add,
    struct error *err)
{
	struct buf set = BUF_INIT;
	size_t i = 0;
	int rc = 0;

	while (rc == 0 && i < s->n) {
		buf_reset(&set);
		for (; i < s->n && set.len < SET_MAX; i++)
			imap_uidset_add(&set, s->r[i].lo, s->r[i].hi);
		rc = imap_store(imap, buf_cstr(&set), add, IMAP_FLAG_DELETED,
		    err);
	}
	buf_free(&set);
	return rc;
}

/* UID EXPUNGE uidset (UIDPLUS), or EXPUNGE when uidset is NULL. */
static int
expunge_cmd(struct imap *imap, const char *uidset, struct error *err)
{
	struct imap_cmd cmd;

	imap_cmd_begin(imap, &cmd, "EXPUNGE", NULL, NULL);
	if (uidset)
		imap_add(imap, "UID EXPUNGE %s", uidset);
	else
		imap_add(imap, "EXPUNGE");
	return imap_cmd_run(imap, &cmd, err);
}

/* Without UIDPLUS: EXPUNGE with everyone else's \Deleted set aside. */
static int
guarded(struct imap *imap, const char *uidset, struct error *err)
{
	struct rset found = { 0 }, mine = { 0 }, others = { 0 };
	struct error err2;
	int rc;

	if ((rc = search_deleted(imap, &found, err)) < 0)
		goto out;
	imap_uidset_foreach(uidset, rset_add, &mine);
	rset_norm(&found);
	rset_norm(&mine);
	rset_minus(&found, &mine, &others);
	if (others.n > 0 && (rc = store_deleted(imap, &others, 0, err)) < 0)
		goto out; /* some may be unmarked: put back what we can */
	rc = expunge_cmd(imap, NULL, err);
out:
	if (others.n > 0 && imap_alive(imap) &&
	    store_deleted(imap, &others, 1, &err2) < 0 && rc == 0) {
		*err = err2;
		rc = -1;
	}
	rset_free(&found);
	rset_free(&mine);
	rset_free(&others);
	return rc;
}

int
imap_expunge(struct imap *imap, const char *uidset, struct error *err)
{
	if (uidset && imap_uidset_foreach(uidset, NULL, NULL) < 0)
		return error_set(err, "bad message set \"%s\"", uidset);
	if (uidset && !(imap->caps & IMAP_CAP_UIDPLUS))
		return guarded(imap, uidset, err);
	return expunge_cmd(imap, uidset, err);
}
