/*
 * imap_io: reading responses, building and sending commands, handing
 * untagged data to pending commands or to the event callback.
 */
#include "net/imap_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "net/mutf7.h"

int
imap_dead(struct imap *imap, struct error *err)
{
	imap->dead = 1;
	imap->pending = NULL; /* commands of a dead session never finish */
	return error_isset(err) ? -1 :
	    error_set(err, "the IMAP connection was lost");
}

const struct imap_resp *
imap_read(struct imap *imap, struct error *err)
{
	size_t used;
	ssize_t n;
	int r;

	if (imap->dead) {
		error_set(err, "the IMAP connection is closed");
		return NULL;
	}
	if (!imap->budgeted) { /* the greeting: before any command */
		conn_budget_start(imap->conn);
		imap->budgeted = 1;
	}
	for (;;) {
		if (imap->rpos < imap->rlen) {
			r = imap_parser_feed(imap->parser,
			    imap->rbuf + imap->rpos, imap->rlen - imap->rpos,
			    &used, err);
			imap->rpos += used;
			if (r < 0) {
				error_prefix(err, "IMAP server %s",
				    conn_host(imap->conn));
				imap_dead(imap, err);
				return NULL;
			}
			if (r > 0)
				return imap_parser_resp(imap->parser);
		}
		imap->rpos = imap->rlen = 0;
		n = conn_read_some(imap->conn, imap->rbuf, IMAP_RBUF, err);
		if (n <= 0 && imap->bye)
			error_set(err, "IMAP server %s ended the session%s%s",
			    conn_host(imap->conn), imap->bye_text[0] ? ": " :
			    "", imap->bye_text);
		if (n <= 0) {
			if (n == 0 && !imap->bye)
				error_set(err, "IMAP server %s closed the "
				    "connection", conn_host(imap->conn));
			imap_dead(imap, err);
			return NULL;
		}
		imap->rlen = (size_t)n;
	}
}

void
imap_cmd_begin(struct imap *imap, struct imap_cmd *cmd, const char *name,
    imap_untagged_fn *fn, void *ctx)
{
	memset(cmd, 0, sizeof(*cmd));
	snprintf(cmd->tag, sizeof(cmd->tag), "p%u", ++imap->tagno);
	cmd->name = name;
	cmd->untagged = fn;
	cmd->ctx = ctx;
	buf_reset(&imap->out);
	imap->nsync = 0;
	buf_printf(&imap->out, "%s ", cmd->tag);
}

void
imap_add(struct imap *imap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&imap->out, fmt, ap);
	va_end(ap);
}

void
imap_add_literal(struct imap *imap, const char *s, size_t len)
{
	if ((imap->caps & IMAP_CAP_LITERALPLUS) ||
	    ((imap->caps & IMAP_CAP_LITERALMINUS) && len <= 4096) ||
	    imap->nsync >= sizeof(imap->sync_at) / sizeof(imap->sync_at[0])) {
		buf_printf(&imap->out, "{%zu+}\r\n", len);
	} else {
		buf_printf(&imap->out, "{%zu}\r\n", len);
		imap->sync_at[imap->nsync++] = imap->out.len;
	}
	buf_add(&imap->out, s, len);
}

void
imap_add_astring(struct imap *imap, const char *s, size_t len)
{
	size_t k;
	int quote = len < 1024;

	for (k = 0; k < len && quote; k++) {
		unsigned char c = (unsigned char)s[k];

		if (c == 0 || c == '\r' || c == '\n' ||
		    (c >= 0x80 && !imap->utf8))
			quote = 0;
	}
	if (quote) {
		buf_addch(&imap->out, '"');
		for (k = 0; k < len; k++) {
			if (s[k] == '"' || s[k] == '\\')
				buf_addch(&imap->out, '\\');
			buf_addch(&imap->out, s[k]);
		}
		buf_addch(&imap->out, '"');
		return;
	}
	imap_add_literal(imap, s, len);
}

