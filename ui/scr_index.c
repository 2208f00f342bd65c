/*
 * scr_index: a folder's message index.  Draws only the visible rows; the
 * row -> message mapping is the index's own order unless a limit or
 * collapsed threads are in force (then rebuilt once, O(n), per change).
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "cache/db.h"
#include "core/xalloc.h"
#include "ui/tui_int.h"

struct idx {
	struct ui_screen s;
	struct ui_list l;
	size_t account;
	int64_t folder_id; /* 0 until the folder is known to the cache */
	char *folder_name;
	struct index *ix;
	enum index_sort sort;
	int reverse;
	uint32_t *rows;    /* display row -> index position; NULL: identity */
	uint32_t *hidden;  /* per row: messages hidden under it (collapsed) */
	size_t nrows;
	int64_t *limit;    /* sorted ids shown, when limit_q */
	size_t nlimit;
	char *limit_q;
	int64_t *found;    /* sorted ids of the last search */
	size_t nfound;
	char *search_q;
	int64_t *toggled;  /* thread roots collapsed (or expanded) */
	size_t ntoggled;
	int collapse_all;
	int stale;          /* the cache changed: reload before use */
	int64_t data_version; /* the database's, at the last load */
	const char *asking; /* the command whose prompt is open */
	void (*then)(struct ui *, void *); /* after the expunge question */
	void *then_arg;
	char *pending_folder; /* change-folder waiting for that answer */
	int64_t *asked;       /* the deleted messages the question counted */
	size_t nasked;
	struct ui_fcomp comp; /* Tab in the folder prompts */
	char err[ERROR_MAX];
};

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
has_id(const int64_t *set, size_t n, int64_t id)
{
	return n && bsearch(&id, set, n, sizeof(*set), cmp_id) != NULL;
}

static const struct index_rec *
rec_at(const struct idx *x, size_t row)
{
	if (x->ix == NULL || row >= x->l.n)
		return NULL;
	return index_get(x->ix, x->rows ? x->rows[row] : row);
}

static size_t
row_of(const struct idx *x, int64_t id)
{
	size_t pos, i;

	if (x->ix == NULL || (pos = index_find(x->ix, id)) == (size_t)-1)
		return (size_t)-1;
	if (x->rows == NULL)
		return pos;
	for (i = 0; i < x->nrows; i++)
		if (x->rows[i] >= pos)
			return i;
	return x->nrows ? x->nrows - 1 : (size_t)-1;
}

static int
collapsed(const struct idx *x, int64_t root)
{
	return x->collapse_all ^ has_id(x->toggled, x->ntoggled, root);
}

static void
build_rows(struct idx *x)
{
	const struct index_rec *r;
	size_t n = x->ix ? index_count(x->ix) : 0, i;
	int threads = x->sort == INDEX_SORT_THREAD, hide = 0;

	free(x->rows);
	free(x->hidden);
	x->rows = NULL;
	x->hidden = NULL;
	x->nrows = 0;
	if (!x->limit_q && !(threads && (x->collapse_all || x->ntoggled))) {
		x->l.n = n;
		return;
	}
	x->rows = xreallocarray(NULL, n ? n : 1, sizeof(*x->rows));
	x->hidden = xcalloc(n ? n : 1, sizeof(*x->hidden));
	for (i = 0; i < n; i++) {
		r = index_get(x->ix, i);
		if (x->limit_q && !has_id(x->limit, x->nlimit, r->id))
			continue;
		if (threads && r->depth == 0)
			hide = collapsed(x, r->id);
		else if (threads && hide && x->nrows) {
			x->hidden[x->nrows - 1]++;
			continue;
		}
		x->rows[x->nrows++] = (uint32_t)i;
	}
	x->l.n = x->nrows;
}

