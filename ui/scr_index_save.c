/*
 * scr_index_save: the message index hands messages to files and
 * programs: s and C with a path append to an mbox (;s ;C: the tagged
 * ones, into one mbox), | pipes the message (;| the tagged: one mbox,
 * or one run each with pipe_split), ;f forwards the tagged as
 * attachments (scr_index_int.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "mime/mime.h"
#include "ui/save.h"
#include "ui/scr_index_int.h"
#include "ui/scr_pager_int.h"

/* The messages a command acts on: the tagged (x->bulk, which it
 * clears) or the one under the cursor; into *ids_r (free()). */
static size_t
targets(struct ui *ui, struct idx *x, int64_t **ids_r)
{
	const struct index_rec *r;

	if (x->bulk) {
		x->bulk = 0;
		return idx_tagged_ids(x, ids_r);
	}
	*ids_r = NULL;
	if ((r = idx_cursor(ui, x)) == NULL)
		return 0;
	*ids_r = xmalloc(sizeof(**ids_r));
	(*ids_r)[0] = r->id;
	return 1;
}

/* Each message as stored, into raws[0..n) (buf_free each, free()).
 * Every body must be here: those that are not are asked for and the
 * command fails, saying so, rather than act on part of them.  0, or -1
 * said. */
static int
bodies(struct ui *ui, const int64_t *ids, size_t n, struct buf **raws_r)
{
	struct buf *raws = xcalloc(n ? n : 1, sizeof(*raws));
	struct error err;
	size_t i, missing = 0;
	int rc;

	for (i = 0; i < n; i++) {
		error_clear(&err);
		rc = cache_message_raw(ui->cache, ids[i], &raws[i], &err);
		if (rc < 0) {
			ui_message(ui, 1, "%s", err.msg);
			goto fail;
		}
		missing += rc == 0;
	}
	if (missing == 1 && n == 1) {
		ui_message(ui, 1, "The message is not downloaded yet; it is "
		    "being fetched: try again in a moment.");
		goto fail;
	}
	if (missing) {
		ui_message(ui, 1, "%zu of the %zu messages %s not downloaded "
		    "yet; %s being fetched: try again in a moment.", missing,
		    n, missing == 1 ? "is" : "are", missing == 1 ? "it is" :
		    "they are");
		goto fail;
	}
	*raws_r = raws;
	return 0;
fail:
	for (i = 0; i < n; i++)
		buf_free(&raws[i]);
	free(raws);
	return -1;
}

static void
free_bodies(struct buf *raws, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_free(&raws[i]);
	free(raws);
}

int
idx_is_path(const char *arg)
{
	return arg[0] == '/' || strncmp(arg, "~/", 2) == 0 ||
	    strncmp(arg, "./", 2) == 0 || strncmp(arg, "../", 3) == 0;
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

int
idx_save_path(struct ui *ui, struct idx *x, int move, const char *arg)
{
	struct buf path = BUF_INIT, box = BUF_INIT;
	struct buf *raws = NULL;
	struct error err;
	int64_t *ids = NULL;
	size_t n, i;
	int rc = -1, raw;
	time_t now = time(NULL);

	n = targets(ui, x, &ids);
	if (n == 0)
		goto out;
	if (strncmp(arg, "~/", 2) == 0 && getenv("HOME"))
		buf_printf(&path, "%s%s", getenv("HOME"), arg + 1);
	else
		buf_addstr(&path, arg);
	if (bodies(ui, ids, n, &raws) < 0)
		goto out;
	/* One message to a new .eml file: the message as it is, which is
	 * what a .eml is; anything else is an mbox. */
	raw = n == 1 && ends_with(path.data, ".eml");
	for (i = 0; i < n; i++) {
		if (raw)
			buf_add(&box, raws[i].data, raws[i].len);
		else
			mime_mbox_entry(buf_cstr(&raws[i]), raws[i].len, now,
			    &box);
	}
	error_clear(&err);
	if (ui_save_mbox(path.data, buf_cstr(&box), box.len, raw, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		goto out;
	}
	/* s is Mutt's save: the messages are marked deleted (u keeps
	 * them), as a move to a folder takes them away. */
	qsort(ids, n, sizeof(*ids), cmp_id);
	if (move && idx_bulk_op(ui, x, ids, n, CACHE_BULK_DELETE, 0) < 0)
		goto out;
	ui_message(ui, 0, "Saved %zu message%s to %s%s.", n, n == 1 ? "" :
	    "s", path.data, move ? "; marked deleted (u keeps them)" : "");
	rc = 0;
out:
	if (raws)
		free_bodies(raws, n);
	free(ids);
	buf_free(&path);
	buf_free(&box);
	return rc;
}

int
idx_pipe_cmd(struct ui *ui, struct ui_screen *s, enum ui_cmd_id id,
    const char *arg)
{
	struct idx *x = (struct idx *)s;
	struct buf *raws = NULL, box = BUF_INIT;
	int64_t *ids = NULL;
	size_t n, i;
	time_t now = time(NULL);
	int rc = -1;

	if (arg == NULL) /* the answer comes back with x->bulk kept */
		return idx_ask(ui, x, x->bulk ? "Pipe the tagged messages to "
		    "(!: on the terminal): " : "Pipe the message to (!: on "
		    "the terminal): ", UI_CMD_PIPE);
	n = targets(ui, x, &ids);
	if (n == 0 || bodies(ui, ids, n, &raws) < 0)
		goto out;
	if (n == 1 || ui->cfg->pipe_split) {
		rc = pager_pipe_run(ui, s, x->account, raws, n, arg);
	} else {
		for (i = 0; i < n; i++)
			mime_mbox_entry(buf_cstr(&raws[i]), raws[i].len, now,
			    &box);
		rc = pager_pipe_run(ui, s, x->account, &box, 1, arg);
	}
out:
	if (raws)
		free_bodies(raws, n);
	buf_free(&box);
	free(ids);
	return rc;
}

int
idx_bulk_forward(struct ui *ui, struct idx *x)
{
	int64_t *ids;
	size_t n;
	int rc;

	x->bulk = 1;
	n = targets(ui, x, &ids);
	rc = scr_compose_forward(ui, x->account, ids, n);
	free(ids);
	return rc;
}
