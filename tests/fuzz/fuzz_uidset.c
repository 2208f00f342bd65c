/*
 * Fuzz target of the IMAP sequence-set parser (imap_uidset_foreach,
 * which every server-given UID set goes through: VANISHED, COPYUID,
 * ESEARCH).  The input is the set; a plain reference parser written from
 * the RFC 9051 grammar must agree on the verdict and on every range, and
 * the ranges written back with imap_uidset_add must parse to the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "net/imap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ranges {
	uint32_t *v; /* lo, hi pairs */
	size_t n, cap;
};

static int
collect(void *ctx, uint32_t lo, uint32_t hi)
{
	struct ranges *r = ctx;

	if (lo == 0 || lo > hi)
		abort(); /* the contract: 1 <= lo <= hi */
	if (r->n + 2 > r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		if (r->v == NULL)
			abort();
	}
	r->v[r->n++] = lo;
	r->v[r->n++] = hi;
	return 0;
}

/* number = "*" / 1*DIGIT, 1..4294967295 */
static const char *
ref_num(const char *s, uint32_t *v)
{
	uint64_t n = 0;

	if (*s == '*') {
		*v = UINT32_MAX;
		return s + 1;
	}
	if (*s < '0' || *s > '9')
		return NULL;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((n = n * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
			return NULL;
	if (n == 0)
		return NULL;
	*v = (uint32_t)n;
	return s;
}

/* set = item *("," item); item = number [":" number] */
static int
ref_parse(const char *s, struct ranges *r)
{
	uint32_t a, b;

	for (;;) {
		if ((s = ref_num(s, &a)) == NULL)
			return -1;
		b = a;
		if (*s == ':' && (s = ref_num(s + 1, &b)) == NULL)
			return -1;
		collect(r, a < b ? a : b, a < b ? b : a);
		if (*s == '\0')
			return 0;
		if (*s++ != ',')
			return -1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ranges got = { 0 }, ref = { 0 }, again = { 0 };
	struct buf b = BUF_INIT;
	char *s;
	int rc, rrc;
	size_t i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	rc = imap_uidset_foreach(s, collect, &got);
	rrc = ref_parse(s, &ref);
	if (imap_uidset_foreach(s, NULL, NULL) != rc)
		abort(); /* the check alone must say the same */
	if ((rc < 0) != (rrc < 0))
		abort();
	if (rc == 0 && (got.n != ref.n ||
	    memcmp(got.v, ref.v, got.n * sizeof(*got.v)) != 0))
		abort();
	if (rc == 0) {
		for (i = 0; i < got.n; i += 2)
			imap_uidset_add(&b, got.v[i], got.v[i + 1]);
		if (imap_uidset_foreach(buf_cstr(&b), collect, &again) != 0 ||
		    again.n != got.n || memcmp(again.v, got.v,
		    got.n * sizeof(*got.v)) != 0)
			abort();
	}
	buf_free(&b);
	free(got.v);
	free(ref.v);
	free(again.v);
	free(s);
	return 0;
}
