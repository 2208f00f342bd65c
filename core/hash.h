/*
 * hash: a keyed hash for tables whose keys come from outside (folder
 * names from a server, Message-IDs from mail).  An unkeyed hash lets
 * whoever chooses the keys make them collide, and a table of n of them
 * then costs n * n.  hash_keyed is SipHash-2-4 under a key drawn from the
 * kernel's random source once per process (and never shown), so
 * collisions cannot be planned.  Thread-safe.
 */
#ifndef POSTIE_CORE_HASH_H
#define POSTIE_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of data under the 16-byte key. */
uint64_t hash_siphash(const unsigned char key[16], const void *data,
    size_t len);
/* SipHash-2-4 of data under the process's secret key. */
uint64_t hash_keyed(const void *data, size_t len);

#endif