void
imap_add_flags(struct imap *imap, unsigned flags)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ IMAP_FLAG_SEEN, "\\Seen" }, { IMAP_FLAG_ANSWERED, "\\Answered" },
		{ IMAP_FLAG_FLAGGED, "\\Flagged" },
		{ IMAP_FLAG_DELETED, "\\Deleted" }, { IMAP_FLAG_DRAFT, "\\Draft" },
		{ IMAP_FLAG_FORWARDED, "$Forwarded" },
	};
	const char *sep = "";
	size_t k;

	imap_add(imap, "(");
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (flags & names[k].bit) {
			imap_add(imap, "%s%s", sep, names[k].name);
			sep = " ";
		}
	imap_add(imap, ")");
}

int
imap_add_folder(struct imap *imap, const char *folder, struct error *err)
{
	struct buf enc = BUF_INIT;
	const char *c;

	/* UTF8=ACCEPT changes how a name that is not ASCII is spelt */
	for (c = folder; *c && !(*c & 0x80); c++)
		;
	if (*c && imap_enable_settle(imap, err) < 0)
		return -1;
	if (imap->utf8) {
		imap_add_astring(imap, folder, strlen(folder));
		return 0;
	}
	if (mutf7_encode(folder, strlen(folder), &enc) < 0) {
		buf_free(&enc);
		return error_set(err, "folder name is not valid UTF-8");
	}
	imap_add_astring(imap, enc.data ? enc.data : "", enc.len);
	buf_free(&enc);
	return 0;
}

const char *
imap_folder_name(struct imap *imap, const char *raw, size_t len)
{
	buf_reset(&imap->tmp);
	if (imap->utf8 || mutf7_decode(raw, len, &imap->tmp) < 0) {
		buf_reset(&imap->tmp);
		buf_add(&imap->tmp, raw, len);
	}
	/* Cut at a NUL, the name would be another folder's. */
	if (imap->tmp.len > 0 && memchr(imap->tmp.data, '\0', imap->tmp.len))
		return NULL;
	return buf_cstr(&imap->tmp);
}

static int
wait_cont(struct imap *imap, struct imap_cmd *cmd, struct error *err)
{
	const struct imap_resp *r;

	while (!cmd->done) {
		if ((r = imap_read(imap, err)) == NULL)
			return -1;
		if (r->kind == IMAP_RESP_CONT)
			return 1;
		if (imap_dispatch(imap, r, err) < 0)
			return -1;
	}
	return 0;
}

int
imap_cmd_send(struct imap *imap, struct imap_cmd *cmd, struct error *err)
{
	struct imap_cmd **pp;
	size_t start = 0;
	unsigned k;
	int r;

	if (imap->dead)
		return error_set(err, "the IMAP connection is closed");
	buf_addstr(&imap->out, "\r\n");
	/* The overall deadline runs from the command that found the
	 * session idle; pipelined ones share it until an answer ends. */
	if (imap->pending == NULL)
		conn_budget_start(imap->conn);
	for (pp = &imap->pending; *pp; pp = &(*pp)->next)
		;
	*pp = cmd;
	cmd->next = NULL;
	for (k = 0; k < imap->nsync; k++) {
		if (conn_write(imap->conn, imap->out.data + start,
		    imap->sync_at[k] - start, err) < 0)
			return imap_dead(imap, err);
		start = imap->sync_at[k];
		if ((r = wait_cont(imap, cmd, err)) < 0)
			return -1;
		if (r == 0)
			return 0; /* answered (refused) before the literal */
	}
	if (conn_write(imap->conn, imap->out.data + start,
	    imap->out.len - start, err) < 0)
		return imap_dead(imap, err);
	return 0;
}

int
imap_cmd_step(struct imap *imap, struct imap_cmd *cmd, struct error *err)
{
	const struct imap_resp *r;

	if (cmd->done)
		return 1;
	if ((r = imap_read(imap, err)) == NULL ||
	    imap_dispatch(imap, r, err) < 0)
		return -1;
	return cmd->done != 0;
}

int
imap_cmd_finish(struct imap *imap, struct imap_cmd *cmd, struct error *err)
{
	int rc;

	while ((rc = imap_cmd_step(imap, cmd, err)) == 0)
		;
	return rc < 0 ? -1 : 0;
}

int
imap_cmd_wait(struct imap *imap, struct imap_cmd *cmd, struct error *err)
{
	if (imap_cmd_finish(imap, cmd, err) < 0)
		return -1;
	return cmd->ok ? 0 : imap_cmd_error(imap, cmd, err);
}

