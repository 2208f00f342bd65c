/*
 * The helpers of mime/compose.h that reply, forward, mailto: and the
 * editor's header block use: subjects, recipients, threading headers,
 * quotes, forwarded bodies and attachments, mailto: parsing (injection
 * included) and reading the edited file back.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime.h"
#include "mime/mime_int.h"

static void
subj(char *(*fn)(const char *), const char *in, const char *want)
{
	char *got = fn(in);

	ck_assert_msg(strcmp(got, want) == 0, "[%s] gave [%s], want [%s]", in,
	    got, want);
	free(got);
}

START_TEST(test_subjects)
{
	subj(mime_reply_subject, "Lunch", "Re: Lunch");
	subj(mime_reply_subject, "Re: Lunch", "Re: Lunch");
	subj(mime_reply_subject, "RE: re: Re:Lunch", "Re: Lunch");
	subj(mime_reply_subject, "Re[2]: Lunch", "Re: Lunch");
	subj(mime_reply_subject, "  Re(3): Lunch", "Re: Lunch");
	subj(mime_reply_subject, "Aw: Lunch", "Re: Aw: Lunch");
	subj(mime_reply_subject, "Fwd: Lunch", "Re: Fwd: Lunch");
	subj(mime_reply_subject, "Reply needed", "Re: Reply needed");
	subj(mime_reply_subject, "Re[]: x", "Re: Re[]: x");
	subj(mime_reply_subject, "", "Re: ");
	subj(mime_reply_subject, NULL, "Re: ");
	subj(mime_forward_subject, "Lunch", "Fwd: Lunch");
	subj(mime_forward_subject, "Fwd: Lunch", "Fwd: Lunch");
	subj(mime_forward_subject, "FW: fwd: Lunch", "Fwd: Lunch");
	subj(mime_forward_subject, "Re: Lunch", "Fwd: Re: Lunch");
}
END_TEST

static const char original[] =
    "From: Bob Builder <bob@example.net>\r\n"
    "To: Alice <alice@example.org>, Carol <carol@example.net>\r\n"
    "Cc: Dave <dave@example.net>, ALICE@example.org\r\n"
    "Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
    "Date: Sun, 7 Dec 2025 13:00:00 +0100\r\n"
    "Message-ID: <m3@example.net>\r\n"
    "References: <m1@example.net> <m2@example.net>\r\n"
    "\r\n"
    "Hello Alice,\r\n"
    "\r\n"
    "> you wrote this\r\n"
    "see you.\r\n";

static void
me_init(struct mime_addrlist *me)
{
	memset(me, 0, sizeof(*me));
	mime_addrlist_add(me, "", "alice@example.org");
	mime_addrlist_add(me, "", "alice@work.example");
}

static void
assert_addrs(const struct mime_addrlist *l, const char *want)
{
	struct buf b = BUF_INIT;

	mime_addrlist_format(l, &b);
	ck_assert_msg(strcmp(buf_cstr(&b), want) == 0, "got [%s] want [%s]",
	    buf_cstr(&b), want);
	buf_free(&b);
}

START_TEST(test_reply_sender_and_all)
{
	struct mime_compose m;
	struct mime_addrlist me;
	struct error e = {""};

	me_init(&me);
	mime_compose_init(&m);
	ck_assert_int_eq(mime_reply_init(&m, original, strlen(original),
	                     MIME_REPLY_SENDER, &me, &e),
	    0);
	assert_addrs(&m.to, "Bob Builder <bob@example.net>");
	ck_assert_uint_eq(m.cc.n, 0);
	ck_assert_str_eq(m.subject, "Re: Grüße");
	ck_assert_str_eq(m.in_reply_to, "m3@example.net");
	ck_assert_uint_eq(m.nreferences, 3);
	ck_assert_str_eq(m.references[0], "m1@example.net");
	ck_assert_str_eq(m.references[2], "m3@example.net");
	ck_assert_str_eq(m.body,
	    "On Sun, 7 Dec 2025 13:00:00 +0100, Bob Builder wrote:\n"
	    "> Hello Alice,\n"
	    ">\n"
	    ">> you wrote this\n"
	    "> see you.\n"
	    "\n");
	mime_compose_free(&m);

	/* all: sender, then To and Cc without me (any case), no doubles */
	mime_compose_init(&m);
	ck_assert_int_eq(mime_reply_init(&m, original, strlen(original),
	                     MIME_REPLY_ALL, &me, &e),
	    0);
	assert_addrs(&m.to, "Bob Builder <bob@example.net>");
	assert_addrs(&m.cc, "Carol <carol@example.net>, Dave <dave@example.net>");
	mime_compose_free(&m);
	mime_addrlist_free(&me);
}
END_TEST

