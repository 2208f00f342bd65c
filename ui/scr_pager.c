/* scr_pager: one message as the MIME layer renders it. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/db.h"
#include "core/spawn.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime.h"
#include "ui/hyperlink.h"
#include "ui/mailcap.h"
#include "ui/save.h"
#include "ui/scr_pager_int.h"
#include "ui/tui_int.h"

static const struct ui_screen_ops ops;

static void
add_seg(struct pager *p, size_t line, size_t off, size_t len, int cont)
{
	if (p->nsegs == p->segcap) {
		p->segcap = p->segcap ? p->segcap * 2 : 256;
		p->segs = xreallocarray(p->segs, p->segcap, sizeof(*p->segs));
	}
	p->segs[p->nsegs].line = line;
	p->segs[p->nsegs].off = off;
	p->segs[p->nsegs].len = len;
	p->segs[p->nsegs].cont = cont;
	p->nsegs++;
}

/* Body lines come wrapped from mime_render; headers are wrapped here,
 * at spaces, to the screen's width. */
static void
build_segs(struct ui *ui, struct pager *p)
{
	const struct mime_line *ln;
	size_t i, off, n;
	int cont, avail;

	p->nsegs = 0;
	for (i = 0; i < p->view->nlines; i++) {
		ln = &p->view->lines[i];
		off = 0;
		cont = 0;
		do {
			avail = cont ? ui->cols - CONT_INDENT : ui->cols;
			n = ln->kind == MIME_LINE_HEADER && avail > 8 ?
			    ui_fit(ln->text + off, ln->len - off, avail) :
			    ln->len - off;
			add_seg(p, i, off, n, cont);
			off += n;
			cont = 1;
		} while (off < ln->len);
	}
}

void
pager_render(struct ui *ui, struct pager *p)
{
	struct mime_render_opts o;
	struct error err;
	const struct buf *src = pager_source(ui, p);
	size_t i;

	mime_view_free(&p->view);
	memset(&o, 0, sizeof(o));
	o.prefer = (ui->cfg->prefer && strcmp(ui->cfg->prefer, "html") == 0) !=
	    p->other_part ? MIME_PREFER_HTML : MIME_PREFER_PLAIN;
	o.assumed_charset = ui->cfg->assumed_charset;
	o.width = ui->cols > 20 ? ui->cols - 1 : 20;
	error_clear(&err);
	if (mime_render_headers(buf_cstr(src), src->len, &o,
	    p->all_headers && src == &p->raw, &p->view, &err) < 0) {
		str_lcpy(p->err, err.msg, sizeof(p->err));
		p->l.n = 0;
		return;
	}
	build_segs(ui, p);
	p->l.n = p->nsegs;
	p->sig_line = p->view->nlines;
	for (i = 0; i < p->view->nlines; i++)
		if (p->view->lines[i].kind == MIME_LINE_BODY &&
		    strcmp(p->view->lines[i].text, "-- ") == 0)
			p->sig_line = i;
	ui_list_fix(&p->l, ui_body_rows(ui));
}

/* What the index knows of a message whose body is not here: one
 * "Name: value" line each, in head. */