void
imap_cmd_free(struct imap_cmd *cmd)
{
	buf_free(&cmd->code_args);
}

int
imap_cmd_run(struct imap *imap, struct imap_cmd *cmd, struct error *err)
{
	int rc = imap_cmd_send(imap, cmd, err) < 0 ? -1 :
	    imap_cmd_wait(imap, cmd, err);

	imap_cmd_free(cmd);
	return rc;
}

int
imap_cmd_error(struct imap *imap, const struct imap_cmd *cmd,
    struct error *err)
{
	(void)imap;
	if (cmd->text[0])
		return error_set(err, "IMAP server refused %s: %s", cmd->name,
		    cmd->text);
	return error_set(err, "IMAP server refused %s", cmd->name);
}

static void
join_args(struct buf *b, const struct imap_arg *a)
{
	for (; a; a = a->next) {
		if (b->len)
			buf_addch(b, ' ');
		if (a->type == IMAP_ARG_LIST) {
			buf_addch(b, '(');
			join_args(b, a->list);
			buf_addch(b, ')');
		} else {
			buf_add(b, a->str, a->len);
		}
	}
}

static void
set_text(struct imap *imap, char *dst, const char *text)
{
	struct buf b = BUF_INIT;

	dst[0] = '\0';
	if (!imap->trusted)
		return; /* pre-TLS text is never shown */
	str_clean_display(&b, text, strlen(text), 0);
	str_lcpy(dst, buf_cstr(&b), IMAP_TEXT_MAX);
	buf_free(&b);
}

static int
tagged(struct imap *imap, const struct imap_resp *r, struct error *err)
{
	struct imap_cmd **pp, *cmd;

	for (pp = &imap->pending; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->tag, r->tag) == 0)
			break;
	if ((cmd = *pp) == NULL) {
		error_set(err, "IMAP server %s answered a command that was "
		    "never sent", conn_host(imap->conn));
		return imap_dead(imap, err);
	}
	*pp = cmd->next;
	cmd->next = NULL;
	cmd->done = 1;
	conn_budget_start(imap->conn); /* an answer is progress */
	cmd->ok = str_casecmp(r->status, "OK") == 0;
	str_lcpy(cmd->status, r->status, sizeof(cmd->status));
	if (r->code) {
		str_lcpy(cmd->code, r->code, sizeof(cmd->code));
		buf_reset(&cmd->code_args);
		join_args(&cmd->code_args, r->code_args);
		if (str_casecmp(r->code, "CAPABILITY") == 0 && cmd->ok)
			imap_parse_caps(imap, r->code_args);
	}
	set_text(imap, cmd->text, r->text);
	return 0;
}

void
imap_event(struct imap *imap, const struct imap_event *ev)
{
	imap->events++;
	if (imap->ev_fn)
		imap->ev_fn(imap->ev_ctx, ev);
}