static int
load(struct ui *ui, struct idx *x)
{
	struct error err;
	const struct index_rec *r;
	int64_t keep = 0;
	size_t row;

	error_clear(&err);
	x->stale = 0;
	if (db_data_version(cache_db(ui->cache), &x->data_version, &err) < 0)
		x->data_version = -1;
	if ((r = rec_at(x, x->l.cur)) != NULL)
		keep = r->id;
	index_free(&x->ix);
	x->err[0] = '\0';
	if (x->folder_id == 0 && scr_folders_lookup(ui, x->account,
	    x->folder_name, &x->folder_id, x->err, sizeof(x->err)) < 0) {
		x->folder_id = 0;
	} else if (cache_index_open(ui->cache, x->folder_id, x->sort,
	    x->reverse, &x->ix, &err) < 0) {
		str_lcpy(x->err, err.msg, sizeof(x->err));
	} else {
		/* The other sort orders (threads too) are computed on a
		 * helper thread meanwhile: changing sort then costs a copy. */
		index_precompute(x->ix);
	}
	build_rows(x);
	if (keep && (row = row_of(x, keep)) != (size_t)-1)
		x->l.cur = row;
	ui_list_fix(&x->l, ui_body_rows(ui));
	return x->err[0] ? -1 : 0;
}

static void
reload_stale(struct ui *ui, struct idx *x)
{
	if (x->stale)
		load(ui, x);
}

/*
 * Before a search or limit: another process (postie sync --bodies) may
 * have added messages and bodies, and no event says so.  The database
 * does: reload when its data_version moved since the last load.
 */
static void
reload_if_written(struct ui *ui, struct idx *x)
{
	struct error err;
	int64_t dv;

	error_clear(&err);
	if (db_data_version(cache_db(ui->cache), &dv, &err) < 0 ||
	    dv != x->data_version)
		x->stale = 1;
	reload_stale(ui, x);
}

/* The sender column shows the display name when there is one, as Mutt
 * does: "Jürgen Müller <juergen@example.de>" -> "Jürgen Müller". */
static size_t
sender_len(const char *from)
{
	const char *lt = strrchr(from, '<');
	size_t n = strlen(from);

	if (lt == NULL || lt == from || n == 0 || from[n - 1] != '>')
		return n;
	n = (size_t)(lt - from);
	while (n > 0 && from[n - 1] == ' ')
		n--;
	return n ? n : strlen(from);
}

static void
fmt_date(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t, now = time(NULL);
	struct tm tm, tn;

	localtime_r(&tt, &tm);
	localtime_r(&now, &tn);
	if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		strftime(out, size, "%H:%M", &tm);
	else if (tm.tm_year == tn.tm_year)
		strftime(out, size, "%b %d", &tm);
	else
		strftime(out, size, "%Y-%m-%d", &tm);
}

static void
fmt_size(uint32_t n, char *out, size_t size)
{
	if (n < 1000)
		snprintf(out, size, "%u", n);
	else if (n < 1000 * 1024)
		snprintf(out, size, "%uK", (n + 1023) / 1024);
	else
		snprintf(out, size, "%.1fM", n / (1024.0 * 1024.0));
}

