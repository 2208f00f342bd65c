/*
 * scr_pager_parts: the message's MIME parts as a tree (v in the pager,
 * as Mutt's attachment menu): type, charset, name and size of each, and
 * on the selected part: view it (text, HTML and messages rendered in the
 * pager; other types through mailcap), save it to a file, pipe its
 * decoded bytes to a command, or open it through mailcap (scr_pager_int.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime.h"
#include "ui/save.h"
#include "ui/scr_pager_int.h"

struct parts {
	struct ui_screen s;
	struct ui_list l;
	struct ui_screen *index;
	struct mime_parts *ps;
	char *subject;
	enum ui_cmd_id asking;
	struct pager_save save;
};

static void
draw(struct ui *ui, struct ui_screen *s)
{
	struct parts *pt = (struct parts *)s;
	int rows = ui_body_rows(ui), y, sw;
	const struct mime_partinfo *in;
	struct buf b = BUF_INIT;
	unsigned long attr;
	char size[32];
	size_t i;
	int d;

	ui_list_fix(&pt->l, rows);
	ui_title(ui, " Parts of: %s   <enter>: view  s: save  |: pipe  "
	    "m: mailcap  q: back", pt->subject);
	for (i = pt->l.top, y = 1; i < pt->l.n && y <= rows; i++, y++) {
		in = &pt->ps->v[i];
		attr = i == pt->l.cur ? ui->attr[THEME_CURSOR] :
		    ui->attr[THEME_NORMAL];
		ui_fill(y, 0, ui->cols, attr);
		buf_reset(&b);
		buf_printf(&b, "%3zu ", i + 1);
		for (d = 1; d < in->depth; d++)
			buf_addstr(&b, "  ");
		if (in->depth > 0)
			buf_addstr(&b, "`-");
		buf_addstr(&b, in->type);
		if (in->charset[0])
			buf_printf(&b, "; charset=%s", in->charset);
		if (in->name[0])
			buf_printf(&b, "  \"%s\"", in->name);
		if (in->attachment)
			buf_addstr(&b, "  [attachment]");
		mime_size_text(in->size, size, sizeof(size));
		sw = (int)strlen(size) + 2;
		ui_put(y, 0, ui->cols - sw, b.data, b.len, attr);
		ui_put(y, ui->cols - sw + 1, sw - 1, size, strlen(size), attr);
	}
	buf_free(&b);
}

static const struct mime_partinfo *
selected(struct ui *ui, struct parts *pt, size_t *i_r)
{
	if (pt->l.cur >= pt->l.n) {
		ui_message(ui, 1, "No part selected.");
		return NULL;
	}
	*i_r = pt->l.cur;
	return &pt->ps->v[pt->l.cur];
}

/* A name for what the part is: its file name, else its type. */
static const char *
label(const struct mime_partinfo *in)
{
	return in->name[0] ? in->name : in->type;
}

struct param_arg {
	const struct mime_parts *ps;
	size_t i;
};

static int
part_param(const char *name, struct buf *out, void *arg)
{
	const struct param_arg *a = arg;

	return mime_part_param(a->ps, a->i, name, out);
}

static int
mailcap(struct ui *ui, struct parts *pt, size_t i)
{
	struct buf data = BUF_INIT;
	struct param_arg pa = { pt->ps, i };
	struct error err;
	int rc;

	error_clear(&err);
	mime_part_data(pt->ps, i, &data, &err);
	rc = pager_mailcap_open(ui, pt->index, pt->s.account,
	    pt->ps->v[i].type, pt->ps->v[i].name, &data, part_param, &pa);
	buf_free(&data);
	return rc;
}

/* Enter: text, HTML, messages and multiparts are rendered in the pager,
 * as the message would be; anything else goes to its mailcap viewer. */
static int
view_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct parts *pt = (struct parts *)s;
	const struct mime_partinfo *in;
	struct buf msg = BUF_INIT;
	struct error err;
	size_t i;

	if ((in = selected(ui, pt, &i)) == NULL)
		return -1;
	if (!str_has_prefix(in->type, "text/") &&
	    !str_has_prefix(in->type, "message/") &&
	    !str_has_prefix(in->type, "multipart/"))
		return mailcap(ui, pt, i);
	error_clear(&err);
	mime_part_message(pt->ps, i, &msg, &err);
	pager_show_text(ui, pt->index, pt->s.account, "part", label(in), &msg,
	    1);
	buf_free(&msg);
	return 0;
}