static int
untagged_default(struct imap *imap, const struct imap_resp *r)
{
	struct imap_event ev;
	const struct imap_arg *a = r->args, *fname;
	char text[IMAP_TEXT_MAX];

	memset(&ev, 0, sizeof(ev));
	if (r->status) {
		if (r->code && str_casecmp(r->code, "CAPABILITY") == 0)
			imap_parse_caps(imap, r->code_args);
		if (str_casecmp(r->status, "BYE") == 0) {
			imap->bye = 1; /* the server closes after BYE */
			set_text(imap, text, r->text);
			str_lcpy(imap->bye_text, text, sizeof(imap->bye_text));
			ev.kind = IMAP_EV_BYE;
			ev.text = text;
			if (imap->logged_in)
				imap_event(imap, &ev);
		} else if (r->code && str_casecmp(r->code, "ALERT") == 0 &&
		    imap->trusted && imap->logged_in) {
			set_text(imap, text, r->text);
			ev.kind = IMAP_EV_ALERT;
			ev.text = text;
			imap_event(imap, &ev);
		}
		return 0;
	}
	if (imap_arg_is(a, "CAPABILITY")) {
		imap_parse_caps(imap, a->next);
		return 0;
	}
	if (!imap->logged_in)
		return 0; /* nothing else counts before login */
	if (r->has_num && imap_arg_is(a->next, "EXISTS")) {
		ev.kind = IMAP_EV_EXISTS;
		ev.num = r->num;
		imap_event(imap, &ev);
	} else if (r->has_num && imap_arg_is(a->next, "EXPUNGE")) {
		ev.kind = IMAP_EV_EXPUNGE;
		ev.num = r->num;
		imap_event(imap, &ev);
	} else if (r->has_num && imap_arg_is(a->next, "FETCH")) {
		struct imap_msg m;

		if (imap_fetch_items(r, &m) < 0)
			return 0;
		ev.kind = IMAP_EV_FETCH;
		ev.num = m.seq;
		ev.uid = m.uid;
		ev.has_flags = m.has_flags;
		ev.flags = m.flags;
		ev.modseq = m.modseq;
		imap_event(imap, &ev);
	} else if (imap_arg_is(a, "VANISHED")) {
		/* RFC 7162: only after ENABLE QRESYNC.  Taken otherwise, a
		 * server could make the cache forget what it never said
		 * was expunged. */
		if (!imap->qresync) {
			if (!imap->vanished_warned)
				log_warn("IMAP server %s sent VANISHED "
				    "without QRESYNC enabled; ignored",
				    conn_host(imap->conn));
			imap->vanished_warned = 1; /* once, not per line */
			return 0;
		}
		a = a->next;
		if (a && a->type == IMAP_ARG_LIST) {
			ev.earlier = imap_arg_is(a->list, "EARLIER");
			a = a->next;
		}
		if ((ev.uidset = imap_arg_str(a)) == NULL ||
		    imap_uidset_foreach(ev.uidset, NULL, NULL) < 0)
			return 0;
		ev.kind = IMAP_EV_VANISHED;
		imap_event(imap, &ev);
	} else if ((imap_arg_is(a, "STATUS") && (fname = a->next) != NULL) ||
	    (imap_arg_is(a, "LIST") && (fname = imap_arg_nth(a, 3)) != NULL)) {
		/* NOTIFY: another folder's news, or a folder made, renamed
		 * or deleted (no command of ours asked: those take their
		 * answers first) */
		if (imap_arg_str(fname) == NULL)
			return 0;
		ev.kind = IMAP_EV_MAILBOX;
		if (imap_arg_is(a, "STATUS")) {
			struct imap_folder st;

			memset(&st, 0, sizeof(st));
			if (fname->next && fname->next->type == IMAP_ARG_LIST)
				imap_status_items(fname->next->list, &st);
			ev.uidvalidity = st.uidvalidity;
			ev.uidnext = st.uidnext;
			ev.modseq = st.highestmodseq;
		}
		if ((ev.folder = imap_folder_name(imap, fname->str,
		    fname->len)) == NULL)
			return 0;
		imap_event(imap, &ev);
	}
	return 0;
}

int
imap_dispatch(struct imap *imap, const struct imap_resp *r,
    struct error *err)
{
	struct imap_cmd *cmd, *next;
	int rc;

	if (r->kind == IMAP_RESP_TAGGED)
		return tagged(imap, r, err);
	if (r->kind == IMAP_RESP_CONT)
		return 0;
	if (imap->trusted || (r->status == NULL &&
	    imap_arg_is(r->args, "CAPABILITY"))) {
		for (cmd = imap->pending; cmd; cmd = next) {
			next = cmd->next;
			if (cmd->untagged == NULL)
				continue;
			if ((rc = cmd->untagged(imap, cmd, r, err)) < 0)
				return imap_dead(imap, err);
			if (rc > 0)
				return 0;
		}
	}
	return untagged_default(imap, r);
}

