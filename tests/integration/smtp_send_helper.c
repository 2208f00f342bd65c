/*
 * Drives net/smtp as the outbox will: open, login, send one message,
 * quit.  The tests (smtp_postfix.py, check_smtp_hostile.py) run it against
 * the harness Postfix and the scripted servers.
 *
 * Usage: smtp_send_helper [-r] [-t SECONDS] [-p FINGERPRINT] HOST PORT
 *        implicit|starttls|none USER PASSWORD CAFILE FROM FILE RCPT...
 *   -r  after a temporary failure on a session still up, send once more
 *       (what a caller's retry does)
 *   PASSWORD "-" skips the login; FILE "-" reads stdin.
 * Prints one line per recipient ("rcpt ADDR accepted|refused CODE ENH
 * TEXT") and one "status NAME CODE ENH" line per attempt, TAB-separated,
 * on stdout; the engine's sentence on stderr.  Exit 0 when the message
 * was accepted, 1 when not, 2 on a usage error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "net/smtp.h"

static int
read_all(const char *path, struct buf *out)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	if (f != stdin)
		fclose(f);
	return 0;
}

static void
print_result(const struct smtp_result *res)
{
	static const char *const local[] = { "", "8bit", "utf8", "size",
		"message", "address" };
	size_t i;

	for (i = 0; i < res->nrcpts; i++) {
		const struct smtp_rcpt *r = &res->rcpts[i];

		if (r->code == 0)
			continue;
		printf("rcpt\t%s\t%s\t%d\t%s\t%s\n", r->addr, r->accepted ?
		    "accepted" : "refused", r->code, r->enhanced, r->text);
	}
	printf("status\t%s\t%d\t%s", smtp_status_name(res->status), res->code,
	    res->enhanced);
	if (res->status == SMTP_LOCAL)
		printf("\t%s", local[res->local]);
	printf("\n");
}

int
main(int argc, char **argv)
{
	struct smtp_opts o;
	struct smtp *s = NULL;
	struct smtp_result res;
	struct error err;
	struct buf msg = BUF_INIT;
	const char *pin = NULL;
	unsigned timeout = 10;
	int retry = 0, c, rc;

	while ((c = getopt(argc, argv, "rt:p:")) != -1) {
		if (c == 'r')
			retry = 1;
		else if (c == 't')
			timeout = (unsigned)atoi(optarg);
		else if (c == 'p')
			pin = optarg;
		else
			return 2;
	}
	argc -= optind;
	argv += optind;
	if (argc < 9) {
		fprintf(stderr, "usage: smtp_send_helper [-r] [-t SECONDS] "
		    "[-p FINGERPRINT] HOST PORT TLS USER PASSWORD CAFILE FROM "
		    "FILE RCPT...\n");
		return 2;
	}
	if (read_all(argv[7], &msg) < 0) {
		perror(argv[7]);
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.conn.host = argv[0];
	o.conn.port = (unsigned)atoi(argv[1]);
	o.conn.timeout = timeout;
	o.conn.ca_file = argv[5];
	o.conn.fingerprint = pin;
	o.security = strcmp(argv[2], "starttls") == 0 ? SMTP_SEC_STARTTLS :
	    strcmp(argv[2], "none") == 0 ? SMTP_SEC_NONE : SMTP_SEC_IMPLICIT;
	o.allow_plaintext = o.security == SMTP_SEC_NONE;
	error_clear(&err);
	if (smtp_open(&o, &s, &err) < 0 ||
	    (strcmp(argv[4], "-") != 0 &&
	    smtp_login(s, argv[3], argv[4], &err) < 0)) {
		fprintf(stderr, "%s\n", err.msg);
		smtp_close(&s);
		buf_free(&msg);
		return 1;
	}
	rc = smtp_send(s, argv[6], (const char *const *)argv + 8,
	    (size_t)argc - 8, msg.data ? msg.data : "", msg.len, &res, &err);
	print_result(&res);
	if (rc < 0 && retry && res.status == SMTP_TEMPORARY &&
	    smtp_alive(s)) {
		fprintf(stderr, "%s (trying again)\n", err.msg);
		smtp_result_free(&res);
		rc = smtp_send(s, argv[6], (const char *const *)argv + 8,
		    (size_t)argc - 8, msg.data ? msg.data : "", msg.len, &res,
		    &err);
		print_result(&res);
	}
	if (rc < 0)
		fprintf(stderr, "%s\n", err.msg);
	smtp_result_free(&res);
	if (smtp_alive(s)) {
		struct error qerr;

		smtp_quit(&s, &qerr);
	}
	smtp_close(&s);
	buf_free(&msg);
	fflush(stdout);
	return rc < 0 ? 1 : 0;
}
