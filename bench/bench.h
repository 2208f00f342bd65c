/* bench: what the bench programs share (bench/run runs them). */
#ifndef POSTIE_BENCH_BENCH_H
#define POSTIE_BENCH_BENCH_H

#include <time.h>

/* Seconds on the monotonic clock: wall time of what is measured. */
static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds of CPU this process used. */
static inline double
bench_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
