/* postie folders ACCOUNT: one line per cached folder (doc/postie.1). */
#include "config.h"

#include <stdio.h>

#include "cache/cache.h"
#include "ui/cli.h"

int
cli_folders(const struct cli_opts *opts, int argc, char **argv)
{
	struct cache_folder *f = NULL;
	struct cache *c = NULL;
	struct config *cfg;
	struct error err;
	size_t i, n = 0, acct;
	int rc = 1;

	if (argc != 2)
		return cli_fail("usage: postie folders ACCOUNT"), 2;
	if ((cfg = cli_load_config(opts)) == NULL)
		return 1;
	error_clear(&err);
	if (cache_open(cfg, NULL, &c, &err) < 0 ||
	    cache_account_find(c, argv[1], &acct, &err) < 0 ||
	    cache_folders(c, acct, &f, &n, &err) < 0) {
		cli_fail("%s", err.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		char total[16], unread[16];
		const char *rec[3] = { f[i].name, total, unread };

		snprintf(total, sizeof(total), "%u", f[i].total);
		snprintf(unread, sizeof(unread), "%u", f[i].unread);
		cli_record(rec, 3);
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("cannot write the output");
out:
	cache_folders_free(&f, n);
	cache_close(&c);
	config_free(&cfg);
	return rc;
}
