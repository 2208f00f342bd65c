/* scr_pager_tools: the pager's reading tools (scr_pager_int.h). */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/spawn.h"
#include "core/str.h"
#include "ui/save.h"
#include "ui/scr_pager_int.h"

/* What a piped command or pager_filter prints is shown up to this. */
#define OUTPUT_MAX (4u << 20)
/* They need no terminal, and the user waits for them. */
#define PIPE_TIMEOUT_MS 60000u
/* open_command should hand the link to a browser and return, as
 * xdg-open does. */
#define OPEN_TIMEOUT_MS 30000u

void
pager_source_reset(struct pager *p)
{
	buf_free(&p->alt);
	p->alt_ok = 0;
	p->filter_failed = 0;
}

/* Runs command (the user's, through the shell) with data on stdin
 * from a private file; its stdout appended to out (or the terminal with
 * tty).  0 ran (r says how), -1 with err. */
static int
run_on(const struct buf *data, const char *command, int tty,
    struct buf *out, struct spawn_result *r, struct error *err)
{
	struct spawn_opts o;
	char *dir = NULL, *file = NULL;
	int fd = -1, rc = -1;

	/* A file, not a pipe: the child may read as little as it likes
	 * and the UI never blocks writing to it. */
	if (ui_save_temp("", data->data ? data->data : "", data->len,
	    &dir, &file, err) < 0)
		return -1;
	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		error_errno(err, errno, "cannot open %s", file);
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.command = command;
	o.in_fd = fd;
	o.tty = tty;
	if (!tty) {
		o.out = out;
		o.out_max = OUTPUT_MAX;
		o.timeout_ms = PIPE_TIMEOUT_MS;
	}
	rc = spawn_run(&o, r, err);
out:
	if (fd >= 0)
		close(fd);
	ui_save_temp_remove(dir, file);
	return rc;
}

/* The text pager_filter printed, as a message without a header (the
 * renderer cleans it); NULL when it failed (said once). */
static const struct buf *
filtered(struct ui *ui, struct pager *p)
{
	struct buf out = BUF_INIT;
	struct spawn_result r;
	struct error err;

	if (p->alt_ok)
		return &p->alt;
	if (p->filter_failed)
		return NULL;
	error_clear(&err);
	if (run_on(&p->raw, ui->cfg->pager_filter, 0, &out, &r, &err) < 0 ||
	    (!spawn_ok(&r) && spawn_error(&err, &r, PIPE_TIMEOUT_MS,
	    "pager_filter") < 0)) {
		ui_message(ui, 1, "%s; showing the message unfiltered.",
		    err.msg);
		p->filter_failed = 1;
		buf_free(&out);
		return NULL;
	}
	buf_reset(&p->alt);
	buf_addstr(&p->alt, "\n");
	buf_add(&p->alt, out.data ? out.data : "", out.len);
	buf_free(&out);
	p->alt_ok = 1;
	return &p->alt;
}

const struct buf *
pager_source(struct ui *ui, struct pager *p)
{
	const struct buf *f;

	if (p->output)
		return &p->raw;
	if (p->raw_mode) {
		/* As stored, every byte a line of body text: a message
		 * that starts with an empty line has no header. */
		if (!p->alt_ok) {
			buf_reset(&p->alt);
			buf_addstr(&p->alt, "\n");
			buf_add(&p->alt, p->raw.data ? p->raw.data : "",
			    p->raw.len);
			p->alt_ok = 1;
		}
		return &p->alt;
	}
	if (ui->cfg->pager_filter && (f = filtered(ui, p)) != NULL)
		return f;
	return &p->raw;
}

/* 0 when the message is here to work on; -1 said. */
static int
need_message(struct ui *ui, struct pager *p)
{
	if (pager_output_shown(ui, p))
		return -1;
	if (p->view == NULL || p->waiting) {
		ui_message(ui, 1, "The message is not here yet.");
		return -1;
	}
	return 0;
}

static void
rerender(struct ui *ui, struct pager *p)
{
	buf_free(&p->alt);
	p->alt_ok = 0;
	p->l.top = p->l.cur = 0;
	pager_render(ui, p);
}

int
pager_headers_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;

	if (need_message(ui, p) < 0)
		return -1;
	p->all_headers = !p->all_headers;
	p->raw_mode = 0;
	rerender(ui, p);
	ui_message(ui, 0, p->all_headers ? "All header fields (h: the usual "
	    "few)." : "The usual header fields (h: all).");
	return 0;
}

int
pager_raw_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;

	if (need_message(ui, p) < 0)
		return -1;
	p->raw_mode = !p->raw_mode;
	rerender(ui, p);
	ui_message(ui, 0, p->raw_mode ? "The message as stored (e: back)." :
	    "The message as rendered (e: as stored).");
	return 0;
}

/* After a command that had the terminal, as Mutt does: its last words
 * stay on screen until a key. */
