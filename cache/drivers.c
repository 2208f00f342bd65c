/* drivers: the protocol drivers linked into postie. */
#include "config.h"

#include <stddef.h>

#include "cache/driver.h"

const struct cache_driver *
cache_driver_find(enum config_protocol p)
{
	switch (p) {
	case CONFIG_POP3: return &cache_driver_pop3;
	case CONFIG_IMAP: return &cache_driver_imap;
	}
	return NULL;
}

enum cache_delete_outcome
cache_delete_outcome(const struct account *a)
{
	const struct cache_driver *d = cache_driver_find(a->protocol);

	/* Without a driver nothing can be deleted anyway. */
	return d ? d->local->delete_outcome(a) : CACHE_DELETE_SERVER;
}