static int
mailcap_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct parts *pt = (struct parts *)s;
	size_t i;

	if (selected(ui, pt, &i) == NULL)
		return -1;
	return mailcap(ui, pt, i);
}

static void
prompt_done(struct ui *ui, const char *text, void *arg)
{
	struct parts *pt = arg;

	if (*text)
		ui_screen_run(ui, &pt->s, pt->asking, text);
	else
		ui_message(ui, 0, "Nothing done.");
}

/* s: asks where, offering the part's own name made safe; a folder keeps
 * that name; an existing file is replaced only after a yes. */
static int
save_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct parts *pt = (struct parts *)s;
	const struct mime_partinfo *in;
	struct buf q = BUF_INIT;
	struct error err;
	char *name;
	size_t i;

	if ((in = selected(ui, pt, &i)) == NULL)
		return -1;
	if (arg == NULL) {
		name = mime_safe_filename(in->name, i);
		buf_printf(&q, "Save part %zu to (a file or folder): ", i + 1);
		pt->asking = UI_CMD_SAVE_ATTACHMENT;
		ui_prompt(ui, buf_cstr(&q), name, prompt_done, pt);
		buf_free(&q);
		free(name);
		return 0;
	}
	buf_reset(&pt->save.data);
	error_clear(&err);
	mime_part_data(pt->ps, i, &pt->save.data, &err);
	pager_save_start(ui, &pt->save, arg, in->name, i);
	return 0;
}

/* |: the part's decoded bytes on the command's stdin, as | does for the
 * whole message. */
static int
pipe_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct parts *pt = (struct parts *)s;
	struct buf data = BUF_INIT;
	struct error err;
	size_t i;
	int rc;

	if (selected(ui, pt, &i) == NULL)
		return -1;
	if (arg == NULL) {
		pt->asking = UI_CMD_PIPE;
		ui_prompt(ui, "Pipe the part to (!: on the terminal): ", NULL,
		    prompt_done, pt);
		return 0;
	}
	error_clear(&err);
	mime_part_data(pt->ps, i, &data, &err);
	rc = pager_pipe_run(ui, pt->index, pt->s.account, &data, 1, arg);
	buf_free(&data);
	return rc;
}

static const ui_screen_fn cmds[UI_CMD_N] = {
	[UI_CMD_OPEN] = view_cmd,
	[UI_CMD_OPEN_ATTACHMENT] = mailcap_cmd,
	[UI_CMD_SAVE_ATTACHMENT] = save_cmd,
	[UI_CMD_PIPE] = pipe_cmd,
};

static void
destroy(struct ui_screen *s)
{
	struct parts *pt = (struct parts *)s;

	mime_parts_free(&pt->ps);
	free(pt->subject);
	pager_save_free(&pt->save);
	free(pt);
}

static const struct ui_screen_ops ops = {
	UI_CTX_PARTS, draw, NULL, NULL, NULL, cmds, destroy,
};

int
pager_parts_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;
	struct parts *pt;
	struct mime_summary *sum = NULL;
	struct error err;

	if (pager_output_shown(ui, p))
		return -1;
	if (p->view == NULL || p->waiting) {
		ui_message(ui, 1, "The message is not here yet.");
		return -1;
	}
	error_clear(&err);
	pt = xcalloc(1, sizeof(*pt));
	if (mime_parts_parse(buf_cstr(&p->raw), p->raw.len, &pt->ps,
	    &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		free(pt);
		return -1;
	}
	pt->s.ops = &ops;
	pt->s.list = &pt->l;
	pt->s.account = p->s.account;
	pt->index = p->index;
	pt->l.n = pt->ps->n;
	mime_summary_parse(buf_cstr(&p->raw), p->raw.len, &sum, &err);
	pt->subject = xstrdup(sum && sum->subject[0] ? sum->subject :
	    "(no subject)");
	mime_summary_free(&sum);
	/* The first part worth acting on: a leaf, not the container. */
	while (pt->l.cur + 1 < pt->l.n && pt->ps->v[pt->l.cur].container)
		pt->l.cur++;
	ui_push(ui, &pt->s);
	return 0;
}
