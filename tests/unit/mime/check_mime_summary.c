/*
 * Unit tests of mime_summary_parse and the helpers it shares with
 * rendering: expected summaries of hostile headers (fixed from the
 * straightforward implementation), and the fast paths (plain values,
 * UTF-8 words decoded in place, ids passed through, one-block header
 * parsing) checked against slow reference versions on many inputs.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "mime/mime.h"
#include "mime/mime_int.h"

static const struct golden {
	const char *raw;
	const char *from, *from_addr, *to, *cc, *subject;
	long long date;
	int date_valid;
	const char *mid, *irt, *refs; /* ids joined by one blank */
	int att;
} golden[] = {
    {
        "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>\nTo: "
        "=?utf-8?b?5bGx55Sw?= <yamada@x.test>, \"Doe, John\" "
        "<jd@x.test>\nSubject: =?utf-8?q?Caf=C3=A9?= =?utf-8?q?_au_lait?= and "
        "=?iso-8859-1?b?6Q==?=\n\n",
        "Andr\xc3\xa9 Pirard <PIRARD@vm1.ulg.ac.be>",
        "PIRARD@vm1.ulg.ac.be",
        "\xe5\xb1\xb1\xe7\x94\xb0 <yamada@x.test>, Doe, John <jd@x.test>",
        "",
        "Caf\xc3\xa9 au lait and \xc3\xa9",
        0LL,
        0,
        "",
        "",
        "",
        0,
    },
    {
        "From: J\xe9r\xf4me <jerome@x.test>\nSubject: caf\xe9 \xc3\xa9t\xe9 "
        "\xff\nTo: \xc3\xa9 <a@x.test>\n\n",
        "J\xc3\xa9r\xc3\xb4me <jerome@x.test>",
        "jerome@x.test",
        "\xc3\xa9 <a@x.test>",
        "",
        "caf\xc3\xa9 \xc3\xa9t\xc3\xa9 \xc3\xbf",
        0LL,
        0,
        "",
        "",
        "",
        0,
    },
    {
        "Subject: =?utf-8?q?broken=ZZ?= =?utf-8?b?!!!?= =?x-unknown?q?abc?= "
        "=?utf-8?q?=C3?= =?utf-8?q?=A9?=\nFrom: =?utf-8?q?a?=b <c@d>\n\n",
        "ab <c@d>",
        "c@d",
        "",
        "",
        "broken=ZZabc\xc3\xa9",
        0LL,
        0,
        "",
        "",
        "",
        0,
    },
    {
        "Subject: =?utf-8?q?\x1b[31mred?= \x1b]0;title\x07 \xe2\x80\xae"
        "evil \xc2\x9bx =?utf-8?b?4oCu?=\n\n",
        "",
        "",
        "",
        "",
        "red  evil x ",
        0LL,
        0,
        "",
        "",
        "",
        0,
    },
    {
        "To: undisclosed-recipients:;\nCc: Friends: a@x.test, \"B (not) C\" "
        "<b@x.test>; d@x.test (Dee \\(x\\) D)\nFrom: (Comment) a . b @ c . d "
        "(Real Name)\n\n",
        "Comment Real Name <a.b@c.d>",
        "a.b@c.d",
        "undisclosed-recipients:;",
        "Friends: a@x.test, B (not) C <b@x.test>;, Dee (x) D <d@x.test>",
        "",
        0LL,
        0,
        "",
        "",
        "",
        0,
    },
    {
        "From: <@route1,@route2:user@x.test>\nTo: \"quoted\\\"q\" <q@x.test>, "
        ",, x@y (c1) (c2), =?utf-8?q?Gr=C3=BCppe?=: m@n;\n\n",
        "user@x.test",
        "user@x.test",
        "quoted\"q <q@x.test>, c1 c2 <x@y>, Gr\xc3\xbcppe: m@n;",
        "",
        "",
        0LL,
        0,
        "",
        "",
        "",
        0,
    },
    {
        "SUBJECT: first\nsubject: second\nfRoM: x@y\nFROM: z@w\nMESSAGE-id: "
        "<A@B> <c@d>\nIn-Reply-To: <a@b> (comment) <c@d>\nREFERENCES: a@b, "
        "c@d\tE@F\nDATE: Mon, 1 Jan 2001 10:00:00 GMT\nContent-TYPE: "
        "Application/PDF; name=x\n\n",
        "x@y",
        "x@y",
        "",
        "",
        "first",
        978343200LL,
        1,
        "A@B",
        "a@b c@d",
        "a@b c@d E@F",
        1,
    },
    {
        "X-Other: 1\nContent-Type : message/rfc822\nDate: 2 Feb 99 13:00 "
        "EST\nTo : A <a@b>\n\n",
        "",
        "",
        "A <a@b>",
        "",
        "",
        917978400LL,
        1,
        "",
        "",
        "",
        0,
    },
    {
        "From nobody Mon Jan  1 00:00:00 2001\nFrom: a@b\nSubject:\n\n",
        "a@b",
        "a@b",
        "",
        "",
        "",
        0LL,
        0,
        "",
        "",
        "",
        0,
    },
    {
        "Cc: x@y\nC: not cc\nContent-type: text/plain\nFrom: \"\" <>\nSubject: "
        "=?utf-8?Q?a?=\t=?utf-8?Q?b?=\n\n",
        "",
        "",
        "",
        "x@y",
        "ab",
        0LL,
        0,
        "",
        "",
        "",
        0,
    },
    {"In-Reply-To: <with space@x> <tab\there@y> <\x7f"
     "del@z> "
     "<\xc3\xa9@u> <\xe9@v>\nReferences: a@b,  <c@d\n",
        "", "", "", "", "", 0LL, 0, "",
        "withspace@x tabhere@y del@z \xc3\xa9@u \xef\xbf\xbd@v", "c@d", 0},
};

