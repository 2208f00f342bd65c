/* Tests of cache/addrbook.c (ranking, parsing) and cache_addr_complete
 * (the index and query_command). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache/addrbook.h"
#include "cache/cache.h"
#include "tests/unit/cache/check_cache.h"

#define DAY 86400
#define NOW ((int64_t)1800000000)

static size_t
match(struct addrbook *ab, const char *q, struct addrbook_hit *h, size_t max)
{
	return addrbook_match(ab, q, h, max);
}

/* Often beats rarely at the same age; recent beats old at the same
 * count; much more often beats a little more recent. */
START_TEST(frequency_and_recency)
{
	struct addrbook *ab = addrbook_new(NOW);
	struct addrbook_hit h[8];
	int i;

	for (i = 0; i < 5; i++)
		addrbook_add(ab, "Ann Often", "ann@example.org", NOW - DAY,
		    ADDRBOOK_W_FROM);
	addrbook_add(ab, "Anna Once", "anna@example.org", NOW - DAY,
	    ADDRBOOK_W_FROM);
	addrbook_add(ab, "Andy Old", "andy@example.org", NOW - 400 * DAY,
	    ADDRBOOK_W_FROM);
	addrbook_add(ab, "Andy Old", "andy@example.org", NOW - 400 * DAY,
	    ADDRBOOK_W_FROM);
	addrbook_add(ab, "Ansel New", "ansel@example.org", NOW - 2 * DAY,
	    ADDRBOOK_W_FROM);
	addrbook_add(ab, "Ansel New", "ansel@example.org", NOW - 2 * DAY,
	    ADDRBOOK_W_FROM);
	ck_assert_uint_eq(match(ab, "an", h, 8), 4);
	ck_assert_str_eq(h[0].addr, "ann@example.org");
	ck_assert_str_eq(h[1].addr, "ansel@example.org");
	ck_assert_str_eq(h[2].addr, "anna@example.org");
	ck_assert_str_eq(h[3].addr, "andy@example.org");
	ck_assert(h[0].score > h[1].score && h[1].score > h[2].score &&
	    h[2].score > h[3].score);
	/* max cuts after ranking */
	ck_assert_uint_eq(match(ab, "an", h, 1), 1);
	ck_assert_str_eq(h[0].addr, "ann@example.org");
	addrbook_free(&ab);
	ck_assert_ptr_null(ab);
}
END_TEST

/* A word start (address or name) ranks above a mere substring, whatever
 * the scores; case does not matter. */
START_TEST(prefix_before_substring)
{
	struct addrbook *ab = addrbook_new(NOW);
	struct addrbook_hit h[8];
	int i;

	for (i = 0; i < 50; i++)
		addrbook_add(ab, "Joanne Roe", "jroe@example.org", NOW,
		    ADDRBOOK_W_SENT);
	addrbook_add(ab, "Anne Smith", "as@example.org", NOW - 300 * DAY,
	    ADDRBOOK_W_CC);
	addrbook_add(ab, NULL, "ANNETTE@Example.ORG", NOW - 300 * DAY,
	    ADDRBOOK_W_CC);
	ck_assert_uint_eq(match(ab, "ANNE", h, 8), 3);
	ck_assert_str_eq(h[0].addr, "ANNETTE@Example.ORG");
	ck_assert_str_eq(h[0].name, "");
	ck_assert_str_eq(h[1].addr, "as@example.org"); /* the name's word */
	ck_assert_str_eq(h[2].addr, "jroe@example.org"); /* inside "Joanne" */
	/* by domain: a substring of every address */
	ck_assert_uint_eq(match(ab, "example.org", h, 8), 3);
	ck_assert_str_eq(h[0].addr, "jroe@example.org");
	ck_assert_uint_eq(match(ab, "nobody", h, 8), 0);
	ck_assert_uint_eq(match(ab, "", h, 8), 3);
	addrbook_free(&ab);
}
END_TEST

/* The index's list form, names with ", ", the latest name kept, one
 * entry per address whatever its case, and the user's own addresses:
 * never offered, their recipients counted as sent to. */
