/*
 * The message writer (mime/compose.h): encoded words at folding
 * boundaries, line limits, transfer encodings, format=flowed, attachment
 * names, header injection in every field, Bcc modes, and round trips of
 * everything written through postie's own reader (mime.h), over the test
 * corpus and over random UTF-8.
 */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime.h"
#include "mime/mime_int.h"

/* ------------------------------------------------------------------ */
/* Helpers. */

/* Every line ends in CRLF, is at most 998 octets, and header lines at
 * most max_header (0: not checked). */
static void
assert_lines(const struct buf *b, size_t max_header)
{
	const char *s = buf_cstr(b);
	size_t pos = 0;
	int header = 1;

	while (pos < b->len) {
		const char *nl = memchr(s + pos, '\n', b->len - pos);
		size_t n;

		ck_assert_msg(nl != NULL, "last line has no line end");
		n = (size_t)(nl - (s + pos));
		ck_assert_msg(n > 0 && s[pos + n - 1] == '\r',
		    "bare LF at %zu", pos + n);
		n--;
		ck_assert_msg(memchr(s + pos, '\r', n) == NULL,
		    "bare CR in line at %zu", pos);
		ck_assert_msg(n <= 998, "line of %zu octets", n);
		if (n == 0)
			header = 0;
		if (header && max_header > 0)
			ck_assert_msg(n <= max_header,
			    "header line of %zu > %zu: %.*s", n, max_header,
			    (int)n, s + pos);
		pos += n + 2;
	}
}

/* Each encoded word is at most 75 characters and holds whole UTF-8
 * characters (decodes to valid UTF-8 on its own). */
static void
assert_words(const char *s)
{
	const char *p = s, *end = strstr(s, "\r\n\r\n");

	while ((p = strstr(p, "=?")) != NULL && (end == NULL || p < end)) {
		const char *q = strstr(p + 2, "?");
		const char *e;
		struct buf d = BUF_INIT;

		ck_assert_ptr_nonnull(q);
		e = strstr(q + 3, "?=");
		ck_assert_ptr_nonnull(e);
		e += 2;
		ck_assert_msg(e - p <= 75, "encoded word of %d: %.*s",
		    (int)(e - p), (int)(e - p), p);
		mime_rfc2047_decode(p, (size_t)(e - p), NULL, &d);
		ck_assert_msg(mime_utf8_valid(buf_cstr(&d), d.len),
		    "word splits a character: %.*s", (int)(e - p), p);
		buf_free(&d);
		p = e;
	}
}

/* The value of header name (unfolded, raw) in a written message. */
static char *
raw_header(const struct buf *msg, const char *name)
{
	struct mime_headers h;
	const struct mime_field *f;
	char *r;

	mime_headers_parse(buf_cstr(msg), msg->len, &h);
	f = mime_headers_get(&h, name);
	r = f ? xstrdup(f->value) : NULL;
	mime_headers_free(&h);
	return r;
}

static size_t
count_headers(const struct buf *msg, const char *name)
{
	struct mime_headers h;
	size_t i, n = 0;

	mime_headers_parse(buf_cstr(msg), msg->len, &h);
	for (i = 0; i < h.n; i++)
		if (str_casecmp(h.v[i].name, name) == 0)
			n++;
	mime_headers_free(&h);
	return n;
}

static char *
decoded_header(const struct buf *msg, const char *name)
{
	char *raw = raw_header(msg, name);
	struct buf d = BUF_INIT;

	ck_assert_msg(raw != NULL, "no %s header", name);
	mime_header_decode(raw, strlen(raw), NULL, &d);
	free(raw);
	return buf_detach(&d, NULL);
}

static void
base(struct mime_compose *m)
{
	mime_compose_init(m);
	mime_compose_set(&m->from.name, "Alice Martin");
	mime_compose_set(&m->from.addr, "alice@example.org");
	mime_addrlist_add(&m->to, "Bob", "bob@example.net");
}

static void
write_ok(struct mime_compose *m, const struct mime_write_opts *o,
    struct buf *out)
{
	struct error e = {""};
	int rc = mime_compose_write(m, o, out, &e);

	ck_assert_msg(rc == 0, "write failed: %s", e.msg);
	assert_lines(out, 0);
}

/* The body as the pager shows it with no wrapping, header block left out:
 * the text lines joined with LF. */
static char *
rendered_body(const struct buf *msg)
{
	struct mime_render_opts o = {MIME_PREFER_PLAIN, NULL, 0};
	struct mime_view *v = NULL;
	struct buf b = BUF_INIT;
	size_t i = 0;

	ck_assert_int_eq(mime_render(buf_cstr(msg), msg->len, &o, &v, NULL), 0);
	while (i < v->nlines && v->lines[i].kind == MIME_LINE_HEADER)
		i++;
	if (i > 0 && i < v->nlines && v->lines[i].len == 0)
		i++;
	for (; i < v->nlines; i++) {
		if (v->lines[i].kind == MIME_LINE_ATTACHMENT)
			break;
		buf_add(&b, v->lines[i].text, v->lines[i].len);
		buf_addch(&b, '\n');
	}
	/* the attachment list follows an empty line */
	if (v->nattachments > 0 && b.len >= 2 &&
	    b.data[b.len - 2] == '\n')
		buf_truncate(&b, b.len - 1);
	mime_view_free(&v);
	return buf_detach(&b, NULL);
}

/* Decoded bytes of the text/plain leaf, with CRLF read as LF. */
static char *
text_bytes(const struct buf *msg)
{
	struct mime_tree *t = mime_tree_parse(buf_cstr(msg), msg->len);
	struct mime_part *p = t->root;
	struct buf d = BUF_INIT, r = BUF_INIT;
	size_t i;

	if (p->child != NULL)
		p = p->child;
	ck_assert_str_eq(p->type, "text/plain");
	mime_cte_decode(p->cte, p->body, p->body_len, &d);
	for (i = 0; i < d.len; i++)
		if (!(d.data[i] == '\r' && i + 1 < d.len && d.data[i + 1] == '\n'))
			buf_addch(&r, d.data[i]);
	mime_tree_free(&t);
	buf_free(&d);
	return buf_detach(&r, NULL);
}

