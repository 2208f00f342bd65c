/* scr_folders: an account's folders as a collapsible tree with counts
 * and roles (ui/folder_tree.h), then the account's outbox (scr_outbox.c)
 * as one more row, then the saved searches ([searches]) that look in
 * this account, with theirs.  Folders are created, renamed, deleted and
 * subscribed here (cache_folder_op; doc/HACKING.md, Managing folders). */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "ui/folder_tree.h"
#include "ui/tui_int.h"

struct folders {
	struct ui_screen s;
	struct ui_list l;
	size_t account;
	struct cache_folder *f;
	size_t n;
	/* The visible rows of the tree (nv of them), and its state. */
	struct folder_tree tree;
	struct folder_tree_row *rows;
	size_t nv;
	char *want;      /* put the cursor on this folder once listed */
	char *asked;     /* the folder a prompt is about */
	uint64_t ticket; /* the last folder operation the worker runs */
	uint64_t gen; /* the account's generation at the last load */
	struct ui_fcomp comp;
	char err[ERROR_MAX];
	/* Saved searches shown: config entries, matches and unread. */
	const struct config_search **srch;
	size_t *smatch;
	unsigned *sunread;
	size_t ns;
};

static const char *
role_name(enum folder_role r)
{
	switch (r) {
	case FOLDER_ROLE_INBOX: return "Inbox";
	case FOLDER_ROLE_DRAFTS: return "Drafts";
	case FOLDER_ROLE_SENT: return "Sent";
	case FOLDER_ROLE_TRASH: return "Trash";
	case FOLDER_ROLE_JUNK: return "Junk";
	case FOLDER_ROLE_ARCHIVE: return "Archive";
	case FOLDER_ROLE_ALL: return "All mail";
	case FOLDER_ROLE_FLAGGED: return "Flagged";
	default: return NULL;
	}
}

/* The Outbox row (after the folders): for an account that can send, or
 * that has messages waiting from before its `from` went. */
static int
has_outbox(struct ui *ui, const struct folders *f)
{
	const struct cache_account_status *st = ui_status(ui, f->account);

	return cache_account(ui->cache, f->account)->cfg->from != NULL ||
	    st->to_send + st->not_sent > 0;
}

/* "2 to send, 1 NOT SENT" (or "empty"); 1 when something failed. */
static int
outbox_counts(const struct cache_account_status *st, struct buf *b)
{
	if (st->to_send)
		buf_printf(b, "%zu to send", st->to_send);
	if (st->not_sent)
		buf_printf(b, "%s%zu NOT SENT", st->to_send ? ", " : "",
		    st->not_sent);
	return st->not_sent > 0;
}

/* Folders, the Outbox row, the saved searches. */
static size_t
nrows(struct ui *ui, const struct folders *f)
{
	return f->nv + (size_t)has_outbox(ui, f) + f->ns;
}

/* The saved search at row i, or NULL. */
static const struct config_search *
search_at(struct ui *ui, const struct folders *f, size_t i, size_t *k_r)
{
	size_t first = f->nv + (size_t)has_outbox(ui, f);

	if (i < first || i - first >= f->ns)
		return NULL;
	*k_r = i - first;
	return f->srch[i - first];
}

/* The folder on row i, or NULL (the Outbox, a search). */
static struct cache_folder *
folder_at(struct folders *f, size_t i)
{
	return i < f->nv ? &f->f[f->rows[i].i] : NULL;
}

/* The visible rows again, the cursor kept on folder id (or on want). */
static void
rebuild(struct ui *ui, struct folders *f, int64_t keep)
{
	size_t i;

	f->rows = xreallocarray(f->rows, f->n + 1, sizeof(*f->rows));
	f->nv = folder_tree_rows(&f->tree, f->f, f->n, f->rows);
	for (i = 0; i < f->nv; i++) {
		const struct cache_folder *cf = folder_at(f, i);

		if (f->want ? strcmp(cf->name, f->want) == 0 : cf->id == keep) {
			f->l.cur = i;
			break;
		}
	}
	if (f->want && i < f->nv) {
		free(f->want);
		f->want = NULL;
	}
	f->l.n = nrows(ui, f);
	ui_list_fix(&f->l, ui_body_rows(ui));
}

