/* drivers: the protocol drivers linked into postie. */
#include "config.h"

#include <stddef.h>

#include "cache/driver.h"

/* Weak until the driver file exists (IMAP: cache/sync_imap.c): a protocol
 * without a driver is then reported as not available, never faked.  The
 * POP3 driver is linked in (a strong reference pulls it from libcache.a). */
extern const struct cache_driver cache_driver_imap __attribute__((weak));

const struct cache_driver *
cache_driver_find(enum config_protocol p)
{
	switch (p) {
	case CONFIG_POP3: return &cache_driver_pop3;
	case CONFIG_IMAP: return &cache_driver_imap;
	}
	return NULL;
}