START_TEST(lists_names_and_mine)
{
	struct addrbook *ab = addrbook_new(NOW);
	struct addrbook_hit h[8];

	addrbook_mine(ab, "Me@Example.org");
	addrbook_add_message(ab, "Bob Old <bob@example.org>",
	    "me@example.org, Martin, Carol <carol@example.org>, "
	    "dave@example.org, not an address, <>", NULL, NOW - 10 * DAY);
	addrbook_add_message(ab, "Robert Bob <BOB@example.org>",
	    "me@example.org", "x <bad address@x>", NOW - 5 * DAY);
	ck_assert_uint_eq(addrbook_size(ab), 3);
	ck_assert_uint_eq(match(ab, "bob", h, 8), 1);
	ck_assert_str_eq(h[0].name, "Robert Bob");
	ck_assert_str_eq(h[0].addr, "bob@example.org");
	ck_assert_uint_eq(match(ab, "martin", h, 8), 1);
	ck_assert_str_eq(h[0].name, "Martin, Carol");
	ck_assert_uint_eq(match(ab, "me@", h, 8), 0);
	/* A message from me: Dave becomes someone I write to, and goes
	 * above Carol (who was only Cc'd along with me once). */
	ck_assert_uint_eq(match(ab, "example", h, 8), 3);
	ck_assert_str_eq(h[0].addr, "bob@example.org");
	addrbook_add_message(ab, "Me <me@example.org>", "dave@example.org",
	    NULL, NOW - 20 * DAY);
	ck_assert_uint_eq(match(ab, "example", h, 8), 3);
	ck_assert_str_eq(h[0].addr, "dave@example.org");
	ck_assert_str_eq(h[2].addr, "carol@example.org");
	ck_assert_uint_eq(match(ab, "me", h, 8), 0);
	addrbook_free(&ab);
}
END_TEST

struct got {
	char names[8][64], addrs[8][64];
	int n;
};

static void
got_line(void *arg, const char *name, size_t nlen, const char *addr,
    size_t alen)
{
	struct got *g = arg;

	ck_assert_int_lt(g->n, 8);
	snprintf(g->names[g->n], 64, "%.*s", (int)nlen, name);
	snprintf(g->addrs[g->n++], 64, "%.*s", (int)alen, addr);
}

START_TEST(query_output)
{
	static const char out[] =
	    "Searching database ... 3 entries\n"
	    "zoe@example.org\tZoe Zed\tfriends\r\n"
	    "no-address\tNobody\n"
	    "yan@example.org\tYan \x1b[31mRed\n"
	    "xu@example.org\t\n"
	    "\n"
	    "wu@example.org\tWu";
	struct got g = { .n = 0 };

	addrbook_query_lines(out, sizeof(out) - 1, got_line, &g);
	ck_assert_int_eq(g.n, 3);
	ck_assert_str_eq(g.addrs[0], "zoe@example.org");
	ck_assert_str_eq(g.names[0], "Zoe Zed");
	ck_assert_str_eq(g.addrs[1], "xu@example.org");
	ck_assert_str_eq(g.names[1], "");
	ck_assert_str_eq(g.addrs[2], "wu@example.org");
	ck_assert_str_eq(g.names[2], "Wu");
	/* the first line is never an entry, even when it looks like one */
	g.n = 0;
	addrbook_query_lines("a@b.org\tA\n", 10, got_line, &g);
	ck_assert_int_eq(g.n, 0);
}
END_TEST

static char dir[64];

/* Through the cache: the index read once and then only what is new; the
 * account's from and identities left out; query_command's extra
 * entries after the index's; a failing query_command still answers. */
