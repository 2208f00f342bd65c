/*
 * imap_folder: LIST (with LIST-STATUS / SPECIAL-USE), STATUS, SELECT and
 * EXAMINE (with QRESYNC or CONDSTORE); CREATE, RENAME, DELETE,
 * SUBSCRIBE and UNSUBSCRIBE.
 */
#include <config.h>

#include "net/imap_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/str.h"
#include "core/xalloc.h"

#define STATUS_WINDOW 32 /* STATUS commands in flight at once */

struct fentry {
	char *raw, *name;
	char delim;
	unsigned attrs;
	struct imap_folder st; /* its STATUS items only */
};

/* The folders of one LIST, with a hash of their names: a server may
 * send any number of LIST lines, and each is looked up (and so is each
 * STATUS). */
struct flist {
	struct fentry *v;
	size_t n, cap;
	size_t *slot;   /* open addressing: index into v + 1, 0 empty */
	size_t nslot;   /* a power of two, more than twice n */
};

static unsigned
folder_attrs(const struct imap_arg *a)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
		{ "\\Noselect", IMAP_FOLDER_NOSELECT },
		{ "\\NoInferiors", IMAP_FOLDER_NOINFERIORS },
		{ "\\HasChildren", IMAP_FOLDER_HASCHILDREN },
		{ "\\HasNoChildren", IMAP_FOLDER_HASNOCHILDREN },
		{ "\\NonExistent", IMAP_FOLDER_NONEXISTENT | IMAP_FOLDER_NOSELECT },
		{ "\\Marked", IMAP_FOLDER_MARKED },
		{ "\\All", IMAP_FOLDER_ALL },
		{ "\\Archive", IMAP_FOLDER_ARCHIVE },
		{ "\\Drafts", IMAP_FOLDER_DRAFTS },
		{ "\\Flagged", IMAP_FOLDER_FLAGGED },
		{ "\\Junk", IMAP_FOLDER_JUNK },
		{ "\\Sent", IMAP_FOLDER_SENT },
		{ "\\Trash", IMAP_FOLDER_TRASH },
	};
	unsigned attrs = 0;
	size_t k;

	for (; a; a = a->next)
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (imap_arg_is(a, names[k].name))
				attrs |= names[k].bit;
	return attrs;
}

int
imap_folder_same(const char *a, const char *b)
{
	return strcmp(a, b) == 0 || (str_casecmp(a, "INBOX") == 0 &&
	    str_casecmp(b, "INBOX") == 0);
}

/* INBOX in any case is one name (imap_folder_same), so it hashes as
 * one; other names exactly. */
static size_t
name_hash(const char *raw)
{
	if (str_casecmp(raw, "INBOX") == 0)
		raw = "INBOX";
	return (size_t)hash_keyed(raw, strlen(raw));
}

static struct fentry *
find(struct flist *l, const char *raw)
{
	size_t i, k;

	if (l->nslot == 0)
		return NULL;
	for (i = name_hash(raw) & (l->nslot - 1); (k = l->slot[i]) != 0;
	    i = (i + 1) & (l->nslot - 1))
		if (imap_folder_same(l->v[k - 1].raw, raw))
			return &l->v[k - 1];
	return NULL;
}

static void
slot_put(struct flist *l, size_t k)
{
	size_t i = name_hash(l->v[k].raw) & (l->nslot - 1);

	while (l->slot[i] != 0)
		i = (i + 1) & (l->nslot - 1);
	l->slot[i] = k + 1;
}

/* A new entry for raw (not listed yet), in the hash too. */
static struct fentry *
flist_add(struct flist *l, const char *raw)
{
	size_t k;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	if (2 * (l->n + 1) > l->nslot) {
		free(l->slot);
		l->nslot = l->nslot ? l->nslot * 2 : 64;
		l->slot = xcalloc(l->nslot, sizeof(*l->slot));
		for (k = 0; k < l->n; k++)
			slot_put(l, k);
	}
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	l->v[l->n].raw = xstrdup(raw);
	slot_put(l, l->n);
	return &l->v[l->n++];
}