static void
load(struct ui *ui, struct folders *f)
{
	struct error err;
	const struct cache_folder *cur = folder_at(f, f->l.cur);
	int64_t keep = cur ? cur->id : 0;
	size_t i;

	error_clear(&err);
	f->gen = cache_account_gen(ui->cache, f->account);
	cache_folders_free(&f->f, f->n);
	f->n = 0;
	if (cache_folders(ui->cache, f->account, &f->f, &f->n, &err) < 0)
		str_lcpy(f->err, err.msg, sizeof(f->err));
	else
		f->err[0] = '\0';
	/* The saved searches' counts, once per load like the folders'. */
	f->ns = 0;
	for (i = 0; i < ui->cfg->nsearches; i++) {
		const struct config_search *sr = &ui->cfg->searches[i];
		int64_t *ids;

		if (!cache_saved_search_in(ui->cache, sr, f->account))
			continue;
		f->srch = xreallocarray(f->srch, f->ns + 1, sizeof(*f->srch));
		f->smatch = xreallocarray(f->smatch, f->ns + 1,
		    sizeof(*f->smatch));
		f->sunread = xreallocarray(f->sunread, f->ns + 1,
		    sizeof(*f->sunread));
		f->srch[f->ns] = sr;
		f->sunread[f->ns] = 0;
		error_clear(&err);
		if (cache_saved_search(ui->cache, sr, &ids, &f->smatch[f->ns],
		    &f->sunread[f->ns], &err) < 0) {
			str_lcpy(f->err, err.msg, sizeof(f->err));
			f->smatch[f->ns] = 0;
		} else {
			free(ids);
		}
		f->ns++;
	}
	rebuild(ui, f, keep);
}

