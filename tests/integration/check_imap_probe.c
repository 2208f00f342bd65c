/*
 * A small client for the hostile-server runs (check_imap_hostile.py):
 * connects with net/imap as an account would, lists folders, selects
 * INBOX and fetches every header, like a first sync.  Prints what it
 * learnt (folders, events, headers) on stdout and, on failure, the
 * engine's sentence on stderr; exit 0 when everything worked.
 * Usage: check_imap_probe HOST PORT implicit|starttls|none USER PASSWORD
 *        CAFILE [FINGERPRINT]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap.h"

static int
folder_cb(void *ctx, const struct imap_folder *f)
{
	(void)ctx;
	printf("folder\t%s\t%u\t%u\n", f->name, (unsigned)f->messages,
	    (unsigned)f->unseen);
	return 0;
}

static int
msg_cb(void *ctx, const struct imap_msg *m)
{
	(void)ctx;
	printf("msg\t%u\t", (unsigned)m->uid);
	if (m->header)
		fwrite(m->header, 1, m->header_len, stdout);
	printf("\n");
	return 0;
}

static void
ev_cb(void *ctx, const struct imap_event *ev)
{
	(void)ctx;
	printf("event\t%d\t%u\t%u\t%s\n", (int)ev->kind, (unsigned)ev->num,
	    (unsigned)ev->uid, ev->text ? ev->text : ev->folder ? ev->folder :
	    "");
}

int
main(int argc, char **argv)
{
	struct imap_opts o;
	struct imap *imap = NULL;
	struct imap_mailbox mb;
	struct error err;

	if (argc < 7) {
		fprintf(stderr, "usage: check_imap_probe HOST PORT TLS USER "
		    "PASSWORD CAFILE [FINGERPRINT]\n");
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.conn.host = argv[1];
	o.conn.port = (unsigned)atoi(argv[2]);
	o.conn.timeout = getenv("PROBE_TIMEOUT") ?
	    (unsigned)atoi(getenv("PROBE_TIMEOUT")) : 3;
	o.conn.ca_file = argv[6];
	o.conn.fingerprint = argc > 7 ? argv[7] : NULL;
	o.security = strcmp(argv[3], "starttls") == 0 ? IMAP_SEC_STARTTLS :
	    strcmp(argv[3], "none") == 0 ? IMAP_SEC_NONE : IMAP_SEC_IMPLICIT;
	o.allow_plaintext = o.security == IMAP_SEC_NONE;
	error_clear(&err);
	if (imap_open(&o, &imap, &err) < 0 ||
	    imap_login(imap, argv[4], argv[5], &err) < 0)
		goto fail;
	imap_set_event_cb(imap, ev_cb, NULL);
	if (imap_list(imap, folder_cb, NULL, &err) < 0 ||
	    imap_select(imap, "INBOX", 1, NULL, &mb, &err) < 0)
		goto fail;
	if (mb.exists > 0 && imap_fetch(imap, "1:*", IMAP_FETCH_FLAGS |
	    IMAP_FETCH_HEADERS, 0, msg_cb, NULL, &err) < 0)
		goto fail;
	if (imap_logout(&imap, &err) < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "%s\n", err.msg);
	imap_close(&imap);
	return 1;
}
