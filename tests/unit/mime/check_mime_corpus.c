/*
 * The corpus: each tests/data/mime/NAME.eml rendered as `postie view`
 * renders it (plain preferred, or HTML when NAME contains "html-pref";
 * width 80) must equal NAME.expected byte for byte.  Every rendering is
 * also checked to be clean: valid UTF-8, no control characters.
 * With MIME_CORPUS_UPDATE=1 in the environment the .expected files are
 * written instead (review the diff before committing them).
 */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "mime/mime.h"

static const char *
data_dir(void)
{
	static char dir[4096];
	const char *top = getenv("top_srcdir");

	snprintf(dir, sizeof(dir), "%s/tests/data/mime", top ? top : ".");
	return dir;
}

static int
slurp(const char *path, struct buf *b)
{
	char chunk[65536];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	fclose(fp);
	return 0;
}

/* Valid UTF-8 without C0 (but LF), DEL, C1 or ESC. */
static void
assert_clean(const char *name, const struct buf *b)
{
	const unsigned char *s = (const unsigned char *)buf_cstr(b);
	size_t i = 0, n;
	unsigned cp;

	while (i < b->len) {
		n = s[i] < 0x80 ? 1 : str_utf8_decode(s + i, b->len - i, &cp);
		ck_assert_msg(n > 0, "%s: invalid UTF-8 at %zu", name, i);
		if (n == 1)
			cp = s[i];
		ck_assert_msg(cp == '\n' ||
		        (cp >= 0x20 && cp != 0x7f &&
		            !(cp >= 0x80 && cp < 0xa0)),
		    "%s: control U+%04X at %zu", name, cp, i);
		i += n;
	}
}

START_TEST(test_corpus)
{
	DIR *d = opendir(data_dir());
	struct dirent *de;
	int update = getenv("MIME_CORPUS_UPDATE") != NULL, count = 0;
	int failed = 0;

	ck_assert_msg(d != NULL, "cannot open %s", data_dir());
	while ((de = readdir(d)) != NULL) {
		struct mime_render_opts o = {MIME_PREFER_PLAIN, NULL, 80};
		struct buf raw = BUF_INIT, got = BUF_INIT, want = BUF_INIT;
		struct mime_view *v = NULL;
		char path[4096];
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".eml") != 0)
			continue;
		if (strstr(de->d_name, "html-pref") != NULL)
			o.prefer = MIME_PREFER_HTML;
		snprintf(path, sizeof(path), "%s/%s", data_dir(), de->d_name);
		ck_assert_int_eq(slurp(path, &raw), 0);
		ck_assert_int_eq(
		    mime_render(buf_cstr(&raw), raw.len, &o, &v, NULL), 0);
		mime_view_text(v, &got);
		assert_clean(de->d_name, &got);
		snprintf(path + strlen(path) - 4, 10, ".expected");
		if (update) {
			FILE *fp = fopen(path, "wb");

			ck_assert_ptr_nonnull(fp);
			fwrite(buf_cstr(&got), 1, got.len, fp);
			fclose(fp);
		} else {
			ck_assert_msg(
			    slurp(path, &want) == 0, "missing %s", path);
			if (got.len != want.len ||
			    memcmp(buf_cstr(&got), buf_cstr(&want), got.len)) {
				fprintf(stderr,
				    "MISMATCH %s\n--- got\n%s--- "
				    "want\n%s---\n",
				    de->d_name, buf_cstr(&got),
				    buf_cstr(&want));
				failed++;
			}
		}
		count++;
		mime_view_free(&v);
		buf_free(&raw);
		buf_free(&got);
		buf_free(&want);
	}
	closedir(d);
	ck_assert_int_ge(count, 30);
	ck_assert_msg(failed == 0, "%d of %d renderings differ", failed, count);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("mime_corpus");
	TCase *tc = tcase_create("all");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
