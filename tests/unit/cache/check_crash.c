/* Crash test: a child process delivering POP3 downloads through the
 * cache is killed with SIGKILL at random moments, many times.  After
 * each kill the store opens, every message is either whole or absent,
 * none partial in new/ or cur/, each is indexed once, and every UIDL the
 * cache records as downloaded is on disk (nothing lost, nothing twice). */
#include <config.h>

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "cache/driver.h"
#include "cache/maildir.h"
#include "check_cache.h"
#include "core/buf.h"

#define ROUNDS 50

/* --- the POP3 driver stub: downloads made-up messages forever --- */

static int
stub_sync(struct cache_sync_ctx *ctx, int64_t folder_id, unsigned flags,
    struct error *err)
{
	struct maildir_delivery *d = NULL;
	char hdr[128], chunk[4096], uidl[64];
	unsigned long n;
	size_t len, off, k;

	memset(chunk, 'x', sizeof(chunk));
	for (n = 0; !cache_sync_cancelled(ctx); n++) {
		snprintf(uidl, sizeof(uidl), "u%ld-%lu", (long)getpid(), n);
		if (cache_sync_uidl_known(ctx, uidl, err) != 0)
			return -1;
		len = 1 + (size_t)random() % 48000;
		k = (size_t)snprintf(hdr, sizeof(hdr), "From: crash@x\n"
		    "Subject: %s\nX-Len: %zu\n\n", uidl, len);
		if (cache_sync_deliver_begin(ctx, &d, err) < 0 ||
		    maildir_deliver_write(d, hdr, k, err) < 0)
			goto fail;
		for (off = 0; off < len; off += k) {
			k = len - off < sizeof(chunk) ? len - off :
			    sizeof(chunk);
			if (maildir_deliver_write(d, chunk, k, err) < 0)
				goto fail;
		}
		if (maildir_deliver_write(d, "END\n", 4, err) < 0 ||
		    cache_sync_deliver_commit(ctx, &d, uidl, NULL, err) < 0)
			goto fail;
	}
	return 1;
fail:
	cache_sync_deliver_abort(&d);
	return -1;
}

const struct cache_driver cache_driver_pop3 = {
	"pop3", stub_sync, NULL, NULL, NULL, NULL, NULL,
	&cache_local_maildir, NULL,
};

static char dir[64];

static void
child(const struct config *cfg)
{
	struct cache_opts o = { dir, dir };
	struct cache *c = NULL;
	struct error err;

	srandom((unsigned)getpid());
	if (cache_open(cfg, &o, &c, &err) < 0 ||
	    cache_request_sync(c, 0, 0, 0, NULL, &err) < 0)
		_exit(3);
	for (;;)
		pause();
}

/* A whole message: its header says how long its body is. */
static int
whole(const struct buf *b)
{
	const char *p = strstr(b->data, "X-Len: "), *body;
	size_t len;

	if (p == NULL || (body = strstr(p, "\n\n")) == NULL)
		return 0;
	len = strtoul(p + 7, NULL, 10);
	body += 2;
	return (size_t)(b->data + b->len - body) == len + 4 &&
	    memcmp(b->data + b->len - 4, "END\n", 4) == 0;
}

struct tally {
	struct maildir *md;
	size_t files;
};

static int
check_file(void *arg, const struct maildir_entry *e, struct error *err)
{
	struct tally *t = arg;
	struct buf b = BUF_INIT;

	ck_assert_int_eq(maildir_read(t->md, e->key, &b, err), 1);
	ck_assert_msg(whole(&b), "partial message %s (%zu bytes)", e->key,
	    b.len);
	buf_free(&b);
	t->files++;
	return 0;
}

static void
verify(const struct config *cfg, size_t *delivered_r)
{
	struct cache_opts o = { dir, dir };
	struct cache *c = NULL;
	struct index *ix = NULL;
	struct tally t = { NULL, 0 };
	struct error err;
	struct db_uidl u;
	char path[128], **all, *file;
	size_t n, i, k;
	int64_t inbox;

	error_clear(&err);
	ck_assert_msg(cache_open(cfg, &o, &c, &err) == 0, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/Maildir", dir);
	ck_assert_int_eq(maildir_open(path, 0, &t.md, &err), 0);
	ck_assert_int_eq(maildir_scan(t.md, check_file, &t, &err), 0);
	/* Indexed exactly once each. */
	ck_assert_int_eq(cache_folder_find(c, 0, "INBOX", &inbox, &err), 0);
	ck_assert_int_eq(cache_index_open(c, inbox, INDEX_SORT_SUBJECT, 0,
	    &ix, &err), 0);
	ck_assert_uint_eq(index_count(ix), t.files);
	for (i = 1; i < index_count(ix); i++)
		ck_assert_str_ne(index_subject(ix, index_get(ix, i - 1)),
		    index_subject(ix, index_get(ix, i)));
	/* Every UIDL recorded as downloaded is on disk, and every message
	 * on disk is recorded (else it would be downloaded again). */
	ck_assert_int_eq(db_uidl_older(cache_db(c), "pop", INT64_MAX, &all,
	    &n, &err), 0);
	ck_assert_uint_eq(n, t.files);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(db_uidl_lookup(cache_db(c), "pop", all[i], &u,
		    &err), 1);
		ck_assert_int_eq(u.delivered, 1);
		ck_assert_int_eq(maildir_find(t.md, u.key, &file, &err), 1);
		free(file);
		free(all[i]);
		db_uidl_clear(&u);
	}
	free(all);
	/* No record left half-done. */
	{
		struct db_uidl *und;

		ck_assert_int_eq(db_uidl_undelivered(cache_db(c), "pop", &und,
		    &k, &err), 0);
		ck_assert_uint_eq(k, 0);
		free(und);
	}
	*delivered_r = t.files;
	index_free(&ix);
	maildir_close(&t.md);
	cache_close(&c);
}

START_TEST(kill_during_delivery)
{
	struct config *cfg;
	size_t round, delivered = 0, before;
	pid_t pid;
	int status;

	tmp_make(dir, sizeof(dir), "check_crash");
	cfg = test_config(dir);
	srandom((unsigned)time(NULL));
	for (round = 0; round < ROUNDS; round++) {
		before = delivered;
		fflush(NULL);
		if ((pid = fork()) == 0)
			child(cfg);
		ck_assert_int_gt(pid, 0);
		/* A kill at a random point of the delivery; until the
		 * first message is whole, later ones (a busy machine
		 * starts the child slowly), so that some rounds kill
		 * in the middle of the work rather than before it. */
		usleep(20000 + (useconds_t)(random() % 60000) +
		    (delivered ? 0 : (useconds_t)(round < 40 ? round : 40) *
		    50000));
		ck_assert_int_eq(kill(pid, SIGKILL), 0);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFSIGNALED(status), "the child failed early "
		    "(status %d)", status);
		verify(cfg, &delivered);
		ck_assert_uint_ge(delivered, before);
	}
	/* Some rounds must have delivered something. */
	ck_assert_uint_gt(delivered, 0);
	fprintf(stderr, "crash test: %d kills, %zu messages whole\n", ROUNDS,
	    delivered);
	config_free(&cfg);
	tmp_remove(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cache_crash");
	TCase *tc = tcase_create("crash");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, kill_during_delivery);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