void
imap_status_items(const struct imap_arg *a, struct imap_folder *st)
{
	uint64_t v;

	for (; a && a->next; a = a->next->next) {
		if (imap_arg_is(a, "HIGHESTMODSEQ")) {
			if (imap_arg_num(a->next, UINT64_MAX, &v) == 0)
				st->highestmodseq = v;
			continue;
		}
		if (imap_arg_num(a->next, UINT32_MAX, &v) < 0)
			continue;
		if (imap_arg_is(a, "MESSAGES"))
			st->messages = (uint32_t)v, st->has_status = 1;
		else if (imap_arg_is(a, "UNSEEN"))
			st->unseen = (uint32_t)v;
		else if (imap_arg_is(a, "UIDNEXT"))
			st->uidnext = (uint32_t)v;
		else if (imap_arg_is(a, "UIDVALIDITY"))
			st->uidvalidity = (uint32_t)v;
	}
}

static int
list_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	struct flist *l = cmd->ctx;
	const struct imap_arg *a = r->args, *name;
	struct fentry *e;
	const char *d;

	(void)err;
	if (r->status)
		return 0;
	if (imap_arg_is(a, "STATUS")) {
		if ((name = a->next) == NULL || imap_arg_str(name) == NULL ||
		    name->next == NULL || name->next->type != IMAP_ARG_LIST)
			return 1;
		if ((e = find(l, name->str)) == NULL)
			return 1;
		if (e->st.has_status) {
			/* a second one: that folder's news (NOTIFY) */
			struct imap_event ev;

			memset(&ev, 0, sizeof(ev));
			ev.kind = IMAP_EV_MAILBOX;
			ev.folder = e->name;
			imap_event(imap, &ev);
		}
		imap_status_items(name->next->list, &e->st);
		return 1;
	}
	if (!imap_arg_is(a, "LIST") || cmd->name[0] != 'L')
		return 0;
	a = a->next;
	if (a == NULL || a->type != IMAP_ARG_LIST || (name = imap_arg_nth(a,
	    2)) == NULL || imap_arg_str(name) == NULL ||
	    memchr(name->str, '\0', name->len) ||
	    imap_folder_name(imap, name->str, name->len) == NULL)
		return 1; /* malformed: skip the entry */
	if ((e = find(l, name->str)) == NULL) {
		e = flist_add(l, name->str);
		e->name = xstrdup(imap_folder_name(imap, name->str, name->len));
	}
	e->attrs = folder_attrs(a->list);
	d = imap_arg_str(a->next);
	e->delim = d && *d ? *d : 0;
	return 1;
}

static void
flist_free(struct flist *l)
{
	size_t k;

	for (k = 0; k < l->n; k++) {
		free(l->v[k].raw);
		free(l->v[k].name);
	}
	free(l->v);
	free(l->slot);
}

/* The STATUS items asked: with CONDSTORE also what tells whether a
 * folder changed since the cache saw it. */
static const char *
status_items_of(struct imap *imap)
{
	return imap_has_cap(imap, IMAP_CAP_CONDSTORE) ?
	    "MESSAGES UNSEEN UIDVALIDITY UIDNEXT HIGHESTMODSEQ" :
	    "MESSAGES UNSEEN";
}

/* STATUS for every selectable folder without counts, pipelined. */
static int
status_all(struct imap *imap, struct flist *l, struct error *err)
{
	struct imap_cmd cmds[STATUS_WINDOW];
	size_t k = 0, j, nsent;
	int rc = 0;

	while (k < l->n && rc == 0) {
		nsent = 0;
		for (; k < l->n && nsent < STATUS_WINDOW; k++) {
			struct fentry *e = &l->v[k];

			if (e->st.has_status ||
			    (e->attrs & IMAP_FOLDER_NOSELECT))
				continue;
			imap_cmd_begin(imap, &cmds[nsent], "STATUS",
			    list_untagged, l);
			imap_add(imap, "STATUS ");
			imap_add_astring(imap, e->raw, strlen(e->raw));
			imap_add(imap, " (%s)", status_items_of(imap));
			if (imap_cmd_send(imap, &cmds[nsent++], err) < 0) {
				rc = -1;
				break;
			}
		}
		/* A refused STATUS leaves that folder without counts. */
		for (j = 0; j < nsent; j++) {
			if (rc == 0 && imap_cmd_finish(imap, &cmds[j], err) < 0)
				rc = -1;
			imap_cmd_free(&cmds[j]);
		}
	}
	return rc;
}

