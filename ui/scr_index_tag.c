/*
 * scr_index_tag: tags in the message index.  Tags belong to this
 * session's index, as in Mutt: a sorted set of message ids, which ~T in
 * a pattern matches (cache_search_tagged).  `;` makes the next command
 * (delete, undelete, flag, read/unread, move, copy) apply to every
 * tagged message at once through cache_bulk(), which queues them in one
 * transaction and lets the worker send them as UID sets
 * (scr_index_int.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/cmd.h"
#include "ui/scr_index_int.h"

int
idx_is_tagged(const struct idx *x, int64_t id)
{
	return has_id(x->tagged, x->ntagged, id);
}

size_t
idx_ntagged(const struct idx *x)
{
	size_t i, n = 0;

	if (x->ix == NULL)
		return 0;
	for (i = 0; i < x->ntagged; i++)
		if (index_find(x->ix, x->tagged[i]) != (size_t)-1)
			n++;
	return n;
}

size_t
idx_tagged_ids(const struct idx *x, int64_t **ids_r)
{
	size_t i, n = 0;

	*ids_r = xreallocarray(NULL, x->ntagged ? x->ntagged : 1,
	    sizeof(**ids_r));
	for (i = 0; x->ix && i < x->ntagged; i++)
		if (index_find(x->ix, x->tagged[i]) != (size_t)-1)
			(*ids_r)[n++] = x->tagged[i];
	return n;
}

/* Adds (on) or removes the sorted ids (n) from the tags. */
static void
tags_merge(struct idx *x, const int64_t *ids, size_t n, int on)
{
	int64_t *out = xreallocarray(NULL, x->ntagged + n + 1, sizeof(*out));
	size_t i = 0, j = 0, k = 0;

	while (i < x->ntagged || j < n) {
		if (j == n || (i < x->ntagged && x->tagged[i] < ids[j]))
			out[k++] = x->tagged[i++];
		else if (i == x->ntagged || ids[j] < x->tagged[i]) {
			if (on)
				out[k++] = ids[j];
			j++;
		} else { /* in both */
			if (on)
				out[k++] = ids[j];
			i++;
			j++;
		}
	}
	free(x->tagged);
	x->tagged = out;
	x->ntagged = k;
}

int
idx_tag_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	const struct index_rec *r = idx_cursor(ui, x);
	int64_t one;

	if (r == NULL)
		return -1;
	one = r->id;
	tags_merge(x, &one, 1, !idx_is_tagged(x, one));
	ui_list_move(&x->l, 1, ui_body_rows(ui));
	return 0;
}

int
idx_tag_pattern_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	int on = id == UI_CMD_TAG_PATTERN;
	int64_t *ids = NULL;
	size_t n = 0, i, k;

	if (arg == NULL)
		return idx_ask(ui, x, on ? "Tag messages matching: " :
		    "Untag messages matching: ", id);
	if (*arg == '\0')
		return 0;
	idx_fresh(ui, x);
	if (idx_search_ids(ui, x, arg, &ids, &n) < 0)
		return -1;
	/* Under a limit, only what is shown (Mutt's rule). */
	for (i = k = 0; i < n; i++)
		if (x->limit_q == NULL || has_id(x->limit, x->nlimit, ids[i]))
			ids[k++] = ids[i];
	tags_merge(x, ids, k, on);
	free(ids);
	ui_message(ui, 0, "%zu message%s %s; %zu tagged.", k, k == 1 ? "" :
	    "s", on ? "match" : "untagged", idx_ntagged(x));
	return 0;
}