START_TEST(test_reply_headers_honoured)
{
	static const char rt[] =
	    "From: Bob <bob@example.net>\n"
	    "Reply-To: Bob at home <bob@home.example>\n"
	    "To: alice@example.org\n"
	    "Cc: team@example.net\n"
	    "Subject: Re: plans\n\nbody\n";
	static const char mft[] =
	    "From: Bob <bob@example.net>\n"
	    "To: list@lists.example\n"
	    "Mail-Followup-To: list@lists.example, alice@example.org\n"
	    "List-Post: <mailto:list@lists.example?subject=help>\n"
	    "Subject: [list] question\n\nbody\n";
	static const char mine[] =
	    "From: Alice <alice@example.org>\n"
	    "To: Bob <bob@example.net>\n"
	    "Cc: Carol <carol@example.net>\n"
	    "Subject: my own\n\nbody\n";
	struct mime_compose m;
	struct mime_addrlist me;
	struct error e = {""};

	me_init(&me);
	mime_compose_init(&m);
	ck_assert_int_eq(
	    mime_reply_init(&m, rt, strlen(rt), MIME_REPLY_SENDER, &me, &e), 0);
	assert_addrs(&m.to, "Bob at home <bob@home.example>");
	ck_assert_str_eq(m.subject, "Re: plans");
	/* no Message-ID in the original: no In-Reply-To */
	ck_assert_ptr_null(m.in_reply_to);
	ck_assert_uint_eq(m.nreferences, 0);
	mime_compose_free(&m);
	mime_compose_init(&m);
	ck_assert_int_eq(
	    mime_reply_init(&m, rt, strlen(rt), MIME_REPLY_ALL, &me, &e), 0);
	assert_addrs(&m.to, "Bob at home <bob@home.example>");
	assert_addrs(&m.cc, "team@example.net");
	mime_compose_free(&m);

	/* Mail-Followup-To wins for reply to all; me dropped */
	mime_compose_init(&m);
	ck_assert_int_eq(
	    mime_reply_init(&m, mft, strlen(mft), MIME_REPLY_ALL, &me, &e), 0);
	assert_addrs(&m.to, "list@lists.example");
	ck_assert_uint_eq(m.cc.n, 0);
	mime_compose_free(&m);
	/* the list: List-Post */
	mime_compose_init(&m);
	ck_assert_int_eq(
	    mime_reply_init(&m, mft, strlen(mft), MIME_REPLY_LIST, &me, &e), 0);
	assert_addrs(&m.to, "list@lists.example");
	ck_assert_str_eq(m.subject, "Re: [list] question");
	mime_compose_free(&m);
	mime_compose_init(&m);
	ck_assert_int_eq(
	    mime_reply_init(&m, rt, strlen(rt), MIME_REPLY_LIST, &me, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "List-Post"));
	mime_compose_free(&m);

	/* a reply to my own message goes to its recipients */
	mime_compose_init(&m);
	ck_assert_int_eq(mime_reply_init(&m, mine, strlen(mine),
	                     MIME_REPLY_SENDER, &me, &e),
	    0);
	assert_addrs(&m.to, "Bob <bob@example.net>");
	mime_compose_free(&m);
	mime_compose_init(&m);
	ck_assert_int_eq(
	    mime_reply_init(&m, mine, strlen(mine), MIME_REPLY_ALL, &me, &e),
	    0);
	assert_addrs(&m.to, "Bob <bob@example.net>");
	assert_addrs(&m.cc, "Carol <carol@example.net>");
	mime_compose_free(&m);
	mime_addrlist_free(&me);
}
END_TEST