static char *
cte_of(const struct buf *msg)
{
	struct mime_tree *t = mime_tree_parse(buf_cstr(msg), msg->len);
	struct mime_part *p = t->root->child ? t->root->child : t->root;
	const struct mime_field *f =
	    mime_headers_get(&p->hdr, "Content-Transfer-Encoding");
	char *r = xstrdup(f ? f->value : "");

	mime_tree_free(&t);
	return r;
}

/* ------------------------------------------------------------------ */

/* CJK and emoji subjects, with ASCII prefixes of every length so the
 * characters fall on every folding and word boundary. */
START_TEST(test_encoded_words_boundaries)
{
	static const char *const pieces[] = {"日本語", "😀", "한국어",
	    "é", "𝄞", "中文字符", "🇫🇷", "e\xcc\x81"};
	size_t pre, k, n;

	for (pre = 0; pre < 80; pre += 3)
		for (k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++)
			for (n = 1; n < 60; n += 7) {
				struct buf in = BUF_INIT, out = BUF_INIT,
				           dec = BUF_INIT;
				struct mime_headers h;
				size_t i;
				struct error e = {""};

				for (i = 0; i < pre; i++)
					buf_addch(&in, i % 9 == 8 ? ' ' : 'a');
				for (i = 0; i < n; i++)
					buf_addstr(&in, pieces[k]);
				if (n > 20)
					buf_addstr(&in, " and ASCII at the end");
				ck_assert_int_eq(
				    mime_write_unstructured("Subject",
				        buf_cstr(&in), &out, &e),
				    0);
				assert_lines(&out, 78);
				assert_words(buf_cstr(&out));
				mime_headers_parse(buf_cstr(&out), out.len, &h);
				ck_assert_int_eq(h.n, 1);
				mime_header_decode(
				    h.v[0].value, h.v[0].vlen, NULL, &dec);
				{
					const char *want = buf_cstr(&in);

					while (*want == ' ')
						want++;
					ck_assert_str_eq(buf_cstr(&dec), want);
				}
				mime_headers_free(&h);
				buf_free(&in);
				buf_free(&out);
				buf_free(&dec);
			}
}
END_TEST

START_TEST(test_q_or_b)
{
	struct buf out = BUF_INIT;

	/* mostly ASCII: Q (21 octets against B's 24) */
	ck_assert_int_eq(mime_write_unstructured("Subject",
	                     "Z\xc3\xbcrichseeuferweg ist offen", &out, NULL),
	    0);
	ck_assert_str_eq(buf_cstr(&out),
	    "Subject: =?utf-8?Q?Z=C3=BCrichseeuferweg?= ist offen\r\n");
	/* a short word with two 8-bit characters: B (8 against 9) */
	buf_reset(&out);
	ck_assert_int_eq(
	    mime_write_unstructured("Subject", "Caf\xc3\xa9", &out, NULL), 0);
	ck_assert_str_eq(buf_cstr(&out), "Subject: =?utf-8?B?Q2Fmw6k=?=\r\n");
	buf_reset(&out);
	ck_assert_int_eq(mime_write_unstructured(
	                     "Subject", "日本語のテキスト", &out, NULL),
	    0);
	ck_assert_msg(strstr(buf_cstr(&out), "?B?") != NULL, "%s",
	    buf_cstr(&out));
	buf_reset(&out);
	/* ASCII that looks like an encoded word is encoded, so it reads
	 * back as typed */
	ck_assert_int_eq(mime_write_unstructured("Subject",
	                     "about =?utf-8?B?Zm9v?= words", &out, NULL),
	    0);
	{
		char *d = decoded_header(&out, "Subject");

		ck_assert_str_eq(d, "about =?utf-8?B?Zm9v?= words");
		free(d);
	}
	/* an ASCII word too long to fold stays under 998 */
	buf_reset(&out);
	{
		char big[3001];
		char *d;

		memset(big, 'x', 3000);
		big[3000] = '\0';
		ck_assert_int_eq(
		    mime_write_unstructured("Subject", big, &out, NULL), 0);
		assert_lines(&out, 78);
		d = decoded_header(&out, "Subject");
		ck_assert_str_eq(d, big);
		free(d);
	}
	/* long runs of blanks: kept, inside encoded words, lines within
	 * 78 */
	buf_reset(&out);
	{
		struct buf in = BUF_INIT;
		char *d;
		int k;

		buf_addstr(&in, "start");
		for (k = 0; k < 2000; k++)
			buf_addch(&in, k % 3 ? ' ' : '\t');
		buf_addstr(&in, "middle");
		for (k = 0; k < 12; k++)
			buf_addch(&in, ' ');
		buf_addstr(&in, "end  of   it");
		ck_assert_int_eq(mime_write_unstructured(
		                     "Subject", buf_cstr(&in), &out, NULL),
		    0);
		assert_lines(&out, 78);
		d = decoded_header(&out, "Subject");
		for (k = 0; in.data[k]; k++)
			if (in.data[k] == '\t')
				in.data[k] = ' ';
		ck_assert_str_eq(d, buf_cstr(&in));
		free(d);
		buf_free(&in);
	}
	/* short ASCII: as it is */
	buf_reset(&out);
	ck_assert_int_eq(
	    mime_write_unstructured("Subject", "  hello  world ", &out, NULL),
	    0);
	ck_assert_str_eq(buf_cstr(&out), "Subject: hello  world\r\n");
	buf_free(&out);
}
END_TEST

