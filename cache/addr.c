/*
 * addr: address completion for the compose screen (cache_addr_complete in
 * cache/cache.h): the index's addresses through cache/addrbook.h, kept
 * in memory after the first call, plus query_command.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/addrbook.h"
#include "cache/cache_int.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/spawn.h"
#include "core/str.h"
#include "core/xalloc.h"

#define QUERY_OUT_MAX (1024 * 1024)

/* A from or identities value's address is the user's. */
static void
mine(struct addrbook *ab, const char *v)
{
	const char *a;
	size_t alen = addrbook_addr_of(v, &a);
	char *x = xstrndup(a, alen);

	addrbook_mine(ab, x);
	free(x);
}

static void
feed(void *arg, const char *from, const char *to, const char *cc,
    int64_t date)
{
	addrbook_add_message(arg, from, to, cc, date);
}

struct collect {
	struct cache_addr *v;
	size_t n, max;
	const struct addrbook *ab;
};

static int
have(const struct collect *k, const char *addr, size_t alen)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (strlen(k->v[i].addr) == alen &&
		    str_ncasecmp(k->v[i].addr, addr, alen) == 0)
			return 1;
	return 0;
}

static void
from_query(void *arg, const char *name, size_t nlen, const char *addr,
    size_t alen)
{
	struct collect *k = arg;
	char *a;

	if (k->n >= k->max || have(k, addr, alen))
		return;
	a = xstrndup(addr, alen);
	if (addrbook_is_mine(k->ab, a)) {
		free(a);
		return;
	}
	k->v[k->n].addr = a;
	k->v[k->n].name = xstrndup(name, nlen);
	k->v[k->n++].from_query = 1;
}

static void
run_query(struct cache *c, const char *query, struct collect *k,
    struct error *warn)
{
	struct spawn_opts o;
	struct spawn_result r;
	struct buf out = BUF_INIT;

	memset(&o, 0, sizeof(o));
	o.command = NULL;
	/* The user's command line, the query as "$1" only: what is typed
	 * never becomes shell text. */
	buf_printf(&out, "%s \"$1\"", c->cfg->query_command);
	o.command = xstrdup(buf_cstr(&out));
	buf_free(&out);
	o.arg1 = query;
	o.in_fd = -1;
	o.out = &out;
	o.out_max = QUERY_OUT_MAX;
	o.timeout_ms = CACHE_QUERY_SECONDS * 1000;
	if (spawn_run(&o, &r, warn) < 0)
		error_prefix(warn, "query_command");
	else if (!spawn_ok(&r))
		(void)spawn_error(warn, &r, o.timeout_ms, "query_command");
	else
		addrbook_query_lines(out.data ? out.data : "", out.len,
		    from_query, k);
	free((char *)o.command);
	buf_free(&out);
}

static struct addrbook *
book_new(const struct cache *c)
{
	struct addrbook *ab = addrbook_new((int64_t)time(NULL));
	size_t i, j;

	for (i = 0; i < c->naccounts; i++) {
		const struct config_account *a = c->accounts[i].cfg;

		if (a->from)
			mine(ab, a->from);
		for (j = 0; j < a->nidentities; j++)
			mine(ab, a->identities[j]);
	}
	return ab;
}

/*
 * The first read of a big index takes a noticeable time, so
 * cache_addr_prepare() has it done on a thread of its own (with its own
 * connection: doc/HACKING.md, Threads and who owns what) while the user
 * is in the editor.  The thread owns addr_book_bg until joined.
 */
static void *
prepare_run(void *arg)
{
	struct cache *c = arg;
	struct db *db = NULL;
	struct error err;
	int64_t t0 = clock_ms();

	error_clear(&err);
	if (db_open(c->db_path, &db, &err) == 0 &&
	    db_msg_each_address(db, 0, feed, c->addr_bg, &c->addr_bg_last,
	    &err) == 0)
		c->addr_bg_ok = 1;
	else
		log_warn("reading the addresses of the index: %s", err.msg);
	db_close(&db);
	/* bench/compose_bench reads this line */
	log_debug("cache: the index's addresses read in %lld ms (%zu "
	    "addresses)", (long long)(clock_ms() - t0),
	    addrbook_size(c->addr_bg));
	return NULL;
}

void
cache_addr_prepare(struct cache *c)
{
	if (c->addrbook != NULL || c->addr_bg_running)
		return;
	c->addr_bg = book_new(c);
	c->addr_bg_last = 0;
	c->addr_bg_ok = 0;
	if (pthread_create(&c->addr_bg_thread, NULL, prepare_run, c) != 0) {
		addrbook_free(&c->addr_bg);
		return;
	}
	c->addr_bg_running = 1;
}

/* Takes the prepared book, if any (after the thread ended). */
void
cache_addr_join(struct cache *c)
{
	if (!c->addr_bg_running)
		return;
	pthread_join(c->addr_bg_thread, NULL);
	c->addr_bg_running = 0;
	if (c->addr_bg_ok && c->addrbook == NULL) {
		c->addrbook = c->addr_bg;
		c->addr_last = c->addr_bg_last;
		c->addr_bg = NULL;
	}
	addrbook_free(&c->addr_bg);
}

int
cache_addr_complete(struct cache *c, const char *query, size_t max,
    struct cache_addr **hits_r, size_t *n_r, struct error *warn)
{
	struct addrbook_hit *hits;
	struct collect k;
	size_t i, n;
	int64_t last;

	error_clear(warn);
	*hits_r = NULL;
	*n_r = 0;
	cache_addr_join(c);
	if (c->addrbook == NULL) {
		c->addrbook = book_new(c);
		c->addr_last = 0;
	}
	if (db_msg_each_address(c->db, c->addr_last, feed, c->addrbook,
	    &last, warn) < 0)
		return -1;
	c->addr_last = last;
	hits = xreallocarray(NULL, max ? max : 1, sizeof(*hits));
	n = addrbook_match(c->addrbook, query, hits, max);
	k.v = xcalloc(max ? max : 1, sizeof(*k.v));
	k.max = max;
	k.n = 0;
	k.ab = c->addrbook;
	for (i = 0; i < n; i++) {
		k.v[i].name = xstrdup(hits[i].name);
		k.v[i].addr = xstrdup(hits[i].addr);
	}
	k.n = n;
	free(hits);
	if (c->cfg->query_command && query[strspn(query, " ")] != '\0')
		run_query(c, query, &k, warn);
	*hits_r = k.v;
	*n_r = k.n;
	return 0;
}

void
cache_addr_free(struct cache_addr *hits, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(hits[i].name);
		free(hits[i].addr);
	}
	free(hits);
}