START_TEST(test_references_capped)
{
	struct buf msg = BUF_INIT;
	struct mime_compose m;
	struct error e = {""};
	int i;

	buf_addstr(&msg, "From: b@example.net\nMessage-ID: <last@x>\n"
	                 "References:");
	for (i = 0; i < 30; i++)
		buf_printf(&msg, " <r%d@x>", i);
	/* ids the writer could not write are dropped */
	buf_addstr(&msg, " <bad\"id@x> <caf\xc3\xa9@x>\nSubject: x\n\nbody\n");
	mime_compose_init(&m);
	ck_assert_int_eq(mime_reply_init(&m, buf_cstr(&msg), msg.len,
	                     MIME_REPLY_SENDER, NULL, &e),
	    0);
	ck_assert_uint_eq(m.nreferences, MIME_REFERENCES_MAX);
	ck_assert_str_eq(m.references[0], "r0@x");
	ck_assert_str_eq(m.references[MIME_REFERENCES_MAX - 1], "last@x");
	ck_assert_str_eq(m.references[MIME_REFERENCES_MAX - 2], "r29@x");
	for (i = 0; i < (int)m.nreferences; i++)
		ck_assert_ptr_null(strpbrk(m.references[i], "\"\xc3"));
	mime_compose_free(&m);
	buf_free(&msg);
}
END_TEST

/* A hostile original cannot inject through the reply: its names are
 * decoded and cleaned, and the writer refuses what is left. */
START_TEST(test_reply_hostile)
{
	static const char evil[] =
	    "From: =?utf-8?Q?Evil=0D=0ABcc:_victim@x.org?= <evil@x.org>\n"
	    "Subject: =?utf-8?Q?hi=0D=0ABcc:_victim@x.org?=\n"
	    "Message-ID: <a@b>\n\nbody\n";
	struct mime_compose m;
	struct buf out = BUF_INIT;
	struct error e = {""};
	struct mime_headers h;
	size_t i;

	mime_compose_init(&m);
	ck_assert_int_eq(mime_reply_init(&m, evil, strlen(evil),
	                     MIME_REPLY_SENDER, NULL, &e),
	    0);
	mime_compose_set(&m.from.addr, "me@example.org");
	ck_assert_ptr_null(strpbrk(m.to.v[0].name, "\r\n"));
	ck_assert_ptr_null(strpbrk(m.subject, "\r\n"));
	ck_assert_int_eq(mime_compose_write(&m, NULL, &out, &e), 0);
	mime_headers_parse(buf_cstr(&out), out.len, &h);
	for (i = 0; i < h.n; i++)
		ck_assert_str_ne(h.v[i].name, "Bcc");
	mime_headers_free(&h);
	mime_compose_free(&m);
	buf_free(&out);
}
END_TEST

static const char with_attachment[] =
    "From: Bob <bob@example.net>\n"
    "To: alice@example.org\n"
    "Subject: the report\n"
    "Date: Sun, 7 Dec 2025 13:00:00 +0100\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=XX\n"
    "\n"
    "--XX\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "Here it is.\n"
    "--XX\n"
    "Content-Type: application/pdf; name=\"r.pdf\"\n"
    "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "JVBERi0xLjQKAAEC\n"
    "--XX--\n";

