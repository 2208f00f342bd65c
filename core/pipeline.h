/*
 * pipeline: the one producer/consumer primitive (doc/HACKING.md, Threads
 * and who owns what).  A bounded FIFO of fixed-size items between the
 * threads of one job, with a stop flag, a first-error latch and a join.
 *
 * Contract:
 *   - pipeline_new(item_size, capacity): items are copied in and out by
 *     value (a pointer or a small struct); at most capacity wait, so
 *     memory stays bounded however fast a producer is.
 *   - pipeline_start() runs fn(arg) on a thread the pipeline owns (up to
 *     PIPELINE_MAX_THREADS); pipeline_join() joins every one of them.
 *     Any thread may push and pop: the threads started here, or the
 *     caller's own.
 *   - pipeline_push() waits while the queue is full; it returns 0 once
 *     the item is queued, -1 (item not queued, still the caller's) when
 *     the pipeline stopped.  A weight (bytes, say) rides with each item;
 *     after pipeline_max_weight(pl, w), the queue is also full while
 *     its items weigh more than w (one item however heavy still goes
 *     into an empty queue), so what the items hold stays bounded too.
 *     A popper's min_weight should then be at most w, or a pusher and
 *     a popper could wait for each other.
 *   - pipeline_pop() waits until min items or min_weight of them are
 *     queued (a consumer woken for a batch, not for each item), or the
 *     queue was closed, or the pipeline stopped; then takes up to max
 *     items in order.  It returns how many; 0 means no item will come
 *     (closed and empty, or stopped).
 *   - pipeline_close(): the producers are done; consumers drain what is
 *     queued, then pop returns 0.  Pushing after close is a caller error
 *     (returns -1).
 *   - pipeline_stop(): everyone leaves now; every waiter wakes, push
 *     returns -1 and pop 0.  Queued items stay for pipeline_drain().
 *   - pipeline_fail(e): keeps the first error only, then stops.
 *     pipeline_join() returns -1 with that error (0 when none).
 *   - pipeline_drain() takes what is queued without waiting (a consumer
 *     that has other work, or the owner freeing leftovers after the
 *     join); pipeline_count() says how many wait.  pipeline_free() last.
 *
 * Every wait is on one mutex and two condition variables; nothing here
 * sleeps or polls, so a stop is seen at once.  Every function but
 * pipeline_new, pipeline_start, pipeline_join and pipeline_free is
 * thread-safe.
 */
#ifndef POSTIE_CORE_PIPELINE_H
#define POSTIE_CORE_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define PIPELINE_MAX_THREADS 4

struct pipeline;

struct pipeline *pipeline_new(size_t item_size, size_t capacity);
/* 0 (the default): no bound on the weight.  Before any push. */
void pipeline_max_weight(struct pipeline *pl, uint64_t max);
/* 0, or -1 with a sentence (the thread could not be created). */
int pipeline_start(struct pipeline *pl, void *(*fn)(void *), void *arg,
    struct error *err);
int pipeline_push(struct pipeline *pl, const void *item, uint64_t weight);
size_t pipeline_pop(struct pipeline *pl, void *out, size_t min,
    uint64_t min_weight, size_t max);
void pipeline_close(struct pipeline *pl);
void pipeline_stop(struct pipeline *pl);
/* 1 once stopped (or failed): a long producer step checks it. */
int pipeline_stopped(struct pipeline *pl);
void pipeline_fail(struct pipeline *pl, const struct error *e);
/* Joins every started thread; -1 with the first error, else 0. */
int pipeline_join(struct pipeline *pl, struct error *err);
size_t pipeline_drain(struct pipeline *pl, void *out, size_t max);
size_t pipeline_count(struct pipeline *pl);
void pipeline_free(struct pipeline **pl);

#endif