static void
join(struct buf *b, char **v, size_t n)
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addch(b, ' ');
		buf_addstr(b, v[i]);
	}
}

START_TEST(test_golden)
{
	const struct golden *g = &golden[_i];
	struct mime_summary *s;
	struct buf b = BUF_INIT;

	ck_assert_int_eq(
	    mime_summary_parse(g->raw, strlen(g->raw), &s, NULL), 0);
	ck_assert_str_eq(s->from, g->from);
	ck_assert_str_eq(s->from_addr, g->from_addr);
	ck_assert_str_eq(s->to, g->to);
	ck_assert_str_eq(s->cc, g->cc);
	ck_assert_str_eq(s->subject, g->subject);
	ck_assert_int_eq((long long)s->date, g->date);
	ck_assert_int_eq(s->date_valid, g->date_valid);
	ck_assert_str_eq(s->message_id, g->mid);
	join(&b, s->in_reply_to, s->n_in_reply_to);
	ck_assert_str_eq(buf_cstr(&b), g->irt);
	join(&b, s->references, s->n_references);
	ck_assert_str_eq(buf_cstr(&b), g->refs);
	ck_assert_int_eq(s->has_attachment, g->att);
	mime_summary_free(&s);
	buf_free(&b);
}
END_TEST

/* Long values: a folded Subject past the stack room of the address
 * parser, an address list longer than it, ids past the length limit. */
START_TEST(test_long)
{
	struct buf m = BUF_INIT, want = BUF_INIT;
	struct mime_summary *s;
	size_t i;

	buf_addstr(&m, "Subject:");
	for (i = 0; i < 300; i++)
		buf_addstr(&m, "\r\n  =?utf-8?q?w=C3=A9?=");
	buf_addstr(&m, "\r\nTo: ");
	for (i = 0; i < 200; i++) {
		buf_printf(
		    &m, "%s\"N, %zu\" <a%zu@x.test>", i ? ",\n\t" : "", i, i);
		buf_printf(
		    &want, "%sN, %zu <a%zu@x.test>", i ? ", " : "", i, i);
	}
	buf_addstr(&m, "\r\nReferences: <");
	for (i = 0; i < 999; i++)
		buf_addch(&m, 'r');
	buf_addstr(&m, "> <ok@x>\r\n\r\n");
	ck_assert_int_eq(mime_summary_parse(m.data, m.len, &s, NULL), 0);
	ck_assert_uint_eq(strlen(s->subject), 300 * 3);
	ck_assert_str_eq(s->to, buf_cstr(&want));
	ck_assert_uint_eq(s->n_references, 1);
	ck_assert_str_eq(s->references[0], "ok@x");
	mime_summary_free(&s);
	buf_free(&m);
	buf_free(&want);
}
END_TEST

