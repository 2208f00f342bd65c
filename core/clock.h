/*
 * clock: monotonic time for deadlines and timeouts.
 *
 * clock_ms() is CLOCK_MONOTONIC in milliseconds: it never jumps with the
 * wall clock, so deadlines computed from it hold across clock changes;
 * so do timed waits on a condition variable from clock_cond_init.
 * Thread-safe, no allocation.
 */
#ifndef POSTIE_CORE_CLOCK_H
#define POSTIE_CORE_CLOCK_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

int64_t clock_ms(void);
/* A condition variable whose timed waits count on CLOCK_MONOTONIC, and
 * the absolute time ms milliseconds from now on that clock, for
 * pthread_cond_timedwait on it. */
void clock_cond_init(pthread_cond_t *cv);
void clock_in_ms(struct timespec *ts, long ms);

#endif
