/*
 * clock: monotonic time for deadlines and timeouts.
 *
 * clock_ms() is CLOCK_MONOTONIC in milliseconds: it never jumps with the
 * wall clock, so deadlines computed from it hold across clock changes.
 * Thread-safe, no allocation.
 */
#ifndef POSTIE_CORE_CLOCK_H
#define POSTIE_CORE_CLOCK_H

#include <stdint.h>

int64_t clock_ms(void);

#endif
