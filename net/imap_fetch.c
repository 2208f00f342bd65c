/*
 * imap_fetch: FETCH of flags and headers, bodies streamed to a sink, and
 * the commands that change messages (STORE, COPY, MOVE, NOOP).
 */
#include <config.h>

#include "net/imap_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"

/* The header fields the message index needs. */
#define HEADER_FIELDS "DATE FROM TO CC SUBJECT MESSAGE-ID IN-REPLY-TO " \
	"REFERENCES CONTENT-TYPE"

/* Up to max digits at *sp (at least one); advances *sp. */
static int
digits(const char **sp, int max, int *v_r)
{
	const char *s = *sp;
	int v = 0, k;

	for (k = 0; k < max && *s >= '0' && *s <= '9'; k++)
		v = v * 10 + (*s++ - '0');
	if (k == 0)
		return -1;
	*sp = s;
	*v_r = v;
	return 0;
}

static const char *
skip_sp(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* "17-Jul-1996 02:44:25 -0700" (day may be space-padded) to UTC.  By
 * hand: sscanf cost a noticeable share of a cold sync's parse time. */
static time_t
parse_internaldate(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int d, y, hh, mm, ss, zone, m;
	char sign;
	long long days;

	s = skip_sp(s);
	if (digits(&s, 2, &d) < 0 || *s++ != '-')
		return (time_t)-1;
	for (m = 0; m < 12; m++)
		if (strncmp(s, months + 3 * m, 3) == 0)
			break;
	if (m == 12 || s[3] != '-')
		return (time_t)-1;
	m++;
	s += 4;
	if (digits(&s, 4, &y) < 0)
		return (time_t)-1;
	s = skip_sp(s);
	if (digits(&s, 2, &hh) < 0 || *s++ != ':' ||
	    digits(&s, 2, &mm) < 0 || *s++ != ':' ||
	    digits(&s, 2, &ss) < 0)
		return (time_t)-1;
	s = skip_sp(s);
	sign = *s++;
	if ((sign != '+' && sign != '-') || digits(&s, 4, &zone) < 0)
		return (time_t)-1;
	if (d < 1 || d > 31 || y < 1900 || hh > 23 || mm > 59 || ss > 60)
		return (time_t)-1;
	/* Days from civil (H. Hinnant's algorithm). */
	{
		int yy = y - (m <= 2);
		int era = yy / 400;
		int yoe = yy - era * 400;
		int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = (long long)era * 146097 + doe - 719468;
	}
	zone = (zone / 100) * 3600 + (zone % 100) * 60;
	return (time_t)(days * 86400 + hh * 3600 + mm * 60 + ss -
	    (sign == '+' ? zone : -zone));
}

int
imap_fetch_items(const struct imap_resp *r, struct imap_msg *m)
{
	const struct imap_arg *a = r->args, *v;
	uint64_t n;

	memset(m, 0, sizeof(*m));
	m->internaldate = (time_t)-1;
	m->seq = r->num;
	a = imap_arg_nth(a, 2);
	if (a == NULL || a->type != IMAP_ARG_LIST)
		return -1;
	for (a = a->list; a && (v = a->next) != NULL; a = v->next) {
		if (imap_arg_is(a, "UID")) {
			if (imap_arg_num(v, UINT32_MAX, &n) == 0)
				m->uid = (uint32_t)n;
		} else if (imap_arg_is(a, "FLAGS") &&
		    v->type == IMAP_ARG_LIST) {
			m->has_flags = 1;
			m->flags = imap_parse_flags(v->list);
		} else if (imap_arg_is(a, "MODSEQ") &&
		    v->type == IMAP_ARG_LIST) {
			if (imap_arg_num(v->list, UINT64_MAX, &n) == 0)
				m->modseq = n;
		} else if (imap_arg_is(a, "INTERNALDATE") && imap_arg_str(v)) {
			m->internaldate = parse_internaldate(v->str);
		} else if (imap_arg_is(a, "RFC822.SIZE")) {
			if (imap_arg_num(v, UINT64_MAX, &n) == 0)
				m->size = n;
		} else if (imap_arg_is(a, "BODYSTRUCTURE") &&
		    v->type == IMAP_ARG_LIST) {
			m->bodystructure = v;
		} else if (a->type == IMAP_ARG_ATOM &&
		    str_has_casefix(a->str, "BODY[HEADER")) {
			/* NIL: a header the server cannot render (Exchange
			 * does so): the message is there, with no fields */
			if (imap_arg_str(v)) {
				m->header = v->str;
				m->header_len = v->len;
			} else if (v->type == IMAP_ARG_NIL) {
				m->header = "";
			}
		}
	}
	return 0;
}

struct fetch_ctx {
	unsigned what;
	imap_msg_fn *fn;
	void *ctx;
	int stop;
};

static int
fetch_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	struct fetch_ctx *fc = cmd->ctx;
	struct imap_msg m;
	int ours;

	(void)imap;
	(void)err;
	if (r->status || !r->has_num || !imap_arg_is(r->args->next, "FETCH") ||
	    imap_fetch_items(r, &m) < 0 || m.uid == 0)
		return 0;
	if (fc->what & IMAP_FETCH_HEADERS)
		ours = m.header != NULL || m.internaldate != (time_t)-1;
	else if (fc->what & IMAP_FETCH_BODYSTRUCTURE)
		ours = m.bodystructure != NULL;
	else
		ours = m.has_flags;
	if (!ours)
		return 0;
	if (fc->stop == 0)
		fc->stop = fc->fn(fc->ctx, &m);
	return 1;
}