static const struct {
	const char *name;
	unsigned bit;
} capnames[] = {
	{ "IMAP4REV1", IMAP_CAP_IMAP4REV1 },
	{ "IMAP4REV2", IMAP_CAP_IMAP4REV2 },
	{ "STARTTLS", IMAP_CAP_STARTTLS },
	{ "LOGINDISABLED", IMAP_CAP_LOGINDISABLED },
	{ "AUTH=PLAIN", IMAP_CAP_AUTH_PLAIN },
	{ "SASL-IR", IMAP_CAP_SASL_IR },
	{ "AUTH=OAUTHBEARER", IMAP_CAP_AUTH_OAUTHBEARER },
	{ "AUTH=XOAUTH2", IMAP_CAP_AUTH_XOAUTH2 },
	{ "LITERAL+", IMAP_CAP_LITERALPLUS },
	{ "LITERAL-", IMAP_CAP_LITERALMINUS },
	{ "ENABLE", IMAP_CAP_ENABLE },
	{ "CONDSTORE", IMAP_CAP_CONDSTORE },
	{ "QRESYNC", IMAP_CAP_QRESYNC },
	{ "UTF8=ACCEPT", IMAP_CAP_UTF8_ACCEPT },
	{ "NAMESPACE", IMAP_CAP_NAMESPACE },
	{ "LIST-STATUS", IMAP_CAP_LIST_STATUS },
	{ "SPECIAL-USE", IMAP_CAP_SPECIAL_USE },
	{ "LIST-EXTENDED", IMAP_CAP_LIST_EXTENDED },
	{ "IDLE", IMAP_CAP_IDLE },
	{ "UIDPLUS", IMAP_CAP_UIDPLUS },
	{ "MOVE", IMAP_CAP_MOVE },
	{ "ESEARCH", IMAP_CAP_ESEARCH },
	{ "NOTIFY", IMAP_CAP_NOTIFY },
	{ "ACL", IMAP_CAP_ACL },
};

void
imap_parse_caps(struct imap *imap, const struct imap_arg *a)
{
	size_t k;

	imap->caps = 0;
	imap->caps_known = 1;
	for (; a; a = a->next)
		for (k = 0; k < sizeof(capnames) / sizeof(capnames[0]); k++)
			if (imap_arg_is(a, capnames[k].name))
				imap->caps |= capnames[k].bit;
	imap->caps &= ~(imap->ignore_caps &
	    ~(unsigned)(IMAP_CAP_STARTTLS | IMAP_CAP_LOGINDISABLED));
}

unsigned
imap_parse_flags(const struct imap_arg *a)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
		{ "\\Seen", IMAP_FLAG_SEEN }, { "\\Answered", IMAP_FLAG_ANSWERED },
		{ "\\Flagged", IMAP_FLAG_FLAGGED },
		{ "\\Deleted", IMAP_FLAG_DELETED }, { "\\Draft", IMAP_FLAG_DRAFT },
		{ "\\Recent", IMAP_FLAG_RECENT },
		{ "$Forwarded", IMAP_FLAG_FORWARDED },
	};
	unsigned flags = 0;
	size_t k;

	for (; a; a = a->next)
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (imap_arg_is(a, names[k].name))
				flags |= names[k].bit;
	return flags;
}

static const char *
parse_num(const char *s, uint32_t *v_r)
{
	uint64_t n = 0;

	if (*s == '*') {
		*v_r = UINT32_MAX;
		return s + 1;
	}
	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9') {
		n = n * 10 + (uint64_t)(*s++ - '0');
		if (n > UINT32_MAX)
			return NULL;
	}
	*v_r = (uint32_t)n;
	return s;
}

void
imap_uidset_add(struct buf *set, uint32_t lo, uint32_t hi)
{
	buf_printf(set, set->len ? ",%u" : "%u", lo);
	if (hi != lo)
		buf_printf(set, ":%u", hi);
}

int
imap_uidset_foreach(const char *s, int (*fn)(void *, uint32_t, uint32_t),
    void *ctx)
{
	uint32_t lo, hi;
	int r;

	if (*s == '\0')
		return -1;
	while (*s) {
		if ((s = parse_num(s, &lo)) == NULL)
			return -1;
		hi = lo;
		if (*s == ':' && (s = parse_num(s + 1, &hi)) == NULL)
			return -1;
		if (lo == 0 || hi == 0)
			return -1;
		if (fn && (r = fn(ctx, lo < hi ? lo : hi, lo < hi ? hi : lo)) != 0)
			return r;
		if (*s == ',' && s[1] != '\0')
			s++;
		else if (*s != '\0')
			return -1;
	}
	return 0;
}
