/*
 * scr_index: a folder's message index.  Draws only the visible rows; the
 * row -> message mapping is the index's own order unless a limit or
 * collapsed threads are in force (then rebuilt once, O(n), per change).
 * Limit and search are in scr_index_find.c, changes in scr_index_act.c
 * (scr_index_int.h).
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "ui/scr_index_int.h"
#include "ui/sidebar.h"

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

/* The generation of what the screen shows: the folder's, or the
 * account's while the folder is not known yet (cache.h, Generations). */
static uint64_t
current_gen(struct ui *ui, const struct idx *x)
{
	if (x->vsearch)
		return cache_scope_gen(ui->cache, &x->scope);
	return x->folder_id ? cache_folder_gen(ui->cache, x->folder_id) :
	    cache_account_gen(ui->cache, x->account);
}

size_t
idx_account_of(const struct idx *x, const struct index_rec *r)
{
	int64_t fid;
	size_t k;

	if (x->vsearch == NULL || r == NULL || x->ix == NULL)
		return x->account;
	fid = index_folder(x->ix, r);
	for (k = 0; k < x->scope.n; k++)
		if (x->scope.folders[k] == fid)
			return x->scope.accounts[k];
	return x->account;
}

/* In a virtual folder the screen's account (which reply, compose and
 * the pager use) is the one of the message under the cursor. */
static void
follow_account(struct idx *x)
{
	if (x->vsearch)
		x->s.account = idx_account_of(x, rec_at(x, x->l.cur));
}

/* A virtual folder: its folders first (an account may have new ones),
 * then the matches in them. */
static void
vload(struct ui *ui, struct idx *x)
{
	struct error err;

	error_clear(&err);
	x->rescope = 0;
	cache_scope_free(&x->scope);
	if (cache_saved_search_scope(ui->cache, x->vsearch, &x->scope,
	    &err) < 0) {
		str_lcpy(x->err, err.msg, sizeof(x->err));
		return;
	}
	x->gen = current_gen(ui, x);
	if (cache_saved_search_open(ui->cache, x->vsearch, &x->scope, x->sort,
	    x->reverse, &x->ix, &err) < 0)
		str_lcpy(x->err, err.msg, sizeof(x->err));
	else
		index_precompute(x->ix);
}

int
idx_load(struct ui *ui, struct idx *x)
{
	struct error err;
	const struct index_rec *r;
	int64_t keep = 0;
	size_t row;

	error_clear(&err);
	if ((r = rec_at(x, x->l.cur)) != NULL)
		keep = r->id;
	index_free(&x->ix);
	x->err[0] = '\0';
	if (x->vsearch) {
		vload(ui, x);
		goto loaded;
	}
	if (x->folder_id == 0 && scr_folders_lookup(ui, x->account,
	    x->folder_name, &x->folder_id, x->err, sizeof(x->err)) < 0)
		x->folder_id = 0;
	/* Taken before reading: a change meanwhile reloads once more. */
	x->gen = current_gen(ui, x);
	if (x->folder_id == 0) {
		/* not in the cache yet: x->err says so */
	} else if ((x->old_mark = cache_folder_old_mark(ui->cache,
	    x->folder_id)), cache_index_open(ui->cache, x->folder_id, x->sort,
	    x->reverse, &x->ix, &err) < 0) {
		str_lcpy(x->err, err.msg, sizeof(x->err));
	} else {
		/* The other sort orders (threads too) are computed on a
		 * helper thread meanwhile: changing sort then costs a copy. */
		index_precompute(x->ix);
	}
loaded:
	build_rows(x);
	if (keep && (row = row_of(x, keep)) != (size_t)-1)
		x->l.cur = row;
	ui_list_fix(&x->l, ui_body_rows(ui));
	return x->err[0] ? -1 : 0;
}

/* Reloads when the generation moved: a worker's sync, another
 * process (postie sync --bodies), or a change made elsewhere in the UI.
 * Once when next drawn or used, however many changes there were. */