static void
draw_row(struct ui *ui, struct idx *x, size_t row, int y)
{
	const struct index_rec *r = rec_at(x, row);
	struct buf b = BUF_INIT;
	unsigned long attr;
	const char *subj;
	char date[16], size[16], fl[6];
	int cx, fw = ui->cols >= 100 ? 22 : ui->cols / 5, d, right;

	if (row == x->l.cur)
		attr = ui->attr[THEME_CURSOR];
	else if (r->flags & MSG_DELETED)
		attr = ui->attr[THEME_DELETED];
	else if (r->flags & MSG_FLAGGED)
		attr = ui->attr[THEME_FLAGGED];
	else if (!(r->flags & MSG_SEEN))
		attr = ui->attr[THEME_NEW];
	else
		attr = ui->attr[THEME_NORMAL];
	fl[0] = r->flags & MSG_SEEN ? ' ' : 'N';
	fl[1] = r->flags & MSG_FLAGGED ? 'F' : ' ';
	fl[2] = r->flags & MSG_ANSWERED ? 'R' : ' ';
	fl[3] = r->flags & MSG_DELETED ? 'D' : ' ';
	fl[4] = r->has_attachment ? 'A' : ' ';
	fl[5] = '\0';
	fmt_date(r->date, date, sizeof(date));
	fmt_size(r->size, size, sizeof(size));
	ui_fill(y, 0, ui->cols, attr);
	/* Narrow screens drop columns (size, then date, then sender)
	 * rather than draw them over each other: each column starts where
	 * the one before ended, and nothing passes `right`. */
	right = ui->cols;
	if (ui->cols >= 40) {
		ui_put(y, ui->cols - 6, 6, size, strlen(size), attr);
		right = ui->cols - 7;
	}
	buf_printf(&b, " %s ", fl);
	if (ui->cols >= 40)
		buf_printf(&b, "%-10s ", date);
	cx = ui_put(y, 0, right, b.data, b.len, attr);
	if (ui->cols >= 50) {
		const char *from = index_from(x->ix, r);
		size_t flen = sender_len(from);

		ui_put(y, cx, fw, from, flen, attr);
		cx += fw + 1;
	}
	/* Thread tree, then the subject. */
	if (r->depth > 0 && cx < right) {
		buf_reset(&b);
		for (d = 1; d < r->depth && d < 10; d++)
			buf_addstr(&b, " ");
		buf_addstr(&b, "\xe2\x94\x94\xe2\x94\x80>");
		cx += ui_put(y, cx, right - cx, b.data, b.len,
		    row == x->l.cur ? attr : ui->attr[THEME_TREE]);
	}
	if (x->hidden && x->hidden[row] && cx < right) {
		buf_reset(&b);
		buf_printf(&b, "(+%u) ", x->hidden[row]);
		cx += ui_put(y, cx, right - cx, b.data, b.len,
		    row == x->l.cur ? attr : ui->attr[THEME_TREE]);
	}
	subj = index_subject(x->ix, r);
	if (cx < right)
		ui_put(y, cx, right - cx, subj, strlen(subj), attr);
	buf_free(&b);
}

static const char *const sort_names[] = {
	"date", "arrival", "from", "subject", "size", "thread",
};

static void
draw(struct ui *ui, struct ui_screen *s)
{
	struct idx *x = (struct idx *)s;
	int rows = ui_body_rows(ui), y;
	size_t i, msgs;
	char shown[48];

	reload_stale(ui, x);
	/* Messages, not rows: collapsed threads hide some. */
	for (i = 0, msgs = x->l.n; x->hidden && i < x->nrows; i++)
		msgs += x->hidden[i];
	if (msgs != x->l.n)
		snprintf(shown, sizeof(shown), ", %zu shown", x->l.n);
	else
		shown[0] = '\0';
	ui_title(ui, " %s/%s: %zu message%s%s   sort: %s%s%s%s   ?: help",
	    cache_account(ui->cache, x->account)->name, x->folder_name,
	    msgs, msgs == 1 ? "" : "s", shown, x->reverse ? "reverse-" : "",
	    sort_names[x->sort], x->limit_q ? "   limit: " : "",
	    x->limit_q ? x->limit_q : "");
	if (x->l.n == 0) {
		struct buf b = BUF_INIT;

		if (x->err[0])
			buf_addstr(&b, x->err);
		else if (x->limit_q)
			buf_printf(&b, "No message matches '%s' (l, then "
			    "Enter, shows them all).", x->limit_q);
		else
			buf_addstr(&b, "No messages.");
		ui_put(1, 1, ui->cols - 1, b.data, b.len, ui->attr[x->err[0] ?
		    THEME_ERROR : THEME_NORMAL]);
		buf_free(&b);
	}
	for (i = x->l.top, y = 1; i < x->l.n && y <= rows; i++, y++)
		draw_row(ui, x, i, y);
}

