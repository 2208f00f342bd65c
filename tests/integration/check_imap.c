/*
 * Integration tests of net/imap against the real Dovecot of tests/server/
 * (run through with-dovecot, see imap.itest): login over IMAPS and
 * STARTTLS, wrong password, folder list with counts, SELECT and QRESYNC,
 * header and body fetches.  Changes (STORE, COPY, MOVE, EXPUNGE, IDLE) are
 * in check_imap_change.c.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_imap.h"
#include "core/buf.h"
#include "core/str.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v != NULL, "%s is not set (run under with-dovecot)",
	    name);
	return v;
}

unsigned itest_ignore_caps;

void
evlog_cb(void *ctx, const struct imap_event *ev)
{
	struct evlog *l = ctx;

	switch (ev->kind) {
	case IMAP_EV_EXISTS:
		l->exists++;
		l->last_exists = ev->num;
		break;
	case IMAP_EV_EXPUNGE:
		l->expunge++;
		break;
	case IMAP_EV_VANISHED:
		l->vanished++;
		l->vanished_earlier = ev->earlier;
		str_lcpy(l->vanished_set, ev->uidset, sizeof(l->vanished_set));
		break;
	case IMAP_EV_FETCH:
		if (l->fetch < EV_MAX) {
			l->fetch_uid[l->fetch] = ev->uid;
			l->fetch_flags[l->fetch] = ev->flags;
		}
		l->fetch++;
		break;
	case IMAP_EV_ALERT:
		l->alert++;
		break;
	case IMAP_EV_MAILBOX:
		l->mailbox++;
		str_lcpy(l->mailbox_name, ev->folder, sizeof(l->mailbox_name));
		l->mailbox_uidnext = ev->uidnext;
		l->mailbox_uidvalidity = ev->uidvalidity;
		l->mailbox_modseq = ev->modseq;
		break;
	case IMAP_EV_BYE:
		break;
	}
}

int
itest_try(const char *user, const char *password, enum imap_security sec,
    struct imap **imap_r, struct error *err)
{
	struct imap_opts o;
	char var[64];

	memset(&o, 0, sizeof(o));
	o.conn.host = env("POSTIE_TEST_HOST");
	o.conn.port = (unsigned)atoi(env(sec == IMAP_SEC_IMPLICIT ?
	    "POSTIE_TEST_IMAPS_PORT" : "POSTIE_TEST_IMAP_PORT"));
	o.conn.ca_file = env("POSTIE_TEST_CA");
	o.conn.tls_servername = env("POSTIE_TEST_NAME");
	o.conn.timeout = 20;
	o.security = sec;
	o.allow_plaintext = sec == IMAP_SEC_NONE;
	o.ignore_caps = itest_ignore_caps;
	snprintf(var, sizeof(var), "POSTIE_TEST_PASSWORD_%s", user);
	error_clear(err);
	if (imap_open(&o, imap_r, err) < 0)
		return -1;
	if (imap_login(*imap_r, user, password ? password : env(var),
	    err) < 0) {
		imap_close(imap_r);
		return -1;
	}
	return 0;
}

struct imap *
itest_open(const char *user, enum imap_security sec)
{
	struct imap *imap = NULL;
	struct error err;

	ck_assert_msg(itest_try(user, NULL, sec, &imap, &err) == 0,
	    "connect as %s: %s", user, err.msg);
	ck_assert_ptr_nonnull(imap);
	return imap;
}

const char *
itest_folder(const char *name)
{
	static char map[32][2][256];
	const char *prefix = getenv("POSTIE_TEST_FOLDER_PREFIX");
	const char *sep = getenv("POSTIE_TEST_SEPARATOR");
	size_t i, k;

	if (strcmp(name, "INBOX") == 0)
		return name;
	for (i = 0; i < 32 && map[i][0][0]; i++)
		if (strcmp(map[i][0], name) == 0)
			return map[i][1];
	ck_assert_uint_lt(i, 32);
	str_lcpy(map[i][0], name, sizeof(map[i][0]));
	snprintf(map[i][1], sizeof(map[i][1]), "%s%s", prefix ? prefix : "",
	    name);
	for (k = strlen(prefix ? prefix : ""); map[i][1][k]; k++)
		if (map[i][1][k] == '/' && sep && sep[0])
			map[i][1][k] = sep[0];
	return map[i][1];
}

int
itest_server_is(const char *server)
{
	const char *s = getenv("POSTIE_TEST_SERVER");

	return str_has_prefix(s ? s : "dovecot", server);
}

uint32_t
itest_count(struct imap *imap, const char *folder)
{
	struct error err;
	uint32_t n = 0, unseen, uidnext, uidvalidity;

	ck_assert_msg(imap_status(imap, folder, &n, &unseen, &uidnext,
	    &uidvalidity, &err) == 0, "STATUS %s: %s", folder, err.msg);
	return n;
}

struct uids {
	uint32_t *v;
	unsigned n, max;
	unsigned flags;
};

static int
uid_cb(void *ctx, const struct imap_msg *m)
{
	struct uids *u = ctx;

	if (u->n < u->max)
		u->v[u->n++] = m->uid;
	u->flags = m->flags;
	return 0;
}

unsigned
itest_uids(struct imap *imap, uint32_t *v, unsigned max)
{
	struct uids u = { v, 0, max, 0 };
	struct error err;

	ck_assert_msg(imap_fetch(imap, "1:*", IMAP_FETCH_FLAGS, 0, uid_cb, &u,
	    &err) == 0, "%s", err.msg);
	return u.n;
}

unsigned
itest_changed(struct imap *imap, uint64_t modseq, uint32_t *v, unsigned max)
{
	struct uids u = { v, 0, max, 0 };
	struct error err;

	ck_assert_msg(imap_fetch(imap, "1:*", IMAP_FETCH_FLAGS, modseq, uid_cb,
	    &u, &err) == 0, "%s", err.msg);
	return u.n;
}

unsigned
itest_flags(struct imap *imap, uint32_t uid)
{
	uint32_t v[1];
	struct uids u = { v, 0, 1, 0 };
	struct error err;
	char set[16];

	snprintf(set, sizeof(set), "%u", (unsigned)uid);
	ck_assert_msg(imap_fetch(imap, set, IMAP_FETCH_FLAGS, 0, uid_cb, &u,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(u.n, 1);
	return u.flags;
}

START_TEST(test_imaps_login)
{
	struct imap *imap = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct error err;

	ck_assert(imap_alive(imap));
	ck_assert_msg(str_has_prefix(imap_security_desc(imap), "TLS"), "%s",
	    imap_security_desc(imap));
	ck_assert(imap_has_cap(imap, IMAP_CAP_IDLE));
	/* Courier-IMAP 5.0 offers neither CONDSTORE nor QRESYNC. */
	ck_assert(imap_qresync(imap) == !itest_server_is("courier"));
	ck_assert(imap_condstore(imap) == !itest_server_is("courier"));
	ck_assert_int_eq(imap_noop(imap, &err), 0);
	ck_assert_int_eq(imap_logout(&imap, &err), 0);
	ck_assert_ptr_null(imap);
}
END_TEST

