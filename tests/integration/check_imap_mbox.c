/* CREATE, RENAME, DELETE, SUBSCRIBE and UNSUBSCRIBE (net/imap_folder.c)
 * against the harness's server, checked by LIST and STATUS on the same
 * session and, under Dovecot, on its Maildir (LAYOUT=fs: a folder is a
 * directory) and its subscriptions file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/str.h"
#include "tests/integration/check_imap.h"

#define MAXN 64

struct names {
	char v[MAXN][128];
	int n;
};

static int
name_cb(void *ctx, const struct imap_folder *f)
{
	struct names *l = ctx;

	if (l->n < MAXN)
		str_lcpy(l->v[l->n++], f->name, sizeof(l->v[0]));
	return 0;
}

/* 1 if LIST shows name. */
static int
listed(struct imap *imap, const char *name)
{
	struct names l;
	struct error err;
	int k;

	memset(&l, 0, sizeof(l));
	ck_assert_msg(imap_list_names(imap, name_cb, &l, &err) == 0, "%s",
	    err.msg);
	for (k = 0; k < l.n; k++)
		if (strcmp(l.v[k], name) == 0)
			return 1;
	return 0;
}

/* Under Dovecot: 1 if the folder's directory is in alice's Maildir, -1
 * when the harness runs another server. */
static int
on_disk(const char *name)
{
	const char *md = getenv("POSTIE_TEST_MAILDIR_alice");
	char path[1024];
	struct stat st;

	if (md == NULL || !itest_server_is("dovecot"))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", md, name);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Under Dovecot: 1 if the subscriptions file names the folder (as the
 * server spells it: modified UTF-7), -1 when another server runs. */
static int
subscribed(const char *name)
{
	const char *md = getenv("POSTIE_TEST_MAILDIR_alice");
	char path[1024], line[512];
	FILE *fp;
	int hit = 0;

	if (md == NULL || !itest_server_is("dovecot"))
		return -1;
	snprintf(path, sizeof(path), "%s/subscriptions", md);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		/* Version 2 writes the levels separated by TAB. */
		for (char *p = line; *p; p++)
			if (*p == '\t')
				*p = '/';
		hit |= strcmp(line, name) == 0;
	}
	fclose(fp);
	return hit;
}

START_TEST(test_create_rename_delete)
{
	struct imap *imap = itest_open("alice", IMAP_SEC_IMPLICIT);
	const char *a = F("Mbox A"), *sub = F("Mbox A/Inner");
	const char *b = F("Mbox B"), *bsub = F("Mbox B/Inner");
	static const char msg[] = "From: a@example.org\r\nSubject: kept\r\n"
	    "\r\nbody\r\n";
	uint32_t m, u, next, val, val2;
	struct error err;

	ck_assert_int_eq(listed(imap, a), 0);
	ck_assert_msg(imap_create(imap, a, &err) == 0, "%s", err.msg);
	ck_assert_msg(imap_create(imap, sub, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(listed(imap, a), 1);
	ck_assert_int_ne(on_disk("Mbox A"), 0);
	/* A second CREATE is the server's NO, as one sentence. */
	ck_assert_int_eq(imap_create(imap, a, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "refused CREATE"));
	ck_assert(imap_alive(imap));

	ck_assert_msg(imap_append(imap, sub, 0, msg, sizeof(msg) - 1, NULL,
	    &err) == 0, "%s", err.msg);
	ck_assert_int_eq(imap_status(imap, sub, &m, &u, &next, &val, &err),
	    0);
	ck_assert_uint_eq(m, 1);

	/* RENAME takes the subfolder and its message along. */
	ck_assert_msg(imap_rename(imap, a, b, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(listed(imap, a), 0);
	ck_assert_int_eq(listed(imap, sub), 0);
	ck_assert_int_eq(listed(imap, b), 1);
	ck_assert_int_eq(listed(imap, bsub), 1);
	ck_assert_int_ne(on_disk("Mbox B/Inner"), 0);
	ck_assert_int_ne(on_disk("Mbox A"), 1);
	ck_assert_int_eq(imap_status(imap, bsub, &m, &u, &next, &val2, &err),
	    0);
	ck_assert_uint_eq(m, 1);
	/* Dovecot keeps the UIDVALIDITY: a cache may keep its rows. */
	if (itest_server_is("dovecot"))
		ck_assert_uint_eq(val2, val);

	/* A folder that is not there cannot be renamed or deleted.
	 * Courier-IMAP 5.0 answers OK to the RENAME of a folder that is
	 * not there (seen in this test), so only its
	 * DELETE is checked there. */
	if (!itest_server_is("courier")) {
		ck_assert_int_eq(imap_rename(imap, a, F("Mbox C"), &err), -1);
		ck_assert_ptr_nonnull(strstr(err.msg, "refused RENAME"));
	}
	ck_assert_int_eq(imap_delete(imap, a, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "refused DELETE"));

	/* DELETE goes with the messages. */
	ck_assert_msg(imap_delete(imap, bsub, &err) == 0, "%s", err.msg);
	ck_assert_msg(imap_delete(imap, b, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(listed(imap, bsub), 0);
	ck_assert_int_eq(listed(imap, b), 0);
	ck_assert_int_ne(on_disk("Mbox B/Inner"), 1);
	ck_assert(imap_alive(imap));
	imap_close(&imap);
}
END_TEST

START_TEST(test_subscribe)
{
	struct imap *imap = itest_open("alice", IMAP_SEC_IMPLICIT);
	const char *name = F("Abonn\xc3\xa9");
	struct error err;

	ck_assert_msg(imap_create(imap, name, &err) == 0, "%s", err.msg);
	ck_assert_int_ne(subscribed("Abonn&AOk-"), 1);
	ck_assert_msg(imap_subscribe(imap, name, 1, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_ne(subscribed("Abonn&AOk-"), 0);
	ck_assert_msg(imap_subscribe(imap, name, 0, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_ne(subscribed("Abonn&AOk-"), 1);
	ck_assert_msg(imap_delete(imap, name, &err) == 0, "%s", err.msg);
	imap_close(&imap);
}
END_TEST

Suite *
imap_mbox_suite(void)
{
	Suite *s = suite_create("imap_mbox");
	TCase *tc = tcase_create("dovecot");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_create_rename_delete);
	tcase_add_test(tc, test_subscribe);
	suite_add_tcase(s, tc);
	return s;
}
