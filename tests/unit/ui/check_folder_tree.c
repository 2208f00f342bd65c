/* Unit tests of the collapsible folder tree (ui/folder_tree.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ui/folder_tree.h"

/* INBOX, Work (Work/A, Work/A/Deep, Work/B), Zoo: tree order. */
static const struct cache_folder folders[] = {
	{ 1, "INBOX", "INBOX", 0, FOLDER_ROLE_INBOX, 0, 10, 2 },
	{ 2, "Work", "Work", 0, FOLDER_ROLE_NONE, 0, 1, 1 },
	{ 3, "Work/A", "A", 1, FOLDER_ROLE_NONE, 0, 20, 3 },
	{ 4, "Work/A/Deep", "Deep", 2, FOLDER_ROLE_NONE, 0, 1000, 400 },
	{ 5, "Work/B", "B", 1, FOLDER_ROLE_NONE, 1, 0, 0 },
	{ 6, "Zoo", "Zoo", 0, FOLDER_ROLE_NONE, 0, 5, 0 },
};
#define N (sizeof(folders) / sizeof(folders[0]))

START_TEST(expanded_shows_all)
{
	struct folder_tree t = { NULL, 0 };
	struct folder_tree_row r[N];
	size_t k;

	ck_assert_uint_eq(folder_tree_rows(&t, folders, N, r), N);
	for (k = 0; k < N; k++) {
		ck_assert_uint_eq(r[k].i, k);
		ck_assert_int_eq(r[k].collapsed, 0);
		ck_assert_uint_eq(r[k].total, folders[k].total);
	}
	ck_assert_uint_eq(r[1].children, 3);
	ck_assert_uint_eq(r[2].children, 1);
	ck_assert_uint_eq(r[4].children, 0);
	ck_assert_uint_eq(r[5].children, 0);
}
END_TEST

START_TEST(collapsed_hides_and_sums)
{
	struct folder_tree t = { NULL, 0 };
	struct folder_tree_row r[N];

	folder_tree_set(&t, "Work/A", 1);
	ck_assert_uint_eq(folder_tree_rows(&t, folders, N, r), N - 1);
	ck_assert_uint_eq(r[2].i, 2);
	ck_assert_int_eq(r[2].collapsed, 1);
	ck_assert_uint_eq(r[2].total, 1020);
	ck_assert_uint_eq(r[2].unread, 403);
	ck_assert_uint_eq(r[3].i, 4); /* Work/B follows */

	/* The outer branch hides the inner, collapsed or not. */
	folder_tree_set(&t, "Work", 1);
	ck_assert_uint_eq(folder_tree_rows(&t, folders, N, r), 3);
	ck_assert_uint_eq(r[1].i, 1);
	ck_assert_uint_eq(r[1].total, 1021);
	ck_assert_uint_eq(r[1].unread, 404);
	ck_assert_uint_eq(r[1].children, 3);
	ck_assert_uint_eq(r[2].i, 5);

	/* Set twice is once; a leaf "collapsed" hides nothing. */
	folder_tree_set(&t, "Work", 1);
	ck_assert_uint_eq(t.n, 2);
	folder_tree_set(&t, "Zoo", 1);
	ck_assert_uint_eq(folder_tree_rows(&t, folders, N, r), 3);
	ck_assert_int_eq(r[2].collapsed, 0);

	folder_tree_set(&t, "Work", 0);
	ck_assert(!folder_tree_is_collapsed(&t, "Work"));
	ck_assert(folder_tree_is_collapsed(&t, "Work/A"));
	ck_assert_uint_eq(folder_tree_rows(&t, folders, N, r), N - 1);
	folder_tree_clear(&t);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_uint_eq(folder_tree_rows(&t, folders, N, r), N);
}
END_TEST

START_TEST(empty)
{
	struct folder_tree t = { NULL, 0 };
	struct folder_tree_row r[1];

	ck_assert_uint_eq(folder_tree_rows(&t, folders, 0, r), 0);
	folder_tree_clear(&t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("folder_tree");
	TCase *tc = tcase_create("tree");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, expanded_shows_all);
	tcase_add_test(tc, collapsed_hides_and_sums);
	tcase_add_test(tc, empty);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