static void
load_head(struct ui *ui, struct pager *p)
{
	struct db_msg m;
	struct error err;
	char date[64];
	time_t t;
	struct tm tm;

	buf_reset(&p->head);
	error_clear(&err);
	if (db_msg_get(cache_db(ui->cache), p->msg_id, &m, &err) <= 0)
		return;
	buf_printf(&p->head, "From: %s\n", m.from);
	if (m.to[0])
		buf_printf(&p->head, "To: %s\n", m.to);
	if (m.cc[0])
		buf_printf(&p->head, "Cc: %s\n", m.cc);
	if (m.date) {
		t = (time_t)m.date;
		localtime_r(&t, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M", &tm);
		buf_printf(&p->head, "Date: %s\n", date);
	}
	buf_printf(&p->head, "Subject: %s\n", m.subject);
	db_msg_clear(&m);
}

static void
load(struct ui *ui, struct pager *p)
{
	struct error err;
	int rc;

	error_clear(&err);
	buf_reset(&p->raw);
	buf_reset(&p->head);
	pager_source_reset(p);
	mime_view_free(&p->view);
	p->err[0] = '\0';
	p->failed = 0;
	p->l.n = p->l.top = p->l.cur = 0;
	rc = cache_message_raw(ui->cache, p->msg_id, &p->raw, &err);
	p->waiting = rc == 0;
	if (rc < 0) {
		str_lcpy(p->err, err.msg, sizeof(p->err));
		p->failed = 1;
	} else if (rc == 1) {
		pager_render(ui, p);
	}
	/* Read once it is shown: a body that is not here leaves the flags
	 * alone (shown, it is marked then). */
	if (rc == 1)
		scr_index_seen(ui, p->index, p->msg_id);
	else
		load_head(ui, p);
}

static enum theme_elem
elem_of(const struct pager *p, size_t i)
{
	const struct mime_line *ln = &p->view->lines[i];

	switch (ln->kind) {
	case MIME_LINE_HEADER: return THEME_HEADER_VALUE;
	case MIME_LINE_QUOTE:
		return ln->level <= 1 ? THEME_QUOTE1 : ln->level == 2 ?
		    THEME_QUOTE2 : ln->level == 3 ? THEME_QUOTE3 : THEME_QUOTE4;
	case MIME_LINE_NOTE: return THEME_TREE;
	case MIME_LINE_LINK: return THEME_LINK;
	case MIME_LINE_ATTACHMENT: return THEME_ATTACHMENT;
	default: return i >= p->sig_line ? THEME_SIGNATURE : THEME_NORMAL;
	}
}

/* Case-insensitive (ASCII) substring search; offset or -1. */
static long
find_in(const char *s, size_t len, const char *q)
{
	size_t n = strlen(q), i;

	for (i = 0; n && i + n <= len; i++)
		if (str_ncasecmp(s + i, q, n) == 0)
			return (long)i;
	return -1;
}

/* The links of screen row y (segment si) for OSC 8 (ui/hyperlink.h):
 * a footnote's URL, and the http(s) URLs in the text. */
static void
add_links(struct ui *ui, struct pager *p, size_t si, int y,
    unsigned long attr)
{
	const struct pseg *sg = &p->segs[si];
	const struct mime_line *ln = &p->view->lines[sg->line];
	const char *text = ln->text + sg->off, *end;
	size_t start = 0, ulen;
	int x0 = sg->cont ? CONT_INDENT : 0, x;

	if (ln->kind == MIME_LINE_LINK && !sg->cont && text[0] == '[' &&
	    (end = memchr(text, ']', sg->len)) != NULL &&
	    (size_t)(end - text) + 2 < sg->len && end[1] == ' ') {
		start = (size_t)(end - text) + 2;
		ulen = sg->len - start;
		x = x0 + ui_width(text, start);
		if (x < ui->cols)
			ui_link_add(ui, y, x, text + start, ulen <
			    (size_t)(ui->cols - x) ? ulen : (size_t)(ui->cols -
			    x), text + start, ulen, attr);
		return;
	}
	while (ui_url_find(text, sg->len, &start, &ulen)) {
		x = x0 + ui_width(text, start);
		if (x >= ui->cols)
			break;
		ui_link_add(ui, y, x, text + start, ulen < (size_t)(ui->cols -
		    x) ? ulen : (size_t)(ui->cols - x), text + start, ulen,
		    attr);
		start += ulen;
	}
}

static void
draw_line(struct ui *ui, struct pager *p, size_t si, int y)
{
	const struct pseg *sg = &p->segs[si];
	const struct mime_line *ln = &p->view->lines[sg->line];
	const char *text = ln->text + sg->off, *colon;
	unsigned long attr = ui->attr[elem_of(p, sg->line)];
	size_t off = 0, mlen;
	long m;
	int x = sg->cont ? CONT_INDENT : 0;

	if (ln->kind == MIME_LINE_HEADER && !sg->cont &&
	    (colon = memchr(text, ':', sg->len)) != NULL) {
		off = (size_t)(colon - text) + 1;
		x += ui_put(y, x, ui->cols - x, text, off,
		    ui->attr[THEME_HEADER]);
	}
	while (p->search && off < sg->len &&
	    (m = find_in(text + off, sg->len - off, p->search)) >= 0) {
		mlen = strlen(p->search);
		x += ui_put(y, x, ui->cols - x, text + off, (size_t)m, attr);
		x += ui_put(y, x, ui->cols - x, text + off + m, mlen,
		    ui->attr[THEME_SEARCH]);
		off += (size_t)m + mlen;
	}
	ui_put(y, x, ui->cols - x, text + off, sg->len - off, attr);
	if (ui->hyperlinks)
		add_links(ui, p, si, y, attr);
}

/* A message without its body: the cached headers, then why. */
static void
draw_missing(struct ui *ui, struct pager *p, int rows)
{
	struct buf b = BUF_INIT;
	const char *ln = buf_cstr(&p->head), *nl, *colon;
	int y = 1, x;

	while (*ln && y <= rows && (nl = strchr(ln, '\n')) != NULL) {
		colon = memchr(ln, ':', (size_t)(nl - ln));
		x = colon ? ui_put(y, 0, ui->cols, ln, (size_t)(colon - ln) + 1,
		    ui->attr[THEME_HEADER]) : 0;
		if (colon)
			ln = colon + 1;
		ui_put(y++, x, ui->cols - x, ln, (size_t)(nl - ln),
		    ui->attr[THEME_HEADER_VALUE]);
		ln = nl + 1;
	}
	y++;
	if (p->waiting) {
		ui_put(y, 0, ui->cols, "Fetching the message...", 23,
		    ui->attr[THEME_NORMAL]);
		return;
	}
	if (p->failed) {
		buf_printf(&b, "The body is not downloaded yet; it will be "
		    "fetched when %s is reachable.", cache_account(ui->cache,
		    p->s.account)->name);
		ui_put(y++, 0, ui->cols, b.data, b.len, ui->attr[THEME_NORMAL]);
		buf_free(&b);
	}
	if (y <= rows)
		ui_put(y, 0, ui->cols, p->err, strlen(p->err),
		    ui->attr[THEME_ERROR]);
}

static void
draw(struct ui *ui, struct ui_screen *s)
{
	struct pager *p = (struct pager *)s;
	int rows = ui_body_rows(ui), y;
	size_t i, row, n;
	const char *folder;
	int pct;

	pct = p->l.n == 0 ? 100 : p->l.top + (size_t)rows >= p->l.n ? 100 :
	    (int)((p->l.top + (size_t)rows) * 100 / p->l.n);
	if (p->output) {
		ui_title(ui, " %s   /: search  q: back   %d%%", p->output, pct);
		goto body;
	}
	folder = scr_index_where(ui, p->index, &row, &n);
	/* Where in the message comes first: the key hints are what an
	 * 80-column terminal cuts. */
	ui_title(ui, " %s/%s: message %zu of %zu (%d%%)   J/K: next/previous"
	    "  /: search  w: save  v: parts  q: back", cache_account(
	    ui->cache, p->s.account)->name, folder, row, n, pct);
	if (p->waiting || p->err[0]) {
		draw_missing(ui, p, rows);
		return;
	}
body:
	for (i = p->l.top, y = 1; i < p->l.n && y <= rows; i++, y++)
		draw_line(ui, p, i, y);
}

static void
event(struct ui *ui, struct ui_screen *s, const struct cache_event *ev)
{
	struct pager *p = (struct pager *)s;

	if (p->output)
		return;
	/* What failed to come is asked for again once the account is
	 * back, as the sentence on screen promises. */
	if (p->failed && ev->account == p->s.account &&
	    ((ev->kind == CACHE_EV_ACCOUNT && ev->state == ACCOUNT_ONLINE) ||
	    (ev->kind == CACHE_EV_SYNC_DONE && ev->status == 0))) {
		load(ui, p);
		return;
	}
	if (ev->msg_id != p->msg_id || !p->waiting)
		return;
	if (ev->kind == CACHE_EV_BODY_READY) {
		load(ui, p);
	} else if (ev->kind == CACHE_EV_BODY_FAILED) {
		p->waiting = 0;
		p->failed = 1;
		str_lcpy(p->err, ev->text[0] ? ev->text :
		    "The message could not be fetched.", sizeof(p->err));
	}
}

static void
resize(struct ui *ui, struct ui_screen *s)
{
	struct pager *p = (struct pager *)s;

	if (p->view)
		pager_render(ui, p);
}

/* The first line from `from` on that holds the search, wrapping past the
 * end to the top (and saying so). */
static int
search_next(struct ui *ui, struct pager *p, size_t from)
{
	size_t k, i;

	for (k = 0; k < p->l.n; k++) {
		i = (from + k) % p->l.n;
		if (find_in(p->view->lines[p->segs[i].line].text +
		    p->segs[i].off, p->segs[i].len, p->search) >= 0) {
			p->match = i;
			ui_list_set(&p->l, i, ui_body_rows(ui));
			if (from + k >= p->l.n)
				ui_message(ui, 0, "Search wrapped to the top.");
			return 0;
		}
	}
	p->match = (size_t)-1;
	ui_message(ui, 1, "Not found: %s", p->search);
	return -1;
}

/* n: after the last match if it is still on screen, else from the top
 * of the screen. */
static size_t
next_from(struct ui *ui, const struct pager *p)
{
	if (p->match != (size_t)-1 && p->match >= p->l.top &&
	    p->match < p->l.top + (size_t)ui_body_rows(ui))
		return p->match + 1;
	return p->l.top;
}

static void
prompt_done(struct ui *ui, const char *text, void *arg)
{
	struct pager *p = arg;

	if (*text)
		ui_screen_run(ui, &p->s, p->asking, text);
}

int
pager_ask(struct ui *ui, struct pager *p, const char *label, enum ui_cmd_id id)
{
	p->asking = id;
	ui_prompt(ui, label, NULL, prompt_done, p);
	return 0;
}

static int
save_now(struct ui *ui, struct pager_save *sv, int overwrite)
{
	struct error err;
	int rc;

	error_clear(&err);
	rc = ui_save_file(sv->dir, sv->name, buf_cstr(&sv->data), sv->data.len,
	    overwrite, &err);
	if (rc < 0)
		ui_message(ui, 1, "%s", err.msg);
	else if (rc == 0)
		ui_message(ui, 0, "Saved %s/%s.", sv->dir, sv->name);
	return rc;
}

static void
overwrite_done(struct ui *ui, const char *text, void *arg)
{
	if (strcmp(text, "y") == 0)
		save_now(ui, arg, 1);
	else
		ui_message(ui, 0, "Not saved.");
}

void
pager_save_start(struct ui *ui, struct pager_save *sv, const char *typed,
    const char *own, size_t index)
{
	free(sv->dir);
	free(sv->name);
	ui_save_target(typed, own, index, &sv->dir, &sv->name);
	if (save_now(ui, sv, 0) == 1)
		ui_ask_yesno(ui, "File exists. Overwrite it? (y/n) ",
		    overwrite_done, sv);
}

void
pager_save_free(struct pager_save *sv)
{
	free(sv->dir);
	free(sv->name);
	buf_free(&sv->data);
	memset(sv, 0, sizeof(*sv));
}

/* "N [FILE]" or "[FILE]" with one attachment: 0, or -1 shown. */
static int
attachment_arg(struct ui *ui, struct pager *p, const char *arg,
    size_t *index_r, const char **rest_r)
{
	unsigned long n;
	char *end;

	if (p->view == NULL || p->view->nattachments == 0) {
		ui_message(ui, 1, "This message has no attachments.");
		return -1;
	}
	n = strtoul(arg, &end, 10);
	if (end == arg) {
		if (p->view->nattachments > 1) {
			ui_message(ui, 1, "Which attachment (1-%zu)?",
			    p->view->nattachments);
			return -1;
		}
		n = 1;
	}
	if (n < 1 || n > p->view->nattachments) {
		ui_message(ui, 1, "No attachment %lu (1-%zu).", n,
		    p->view->nattachments);
		return -1;
	}
	*index_r = n - 1;
	while (*end == ' ')
		end++;
	*rest_r = end;
	return 0;
}

static int ask_save_name(struct ui *, struct pager *, size_t);

static int
save_cmd(struct ui *ui, struct pager *p, const char *arg)
{
	struct error err;
	const char *rest;
	size_t i;

	if (attachment_arg(ui, p, arg, &i, &rest) < 0)
		return -1;
	if (*rest == '\0') /* no name yet: ask, offering its own */
		return ask_save_name(ui, p, i);
	p->save_index = i;
	buf_reset(&p->save.data);
	error_clear(&err);
	if (mime_attachment_data(p->view, i, &p->save.data, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	pager_save_start(ui, &p->save, rest, p->view->attachments[i].name, i);
	return 0;
}

/* The attachment's Content-Type parameters, for %{name} in mailcap. */
struct param_arg {
	const struct mime_view *view;
	size_t index;
};

static int
attachment_param(const char *name, struct buf *out, void *arg)
{
	const struct param_arg *a = arg;

	return mime_attachment_param(a->view, a->index, name, out);
}

/* What a copiousoutput viewer prints is shown up to this size. */
#define VIEWER_OUTPUT_MAX (4u << 20)
/* It needs no terminal, and the user waits for it. */
#define VIEWER_TIMEOUT_MS 60000u

void
pager_show_text(struct ui *ui, struct ui_screen *index, size_t account,
    const char *what, const char *name, const struct buf *text, int message)
{
	struct pager *p = xcalloc(1, sizeof(*p));
	struct buf title = BUF_INIT;

	p->s.ops = &ops;
	p->s.list = &p->l;
	p->s.account = account;
	p->l.scroll_only = 1;
	p->index = index;
	p->msg_id = index ? scr_index_current(index) : 0;
	p->match = (size_t)-1;
	buf_printf(&title, "%s: ", what);
	str_clean_display(&title, name, strlen(name), 0);
	p->output = buf_detach(&title, NULL);
	/* As a message of its own: the renderer cleans what the viewer
	 * printed (escape sequences from the attachment included). */
	if (!message)
		buf_addstr(&p->raw, "Content-Type: text/plain\n\n");
	buf_add(&p->raw, text->data ? text->data : "", text->len);
	pager_render(ui, p);
	ui_push(ui, &p->s);
}

void
pager_show_output(struct ui *ui, struct pager *from, const char *what,
    const char *name, const struct buf *text)
{
	pager_show_text(ui, from->index, from->s.account, what, name, text, 0);
}

/* Runs a mailcap entry on file; 0, or -1 with the message shown. */
static int
run_viewer(struct ui *ui, struct ui_screen *index, size_t account,
    const struct mailcap_entry *e, const char *file, const char *name)
{
	struct spawn_opts o;
	struct spawn_result r;
	struct buf out = BUF_INIT;
	struct error err;
	int fd = -1, rc;

	error_clear(&err);
	if (e->file_on_stdin &&
	    (fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		ui_message(ui, 1, "cannot open %s: %s", file, strerror(errno));
		return -1;
	}
	memset(&o, 0, sizeof(o));
	o.command = e->command;
	o.in_fd = fd;
	if (e->copiousoutput) {
		/* Its output is the payload; its stderr goes into the
		 * error sentence, never onto the screen. */
		o.out = &out;
		o.out_max = VIEWER_OUTPUT_MAX;
		o.timeout_ms = VIEWER_TIMEOUT_MS;
		rc = spawn_run(&o, &r, &err);
	} else {
		/* An interactive viewer gets the terminal, out of curses
		 * mode, and the screen is restored afterwards. */
		o.tty = 1;
		def_prog_mode();
		endwin();
		rc = spawn_run(&o, &r, &err);
		reset_prog_mode();
		ui->full_redraw = 1;
	}
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		ui_message(ui, 1, "%s", err.msg);
	} else if (!spawn_ok(&r)) {
		size_t n;

		spawn_error(&err, &r, o.timeout_ms, "The viewer");
		n = strlen(err.msg);
		ui_message(ui, 1, "%s%s", err.msg,
		    n > 0 && err.msg[n - 1] == '.' ? "" : ".");
		rc = -1;
	} else if (e->copiousoutput) {
		pager_show_text(ui, index, account, "viewer output", name,
		    &out, 0);
	}
	buf_free(&out);
	return rc;
}

static void
save_name_done(struct ui *ui, const char *text, void *arg)
{
	struct pager *p = arg;
	struct buf b = BUF_INIT;

	if (*text == '\0') {
		ui_message(ui, 0, "Not saved.");
		return;
	}
	buf_printf(&b, "%zu %s", p->save_index + 1, text);
	save_cmd(ui, p, buf_cstr(&b));
	buf_free(&b);
}

/* Asks where to save attachment i, offering its own (safe) name; a
 * folder keeps that name. */
static int
ask_save_name(struct ui *ui, struct pager *p, size_t i)
{
	struct buf label = BUF_INIT;
	char *name = mime_safe_filename(p->view->attachments[i].name, i);

	p->save_index = i;
	buf_printf(&label, "Save attachment %zu to (a file or folder): ",
	    i + 1);
	ui_prompt(ui, buf_cstr(&label), name, save_name_done, p);
	buf_free(&label);
	free(name);
	return 0;
}

int
pager_mailcap_open(struct ui *ui, struct ui_screen *index, size_t account,
    const char *type, const char *name, const struct buf *data,
    mailcap_param_fn param, void *arg)
{
	struct mailcap_entry e;
	struct error err;
	char ext[MAILCAP_EXT_MAX + 2], *dir = NULL, *file = NULL;
	int rc = -1, found;

	error_clear(&err);
	/* The viewer gets a name postie made: of the attachment's own name
	 * only a safe extension is kept, for viewers that go by it. */
	ui_mailcap_extension(name, ext);
	if (ui_save_temp(ext, buf_cstr(data), data->len, &dir, &file,
	    &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return -1;
	}
	found = ui_mailcap_find(type, file, param, arg, &e, &err);
	if (found < 0) {
		ui_message(ui, 1, "%s", err.msg);
	} else if (found == 0) {
		ui_message(ui, 1, "No mailcap entry for %s; add one to "
		    "~/.mailcap.", type);
	} else {
		rc = run_viewer(ui, index, account, &e, file, name[0] ? name :
		    type);
		ui_mailcap_entry_free(&e);
	}
	ui_save_temp_remove(dir, file);
	return rc;
}

static int
open_cmd(struct ui *ui, struct pager *p, const char *arg)
{
	struct buf data = BUF_INIT;
	struct error err;
	struct param_arg pa;
	const struct mime_attachment *a;
	const char *rest;
	size_t i;
	int rc = -1;

	error_clear(&err);
	if (attachment_arg(ui, p, arg, &i, &rest) < 0)
		return -1;
	a = &p->view->attachments[i];
	if (mime_attachment_data(p->view, i, &data, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		goto out;
	}
	pa.view = p->view;
	pa.index = i;
	rc = pager_mailcap_open(ui, p->index, p->s.account, a->type, a->name,
	    &data, attachment_param, &pa);
out:
	buf_free(&data);
	return rc;
}

/* A viewer's output shown in place of the message: only search. */
int
pager_output_shown(struct ui *ui, struct pager *p)
{
	if (p->output == NULL)
		return 0;
	ui_message(ui, 1, "This is a command's output; press q to go back to "
	    "the message.");
	return 1;
}

/* Shows id, the message the index's cursor moved to. */
static void
show(struct ui *ui, struct pager *p, int64_t id)
{
	p->msg_id = id;
	p->s.account = p->index->account; /* a virtual folder's follows */
	free(p->search);
	p->search = NULL;
	p->match = (size_t)-1;
	load(ui, p);
}

static int
step_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;
	int64_t msg;

	if (pager_output_shown(ui, p))
		return -1;
	msg = scr_index_step(ui, p->index, id == UI_CMD_PREV_MESSAGE ? -1 : 1,
	    id == UI_CMD_NEXT_UNREAD);
	if (msg == 0)
		return -1;
	show(ui, p, msg);
	return 0;
}

static int
search_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;

	if (arg == NULL)
		return pager_ask(ui, p, "Search in message: ", UI_CMD_SEARCH);
	free(p->search);
	p->search = xstrdup(arg);
	return p->view ? search_next(ui, p, p->l.top) : -1;
}

static int
search_next_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;

	if (p->search == NULL)
		return pager_ask(ui, p, "Search in message: ", UI_CMD_SEARCH);
	return p->view ? search_next(ui, p, next_from(ui, p)) : -1;
}

static int
save_attachment_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;

	if (pager_output_shown(ui, p))
		return -1;
	if (arg == NULL && p->view && p->view->nattachments > 1) {
		char label[64];

		snprintf(label, sizeof(label), "Save attachment number "
		    "(1-%zu): ", p->view->nattachments);
		return pager_ask(ui, p, label, UI_CMD_SAVE_ATTACHMENT);
	}
	return save_cmd(ui, p, arg ? arg : "");
}

static int
open_attachment_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;

	if (pager_output_shown(ui, p))
		return -1;
	if (arg == NULL && p->view && p->view->nattachments > 1)
		return pager_ask(ui, p, "Open attachment number: ",
		    UI_CMD_OPEN_ATTACHMENT);
	return open_cmd(ui, p, arg ? arg : "");
}