struct imap_fetch_op {
	struct imap_cmd cmd;
	struct fetch_ctx fc;
};

int
imap_fetch_send(struct imap *imap, const char *set, unsigned what,
    uint64_t changedsince, imap_msg_fn *fn, void *ctx,
    struct imap_fetch_op **op_r, struct error *err)
{
	struct imap_fetch_op *op;
	int byuid = !(what & IMAP_FETCH_BYSEQ);

	*op_r = NULL;
	if (imap_uidset_foreach(set, NULL, NULL) < 0)
		return error_set(err, "bad message set \"%s\"", set);
	if (changedsince && imap_enable_settle(imap, err) < 0)
		return -1;
	op = xcalloc(1, sizeof(*op));
	op->fc.what = what;
	op->fc.fn = fn;
	op->fc.ctx = ctx;
	imap_cmd_begin(imap, &op->cmd, "FETCH", fetch_untagged, &op->fc);
	imap_add(imap, "%sFETCH %s (UID", byuid ? "UID " : "", set);
	if (what & IMAP_FETCH_FLAGS)
		imap_add(imap, " FLAGS%s", imap->condstore && changedsince ?
		    " MODSEQ" : "");
	if (what & IMAP_FETCH_HEADERS)
		imap_add(imap, " INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER."
		    "FIELDS (" HEADER_FIELDS ")]");
	if (what & IMAP_FETCH_BODYSTRUCTURE)
		imap_add(imap, " BODYSTRUCTURE");
	imap_add(imap, ")");
	if (changedsince && imap->condstore)
		imap_add(imap, " (CHANGEDSINCE %llu%s)",
		    (unsigned long long)changedsince,
		    byuid && imap->qresync ? " VANISHED" : "");
	/* A failed send kills the session, which forgets its commands. */
	if (imap_cmd_send(imap, &op->cmd, err) < 0) {
		imap_cmd_free(&op->cmd);
		free(op);
		return -1;
	}
	*op_r = op;
	return 0;
}

int
imap_fetch_end(struct imap *imap, struct imap_fetch_op **opp,
    struct error *err)
{
	struct imap_fetch_op *op = *opp;
	int rc;

	if (op == NULL)
		return -1;
	rc = imap_cmd_wait(imap, &op->cmd, err);
	imap_cmd_free(&op->cmd);
	if (rc == 0)
		rc = op->fc.stop;
	free(op);
	*opp = NULL;
	return rc < 0 ? -1 : rc;
}

int
imap_fetch(struct imap *imap, const char *set, unsigned what,
    uint64_t changedsince, imap_msg_fn *fn, void *ctx, struct error *err)
{
	struct imap_fetch_op *op;

	if (imap_fetch_send(imap, set, what, changedsince, fn, ctx, &op,
	    err) < 0)
		return -1;
	return imap_fetch_end(imap, &op, err);
}

struct body_ctx {
	uint32_t uid;
	imap_sink_fn *sink;
	void *ctx;
	uint64_t got;
	int found;
	int failed;
};

static int
body_sink(void *ctx, uint64_t size, uint64_t off, const void *d, size_t n)
{
	struct body_ctx *bc = ctx;

	if (bc->sink(bc->ctx, size, off, d, n) < 0) {
		bc->failed = 1;
		return -1;
	}
	bc->got += n;
	return 0;
}

