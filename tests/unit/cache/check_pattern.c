/* Unit tests of cache/pattern: patterns run on a real index (SQLite file
 * with its FTS5 table), each compared with the messages it must find. */
#include <config.h>

#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "cache/db.h"
#include "cache/db_int.h"
#include "cache/pattern.h"
#include "check_cache.h"

/* Sunday 15 March 2026, 12:00 UTC (TZ=UTC for the whole run). */
#define NOW ((int64_t)1773576000)
#define DAY ((int64_t)86400)

static char dir[64], path[128];
static struct db *db;
static int64_t f1, f2, id[6];

static int64_t
add(int64_t folder, const char *from, const char *to, const char *cc,
    const char *subject, int64_t date, unsigned flags, int64_t size,
    int attach, const char *msgid, const char *refs, const char *text)
{
	struct db_msg m;
	struct error err;

	memset(&m, 0, sizeof(m));
	m.folder_id = folder;
	m.uid = 0;
	m.from = (char *)from;
	m.to = (char *)to;
	m.cc = (char *)cc;
	m.subject = (char *)subject;
	m.date = date;
	m.internal_date = date + 60;
	m.flags = flags;
	m.size = size;
	m.has_attachment = attach;
	m.message_id = (char *)msgid;
	m.in_reply_to = (char *)refs;
	m.references = (char *)refs;
	m.text = (char *)text;
	error_clear(&err);
	if (db_msg_insert(db, &m, &err) < 0)
		ck_abort_msg("insert: %s", err.msg);
	return m.id;
}

static void
setup(void)
{
	struct error err;

	setenv("TZ", "UTC", 1);
	tzset();
	tmp_make(dir, sizeof(dir), "check_pattern");
	snprintf(path, sizeof(path), "%s/postie.db", dir);
	error_clear(&err);
	if (db_open(path, &db, &err) < 0 ||
	    db_folder_ensure(db, "acct", "INBOX", FOLDER_ROLE_INBOX, &f1,
	    &err) < 0 ||
	    db_folder_ensure(db, "acct", "Other", FOLDER_ROLE_NONE, &f2,
	    &err) < 0)
		ck_abort_msg("%s", err.msg);
	id[1] = add(f1, "Alice Martin <alice@example.org>", "bob@example.org",
	    "", "Quarterly report", NOW - 2 * DAY, MSG_SEEN, 2000, 0,
	    "<a1@example.org>", NULL, "the budget for Q3 is attached");
	/* Body text added later, as a sync does (the other way the kept
	 * search text is joined). */
	id[2] = add(f1, "Bob <bob@example.org>", "alice@example.org",
	    "carol@example.de", "Re: Quarterly report", NOW - 40 * DAY, 0,
	    2 * 1048576, 1, "<b2@example.org>", "<a1@example.org>", NULL);
	if (db_msg_set_text(db, id[2], "Person 39 agreed with the budgetary "
	    "plan", &err) < 0)
		ck_abort_msg("%s", err.msg);
	/* Body never fetched. */
	id[3] = add(f1, "Carol <carol@example.de>", "team@example.org",
	    "alice@example.org", "Lunch", NOW - 3600, MSG_FLAGGED, 500, 0,
	    "<c3@example.de>", NULL, NULL);
	id[4] = add(f1, "Dave <dave@example.com>", NULL, NULL,
	    "Person 3 notes", 1772323200 + 3600,
	    MSG_SEEN | MSG_ANSWERED | MSG_DELETED, 10000, 0, "<d4@x>", NULL,
	    "the notes of Person 3");
	id[5] = add(f2, "alice@example.org", NULL, NULL, "Other folder",
	    NOW - DAY, 0, 100, 0, NULL, NULL, NULL);
}

static void
teardown(void)
{
	db_close(&db);
	tmp_remove(dir);
}

/* want: message numbers (1..5) as a string of digits, "" for none. */
static void
expect(int64_t folder, const char *pattern, const char *want)
{
	struct error err;
	int64_t *ids = NULL;
	size_t n = 0, i;
	char got[16];
	int k;

	error_clear(&err);
	if (pattern_search(db, folder, pattern, (time_t)NOW, &ids, &n,
	    &err) < 0)
		ck_abort_msg("%s: %s", pattern, err.msg);
	ck_assert_ptr_nonnull(ids);
	for (i = 0; i < n && i < sizeof(got) - 1; i++) {
		for (k = 1; k <= 5 && id[k] != ids[i]; k++)
			;
		got[i] = k <= 5 ? (char)('0' + k) : '?';
	}
	got[i] = '\0';
	free(ids);
	ck_assert_msg(strcmp(got, want) == 0, "%s: found \"%s\", want \"%s\"",
	    pattern, got, want);
}