static void
event(struct ui *ui, struct ui_screen *s, const struct cache_event *ev)
{
	struct idx *x = (struct idx *)s;

	/* Reloaded once when next drawn or stepped through, however many
	 * changes a sync reports meanwhile, and not at all while covered. */
	(void)ui;
	if ((ev->kind == CACHE_EV_FOLDER_CHANGED ||
	    ev->kind == CACHE_EV_MESSAGE_ARRIVED) &&
	    ev->folder_id == x->folder_id && x->folder_id)
		x->stale = 1;
	else if (x->folder_id == 0 && ev->account == x->account &&
	    (ev->kind == CACHE_EV_FOLDERS_CHANGED ||
	    ev->kind == CACHE_EV_SYNC_DONE))
		x->stale = 1;
}


size_t
scr_index_account(struct ui_screen *s)
{
	return ((struct idx *)s)->account;
}

int64_t
scr_index_folder(struct ui_screen *s)
{
	return ((struct idx *)s)->folder_id;
}

const char *
scr_index_where(struct ui *ui, struct ui_screen *s, size_t *row_r,
    size_t *n_r)
{
	struct idx *x = (struct idx *)s;

	*row_r = x->l.cur + 1;
	*n_r = x->l.n;
	return x->folder_name;
}

int64_t
scr_index_current(struct ui_screen *s)
{
	const struct index_rec *r = rec_at((struct idx *)s,
	    ((struct idx *)s)->l.cur);

	return r ? r->id : 0;
}

int64_t
scr_index_step(struct ui *ui, struct ui_screen *s, int delta, int unread)
{
	struct idx *x = (struct idx *)s;
	const struct index_rec *r;
	size_t i;

	reload_stale(ui, x);
	if (unread) {
		for (i = x->l.cur + 1; i < x->l.n; i++) {
			r = rec_at(x, i);
			if (!(r->flags & MSG_SEEN)) {
				ui_list_set(&x->l, i, ui_body_rows(ui));
				return r->id;
			}
		}
		ui_message(ui, 1, "No more unread messages.");
		return 0;
	}
	if ((delta > 0 && x->l.cur + 1 >= x->l.n) ||
	    (delta < 0 && x->l.cur == 0)) {
		ui_message(ui, 1, delta > 0 ? "This is the last message." :
		    "This is the first message.");
		return 0;
	}
	ui_list_move(&x->l, delta, ui_body_rows(ui));
	return scr_index_current(s);
}