static void
draw(struct ui *ui, struct ui_screen *s)
{
	struct folders *f = (struct folders *)s;
	const struct cache_folder *cf;
	const struct cache_account_status *ost = ui_status(ui, f->account);
	struct buf b = BUF_INIT;
	int rows = ui_body_rows(ui), y, x, w;
	unsigned long attr;
	size_t i;

	if (f->gen != cache_account_gen(ui->cache, f->account))
		load(ui, f); /* once per change, and not while covered */
	f->l.n = nrows(ui, f);
	ui_list_fix(&f->l, rows);
	buf_addstr(&b, "  ");
	outbox_counts(ost, &b);
	ui_title(ui, " %s: folders%s   Enter: open  c: change folder  "
	    "$: sync  q: back", cache_account(ui->cache, f->account)->name,
	    b.len > 2 ? b.data : "");
	if (f->n == 0) {
		const struct cache_account_status *st = ui_status(ui,
		    f->account);

		/* Why there are none: "press $" does not help while the
		 * last sync failed (a wrong password). */
		buf_reset(&b);
		if (f->err[0])
			buf_addstr(&b, f->err);
		else if (st->error[0])
			buf_printf(&b, "No folders yet: the last sync failed: "
			    "%s", st->error);
		else
			buf_addstr(&b, "No folders yet (press $ to sync).");
		/* Below the Outbox and search rows, when there are. */
		ui_put_wrapped(1 + (int)f->l.n, 1, ui->cols - 1,
		    rows - (int)f->l.n, b.data, b.len,
		    ui->attr[f->err[0] || st->error[0] ? THEME_ERROR :
		    THEME_NORMAL]);
	}
	for (i = f->l.top, y = 1; i < f->nv && y <= rows; i++, y++) {
		const struct folder_tree_row *r = &f->rows[i];

		cf = folder_at(f, i);
		attr = i == f->l.cur ? ui->attr[THEME_CURSOR] : r->unread ?
		    ui->attr[THEME_NEW] : ui->attr[THEME_NORMAL];
		ui_fill(y, 0, ui->cols, attr);
		buf_reset(&b);
		buf_printf(&b, "%u unread of %u", r->unread, r->total);
		w = ui_width(b.data, b.len);
		ui_put(y, ui->cols - w - 1, w, b.data, b.len, attr);
		x = 1 + 2 * (int)(cf->depth > 20 ? 20 : cf->depth);
		if (cf->depth > 0)
			ui_put(y, x - 2, 2, "\xe2\x94\x94 ", 4, i == f->l.cur ?
			    attr : ui->attr[THEME_TREE]);
		x += ui_put(y, x, ui->cols - x - w - 2, cf->leaf,
		    strlen(cf->leaf), attr);
		buf_reset(&b);
		if (role_name(cf->role))
			buf_printf(&b, "  (%s)", role_name(cf->role));
		/* A collapsed branch says what it hides; its counts are
		 * the branch's. */
		if (r->collapsed)
			buf_printf(&b, "  [+%zu folder%s]", r->children,
			    r->children == 1 ? "" : "s");
		if (b.len)
			ui_put(y, x, ui->cols - x - w - 2, b.data, b.len,
			    attr);
	}
	if (has_outbox(ui, f) && f->nv >= f->l.top && y <= rows) {
		/* The outbox, the last row. */
		int bad;

		buf_reset(&b);
		bad = outbox_counts(ost, &b);
		if (b.len == 0)
			buf_addstr(&b, "empty");
		attr = f->l.cur == f->nv ? ui->attr[THEME_CURSOR] :
		    ui->attr[bad ? THEME_ERROR : THEME_NORMAL];
		ui_fill(y, 0, ui->cols, attr);
		w = ui_width(b.data, b.len);
		ui_put(y, ui->cols - w - 1, w, b.data, b.len, attr);
		x = 1 + ui_put(y, 1, ui->cols - w - 3, "Outbox", 6, attr);
		if (cache_account(ui->cache, f->account)->send_insecure)
			ui_put(y, x + 2, ui->cols - x - w - 4, "INSECURE: sends "
			    "in plaintext", 28, ui->attr[THEME_INSECURE]);
		y++;
	}
	for (i = f->l.top > f->nv ? f->l.top : f->nv; i < f->l.n && y <= rows;
	    i++) {
		const struct config_search *sr;
		size_t k;

		if ((sr = search_at(ui, f, i, &k)) == NULL)
			continue; /* the Outbox row */
		attr = i == f->l.cur ? ui->attr[THEME_CURSOR] :
		    f->sunread[k] ? ui->attr[THEME_NEW] :
		    ui->attr[THEME_NORMAL];
		ui_fill(y, 0, ui->cols, attr);
		buf_reset(&b);
		buf_printf(&b, "%u unread of %zu", f->sunread[k],
		    f->smatch[k]);
		w = ui_width(b.data, b.len);
		ui_put(y, ui->cols - w - 1, w, b.data, b.len, attr);
		x = 1 + ui_put(y, 1, ui->cols - w - 3, sr->name,
		    strlen(sr->name), attr);
		ui_put(y, x, ui->cols - x - w - 2, "  (search)", 10, attr);
		y++;
	}
	buf_free(&b);
}

static int
open_name(struct ui *ui, struct folders *f, const char *name)
{
	int64_t id;

	if (scr_folders_find(ui, f->account, name, &id) < 0)
		return -1;
	ui_push(ui, scr_index_new(ui, f->account, id, name));
	return 0;
}

