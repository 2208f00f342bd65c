/* Unit tests of core/buf: the invariants after every operation. */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/*
 * Secret buffers.  This program is linked with -Wl,--wrap=free and
 * --wrap=realloc (tests/unit/core/local.mk), so every free() and
 * realloc() made by buf.c (and xalloc.c) passes through the wrappers
 * below first.  A test names the storage it watches; the wrappers record
 * whether that storage was handed back to the allocator and whether any
 * byte of it was not zero at that moment.  What this proves: buf.c never
 * gives up memory that still holds the secret.  What it does not: that
 * no copy exists elsewhere (the caller's own strings, the stack, the
 * kernel's or OpenSSL's buffers).
 */
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static const unsigned char *watch;
static size_t watch_len;
static int released, dirty;

static void
inspect(void *p)
{
	size_t i;

	if (p == NULL || p != (void *)watch)
		return;
	released = 1;
	for (i = 0; i < watch_len; i++)
		if (watch[i] != 0)
			dirty = 1;
	watch = NULL;
}

void *
__wrap_realloc(void *p, size_t n)
{
	inspect(p);
	return __real_realloc(p, n);
}

void
__wrap_free(void *p)
{
	inspect(p);
	__real_free(p);
}

static void
watch_buf(const struct buf *b)
{
	watch = (const unsigned char *)b->data;
	watch_len = b->cap;
	released = dirty = 0;
}

/* The invariants of buf.h. */
static void
inv(const struct buf *b)
{
	ck_assert((b->data == NULL) == (b->cap == 0));
	if (b->data) {
		ck_assert_uint_lt(b->len, b->cap);
		ck_assert_int_eq(b->data[b->len], '\0');
	} else {
		ck_assert_uint_eq(b->len, 0);
	}
	ck_assert_ptr_nonnull(buf_cstr(b));
}

START_TEST(test_empty)
{
	struct buf b = BUF_INIT;

	inv(&b);
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_reset(&b);
	inv(&b);
	buf_truncate(&b, 0);
	inv(&b);
	buf_consume(&b, 0);
	inv(&b);
	buf_free(&b);
	inv(&b);
	buf_init(&b);
	inv(&b);
}
END_TEST

START_TEST(test_add_and_grow)
{
	struct buf b = BUF_INIT;
	size_t i, cap = 0;
	int grew = 0;

	for (i = 0; i < 10000; i++) {
		buf_addch(&b, 'a' + (int)(i % 26));
		inv(&b);
		ck_assert_uint_eq(b.len, i + 1);
		if (b.cap != cap)
			grew++, cap = b.cap;
	}
	ck_assert_int_lt(grew, 20); /* geometric, not one per byte */
	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(b.data[i], 'a' + (int)(i % 26));
	buf_free(&b);
	inv(&b);

	buf_add(&b, "ab\0cd", 5); /* embedded NUL */
	inv(&b);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_int_eq(memcmp(b.data, "ab\0cd", 6), 0);
	buf_addstr(&b, "ef");
	inv(&b);
	ck_assert_uint_eq(b.len, 7);
	buf_add(&b, NULL, 0);
	inv(&b);
	ck_assert_uint_eq(b.len, 7);
	buf_grow(&b, 1000);
	inv(&b);
	ck_assert_uint_ge(b.cap, 7 + 1000 + 1);
	ck_assert_uint_eq(b.len, 7);
	buf_free(&b);
}
END_TEST

START_TEST(test_grow_on_empty)
{
	struct buf b = BUF_INIT;

	buf_grow(&b, 0);
	inv(&b);
	ck_assert_str_eq(b.data, "");
	buf_free(&b);
}
END_TEST

START_TEST(test_truncate_reset)
{
	struct buf b = BUF_INIT;
	size_t cap;

	buf_addstr(&b, "hello world");
	buf_truncate(&b, 5);
	inv(&b);
	ck_assert_str_eq(b.data, "hello");
	buf_truncate(&b, 50); /* longer: no change */
	inv(&b);
	ck_assert_str_eq(b.data, "hello");
	cap = b.cap;
	buf_reset(&b);
	inv(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, cap); /* memory kept */
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_free(&b);
}
END_TEST

START_TEST(test_consume)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, "0123456789");
	buf_consume(&b, 3);
	inv(&b);
	ck_assert_str_eq(b.data, "3456789");
	buf_consume(&b, 0);
	inv(&b);
	ck_assert_str_eq(b.data, "3456789");
	buf_consume(&b, 7);
	inv(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_addstr(&b, "xy");
	buf_consume(&b, 1);
	inv(&b);
	ck_assert_str_eq(b.data, "y");
	buf_free(&b);
}
END_TEST

