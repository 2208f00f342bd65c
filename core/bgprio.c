/* bgprio: spare-CPU threads and their starvation (bgprio.h). */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "core/bgprio.h"
#include "core/clock.h"

int
bgprio_enter(void)
{
#if defined(__linux__) && defined(SCHED_IDLE)
	struct sched_param sp = { 0 };

	/* 0: the calling thread, not the whole process */
	return sched_setscheduler(0, SCHED_IDLE, &sp) == 0;
#else
	return 0;
#endif
}

long
bgprio_self(void)
{
#if defined(__linux__) && defined(SYS_gettid)
	return (long)syscall(SYS_gettid);
#else
	return 0;
#endif
}

/* Reads /proc/self/task/<tid>/<what> into buf; its length or -1. */
static int
task_file(long tid, const char *what, char *buf, size_t size)
{
	char path[64];
	size_t n;
	FILE *f;

	if (tid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/task/%ld/%s", tid, what);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (int)n;
}

/* The thread's CPU time (ns) and whether it is ready to run (R); 0 on
 * success. */
static int
sample(long tid, uint64_t *cpu, int *ready)
{
	char buf[512];
	unsigned long long run;
	const char *p;

	if (task_file(tid, "schedstat", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%llu", &run) != 1)
		return -1;
	/* "tid (name) S ...": the name may hold spaces and parentheses */
	if (task_file(tid, "stat", buf, sizeof(buf)) < 0 ||
	    (p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return -1;
	*cpu = run;
	*ready = p[2] == 'R';
	return 0;
}

void
bgprio_probe_init(struct bgprio_probe *p, long tid)
{
	memset(p, 0, sizeof(*p));
	p->tid = tid;
}

int
bgprio_judge(uint64_t elapsed, uint64_t cpu, unsigned calls,
    unsigned ready)
{
	if (elapsed < (uint64_t)BGPRIO_WINDOW_MS * 1000000u || calls == 0)
		return 0;
	return (uint64_t)ready * 100 >= (uint64_t)calls * BGPRIO_READY_PCT &&
	    cpu < elapsed / 100 * BGPRIO_CPU_PCT;
}

static void
window_start(struct bgprio_probe *p, uint64_t t, uint64_t cpu)
{
	p->valid = 1;
	p->calls = p->ready = 0;
	p->t0 = t;
	p->cpu0 = cpu;
}

int
bgprio_starved(struct bgprio_probe *p)
{
	uint64_t t = (uint64_t)clock_ms() * 1000000u, cpu;
	int ready, starved;

	if (sample(p->tid, &cpu, &ready) < 0)
		return 0;
	if (!p->valid || cpu < p->cpu0) {
		window_start(p, t, cpu);
		return 0;
	}
	p->calls++;
	p->ready += ready != 0;
	if (t - p->t0 < (uint64_t)BGPRIO_WINDOW_MS * 1000000u)
		return 0;
	starved = bgprio_judge(t - p->t0, cpu - p->cpu0, p->calls, p->ready);
	window_start(p, t, cpu);
	return starved;
}