/* Edit distance, ASCII case folded: for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, prev, cur, best;

	if (la > 256 || lb > 256)
		return (size_t)-1;
	row = xreallocarray(NULL, lb + 1, sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			best = prev + (str_ncasecmp(a + i - 1, b + j - 1, 1) != 0);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

int
scr_folders_lookup(struct ui *ui, size_t account, const char *name,
    int64_t *id_r, char *msg, size_t size)
{
	struct cache_folder *f = NULL;
	struct error err, err2;
	const char *best = NULL, *prefix = NULL;
	size_t n = 0, i, d, bestd = (size_t)-1, len = strlen(name), nprefix = 0;

	error_clear(&err);
	error_clear(&err2);
	if (cache_folder_find(ui->cache, account, name, id_r, &err) == 0)
		return 0;
	if (cache_folders(ui->cache, account, &f, &n, &err2) < 0 || n == 0) {
		str_lcpy(msg, err.msg, size); /* nothing synced yet */
		cache_folders_free(&f, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (f[i].noselect)
			continue;
		if ((d = distance(name, f[i].name)) < bestd) {
			bestd = d;
			best = f[i].name;
		}
		if (len && str_ncasecmp(f[i].name, name, len) == 0) {
			prefix = f[i].name;
			nprefix++;
		}
	}
	if (best && bestd > 2 && nprefix == 1)
		best = prefix;
	else if (bestd > 2)
		best = NULL;
	if (best)
		snprintf(msg, size, "no folder '%s'; did you mean '%s'?", name,
		    best);
	else
		snprintf(msg, size, "no folder '%s' in %s (Tab in the folder "
		    "prompt completes the names).", name,
		    cache_account(ui->cache, account)->name);
	cache_folders_free(&f, n);
	return -1;
}

int
scr_folders_find(struct ui *ui, size_t account, const char *name,
    int64_t *id_r)
{
	char msg[ERROR_MAX];

	if (scr_folders_lookup(ui, account, name, id_r, msg, sizeof(msg)) == 0)
		return 0;
	ui_message(ui, 1, "%s", msg);
	return -1;
}

void
scr_folders_complete(struct ui *ui, size_t account, struct ui_fcomp *c,
    struct buf *text, size_t start)
{
	struct cache_folder *f = NULL;
	struct error err;
	const char **names;
	size_t n = 0, i, k;

	error_clear(&err);
	if (cache_folders(ui->cache, account, &f, &n, &err) < 0)
		n = 0;
	names = xreallocarray(NULL, n ? n : 1, sizeof(*names));
	for (i = k = 0; i < n; i++)
		if (!f[i].noselect)
			names[k++] = f[i].name;
	ui_complete_words(c, text, start, names, k);
	free(names);
	cache_folders_free(&f, n);
}

static void
complete(struct ui *ui, struct buf *text, void *arg)
{
	struct folders *f = arg;

	scr_folders_complete(ui, f->account, &f->comp, text, 0);
}

static void
change_done(struct ui *ui, const char *text, void *arg)
{
	if (*text)
		open_name(ui, arg, text);
}

static int
open_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct folders *f = (struct folders *)s;
	const struct config_search *sr;
	const struct cache_folder *cf;
	size_t k;

	if ((sr = search_at(ui, f, f->l.cur, &k)) != NULL) {
		ui_push(ui, scr_index_search_new(ui, f->account, sr));
		return 0;
	}
	if (f->l.cur == f->nv && has_outbox(ui, f)) {
		ui_push(ui, scr_outbox_new(ui, f->account));
		return 0;
	}
	if ((cf = folder_at(f, f->l.cur)) == NULL)
		return 0;
	if (cf->noselect) {
		ui_message(ui, 1, "%s holds only folders", cf->name);
		return -1;
	}
	ui_push(ui, scr_index_new(ui, f->account, cf->id, cf->name));
	return 0;
}

static int
change_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct folders *f = (struct folders *)s;

	if (arg)
		return open_name(ui, f, arg);
	ui_prompt(ui, "Open folder: ", NULL, change_done, f);
	ui_prompt_complete(ui, complete);
	return 0;
}

/* --- managing folders --- */

