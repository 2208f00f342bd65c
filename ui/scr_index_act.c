/*
 * scr_index_act: what the message index changes: flags, delete marks,
 * move and copy, and the expunge with its question, which says what is
 * lost as the account's driver tells (cache_delete_outcome), also when
 * leaving the folder (scr_index_int.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/driver.h"
#include "core/xalloc.h"
#include "ui/scr_index_int.h"

static int
set_flags(struct ui *ui, struct idx *x, const struct index_rec *r,
    unsigned add, unsigned del)
{
	struct error err;
	int64_t id = r->id;
	size_t acct = idx_account_of(x, r);
	unsigned old = r->flags, flags = (r->flags | add) & ~del;
	uint64_t before = x->gen;

	error_clear(&err);
	if (cache_set_flags(ui->cache, id, add, del, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	index_set_flags(x->ix, id, flags);
	idx_own_change(ui, x, before);
	if (flags != old)
		ui_own_change(ui, acct, (flags & MSG_SEEN) ==
		    (old & MSG_SEEN) ? 0 : flags & MSG_SEEN ? -1 : 1);
	return 0;
}

void
scr_index_seen(struct ui *ui, struct ui_screen *s, int64_t id)
{
	struct idx *x = (struct idx *)s;
	const struct index_rec *r;
	size_t pos;

	if (x->ix == NULL || (pos = index_find(x->ix, id)) == (size_t)-1)
		return;
	r = index_get(x->ix, pos);
	if (!(r->flags & MSG_SEEN))
		set_flags(ui, x, r, MSG_SEEN, 0);
}

static int
folder_op(struct ui *ui, struct idx *x, const struct index_rec *r,
    int move, const char *dest)
{
	struct error err;
	uint64_t before = x->gen;
	size_t acct = idx_account_of(x, r);
	int64_t fid;
	int rc;

	error_clear(&err);
	/* From a virtual folder: a folder of the message's account. */
	if (scr_folders_find(ui, acct, dest, &fid) < 0)
		return -1;
	rc = move ? cache_move(ui->cache, r->id, fid, &err) :
	    cache_copy(ui->cache, r->id, fid, &err);
	if (rc < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	ui_message(ui, 0, "%s to %s.", move ? "Moved" : "Copied", dest);
	if (move)
		idx_load(ui, x);
	else
		idx_own_change(ui, x, before);
	ui_status_changed(ui, acct);
	return 0;
}

/* The messages marked deleted, into x->asked (what the question
 * counts, and all that the answer removes). */
static size_t
gather_deleted(struct idx *x)
{
	size_t i, total = x->ix ? index_count(x->ix) : 0;
	const struct index_rec *r;

	free(x->asked);
	x->asked = NULL;
	x->nasked = 0;
	for (i = 0; i < total; i++) {
		r = index_get(x->ix, i);
		if (!(r->flags & MSG_DELETED))
			continue;
		x->asked = xreallocarray(x->asked, x->nasked + 1,
		    sizeof(*x->asked));
		x->asked[x->nasked++] = r->id;
	}
	return x->nasked;
}

/* A virtual folder's deleted messages, each folder's through its own
 * expunge: 0, or -1 with err set. */
static int
vexpunge(struct ui *ui, struct idx *x, struct error *err)
{
	int64_t *ids = xreallocarray(NULL, x->nasked ? x->nasked : 1,
	    sizeof(*ids));
	const struct index_rec *r;
	size_t k, i, n, pos;
	int rc = 0;

	for (k = 0; k < x->scope.n && rc == 0; k++) {
		for (i = n = 0; i < x->nasked; i++)
			if ((pos = index_find(x->ix, x->asked[i])) !=
			    (size_t)-1 && (r = index_get(x->ix, pos)) &&
			    index_folder(x->ix, r) == x->scope.folders[k])
				ids[n++] = x->asked[i];
		if (n) {
			rc = cache_expunge_ids(ui->cache, x->scope.folders[k],
			    ids, n, err);
			ui_status_changed(ui, x->scope.accounts[k]);
		}
	}
	free(ids);
	return rc;
}