START_TEST(complete_through_cache)
{
	struct cache_opts o;
	struct cache *c = NULL;
	struct config *cfg = NULL;
	struct cache_addr *v;
	struct db_msg m;
	struct error err;
	char text[1024], script[128];
	int64_t inbox;
	size_t n;
	FILE *f;
	int len;

	tmp_make(dir, sizeof(dir), "check_addrbook");
	snprintf(script, sizeof(script), "%s/query", dir);
	f = fopen(script, "w");
	ck_assert_ptr_nonnull(f);
	/* prints its argument back: the query reached it as "$1" */
	fputs("#!/bin/sh\necho \"query: $1\"\n"
	    "[ \"$1\" = fail ] && { echo broken >&2; exit 3; }\n"
	    "printf 'zed@example.org\\tZed \"%s\"\\n' \"$1\"\n"
	    "printf 'ann@example.org\\tAnn From Book\\n'\n"
	    "printf 'me2@example.org\\tMyself\\n'\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(script, 0700), 0);
	len = snprintf(text, sizeof(text),
	    "[general]\nquery_command = %s\n"
	    "[account imap]\nprotocol = imap\nhost = imap.example.org\n"
	    "user = me\npassword_command = true\n"
	    "from = Me <me@example.org>\n"
	    "identities = me2@example.org\n", script);
	error_clear(&err);
	ck_assert_msg(config_parse("t", text, (size_t)len, &cfg, &err) == 0,
	    "%s", err.msg);
	o.data_dir = dir;
	o.cache_dir = dir;
	ck_assert_msg(cache_open(cfg, &o, &c, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(db_folder_ensure(cache_db(c), "imap", "INBOX",
	    FOLDER_ROLE_INBOX, &inbox, &err), 0);
	memset(&m, 0, sizeof(m));
	m.folder_id = inbox;
	m.uid = 1;
	m.date = time(NULL) - DAY;
	m.from = "Ann Smith <ann@example.org>";
	m.to = "Me <me@example.org>, me2@example.org";
	m.cc = "Andrew <andrew@example.org>";
	ck_assert_int_eq(db_msg_insert(cache_db(c), &m, &err), 0);
	/* read on a thread of its own (as while the editor runs) */
	cache_addr_prepare(c);
	cache_addr_prepare(c);
	ck_assert_int_eq(cache_addr_complete(c, "an", 10, &v, &n, &err), 0);
	ck_assert_msg(err.msg[0] == '\0', "%s", err.msg);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0].addr, "ann@example.org"); /* From over Cc */
	ck_assert_str_eq(v[0].name, "Ann Smith");
	ck_assert_int_eq(v[0].from_query, 0);
	ck_assert_str_eq(v[1].addr, "andrew@example.org");
	ck_assert_str_eq(v[2].addr, "zed@example.org");
	ck_assert_str_eq(v[2].name, "Zed \"an\"");
	ck_assert_int_eq(v[2].from_query, 1);
	cache_addr_free(v, n);
	/* a message added later is read on the next call */
	m.uid = 2;
	m.from = "Anders <anders@example.org>";
	m.to = "me@example.org";
	m.cc = NULL;
	ck_assert_int_eq(db_msg_insert(cache_db(c), &m, &err), 0);
	ck_assert_int_eq(cache_addr_complete(c, "and", 10, &v, &n, &err), 0);
	ck_assert_uint_eq(n, 4); /* and the book's zed and ann */
	ck_assert_str_eq(v[0].addr, "anders@example.org");
	ck_assert_str_eq(v[1].addr, "andrew@example.org");
	cache_addr_free(v, n);
	/* a shell word in the query stays one argument, never shell text */
	ck_assert_int_eq(cache_addr_complete(c, "x; touch pwned'\"", 10, &v,
	    &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0].name, "Zed \"x; touch pwned'\"\"");
	cache_addr_free(v, n);
	ck_assert_int_ne(access("pwned", F_OK), 0);
	/* the command fails: the index still answers, with the reason */
	ck_assert_int_eq(cache_addr_complete(c, "fail", 10, &v, &n, &err),
	    0);
	ck_assert_uint_eq(n, 0);
	ck_assert_msg(strstr(err.msg, "query_command exited with 3") &&
	    strstr(err.msg, "broken"), "%s", err.msg);
	cache_addr_free(v, n);
	cache_close(&c);
	/* closed while the thread may still read: it is waited for */
	ck_assert_msg(cache_open(cfg, &o, &c, &err) == 0, "%s", err.msg);
	cache_addr_prepare(c);
	cache_close(&c);
	config_free(&cfg);
	tmp_remove(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("addrbook");
	TCase *tc = tcase_create("addrbook");

	tcase_add_test(tc, frequency_and_recency);
	tcase_add_test(tc, prefix_before_substring);
	tcase_add_test(tc, lists_names_and_mine);
	tcase_add_test(tc, query_output);
	tcase_add_test(tc, complete_through_cache);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