void
idx_fresh(struct ui *ui, struct idx *x)
{
	if (x->rescope || current_gen(ui, x) != x->gen)
		idx_load(ui, x);
}

/* After the screen's own change, already applied to x->ix: when the
 * generation moved by just that change, nothing else needs loading. */
void
idx_own_change(struct ui *ui, struct idx *x, uint64_t before)
{
	if (x->gen == before && current_gen(ui, x) == before + 1)
		x->gen = before + 1;
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

/* In a virtual folder, where each message lives: "account/folder"
 * (the folder alone when the search looks in one account), at most a
 * sixth of the width. */
static int
where_col(struct ui *ui, struct idx *x, const struct index_rec *r, int y,
    int cx, int right, unsigned long attr)
{
	struct buf b = BUF_INIT;
	int64_t fid = index_folder(x->ix, r);
	int w = ui->cols / 6;
	size_t k;

	if (x->vsearch->nscope != 1 && cache_naccounts(ui->cache) > 1)
		buf_printf(&b, "%s/", cache_account(ui->cache,
		    idx_account_of(x, r))->name);
	for (k = 0; k < x->scope.n; k++)
		if (x->scope.folders[k] == fid)
			str_clean_display(&b, x->scope.names[k],
			    strlen(x->scope.names[k]), 0);
	if (w > right - cx)
		w = right - cx;
	if (b.len)
		ui_put(y, cx, w - 1, b.data, b.len, attr);
	buf_free(&b);
	return w;
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
	fl[0] = r->flags & MSG_SEEN ? ' ' : r->id <= x->old_mark ? 'O' : 'N';
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
	buf_printf(&b, "%c%s ", idx_is_tagged(x, r->id) ? '*' : ' ', fl);
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
	if (x->vsearch && ui->cols >= 60 && cx < right)
		cx += where_col(ui, x, r, y, cx, right, attr);
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
	size_t i, msgs, ntag = idx_ntagged(x);
	char shown[48], tags[32];
	int side;

	idx_fresh(ui, x);
	/* Messages, not rows: collapsed threads hide some. */
	for (i = 0, msgs = x->l.n; x->hidden && i < x->nrows; i++)
		msgs += x->hidden[i];
	if (msgs != x->l.n)
		snprintf(shown, sizeof(shown), ", %zu shown", x->l.n);
	else
		shown[0] = '\0';
	if (ntag)
		snprintf(tags, sizeof(tags), ", %zu tagged", ntag);
	else
		tags[0] = '\0';
	ui_title(ui, " %s%s%s: %zu message%s%s%s   sort: %s%s%s%s   ?: help",
	    x->vsearch ? "search " : cache_account(ui->cache,
	    x->account)->name, x->vsearch ? "" : "/", x->folder_name,
	    msgs, msgs == 1 ? "" : "s", shown, tags, x->reverse ? "reverse-" : "",
	    sort_names[x->sort], x->limit_q ? "   limit: " : "",
	    x->limit_q ? x->limit_q : "");
	/* The sidebar's columns are not the index's while it draws. */
	side = sidebar_draw(ui, x->s.account, x->folder_id);
	ui_origin(side);
	ui->cols -= side;
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
	follow_account(x);
	ui_origin(0);
	ui->cols += side;
}

/* The folder's first sync answered: -e commands may run now (the
 * generations reload what it brought). */
static void
event(struct ui *ui, struct ui_screen *s, const struct cache_event *ev)
{
	struct idx *x = (struct idx *)s;

	/* A virtual folder looks in every folder of some accounts: one
	 * more, or one fewer, changes what it shows. */
	if (x->vsearch && ev->kind == CACHE_EV_FOLDERS_CHANGED &&
	    cache_saved_search_in(ui->cache, x->vsearch, ev->account))
		x->rescope = 1;
	if (x->ticket == 0 || ev->account != x->account ||
	    !((ev->kind == CACHE_EV_SYNC_DONE && ev->ticket == x->ticket) ||
	    (ev->kind == CACHE_EV_ACCOUNT && ev->state == ACCOUNT_ERROR)))
		return;
	x->ticket = 0;
	if (ui->start_waiting && ui->start_account == x->account)
		ui_start_loaded(ui);
}


size_t
scr_index_account(struct ui_screen *s)
{
	return ((struct idx *)s)->s.account;
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

	idx_fresh(ui, x);
	if (unread) {
		for (i = x->l.cur + 1; i < x->l.n; i++) {
			r = rec_at(x, i);
			if (!(r->flags & MSG_SEEN)) {
				ui_list_set(&x->l, i, ui_body_rows(ui));
				follow_account(x);
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
	follow_account(x);
	return scr_index_current(s);
}


static void
prompt_done(struct ui *ui, const char *text, void *arg)
{
	struct idx *x = arg;

	if (*text || x->asking == UI_CMD_LIMIT)
		ui_screen_run(ui, &x->s, x->asking, text);
}

static void
complete(struct ui *ui, struct buf *text, void *arg)
{
	struct idx *x = arg;

	/* In a virtual folder: the folders of the message's account. */
	scr_folders_complete(ui, x->s.account, &x->comp, text, 0);
}

int
idx_ask(struct ui *ui, struct idx *x, const char *label, enum ui_cmd_id id)
{
	x->asking = id;
	ui_prompt(ui, label, NULL, prompt_done, x);
	if (id == UI_CMD_CHANGE_FOLDER || id == UI_CMD_MOVE ||
	    id == UI_CMD_COPY)
		ui_prompt_complete(ui, complete);
	return 0;
}

/* After a limit or collapse: new rows, same order, same message. */
int
idx_rebuild(struct ui *ui, struct idx *x)
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
		return idx_rebuild(ui, x);
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
	x->asking = UI_CMD_SORT;
	ui_prompt(ui, buf_cstr(&label), arg, prompt_done, x);
	buf_free(&label);
	return 0;
}

static int
sort_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	enum index_sort so;

	if (arg == NULL)
		return idx_ask(ui, x, "Sort by (date, arrival, from, subject, "
		    "size, thread): ", UI_CMD_SORT);
	if (index_sort_parse(arg, &so) < 0)
		return sort_prefix(ui, x, arg);
	x->sort = so;
	return resort(ui, x);
}

static int
sort_reverse_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;

	x->reverse = !x->reverse;
	return resort(ui, x);
}

static int
collapse_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	return thread_cmd(ui, (struct idx *)s, id == UI_CMD_COLLAPSE_ALL);
}