START_TEST(test_forward)
{
	struct mime_compose m;
	struct buf out = BUF_INIT, d = BUF_INIT;
	struct mime_view *v = NULL;
	struct error e = {""};

	mime_compose_init(&m);
	ck_assert_int_eq(mime_forward_init(&m, with_attachment,
	                     strlen(with_attachment), 0, &e),
	    0);
	ck_assert_str_eq(m.subject, "Fwd: the report");
	ck_assert_msg(strstr(m.body, "----- Forwarded message from Bob "
	                             "<bob@example.net> -----\n"
	                             "Date: Sun, 7 Dec 2025 13:00:00 +0100\n"
	                             "From: Bob <bob@example.net>\n"
	                             "To: alice@example.org\n"
	                             "Subject: the report\n\nHere it is.\n") ==
	        m.body,
	    "%s", m.body);
	ck_assert_ptr_nonnull(
	    strstr(m.body, "\n----- End forwarded message -----\n"));
	ck_assert_uint_eq(m.nattach, 1);
	ck_assert_str_eq(m.attach[0].name, "résumé.pdf");
	mime_compose_set(&m.from.addr, "alice@example.org");
	mime_addrlist_add(&m.to, "", "carol@example.net");
	ck_assert_int_eq(mime_compose_write(&m, NULL, &out, &e), 0);
	ck_assert_int_eq(mime_render(buf_cstr(&out), out.len, NULL, &v, NULL), 0);
	ck_assert_uint_eq(v->nattachments, 1);
	ck_assert_str_eq(v->attachments[0].name, "résumé.pdf");
	ck_assert_str_eq(v->attachments[0].type, "application/pdf");
	mime_attachment_data(v, 0, &d, NULL);
	ck_assert_uint_eq(d.len, 12);
	ck_assert_int_eq(memcmp(d.data, "%PDF-1.4\n\0\1\2", 12), 0);
	mime_view_free(&v);
	mime_compose_free(&m);

	/* as an attachment: the original, whole */
	buf_reset(&out);
	mime_compose_init(&m);
	ck_assert_int_eq(mime_forward_init(&m, with_attachment,
	                     strlen(with_attachment), 1, &e),
	    0);
	ck_assert_uint_eq(m.nattach, 1);
	ck_assert_int_eq(m.attach[0].message, 1);
	ck_assert_uint_eq(m.attach[0].len, strlen(with_attachment));
	mime_compose_set(&m.from.addr, "alice@example.org");
	mime_addrlist_add(&m.to, "", "carol@example.net");
	ck_assert_int_eq(mime_compose_write(&m, NULL, &out, &e), 0);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&out),
	    "Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"));
	ck_assert_int_eq(mime_render(buf_cstr(&out), out.len, NULL, &v, NULL), 0);
	/* the inner message's own attachment is seen through it */
	ck_assert_uint_ge(v->nattachments, 2);
	mime_view_free(&v);
	mime_compose_free(&m);
	buf_free(&out);
	buf_free(&d);
}
END_TEST

START_TEST(test_mailto)
{
	struct mime_compose m;
	struct error e = {""};
	static const char *const bad[] = {
	    "mailto:a@b.org?subject=hi%0D%0ABcc:%20evil@x.org",
	    "mailto:a@b.org?subject=hi%0ABcc:%20evil@x.org",
	    "mailto:a@b.org%0D%0ABcc:evil@x.org",
	    "mailto:a@b.org?cc=c@d.org%0D%0ABcc:evil@x.org",
	    "mailto:a@b.org?in-reply-to=%3Ca@b%3E%0D%0ABcc:x@y",
	    "mailto:a@b.org?subject=%zz", "mailto:a@b.org?subject=a%00b",
	    "mailto:a@b.org?subject=%ff", "http://example.org/",
	    "mailto:not-an-address"};
	size_t i;

	mime_compose_init(&m);
	ck_assert_int_eq(mime_mailto_parse(
	                     "mailto:alice@example.org,bob@example.net"
	                     "?cc=carol@example.net&bcc=dave@example.net"
	                     "&subject=Hello%20there+you"
	                     "&body=line%201%0D%0Aline%202%0A"
	                     "&in-reply-to=%3Cid1@x%3E"
	                     "&from=evil@x.org&x-evil=1&attach=/etc/passwd",
	                     &m, &e),
	    0);
	assert_addrs(&m.to, "alice@example.org, bob@example.net");
	assert_addrs(&m.cc, "carol@example.net");
	assert_addrs(&m.bcc, "dave@example.net");
	ck_assert_str_eq(m.subject, "Hello there+you");
	ck_assert_str_eq(m.body, "line 1\nline 2\n");
	ck_assert_str_eq(m.in_reply_to, "id1@x");
	ck_assert_str_eq(m.from.addr, "");
	ck_assert_uint_eq(m.nattach, 0);
	ck_assert_uint_eq(m.nextra, 0);
	mime_compose_free(&m);
	/* names and UTF-8 */
	mime_compose_init(&m);
	ck_assert_int_eq(mime_mailto_parse("MAILTO:%22J%C3%BCrgen%22%20%3Cj@x.de%3E"
	                                   "?subject=%C3%BC",
	                     &m, &e),
	    0);
	assert_addrs(&m.to, "Jürgen <j@x.de>");
	ck_assert_str_eq(m.subject, "ü");
	mime_compose_free(&m);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mime_compose_init(&m);
		e.msg[0] = '\0';
		ck_assert_msg(mime_mailto_parse(bad[i], &m, &e) == -1,
		    "accepted %s", bad[i]);
		ck_assert(e.msg[0] != '\0');
		/* and nothing of it landed in m */
		ck_assert_uint_eq(m.to.n + m.cc.n + m.bcc.n, 0);
		ck_assert_ptr_null(m.subject);
		mime_compose_free(&m);
	}
}
END_TEST