START_TEST(test_printf)
{
	struct buf b = BUF_INIT;
	char big[3000];
	size_t i;

	buf_printf(&b, "%d-%s", 42, "x");
	inv(&b);
	ck_assert_str_eq(b.data, "42-x");
	buf_printf(&b, "%s", "");
	inv(&b);
	ck_assert_str_eq(b.data, "42-x");
	/* Longer than the first guess: the second vsnprintf path. */
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_printf(&b, "[%s]", big);
	inv(&b);
	ck_assert_uint_eq(b.len, 4 + 2 + sizeof(big) - 1);
	ck_assert_int_eq(b.data[4], '[');
	for (i = 5; i < b.len - 1; i++)
		ck_assert_int_eq(b.data[i], 'z');
	ck_assert_int_eq(b.data[b.len - 1], ']');
	buf_free(&b);
}
END_TEST

START_TEST(test_detach)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *s;

	s = buf_detach(&b, &len); /* empty: a fresh "" */
	inv(&b);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	ck_assert_uint_eq(len, 0);
	free(s);

	buf_addstr(&b, "mail");
	s = buf_detach(&b, &len);
	inv(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_str_eq(s, "mail");
	ck_assert_uint_eq(len, 4);
	free(s);
	s = buf_detach(&b, NULL);
	ck_assert_str_eq(s, "");
	free(s);
	/* The buffer is reusable after detach. */
	buf_addstr(&b, "again");
	inv(&b);
	ck_assert_str_eq(b.data, "again");
	buf_free(&b);
}
END_TEST

#define SECRET "correct horse battery staple"

/* Every grow of a secret buffer, byte by byte as the LOGIN line is built,
 * and through buf_printf (which writes a first, cut attempt into the old
 * storage), gives the old storage back wiped. */
START_TEST(test_secret_grow)
{
	struct buf b = BUF_INIT;
	size_t i, grows = 0, cap;

	buf_secret(&b);
	for (i = 0; i < 2000; i++) {
		cap = b.cap;
		if (cap)
			watch_buf(&b);
		buf_addch(&b, SECRET[i % (sizeof(SECRET) - 1)]);
		inv(&b);
		if (cap && b.cap != cap) {
			grows++;
			ck_assert_msg(released, "the old storage was kept?");
			ck_assert_msg(!dirty, "grow from %zu bytes released the "
			    "old storage unwiped", cap);
		}
	}
	ck_assert_uint_ge(grows, 4);
	ck_assert_int_eq(memcmp(b.data, SECRET, sizeof(SECRET) - 1), 0);
	buf_free(&b);

	buf_secret(&b);
	buf_addstr(&b, "PASS ");
	watch_buf(&b);
	buf_printf(&b, "%s%s%s\r\n", SECRET, SECRET, SECRET);
	ck_assert_msg(released && !dirty, "buf_printf's grow left the old "
	    "storage unwiped");
	ck_assert_uint_eq(b.len, 5 + 3 * (sizeof(SECRET) - 1) + 2);
	buf_free(&b);
}
END_TEST

/* Free wipes; reset, truncate and consume wipe the bytes they drop; the
 * flag survives buf_free. */
START_TEST(test_secret_free)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_secret(&b);
	buf_addstr(&b, SECRET);
	watch_buf(&b);
	buf_free(&b);
	inv(&b);
	ck_assert_msg(released && !dirty, "buf_free left the secret");
	ck_assert_int_eq(b.secret, 1);

	/* Fresh storage holds anything (ASan fills it with 0xbe): wiped
	 * first, every byte past the contents is known to be zero. */
	buf_addstr(&b, SECRET);
	buf_wipe(&b);
	buf_addstr(&b, SECRET);
	buf_truncate(&b, 7);
	for (i = 8; i < b.cap; i++)
		ck_assert_int_eq(b.data[i], 0);
	buf_addstr(&b, SECRET);
	buf_consume(&b, 10);
	inv(&b);
	for (i = b.len; i < b.cap; i++)
		ck_assert_int_eq(b.data[i], 0);
	buf_reset(&b);
	for (i = 0; i < b.cap; i++)
		ck_assert_int_eq(b.data[i], 0);
	buf_addstr(&b, SECRET);
	buf_wipe(&b);
	inv(&b);
	for (i = 0; i < b.cap; i++)
		ck_assert_int_eq(b.data[i], 0);
	buf_free(&b);
	buf_init(&b);
	ck_assert_int_eq(b.secret, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_add_and_grow);
	tcase_add_test(tc, test_grow_on_empty);
	tcase_add_test(tc, test_truncate_reset);
	tcase_add_test(tc, test_consume);
	tcase_add_test(tc, test_printf);
	tcase_add_test(tc, test_detach);
	tcase_add_test(tc, test_secret_grow);
	tcase_add_test(tc, test_secret_free);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
