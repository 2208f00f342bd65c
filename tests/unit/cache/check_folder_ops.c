/*
 * Unit tests of the checks every folder operation passes before any
 * store or server sees it (cache/folder_ops.c): each refusal is one
 * sentence, and nothing is asked of a worker.
 */
#include "config.h"

#include <string.h>

#include "cache/cache.h"
#include "cache/db.h"
#include "tests/unit/cache/check_cache.h"

static char dir[64];
static struct config *cfg;
static struct cache *c;
static size_t imap;

static void
setup(void)
{
	struct cache_opts o = { NULL, NULL };
	struct error err;
	int64_t id;

	tmp_make(dir, sizeof(dir), "postie-fops");
	o.data_dir = o.cache_dir = dir;
	error_clear(&err);
	cfg = test_config(dir);
	ck_assert_msg(cache_open(cfg, &o, &c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(cache_account_find(c, "imap", &imap, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "INBOX",
	    FOLDER_ROLE_INBOX, &id, &err), 0);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "Work",
	    FOLDER_ROLE_NONE, &id, &err), 0);
}

static void
teardown(void)
{
	cache_close(&c);
	config_free(&cfg);
	tmp_remove(dir);
}

/* name is refused with a sentence holding said. */
static void
refused(const char *name, const char *said)
{
	struct error err;

	error_clear(&err);
	ck_assert_msg(cache_folder_name_check(c, imap, name, &err) == -1,
	    "'%s' accepted", name);
	ck_assert_msg(strstr(err.msg, said) != NULL, "'%s': %s", name,
	    err.msg);
}

START_TEST(bad_names)
{
	char longname[CACHE_FOLDER_NAME_MAX + 2];
	struct error err;

	refused("", "needs a name");
	refused("Work/", "cannot start or end with '/'");
	refused("/Work", "cannot start or end with '/'");
	refused("A//B", "twice in a row");
	refused("A/./B", "'.' and '..' are not folder names");
	refused("..", "'.' and '..' are not folder names");
	refused("Bad\xff" "name", "must be UTF-8 text (byte 4");
	refused("over\xc0\xaflong", "must be UTF-8");
	refused("tab\there", "control characters");
	refused("esc\x1b[31m", "control characters");
	refused("c1\xc2\x9b", "control characters");
	refused("what*", "cannot hold '*'");
	refused("100%", "cannot hold '%'");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	refused(longname, "too long (201 bytes; at most 200)");
	longname[CACHE_FOLDER_NAME_MAX] = '\0';
	error_clear(&err);
	ck_assert_int_eq(cache_folder_name_check(c, imap, longname, &err), 0);
	ck_assert_int_eq(cache_folder_name_check(c, imap, "Entw\xc3\xbc"
	    "rfe/2026 Q1", &err), 0);
	ck_assert_int_eq(cache_folder_name_check(c, imap, "a.b/..c", &err),
	    0);
}
END_TEST

static void
op_refused(enum cache_folder_op op, const char *name, const char *newname,
    const char *said)
{
	struct error err;
	uint64_t t = 0;

	error_clear(&err);
	ck_assert_int_eq(cache_folder_op(c, imap, op, name, newname, &t, &err),
	    -1);
	ck_assert_msg(strstr(err.msg, said) != NULL, "%s", err.msg);
	ck_assert_uint_eq(t, 0);
}

START_TEST(refusals_before_the_server)
{
	size_t pop;
	struct error err;

	error_clear(&err);
	op_refused(CACHE_FOLDER_DELETE, "INBOX", NULL,
	    "INBOX cannot be deleted");
	op_refused(CACHE_FOLDER_RENAME, "inbox", "Old",
	    "INBOX cannot be renamed");
	op_refused(CACHE_FOLDER_CREATE, "Work", NULL,
	    "there is already a folder Work");
	op_refused(CACHE_FOLDER_RENAME, "Work", "INBOX",
	    "there is already a folder INBOX");
	op_refused(CACHE_FOLDER_RENAME, "Work", "Work/Sub",
	    "Work cannot move inside itself");
	op_refused(CACHE_FOLDER_RENAME, "Work", NULL, "a new name is needed");
	op_refused(CACHE_FOLDER_RENAME, "Work", "Work/", "cannot start or end");
	op_refused(CACHE_FOLDER_DELETE, "Nope", NULL, "no folder Nope in imap");
	op_refused(CACHE_FOLDER_SUBSCRIBE, "Nope", NULL, "no folder Nope");
	ck_assert_int_eq(cache_account_find(c, "pop", &pop, &err), 0);
	error_clear(&err);
	ck_assert_int_eq(cache_folder_op(c, pop, CACHE_FOLDER_CREATE, "Local",
	    NULL, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "needs an IMAP account"));
	/* The check alone, before a question: the source only. */
	ck_assert_int_eq(cache_folder_op_check(c, imap, CACHE_FOLDER_RENAME,
	    "Work", NULL, &err), 0);
	ck_assert_int_eq(cache_folder_op_check(c, imap, CACHE_FOLDER_DELETE,
	    "INBOX", NULL, &err), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("folder_ops");
	TCase *tc = tcase_create("checks");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bad_names);
	tcase_add_test(tc, refusals_before_the_server);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