static int
list_run(struct imap *imap, int counts, imap_folder_fn *fn, void *ctx,
    struct error *err)
{
	struct flist l = { NULL, 0, 0, NULL, 0 };
	struct imap_cmd cmd;
	size_t k;
	int rc, liststatus = counts &&
	    imap_has_cap(imap, IMAP_CAP_LIST_STATUS);
	int specialuse = imap_has_cap(imap, IMAP_CAP_SPECIAL_USE |
	    IMAP_CAP_LIST_EXTENDED);

	imap_cmd_begin(imap, &cmd, "LIST", list_untagged, &l);
	imap_add(imap, "LIST \"\" \"*\"");
	if (imap->caps & IMAP_CAP_LIST_EXTENDED)
		imap_add(imap, " RETURN (CHILDREN%s%s%s%s)",
		    specialuse ? " SPECIAL-USE" : "",
		    liststatus ? " STATUS (" : "",
		    liststatus ? status_items_of(imap) : "",
		    liststatus ? ")" : "");
	else if (liststatus)
		imap_add(imap, " RETURN (STATUS (%s))", status_items_of(imap));
	rc = imap_cmd_run(imap, &cmd, err);
	if (rc == 0 && counts)
		rc = status_all(imap, &l, err);
	for (k = 0; rc == 0 && k < l.n; k++) {
		struct imap_folder f = l.v[k].st;

		f.name = l.v[k].name;
		f.raw = l.v[k].raw;
		f.delim = l.v[k].delim;
		f.attrs = l.v[k].attrs;
		rc = fn(ctx, &f);
	}
	flist_free(&l);
	return rc;
}

int
imap_list(struct imap *imap, imap_folder_fn *fn, void *ctx,
    struct error *err)
{
	return list_run(imap, 1, fn, ctx, err);
}

int
imap_list_names(struct imap *imap, imap_folder_fn *fn, void *ctx,
    struct error *err)
{
	return list_run(imap, 0, fn, ctx, err);
}

struct status_ctx {
	const char *folder;
	struct imap_folder st;
};

static int
status_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	struct status_ctx *sc = cmd->ctx;
	const struct imap_arg *a = r->args;
	const char *name;

	(void)err;
	if (r->status || !imap_arg_is(a, "STATUS") || a->next == NULL ||
	    imap_arg_str(a->next) == NULL || a->next->next == NULL ||
	    a->next->next->type != IMAP_ARG_LIST)
		return 0;
	/* another folder's, sent on its own (NOTIFY) */
	name = imap_folder_name(imap, a->next->str, a->next->len);
	if (name == NULL || !imap_folder_same(name, sc->folder))
		return 0;
	imap_status_items(a->next->next->list, &sc->st);
	return 1;
}

int
imap_status(struct imap *imap, const char *folder, uint32_t *messages_r,
    uint32_t *unseen_r, uint32_t *uidnext_r, uint32_t *uidvalidity_r,
    struct error *err)
{
	struct status_ctx sc;
	struct imap_cmd cmd;
	int rc;

	memset(&sc, 0, sizeof(sc));
	sc.folder = folder;
	imap_cmd_begin(imap, &cmd, "STATUS", status_untagged, &sc);
	imap_add(imap, "STATUS ");
	if (imap_add_folder(imap, folder, err) < 0)
		return -1;
	imap_add(imap, " (MESSAGES UNSEEN UIDNEXT UIDVALIDITY)");
	rc = imap_cmd_run(imap, &cmd, err);
	if (rc == 0 && !sc.st.has_status)
		return error_set(err, "IMAP server sent no STATUS for %s",
		    folder);
	if (rc == 0) {
		if (messages_r)
			*messages_r = sc.st.messages;
		if (unseen_r)
			*unseen_r = sc.st.unseen;
		if (uidnext_r)
			*uidnext_r = sc.st.uidnext;
		if (uidvalidity_r)
			*uidvalidity_r = sc.st.uidvalidity;
	}
	return rc;
}

