/*
 * Real servers' habits, written out by hand from what Dovecot, Gmail,
 * Exchange and Cyrus send.
 */
#include <stdint.h>
#include <string.h>

#include "check_imap.h"

START_TEST(test_dovecot)
{
	const struct imap_resp *r = imap_test_one(
	    "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE "
	    "LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r\n");
	const struct imap_arg *l;

	ck_assert_str_eq(r->text, "Dovecot (Debian) ready.");
	r = imap_test_one("* LIST (\\HasNoChildren \\UnMarked \\Drafts) \"/\" "
	    "Drafts\r\n");
	ck_assert_str_eq(imap_arg_nth(r->args, 3)->str, "Drafts");
	r = imap_test_one("* LIST (\\HasChildren) \"/\" \"Entw&APw-rfe\"\r\n");
	ck_assert_str_eq(imap_arg_nth(r->args, 3)->str, "Entw&APw-rfe");
	r = imap_test_one("* STATUS Work/Projects (MESSAGES 2 UNSEEN 1)\r\n");
	ck_assert_str_eq(imap_arg_nth(r->args, 1)->str, "Work/Projects");
	r = imap_test_one("* OK [NOMODSEQ] No permanent modsequences\r\n");
	ck_assert_str_eq(r->code, "NOMODSEQ");
	r = imap_test_one("* 1 FETCH (UID 1 MODSEQ (12) FLAGS (\\Seen))\r\n");
	l = imap_arg_nth(r->args, 2)->list;
	ck_assert_str_eq(imap_arg_nth(l, 3)->list->str, "12");
	r = imap_test_one("a5 OK [CLOSED] Previous mailbox closed.\r\n");
	r = imap_test_one("a6 OK Select completed (0.001 + 0.000 secs).\r\n");
	ck_assert_str_eq(r->text, "Select completed (0.001 + 0.000 secs).");
	r = imap_test_one("* OK Still here\r\n");
	r = imap_test_one("* BYE Server shutting down.\r\n");
	r = imap_test_one("a3 NO [AUTHENTICATIONFAILED] Authentication "
	    "failed.\r\n");
	ck_assert_str_eq(r->code, "AUTHENTICATIONFAILED");
}
END_TEST

START_TEST(test_gmail)
{
	const struct imap_resp *r = imap_test_one(
	    "* 1 FETCH (X-GM-THRID 1278455344230334865 X-GM-MSGID "
	    "1278455344230334865 X-GM-LABELS (\\Inbox \\Sent Important "
	    "\"Muy Importante\" \"\\\\Starred\") UID 4 FLAGS (\\Seen))\r\n");
	const struct imap_arg *l = imap_arg_nth(r->args, 2)->list;

	ck_assert_uint_eq(imap_arg_nth(l, 5)->count, 5);
	ck_assert_str_eq(imap_arg_nth(imap_arg_nth(l, 5)->list, 3)->str,
	    "Muy Importante");
	ck_assert_str_eq(imap_arg_nth(imap_arg_nth(l, 5)->list, 4)->str,
	    "\\Starred");
	r = imap_test_one("* LIST (\\All \\HasNoChildren) \"/\" "
	    "\"[Gmail]/All Mail\"\r\n");
	ck_assert_str_eq(imap_arg_nth(r->args, 3)->str, "[Gmail]/All Mail");
	r = imap_test_one("* LIST (\\HasChildren \\Noselect) \"/\" "
	    "[Gmail]\r\n");
	ck_assert_str_eq(imap_arg_nth(r->args, 3)->str, "[Gmail]");
	r = imap_test_one("* OK Gimap ready for requests from 192.0.2.1 "
	    "x1mb123\r\n");
	r = imap_test_one("A1 OK user@example.com authenticated (Success)\r\n");
	r = imap_test_one("+ eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIn0=\r\n");
	ck_assert_int_eq(r->kind, IMAP_RESP_CONT);
	r = imap_test_one("* BYE System Error\r\n");
}
END_TEST