START_TEST(test_starttls)
{
	struct imap *imap = itest_open("alice", IMAP_SEC_STARTTLS);
	struct error err;

	ck_assert_msg(str_has_prefix(imap_security_desc(imap), "TLS"), "%s",
	    imap_security_desc(imap));
	/* Capabilities were asked again after TLS: login worked and the
	 * post-login list has IDLE. */
	ck_assert(imap_has_cap(imap, IMAP_CAP_IDLE));
	ck_assert(!imap_has_cap(imap, IMAP_CAP_STARTTLS) ||
	    imap_has_cap(imap, IMAP_CAP_STARTTLS));
	ck_assert_int_eq(imap_logout(&imap, &err), 0);
}
END_TEST

START_TEST(test_wrong_password)
{
	struct imap *imap = NULL;
	struct error err;

	ck_assert_int_eq(itest_try("alice", "not-the-password",
	    IMAP_SEC_IMPLICIT, &imap, &err), -1);
	ck_assert_ptr_null(imap);
	ck_assert_msg(strstr(err.msg, "rejected the login of alice") != NULL,
	    "%s", err.msg);
	ck_assert(strstr(err.msg, "not-the-password") == NULL);
	/* Same over STARTTLS. */
	ck_assert_int_eq(itest_try("bob", "nope-nope", IMAP_SEC_STARTTLS,
	    &imap, &err), -1);
	ck_assert_msg(strstr(err.msg, "rejected the login of bob") != NULL,
	    "%s", err.msg);
}
END_TEST