/* The account whose store says what an expunge costs: in a virtual
 * folder, the first deleted message's. */
static const struct account *
expunge_account(struct ui *ui, struct idx *x)
{
	size_t pos = x->nasked && x->ix ? index_find(x->ix, x->asked[0]) :
	    (size_t)-1;

	return cache_account(ui->cache, pos == (size_t)-1 ? x->account :
	    idx_account_of(x, index_get(x->ix, pos)));
}

static int
expunge(struct ui *ui, struct idx *x)
{
	const struct account *a = expunge_account(ui, x);
	struct error err;

	error_clear(&err);
	if (x->vsearch ? vexpunge(ui, x, &err) < 0 : (x->folder_id == 0 ||
	    cache_expunge_ids(ui->cache, x->folder_id, x->asked, x->nasked,
	    &err) < 0)) {
		ui_message(ui, 1, "%s", err.msg[0] ? err.msg :
		    "The folder is not loaded yet.");
		return -1;
	}
	switch (cache_delete_outcome(a)) {
	case CACHE_DELETE_SERVER_KEEPS:
		ui_message(ui, 0, "Deleted here only: the server keeps its "
		    "copy (keep_on_server = yes).");
		break;
	case CACHE_DELETE_SERVER_DAYS:
		ui_message(ui, 0, "Deleted here: the server keeps its copy "
		    "until %u days after the download.", a->keep_days);
		break;
	default:
		ui_message(ui, 0, "Deleted messages removed.");
	}
	ui_status_changed(ui, x->account);
	return idx_load(ui, x);
}

static void
expunge_done(struct ui *ui, const char *text, void *arg)
{
	struct idx *x = arg;
	void (*then)(struct ui *, void *) = x->then;

	x->then = NULL;
	if (strcmp(text, "y") == 0) {
		if (expunge(ui, x) < 0)
			return; /* stay: the message says why */
	} else if (then == NULL) {
		ui_message(ui, 0, "Nothing removed.");
	}
	if (then)
		then(ui, x->then_arg);
}

/*
 * Asks before removing the messages marked deleted, naming what is lost;
 * then (if not NULL) runs after the answer, unless the removal failed.
 * Returns 0 with nothing to ask (then is not called), 1 when asking.
 */
static int
expunge_ask(struct ui *ui, struct idx *x, void (*then)(struct ui *, void *),
    void *then_arg)
{
	const struct account *a;
	size_t n;
	const char *s;
	char q[256];

	idx_fresh(ui, x);
	n = gather_deleted(x);
	a = expunge_account(ui, x);
	s = n == 1 ? "" : "s";

	if (n == 0) {
		if (then == NULL)
			ui_message(ui, 0, "No messages are marked deleted "
			    "(d marks one).");
		return 0;
	}
	switch (cache_delete_outcome(a)) {
	case CACHE_DELETE_ONLY_COPY:
		snprintf(q, sizeof(q), "%zu message%s will be deleted from "
		    "disk; this account keeps no copy on the server. Delete "
		    "%s? (y/n) ", n, s, n == 1 ? "it" : "them");
		break;
	case CACHE_DELETE_SERVER_KEEPS:
		snprintf(q, sizeof(q), "Remove %zu deleted message%s from "
		    "this computer? The server keeps its copy. (y/n) ", n, s);
		break;
	case CACHE_DELETE_SERVER_DAYS:
		snprintf(q, sizeof(q), "Remove %zu deleted message%s from "
		    "this computer? The server keeps its copy until %u days "
		    "after the download. (y/n) ", n, s, a->keep_days);
		break;
	default:
		snprintf(q, sizeof(q), "Remove %zu deleted message%s from "
		    "the server? (y/n) ", n, s);
	}
	x->then = then;
	x->then_arg = then_arg;
	ui_ask_yesno(ui, q, expunge_done, x);
	return 1;
}