static int
body_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	struct body_ctx *bc = cmd->ctx;
	const struct imap_arg *a, *v;
	uint64_t uid = 0;

	(void)imap;
	if (r->status || !r->has_num || !imap_arg_is(r->args->next, "FETCH"))
		return 0;
	a = imap_arg_nth(r->args, 2);
	if (a == NULL || a->type != IMAP_ARG_LIST)
		return 0;
	for (a = a->list; a && a->next; a = a->next->next)
		if (imap_arg_is(a, "UID"))
			imap_arg_num(a->next, UINT32_MAX, &uid);
	if (uid != bc->uid)
		return 0;
	for (a = imap_arg_nth(r->args, 2)->list; a && (v = a->next);
	    a = v->next) {
		if (a->type != IMAP_ARG_ATOM ||
		    !str_has_casefix(a->str, "BODY["))
			continue;
		if (v->type == IMAP_ARG_STREAMED) {
			bc->found = 1;
		} else if (imap_arg_str(v)) {
			/* Short (or empty) bodies were stored, not streamed. */
			bc->found = 1;
			if (v->len && bc->sink(bc->ctx, v->len, 0, v->str,
			    v->len) < 0)
				return error_set(err, "could not store the "
				    "message body");
			bc->got += v->len;
		}
	}
	return 1;
}

int
imap_fetch_body(struct imap *imap, uint32_t uid, const char *section,
    uint64_t offset, uint64_t length, imap_sink_fn *sink, void *ctx,
    uint64_t *size_r, struct error *err)
{
	struct body_ctx bc = { uid, sink, ctx, 0, 0, 0 };
	struct imap_cmd cmd;
	size_t k;
	int rc;

	for (k = 0; section[k]; k++)
		if (!(section[k] == '.' || (section[k] >= '0' &&
		    section[k] <= '9') || (section[k] >= 'A' &&
		    section[k] <= 'Z')))
			return error_set(err, "bad body section \"%s\"",
			    section);
	imap_cmd_begin(imap, &cmd, "FETCH", body_untagged, &bc);
	imap_add(imap, "UID FETCH %u (UID BODY.PEEK[%s]", (unsigned)uid,
	    section);
	if (offset || length)
		imap_add(imap, "<%llu.%llu>", (unsigned long long)offset,
		    (unsigned long long)(length ? length : UINT32_MAX));
	imap_add(imap, ")");
	imap_parser_set_sink(imap->parser, 1, body_sink, &bc);
	rc = imap_cmd_send(imap, &cmd, err) < 0 ? -1 :
	    imap_cmd_wait(imap, &cmd, err);
	imap_parser_set_sink(imap->parser, 0, NULL, NULL);
	imap_cmd_free(&cmd);
	if (rc < 0 && bc.failed)
		return error_set(err, "could not store the message body");
	if (rc < 0)
		return -1;
	if (!bc.found)
		return error_set(err, "message %u no longer exists on the "
		    "server", (unsigned)uid);
	if (size_r)
		*size_r = bc.got;
	return 0;
}

int
imap_store(struct imap *imap, const char *uidset, int add, unsigned flags,
    struct error *err)
{
	struct imap_cmd cmd;

	if (imap_uidset_foreach(uidset, NULL, NULL) < 0)
		return error_set(err, "bad message set \"%s\"", uidset);
	imap_cmd_begin(imap, &cmd, "STORE", NULL, NULL);
	imap_add(imap, "UID STORE %s %cFLAGS.SILENT ", uidset, add ? '+' : '-');
	imap_add_flags(imap, flags);
	return imap_cmd_run(imap, &cmd, err);
}

int
imap_copy(struct imap *imap, const char *uidset, const char *folder,
    char **dest_uids_r, struct error *err)
{
	struct imap_cmd cmd;
	const char *p;
	int rc;

	if (dest_uids_r)
		*dest_uids_r = NULL;
	if (imap_uidset_foreach(uidset, NULL, NULL) < 0)
		return error_set(err, "bad message set \"%s\"", uidset);
	imap_cmd_begin(imap, &cmd, "COPY", NULL, NULL);
	imap_add(imap, "UID COPY %s ", uidset);
	if (imap_add_folder(imap, folder, err) < 0)
		return -1;
	rc = imap_cmd_send(imap, &cmd, err) < 0 ? -1 :
	    imap_cmd_wait(imap, &cmd, err);
	/* [COPYUID uidvalidity source-set dest-set] */
	if (rc == 0 && dest_uids_r && str_casecmp(cmd.code, "COPYUID") == 0 &&
	    (p = strrchr(buf_cstr(&cmd.code_args), ' ')) != NULL &&
	    imap_uidset_foreach(p + 1, NULL, NULL) == 0)
		*dest_uids_r = xstrdup(p + 1);
	imap_cmd_free(&cmd);
	return rc;
}