/* Pieces to build values from: encoded words good and broken, raw 8-bit
 * text, controls and escapes, address syntax. */
static const char *const pieces[] = {"plain", " ", "\t", "  ", "=?", "?=", "=",
    "?", "=?utf-8?q?J=C3=BCrgen?=", "=?UTF-8?B?w6k=?=",
    "=?iso-8859-1?q?Andr=E9?=", "=?ISO-8859-1?B?6Q==?=", "=?utf-8?q?=C3?=",
    "=?utf-8?q?=A9?=", "=?utf-8?q?=ZZ?=", "=?utf-8?b?!!!?=",
    "=?x-unknown?q?abc?=", "=?us-ascii?q?a_b?=", "=?utf-7?q?+AOk-?=",
    "=?gb2312?b?xOO6ww==?=", "=?utf-8*en?q?x?=", "=?utf-8?q?\x1b[1m?=",
    "=?utf-8?b?4oCu?=", "=?utf-8?q?=C2=9B?=", "\xc3\xa9", "\xe9", "\xff",
    "\x80", "\xe2\x80\xae", "\xe2\x80\x94", "\xc2\x9b", "\x1b[31m", "\x1b",
    "\x7f", "\x01", "\r", "\n", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "<a@b>",
    "\"q, x\"", "\"\\\"\"", "(c)", "(", ")", "\\", ",", ";", ":", "@", "<", ">",
    "_"};

static unsigned long long rnd_state = 7;

static unsigned
rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rnd_state >> 33) % n);
}

static void
random_value(struct buf *b)
{
	unsigned k, n = 1 + rnd(8);

	buf_reset(b);
	for (k = 0; k < n; k++)
		buf_addstr(b, pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))]);
}

/* mime_header_decode (and mime_rfc2047_clean) against the long way:
 * decode, then clean the copy. */
START_TEST(test_decode_paths)
{
	static const char *const assumed[] = {NULL, "iso-8859-1", "gb2312"};
	struct buf v = BUF_INIT, got = BUF_INIT, raw = BUF_INIT;
	struct buf want = BUF_INIT;
	size_t i, k;

	for (i = 0; i < 20000; i++) {
		random_value(&v);
		for (k = 0; k < 3; k++) {
			buf_reset(&raw);
			buf_reset(&want);
			mime_rfc2047_decode(v.data, v.len, assumed[k], &raw);
			mime_clean(&want, buf_cstr(&raw), raw.len, 0);
			buf_reset(&got);
			buf_addstr(&got, "prefix ");
			mime_header_decode(v.data, v.len, assumed[k], &got);
			ck_assert_uint_eq(got.len, want.len + 7);
			ck_assert_mem_eq(
			    got.data + 7, buf_cstr(&want), want.len);
		}
	}
	buf_free(&v);
	buf_free(&got);
	buf_free(&raw);
	buf_free(&want);
}
END_TEST

/* Where mime_charset_same says a text converts to itself, it does. */
START_TEST(test_charset_same)
{
	static const char *const labels[] = {NULL, "", "utf-8", "UTF-8",
	    "\"utf-8\"", "utf8", "us-ascii", "iso-8859-1", "utf-7", "UTF-16",
	    "hz-gb-2312", "x-unknown", "gb2312"};
	struct buf v = BUF_INIT, out = BUF_INIT;
	size_t i, k, same = 0;

	for (i = 0; i < 5000; i++) {
		random_value(&v);
		for (k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
			if (!mime_charset_same(labels[k], v.data, v.len))
				continue;
			same++;
			buf_reset(&out);
			mime_charset_to_utf8(labels[k], v.data, v.len, &out);
			ck_assert_uint_eq(out.len, v.len);
			ck_assert_mem_eq(buf_cstr(&out), v.data, v.len);
		}
	}
	ck_assert_uint_gt(same, 1000);
	buf_free(&v);
	buf_free(&out);
}
END_TEST

