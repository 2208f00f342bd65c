/*
 * mime_bench DIR [N]: throughput of the MIME layer.
 *
 * Prints rows "work<TAB>figure<TAB>target<TAB>verdict" (bench/run):
 *   - rendering MB/s over the mixed corpus DIR/NAME.eml (as postie view);
 *   - the time to render one generated 20 MB message;
 *   - the time to parse the headers (mime_summary_parse) of N generated
 *     messages (default 100000), and the rate per second.
 * Input is generated with a fixed seed, so runs compare.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "mime/mime.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

static size_t
render(const char *s, size_t len)
{
	struct mime_render_opts o = {MIME_PREFER_PLAIN, NULL, 80};
	struct mime_view *v;
	size_t n;

	if (mime_render(s, len, &o, &v, NULL) != 0)
		return 0;
	n = v->nlines;
	mime_view_free(&v);
	return n;
}

static unsigned long seed = 12345;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((seed >> 33) % n);
}

static void
gen_header(struct buf *b, unsigned i)
{
	static const char *const names[] = {"Alice Example",
	    "=?utf-8?q?J=C3=BCrgen_M=C3=BCller?=", "\"Doe, John\"",
	    "=?iso-8859-1?q?Andr=E9?= Pirard", "=?utf-8?b?5bGx55Sw5aSq6YOO?="};
	static const char *const subjects[] = {"Meeting notes for Tuesday",
	    "Re: [list] patch v2 3/7: fix the parser",
	    "=?utf-8?q?Caf=C3=A9_au_lait?= and more",
	    "=?utf-8?b?5Lya6K6u6K6w5b2V?=", "Fwd: Re: Re: quarterly numbers"};

	buf_printf(b,
	    "Received: from mx%u.example.net (mx%u.example.net "
	    "[192.0.2.%u]) by mail.example.org with ESMTPS id %08x for "
	    "<bob@example.org>; Tue, 1 Jul 2003 10:52:37 +0200\n",
	    i % 7, i % 7, i % 250, i);
	buf_printf(b, "From: %s <user%u@example.com>\n", names[rnd(5)], i);
	buf_printf(
	    b, "To: Bob <bob@example.org>, team%u@example.org\n", rnd(50));
	if (rnd(3) == 0)
		buf_printf(
		    b, "Cc: =?utf-8?q?Ren=C3=A9e?= <renee@example.fr>\n");
	buf_printf(b, "Subject: %s #%u\n", subjects[rnd(5)], i);
	buf_printf(b, "Date: %s, %u %s %u %02u:%02u:%02u %s\n",
	    rnd(2) ? "Tue" : "Wed", 1 + rnd(28), rnd(2) ? "Jul" : "Nov",
	    1998 + rnd(28), rnd(24), rnd(60), rnd(60),
	    rnd(2) ? "+0200" : "-0500 (EST)");
	buf_printf(b, "Message-ID: <%u.%u@example.com>\n", i, rnd(100000));
	if (i > 0 && rnd(2)) {
		buf_printf(b, "In-Reply-To: <%u.1@example.com>\n", i - 1);
		buf_printf(b,
		    "References: <%u.1@example.com>\n"
		    " <%u.2@example.com> <%u.1@example.com>\n",
		    i / 3, i / 2, i - 1);
	}
	buf_printf(b, "MIME-Version: 1.0\nContent-Type: %s\n\n",
	    rnd(4) ? "text/plain; charset=utf-8"
	           : "multipart/mixed; boundary=\"b\"");
}

int
main(int argc, char **argv)
{
	struct buf all = BUF_INIT, one = BUF_INIT, hdrs = BUF_INIT;
	size_t *offs, nfiles = 0, bytes = 0, i, lines = 0;
	unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 100000;
	struct dirent *de;
	double t0, dt, mbs;
	DIR *d;

	if (argc < 2) {
		fprintf(stderr, "usage: mime_bench DIR [N]\n");
		return 2;
	}
	if ((d = opendir(argv[1])) == NULL) {
		fprintf(stderr, "mime_bench: cannot open %s\n", argv[1]);
		return 1;
	}
	offs = calloc(1, sizeof(*offs));
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char path[4096];

		if (len < 5 || strcmp(de->d_name + len - 4, ".eml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
		offs = realloc(offs, (nfiles + 2) * sizeof(*offs));
		offs[nfiles++] = all.len;
		if (slurp(path, &all) < 0)
			return 1;
	}
	closedir(d);
	offs[nfiles] = all.len;
	if (nfiles == 0) {
		fprintf(stderr, "mime_bench: no .eml in %s\n", argv[1]);
		return 1;
	}

	/* 1: the corpus, rendered until at least 1 s and 50 MB went by */
	t0 = now();
	do {
		for (i = 0; i < nfiles; i++)
			lines +=
			    render(all.data + offs[i], offs[i + 1] - offs[i]);
		bytes += all.len;
	} while ((dt = now() - t0) < 1.0 || bytes < 50u * 1024 * 1024);
	mbs = (double)bytes / (1024.0 * 1024.0) / dt;
	printf("MIME: render mixed corpus (%zu messages)\t%.1f MB/s\t"
	       ">= 20 MB/s\t%s\n",
	    nfiles, mbs, mbs >= 20 ? "ok" : "slow");

	/* 2: one 20 MB message: quoted text, long lines, a base64 part */
	buf_addstr(&one,
	    "From: a@example.org\nSubject: big\n"
	    "Content-Type: multipart/mixed; boundary=B\n\n--B\n"
	    "Content-Type: text/plain; charset=iso-8859-1\n\n");
	while (one.len < 12u * 1024 * 1024)
		buf_addstr(&one,
		    "> quoted caf\xe9 text that goes on for a "
		    "while and then wraps somewhere past eighty columns "
		    "because it is long\nplain line\n");
	buf_addstr(&one,
	    "--B\nContent-Type: application/octet-stream\n"
	    "Content-Transfer-Encoding: base64\n\n");
	while (one.len < 20u * 1024 * 1024)
		buf_addstr(&one,
		    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlq"
		    "a2xtbm9wcXJzdHV2\n");
	buf_addstr(&one, "--B--\n");
	t0 = now();
	lines += render(one.data, one.len);
	dt = now() - t0;
	printf("MIME: render one 20 MB message\t%.2f s\t< 1 s\t%s\n", dt,
	    dt < 1 ? "ok" : "slow");

	/* 3: headers of n generated messages */
	free(offs);
	offs = calloc(n + 1, sizeof(*offs));
	for (i = 0; i < n; i++) {
		offs[i] = hdrs.len;
		gen_header(&hdrs, (unsigned)i);
	}
	offs[n] = hdrs.len;
	t0 = now();
	for (i = 0; i < n; i++) {
		struct mime_summary *s;

		if (mime_summary_parse(hdrs.data + offs[i],
		        offs[i + 1] - offs[i], &s, NULL) == 0) {
			lines += s->n_references;
			mime_summary_free(&s);
		}
	}
	dt = now() - t0;
	printf("MIME: parse headers of %u messages\t%.2f s (%.0f/s)\t"
	       "< 2 s for 100000\t%s\n",
	    n, dt, dt > 0 ? n / dt : 0.0,
	    dt * 100000.0 / (n ? n : 1) < 2 ? "ok" : "slow");
	fprintf(stderr, "(%zu lines rendered)\n", lines);
	free(offs);
	buf_free(&all);
	buf_free(&one);
	buf_free(&hdrs);
	return 0;
}