static void
press_any_key(void)
{
	struct termios t, raw;
	char c;

	fputs("\r\nPress any key to continue...", stdout);
	fflush(stdout);
	if (tcgetattr(STDIN_FILENO, &t) < 0)
		return;
	raw = t;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
		while (read(STDIN_FILENO, &c, 1) < 0 && errno == EINTR)
			;
	tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

int
pager_pipe_run(struct ui *ui, struct ui_screen *index, size_t account,
    const struct buf *in, size_t n, const char *arg)
{
	struct buf out = BUF_INIT;
	struct spawn_result r;
	struct error err;
	size_t i;
	int tty, rc = 0, ok = 1;

	tty = arg[0] == '!';
	arg += tty;
	arg += strspn(arg, " \t");
	if (*arg == '\0') {
		ui_message(ui, 1, "No command to pipe to.");
		return -1;
	}
	error_clear(&err);
	if (tty) {
		def_prog_mode();
		endwin();
	}
	/* One run per input; the first that cannot start or fails ends
	 * the series, as Mutt's pipe_split does. */
	for (i = 0; i < n && rc == 0 && ok; i++) {
		rc = run_on(&in[i], arg, tty, tty ? NULL : &out, &r, &err);
		ok = rc == 0 && spawn_ok(&r);
	}
	if (tty) {
		if (rc == 0)
			press_any_key();
		reset_prog_mode();
		ui->full_redraw = 1;
	}
	if (rc < 0) {
		ui_message(ui, 1, "%s", err.msg);
	} else {
		/* A command that failed and printed nothing has nothing
		 * to show but its sentence. */
		if (!tty && (ok || out.len > 0))
			pager_show_text(ui, index, account, "output of", arg,
			    &out, 0);
		if (!ok) {
			spawn_error(&err, &r, tty ? 0 : PIPE_TIMEOUT_MS,
			    "The command");
			ui_message(ui, 1, "%s", err.msg);
			rc = -1;
		}
	}
	buf_free(&out);
	return rc;
}

/* "COMMAND": its output in the pager; "!COMMAND": on the terminal. */
int
pager_pipe_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;

	if (need_message(ui, p) < 0)
		return -1;
	if (arg == NULL)
		return pager_ask(ui, p, "Pipe the message to (!: on the "
		    "terminal): ", UI_CMD_PIPE);
	return pager_pipe_run(ui, p->index, p->s.account, &p->raw, 1, arg);
}

/* The URL of link footnote n ("[n] URL"), or NULL; *count_r the number
 * of footnotes. */
static const char *
link_url(const struct mime_view *v, unsigned long n, size_t *count_r)
{
	const char *url = NULL, *t;
	unsigned long k;
	char *end;
	size_t i;

	*count_r = 0;
	for (i = 0; i < v->nlines; i++) {
		if (v->lines[i].kind != MIME_LINE_LINK)
			continue;
		t = v->lines[i].text;
		if (t[0] != '[')
			continue;
		(*count_r)++;
		k = strtoul(t + 1, &end, 10);
		if (url == NULL && k == n && end[0] == ']' && end[1] == ' ')
			url = end + 2;
	}
	return url;
}

int
pager_link_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;
	struct spawn_opts o;
	struct spawn_result r;
	struct error err;
	const char *url, *args[2];
	char **argv;
	unsigned long n = 1;
	size_t count;
	char *end;
	int rc;

	if (need_message(ui, p) < 0)
		return -1;
	link_url(p->view, 0, &count);
	if (count == 0) {
		ui_message(ui, 1, "This message has no links.");
		return -1;
	}
	if (arg == NULL && count > 1) {
		char label[64];

		snprintf(label, sizeof(label), "Open link number (1-%zu): ",
		    count);
		return pager_ask(ui, p, label, UI_CMD_OPEN_LINK);
	}
	if (arg) {
		n = strtoul(arg, &end, 10);
		if (end == arg || *end != '\0')
			n = 0;
	}
	if ((url = link_url(p->view, n, &count)) == NULL) {
		ui_message(ui, 1, "No link %s (1-%zu).", arg ? arg : "1",
		    count);
		return -1;
	}
	/* The URL is one argument of its own: no shell ever reads it. */
	args[0] = url;
	args[1] = NULL;
	argv = spawn_argv(ui->cfg->open_command ? ui->cfg->open_command :
	    "xdg-open", args);
	memset(&o, 0, sizeof(o));
	o.argv = (const char *const *)argv;
	o.in_fd = -1;
	o.timeout_ms = OPEN_TIMEOUT_MS;
	error_clear(&err);
	rc = spawn_run(&o, &r, &err);
	if (rc == 0 && !spawn_ok(&r))
		rc = spawn_error(&err, &r, o.timeout_ms, "%s", argv[0]);
	if (rc < 0)
		ui_message(ui, 1, "%s", err.msg);
	else
		ui_message(ui, 0, "Opened link %lu.", n);
	spawn_argv_free(&argv);
	return rc;
}

/* 1 if a and b show the same lines. */
static int
same_view(const struct mime_view *a, const struct mime_view *b)
{
	size_t i;

	if (a == NULL || b == NULL || a->nlines != b->nlines)
		return 0;
	for (i = 0; i < a->nlines; i++)
		if (a->lines[i].len != b->lines[i].len ||
		    memcmp(a->lines[i].text, b->lines[i].text,
		    a->lines[i].len) != 0)
			return 0;
	return 1;
}

int
pager_html_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct pager *p = (struct pager *)s;
	struct mime_view *before;

	if (need_message(ui, p) < 0)
		return -1;
	if (p->raw_mode || (ui->cfg->pager_filter && !p->filter_failed)) {
		ui_message(ui, 1, "The message is shown %s; H works on "
		    "postie's rendering.", p->raw_mode ? "as stored" :
		    "through pager_filter");
		return -1;
	}
	before = p->view;
	p->view = NULL; /* kept to compare */
	p->other_part = !p->other_part;
	p->l.top = p->l.cur = 0;
	pager_render(ui, p);
	if (same_view(before, p->view)) {
		mime_view_free(&p->view);
		p->view = before;
		p->other_part = !p->other_part;
		pager_render(ui, p);
		ui_message(ui, 1, "This message has no other text part to "
		    "show.");
		return -1;
	}
	mime_view_free(&before);
	ui_message(ui, 0, "The other text part (H: back).");
	return 0;
}
