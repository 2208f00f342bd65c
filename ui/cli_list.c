/* postie list ACCOUNT[/FOLDER]: one line per cached message (doc/postie.1). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/cli.h"

/*
 * The folder named on the command line, read as `postie folders` printed
 * it (escaped: a name with controls in it is given back as printed,
 * "Junk\x1b[2J"), so that each printed name finds its own folder even
 * when another folder is really called "Junk\x1b[2J".  A name that does
 * not read back that way, or names no folder then, is taken as typed.
 */
static int
find_folder(struct cache *c, size_t acct, const char *name, int64_t *fid_r,
    struct error *err)
{
	struct buf real = BUF_INIT;
	struct error err2;
	int found = 0;

	error_clear(&err2);
	if (strchr(name, '\\') != NULL &&
	    str_unescape_field(&real, name, strlen(name)) == 0 &&
	    (real.len == 0 || memchr(real.data, '\0', real.len) == NULL))
		found = cache_folder_find(c, acct, buf_cstr(&real), fid_r,
		    &err2) == 0;
	buf_free(&real);
	return found ? 0 : cache_folder_find(c, acct, name, fid_r, err);
}

int
cli_list(const struct cli_opts *opts, int argc, char **argv)
{
	const struct index_rec *r;
	struct index *ix = NULL;
	struct cache *c = NULL;
	struct config *cfg;
	struct error err;
	const char *folder = "INBOX";
	char *account, *slash, flags[8], date[32], num[24];
	const char *rec[5];
	struct buf from = BUF_INIT, subject = BUF_INIT;
	size_t i, acct, k;
	int64_t fid;
	int rc = 1;

	if (argc != 2)
		return cli_fail("usage: postie list ACCOUNT[/FOLDER]"), 2;
	account = xstrdup(argv[1]);
	if ((slash = strchr(account, '/')) != NULL) {
		*slash = '\0';
		if (slash[1] != '\0')
			folder = slash + 1;
	}
	if ((cfg = cli_load_config(opts)) == NULL) {
		free(account);
		return 1;
	}
	error_clear(&err);
	if (cache_open(cfg, NULL, &c, &err) < 0 ||
	    cache_account_find(c, account, &acct, &err) < 0 ||
	    find_folder(c, acct, folder, &fid, &err) < 0 ||
	    cache_index_open(c, fid, INDEX_SORT_ARRIVAL, 0, &ix, &err) < 0) {
		cli_fail("%s", err.msg);
		goto out;
	}
	for (i = 0; i < index_count(ix); i++) {
		time_t t;
		struct tm tm;

		r = index_get(ix, i);
		k = 0;
		if (!(r->flags & MSG_SEEN))
			flags[k++] = 'N';
		if (r->flags & MSG_FLAGGED)
			flags[k++] = 'F';
		if (r->flags & MSG_ANSWERED)
			flags[k++] = 'R';
		if (r->flags & MSG_DELETED)
			flags[k++] = 'D';
		flags[k] = '\0';
		t = (time_t)r->date;
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			date[0] = '\0';
		/* POP3: the position in the Maildir, from 1. */
		snprintf(num, sizeof(num), "%lu",
		    r->uid ? (unsigned long)r->uid : (unsigned long)i + 1);
		rec[0] = num;
		rec[1] = flags;
		rec[2] = date;
		/* From and subject as the index screen shows them; the
		 * record then escapes what is left (a backslash). */
		buf_reset(&from);
		buf_reset(&subject);
		str_clean_display(&from, index_from(ix, r),
		    strlen(index_from(ix, r)), 0);
		str_clean_display(&subject, index_subject(ix, r),
		    strlen(index_subject(ix, r)), 0);
		rec[3] = buf_cstr(&from);
		rec[4] = buf_cstr(&subject);
		cli_record(rec, 5);
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("cannot write the output");
out:
	buf_free(&from);
	buf_free(&subject);
	index_free(&ix);
	cache_close(&c);
	config_free(&cfg);
	free(account);
	return rc;
}