struct rights_ctx {
	const char *folder;
	char *rights;
	size_t size;
};

static int
rights_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	struct rights_ctx *rc = cmd->ctx;
	const struct imap_arg *a = r->args;
	const char *name, *letters;

	(void)err;
	if (r->status || !imap_arg_is(a, "MYRIGHTS") || a->next == NULL ||
	    imap_arg_str(a->next) == NULL || a->next->next == NULL ||
	    (letters = imap_arg_str(a->next->next)) == NULL)
		return 0;
	name = imap_folder_name(imap, a->next->str, a->next->len);
	if (name == NULL || !imap_folder_same(name, rc->folder))
		return 0;
	str_lcpy(rc->rights, letters, rc->size);
	return 1;
}

int
imap_myrights(struct imap *imap, const char *folder, char *rights,
    size_t size, struct error *err)
{
	struct rights_ctx rc = { folder, rights, size };
	struct imap_cmd cmd;

	rights[0] = '\0';
	imap_cmd_begin(imap, &cmd, "MYRIGHTS", rights_untagged, &rc);
	imap_add(imap, "MYRIGHTS ");
	if (imap_add_folder(imap, folder, err) < 0)
		return -1;
	return imap_cmd_run(imap, &cmd, err);
}

static int
select_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	struct imap_mailbox *mb = cmd->ctx;
	const struct imap_arg *a = r->args;
	uint64_t v;

	(void)imap;
	(void)err;
	if (r->status && r->code) {
		if (str_casecmp(r->code, "UIDVALIDITY") == 0 &&
		    imap_arg_num(r->code_args, UINT32_MAX, &v) == 0)
			mb->uidvalidity = (uint32_t)v;
		else if (str_casecmp(r->code, "UIDNEXT") == 0 &&
		    imap_arg_num(r->code_args, UINT32_MAX, &v) == 0)
			mb->uidnext = (uint32_t)v;
		else if (str_casecmp(r->code, "HIGHESTMODSEQ") == 0 &&
		    imap_arg_num(r->code_args, UINT64_MAX, &v) == 0)
			mb->highestmodseq = v;
		else if (str_casecmp(r->code, "NOMODSEQ") == 0)
			mb->highestmodseq = 0;
		else if (str_casecmp(r->code, "PERMANENTFLAGS") == 0 &&
		    r->code_args && r->code_args->type == IMAP_ARG_LIST) {
			mb->permflags = imap_parse_flags(r->code_args->list);
			for (a = r->code_args->list; a; a = a->next)
				if (imap_arg_is(a, "\\*"))
					mb->permflags |= IMAP_FLAG_FORWARDED;
			mb->permflags_told = 1;
		}
		else
			return 0;
		return 1;
	}
	if (r->status)
		return 0;
	if (r->has_num && imap_arg_is(a->next, "EXISTS")) {
		mb->exists = r->num; /* the count, not new mail */
		return 1;
	}
	if ((r->has_num && imap_arg_is(a->next, "RECENT")) ||
	    imap_arg_is(a, "FLAGS"))
		return 1;
	return 0; /* VANISHED, FETCH: events */
}

struct imap_select_op {
	struct imap_cmd cmd;
	int readonly;
};

int
imap_select_send(struct imap *imap, const char *folder, int readonly,
    const struct imap_qresync *qr, struct imap_mailbox *mb_r,
    struct imap_select_op **op_r, struct error *err)
{
	struct imap_select_op *op;

