/* postie authorize [--device] ACCOUNT: the first OAuth2 sign-in
 * (doc/postie.1; cache/oauth.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cache/oauth.h"
#include "ui/cli.h"

#define AUTHORIZE_WAIT_SECONDS 600

static void
say(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
	fflush(stdout);
}

int
cli_authorize(const struct cli_opts *opts, int argc, char **argv)
{
	const struct config_account *a;
	struct cache_authorize_opts o;
	const char *name = NULL;
	struct config *cfg;
	struct error err;
	int i, rc, bad = 0;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--device") == 0)
			o.device = 1;
		else if (argv[i][0] != '-' && name == NULL)
			name = argv[i];
		else
			bad = 1;
	}
	if (name == NULL || bad)
		return cli_fail("usage: postie authorize [--device] ACCOUNT"),
		    2;
	if ((cfg = cli_load_config(opts)) == NULL)
		return 1;
	if ((a = config_account(cfg, name)) == NULL) {
		config_free(&cfg);
		return cli_fail("no account '%s' in the configuration", name),
		    1;
	}
	o.open_command = cfg->open_command ? cfg->open_command : "xdg-open";
	o.wait_seconds = AUTHORIZE_WAIT_SECONDS;
	o.say = say;
	error_clear(&err);
	rc = cache_authorize(a, &o, &err) < 0 ?
	    cli_fail("%s: %s", a->name, err.msg) : 0;
	config_free(&cfg);
	return rc;
}
