/*
 * thread: JWZ-style threading (https://www.jwz.org/doc/threading.html)
 * over Message-ID, In-Reply-To and References, with subject fallback.
 *
 * Contract: pure, no I/O.  thread_order() never fails (allocation aborts)
 * and handles hostile input: missing parents become empty containers
 * that are pruned, reference loops are broken (a link that would make a
 * cycle is ignored), duplicate Message-IDs are treated as distinct
 * messages, and messages without usable references whose subject (after
 * "Re:"/"Fwd:"/"[list]" prefixes are stripped) matches a root's are
 * gathered under that root.  Roots are ordered by their newest message
 * date (oldest thread first, like mutt), children by date.  The depth of
 * a message is its distance to its root; it is capped at THREAD_MAX_DEPTH
 * for display (order stays correct).
 */
#ifndef POSTIE_CACHE_THREAD_H
#define POSTIE_CACHE_THREAD_H

#include <stddef.h>
#include <stdint.h>

#define THREAD_MAX_DEPTH 255

struct thread_msg {
	const char *message_id;  /* "<...>" or NULL */
	const char *in_reply_to; /* "<...>" or NULL */
	const char *references;  /* space-separated "<...>" or NULL */
	const char *subject;     /* decoded, or NULL */
	int64_t date;
};

/*
 * Computes the display order of msgs[0..n): order_r[k] is the index into
 * msgs of the k-th line, depth_r[k] its depth (0 = thread root).  Both
 * arrays have n elements, supplied by the caller.  Every message appears
 * exactly once.
 */
void thread_order(const struct thread_msg *msgs, size_t n, uint32_t *order_r,
    uint16_t *depth_r);

/* The subject with reply/forward prefixes and list tags removed, as a
 * pointer into s (case of what remains untouched). */
const char *thread_base_subject(const char *s, size_t *len_r);

#endif