START_TEST(test_addresses)
{
	static const char *const names[] = {"Bob", "Martin, Bob",
	    "Bob \"the builder\"", "back\\slash", "Zo\xc3\xab M\xc3\xbcller",
	    "張偉", "=?utf-8?B?Zm9v?=", "a (b) <c>", "Dr. Who",
	    "x  y", "O'Brien", "😀 emoji 😀 name that is quite long to fold it "
	    "over a line boundary 😀"};
	struct mime_compose m;
	struct buf out = BUF_INIT;
	struct mime_addrlist back = {0};
	char *raw;
	size_t i;

	base(&m);
	mime_addrlist_free(&m.to);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char a[64];

		snprintf(a, sizeof(a), "user%zu@example.org", i);
		mime_addrlist_add(&m.to, names[i], a);
	}
	mime_addrlist_add(&m.cc, "", "plain@example.org");
	write_ok(&m, NULL, &out);
	assert_lines(&out, 78);
	assert_words(buf_cstr(&out));
	raw = raw_header(&out, "To");
	mime_addrlist_from_header(raw, strlen(raw), &back);
	ck_assert_uint_eq(back.n, m.to.n);
	for (i = 0; i < back.n; i++) {
		char want[64];

		snprintf(want, sizeof(want), "<user%zu@example.org>", i);
		ck_assert_str_eq(back.v[i].name, m.to.v[i].name);
		ck_assert_str_eq(back.v[i].addr, m.to.v[i].addr);
		/* the addr-spec is never encoded */
		ck_assert_ptr_nonnull(strstr(raw, want));
	}
	free(raw);
	raw = raw_header(&out, "Cc");
	ck_assert_str_eq(raw, "plain@example.org");
	free(raw);
	mime_addrlist_free(&back);
	/* the summary the index shows */
	{
		struct mime_summary *s = NULL;

		ck_assert_int_eq(
		    mime_summary_parse(buf_cstr(&out), out.len, &s, NULL), 0);
		ck_assert_str_eq(s->from, "Alice Martin <alice@example.org>");
		ck_assert_ptr_nonnull(
		    strstr(s->to, "Martin, Bob <user1@example.org>"));
		ck_assert_ptr_nonnull(strstr(s->to, "張偉 <user5@example.org>"));
		mime_summary_free(&s);
	}
	mime_compose_free(&m);
	buf_free(&out);
}
END_TEST

START_TEST(test_smtputf8)
{
	struct mime_compose m;
	struct buf out = BUF_INIT;
	struct mime_write_opts o = {MIME_WRITE_WIRE, 0, 0, NULL};
	struct error e = {""};
	char *raw;

	base(&m);
	mime_addrlist_add(&m.to, "Jürgen", "jürgen@bücher.de");
	ck_assert_int_eq(mime_compose_write(&m, &o, &out, &e), -1);
	ck_assert_msg(strstr(e.msg, "To:") == e.msg && strstr(e.msg, "SMTPUTF8"),
	    "%s", e.msg);
	buf_reset(&out);
	o.smtputf8 = 1;
	write_ok(&m, &o, &out);
	raw = raw_header(&out, "To");
	ck_assert_ptr_nonnull(strstr(raw, "<jürgen@bücher.de>"));
	free(raw);
	mime_compose_free(&m);
	buf_free(&out);

	/* invalid addresses are refused with the field's name */
	base(&m);
	mime_addrlist_add(&m.cc, "", "no-at-sign");
	ck_assert_int_eq(mime_compose_write(&m, NULL, &out, &e), -1);
	ck_assert_msg(strncmp(e.msg, "Cc:", 3) == 0, "%s", e.msg);
	mime_compose_free(&m);
	base(&m);
	mime_compose_set(&m.from.addr, "");
	ck_assert_int_eq(mime_compose_write(&m, NULL, &out, &e), -1);
	ck_assert_msg(strncmp(e.msg, "From:", 5) == 0, "%s", e.msg);
	mime_compose_free(&m);
	buf_free(&out);
	ck_assert_int_eq(mime_addr_check("\"john doe\"@example.org", 0, "To",
	                     NULL),
	    0);
	ck_assert_int_eq(mime_addr_check("a@[192.0.2.1]", 0, "To", NULL), 0);
	ck_assert_int_eq(mime_addr_check("a..b@x.org", 0, "To", NULL), -1);
	ck_assert_int_eq(mime_addr_check("a@x..org", 0, "To", NULL), -1);
	ck_assert_int_eq(mime_addr_check("a b@x.org", 0, "To", NULL), -1);
	ck_assert_int_eq(mime_addr_check("a@x.org>", 0, "To", NULL), -1);
}
END_TEST

START_TEST(test_transfer_encodings)
{
	struct mime_compose m;
	struct buf out = BUF_INIT, big = BUF_INIT;
	struct mime_write_opts o8 = {MIME_WRITE_WIRE, 1, 0, NULL};
	char *cte, *t;
	size_t i;

	/* plain ASCII: 7bit, us-ascii */
	base(&m);
	mime_compose_set(&m.body, "Hello,\nthis is plain.\n");
	write_ok(&m, NULL, &out);
	cte = cte_of(&out);
	ck_assert_str_eq(cte, "7bit");
	free(cte);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&out), "charset=us-ascii"));
	ck_assert_ptr_nonnull(strstr(buf_cstr(&out), "\r\n\r\nHello,\r\nthis "
	                                             "is plain.\r\n"));
	/* mostly ASCII with a few 8-bit characters: QP */
	buf_reset(&out);
	mime_compose_set(&m.body, "Grüße aus Köln,\nund noch eine Zeile.\n"
	                          "From here = there.\n.\n");
	write_ok(&m, NULL, &out);
	cte = cte_of(&out);
	ck_assert_str_eq(cte, "quoted-printable");
	free(cte);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&out), "charset=utf-8"));
	ck_assert_ptr_nonnull(strstr(buf_cstr(&out), "\r\n=46rom here =3D"));
	t = text_bytes(&out);
	ck_assert_str_eq(t, m.body);
	free(t);
	/* ... 8bit when the server takes it */
	buf_reset(&out);
	write_ok(&m, &o8, &out);
	cte = cte_of(&out);
	ck_assert_str_eq(cte, "8bit");
	free(cte);
	t = text_bytes(&out);
	ck_assert_str_eq(t, m.body);
	free(t);
	/* mostly non-ASCII: base64 */
	buf_reset(&out);
	mime_compose_set(&m.body, "日本語のテキストです。\n中文的文本。\n");
	write_ok(&m, NULL, &out);
	cte = cte_of(&out);
	ck_assert_str_eq(cte, "base64");
	free(cte);
	t = text_bytes(&out);
	ck_assert_str_eq(t, m.body);
	free(t);
	/* a 5000-octet ASCII line: QP, every line within 76 */
	for (i = 0; i < 5000; i++)
		buf_addch(&big, "abcdefgh "[i % 9]);
	buf_addstr(&big, "\nshort \n");
	mime_compose_set(&m.body, buf_cstr(&big));
	for (i = 0; i < 2; i++) {
		buf_reset(&out);
		write_ok(&m, i ? &o8 : NULL, &out);
		cte = cte_of(&out);
		ck_assert_str_eq(cte, "quoted-printable");
		free(cte);
		{
			const char *b = strstr(buf_cstr(&out), "\r\n\r\n") + 4;
			const char *l = b;

			while (*l) {
				const char *e = strstr(l, "\r\n");

				ck_assert_int_le(e - l, 76);
				l = e + 2;
			}
		}
		t = text_bytes(&out);
		ck_assert_str_eq(t, buf_cstr(&big));
		free(t);
	}
	/* a lone CR survives too */
	buf_reset(&out);
	mime_compose_set(&m.body, "a\rb\n");
	write_ok(&m, NULL, &out);
	t = text_bytes(&out);
	ck_assert_str_eq(t, "a\rb\n");
	free(t);
	/* text that is not UTF-8 is refused */
	buf_reset(&out);
	mime_compose_set(&m.body, "caf\xe9\n");
	{
		struct error e = {""};

		ck_assert_int_eq(mime_compose_write(&m, NULL, &out, &e), -1);
		ck_assert_ptr_nonnull(strstr(e.msg, "UTF-8"));
	}
	mime_compose_free(&m);
	buf_free(&out);
	buf_free(&big);
}
END_TEST