/* The folder under the cursor, or NULL with a message. */
static const struct cache_folder *
need_folder(struct ui *ui, struct folders *f)
{
	const struct cache_folder *cf = folder_at(f, f->l.cur);

	if (cf == NULL)
		ui_message(ui, 1, "Put the cursor on a folder first.");
	return cf;
}

static void
set_str(char **p, const char *v)
{
	free(*p);
	*p = v ? xstrdup(v) : NULL;
}

static void
run_op(struct ui *ui, struct folders *f, enum cache_folder_op op,
    const char *name, const char *newname)
{
	static const char *const doing[] = {
		[CACHE_FOLDER_CREATE] = "Creating",
		[CACHE_FOLDER_RENAME] = "Renaming",
		[CACHE_FOLDER_DELETE] = "Deleting",
		[CACHE_FOLDER_SUBSCRIBE] = "Subscribing to",
		[CACHE_FOLDER_UNSUBSCRIBE] = "Unsubscribing from",
	};
	struct error err;
	uint64_t t = 0;
	int rc;

	error_clear(&err);
	rc = cache_folder_op(ui->cache, f->account, op, name, newname, &t,
	    &err);
	if (rc < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return;
	}
	if (op == CACHE_FOLDER_CREATE || op == CACHE_FOLDER_RENAME)
		set_str(&f->want, op == CACHE_FOLDER_CREATE ? name : newname);
	f->ticket = t;
	if (rc == 0) {
		ui_message(ui, 0, "Done.");
		load(ui, f);
	} else if (newname)
		ui_message(ui, 0, "%s %s to %s on the server...", doing[op],
		    name, newname);
	else
		ui_message(ui, 0, "%s %s on the server...", doing[op], name);
}

static void
create_done(struct ui *ui, const char *text, void *arg)
{
	if (*text)
		run_op(ui, arg, CACHE_FOLDER_CREATE, text, NULL);
}

static void
rename_done(struct ui *ui, const char *text, void *arg)
{
	struct folders *f = arg;

	if (*text && f->asked)
		run_op(ui, f, CACHE_FOLDER_RENAME, f->asked, text);
}

static void
delete_done(struct ui *ui, const char *text, void *arg)
{
	struct folders *f = arg;

	if (f->asked == NULL)
		return;
	if (strcmp(text, "y") == 0)
		run_op(ui, f, CACHE_FOLDER_DELETE, f->asked, NULL);
	else
		ui_message(ui, 0, "Kept %s.", f->asked);
}

/* n with a comma every three digits: "1,234". */
static void
add_count(struct buf *b, unsigned n)
{
	char d[16];
	int len = snprintf(d, sizeof(d), "%u", n), i;

	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addch(b, ',');
		buf_addch(b, d[i]);
	}
}