int
scr_index_leave(struct ui *ui, struct ui_screen *s,
    void (*then)(struct ui *, void *), void *arg)
{
	return expunge_ask(ui, (struct idx *)s, then, arg);
}

static int
change_folder(struct ui *ui, struct idx *x)
{
	struct error err;
	int64_t id;

	error_clear(&err);
	if (x->pending_folder == NULL)
		return -1;
	if (cache_folder_find(ui->cache, x->account, x->pending_folder, &id,
	    &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	free(x->folder_name);
	x->folder_name = x->pending_folder;
	x->pending_folder = NULL;
	x->folder_id = id;
	x->vsearch = NULL; /* from a virtual folder to a real one */
	cache_scope_free(&x->scope);
	x->s.account = x->account;
	x->l.cur = x->l.top = 0;
	free(x->limit_q);
	x->limit_q = NULL;
	index_free(&x->ix);
	return idx_load(ui, x);
}

static void
change_after(struct ui *ui, void *arg)
{
	change_folder(ui, arg);
}

int
idx_change_folder_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	int64_t fid;

	if (arg == NULL)
		return idx_ask(ui, x, "Open folder: ", UI_CMD_CHANGE_FOLDER);
	if (scr_folders_find(ui, x->account, arg, &fid) < 0)
		return -1;
	/* Leaving the folder: first the deleted marks, as on q. */
	free(x->pending_folder);
	x->pending_folder = xstrdup(arg);
	if (expunge_ask(ui, x, change_after, x) == 1)
		return 0;
	return change_folder(ui, x);
}

int
idx_expunge_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	return expunge_ask(ui, (struct idx *)s, NULL, NULL) < 0 ? -1 : 0;
}

int
idx_flag_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	const struct index_rec *r;
	unsigned f = id == UI_CMD_TOGGLE_NEW ? MSG_SEEN : id == UI_CMD_FLAG ?
	    MSG_FLAGGED : MSG_DELETED;
	int rc;

	if (idx_bulk_flags(ui, x, id, &rc))
		return rc;
	if ((r = idx_cursor(ui, x)) == NULL)
		return -1;
	if (id == UI_CMD_UNDELETE)
		return set_flags(ui, x, r, 0, MSG_DELETED);
	return set_flags(ui, x, r, r->flags & f ? 0 : f, r->flags & f);
}

int
idx_delete_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	const struct index_rec *r;
	int rc;

	if (idx_bulk_flags(ui, x, id, &rc))
		return rc;
	if ((r = idx_cursor(ui, x)) == NULL)
		return -1;
	/* Every account marks here and removes on expunge, after a
	 * question that says what is lost (expunge_ask). */
	if (!(r->flags & MSG_DELETED) &&
	    set_flags(ui, x, r, MSG_DELETED, 0) < 0)
		return -1;
	if (ui->top == s)
		ui_list_move(&x->l, 1, ui_body_rows(ui));
	return 0;
}

int
idx_move_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	const struct index_rec *r;
	int move = id == UI_CMD_MOVE;

	if (x->bulk) {
		/* The answer comes back here with x->bulk still set. */
		if (arg == NULL)
			return idx_ask(ui, x, move ? "Move tagged to folder: " :
			    "Copy tagged to folder: ", id);
		if (idx_is_path(arg))
			return idx_save_path(ui, x, move, arg);
		x->bulk = 0;
		return idx_bulk_move(ui, x, move, arg);
	}
	if ((r = idx_cursor(ui, x)) == NULL)
		return -1;
	if (arg == NULL)
		return idx_ask(ui, x, move ? "Move to folder: " :
		    "Copy to folder: ", id);
	if (idx_is_path(arg))
		return idx_save_path(ui, x, move, arg);
	return folder_op(ui, x, r, move, arg);
}