START_TEST(test_edit_headers_roundtrip)
{
	struct mime_compose m, b;
	struct buf f = BUF_INIT, f2 = BUF_INIT;
	struct error e = {""};

	mime_compose_init(&m);
	mime_compose_set(&m.from.name, "Alice Martin");
	mime_compose_set(&m.from.addr, "alice@example.org");
	mime_addrlist_add(&m.to, "Martin, Bob \"B\"", "bob@example.net");
	mime_addrlist_add(&m.to, "張偉", "zw@example.cn");
	mime_addrlist_add(&m.cc, "", "carol@example.net");
	mime_addrlist_add(&m.bcc, "Secret", "s@example.com");
	mime_compose_set(&m.subject, "Re: Grüße =?x?= \"quoted\"");
	mime_compose_add_header(&m, "X-Priority", "1");
	mime_compose_set(&m.body, "Text ü\n\n> quote\n");
	mime_edit_headers_write(&m, &f);
	ck_assert_str_eq(buf_cstr(&f),
	    "From: Alice Martin <alice@example.org>\n"
	    "To: \"Martin, Bob \\\"B\\\"\" <bob@example.net>, 張偉 "
	    "<zw@example.cn>\n"
	    "Cc: carol@example.net\n"
	    "Bcc: Secret <s@example.com>\n"
	    "Subject: Re: Grüße =?x?= \"quoted\"\n"
	    "X-Priority: 1\n"
	    "\n"
	    "Text ü\n\n> quote\n");
	mime_compose_init(&b);
	ck_assert_int_eq(mime_edit_headers_parse(f.data, f.len, &b, &e), 0);
	mime_edit_headers_write(&b, &f2);
	ck_assert_str_eq(buf_cstr(&f2), buf_cstr(&f));
	mime_compose_free(&b);
	mime_compose_free(&m);
	buf_free(&f);
	buf_free(&f2);
}
END_TEST

