/*
 * sync_imap_fill: si_bulk_fetch (sync_imap.h), the loop of UID FETCHes
 * of a first fill, newest first in chunks, on the worker's thread (it
 * owns the IMAP session throughout); the indexer thread inserts the
 * rows (sync_imap_bulk.c).
 */
#include "config.h"

#include <stdio.h>

#include "cache/sync_imap.h"
#include "cache/sync_imap_bulk_int.h"

/* The state of si_bulk_fetch's loop. */
struct fill {
	struct si_bulk *b;
	const struct si_fill *f;
	struct imap_fetch_op *op[2];
	uint32_t opa[2], opw[2];
	uint32_t width, fetched, lo, hi;
	int rc, nop, more;
	struct error scratch;
};

static void
fill_loop(struct fill *s)
{
	struct si_bulk *b = s->b;
	const struct si_fill *f = s->f;
	uint32_t a, w;
	char set[32];
	int r;

	while (s->more || s->nop > 0) {
		/* keep two commands on their way: the oldest is read next
		 * (the first screen's chunk too: the second's answer only
		 * follows it) */
		while (s->more && s->nop < 2 && s->rc == 0) {
			a = s->hi - s->lo + 1 <= s->width ? s->lo :
			    s->hi - s->width + 1;
			if (s->hi == UINT32_MAX)
				snprintf(set, sizeof(set), "%u:*", a);
			else
				snprintf(set, sizeof(set), "%u:%u", a, s->hi);
			if (imap_fetch_send(f->imap, set, IMAP_FETCH_FLAGS |
			    IMAP_FETCH_HEADERS, 0, f->fn, f->arg,
			    &s->op[s->nop], f->err) < 0) {
				s->rc = -1;
				break;
			}
			s->opw[s->nop] = s->hi - a + 1;
			s->opa[s->nop++] = a;
			if (s->width < SI_CHUNK)
				s->width = SI_CHUNK;
			if (a == s->lo)
				s->more = 0;
			else
				s->hi = a - 1;
		}
		if (s->nop == 0)
			break;
		*f->got = 0;
		r = imap_fetch_end(f->imap, &s->op[0], s->rc < 0 ?
		    &s->scratch : f->err);
		a = s->opa[0];
		w = s->opw[0];
		s->op[0] = s->op[1];
		s->opa[0] = s->opa[1];
		s->opw[0] = s->opw[1];
		s->op[1] = NULL;
		s->nop--;
		if (s->rc < 0)
			continue; /* only ends what was sent */
		if (r != 0 || *f->failed) {
			if (!error_isset(f->err))
				error_set(f->err, "could not fetch the headers "
				    "of %s", f->name);
			s->rc = -1;
			continue;
		}
		if (s->fetched == 0 && si_bulk_sync(b, f->err) < 0) {
			s->rc = -1;
			continue;
		}
		s->fetched = a;
		/* a sparse folder: fewer, wider commands */
		if (*f->got < w / 2 && s->width < SI_CHUNK_MAX / 2)
			s->width *= 2;
		if (s->rc == 0 && s->more && cache_sync_interrupted(b->ctx)) {
			s->more = 0;
			s->rc = 1;
		}
	}
}

int
si_bulk_fetch(struct si_bulk *b, const struct si_fill *f, uint32_t lo,
    uint32_t hi, uint32_t *fetched_r)
{
	struct fill s = { .b = b, .f = f, .lo = lo, .hi = hi,
	    .width = SI_CHUNK_FIRST, .more = hi >= lo && hi != 0 };

	error_clear(&s.scratch);
	if (f->pre) {
		s.op[0] = f->pre;
		s.opa[0] = lo;
		s.opw[0] = hi - lo + 1;
		s.nop = 1;
		s.more = 0;
	}
	fill_loop(&s);
	*fetched_r = s.fetched;
	return s.rc;
}
