/* oauth: see cache/oauth.h. */
#include <config.h>

#include "cache/oauth.h"

char *
cache_oauth_token(const struct config_account *a, int fresh,
    struct error *err)
{
	(void)fresh; /* the command decides what it prints next */
	return config_oauth2_token(a, err);
}