	*op_r = NULL;
	memset(mb_r, 0, sizeof(*mb_r));
	if (qr && qr->modseq && imap_enable_settle(imap, err) < 0)
		return -1;
	op = xcalloc(1, sizeof(*op));
	op->readonly = readonly;
	imap_cmd_begin(imap, &op->cmd, readonly ? "EXAMINE" : "SELECT",
	    select_untagged, mb_r);
	imap_add(imap, "%s ", op->cmd.name);
	if (imap_add_folder(imap, folder, err) < 0)
		goto fail;
	if (imap->qresync && qr && qr->uidvalidity && qr->modseq) {
		imap_add(imap, " (QRESYNC (%u %llu", (unsigned)qr->uidvalidity,
		    (unsigned long long)qr->modseq);
		if (qr->known_uids && *qr->known_uids &&
		    imap_uidset_foreach(qr->known_uids, NULL, NULL) == 0)
			imap_add(imap, " %s", qr->known_uids);
		imap_add(imap, "))");
	} else if (imap->condstore) {
		imap_add(imap, " (CONDSTORE)");
	}
	/* A failed send kills the session, which forgets its commands. */
	if (imap_cmd_send(imap, &op->cmd, err) < 0)
		goto fail;
	*op_r = op;
	return 0;
fail:
	imap_cmd_free(&op->cmd);
	free(op);
	return -1;
}

int
imap_select_end(struct imap *imap, struct imap_select_op **opp,
    struct error *err)
{
	struct imap_select_op *op = *opp;
	struct imap_mailbox *mb_r;
	int rc;

	if (op == NULL)
		return -1;
	mb_r = op->cmd.ctx;
	rc = imap_cmd_wait(imap, &op->cmd, err);
	if (rc == 0) {
		mb_r->readonly = op->readonly ||
		    str_casecmp(op->cmd.code, "READ-ONLY") == 0;
		if (!mb_r->permflags_told)
			mb_r->permflags = IMAP_FLAG_SEEN | IMAP_FLAG_ANSWERED |
			    IMAP_FLAG_FLAGGED | IMAP_FLAG_DELETED |
			    IMAP_FLAG_DRAFT | IMAP_FLAG_FORWARDED;
		if (mb_r->readonly)
			mb_r->permflags = 0;
	}
	imap_cmd_free(&op->cmd);
	free(op);
	*opp = NULL;
	return rc;
}

/* One command naming one or two folders (encoded by imap_add_folder). */
static int
folder_cmd(struct imap *imap, const char *verb, const char *a, const char *b,
    struct error *err)
{
	struct imap_cmd cmd;
	int rc;

	imap_cmd_begin(imap, &cmd, verb, NULL, NULL);
	imap_add(imap, "%s ", verb);
	if (imap_add_folder(imap, a, err) < 0)
		return -1;
	if (b) {
		imap_add(imap, " ");
		if (imap_add_folder(imap, b, err) < 0)
			return -1;
	}
	rc = imap_cmd_send(imap, &cmd, err) < 0 ? -1 :
	    imap_cmd_wait(imap, &cmd, err);
	imap_cmd_free(&cmd);
	return rc;
}

int
imap_create(struct imap *imap, const char *folder, struct error *err)
{
	return folder_cmd(imap, "CREATE", folder, NULL, err);
}

int
imap_rename(struct imap *imap, const char *from, const char *to,
    struct error *err)
{
	return folder_cmd(imap, "RENAME", from, to, err);
}

int
imap_delete(struct imap *imap, const char *folder, struct error *err)
{
	return folder_cmd(imap, "DELETE", folder, NULL, err);
}

int
imap_subscribe(struct imap *imap, const char *folder, int on,
    struct error *err)
{
	return folder_cmd(imap, on ? "SUBSCRIBE" : "UNSUBSCRIBE", folder, NULL,
	    err);
}

int
imap_select(struct imap *imap, const char *folder, int readonly,
    const struct imap_qresync *qr, struct imap_mailbox *mb_r,
    struct error *err)
{
	struct imap_select_op *op;

	if (imap_select_send(imap, folder, readonly, qr, mb_r, &op, err) < 0)
		return -1;
	return imap_select_end(imap, &op, err);
}