/* The unfolding rules, the simple way: one field at a time. */
static size_t
ref_line(const char *s, size_t len, size_t *next_r)
{
	const char *nl = memchr(s, '\n', len);
	size_t n = nl ? (size_t)(nl - s) : len;

	*next_r = nl ? n + 1 : len;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	return n;
}

static size_t
ref_name_len(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 256; i++)
		if (s[i] == ':' || (unsigned char)s[i] <= ' ' ||
		    (unsigned char)s[i] >= 0x7f)
			break;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == 0 || i >= n || s[i] != ':' ? 0 : i;
}

static void
ref_check(const struct mime_headers *h, size_t *k, const char *name,
    size_t nlen, struct buf *val)
{
	size_t i = 0, vlen = val->len;

	if (*k >= MIME_MAX_HEADERS)
		return;
	ck_assert_uint_lt(*k, h->n);
	while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
		nlen--;
	ck_assert_uint_eq(strlen(h->v[*k].name), nlen);
	ck_assert_mem_eq(h->v[*k].name, name, nlen);
	while (i < vlen && (val->data[i] == ' ' || val->data[i] == '\t'))
		i++;
	while (vlen > i &&
	    (val->data[vlen - 1] == ' ' || val->data[vlen - 1] == '\t'))
		vlen--;
	ck_assert_uint_eq(h->v[*k].vlen, vlen - i);
	ck_assert_mem_eq(h->v[*k].value, buf_cstr(val) + i, vlen - i);
	ck_assert_int_eq(h->v[*k].value[vlen - i], '\0');
	(*k)++;
}

static size_t
ref_headers(const char *s, size_t len, const struct mime_headers *h)
{
	struct buf val = BUF_INIT;
	const char *name = NULL;
	size_t pos = 0, next, n, nlen = 0, k = 0;

	if (len >= 5 && memcmp(s, "From ", 5) == 0) {
		ref_line(s, len, &next);
		pos = next;
	}
	n = ref_line(s + pos, len - pos, &next);
	if (n == 0 && pos < len)
		return pos + next;
	if (ref_name_len(s + pos, n) == 0)
		return 0;
	while (pos < len) {
		n = ref_line(s + pos, len - pos, &next);
		if (n == 0) {
			pos += next;
			break;
		}
		if (s[pos] == ' ' || s[pos] == '\t') {
			if (val.len < MIME_MAX_HEADER_LEN) {
				size_t room = MIME_MAX_HEADER_LEN - val.len;

				buf_add(&val, s + pos, n < room ? n : room);
			}
			pos += next;
			continue;
		}
		if (name != NULL)
			ref_check(h, &k, name, nlen, &val);
		name = NULL;
		if ((nlen = ref_name_len(s + pos, n)) == 0)
			break;
		name = s + pos;
		buf_reset(&val);
		n -= nlen + 1;
		buf_add(&val, s + pos + nlen + 1,
		    n < MIME_MAX_HEADER_LEN ? n : MIME_MAX_HEADER_LEN);
		pos += next;
	}
	if (name != NULL)
		ref_check(h, &k, name, nlen, &val);
	ck_assert_uint_eq(k, h->n);
	buf_free(&val);
	return pos;
}

static const char *const lines[] = {"Subject: x", "From: a@b", "TO :  y",
    "cc:", "X-Empty:   ", " folded", "\tfolded\t", "  ", "", "\r", "body line",
    "From nobody", "N\x01: bad", "\xc3\xa9: bad", ":x", "A\0B: nul",
    "Long: ", "Content-Type: text/plain; x=\"a b\"",
    " =?utf-8?q?a?=", "References: <a@b>", "\t<c@d> "};

