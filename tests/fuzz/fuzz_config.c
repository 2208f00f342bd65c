/*
 * Fuzz target: config_parse on arbitrary text.  Checks, besides memory
 * safety, the contract: -1 always comes with a "PATH:LINE: " message and
 * no config; 0 gives a config whose accounts are complete.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *cfg = NULL;
	struct error err;
	size_t i;

	error_clear(&err);
	if (config_parse("f", (const char *)data, size, &cfg, &err) < 0) {
		if (cfg != NULL || strncmp(err.msg, "f:", 2) != 0)
			abort();
		return 0;
	}
	if (cfg == NULL)
		abort();
	for (i = 0; i < cfg->naccounts; i++) {
		const struct config_account *a = &cfg->accounts[i];

		if (a->name == NULL || a->host == NULL || a->user == NULL ||
		    a->port < 1 || a->port > 65535 || a->timeout < 1 ||
		    strchr(a->name, '/') != NULL ||
		    (a->tls == CONFIG_TLS_NONE && !a->allow_plaintext) ||
		    (a->password && a->password_command) ||
		    (a->tls_fingerprint && strlen(a->tls_fingerprint) != 64) ||
		    config_account(cfg, a->name) != a)
			abort();
	}
	config_free(&cfg);
	return 0;
}
