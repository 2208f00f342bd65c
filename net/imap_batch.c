/*
 * imap_batch: pipelined changes (STORE, COPY, MOVE, UID EXPUNGE), for
 * replaying a queue of pending operations in about one round trip.
 */
#include <config.h>

#include "net/imap_int.h"

#include <string.h>

#define BATCH_WINDOW 32

/* Builds and sends one request; 1 sent, 0 refused locally, -1 error. */
static int
send_req(struct imap *imap, struct imap_cmd *cmd, struct imap_req *q,
    struct error *err)
{
	static const char *const names[] = { "STORE", "COPY", "MOVE",
		"EXPUNGE" };

	imap_cmd_begin(imap, cmd, names[q->kind], NULL, NULL);
	switch (q->kind) {
	case IMAP_REQ_STORE:
		imap_add(imap, "UID STORE %s %cFLAGS.SILENT ", q->uidset,
		    q->add ? '+' : '-');
		imap_add_flags(imap, q->flags);
		break;
	case IMAP_REQ_COPY:
	case IMAP_REQ_MOVE:
		imap_add(imap, "UID %s %s ", cmd->name, q->uidset);
		if (imap_add_folder(imap, q->folder ? q->folder : "",
		    &q->err) < 0)
			return 0;
		break;
	case IMAP_REQ_EXPUNGE:
		imap_add(imap, "UID EXPUNGE %s", q->uidset);
		break;
	}
	return imap_cmd_send(imap, cmd, err) < 0 ? -1 : 1;
}

/* Reads the answers of the window; -1 on a connection error. */
static int
drain(struct imap *imap, struct imap_cmd *cmds, struct imap_req **qs,
    size_t n, struct error *err)
{
	size_t k;
	int rc = 0;

	for (k = 0; k < n; k++) {
		if (rc == 0 && imap_cmd_finish(imap, &cmds[k], err) < 0)
			rc = -1;
		if (rc == 0 && cmds[k].ok)
			qs[k]->result = 0;
		else if (rc == 0)
			imap_cmd_error(imap, &cmds[k], &qs[k]->err);
		imap_cmd_free(&cmds[k]);
	}
	return rc;
}

int
imap_batch(struct imap *imap, struct imap_req *reqs, size_t n,
    struct error *err)
{
	struct imap_cmd cmds[BATCH_WINDOW];
	struct imap_req *qs[BATCH_WINDOW];
	size_t k, w = 0;
	int r;

	for (k = 0; k < n; k++) {
		reqs[k].result = -1;
		error_clear(&reqs[k].err);
	}
	for (k = 0; k < n; k++) {
		struct imap_req *q = &reqs[k];

		if (q->uidset == NULL || imap_uidset_foreach(q->uidset, NULL,
		    NULL) < 0) {
			error_set(&q->err, "bad message set");
			continue;
		}
		if ((q->kind == IMAP_REQ_MOVE && !(imap->caps &
		    IMAP_CAP_MOVE)) || (q->kind == IMAP_REQ_EXPUNGE &&
		    !(imap->caps & IMAP_CAP_UIDPLUS))) {
			/* Several commands, in order after the rest. */
			if (drain(imap, cmds, qs, w, err) < 0)
				return -1;
			w = 0;
			if ((q->kind == IMAP_REQ_MOVE ? imap_move(imap,
			    q->uidset, q->folder ? q->folder : "", NULL,
			    &q->err) : imap_expunge(imap, q->uidset,
			    &q->err)) == 0)
				q->result = 0;
			else if (!imap_alive(imap))
				return error_set(err, "%s", q->err.msg);
			continue;
		}
		if ((r = send_req(imap, &cmds[w], q, err)) < 0) {
			imap_cmd_free(&cmds[w]);
			drain(imap, cmds, qs, w, err);
			return -1;
		}
		if (r == 0)
			continue;
		qs[w++] = q;
		if (w == BATCH_WINDOW) {
			if (drain(imap, cmds, qs, w, err) < 0)
				return -1;
			w = 0;
		}
	}
	return drain(imap, cmds, qs, w, err);
}