static int
step_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	return scr_index_step(ui, s, id == UI_CMD_PREV_MESSAGE ? -1 : 1,
	    id == UI_CMD_NEXT_UNREAD) ? 0 : -1;
}

/* The message under the cursor, or NULL (said). */
const struct index_rec *
idx_cursor(struct ui *ui, struct idx *x)
{
	const struct index_rec *r = rec_at(x, x->l.cur);

	if (r == NULL)
		ui_message(ui, 1, "No message selected.");
	return r;
}

static int
open_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	const struct index_rec *r = idx_cursor(ui, (struct idx *)s);

	if (r == NULL)
		return -1;
	follow_account((struct idx *)s);
	ui_push(ui, scr_pager_new(ui, s, r->id));
	return 0;
}

/* The index's function for each command (cmd.h). */
static const ui_screen_fn cmds[UI_CMD_N] = {
	[UI_CMD_SORT] = sort_cmd,
	[UI_CMD_SORT_REVERSE] = sort_reverse_cmd,
	[UI_CMD_LIMIT] = idx_limit_cmd,
	[UI_CMD_SEARCH] = idx_search_cmd,
	[UI_CMD_SEARCH_NEXT] = idx_search_next_cmd,
	[UI_CMD_COLLAPSE] = collapse_cmd,
	[UI_CMD_COLLAPSE_ALL] = collapse_cmd,
	[UI_CMD_CHANGE_FOLDER] = idx_change_folder_cmd,
	[UI_CMD_EXPUNGE] = idx_expunge_cmd,
	[UI_CMD_NEXT_UNREAD] = step_cmd,
	[UI_CMD_NEXT_MESSAGE] = step_cmd,
	[UI_CMD_PREV_MESSAGE] = step_cmd,
	[UI_CMD_OPEN] = open_cmd,
	[UI_CMD_TOGGLE_NEW] = idx_flag_cmd,
	[UI_CMD_FLAG] = idx_flag_cmd,
	[UI_CMD_UNDELETE] = idx_flag_cmd,
	[UI_CMD_DELETE] = idx_delete_cmd,
	[UI_CMD_MOVE] = idx_move_cmd,
	[UI_CMD_COPY] = idx_move_cmd,
	[UI_CMD_TAG] = idx_tag_cmd,
	[UI_CMD_TAG_PATTERN] = idx_tag_pattern_cmd,
	[UI_CMD_UNTAG_PATTERN] = idx_tag_pattern_cmd,
	[UI_CMD_TAG_PREFIX] = idx_tag_prefix_cmd,
	[UI_CMD_MARK_ALL_READ] = idx_mark_all_read_cmd,
	[UI_CMD_PIPE] = idx_pipe_cmd,
};

