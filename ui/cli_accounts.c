/* postie accounts: one tab-separated line per account (doc/postie.1). */
#include <stdio.h>

#include "core/config.h"
#include "ui/cli.h"

int
cli_accounts(const struct cli_opts *opts, int argc, char **argv)
{
	struct config *cfg;
	char mode[64];
	size_t i;

	if (argc > 1)
		return cli_fail("usage: postie accounts"), 2;
	if ((cfg = cli_load_config(opts)) == NULL)
		return 1;
	for (i = 0; i < cfg->naccounts; i++) {
		const struct config_account *a = &cfg->accounts[i];
		const char *f[4];

		f[0] = a->name;
		f[1] = config_protocol_name(a->protocol);
		f[2] = config_tls_name(a->tls);
		f[3] = config_mode_name(a, mode, sizeof(mode));
		cli_record(f, 4);
	}
	config_free(&cfg);
	return fflush(stdout) == 0 ? 0 : cli_fail("cannot write the output");
}