START_TEST(test_edit_headers_parse)
{
	static const char edited[] =
	    "From: Alice <alice@work.example>\r\n"
	    "to: bob@example.net,\r\n"
	    "  Carol <carol@example.net>\r\n"
	    "Cc:\r\n"
	    "Subject: folded\r\n"
	    "\tsubject\r\n"
	    "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
	    "Message-ID: <ignored@x>\r\n"
	    "In-Reply-To: <parent@x>\r\n"
	    "X-Label: work\r\n"
	    "\r\n"
	    "Body line\r\n"
	    "From: not a header\r\n";
	struct mime_compose m;
	struct error e = {""};
	size_t i;
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"To: bob@example.net\nthis is text\n", "Line 2"},
	    {"To: bob\n\nbody\n", "To:"},
	    {"Cc: a@b.org, \"unclosed <c@d.org>\n\nbody\n", "Cc:"},
	    {"Subject: a\x1b[2Jb\n\nbody\n", "Subject:"},
	    {"Bcc: a@b.org\n\nline\n\xff\xfe\n", "line 4"},
	    {"From: a@b.org, c@d.org\n\nx\n", "From:"},
	    {"Hello there\n", "Line 1"},
	    {"Bad Name: x\n\n", "Line 1"},
	};

	mime_compose_init(&m);
	mime_compose_set(&m.from.addr, "alice@example.org");
	mime_addrlist_add(&m.cc, "", "old-cc@example.net");
	mime_compose_add_reference(&m, "kept@x");
	ck_assert_int_eq(
	    mime_edit_headers_parse(edited, strlen(edited), &m, &e), 0);
	ck_assert_str_eq(m.from.addr, "alice@work.example");
	ck_assert_str_eq(m.from.name, "Alice");
	assert_addrs(&m.to, "bob@example.net, Carol <carol@example.net>");
	ck_assert_uint_eq(m.cc.n, 0);
	ck_assert_str_eq(m.subject, "folded\tsubject");
	ck_assert_ptr_null(m.message_id);
	ck_assert_str_eq(m.in_reply_to, "parent@x");
	ck_assert_uint_eq(m.nreferences, 1); /* not in the file: kept */
	ck_assert_uint_eq(m.nextra, 1);
	ck_assert_str_eq(m.extra[0].name, "X-Label");
	ck_assert_str_eq(m.extra[0].value, "work");
	ck_assert_str_eq(m.body, "Body line\nFrom: not a header\n");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.msg[0] = '\0';
		ck_assert_msg(mime_edit_headers_parse(bad[i].text,
		                  strlen(bad[i].text), &m, &e) == -1,
		    "accepted %s", bad[i].text);
		ck_assert_msg(strstr(e.msg, bad[i].msg) != NULL,
		    "for [%s]: [%s] lacks [%s]", bad[i].text, e.msg, bad[i].msg);
		/* m is unchanged by a failure */
		ck_assert_str_eq(m.body, "Body line\nFrom: not a header\n");
		ck_assert_str_eq(m.from.addr, "alice@work.example");
	}
	/* no From line: the identity stays; headers only: empty body */
	ck_assert_int_eq(
	    mime_edit_headers_parse("To: x@y.org\n", 11, &m, &e), 0);
	ck_assert_str_eq(m.from.addr, "alice@work.example");
	ck_assert_str_eq(m.body, "");
	mime_compose_free(&m);
}
END_TEST

/* reply -> editor file -> parsed back -> written -> read: the threading
 * and the quote survive, Bcc stays off the wire. */
START_TEST(test_reply_pipeline)
{
	struct mime_compose m;
	struct mime_addrlist me;
	struct buf f = BUF_INIT, out = BUF_INIT;
	struct mime_summary *s = NULL;
	struct error e = {""};
	struct mime_write_opts o = {MIME_WRITE_WIRE, 0, 0, NULL};

	me_init(&me);
	mime_compose_init(&m);
	mime_compose_set(&m.from.addr, "alice@example.org");
	ck_assert_int_eq(mime_reply_init(&m, original, strlen(original),
	                     MIME_REPLY_ALL, &me, &e),
	    0);
	mime_edit_headers_write(&m, &f);
	buf_addstr(&f, "Thanks!\n");
	{
		/* the user adds a Bcc in the editor */
		char *p = strstr(f.data, "Bcc:");

		ck_assert_ptr_nonnull(p);
		buf_reset(&out);
		buf_add(&out, f.data, (size_t)(p - f.data) + 4);
		buf_addstr(&out, " hidden@example.com");
		buf_addstr(&out, p + 4);
	}
	ck_assert_int_eq(mime_edit_headers_parse(out.data, out.len, &m, &e), 0);
	buf_reset(&out);
	m.flowed = 1;
	ck_assert_int_eq(mime_compose_write(&m, &o, &out, &e), 0);
	ck_assert_ptr_null(strstr(buf_cstr(&out), "hidden@example.com"));
	ck_assert_int_eq(mime_summary_parse(buf_cstr(&out), out.len, &s, NULL),
	    0);
	ck_assert_str_eq(s->subject, "Re: Grüße");
	ck_assert_uint_eq(s->n_in_reply_to, 1);
	ck_assert_str_eq(s->in_reply_to[0], "m3@example.net");
	ck_assert_uint_eq(s->n_references, 3);
	mime_summary_free(&s);
	{
		struct mime_addrlist r = {0};

		mime_compose_recipients(&m, &r);
		ck_assert(mime_addrlist_has(&r, "hidden@example.com"));
		mime_addrlist_free(&r);
	}
	mime_compose_free(&m);
	mime_addrlist_free(&me);
	buf_free(&f);
	buf_free(&out);
}
END_TEST

