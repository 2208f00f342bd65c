/* account: the account model (see account.h). */
#include "config.h"

#include <string.h>

#include "cache/account.h"

void
account_init(struct account *a, const struct config_account *cfg)
{
	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	a->name = cfg->name;
	a->protocol = cfg->protocol;
	switch (cfg->tls) {
	case CONFIG_TLS_STARTTLS: a->security = ACCOUNT_SEC_STARTTLS; break;
	case CONFIG_TLS_NONE: a->security = ACCOUNT_SEC_PLAINTEXT; break;
	default: a->security = ACCOUNT_SEC_TLS; break;
	}
	a->insecure = a->security == ACCOUNT_SEC_PLAINTEXT;
	a->send_insecure = cfg->from != NULL && cfg->smtp_tls == CONFIG_TLS_NONE;
	if (config_keeps_all(cfg))
		a->mode = ACCOUNT_MODE_KEEP;
	else if (cfg->keep_on_server) {
		a->mode = ACCOUNT_MODE_KEEP_DAYS;
		a->keep_days = cfg->keep_days;
	} else
		a->mode = ACCOUNT_MODE_DELETE;
	/* One source for the words: `postie accounts` prints the same. */
	config_mode_name(cfg, a->mode_name, sizeof(a->mode_name));
	config_mode_words(cfg, a->mode_words, sizeof(a->mode_words));
}

const char *
account_security_name(enum account_security s)
{
	switch (s) {
	case ACCOUNT_SEC_STARTTLS: return "starttls";
	case ACCOUNT_SEC_PLAINTEXT: return "plaintext";
	default: return "tls";
	}
}

const char *
account_state_name(enum account_state s)
{
	switch (s) {
	case ACCOUNT_CONNECTING: return "connecting";
	case ACCOUNT_SYNCING: return "syncing";
	case ACCOUNT_ONLINE: return "online";
	case ACCOUNT_ERROR: return "error";
	default: return "offline";
	}
}