/* Message commands act on the index's cursor, which is this message. */
static int
index_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;

	if (pager_output_shown(ui, p))
		return -1;
	return ui_screen_run(ui, p->index, id, arg);
}

static int
move_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;
	int rc;

	if (pager_output_shown(ui, p))
		return -1;
	rc = ui_screen_run(ui, p->index, id, arg);
	if (rc == 0 && arg)
		ui_pop(ui);
	return rc;
}

static int
delete_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;
	int64_t msg;
	int rc;

	if (pager_output_shown(ui, p))
		return -1;
	if ((rc = ui_screen_run(ui, p->index, id, arg)) < 0)
		return rc;
	/* As NeoMutt does: the marked message is done with, show the next
	 * one. */
	if ((msg = scr_index_step(ui, p->index, 1, 0)) == 0) {
		ui_message(ui, 0, "Marked deleted (X in the index removes it).");
		return 0;
	}
	show(ui, p, msg);
	return 0;
}

/* The pager's function for each command (cmd.h). */
static const ui_screen_fn cmds[UI_CMD_N] = {
	[UI_CMD_NEXT_MESSAGE] = step_cmd,
	[UI_CMD_PREV_MESSAGE] = step_cmd,
	[UI_CMD_NEXT_UNREAD] = step_cmd,
	[UI_CMD_SEARCH] = search_cmd,
	[UI_CMD_SEARCH_NEXT] = search_next_cmd,
	[UI_CMD_SAVE_ATTACHMENT] = save_attachment_cmd,
	[UI_CMD_OPEN_ATTACHMENT] = open_attachment_cmd,
	[UI_CMD_DELETE] = delete_cmd,
	[UI_CMD_MOVE] = move_cmd,
	[UI_CMD_TOGGLE_NEW] = index_cmd,
	[UI_CMD_FLAG] = index_cmd,
	[UI_CMD_UNDELETE] = index_cmd,
	[UI_CMD_COPY] = index_cmd,
	[UI_CMD_CHANGE_FOLDER] = index_cmd,
	[UI_CMD_TOGGLE_HEADERS] = pager_headers_cmd,
	[UI_CMD_RAW] = pager_raw_cmd,
	[UI_CMD_PIPE] = pager_pipe_cmd,
	[UI_CMD_OPEN_LINK] = pager_link_cmd,
	[UI_CMD_TOGGLE_HTML] = pager_html_cmd,
	[UI_CMD_PARTS] = pager_parts_cmd,
};

static void
destroy(struct ui_screen *s)
{
	struct pager *p = (struct pager *)s;

	buf_free(&p->raw);
	buf_free(&p->head);
	mime_view_free(&p->view);
	free(p->segs);
	free(p->search);
	pager_save_free(&p->save);
	free(p->output);
	pager_source_reset(p);
	free(p);
}

static const struct ui_screen_ops ops = {
	UI_CTX_PAGER, draw, NULL, resize, event, cmds, destroy,
};


int64_t
scr_pager_current(struct ui_screen *s)
{
	return ((struct pager *)s)->msg_id;
}

struct ui_screen *
scr_pager_new(struct ui *ui, struct ui_screen *index, int64_t msg_id)
{
	struct pager *p = xcalloc(1, sizeof(*p));

	p->s.ops = &ops;
	p->s.list = &p->l;
	p->s.account = index->account;
	p->l.scroll_only = 1;
	p->index = index;
	p->msg_id = msg_id;
	p->match = (size_t)-1;
	load(ui, p);
	return &p->s;
}