START_TEST(test_addrlist_parse)
{
	struct mime_addrlist l = {0};
	struct error e = {""};
	static const char good[] =
	    "Alice <a@x.org>, \"Martin, Bob\" <b@x.org>; friends: c@x.org, "
	    "D <d@x.org>;, e@x.org (Eve), =?utf-8?Q?J=C3=BCrgen?= <j@x.org>, "
	    "\"john doe\"@x.org";
	static const char *const bad[] = {"alice", "Alice alice@x.org",
	    "<a@b.org", "\"a <a@b.org>", "a@b.org\r\nBcc: c@d.org",
	    "(comment", "a@b.org\x1b", "<>"};
	size_t i;

	ck_assert_int_eq(
	    mime_addrlist_parse(good, strlen(good), "To", &l, &e), 0);
	assert_addrs(&l, "Alice <a@x.org>, \"Martin, Bob\" <b@x.org>, c@x.org, "
	                 "D <d@x.org>, Eve <e@x.org>, Jürgen <j@x.org>, "
	                 "\"john doe\"@x.org");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = l.n;

		ck_assert_msg(mime_addrlist_parse(bad[i], strlen(bad[i]), "Cc",
		                  &l, &e) == -1,
		    "accepted %s", bad[i]);
		ck_assert_msg(strncmp(e.msg, "Cc:", 3) == 0, "%s", e.msg);
		ck_assert_uint_eq(l.n, n);
	}
	mime_addrlist_free(&l);
}
END_TEST