START_TEST(test_exchange)
{
	const struct imap_resp *r = imap_test_one(
	    "* OK The Microsoft Exchange IMAP4 service is ready. "
	    "[TQBXADIAUABSADAA]\r\n");
	const struct imap_arg *l;

	ck_assert_ptr_null(r->code);
	ck_assert_str_eq(r->text, "The Microsoft Exchange IMAP4 service is "
	    "ready. [TQBXADIAUABSADAA]");
	/* NIL in odd places, BODY[] with an origin, trailing spaces. */
	r = imap_test_one("* 7 FETCH (UID 77 RFC822.SIZE 1234 "
	    "INTERNALDATE \" 1-Jan-2024 09:00:00 +0000\" FLAGS () "
	    "BODY[HEADER.FIELDS (SUBJECT)] {11}\r\nSubject: x\n)  \r\n");
	l = imap_arg_nth(r->args, 2)->list;
	ck_assert_str_eq(imap_arg_nth(l, 5)->str, " 1-Jan-2024 09:00:00 +0000");
	ck_assert_uint_eq(imap_arg_nth(l, 9)->len, 11);
	r = imap_test_one("a2 NO [UNAVAILABLE] User is authenticated but not "
	    "connected.\r\n");
	ck_assert_str_eq(r->code, "UNAVAILABLE");
	r = imap_test_one("a3 BAD Command Argument Error. 11\r\n");
	ck_assert_str_eq(r->status, "BAD");
	/* Lower-case status and NIL. */
	r = imap_test_one("a4 ok nil done\r\n");
	ck_assert_str_eq(r->status, "ok");
	r = imap_test_one("* LIST (\\HasNoChildren) nil INBOX\r\n");
	ck_assert_int_eq(imap_arg_nth(r->args, 2)->type, IMAP_ARG_NIL);
}
END_TEST

START_TEST(test_cyrus)
{
	const struct imap_resp *r = imap_test_one(
	    "* OK [CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE AUTH=PLAIN "
	    "SASL-IR] server ready\r\n");
	const struct imap_arg *l;

	r = imap_test_one("* LIST (\\HasNoChildren) \".\" INBOX.Sent\r\n");
	ck_assert_str_eq(imap_arg_nth(r->args, 2)->str, ".");
	r = imap_test_one("* 3 FETCH (FLAGS (\\Seen $Forwarded NonJunk) "
	    "UID 3 MODSEQ (42))\r\n");
	l = imap_arg_nth(r->args, 2)->list;
	ck_assert_str_eq(imap_arg_nth(l->next->list, 1)->str, "$Forwarded");
	/* Literal folder names in LIST. */
	r = imap_test_one("* LIST (\\HasNoChildren) \".\" {12}\r\nINBOX.\"odd\"x"
	    "\r\n");
	ck_assert_int_eq(imap_arg_nth(r->args, 3)->type, IMAP_ARG_LITERAL);
	ck_assert_str_eq(imap_arg_nth(r->args, 3)->str, "INBOX.\"odd\"x");
	r = imap_test_one("* OK [URLMECH INTERNAL] Ok\r\n");
	r = imap_test_one("* OK [ANNOTATIONS 65536] Ok\r\n");
	r = imap_test_one("a9 OK [APPENDUID 1234 5] Completed\r\n");
	ck_assert_str_eq(imap_arg_nth(r->code_args, 1)->str, "5");
	/* BODYSTRUCTURE with extension data. */
	r = imap_test_one("* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" "
	    "(\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 12 1 NIL "
	    "NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL "
	    "\"base64\" 100 NIL (\"attachment\" (\"filename\" \"a.pdf\")) NIL "
	    "NIL) \"mixed\" (\"boundary\" \"xyz\") NIL NIL NIL))\r\n");
	l = imap_arg_nth(r->args, 2)->list->next;
	ck_assert_int_eq(l->type, IMAP_ARG_LIST);
	ck_assert_str_eq(imap_arg_nth(l->list, 2)->str, "mixed");
}
END_TEST

Suite *
imap_quirks_suite(void)
{
	Suite *s = suite_create("imap_quirks");
	TCase *tc = tcase_create("servers");

	tcase_add_test(tc, test_dovecot);
	tcase_add_test(tc, test_gmail);
	tcase_add_test(tc, test_exchange);
	tcase_add_test(tc, test_cyrus);
	suite_add_tcase(s, tc);
	return s;
}
