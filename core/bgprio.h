/*
 * bgprio: threads that run on spare CPU only, and telling when one
 * starves.
 *
 * bgprio_enter() puts the calling thread in Linux's SCHED_IDLE class:
 * it runs whenever a CPU has nothing else to do, and any other thread
 * that wakes up takes the CPU from it at once.  An unprivileged thread
 * cannot leave that class again, so only a thread made for the purpose
 * (and ended after it) should enter it.  Elsewhere than Linux, and when
 * the kernel refuses, it does nothing and returns 0.
 *
 * A probe watches one thread of this process from another, called every
 * few tens of milliseconds: bgprio_starved() is 1 once, over a window of
 * at least BGPRIO_WINDOW_MS, the thread was found ready to run (not
 * asleep on a socket or a lock) in at least BGPRIO_READY_PCT percent of
 * the calls, yet ran less than BGPRIO_CPU_PCT percent of the time: other
 * work keeps every CPU busy and the thread crawls.  The caller then
 * moves the work to a thread of normal priority.  (The kernel's run
 * delay is no measure of this: it is counted only once the thread gets
 * a CPU again.)  Without /proc it never says starved.
 *
 * Thread-safe, no allocation.
 */
#ifndef POSTIE_CORE_BGPRIO_H
#define POSTIE_CORE_BGPRIO_H

#include <stdint.h>

#define BGPRIO_WINDOW_MS 500
#define BGPRIO_READY_PCT 80
#define BGPRIO_CPU_PCT 5

int bgprio_enter(void);
/* The calling thread's id, for a probe (0 where unknown). */
long bgprio_self(void);

struct bgprio_probe {
	long tid;
	int valid;              /* a window has started */
	unsigned calls, ready;  /* in this window */
	uint64_t t0, cpu0;      /* its start: monotonic ns, CPU time ns */
};

void bgprio_probe_init(struct bgprio_probe *p, long tid);
int bgprio_starved(struct bgprio_probe *p);
/* The rule itself, over one window: elapsed and CPU time in ns, calls
 * and how many found the thread ready to run. */
int bgprio_judge(uint64_t elapsed, uint64_t cpu, unsigned calls,
    unsigned ready);

#endif