static const struct {
	const char *pattern, *want;
} cases[] = {
	/* Header fields; case ignored unless a capital is typed. */
	{ "~f alice", "1" },
	{ "~f ALICE", "" },
	{ "~f Alice", "1" },
	{ "~t alice", "2" },
	{ "~c alice", "3" },
	{ "~C alice", "23" },
	{ "~L alice", "123" },
	{ "!~c alice", "124" },
	{ "~s report", "12" },
	{ "~s ^re:", "2" },
	{ "~s report$", "12" },
	{ "~s rep.rt", "12" },
	{ "~s (Lunch|notes)", "34" },
	{ "~s \"(Lunch|notes)\"", "34" },
	{ "~s \"^(re|lu)\"", "23" },
	{ "=s rep.rt", "" },
	{ "~i a1@", "1" },
	{ "~x a1@example", "2" },
	{ "~h \"^subject: lunch\"", "3" },
	{ "~h \"^to: team\"", "3" },
	/* Flags. */
	{ "~U", "23" },
	{ "~N", "23" },
	{ "~R", "14" },
	{ "~F", "3" },
	{ "~D", "4" },
	{ "~Q", "4" },
	{ "~O", "" },
	{ "~T", "" },
	{ "~A", "1234" },
	{ "", "1234" },
	{ "!~U", "14" },
	/* Dates, relative to NOW and absolute; ~r is the arrival. */
	{ "~d <1m", "134" },
	{ "~d <1m ~U", "3" },
	{ "~d >1m", "2" },
	{ "~d 01/03/2026-", "134" },
	{ "~d 01/03/2026", "4" },
	{ "~d -28/02/2026", "2" },
	{ "~d =2d", "1" },
	{ "~d <2H", "3" },
	{ "~r <2H", "3" },
	/* Sizes and attachments. */
	{ "~z >1M", "2" },
	{ "~z <1K", "3" },
	{ "~z 1K-10K", "14" },
	{ "~X 1-", "2" },
	{ "~X 0", "134" },
	/* Operators. */
	{ "~s report | ~F", "123" },
	{ "~s report ~U | ~D", "24" },
	{ "!(~U | ~D)", "1" },
	/* Bodies: words through the FTS index, then the body itself. */
	{ "~b budget", "12" },
	{ "~b budgetary", "2" },
	{ "~b quarterly", "" },
	{ "~B quarterly", "12" },
	{ "~B lunch", "3" },
	{ "=b \"39 agreed\"", "2" },
	{ "~b Person", "24" },
	{ "~b person", "24" },
	{ "~b PERSON", "" },
	{ "~b \"with the budgetary\"", "2" },
	{ "~b \"the budgetary with\"", "" },
	{ "~b bud.et", "12" },
	{ "~b \"Person 3$\"", "4" },
	/* Plain words (prefixes) and quoted phrases (whole words, in order). */
	{ "Person 3", "24" },
	{ "\"Person 3\"", "4" },
	{ "\"person 39\"", "2" },
	{ "\"3 Person\"", "" },
	{ "budget ~U", "2" },
	{ "budget | lunch", "123" },
	{ "--", "" },
	/* What the user typed is bound, never SQL. */
	{ "~s \"x' OR 1=1 --\"", "" },
	{ "\"x')) OR 1=1 --\"", "" },
};

START_TEST(test_cases)
{
	expect(f1, cases[_i].pattern, cases[_i].want);
}
END_TEST

/* Leaving a folder makes its unread mail old; what arrives later is
 * new; each folder keeps its own mark. */
START_TEST(test_new_old)
{
	struct error err;
	int64_t mark = -1;

	error_clear(&err);
	ck_assert_int_eq(db_folder_old_mark(db, f1, &mark, &err), 0);
	ck_assert_int_eq(mark, 0);
	ck_assert_int_eq(db_folder_mark_old(db, f1, &err), 0);
	ck_assert_int_eq(db_folder_old_mark(db, f1, &mark, &err), 0);
	ck_assert_int_eq(mark, id[4]);
	expect(f1, "~N", "");
	expect(f1, "~O", "23");
	expect(f1, "~U", "23");
	expect(f2, "~N", "5");
	expect(f2, "~O", "");
	id[5] = add(f1, "eve@example.org", NULL, NULL, "Arrived later",
	    NOW, 0, 100, 0, NULL, NULL, NULL);
	expect(f1, "~N", "5");
	expect(f1, "~O", "23");
	expect(f1, "~O | ~N", "235");
}
END_TEST

START_TEST(test_all_folders)
{
	expect(0, "~f alice", "15");
	expect(f2, "~U", "5");
}
END_TEST

/* Parameters are bound: no string the user typed is in the SQL. */
START_TEST(test_bound)
{
	struct pattern *p = NULL;
	struct error err;

	error_clear(&err);
	ck_assert_int_eq(pattern_compile("~s \"Robert'); DROP TABLE "
	    "messages; --\" ~z >12345 evil\"word", (time_t)NOW, &p, &err), 0);
	ck_assert_ptr_null(strstr(pattern_sql(p), "Robert"));
	ck_assert_ptr_null(strstr(pattern_sql(p), "DROP"));
	ck_assert_ptr_null(strstr(pattern_sql(p), "12345"));
	ck_assert_ptr_null(strstr(pattern_sql(p), "evil"));
	pattern_free(&p);
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_parse_error)
{
	struct error err;
	int64_t *ids = NULL;
	size_t n = 7;

	error_clear(&err);
	ck_assert_int_eq(pattern_search(db, f1, "~d <2x", (time_t)NOW, &ids,
	    &n, &err), -1);
	ck_assert_str_eq(err.msg, "~d <2x: unknown unit 'x' at column 5");
	ck_assert_ptr_null(ids);
	ck_assert_uint_eq(n, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pattern");
	TCase *tc = tcase_create("index");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_cases, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_new_old);
	tcase_add_test(tc, test_all_folders);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_parse_error);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