static int
manage_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct folders *f = (struct folders *)s;
	const struct cache_folder *cf;
	struct buf q = BUF_INIT;
	struct error err;

	if (id == UI_CMD_CREATE_FOLDER) {
		if (arg) {
			create_done(ui, arg, f);
			return 0;
		}
		ui_prompt(ui, "Create folder: ", NULL, create_done, f);
		ui_prompt_complete(ui, complete);
		return 0;
	}
	if ((cf = need_folder(ui, f)) == NULL)
		return -1;
	error_clear(&err);
	if ((id == UI_CMD_RENAME_FOLDER || id == UI_CMD_DELETE_FOLDER) &&
	    cache_folder_op_check(ui->cache, f->account,
	    id == UI_CMD_RENAME_FOLDER ? CACHE_FOLDER_RENAME :
	    CACHE_FOLDER_DELETE, cf->name, NULL, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	set_str(&f->asked, cf->name);
	switch (id) {
	case UI_CMD_RENAME_FOLDER:
		if (arg) {
			rename_done(ui, arg, f);
			break;
		}
		buf_printf(&q, "Rename %s to: ", cf->name);
		ui_prompt(ui, buf_cstr(&q), cf->name, rename_done, f);
		ui_prompt_complete(ui, complete);
		break;
	case UI_CMD_DELETE_FOLDER:
		/* The count the cache has: what goes with it here. */
		buf_printf(&q, "Delete %s", cf->name);
		if (cf->total) {
			buf_addstr(&q, " and its ");
			add_count(&q, cf->total);
			buf_addstr(&q, cf->total == 1 ? " message" : " messages");
		}
		buf_addstr(&q, "? (y/n) ");
		ui_ask_yesno(ui, buf_cstr(&q), delete_done, f);
		break;
	default:
		run_op(ui, f, id == UI_CMD_SUBSCRIBE ? CACHE_FOLDER_SUBSCRIBE :
		    CACHE_FOLDER_UNSUBSCRIBE, cf->name, NULL);
		break;
	}
	buf_free(&q);
	return 0;
}

static int
collapse_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct folders *f = (struct folders *)s;
	const struct cache_folder *cf = folder_at(f, f->l.cur);
	size_t i;

	(void)arg;
	if (id == UI_CMD_COLLAPSE_ALL_FOLDERS) {
		if (f->tree.n)
			folder_tree_clear(&f->tree);
		else
			for (i = 0; i + 1 < f->n; i++)
				if (f->f[i + 1].depth > f->f[i].depth)
					folder_tree_set(&f->tree, f->f[i].name,
					    1);
		rebuild(ui, f, cf ? cf->id : 0);
		return 0;
	}
	if ((cf = need_folder(ui, f)) == NULL)
		return -1;
	if (f->rows[f->l.cur].children == 0) {
		ui_message(ui, 0, "%s has no subfolders.", cf->name);
		return 0;
	}
	folder_tree_set(&f->tree, cf->name, !f->rows[f->l.cur].collapsed);
	rebuild(ui, f, cf->id);
	return 0;
}

static void
event(struct ui *ui, struct ui_screen *s, const struct cache_event *ev)
{
	struct folders *f = (struct folders *)s;

	(void)ui;
	/* A refused create or rename: no folder to go to. */
	if (ev->kind == CACHE_EV_FOLDER_DONE && ev->ticket == f->ticket &&
	    ev->status < 0)
		set_str(&f->want, NULL);
}

static const ui_screen_fn cmds[UI_CMD_N] = {
	[UI_CMD_OPEN] = open_cmd,
	[UI_CMD_CHANGE_FOLDER] = change_cmd,
	[UI_CMD_CREATE_FOLDER] = manage_cmd,
	[UI_CMD_RENAME_FOLDER] = manage_cmd,
	[UI_CMD_DELETE_FOLDER] = manage_cmd,
	[UI_CMD_SUBSCRIBE] = manage_cmd,
	[UI_CMD_UNSUBSCRIBE] = manage_cmd,
	[UI_CMD_COLLAPSE_FOLDER] = collapse_cmd,
	[UI_CMD_COLLAPSE_ALL_FOLDERS] = collapse_cmd,
};

static void
destroy(struct ui_screen *s)
{
	struct folders *f = (struct folders *)s;

	folder_tree_clear(&f->tree);
	free(f->rows);
	free(f->want);
	free(f->asked);
	cache_folders_free(&f->f, f->n);
	ui_fcomp_free(&f->comp);
	free(f->srch);
	free(f->smatch);
	free(f->sunread);
	free(f);
}

static const struct ui_screen_ops ops = {
	UI_CTX_FOLDERS, draw, NULL, NULL, event, cmds, destroy,
};

struct ui_screen *
scr_folders_new(struct ui *ui, size_t account)
{
	struct folders *f = xcalloc(1, sizeof(*f));

	f->s.ops = &ops;
	f->s.list = &f->l;
	f->s.account = account;
	f->account = account;
	load(ui, f);
	return &f->s;
}