/* "* OK [COPYUID validity src dst]" sent during UID MOVE (RFC 6851). */
static int
move_untagged(struct imap *imap, struct imap_cmd *cmd,
    const struct imap_resp *r, struct error *err)
{
	char **dest = cmd->ctx;
	const struct imap_arg *d;

	(void)imap;
	(void)err;
	if (r->status == NULL || r->code == NULL ||
	    str_casecmp(r->code, "COPYUID") != 0)
		return 0;
	d = imap_arg_nth(r->code_args, 2);
	if (dest && *dest == NULL && imap_arg_str(d) &&
	    imap_uidset_foreach(d->str, NULL, NULL) == 0)
		*dest = xstrdup(d->str);
	return 1;
}

int
imap_move(struct imap *imap, const char *uidset, const char *folder,
    char **dest_uids_r, struct error *err)
{
	struct imap_cmd cmd;
	const char *p;
	int rc;

	if (dest_uids_r)
		*dest_uids_r = NULL;
	if (imap_uidset_foreach(uidset, NULL, NULL) < 0)
		return error_set(err, "bad message set \"%s\"", uidset);
	if (imap->caps & IMAP_CAP_MOVE) {
		imap_cmd_begin(imap, &cmd, "MOVE", move_untagged, dest_uids_r);
		imap_add(imap, "UID MOVE %s ", uidset);
		if (imap_add_folder(imap, folder, err) < 0)
			return -1;
		rc = imap_cmd_send(imap, &cmd, err) < 0 ? -1 :
		    imap_cmd_wait(imap, &cmd, err);
		/* Some servers put COPYUID in the tagged OK instead. */
		if (rc == 0 && dest_uids_r && *dest_uids_r == NULL &&
		    str_casecmp(cmd.code, "COPYUID") == 0 &&
		    (p = strrchr(buf_cstr(&cmd.code_args), ' ')) != NULL &&
		    imap_uidset_foreach(p + 1, NULL, NULL) == 0)
			*dest_uids_r = xstrdup(p + 1);
		imap_cmd_free(&cmd);
		if (rc < 0 && dest_uids_r) {
			free(*dest_uids_r);
			*dest_uids_r = NULL;
		}
		return rc;
	}
	if (imap_copy(imap, uidset, folder, dest_uids_r, err) < 0 ||
	    imap_store(imap, uidset, 1, IMAP_FLAG_DELETED, err) < 0)
		return -1;
	return imap_expunge(imap, uidset, err);
}

int
imap_noop(struct imap *imap, struct error *err)
{
	struct imap_cmd cmd;

	imap_cmd_begin(imap, &cmd, "NOOP", NULL, NULL);
	imap_add(imap, "NOOP");
	return imap_cmd_run(imap, &cmd, err);
}

int
imap_append(struct imap *imap, const char *folder, unsigned flags,
    const void *msg, size_t len, uint32_t *uid_r, struct error *err)
{
	struct imap_cmd cmd;
	const char *sp;
	unsigned long v;
	int rc;

	if (uid_r)
		*uid_r = 0;
	imap_cmd_begin(imap, &cmd, "APPEND", NULL, NULL);
	imap_add(imap, "APPEND ");
	if (imap_add_folder(imap, folder, err) < 0)
		return -1;
	imap_add(imap, " ");
	imap_add_flags(imap, flags & ~IMAP_FLAG_RECENT);
	imap_add(imap, " ");
	imap_add_literal(imap, msg, len);
	rc = imap_cmd_send(imap, &cmd, err) < 0 ? -1 :
	    imap_cmd_wait(imap, &cmd, err);
	/* [APPENDUID uidvalidity uid] */
	if (rc == 0 && uid_r && str_casecmp(cmd.code, "APPENDUID") == 0 &&
	    (sp = strchr(buf_cstr(&cmd.code_args), ' ')) != NULL &&
	    str_to_ulong(sp + 1, UINT32_MAX, &v) == 0)
		*uid_r = (uint32_t)v;
	imap_cmd_free(&cmd);
	return rc;
}