START_TEST(test_flowed)
{
	struct mime_compose m;
	struct buf out = BUF_INIT, para = BUF_INIT, want = BUF_INIT;
	char *got, *raw;
	const char *b, *l;
	size_t i;

	for (i = 0; i < 40; i++)
		buf_addstr(&para, i % 7 == 6 ? "wörds  " : "words ");
	buf_addstr(&para, "end");
	base(&m);
	m.flowed = 1;
	buf_printf(&want, "%s\n\n> %s\n>> nested quote\n From stuffed\n"
	                  "From the start\n-- \nAlice\n",
	    buf_cstr(&para), buf_cstr(&para));
	mime_compose_set(&m.body, buf_cstr(&want));
	write_ok(&m, NULL, &out);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&out), "format=flowed"));
	raw = text_bytes(&out);
	/* every line within 78, soft breaks end in a blank */
	for (l = raw; *l;) {
		const char *e = strchr(l, '\n');

		ck_assert_int_le(e - l, 78);
		l = e + 1;
	}
	ck_assert_ptr_nonnull(strstr(raw, "\n  From stuffed\n"));
	ck_assert_ptr_nonnull(strstr(raw, "\n From the start\n"));
	ck_assert_ptr_nonnull(strstr(raw, "\n-- \nAlice\n"));
	ck_assert_ptr_nonnull(strstr(raw, "\n>> nested quote\n"));
	free(raw);
	/* and the reader joins it back */
	got = rendered_body(&out);
	buf_reset(&want);
	buf_printf(&want, "%s\n\n> %s\n>> nested quote\n From stuffed\n"
	                  "From the start\n-- \nAlice\n",
	    buf_cstr(&para), buf_cstr(&para));
	ck_assert_str_eq(got, buf_cstr(&want));
	free(got);
	(void)b;
	mime_compose_free(&m);
	buf_free(&out);
	buf_free(&para);
	buf_free(&want);
}
END_TEST

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

