/*
 * scr_index_find: limit and search in the message index, through the
 * cache's patterns and full-text search (offline, cache/pattern.h);
 * results are sorted ids (scr_index_int.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/scr_index_int.h"

int
idx_search_ids(struct ui *ui, struct idx *x, const char *q, int64_t **ids_r,
    size_t *n_r)
{
	struct error err;

	error_clear(&err);
	free(*ids_r);
	*ids_r = NULL;
	*n_r = 0;
	/* Patterns: cache/pattern.h. */
	if (cache_search_tagged(ui->cache, x->folder_id, q, x->tagged,
	    x->ntagged, ids_r, n_r, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	if (*n_r)
		qsort(*ids_r, *n_r, sizeof(**ids_r), cmp_id);
	return 0;
}

static int
search_next(struct ui *ui, struct idx *x)
{
	const struct index_rec *r;
	size_t k, i;

	for (k = 1; k <= x->l.n; k++) {
		i = (x->l.cur + k) % x->l.n;
		r = rec_at(x, i);
		if (has_id(x->found, x->nfound, r->id)) {
			/* Wrapped: the search went past the last row (test
			 * before the cursor moves). */
			int wrapped = x->l.cur + k >= x->l.n;

			ui_list_set(&x->l, i, ui_body_rows(ui));
			if (wrapped)
				ui_message(ui, 0, "Search wrapped to the top.");
			return 0;
		}
	}
	ui_message(ui, 1, "Not found: %s", x->search_q);
	return -1;
}

int
idx_limit_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;

	if (arg == NULL)
		return idx_ask(ui, x, "Limit to messages matching (~f ~s ~d "
		    "~U ~F ..., words; empty: all): ", UI_CMD_LIMIT);
	idx_fresh(ui, x);
	free(x->limit_q);
	x->limit_q = NULL;
	if (*arg && idx_search_ids(ui, x, arg, &x->limit, &x->nlimit) == 0)
		x->limit_q = xstrdup(arg);
	return idx_rebuild(ui, x);
}

int
idx_search_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;

	if (arg == NULL)
		return idx_ask(ui, x, "Search: ", UI_CMD_SEARCH);
	idx_fresh(ui, x);
	free(x->search_q);
	x->search_q = xstrdup(arg);
	if (idx_search_ids(ui, x, arg, &x->found, &x->nfound) < 0)
		return -1;
	return search_next(ui, x);
}

int
idx_search_next_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;

	if (x->search_q == NULL)
		return idx_ask(ui, x, "Search: ", UI_CMD_SEARCH);
	return search_next(ui, x);
}