START_TEST(test_plaintext_allowed)
{
	/* An account with tls = none (allow_plaintext): Dovecot allows
	 * plaintext logins from 127.0.0.1, and the session says so. */
	struct imap *imap = NULL;
	struct error err;

	ck_assert_msg(itest_try("carol", NULL, IMAP_SEC_NONE, &imap,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(imap_security_desc(imap), "plaintext");
	ck_assert_int_eq(imap_logout(&imap, &err), 0);
}
END_TEST

#define MAXF 64

struct flist {
	struct {
		char name[128];
		char delim;
		unsigned attrs;
		int has_status;
		uint32_t messages, unseen;
	} f[MAXF];
	int n;
};

static int
folder_cb(void *ctx, const struct imap_folder *f)
{
	struct flist *l = ctx;

	ck_assert_int_lt(l->n, MAXF);
	str_lcpy(l->f[l->n].name, f->name, sizeof(l->f[0].name));
	l->f[l->n].delim = f->delim;
	l->f[l->n].attrs = f->attrs;
	l->f[l->n].has_status = f->has_status;
	l->f[l->n].messages = f->messages;
	l->f[l->n].unseen = f->unseen;
	l->n++;
	return 0;
}

static int
find(const struct flist *l, const char *name)
{
	int k;

	for (k = 0; k < l->n; k++)
		if (strcmp(l->f[k].name, name) == 0)
			return k;
	ck_abort_msg("folder %s not listed", name);
	return -1;
}

static unsigned
files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned n = 0;

	ck_assert_msg(d != NULL, "%s", dir);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

START_TEST(test_list)
{
	struct imap *imap = itest_open("alice", IMAP_SEC_IMPLICIT);
	static const char *const names[] = { "INBOX", "Sent", "Drafts",
		"Trash", "Junk", "Archive", "Work", "Work/Projects",
		"Entw\xc3\xbcrfe" };
	struct flist l;
	struct error err;
	char path[1024], *prefix = NULL, delim = 0;
	uint32_t m, u;
	size_t k;
	int i;

	memset(&l, 0, sizeof(l));
	ck_assert_msg(imap_list(imap, folder_cb, &l, &err) == 0, "%s",
	    err.msg);
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		i = find(&l, F(names[k]));
		/* Courier has no LIST-STATUS: the engine asks STATUS. */
		ck_assert(l.f[i].has_status);
		/* Counts match what STATUS says. */
		ck_assert_int_eq(imap_status(imap, F(names[k]), &m, &u, NULL,
		    NULL, &err), 0);
		ck_assert_uint_eq(l.f[i].messages, m);
		ck_assert_uint_eq(l.f[i].unseen, u);
		ck_assert_int_eq(l.f[i].delim, env("POSTIE_TEST_SEPARATOR")[0]);
	}
	/* Courier-IMAP 5.0 has no SPECIAL-USE. */
	if (!itest_server_is("courier")) {
		ck_assert(l.f[find(&l, F("Sent"))].attrs & IMAP_FOLDER_SENT);
		ck_assert(l.f[find(&l, F("Trash"))].attrs & IMAP_FOLDER_TRASH);
	}
	ck_assert(l.f[find(&l, F("Work"))].attrs & IMAP_FOLDER_HASCHILDREN);
	ck_assert_uint_ge(l.f[find(&l, F("Entw\xc3\xbcrfe"))].messages, 1);
	/* And what is on disk (Cyrus's store is not a Maildir). */
	i = find(&l, "INBOX");
	if (getenv("POSTIE_TEST_MAILDIR_alice")) {
		snprintf(path, sizeof(path), "%s/cur",
		    env("POSTIE_TEST_MAILDIR_alice"));
		m = files_in(path);
		snprintf(path, sizeof(path), "%s/new",
		    env("POSTIE_TEST_MAILDIR_alice"));
		m += files_in(path);
		ck_assert_uint_eq(l.f[i].messages, m);
	}
	ck_assert_uint_ge(l.f[i].unseen, 1);
	ck_assert_int_eq(imap_namespace(imap, &prefix, &delim, &err), 0);
	ck_assert_str_eq(prefix, env("POSTIE_TEST_FOLDER_PREFIX"));
	ck_assert_int_eq(delim, env("POSTIE_TEST_SEPARATOR")[0]);
	free(prefix);
	imap_close(&imap);
}
END_TEST

/* The same folders, roles and hierarchy without counts. */
START_TEST(test_list_names)
{
	struct imap *imap = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct flist with, without;
	struct error err;
	int k, i;

	memset(&with, 0, sizeof(with));
	memset(&without, 0, sizeof(without));
	ck_assert_msg(imap_list(imap, folder_cb, &with, &err) == 0, "%s",
	    err.msg);
	ck_assert_msg(imap_list_names(imap, folder_cb, &without, &err) == 0,
	    "%s", err.msg);
	ck_assert_int_eq(without.n, with.n);
	for (k = 0; k < with.n; k++) {
		i = find(&without, with.f[k].name);
		ck_assert_int_eq(without.f[i].has_status, 0);
		ck_assert_uint_eq(without.f[i].messages, 0);
		ck_assert_uint_eq(without.f[i].attrs, with.f[k].attrs);
		ck_assert_int_eq(without.f[i].delim, with.f[k].delim);
	}
	imap_close(&imap);
}
END_TEST

struct hdrs {
	unsigned n;
	uint32_t uid[64], seq[64];
	uint64_t size[64];
	int subject, bodystructure;
	time_t date;
};

static int
hdr_cb(void *ctx, const struct imap_msg *m)
{
	struct hdrs *h = ctx;

	ck_assert_uint_lt(h->n, 64);
	ck_assert_uint_gt(m->uid, 0);
	ck_assert(m->has_flags);
	ck_assert_msg(m->internaldate > 1000000000, "%lld",
	    (long long)m->internaldate);
	ck_assert_uint_gt(m->size, 0);
	ck_assert_ptr_nonnull(m->header);
	ck_assert_uint_gt(m->header_len, 0);
	h->subject += strstr(m->header, "Subject:") != NULL;
	h->bodystructure += m->bodystructure != NULL;
	h->uid[h->n] = m->uid;
	h->seq[h->n] = m->seq;
	h->size[h->n] = m->size;
	h->n++;
	return 0;
}

struct sinkbuf {
	struct buf b;
};

static int
sink(void *ctx, uint64_t size, uint64_t off, const void *d, size_t n)
{
	struct sinkbuf *s = ctx;

	ck_assert_uint_eq(off, s->b.len);
	ck_assert_uint_le(off + n, size);
	buf_add(&s->b, d, n);
	return 0;
}

START_TEST(test_fetch)
{
	struct imap *imap = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap_mailbox mb;
	struct hdrs h;
	struct sinkbuf whole = { BUF_INIT }, part = { BUF_INIT };
	struct error err;
	uint64_t got;
	char set[32];

	ck_assert_int_eq(imap_select(imap, "INBOX", 1, NULL, &mb, &err), 0);
	ck_assert(mb.readonly);
	ck_assert_uint_ge(mb.exists, 5);
	/* Newest first in two chunks, by sequence number. */
	memset(&h, 0, sizeof(h));
	snprintf(set, sizeof(set), "%u:%u", mb.exists - 1, mb.exists);
	ck_assert_msg(imap_fetch(imap, set, IMAP_FETCH_BYSEQ |
	    IMAP_FETCH_FLAGS | IMAP_FETCH_HEADERS, 0, hdr_cb, &h, &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(h.n, 2);
	snprintf(set, sizeof(set), "1:%u", mb.exists - 2);
	ck_assert_int_eq(imap_fetch(imap, set, IMAP_FETCH_BYSEQ |
	    IMAP_FETCH_FLAGS | IMAP_FETCH_HEADERS | IMAP_FETCH_BODYSTRUCTURE,
	    0, hdr_cb, &h, &err), 0);
	ck_assert_uint_eq(h.n, mb.exists);
	ck_assert_uint_eq(h.subject, mb.exists);
	ck_assert_uint_eq(h.bodystructure, mb.exists - 2);
	/* Whole body of the first message: as many bytes as RFC822.SIZE. */
	ck_assert_msg(imap_fetch_body(imap, h.uid[2], "", 0, 0, sink, &whole,
	    &got, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(got, h.size[2]);
	ck_assert_uint_eq(whole.b.len, h.size[2]);
	ck_assert_ptr_nonnull(strstr(whole.b.data, "Subject:"));
	/* Partial. */
	ck_assert_int_eq(imap_fetch_body(imap, h.uid[2], "", 3, 10, sink, &part,
	    &got, &err), 0);
	ck_assert_uint_eq(got, 10);
	ck_assert(memcmp(part.b.data, whole.b.data + 3, 10) == 0);
	/* A UID that does not exist. */
	ck_assert_int_eq(imap_fetch_body(imap, 999999, "", 0, 0, sink, &part,
	    &got, &err), -1);
	ck_assert_msg(strstr(err.msg, "no longer exists") != NULL, "%s",
	    err.msg);
	ck_assert(imap_alive(imap));
	buf_free(&whole.b);
	buf_free(&part.b);
	imap_close(&imap);
}
END_TEST

/*
 * Two commands on their way: ending the first reads its messages (and
 * perhaps some of the second's); ending the second reads the rest.
 */
START_TEST(test_fetch_two)
{
	struct imap *imap = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap_fetch_op *op[2];
	struct imap_mailbox mb;
	struct hdrs h;
	struct error err;
	unsigned i, mine;
	char set[32];

	ck_assert_int_eq(imap_select(imap, "INBOX", 1, NULL, &mb, &err), 0);
	ck_assert_uint_ge(mb.exists, 5);
	memset(&h, 0, sizeof(h));
	snprintf(set, sizeof(set), "%u:%u", mb.exists - 2, mb.exists);
	ck_assert_int_eq(imap_fetch_send(imap, set, IMAP_FETCH_BYSEQ |
	    IMAP_FETCH_FLAGS | IMAP_FETCH_HEADERS, 0, hdr_cb, &h, &op[0],
	    &err), 0);
	snprintf(set, sizeof(set), "1:%u", mb.exists - 3);
	ck_assert_int_eq(imap_fetch_send(imap, set, IMAP_FETCH_BYSEQ |
	    IMAP_FETCH_FLAGS | IMAP_FETCH_HEADERS, 0, hdr_cb, &h, &op[1],
	    &err), 0);
	ck_assert_int_eq(imap_fetch_end(imap, &op[0], &err), 0);
	ck_assert_ptr_null(op[0]);
	for (i = 0, mine = 0; i < h.n; i++)
		mine += h.seq[i] >= mb.exists - 2;
	ck_assert_uint_eq(mine, 3);
	ck_assert_msg(imap_fetch_end(imap, &op[1], &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(h.n, mb.exists);
	ck_assert_uint_eq(h.subject, mb.exists);
	ck_assert(imap_alive(imap));
	imap_close(&imap);
}
END_TEST

START_TEST(test_select_nonascii)
{
	struct imap *imap = itest_open("alice", IMAP_SEC_STARTTLS);
	struct imap_mailbox mb;
	struct error err;

	ck_assert_msg(imap_select(imap, F("Entw\xc3\xbcrfe"), 0, NULL, &mb,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_ge(mb.exists, 1);
	ck_assert_int_eq(imap_select(imap, F("Work/Projects"), 0, NULL, &mb,
	    &err), 0);
	ck_assert_uint_ge(mb.exists, 1);
	ck_assert_int_eq(imap_select(imap, "No/Such/Folder", 0, NULL, &mb,
	    &err), -1);
	ck_assert_msg(strstr(err.msg, "refused SELECT") != NULL, "%s",
	    err.msg);
	imap_close(&imap);
}
END_TEST

START_TEST(test_qresync)
{
	struct imap *a = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap *b = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap *c;
	struct imap_mailbox mb1, mb2;
	struct imap_qresync qr;
	struct evlog ev;
	struct error err;
	uint32_t uids[64];
	unsigned n;
	char set[16];

	if (itest_server_is("courier")) {
		/* Courier-IMAP 5.0 has neither CONDSTORE nor QRESYNC. */
		imap_close(&a);
		imap_close(&b);
		return;
	}
	ck_assert_int_eq(imap_select(a, "INBOX", 0, NULL, &mb1, &err), 0);
	ck_assert_uint_gt(mb1.uidvalidity, 0);
	ck_assert_uint_gt(mb1.highestmodseq, 0);
	n = itest_uids(a, uids, 64);
	ck_assert_uint_eq(n, mb1.exists);
	imap_close(&a);

	/* Another client flags the first message and expunges the last. */
	ck_assert_int_eq(imap_select(b, "INBOX", 0, NULL, &mb2, &err), 0);
	snprintf(set, sizeof(set), "%u", (unsigned)uids[0]);
	ck_assert_int_eq(imap_store(b, set, 1, IMAP_FLAG_FLAGGED, &err), 0);
	snprintf(set, sizeof(set), "%u", (unsigned)uids[n - 1]);
	ck_assert_int_eq(imap_store(b, set, 1, IMAP_FLAG_DELETED, &err), 0);
	ck_assert_int_eq(imap_expunge(b, set, &err), 0);
	imap_close(&b);

	/* Reopen with what we knew: only the changes come back. */
	c = itest_open("alice", IMAP_SEC_IMPLICIT);
	memset(&ev, 0, sizeof(ev));
	imap_set_event_cb(c, evlog_cb, &ev);
	qr.uidvalidity = mb1.uidvalidity;
	qr.modseq = mb1.highestmodseq;
	qr.known_uids = NULL;
	ck_assert_msg(imap_select(c, "INBOX", 0, &qr, &mb2, &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(mb2.uidvalidity, mb1.uidvalidity);
	ck_assert_uint_gt(mb2.highestmodseq, mb1.highestmodseq);
	ck_assert_uint_eq(mb2.exists, mb1.exists - 1);
	ck_assert_int_eq(ev.vanished, 1);
	ck_assert(ev.vanished_earlier);
	snprintf(set, sizeof(set), "%u", (unsigned)uids[n - 1]);
	ck_assert_str_eq(ev.vanished_set, set);
	ck_assert_int_eq(ev.fetch, 1);
	ck_assert_uint_eq(ev.fetch_uid[0], uids[0]);
	ck_assert(ev.fetch_flags[0] & IMAP_FLAG_FLAGGED);
	/* A CHANGEDSINCE fetch gives the same single change. */
	memset(&ev, 0, sizeof(ev));
	{
		uint32_t got[8];

		ck_assert_uint_eq(itest_changed(c, mb1.highestmodseq, got, 8), 1);
		ck_assert_uint_eq(got[0], uids[0]);
		/* The expunged UID was the highest: in "UID FETCH 1:*", Cyrus
		 * reads "*" as the highest UID left (RFC 3501 6.4.8) and so
		 * reports no VANISHED; Dovecot counts it in. */
		ck_assert_int_eq(ev.vanished, itest_server_is("cyrus") ? 0 : 1);
	}
	imap_close(&c);
}
END_TEST

START_TEST(test_qresync_uidvalidity_changed)
{
	struct imap *c = itest_open("alice", IMAP_SEC_IMPLICIT);
	struct imap_mailbox mb;
	struct imap_qresync qr = { 12345, 1, NULL };
	struct evlog ev;
	struct error err;

	memset(&ev, 0, sizeof(ev));
	imap_set_event_cb(c, evlog_cb, &ev);
	/* Without QRESYNC (Courier) the engine ignores qr: still true. */
	ck_assert_int_eq(imap_select(c, "INBOX", 1, &qr, &mb, &err), 0);
	ck_assert_uint_ne(mb.uidvalidity, 12345);
	ck_assert_int_eq(ev.vanished, 0);
	ck_assert_int_eq(ev.fetch, 0);
	imap_close(&c);
}
END_TEST

static Suite *
imap_suite(void)
{
	Suite *s = suite_create("imap");
	TCase *tc = tcase_create("dovecot");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_imaps_login);
	tcase_add_test(tc, test_starttls);
	tcase_add_test(tc, test_wrong_password);
	tcase_add_test(tc, test_plaintext_allowed);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_list_names);
	tcase_add_test(tc, test_fetch);
	tcase_add_test(tc, test_fetch_two);
	tcase_add_test(tc, test_select_nonascii);
	tcase_add_test(tc, test_qresync_uidvalidity_changed);
	tcase_add_test(tc, test_qresync);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (getenv("POSTIE_TEST_HOST") == NULL) {
		fprintf(stderr, "not under tests/server/with-dovecot\n");
		return 77;
	}
	sr = srunner_create(imap_suite());
	srunner_add_suite(sr, imap_change_suite());
	srunner_add_suite(sr, imap_mbox_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