static void
destroy(struct ui_screen *s)
{
	struct idx *x = (struct idx *)s;
	struct error err;

	/* Leaving the folder: what it showed is no longer new. */
	error_clear(&err);
	if (x->folder_id && cache_folder_leave(x->cache, x->folder_id,
	    &err) < 0)
		log_warn("%s", err.msg);
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
	free(x->tagged);
	cache_scope_free(&x->scope);
	ui_fcomp_free(&x->comp);
	free(x);
}

static const struct ui_screen_ops ops = {
	UI_CTX_INDEX, draw, idx_tag_key, NULL, event, cmds, destroy,
};

/* A new index screen of account showing name (a folder, or the saved
 * search sr), loaded. */
static struct idx *
idx_new(struct ui *ui, size_t account, int64_t folder_id, const char *name,
    const struct config_search *sr)
{
	struct idx *x = xcalloc(1, sizeof(*x));

	x->s.ops = &ops;
	x->s.list = &x->l;
	x->s.account = account;
	x->account = account;
	x->folder_id = folder_id;
	x->vsearch = sr;
	x->folder_name = xstrdup(name);
	x->cache = ui->cache;
	x->sort = INDEX_SORT_DATE;
	idx_load(ui, x);
	return x;
}

/* Newest at the bottom like mutt: start there. */
static struct ui_screen *
idx_at_end(struct ui *ui, struct idx *x)
{
	x->l.cur = x->l.n ? x->l.n - 1 : 0;
	ui_list_fix(&x->l, ui_body_rows(ui));
	follow_account(x);
	return &x->s;
}

struct ui_screen *
scr_index_new(struct ui *ui, size_t account, int64_t folder_id,
    const char *folder_name)
{
	struct idx *x = idx_new(ui, account, folder_id, folder_name, NULL);

	/* Answer from disk, and ask the worker for what is new
	 * (doc/HACKING.md, Data flow of a sync): a folder not in the cache
	 * yet comes with the account's sync.  The ticket tells when it is
	 * done, for the -e commands of the start folder. */
	if (ui->worker_ok[account] && cache_request_sync(ui->cache, account,
	    folder_id, 0, &x->ticket, NULL) < 0)
		x->ticket = 0;
	if (x->ticket == 0 && ui->start_waiting &&
	    ui->start_account == account)
		ui_start_loaded(ui); /* nothing to wait for */
	return idx_at_end(ui, x);
}

struct ui_screen *
scr_index_search_new(struct ui *ui, size_t account,
    const struct config_search *sr)
{
	/* Its folders sync as the accounts' workers sync them; the
	 * generations bring their changes here. */
	return idx_at_end(ui, idx_new(ui, account, 0, sr->name, sr));
}
