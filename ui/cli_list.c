/* postie list ACCOUNT[/FOLDER]: one line per cached message (DESIGN.md §8). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "core/xalloc.h"
#include "ui/cli.h"

int
cli_list(const struct cli_opts *opts, int argc, char **argv)
{
	const struct index_rec *r;
	struct index *ix = NULL;
	struct cache *c = NULL;
	struct config *cfg;
	struct error err;
	const char *folder = "INBOX";
	char *account, *slash, flags[8], date[32];
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
	    cache_folder_find(c, acct, folder, &fid, &err) < 0 ||
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
		printf("%lu\t%s\t%s\t%s\t%s\n",
		    r->uid ? (unsigned long)r->uid : (unsigned long)i + 1,
		    flags, date, index_from(ix, r), index_subject(ix, r));
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("cannot write the output");
out:
	index_free(&ix);
	cache_close(&c);
	config_free(&cfg);
	free(account);
	return rc;
}
