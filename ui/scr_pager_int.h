/*
 * scr_pager_int: what the pager's files share (not a public header).
 *
 * scr_pager.c draws a message and runs the reading commands it has had
 * from the start (search, attachments, message commands);
 * scr_pager_tools.c the reading tools: all headers, the raw message,
 * pipe, links and [general] pager_filter.  The text rendered is
 * pager_source(): the message, the message as stored (raw mode), or
 * what pager_filter printed.
 */
#ifndef POSTIE_UI_SCR_PAGER_INT_H
#define POSTIE_UI_SCR_PAGER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "mime/mime.h"
#include "ui/mailcap.h"
#include "ui/tui_int.h"

/* One screen row of the message: a header too wide for the screen
 * continues on indented rows instead of being cut. */
struct pseg {
	size_t line, off, len;
	int cont;
};

#define CONT_INDENT 4

/* A save that may wait for "Overwrite it?": where, and the bytes. */
struct pager_save {
	char *dir, *name;
	struct buf data;
};

struct pager {
	struct ui_screen s;
	struct ui_list l;
	struct ui_screen *index;
	int64_t msg_id;
	struct buf raw;
	struct mime_view *view;
	struct pseg *segs;
	size_t nsegs, segcap;
	int waiting;
	int failed;        /* the body could not be fetched: retried when
			      the account comes online */
	struct buf head;   /* the cached headers, shown without a body */
	char err[ERROR_MAX];
	char *search;
	size_t match;      /* the line of the last match, or (size_t)-1 */
	size_t sig_line;   /* first line of the signature, or nlines */
	enum ui_cmd_id asking;
	/* the attachment being saved (the prompt's), and its bytes */
	size_t save_index;
	struct pager_save save;
	/* the text a copiousoutput viewer printed, shown instead of a
	 * message: its title, or NULL for a message */
	char *output;
	/* reading tools (scr_pager_tools.c) */
	int all_headers;   /* h: every header field */
	int raw_mode;      /* e: the message as stored */
	int other_part;    /* H: multipart/alternative's other text part */
	struct buf alt;    /* what is rendered in raw mode or filtered */
	int alt_ok;        /* alt holds the raw or filtered text */
	int filter_failed; /* pager_filter failed for this message */
};

/* scr_pager.c */
void pager_render(struct ui *ui, struct pager *p);
int pager_ask(struct ui *ui, struct pager *p, const char *label,
    enum ui_cmd_id id);
/* Pushes a pager showing text (cleaned), titled "WHAT: NAME". */
void pager_show_output(struct ui *ui, struct pager *from, const char *what,
    const char *name, const struct buf *text);
/* The same over index (may be NULL) on account's screen stack; text
 * is a message to render when message is 1, else plain text. */
void pager_show_text(struct ui *ui, struct ui_screen *index, size_t account,
    const char *what, const char *name, const struct buf *text, int message);
/* Runs the mailcap viewer of type on data (a private file named by
 * postie, with name's safe extension); param gives %{...}.  0, or -1
 * said. */
int pager_mailcap_open(struct ui *ui, struct ui_screen *index,
    size_t account, const char *type, const char *name,
    const struct buf *data, mailcap_param_fn param, void *arg);
/* 1 (and says so) when p shows a command's output, not a message. */
int pager_output_shown(struct ui *ui, struct pager *p);

/* Saves sv->data (set by the caller) where the user typed
 * (ui_save_target: own is the name kept for a folder, index numbers an
 * empty one), asking before it replaces a file; says how it went. */
void pager_save_start(struct ui *ui, struct pager_save *sv,
    const char *typed, const char *own, size_t index);
void pager_save_free(struct pager_save *sv);

/* scr_pager_tools.c */
/* What pager_render renders: p->raw, or p->alt (raw mode, filter). */
const struct buf *pager_source(struct ui *ui, struct pager *p);
/* Forgets p->alt (a new message is loaded). */
void pager_source_reset(struct pager *p);
int pager_headers_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg);
int pager_raw_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg);
/* Runs arg ("COMMAND", or "!COMMAND" on the terminal with the TUI left)
 * once per input in[0..n) on its stdin; the outputs, one after the
 * other, in a pager over index.  0, or -1 said. */
int pager_pipe_run(struct ui *ui, struct ui_screen *index, size_t account,
    const struct buf *in, size_t n, const char *arg);
int pager_pipe_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg);
int pager_link_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg);
int pager_html_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg);

/* scr_pager_parts.c: v, the list of the message's MIME parts */
int pager_parts_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg);

#endif