/* The commands `;` applies to tagged messages. */
static int
bulk_id(const struct ui_cmd *c, enum ui_cmd_id *id_r)
{
	static const struct {
		int (*fn)(struct ui *, const char *);
		enum ui_cmd_id id;
	} map[] = {
		{ ui_cmd_delete, UI_CMD_DELETE },
		{ ui_cmd_undelete, UI_CMD_UNDELETE },
		{ ui_cmd_flag, UI_CMD_FLAG },
		{ ui_cmd_toggle_new, UI_CMD_TOGGLE_NEW },
		{ ui_cmd_move, UI_CMD_MOVE },
		{ ui_cmd_copy, UI_CMD_COPY },
		{ ui_cmd_pipe, UI_CMD_PIPE },
		{ ui_cmd_forward, UI_CMD_NONE }, /* not the screen's: ;f */
	};
	size_t i;

	for (i = 0; c && i < sizeof(map) / sizeof(map[0]); i++)
		if (c->fn == map[i].fn) {
			*id_r = map[i].id;
			return 1;
		}
	return 0;
}

int
idx_tag_key(struct ui *ui, struct ui_screen *s, int key)
{
	struct idx *x = (struct idx *)s;
	enum ui_cmd_id id;

	x->bulk = 0; /* left from a move prompt that was cancelled */
	if (!x->tag_prefix)
		return 0;
	x->tag_prefix = 0;
	if (bulk_id(ui_keymap_lookup(ui->km, key, UI_CTX_INDEX), &id)) {
		if (id == UI_CMD_NONE) {
			idx_bulk_forward(ui, x);
			return 1;
		}
		x->bulk = 1;
		return 0; /* the command runs, and sees x->bulk */
	}
	ui_message(ui, 1, "; applies only to delete, undelete, flag, "
	    "toggle-new, move, copy, pipe-message and forward.");
	return 1;
}

int
idx_tag_prefix_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	const struct ui_cmd *c;
	struct buf name = BUF_INIT;
	enum ui_cmd_id cid;
	const char *rest;
	int rc;

	if (idx_ntagged(x) == 0) {
		ui_message(ui, 1, "No tagged messages (t tags one, T by "
		    "pattern).");
		return -1;
	}
	if (arg == NULL || *arg == '\0') {
		x->tag_prefix = 1;
		ui_message(ui, 0, "Apply to %zu tagged: ", idx_ntagged(x));
		return 0;
	}
	/* ":tag-prefix move Archive" (and -e): the command with its
	 * argument. */
	rest = arg + strcspn(arg, " \t");
	buf_add(&name, arg, (size_t)(rest - arg));
	rest += strspn(rest, " \t");
	c = ui_cmd_find(buf_cstr(&name));
	buf_free(&name);
	if (!bulk_id(c, &cid)) {
		ui_message(ui, 1, "tag-prefix applies only to delete, "
		    "undelete, flag, toggle-new, move, copy, pipe-message and "
		    "forward.");
		return -1;
	}
	if (cid == UI_CMD_NONE)
		return idx_bulk_forward(ui, x);
	x->bulk = 1;
	rc = ui_screen_run(ui, s, cid, *rest ? rest : NULL);
	if (*rest || (cid != UI_CMD_MOVE && cid != UI_CMD_COPY &&
	    cid != UI_CMD_PIPE))
		x->bulk = 0;
	return rc;
}

/* The account of message id, shown in x. */
static size_t
account_of_id(const struct idx *x, int64_t id)
{
	size_t pos = index_find(x->ix, id);

	return pos == (size_t)-1 ? x->account :
	    idx_account_of(x, index_get(x->ix, pos));
}

/* One change to many messages, through the cache's bulk path: one call
 * per account (a virtual folder shows several), dest (MOVE and COPY)
 * the folder of that name in each. */
static int
bulk(struct ui *ui, struct idx *x, const int64_t *ids, size_t n,
    enum cache_bulk_op op, const char *dest, int64_t dest_id)
{
	struct error err;
	int64_t *mine = xreallocarray(NULL, n ? n : 1, sizeof(*mine));
	int64_t fid = dest_id;
	size_t a, i, m, done = 0, na = cache_naccounts(ui->cache);
	int rc = 0;