START_TEST(test_attachments)
{
	static const char *const names[] = {"report.pdf",
	    "with \"quotes\" and \\backslash.txt", "résumé.pdf",
	    "日本語のファイル名がとても長い場合のテストです日本語のファイル名.png",
	    "=?utf-8?B?Zm9v?=.bin", "a name; with=specials (and) <more>.zip",
	    "very-long-ascii-name-that-goes-on-and-on-and-on-and-on-and-on-"
	    "and-on-and-on.tar.gz",
	    "😀.gif"};
	char dir[] = "/tmp/check_mime_write.XXXXXX", path[256], types[256];
	struct mime_compose m;
	struct buf out = BUF_INIT, bin = BUF_INIT, d = BUF_INIT;
	struct mime_view *v = NULL;
	struct mime_write_opts o = {MIME_WRITE_WIRE, 0, 0, NULL};
	size_t i, n = sizeof(names) / sizeof(names[0]);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(types, sizeof(types), "%s/mime.types", dir);
	{
		static const char mt[] = "# test\napplication/pdf\t\tpdf\n"
		                         "image/png png\n"
		                         "application/x-test-zip zip\n";

		write_file(types, mt, strlen(mt));
	}
	o.mime_types = types;
	for (i = 0; i < 1000; i++)
		buf_addch(&bin, (char)(i * 7 + 3));
	base(&m);
	mime_compose_set(&m.body, "See attached.\n");
	for (i = 0; i < n; i++)
		mime_compose_attach_data(&m, bin.data, bin.len - i, names[i],
		    NULL);
	snprintf(path, sizeof(path), "%s/notes", dir);
	write_file(path, "plain text\nfile\n", 16);
	mime_compose_attach_file(&m, path, NULL, NULL);
	snprintf(path, sizeof(path), "%s/blob", dir);
	write_file(path, "\x01\x02\x00\xff", 4);
	mime_compose_attach_file(&m, path, "Blob ü", NULL);
	write_ok(&m, &o, &out);
	assert_lines(&out, 78);
	ck_assert_int_eq(
	    mime_render(buf_cstr(&out), out.len, NULL, &v, NULL), 0);
	ck_assert_uint_eq(v->nattachments, n + 2);
	for (i = 0; i < n + 2; i++) {
		buf_reset(&d);
		ck_assert_int_eq(mime_attachment_data(v, i, &d, NULL), 0);
		if (i < n) {
			ck_assert_str_eq(v->attachments[i].name, names[i]);
			ck_assert_uint_eq(d.len, bin.len - i);
			ck_assert_int_eq(memcmp(d.data, bin.data, d.len), 0);
		}
	}
	ck_assert_str_eq(v->attachments[0].type, "application/pdf");
	ck_assert_str_eq(v->attachments[3].type, "image/png");
	ck_assert_str_eq(v->attachments[5].type, "application/x-test-zip");
	ck_assert_str_eq(v->attachments[6].type, "application/octet-stream");
	ck_assert_str_eq(v->attachments[n].name, "notes");
	ck_assert_str_eq(v->attachments[n].type, "text/plain");
	ck_assert_str_eq(v->attachments[n + 1].name, "Blob ü");
	ck_assert_str_eq(v->attachments[n + 1].type,
	    "application/octet-stream");
	mime_attachment_data(v, n, &d, NULL);
	mime_view_free(&v);
	/* the plain fallback is ASCII and never an encoded word */
	{
		const char *p = buf_cstr(&out);

		while ((p = strstr(p, " filename=\"")) != NULL) {
			const char *q = strchr(p + 11, '"');

			for (p += 11; p < q; p++)
				ck_assert((unsigned char)*p < 0x80);
			ck_assert(memmem(p - 11, (size_t)(q - p + 11), "=?",
			              2) == NULL);
		}
	}
	/* a file that is gone: an error naming it */
	{
		struct error e = {""};

		mime_compose_attach_file(&m, "/nonexistent/x.pdf", NULL, NULL);
		buf_reset(&out);
		ck_assert_int_eq(mime_compose_write(&m, &o, &out, &e), -1);
		ck_assert_msg(strstr(e.msg, "/nonexistent/x.pdf") != NULL, "%s",
		    e.msg);
		mime_compose_detach(&m, m.nattach - 1);
		/* a type that is none */
		mime_compose_attach_data(&m, "x", 1, "x", "text/plain\r\nBcc: x");
		ck_assert_int_eq(mime_compose_write(&m, &o, &out, &e), -1);
		mime_compose_detach(&m, m.nattach - 1);
		mime_compose_attach_data(&m, "x", 1, "evil\r\nBcc: x@y", NULL);
		ck_assert_int_eq(mime_compose_write(&m, &o, &out, &e), -1);
	}
	mime_compose_free(&m);
	unlink(types);
	snprintf(path, sizeof(path), "%s/notes", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/blob", dir);
	unlink(path);
	rmdir(dir);
	buf_free(&out);
	buf_free(&bin);
	buf_free(&d);
}
END_TEST

START_TEST(test_mime_types_lookup)
{
	char *owned = NULL;
	const char *t;

	/* without a readable file: the built-in table */
	t = mime_type_for_name("x.PDF", "/nonexistent/mime.types", &owned);
	ck_assert_str_eq(t, "application/pdf");
	ck_assert_ptr_null(owned);
	ck_assert_ptr_null(
	    mime_type_for_name("noext", "/nonexistent/mime.types", &owned));
	ck_assert_ptr_null(
	    mime_type_for_name("x.unknownext", "/nonexistent/m", &owned));
	if (access("/etc/mime.types", R_OK) == 0) {
		t = mime_type_for_name("photo.jpg", NULL, &owned);
		ck_assert_str_eq(t, "image/jpeg");
		free(owned);
	}
}
END_TEST

/* Each field, each way a line break could sneak in. */
START_TEST(test_injection)
{
	static const char *const evil[] = {"x\r\nBcc: evil@example.org",
	    "x\nBcc: evil@example.org", "x\rBcc: evil@example.org",
	    "x\r\n\r\nbody", "x\x1b[31m", "x\x7f", "x\x0b"};
	static const char *const fields[] = {"Subject", "From", "From", "To",
	    "To", "Cc", "Bcc", "Reply-To", "In-Reply-To", "References",
	    "X-Custom", "User-Agent", "X-Custom", "Mail-Followup-To"};
	size_t f, k;

	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		for (k = 0; k < sizeof(evil) / sizeof(evil[0]); k++) {
			struct mime_compose m;
			struct buf out = BUF_INIT, v = BUF_INIT;
			struct error e = {""};

			base(&m);
			buf_addstr(&v, evil[k]);
			switch (f) {
			case 0: mime_compose_set(&m.subject, v.data); break;
			case 1: mime_compose_set(&m.from.name, v.data); break;
			case 2:
				buf_reset(&v);
				buf_printf(&v, "a%s@example.org", evil[k]);
				mime_compose_set(&m.from.addr, v.data);
				break;
			case 3: mime_addrlist_add(&m.to, v.data, "c@d.org"); break;
			case 4: mime_addrlist_add(&m.to, "", v.data); break;
			case 5: mime_addrlist_add(&m.cc, v.data, "c@d.org"); break;
			case 6: mime_addrlist_add(&m.bcc, "", v.data); break;
			case 7:
				mime_addrlist_add(&m.reply_to, v.data, "r@d.org");
				break;
			case 8: mime_compose_set(&m.in_reply_to, v.data); break;
			case 9: mime_compose_add_reference(&m, v.data); break;
			case 10: mime_compose_add_header(&m, "X-Custom", v.data);
				break;
			case 11: mime_compose_set(&m.user_agent, v.data); break;
			case 12: mime_compose_add_header(&m, v.data, "value");
				break;
			case 13:
				mime_addrlist_add(&m.followup_to, "", v.data);
				break;
			}
			ck_assert_msg(mime_compose_write(&m, NULL, &out, &e) == -1,
			    "field %zu value %zu was written", f, k);
			/* the error names the field (for a bad header name,
			 * the name itself) */
			if (f != 12)
				ck_assert_msg(strncmp(e.msg, fields[f],
				                  strlen(fields[f])) == 0,
				    "field %s: %s", fields[f], e.msg);
			else
				ck_assert_msg(strstr(e.msg, "header name"), "%s",
				    e.msg);
			mime_compose_free(&m);
			buf_free(&out);
			buf_free(&v);
		}
	/* header names postie writes cannot be smuggled as custom ones */
	{
		struct mime_compose m;
		struct buf out = BUF_INIT;
		struct error e = {""};

		base(&m);
		mime_compose_add_header(&m, "bcc", "x@y.org");
		ck_assert_int_eq(mime_compose_write(&m, NULL, &out, &e), -1);
		mime_compose_free(&m);
		base(&m);
		mime_compose_add_header(&m, "Content-Type", "text/html");
		ck_assert_int_eq(mime_compose_write(&m, NULL, &out, &e), -1);
		mime_compose_free(&m);
		/* a TAB is no line break: allowed, read back as a blank */
		base(&m);
		mime_compose_set(&m.subject, "a\tb");
		mime_compose_add_header(&m, "X-Ok", "fine\tvalue");
		write_ok(&m, NULL, &out);
		ck_assert_uint_eq(count_headers(&out, "Bcc"), 0);
		mime_compose_free(&m);
		buf_free(&out);
	}
}
END_TEST

START_TEST(test_bcc_modes)
{
	struct mime_compose m;
	struct buf wire = BUF_INIT, copy = BUF_INIT;
	struct mime_write_opts oc = {MIME_WRITE_COPY, 0, 0, NULL};
	struct mime_addrlist r = {0};
	char *id1, *d1, *v;

	base(&m);
	mime_addrlist_add(&m.cc, "Carol", "carol@example.net");
	mime_addrlist_add(&m.bcc, "Secret", "secret@example.com");
	mime_addrlist_add(&m.bcc, "", "bob@example.net"); /* also in To */
	mime_compose_set(&m.subject, "Bcc test");
	write_ok(&m, NULL, &wire);
	ck_assert_uint_eq(count_headers(&wire, "Bcc"), 0);
	ck_assert_ptr_null(strstr(buf_cstr(&wire), "secret@example.com"));
	ck_assert_uint_eq(count_headers(&wire, "Subject"), 1);
	id1 = raw_header(&wire, "Message-ID");
	d1 = raw_header(&wire, "Date");
	mime_compose_set(&m.subject, " \t ");
	write_ok(&m, &oc, &copy);
	/* a blank subject is left out rather than written "Subject: " */
	ck_assert_uint_eq(count_headers(&copy, "Subject"), 0);
	v = raw_header(&copy, "Bcc");
	ck_assert_str_eq(v, "Secret <secret@example.com>, bob@example.net");
	free(v);
	/* the same message: the same id and date in both copies */
	v = raw_header(&copy, "Message-ID");
	ck_assert_str_eq(v, id1);
	free(v);
	v = raw_header(&copy, "Date");
	ck_assert_str_eq(v, d1);
	free(v);
	mime_compose_recipients(&m, &r);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_str_eq(r.v[0].addr, "bob@example.net");
	ck_assert_str_eq(r.v[1].addr, "carol@example.net");
	ck_assert_str_eq(r.v[2].addr, "secret@example.com");
	mime_addrlist_free(&r);
	free(id1);
	free(d1);
	mime_compose_free(&m);
	buf_free(&wire);
	buf_free(&copy);
}
END_TEST

START_TEST(test_id_and_date)
{
	struct mime_compose a, b;
	struct buf out = BUF_INIT;
	char *ida, *idb, *date;
	time_t t;
	int zone;

	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	base(&a);
	base(&b);
	a.date = 1765108800; /* 2025-12-07 12:00:00 UTC */
	write_ok(&a, NULL, &out);
	write_ok(&b, NULL, &out);
	ida = xstrdup(a.message_id);
	idb = xstrdup(b.message_id);
	ck_assert_str_ne(ida, idb);
	ck_assert_uint_eq(strlen(ida), strlen("@example.org") + 32);
	ck_assert_ptr_nonnull(strstr(ida, "@example.org"));
	buf_reset(&out);
	write_ok(&a, NULL, &out);
	date = raw_header(&out, "Date");
	ck_assert_str_eq(date, "Sun, 7 Dec 2025 13:00:00 +0100");
	ck_assert_int_eq(mime_date_parse(date, strlen(date), &t, &zone), 0);
	ck_assert_int_eq(t, a.date);
	ck_assert_int_eq(zone, 60);
	free(date);
	date = raw_header(&out, "MIME-Version");
	ck_assert_str_eq(date, "1.0");
	free(date);
	/* a From domain that is no plain ASCII host: localhost */
	free(ida);
	ida = mime_message_id_new("x@[192.0.2.1]");
	ck_assert_ptr_nonnull(strstr(ida, "@localhost"));
	free(ida);
	ida = mime_message_id_new("x@b\xc3\xbc" "cher.de");
	ck_assert_str_eq(ida + 32, "@localhost");
	free(ida);
	ida = mime_message_id_new("x@example-domain_x.org");
	ck_assert_str_eq(ida + 32, "@localhost");
	free(ida);
	free(idb);
	mime_compose_free(&a);
	mime_compose_free(&b);
	buf_free(&out);
	unsetenv("TZ");
	tzset();
}
END_TEST

START_TEST(test_rfc822_part)
{
	static const char inner[] = "From: Zoë <z@example.org>\n"
	                            "Subject: inner one\n\nInner text ü.\n";
	struct mime_compose m;
	struct buf out = BUF_INIT;
	struct mime_write_opts o8 = {MIME_WRITE_WIRE, 1, 0, NULL};
	char *body;
	int k;

	for (k = 0; k < 2; k++) {
		base(&m);
		mime_compose_attach_message(&m, inner, strlen(inner));
		buf_reset(&out);
		write_ok(&m, k ? &o8 : NULL, &out);
		ck_assert_ptr_nonnull(strstr(buf_cstr(&out),
		    k ? "Content-Transfer-Encoding: 8bit"
		      : "Content-Transfer-Encoding: base64"));
		ck_assert_ptr_nonnull(
		    strstr(buf_cstr(&out), "Content-Type: message/rfc822"));
		body = rendered_body(&out);
		ck_assert_msg(strstr(body, "Subject: inner one") != NULL &&
		        strstr(body, "Inner text ü.") != NULL,
		    "%s", body);
		free(body);
		mime_compose_free(&m);
	}
	buf_free(&out);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Round trips. */

/* Whether a display string is something the writer takes: no control. */
static void
roundtrip_one(const char *what, const char *subject,
    const struct mime_addrlist *from, const struct mime_addrlist *to,
    const struct mime_addrlist *cc, const char *body,
    struct mime_view *orig_view)
{
	struct mime_compose m;
	struct buf out = BUF_INIT, d = BUF_INIT, o = BUF_INIT;
	struct mime_write_opts oc = {MIME_WRITE_COPY, 0, 0, NULL};
	struct mime_summary *s = NULL;
	struct mime_view *v = NULL;
	struct mime_addrlist back = {0};
	char *raw, *got;
	size_t i, k;

	mime_compose_init(&m);
	if (from->n > 0) {
		mime_compose_set(&m.from.name, from->v[0].name);
		mime_compose_set(&m.from.addr, from->v[0].addr);
	} else
		mime_compose_set(&m.from.addr, "nobody@example.org");
	mime_addrlist_merge(&m.to, to);
	mime_addrlist_merge(&m.cc, cc);
	mime_compose_set(&m.subject, subject);
	mime_compose_set(&m.body, body);
	for (i = 0; orig_view && i < orig_view->nattachments; i++) {
		buf_reset(&d);
		mime_attachment_data(orig_view, i, &d, NULL);
		mime_compose_attach_data(&m, buf_cstr(&d), d.len,
		    orig_view->attachments[i].name, NULL);
	}
	write_ok(&m, &oc, &out);
	assert_words(buf_cstr(&out));
	ck_assert_int_eq(
	    mime_summary_parse(buf_cstr(&out), out.len, &s, NULL), 0);
	ck_assert_msg(strcmp(s->subject, subject) == 0,
	    "%s: subject [%s] read back as [%s]", what, subject, s->subject);
	mime_summary_free(&s);
	raw = raw_header(&out, "To");
	if (m.to.n > 0) {
		ck_assert_ptr_nonnull(raw);
		mime_addrlist_from_header(raw, strlen(raw), &back);
		ck_assert_uint_eq(back.n, m.to.n);
		for (k = 0; k < back.n; k++) {
			ck_assert_msg(strcmp(back.v[k].name, m.to.v[k].name) == 0,
			    "%s: name [%s] read back as [%s]", what,
			    m.to.v[k].name, back.v[k].name);
			ck_assert_str_eq(back.v[k].addr, m.to.v[k].addr);
		}
	}
	free(raw);
	mime_addrlist_free(&back);
	got = rendered_body(&out);
	ck_assert_msg(strcmp(got, body) == 0, "%s: body\n[%s]\nread back as\n[%s]",
	    what, body, got);
	free(got);
	if (orig_view != NULL) {
		ck_assert_int_eq(
		    mime_render(buf_cstr(&out), out.len, NULL, &v, NULL), 0);
		ck_assert_uint_eq(v->nattachments, orig_view->nattachments);
		for (i = 0; i < v->nattachments; i++) {
			ck_assert_str_eq(v->attachments[i].name,
			    orig_view->attachments[i].name);
			buf_reset(&d);
			buf_reset(&o);
			mime_attachment_data(v, i, &d, NULL);
			mime_attachment_data(orig_view, i, &o, NULL);
			ck_assert_uint_eq(d.len, o.len);
			ck_assert(d.len == 0 || memcmp(d.data, o.data, d.len) == 0);
		}
		mime_view_free(&v);
	}
	mime_compose_free(&m);
	buf_free(&out);
	buf_free(&d);
	buf_free(&o);
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

static void
list_of(const struct buf *raw, const char *name, struct mime_addrlist *l)
{
	char *v = raw_header(raw, name);

	if (v != NULL)
		mime_addrlist_from_header(v, strlen(v), l);
	free(v);
	/* the writer refuses what it cannot write: addresses with blanks
	 * or controls were dropped by the reader already */
}

static int
corpus_dir(const char *sub)
{
	char dir[4096];
	const char *top = getenv("top_srcdir");
	DIR *d;
	struct dirent *de;
	int count = 0;

	snprintf(dir, sizeof(dir), "%s/tests/data/%s", top ? top : ".", sub);
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		struct buf raw = BUF_INIT;
		struct mime_summary *s = NULL;
		struct mime_view *v = NULL;
		struct mime_render_opts ro = {MIME_PREFER_PLAIN, NULL, 0};
		struct mime_addrlist from = {0}, to = {0}, cc = {0};
		char path[4096], *body;
		size_t len = strlen(de->d_name), i;

		if (len < 5 || strcmp(de->d_name + len - 4, ".eml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ck_assert_int_eq(slurp(path, &raw), 0);
		ck_assert_int_eq(
		    mime_summary_parse(buf_cstr(&raw), raw.len, &s, NULL), 0);
		list_of(&raw, "From", &from);
		list_of(&raw, "To", &to);
		list_of(&raw, "Cc", &cc);
		/* addresses the writer would refuse (not 7-bit) stay out */
		for (i = 0; i < to.n; i++)
			if (mime_addr_check(to.v[i].addr, 0, "", NULL) < 0)
				to.v[i].addr[0] = '\0';
		{
			struct mime_addrlist drop = {0};

			mime_addrlist_add(&drop, "", "");
			mime_addrlist_remove(&to, &drop);
			mime_addrlist_free(&drop);
		}
		ck_assert_int_eq(
		    mime_render(buf_cstr(&raw), raw.len, &ro, &v, NULL), 0);
		{
			struct buf tmp = BUF_INIT;

			/* the original's text as the pager shows it */
			buf_add(&tmp, raw.data, raw.len);
			body = rendered_body(&tmp);
			buf_free(&tmp);
		}
		roundtrip_one(de->d_name, s->subject, &from, &to, &cc, body, v);
		free(body);
		mime_view_free(&v);
		mime_summary_free(&s);
		mime_addrlist_free(&from);
		mime_addrlist_free(&to);
		mime_addrlist_free(&cc);
		buf_free(&raw);
		count++;
	}
	closedir(d);
	return count;
}

START_TEST(test_corpus_roundtrip)
{
	ck_assert_int_ge(corpus_dir("mime"), 30);
	ck_assert_int_ge(corpus_dir("fixtures"), 10);
}
END_TEST

/* Random UTF-8 from characters chosen to hit every rule: specials,
 * quotes, "=?", blanks, Latin, CJK, emoji, combining marks. */
static void
random_text(unsigned *seed, size_t maxlen, int lines, struct buf *out)
{
	static const char *const pool[] = {"a", "Z", "0", " ", " ", "  ", "\"",
	    "\\", "(", ")", "<", ">", ",", ";", ":", "@", ".", "=?", "?=", "=",
	    "_", "?", "é", "ß", "ü", "日", "本", "語", "한", "😀", "🇫🇷",
	    "\xcc\x81", "€", "'", "From ", ">", "-- ", "%", "*", "word",
	    "longerwordthatkeepsgoing"};
	size_t n = (size_t)(rand_r(seed) % (int)maxlen), i;

	for (i = 0; i < n; i++) {
		unsigned r = (unsigned)rand_r(seed);

		if (lines && r % 23 == 0)
			buf_addch(out, '\n');
		else
			buf_addstr(out, pool[r % (sizeof(pool) / sizeof(pool[0]))]);
	}
}

static char *
trimmed(const char *s)
{
	size_t n;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return xstrndup(s, n);
}

/* What the pager shows of a text: trailing blanks of lines and trailing
 * empty lines dropped. */
static char *
as_shown(const char *s)
{
	struct buf b = BUF_INIT;
	const char *l = s;

	while (*l) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);

		while (n > 0 && l[n - 1] == ' ' &&
		    !(n == 3 && memcmp(l, "-- ", 3) == 0))
			n--;
		buf_add(&b, l, n);
		buf_addch(&b, '\n');
		l = e ? e + 1 : l + strlen(l);
	}
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		buf_truncate(&b, b.len - 1);
	if (b.len > 0)
		buf_addch(&b, '\n');
	return buf_detach(&b, NULL);
}

START_TEST(test_random_roundtrip)
{
	unsigned seed = 24;
	int iter;

	for (iter = 0; iter < 1500; iter++) {
		struct buf subj = BUF_INIT, name = BUF_INIT, body = BUF_INIT,
		           aname = BUF_INIT;
		struct mime_addrlist from = {0}, to = {0}, cc = {0};
		struct mime_compose m;
		struct buf out = BUF_INIT, d = BUF_INIT;
		struct mime_view *v = NULL;
		char *ts, *tn, *shown;

		random_text(&seed, 120, 0, &subj);
		random_text(&seed, 40, 0, &name);
		random_text(&seed, 400, 1, &body);
		random_text(&seed, 80, 0, &aname);
		ts = trimmed(buf_cstr(&subj));
		tn = trimmed(buf_cstr(&name));
		mime_addrlist_add(&to, tn, "to@example.org");
		mime_addrlist_add(&to, "", "second@example.org");
		shown = as_shown(buf_cstr(&body));
		roundtrip_one("random", ts, &from, &to, &cc, shown, NULL);

		/* the attachment name and bytes, and flowed text */
		mime_compose_init(&m);
		mime_compose_set(&m.from.addr, "a@example.org");
		mime_compose_set(&m.body, shown);
		m.flowed = iter % 2;
		mime_compose_attach_data(&m, buf_cstr(&body), body.len,
		    buf_cstr(&aname), NULL);
		write_ok(&m, NULL, &out);
		ck_assert_int_eq(
		    mime_render(buf_cstr(&out), out.len, NULL, &v, NULL), 0);
		ck_assert_uint_eq(v->nattachments, 1);
		ck_assert_msg(strcmp(v->attachments[0].name,
		                  buf_cstr(&aname)) == 0 ||
		        aname.len == 0,
		    "name [%s] read back as [%s]", buf_cstr(&aname),
		    v->attachments[0].name);
		mime_attachment_data(v, 0, &d, NULL);
		ck_assert_uint_eq(d.len, body.len);
		ck_assert(d.len == 0 || memcmp(d.data, body.data, d.len) == 0);
		mime_view_free(&v);
		if (m.flowed) {
			char *got = rendered_body(&out), *want;
			struct buf w = BUF_INIT;
			const char *l = shown;

			/* flowed keeps the text; only quote prefixes are
			 * normalised (">>x" reads ">> x") and blanks
			 * before line ends go */
			while (*l) {
				const char *e = strchr(l, '\n');
				size_t n = (size_t)(e - l), p = 0;
				int dd = 0;

				while (p < n && l[p] == '>') {
					dd++;
					p++;
					if (p < n && l[p] == ' ' &&
					    p + 1 < n && l[p + 1] == '>')
						p++;
				}
				if (dd > 0) {
					int q;

					for (q = 0; q < dd; q++)
						buf_addch(&w, '>');
					if (p < n && l[p] == ' ')
						p++;
					if (p < n)
						buf_addch(&w, ' ');
				}
				buf_add(&w, l + p, n - p);
				buf_addch(&w, '\n');
				l = e + 1;
			}
			want = as_shown(buf_cstr(&w));
			if (strcmp(got, want) != 0) {
				/* the pager strips the blanks the writer
				 * kept before a quote's text */
				ck_assert_msg(0, "flowed body\n[%s]\nread back "
				                 "as\n[%s]",
				    want, got);
			}
			free(want);
			free(got);
			buf_free(&w);
		}
		mime_compose_free(&m);
		buf_free(&out);
		buf_free(&d);
		free(ts);
		free(tn);
		free(shown);
		mime_addrlist_free(&from);
		mime_addrlist_free(&to);
		mime_addrlist_free(&cc);
		buf_free(&subj);
		buf_free(&name);
		buf_free(&body);
		buf_free(&aname);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mime_write");
	TCase *tc = tcase_create("all");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_encoded_words_boundaries);
	tcase_add_test(tc, test_q_or_b);
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_smtputf8);
	tcase_add_test(tc, test_transfer_encodings);
	tcase_add_test(tc, test_flowed);
	tcase_add_test(tc, test_attachments);
	tcase_add_test(tc, test_mime_types_lookup);
	tcase_add_test(tc, test_injection);
	tcase_add_test(tc, test_bcc_modes);
	tcase_add_test(tc, test_id_and_date);
	tcase_add_test(tc, test_rfc822_part);
	tcase_add_test(tc, test_corpus_roundtrip);
	tcase_add_test(tc, test_random_roundtrip);
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
