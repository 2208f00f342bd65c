/*
 * cache_saved: saved searches ([searches] in the config), counted for
 * the folder list and opened as virtual folders in the index (contract
 * in cache.h; doc/HACKING.md, Patterns).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache_int.h"
#include "cache/pattern.h"
#include "core/xalloc.h"

int
cache_saved_search_in(const struct cache *c, const struct config_search *s,
    size_t i)
{
	size_t k;

	if (s->nscope == 0)
		return i < c->naccounts;
	for (k = 0; k < s->nscope; k++)
		if (i < c->naccounts &&
		    strcmp(s->scope[k].account, c->accounts[i].name) == 0)
			return 1;
	return 0;
}

static void
add_folder(struct cache_scope *sc, int64_t fid, size_t account,
    const char *name, int whole)
{
	size_t k;

	/* A folder named twice in the scope is looked in once. */
	for (k = 0; k < sc->n; k++)
		if (sc->folders[k] == fid)
			return;
	sc->folders = xreallocarray(sc->folders, sc->n + 1,
	    sizeof(*sc->folders));
	sc->accounts = xreallocarray(sc->accounts, sc->n + 1,
	    sizeof(*sc->accounts));
	sc->names = xreallocarray(sc->names, sc->n + 1, sizeof(*sc->names));
	sc->names[sc->n] = xstrdup(name);
	sc->whole = xreallocarray(sc->whole, sc->n + 1, sizeof(*sc->whole));
	sc->whole[sc->n] = whole;
	sc->folders[sc->n] = fid;
	sc->accounts[sc->n++] = account;
}

int
cache_saved_search_scope(struct cache *c, const struct config_search *s,
    struct cache_scope *sc, struct error *err)
{
	struct cache_folder *f = NULL;
	struct error ignore;
	size_t nf = 0, i, k;
	int64_t fid;

	memset(sc, 0, sizeof(*sc));
	for (i = 0; i < c->naccounts; i++) {
		int whole = s->nscope == 0;

		for (k = 0; k < s->nscope; k++) {
			if (strcmp(s->scope[k].account, c->accounts[i].name))
				continue;
			if (s->scope[k].folder == NULL) {
				whole = 1;
				continue;
			}
			error_clear(&ignore);
			if (cache_folder_find(c, i, s->scope[k].folder, &fid,
			    &ignore) == 0)
				add_folder(sc, fid, i, s->scope[k].folder, 0);
		}
		if (!whole)
			continue;
		if (cache_folders(c, i, &f, &nf, err) < 0) {
			cache_scope_free(sc);
			return -1;
		}
		for (k = 0; k < nf; k++)
			if (!f[k].noselect)
				add_folder(sc, f[k].id, i, f[k].name, 1);
		cache_folders_free(&f, nf);
	}
	return 0;
}

void
cache_scope_free(struct cache_scope *sc)
{
	size_t k;

	for (k = 0; k < sc->n; k++)
		free(sc->names[k]);
	free(sc->names);
	free(sc->whole);
	free(sc->folders);
	free(sc->accounts);
	memset(sc, 0, sizeof(*sc));
}

uint64_t
cache_scope_gen(struct cache *c, const struct cache_scope *sc)
{
	uint64_t g = 0;
	size_t k;

	for (k = 0; k < sc->n; k++)
		g += cache_folder_gen(c, sc->folders[k]);
	return g;
}

static int
cmp_id64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The ids of the scope's folders that match p, sorted. */
static int
run_scope(struct cache *c, const struct pattern *p,
    const struct cache_scope *sc, int64_t **ids_r, size_t *n_r,
    struct error *err)
{
	int64_t *all = NULL, *ids;
	size_t n = 0, m, k;

	for (k = 0; k < sc->n; k++) {
		/* A folder searched as part of its whole account: a
		 * message its \All folder repeats counts once. */
		if ((sc->whole[k] ? pattern_run_once : pattern_run)(c->db, p,
		    sc->folders[k], &ids, &m, err) < 0) {
			free(all);
			return -1;
		}
		if (m) {
			all = xreallocarray(all, n + m, sizeof(*all));
			memcpy(all + n, ids, m * sizeof(*ids));
			n += m;
		}
		free(ids);
	}
	if (n)
		qsort(all, n, sizeof(*all), cmp_id64);
	*ids_r = all ? all : xcalloc(1, sizeof(*all));
	*n_r = n;
	return 0;
}

int
cache_saved_search(struct cache *c, const struct config_search *s,
    int64_t **ids_r, size_t *n_r, unsigned *unread_r, struct error *err)
{
	struct pattern *p = NULL, *pu = NULL;
	struct cache_scope sc;
	int64_t *unr = NULL;
	size_t nu = 0, i;
	unsigned unread = 0;
	int rc = -1;

	*ids_r = NULL;
	*n_r = 0;
	if (cache_saved_search_scope(c, s, &sc, err) < 0)
		return -1;
	if (pattern_compile(s->pattern, time(NULL), &p, err) < 0 ||
	    (unread_r && pattern_compile("~U", time(NULL), &pu, err) < 0) ||
	    run_scope(c, p, &sc, ids_r, n_r, err) < 0)
		goto out;
	if (unread_r) {
		/* Unread among them: the same folders through "~U", as the
		 * index has no other reader of flags on this side. */
		if (run_scope(c, pu, &sc, &unr, &nu, err) < 0) {
			free(*ids_r);
			*ids_r = NULL;
			*n_r = 0;
			goto out;
		}
		for (i = 0; i < nu; i++)
			if (bsearch(&unr[i], *ids_r, *n_r, sizeof(**ids_r),
			    cmp_id64))
				unread++;
		*unread_r = unread;
	}
	rc = 0;
out:
	cache_scope_free(&sc);
	pattern_free(&p);
	pattern_free(&pu);
	free(unr);
	return rc;
}

int
cache_saved_search_open(struct cache *c, const struct config_search *s,
    const struct cache_scope *sc, enum index_sort sort, int reverse,
    struct index **ix_r, struct error *err)
{
	struct pattern *p = NULL;
	int64_t *ids = NULL;
	size_t n = 0;

	*ix_r = NULL;
	if (pattern_compile(s->pattern, time(NULL), &p, err) < 0)
		return -1;
	if (run_scope(c, p, sc, &ids, &n, err) < 0 ||
	    index_open_folders(c->db, sc->folders, sc->n, sort, reverse, ix_r,
	    err) < 0) {
		pattern_free(&p);
		free(ids);
		return -1;
	}
	pattern_free(&p);
	/* The matches alone, then sorted again: threads are those of the
	 * matches (index_limit keeps the folders' threading otherwise). */
	index_limit(*ix_r, ids, n);
	free(ids);
	if (index_sort(*ix_r, c->db, sort, reverse, err) < 0) {
		index_free(ix_r);
		return -1;
	}
	return 0;
}