	error_clear(&err);
	for (a = 0; a < na && done < n && rc == 0; a++) {
		for (i = m = 0; i < n; i++)
			if (account_of_id(x, ids[i]) == a)
				mine[m++] = ids[i];
		if (m == 0)
			continue;
		if (dest && scr_folders_find(ui, a, dest, &fid) < 0) {
			rc = -1;
			break;
		}
		done += m;
		if (cache_bulk(ui->cache, mine, m, op, fid, &err) < 0) {
			ui_message(ui, 1, "%s (%s)", err.msg, done == m ?
			    "nothing was changed" : "those of other accounts "
			    "were changed");
			rc = -1;
		}
		ui_status_changed(ui, a);
	}
	free(mine);
	idx_load(ui, x);
	return rc;
}

int
idx_bulk_op(struct ui *ui, struct idx *x, const int64_t *ids, size_t n,
    enum cache_bulk_op op, int64_t dest)
{
	return bulk(ui, x, ids, n, op, NULL, dest);
}

int
idx_bulk_flags(struct ui *ui, struct idx *x, enum ui_cmd_id id, int *rc)
{
	const struct index_rec *r;
	enum cache_bulk_op op;
	int64_t *ids;
	size_t n, i, pos;
	unsigned f = id == UI_CMD_TOGGLE_NEW ? MSG_SEEN : id == UI_CMD_FLAG ?
	    MSG_FLAGGED : MSG_DELETED;
	int all = 1;

	if (!x->bulk)
		return 0;
	x->bulk = 0;
	n = idx_tagged_ids(x, &ids);
	/* Toggles: set on all unless all have it (Mutt's ;N and ;F). */
	for (i = 0; i < n; i++) {
		pos = index_find(x->ix, ids[i]);
		r = index_get(x->ix, pos);
		if (!(r->flags & f))
			all = 0;
	}
	switch (id) {
	case UI_CMD_DELETE: op = CACHE_BULK_DELETE; break;
	case UI_CMD_UNDELETE: op = CACHE_BULK_UNDELETE; break;
	case UI_CMD_FLAG: op = all ? CACHE_BULK_UNFLAG : CACHE_BULK_FLAG;
		break;
	default: op = all ? CACHE_BULK_UNREAD : CACHE_BULK_READ; break;
	}
	*rc = idx_bulk_op(ui, x, ids, n, op, 0);
	if (*rc == 0)
		ui_message(ui, 0, "%zu tagged message%s changed.", n,
		    n == 1 ? "" : "s");
	free(ids);
	return 1;
}

int
idx_bulk_move(struct ui *ui, struct idx *x, int move, const char *dest)
{
	int64_t *ids;
	size_t n;
	int rc;

	n = idx_tagged_ids(x, &ids);
	rc = bulk(ui, x, ids, n, move ? CACHE_BULK_MOVE : CACHE_BULK_COPY,
	    dest, 0);
	if (rc == 0) {
		if (move) /* gone from here: so are their tags */
			tags_merge(x, ids, n, 0);
		ui_message(ui, 0, "%s %zu message%s to %s.", move ? "Moved" :
		    "Copied", n, n == 1 ? "" : "s", dest);
	}
	free(ids);
	return rc;
}

int
idx_mark_all_read_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	const struct index_rec *r;
	int64_t *ids;
	size_t i, n = 0, total;

	idx_fresh(ui, x);
	total = x->ix ? index_count(x->ix) : 0;
	ids = xreallocarray(NULL, total ? total : 1, sizeof(*ids));
	for (i = 0; i < total; i++) {
		r = index_get(x->ix, i);
		if (!(r->flags & MSG_SEEN))
			ids[n++] = r->id;
	}
	qsort(ids, n, sizeof(*ids), cmp_id);
	if (idx_bulk_op(ui, x, ids, n, CACHE_BULK_READ, 0) == 0)
		ui_message(ui, 0, "%zu message%s marked read.", n, n == 1 ?
		    "" : "s");
	free(ids);
	return 0;
}