static int
set_flags(struct ui *ui, struct idx *x, const struct index_rec *r,
    unsigned add, unsigned del)
{
	struct error err;
	int64_t id = r->id;
	unsigned old = r->flags, flags = (r->flags | add) & ~del;

	error_clear(&err);
	if (cache_set_flags(ui->cache, id, add, del, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	index_set_flags(x->ix, id, flags);
	if (flags != old)
		ui_own_change(ui, x->account, x->folder_id,
		    (flags & MSG_SEEN) == (old & MSG_SEEN) ? 0 :
		    flags & MSG_SEEN ? -1 : 1);
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
search(struct ui *ui, struct idx *x, const char *q, int64_t **ids_r,
    size_t *n_r)
{
	struct error err;

	error_clear(&err);
	free(*ids_r);
	*ids_r = NULL;
	*n_r = 0;
	/* Patterns: cache/pattern.h. */
	if (cache_search(ui->cache, x->folder_id, q, ids_r, n_r, &err) < 0) {
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

static int index_cmd(struct ui *, struct ui_screen *, const char *,
    const char *);

static void
prompt_done(struct ui *ui, const char *text, void *arg)
{
	struct idx *x = arg;

	if (*text || strcmp(x->asking, "limit") == 0)
		index_cmd(ui, &x->s, x->asking, text);
}

static void
complete(struct ui *ui, struct buf *text, void *arg)
{
	struct idx *x = arg;

	scr_folders_complete(ui, x->account, &x->comp, text, 0);
}

static int
ask(struct ui *ui, struct idx *x, const char *label, const char *cmd)
{
	x->asking = cmd;
	ui_prompt(ui, label, NULL, prompt_done, x);
	if (strcmp(cmd, "change-folder") == 0 || strcmp(cmd, "move") == 0 ||
	    strcmp(cmd, "copy") == 0)
		ui_prompt_complete(ui, complete);
	return 0;
}

/* After a limit or collapse: new rows, same order, same message. */
static int
rebuild(struct ui *ui, struct idx *x)
{
	int64_t keep = scr_index_current(&x->s);
	size_t row;

	build_rows(x);
	if (keep && (row = row_of(x, keep)) != (size_t)-1)
		x->l.cur = row;
	ui_list_fix(&x->l, ui_body_rows(ui));
	return 0;
}

static int
resort(struct ui *ui, struct idx *x)
{
	struct error err;
	int64_t keep = scr_index_current(&x->s);
	size_t row;

	error_clear(&err);
	if (x->ix && index_sort(x->ix, cache_db(ui->cache), x->sort,
	    x->reverse, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	build_rows(x);
	if (keep && (row = row_of(x, keep)) != (size_t)-1)
		x->l.cur = row;
	ui_list_fix(&x->l, ui_body_rows(ui));
	return 0;
}

static int
folder_op(struct ui *ui, struct idx *x, const struct index_rec *r,
    const char *name, const char *dest)
{
	struct error err;
	int64_t fid;
	int rc;

	error_clear(&err);
	if (scr_folders_find(ui, x->account, dest, &fid) < 0)
		return -1;
	rc = strcmp(name, "move") == 0 ?
	    cache_move(ui->cache, r->id, fid, &err) :
	    cache_copy(ui->cache, r->id, fid, &err);
	if (rc < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	ui_message(ui, 0, "%s to %s.", strcmp(name, "move") == 0 ? "Moved" :
	    "Copied", dest);
	if (strcmp(name, "move") == 0)
		load(ui, x);
	ui_status_changed(ui, x->account);
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

static int
expunge(struct ui *ui, struct idx *x)
{
	const struct account *a = cache_account(ui->cache, x->account);
	struct error err;

	error_clear(&err);
	if (x->folder_id == 0 || cache_expunge_ids(ui->cache, x->folder_id,
	    x->asked, x->nasked, &err) < 0) {
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
	return load(ui, x);
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
	const struct account *a = cache_account(ui->cache, x->account);
	size_t n;
	const char *s;
	char q[256];

	reload_stale(ui, x);
	n = gather_deleted(x);
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
	x->l.cur = x->l.top = 0;
	free(x->limit_q);
	x->limit_q = NULL;
	index_free(&x->ix);
	return load(ui, x);
}

static void
change_after(struct ui *ui, void *arg)
{
	change_folder(ui, arg);
}

static int
thread_cmd(struct ui *ui, struct idx *x, int all)
{
	const struct index_rec *r;
	size_t row = x->l.cur, i;
	int64_t root;

	if (x->sort != INDEX_SORT_THREAD) {
		ui_message(ui, 1, "Threads collapse in thread sort (o thread).");
		return -1;
	}
	if (all) {
		x->collapse_all = !x->collapse_all;
		free(x->toggled);
		x->toggled = NULL;
		x->ntoggled = 0;
		return rebuild(ui, x);
	}
	while (row > 0 && (r = rec_at(x, row)) && r->depth > 0)
		row--;
	if ((r = rec_at(x, row)) == NULL)
		return 0;
	root = r->id;
	for (i = 0; i < x->ntoggled && x->toggled[i] != root; i++)
		;
	if (i < x->ntoggled) {
		x->toggled[i] = x->toggled[--x->ntoggled];
	} else {
		x->toggled = xreallocarray(x->toggled, x->ntoggled + 1,
		    sizeof(*x->toggled));
		x->toggled[x->ntoggled++] = root;
	}
	if (x->ntoggled)
		qsort(x->toggled, x->ntoggled, sizeof(*x->toggled), cmp_id);
	x->l.cur = row;
	build_rows(x);
	x->l.cur = row_of(x, root);
	ui_list_fix(&x->l, ui_body_rows(ui));
	return 0;
}

/* "o s": a unique prefix of a sort name is that sort; an ambiguous one
 * asks again, naming the candidates, with what was typed. */
static int
sort_prefix(struct ui *ui, struct idx *x, const char *arg)
{
	struct buf label = BUF_INIT;
	size_t i, n = strlen(arg), nhit = 0, hit = 0;
	const size_t nsorts = sizeof(sort_names) / sizeof(sort_names[0]);

	for (i = 0; i < nsorts; i++)
		if (n && str_ncasecmp(sort_names[i], arg, n) == 0) {
			hit = i;
			nhit++;
		}
	if (nhit == 1) {
		x->sort = (enum index_sort)hit;
		return resort(ui, x);
	}
	if (nhit == 0) {
		ui_message(ui, 1, "unknown sort '%s' (date, arrival, from, "
		    "subject, size or thread)", arg);
		return -1;
	}
	buf_addstr(&label, "Sort by ");
	for (i = 0, n = 0; i < nsorts; i++)
		if (str_ncasecmp(sort_names[i], arg, strlen(arg)) == 0)
			buf_printf(&label, "%s%s", n++ == 0 ? "" : n == nhit ?
			    " or " : ", ", sort_names[i]);
	buf_addstr(&label, ": ");
	x->asking = "sort";
	ui_prompt(ui, buf_cstr(&label), arg, prompt_done, x);
	buf_free(&label);
	return 0;
}

static int
index_cmd(struct ui *ui, struct ui_screen *s, const char *name,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	const struct index_rec *r = rec_at(x, x->l.cur);
	struct error err;
	enum index_sort so;
	int64_t id;

	error_clear(&err);
	if (strcmp(name, "sort") == 0) {
		if (arg == NULL)
			return ask(ui, x, "Sort by (date, arrival, from, subject, "
			    "size, thread): ", "sort");
		if (index_sort_parse(arg, &so) < 0)
			return sort_prefix(ui, x, arg);
		x->sort = so;
		return resort(ui, x);
	}
	if (strcmp(name, "sort-reverse") == 0) {
		x->reverse = !x->reverse;
		return resort(ui, x);
	}
	if (strcmp(name, "limit") == 0) {
		if (arg == NULL)
			return ask(ui, x, "Limit to messages matching (~f ~s ~d "
			    "~U ~F ..., words; empty: all): ", "limit");
		reload_if_written(ui, x);
		free(x->limit_q);
		x->limit_q = NULL;
		if (*arg && search(ui, x, arg, &x->limit, &x->nlimit) == 0)
			x->limit_q = xstrdup(arg);
		return rebuild(ui, x);
	}
	if (strcmp(name, "search") == 0) {
		if (arg == NULL)
			return ask(ui, x, "Search: ", "search");
		reload_if_written(ui, x);
		free(x->search_q);
		x->search_q = xstrdup(arg);
		if (search(ui, x, arg, &x->found, &x->nfound) < 0)
			return -1;
		return search_next(ui, x);
	}
	if (strcmp(name, "search-next") == 0) {
		if (x->search_q == NULL)
			return ask(ui, x, "Search: ", "search");
		return search_next(ui, x);
	}
	if (strcmp(name, "collapse-thread") == 0)
		return thread_cmd(ui, x, 0);
	if (strcmp(name, "collapse-all") == 0)
		return thread_cmd(ui, x, 1);
	if (strcmp(name, "change-folder") == 0) {
		if (arg == NULL)
			return ask(ui, x, "Open folder: ", "change-folder");
		if (scr_folders_find(ui, x->account, arg, &id) < 0)
			return -1;
		/* Leaving the folder: first the deleted marks, as on q. */
		free(x->pending_folder);
		x->pending_folder = xstrdup(arg);
		if (expunge_ask(ui, x, change_after, x) == 1)
			return 0;
		return change_folder(ui, x);
	}
	if (strcmp(name, "expunge") == 0)
		return expunge_ask(ui, x, NULL, NULL) < 0 ? -1 : 0;
	if (strcmp(name, "next-unread") == 0)
		return scr_index_step(ui, s, 1, 1) ? 0 : -1;
	if (strcmp(name, "next-message") == 0)
		return scr_index_step(ui, s, 1, 0) ? 0 : -1;
	if (strcmp(name, "previous-message") == 0)
		return scr_index_step(ui, s, -1, 0) ? 0 : -1;
	if (r == NULL) {
		ui_message(ui, 1, "No message selected.");
		return -1;
	}
	if (strcmp(name, "open") == 0) {
		ui_push(ui, scr_pager_new(ui, s, r->id));
		return 0;
	}
	if (strcmp(name, "toggle-new") == 0)
		return set_flags(ui, x, r, r->flags & MSG_SEEN ? 0 : MSG_SEEN,
		    r->flags & MSG_SEEN);
	if (strcmp(name, "flag") == 0)
		return set_flags(ui, x, r, r->flags & MSG_FLAGGED ? 0 :
		    MSG_FLAGGED, r->flags & MSG_FLAGGED);
	if (strcmp(name, "undelete") == 0)
		return set_flags(ui, x, r, 0, MSG_DELETED);
	if (strcmp(name, "delete") == 0) {
		/* Every account marks here and removes on expunge, after a
		 * question that says what is lost (expunge_ask). */
		if (!(r->flags & MSG_DELETED) &&
		    set_flags(ui, x, r, MSG_DELETED, 0) < 0)
			return -1;
		if (ui->top == s)
			ui_list_move(&x->l, 1, ui_body_rows(ui));
		return 0;
	}
	if (strcmp(name, "move") == 0 || strcmp(name, "copy") == 0) {
		if (arg == NULL)
			return ask(ui, x, strcmp(name, "move") == 0 ?
			    "Move to folder: " : "Copy to folder: ",
			    strcmp(name, "move") == 0 ? "move" : "copy");
		return folder_op(ui, x, r, name, arg);
	}
	ui_message(ui, 1, "'%s' does not apply to the index", name);
	return -1;
}

int
scr_index_cmd(struct ui *ui, struct ui_screen *s, const char *name,
    const char *arg)
{
	return index_cmd(ui, s, name, arg);
}

static void
destroy(struct ui_screen *s)
{
	struct idx *x = (struct idx *)s;

	index_free(&x->ix);
	free(x->folder_name);
	free(x->rows);
	free(x->hidden);
	free(x->limit);
	free(x->limit_q);
	free(x->found);
	free(x->search_q);
	free(x->toggled);
	free(x->pending_folder);
	free(x->asked);
	ui_fcomp_free(&x->comp);
	free(x);
}

static const struct ui_screen_ops ops = {
	UI_CTX_INDEX, draw, NULL, NULL, event, index_cmd, destroy,
};

struct ui_screen *
scr_index_new(struct ui *ui, size_t account, int64_t folder_id,
    const char *folder_name)
{
	struct idx *x = xcalloc(1, sizeof(*x));

	x->s.ops = &ops;
	x->s.list = &x->l;
	x->s.account = account;
	x->account = account;
	x->folder_id = folder_id;
	x->folder_name = xstrdup(folder_name);
	x->sort = INDEX_SORT_DATE;
	load(ui, x);
	/* Answer from disk, and ask the worker for what is new (doc/HACKING.md,
	 * Data flow of a sync)
	 * (the start folder's sync is requested by tui.c). */
	if (folder_id && ui->worker_ok[account] && !ui->start_waiting)
		cache_request_sync(ui->cache, account, folder_id, 0, NULL, NULL);
	/* Newest at the bottom like mutt: start there. */
	x->l.cur = x->l.n ? x->l.n - 1 : 0;
	ui_list_fix(&x->l, ui_body_rows(ui));
	return &x->s;
}
