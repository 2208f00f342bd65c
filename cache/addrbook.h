/*
 * addrbook: the addresses postie has seen, for completing To, Cc and Bcc
 * (doc/HACKING.md, Data flow of a send).  Pure: the cache feeds it the
 * From, To and Cc of the index (cache_addr_complete() in cache/cache.h);
 * nothing here reads the disk or the network.
 *
 * Ranking ("frecency", as browsers rank their address bar): each time an
 * address is seen it gains weight * 2^((date - start) / half-life), where
 * start is when the book was made and a date after now counts as now.
 * So an address seen often scores high, and one seen recently higher than
 * one seen as often long ago (the half-life is ADDRBOOK_HALF_LIFE
 * seconds).  The callers' weights: a recipient of the user's own mail
 * counts most (ADDRBOOK_W_SENT), a sender to the user next, a fellow
 * recipient least.  The user's own addresses (addrbook_mine) are never
 * offered.
 *
 * Matching is ASCII case-insensitive on the address and the name: first
 * the entries where the query starts the address or a word of the name,
 * then those that merely contain it; each group by score, then address.
 *
 * Keys come from mail (hostile): the table is hashed with hash_keyed(),
 * and addresses and names are cut at ADDRBOOK_FIELD_MAX bytes.
 */
#ifndef POSTIE_CACHE_ADDRBOOK_H
#define POSTIE_CACHE_ADDRBOOK_H

#include <stddef.h>
#include <stdint.h>

#define ADDRBOOK_HALF_LIFE (90 * 86400)
#define ADDRBOOK_W_SENT 2.0 /* To/Cc of a message from the user */
#define ADDRBOOK_W_FROM 1.0 /* From of a message to the user */
#define ADDRBOOK_W_CC 0.5   /* To/Cc of a message to the user */
#define ADDRBOOK_FIELD_MAX 320

struct addrbook;

struct addrbook_hit {
	const char *name; /* the name last seen with addr, "" if none */
	const char *addr;
	double score;
};

/* now: the time scores are counted from (time(NULL) but for tests). */
struct addrbook *addrbook_new(int64_t now);
void addrbook_free(struct addrbook **ab);

/* Marks addr as the user's: never offered, and a message from it counts
 * its recipients with ADDRBOOK_W_SENT (addrbook_add_message). */
void addrbook_mine(struct addrbook *ab, const char *addr);
int addrbook_is_mine(const struct addrbook *ab, const char *addr);

/* The addr-spec of a single address as config and the index write it,
 * "Name <addr>" or "addr": *addr_r points into v; returns its length. */
size_t addrbook_addr_of(const char *v, const char **addr_r);

/* Counts one sighting of a mailbox (name may be NULL or ""). */
void addrbook_add(struct addrbook *ab, const char *name, const char *addr,
    int64_t date, double weight);

/*
 * Counts every mailbox of list, an address list as the index keeps it
 * (decoded: "Name <addr>, addr"; a name may hold ", ").  Pieces that are
 * not an address are skipped.
 */
void addrbook_add_list(struct addrbook *ab, const char *list, int64_t date,
    double weight);

/* One message's From, To and Cc (index form, NULL for none), with the
 * weights above. */
void addrbook_add_message(struct addrbook *ab, const char *from,
    const char *to, const char *cc, int64_t date);

/*
 * The best max entries matching query (empty: every entry), best first,
 * into hits; returns how many.  The pointers are valid until the next
 * change to ab.
 */
size_t addrbook_match(const struct addrbook *ab, const char *query,
    struct addrbook_hit *hits, size_t max);

/*
 * Reads the output of a query_command (Mutt's format): the first line is
 * a remark and skipped; each further line is "addr TAB name [TAB more]"
 * (LF or CRLF).  Lines whose address is not plausible or whose name holds
 * a control character are skipped.  fn gets each, not NUL-terminated.
 */
void addrbook_query_lines(const char *out, size_t len,
    void (*fn)(void *arg, const char *name, size_t nlen, const char *addr,
    size_t alen), void *arg);

/* The number of distinct addresses. */
size_t addrbook_size(const struct addrbook *ab);

#endif