/* postpone (copy mode) then resume: the same description comes back */
START_TEST(test_draft_resume)
{
	static const char html_draft[] =
	    "From: Other <o@example.org>\n"
	    "Subject: from another client\n"
	    "Message-ID: <d@x>\n"
	    "Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: text/plain; charset=iso-8859-1\n\ncaf\xe9\n"
	    "--A\nContent-Type: text/html\n\n<p>caf&eacute;</p>\n--A--\n";
	struct mime_compose m, r;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct mime_write_opts oc = {MIME_WRITE_COPY, 0, 0, NULL};
	struct error e = {""};
	char bin[300];
	size_t i;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (char)(i * 13);
	mime_compose_init(&m);
	mime_compose_set(&m.from.name, "Alice Martin");
	mime_compose_set(&m.from.addr, "alice@example.org");
	mime_addrlist_add(&m.to, "Martin, Bob", "bob@example.net");
	mime_addrlist_add(&m.cc, "張偉", "zw@example.cn");
	mime_addrlist_add(&m.bcc, "", "hidden@example.com");
	mime_addrlist_add(&m.followup_to, "", "list@example.org");
	mime_compose_set(&m.subject, "Re: draft ü");
	mime_compose_set(&m.in_reply_to, "p@x");
	mime_compose_add_reference(&m, "r@x");
	mime_compose_add_reference(&m, "p@x");
	mime_compose_add_header(&m, "X-Label", "work ü");
	m.flowed = 1;
	mime_compose_set(&m.body, "A long paragraph that goes on and on past the "
	                          "width of seventy-eight columns, so it is "
	                          "wrapped.\n\n> quoted\n-- \nAlice\n");
	mime_compose_attach_data(&m, bin, sizeof(bin), "data ü.bin", NULL);
	mime_compose_attach_message(&m, html_draft, strlen(html_draft));
	ck_assert_int_eq(mime_compose_write(&m, &oc, &a, &e), 0);

	mime_compose_init(&r);
	ck_assert_int_eq(mime_compose_from_message(a.data, a.len, &r, &e), 0);
	ck_assert_str_eq(r.from.name, "Alice Martin");
	assert_addrs(&r.to, "\"Martin, Bob\" <bob@example.net>");
	assert_addrs(&r.cc, "張偉 <zw@example.cn>");
	assert_addrs(&r.bcc, "hidden@example.com");
	assert_addrs(&r.followup_to, "list@example.org");
	ck_assert_str_eq(r.subject, "Re: draft ü");
	ck_assert_str_eq(r.in_reply_to, "p@x");
	ck_assert_uint_eq(r.nreferences, 2);
	ck_assert_uint_eq(r.nextra, 1);
	ck_assert_str_eq(r.extra[0].value, "work ü");
	ck_assert_int_eq(r.flowed, 1);
	ck_assert_str_eq(r.body, m.body);
	ck_assert_ptr_null(r.message_id);
	ck_assert_uint_eq(r.nattach, 2);
	ck_assert_str_eq(r.attach[0].name, "data ü.bin");
	ck_assert_uint_eq(r.attach[0].len, sizeof(bin));
	ck_assert_int_eq(memcmp(r.attach[0].data, bin, sizeof(bin)), 0);
	ck_assert_int_eq(r.attach[1].message, 1);
	ck_assert_uint_eq(r.attach[1].len, strlen(html_draft));
	/* written again: the same message but for Date and Message-ID */
	r.date = m.date;
	mime_compose_set(&r.message_id, m.message_id);
	ck_assert_int_eq(mime_compose_write(&r, &oc, &b, &e), 0);
	{
		struct mime_view *va = NULL, *vb = NULL;
		struct buf ta = BUF_INIT, tb = BUF_INIT;

		ck_assert_int_eq(mime_render(a.data, a.len, NULL, &va, NULL), 0);
		ck_assert_int_eq(mime_render(b.data, b.len, NULL, &vb, NULL), 0);
		mime_view_text(va, &ta);
		mime_view_text(vb, &tb);
		ck_assert_str_eq(buf_cstr(&ta), buf_cstr(&tb));
		mime_view_free(&va);
		mime_view_free(&vb);
		buf_free(&ta);
		buf_free(&tb);
	}
	mime_compose_free(&r);

	/* not flowed, with an attachment: the text's last line end stays */
	m.flowed = 0;
	mime_compose_set(&m.body, "one\ntwo\n\n");
	buf_reset(&a);
	ck_assert_int_eq(mime_compose_write(&m, &oc, &a, &e), 0);
	mime_compose_init(&r);
	ck_assert_int_eq(mime_compose_from_message(a.data, a.len, &r, &e), 0);
	ck_assert_str_eq(r.body, "one\ntwo\n\n");
	ck_assert_int_eq(r.flowed, 0);
	mime_compose_free(&r);

	/* another client's draft: text/plain kept, the HTML twin dropped */
	mime_compose_init(&r);
	mime_compose_set(&r.from.addr, "me@example.org");
	ck_assert_int_eq(mime_compose_from_message(html_draft,
	                     strlen(html_draft), &r, &e),
	    0);
	/* the line end before "--A" belongs to the delimiter */
	ck_assert_str_eq(r.body, "café");
	ck_assert_str_eq(r.from.addr, "o@example.org");
	ck_assert_uint_eq(r.nattach, 0);
	ck_assert_int_eq(r.flowed, 0);
	mime_compose_free(&r);
	mime_compose_free(&m);
	buf_free(&a);
	buf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mime_reply");
	TCase *tc = tcase_create("all");

	tcase_add_test(tc, test_subjects);
	tcase_add_test(tc, test_reply_sender_and_all);
	tcase_add_test(tc, test_reply_headers_honoured);
	tcase_add_test(tc, test_references_capped);
	tcase_add_test(tc, test_reply_hostile);
	tcase_add_test(tc, test_forward);
	tcase_add_test(tc, test_mailto);
	tcase_add_test(tc, test_edit_headers_roundtrip);
	tcase_add_test(tc, test_edit_headers_parse);
	tcase_add_test(tc, test_reply_pipeline);
	tcase_add_test(tc, test_addrlist_parse);
	tcase_add_test(tc, test_draft_resume);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
