/* mime/submit.c: a message made ready for submission as sendmail -t
 * reads one: the envelope from To/Cc/Bcc, Bcc removed, the missing
 * fields added, CRLF, and the refusals. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "mime/submit.h"

static int
has(const struct mime_submission *s, const char *needle)
{
	return memmem(s->msg.data, s->msg.len, needle, strlen(needle)) != NULL;
}

START_TEST(envelope_and_bcc)
{
	const char *raw = "From: Alice <alice@example.org>\n"
	    "To: Bob <bob@example.org>, carol@example.org\n"
	    "Cc: \"Martin, Dan\" <dan@example.org>\n"
	    "Bcc: secret@example.org,\n"
	    "  other-secret@example.org\n"
	    "Subject: =?UTF-8?B?R3LDvMOfZQ==?= again\n"
	    "\n"
	    "Hello Bob.\n"
	    ".dotted line\n";
	struct mime_submission s;
	struct error err;

	error_clear(&err);
	ck_assert_msg(mime_submission_prepare(raw, strlen(raw), NULL, &s,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(s.rcpts.n, 5);
	ck_assert_str_eq(s.rcpts.v[0].addr, "bob@example.org");
	ck_assert_str_eq(s.rcpts.v[1].addr, "carol@example.org");
	ck_assert_str_eq(s.rcpts.v[2].addr, "dan@example.org");
	ck_assert_str_eq(s.rcpts.v[3].addr, "secret@example.org");
	ck_assert_str_eq(s.rcpts.v[4].addr, "other-secret@example.org");
	ck_assert_str_eq(s.from, "alice@example.org");
	ck_assert_str_eq(s.subject, "Grüße again");
	/* Bcc never leaves the machine, continuation line included. */
	ck_assert(!has(&s, "Bcc"));
	ck_assert(!has(&s, "secret"));
	/* What was missing is added; CRLF everywhere; body as written. */
	ck_assert(has(&s, "\r\nDate: ") || memcmp(s.msg.data, "Date: ", 6) == 0);
	ck_assert(has(&s, "Message-ID: <"));
	ck_assert(has(&s, "MIME-Version: 1.0\r\n"));
	ck_assert(has(&s, "\r\n\r\nHello Bob.\r\n.dotted line\r\n"));
	ck_assert_ptr_null(memmem(s.msg.data, s.msg.len, "\n\n", 2));
	for (size_t i = 0; i < s.msg.len; i++)
		if (s.msg.data[i] == '\n')
			ck_assert_int_eq(s.msg.data[i - 1], '\r');
	ck_assert(s.message_id[0] == '<' &&
	    strstr(s.message_id, "@example.org>") != NULL);
	ck_assert_int_eq(s.eightbit, 0);
	mime_submission_free(&s);
}
END_TEST

START_TEST(kept_when_present)
{
	const char *raw = "From: a@example.org\r\nTo: b@example.org, B@EXAMPLE.ORG\r\n"
	    "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
	    "Message-ID: <given@example.org>\r\nMIME-Version: 1.0\r\n"
	    "Subject: caf\xc3\xa9\r\n\r\nbody\r\n";
	struct mime_submission s;
	struct error err;
	const char *p;
	int n = 0;

	error_clear(&err);
	ck_assert_msg(mime_submission_prepare(raw, strlen(raw), NULL, &s,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(s.rcpts.n, 1); /* the same address twice */
	ck_assert_str_eq(s.message_id, "<given@example.org>");
	for (p = s.msg.data; (p = memmem(p, s.msg.len - (size_t)(p -
	    s.msg.data), "Date:", 5)) != NULL; p++)
		n++;
	ck_assert_int_eq(n, 1);
	ck_assert(memcmp(s.msg.data, raw, strlen(raw)) == 0);
	ck_assert_uint_eq(s.msg.len, strlen(raw));
	ck_assert_int_eq(s.eightbit, 1);
	mime_submission_free(&s);
}
END_TEST

START_TEST(default_from)
{
	const char *raw = "To: b@example.org\nSubject: x\n\nbody\n";
	struct mime_submission s;
	struct error err;

	error_clear(&err);
	ck_assert_msg(mime_submission_prepare(raw, strlen(raw),
	    "J\xc3\xbcrgen M\xc3\xbcller <j@example.org>", &s, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(s.from, "j@example.org");
	ck_assert(has(&s, "From: =?"));
	ck_assert(has(&s, " <j@example.org>\r\n"));
	mime_submission_free(&s);
	ck_assert_msg(mime_submission_prepare(raw, strlen(raw),
	    "Alice Martin <alice@example.org>", &s, &err) == 0, "%s", err.msg);
	ck_assert(has(&s, "From: Alice Martin <alice@example.org>\r\n"));
	mime_submission_free(&s);
}
END_TEST

START_TEST(refusals)
{
	struct mime_submission s;
	struct error err;
	char longline[1200];
	char raw[1400];

	error_clear(&err);
	ck_assert_int_eq(mime_submission_prepare("Subject: x\n\nhi\n", 15,
	    "a@example.org", &s, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "no recipient"));
	ck_assert_int_eq(mime_submission_prepare("To: b@example.org\n\nhi\n",
	    21, NULL, &s, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "no From"));
	ck_assert_int_eq(mime_submission_prepare("To: b@example.org\n\nh\0i\n",
	    22, "a@example.org", &s, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "NUL"));
	ck_assert_int_eq(mime_submission_prepare("To: not an address\n\nhi\n",
	    23, "a@example.org", &s, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "To"));
	memset(longline, 'x', 999);
	longline[999] = '\0';
	snprintf(raw, sizeof(raw), "To: b@example.org\n\nok\n%s\n", longline);
	ck_assert_int_eq(mime_submission_prepare(raw, strlen(raw),
	    "a@example.org", &s, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "line 4"));
	/* Exactly 998 is fine. */
	longline[998] = '\0';
	snprintf(raw, sizeof(raw), "To: b@example.org\n\nok\n%s\n", longline);
	ck_assert_msg(mime_submission_prepare(raw, strlen(raw),
	    "a@example.org", &s, &err) == 0, "%s", err.msg);
	mime_submission_free(&s);
}
END_TEST

START_TEST(body_without_separator)
{
	/* sendmail -t: the first line that is no field starts the body. */
	const char *raw = "To: b@example.org\nthis is the body\n";
	struct mime_submission s;
	struct error err;

	error_clear(&err);
	ck_assert_msg(mime_submission_prepare(raw, strlen(raw),
	    "a@example.org", &s, &err) == 0, "%s", err.msg);
	ck_assert(has(&s, "To: b@example.org\r\nFrom") ||
	    has(&s, "To: b@example.org\r\n\r\nthis is the body\r\n"));
	ck_assert(has(&s, "\r\n\r\nthis is the body\r\n"));
	mime_submission_free(&s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("submit");
	TCase *tc = tcase_create("submit");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, envelope_and_bcc);
	tcase_add_test(tc, kept_when_present);
	tcase_add_test(tc, default_from);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, body_without_separator);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