START_TEST(test_headers_reference)
{
	struct buf m = BUF_INIT;
	struct mime_headers h;
	size_t i, k, n, off;

	for (i = 0; i < 20000; i++) {
		buf_reset(&m);
		n = rnd(12);
		for (k = 0; k < n; k++) {
			size_t which = rnd(sizeof(lines) / sizeof(lines[0]));

			/* "A\0B" is 8 bytes long */
			buf_add(&m, lines[which],
			    which == 15 ? 8 : strlen(lines[which]));
			if (rnd(400) == 0) { /* past MIME_MAX_HEADER_LEN */
				size_t j, c = rnd(70000);

				for (j = 0; j < c; j++)
					buf_addch(&m, 'a' + j % 26);
			}
			if (k + 1 < n || rnd(2))
				buf_addstr(&m, rnd(3) ? "\n" : "\r\n");
		}
		off = mime_headers_parse(buf_cstr(&m), m.len, &h);
		ck_assert_uint_eq(off, ref_headers(buf_cstr(&m), m.len, &h));
		mime_headers_free(&h);
	}
	/* more fields than MIME_MAX_HEADERS: the rest are dropped */
	buf_reset(&m);
	for (i = 0; i < MIME_MAX_HEADERS + 20; i++)
		buf_printf(&m, "X-%zu: %zu\n folded\n", i, i);
	buf_addstr(&m, "Subject: late\n\nbody");
	off = mime_headers_parse(m.data, m.len, &h);
	ck_assert_uint_eq(off, ref_headers(m.data, m.len, &h));
	ck_assert_ptr_null(mime_headers_get(&h, "subject"));
	mime_headers_free(&h);
	buf_free(&m);
}
END_TEST

/* mime_msgids against the byte-at-a-time rules. */
struct idlist {
	struct buf b;
};

static void
collect(const char *id, size_t len, void *arg)
{
	struct buf *b = arg;

	buf_add(b, id, len);
	buf_addch(b, '|');
}

static void
ref_msgids(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, j, start;
	int any = memchr(s, '<', len) != NULL;

	while (i < len) {
		if (any) {
			const char *lt = memchr(s + i, '<', len - i);

			if (lt == NULL)
				break;
			i = (size_t)(lt - s) + 1;
			for (j = i; j < len && s[j] != '>' && s[j] != '<'; j++)
				;
		} else {
			while (i < len &&
			    (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
				i++;
			for (j = i; j < len && s[j] != ' ' && s[j] != '\t' &&
			     s[j] != ',';
			     j++)
				;
		}
		start = out->len;
		for (; i < j; i++)
			if ((unsigned char)s[i] > ' ' && s[i] != 0x7f)
				buf_addch(out, s[i]);
		if (out->len == start || out->len - start > 998)
			buf_truncate(out, start);
		else
			buf_addch(out, '|');
		if (i < len && s[i] == '>')
			i++;
	}
}

START_TEST(test_msgids_reference)
{
	static const char *const idp[] = {"<a@b>", "<", ">", " ", "\t", ",",
	    "x@y", "\x7f", "\x01", "\xc3\xa9", "(c)", "<c d@e>", "\0"};
	struct buf v = BUF_INIT, got = BUF_INIT, want = BUF_INIT;
	size_t i, k, n;

	for (i = 0; i < 20000; i++) {
		buf_reset(&v);
		n = rnd(10);
		for (k = 0; k < n; k++) {
			size_t w = rnd(sizeof(idp) / sizeof(idp[0]));

			buf_add(&v, idp[w], w == 12 ? 1 : strlen(idp[w]));
		}
		if (rnd(50) == 0)
			for (k = rnd(1200); k > 0; k--)
				buf_addch(&v, 'r');
		buf_reset(&got);
		buf_reset(&want);
		mime_msgids(buf_cstr(&v), v.len, collect, &got);
		ref_msgids(buf_cstr(&v), v.len, &want);
		ck_assert_uint_eq(got.len, want.len);
		ck_assert_mem_eq(buf_cstr(&got), buf_cstr(&want), want.len);
	}
	buf_free(&v);
	buf_free(&got);
	buf_free(&want);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mime_summary");
	TCase *tc = tcase_create("all");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(
	    tc, test_golden, 0, (int)(sizeof(golden) / sizeof(golden[0])));
	tcase_add_test(tc, test_long);
	tcase_add_test(tc, test_decode_paths);
	tcase_add_test(tc, test_charset_same);
	tcase_add_test(tc, test_headers_reference);
	tcase_add_test(tc, test_msgids_reference);
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
