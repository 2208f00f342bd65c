/*
 * pattern: Mutt's patterns run over the index (doc/HACKING.md, Patterns).
 * core/pattern_parse.h reads the text into a tree; this module turns the
 * tree into one SQL query over `messages` (and the FTS5 index for
 * words) and runs it on the caller's connection.
 *
 * Contract:
 *   - pattern_compile() parses and builds the query; a parse error is
 *     the parser's sentence ("~d <2x: unknown unit 'x' at column 5").
 *     Every string and number from the pattern is a bound parameter:
 *     nothing the user typed is ever part of the SQL text.
 *   - What each term reads: ~f ~t ~c ~s ~i the header fields of the
 *     index; ~C to or cc; ~L from, to or cc; ~x In-Reply-To and
 *     References; ~h those fields as "Name: value" lines (the index keeps
 *     no other header); ~b the downloaded body text (a message whose
 *     body was never fetched has none); ~B headers and body.  A string
 *     without regular-expression characters (or after `=`) is a
 *     substring; otherwise a POSIX extended regular expression.  Case is
 *     ignored unless the string has a capital letter (Mutt's rule).
 *     Case folding of substrings is ASCII only.
 *   - ~b and ~B with a plain string, and plain words, use the FTS5 index:
 *     they find words that start with what was typed ("budg" finds
 *     "budget", "udget" does not).  A quoted phrase finds the whole words
 *     next to each other, in order.
 *   - ~N and ~U are unread messages (postie keeps no "old" state: ~O
 *     matches none); ~T matches the messages of the set given with
 *     pattern_set_tagged() (tags live in the UI's session, as in Mutt;
 *     none without a set); ~X compares
 *     with 0 or 1, since the index knows only whether a message has
 *     attachments.
 *   - pattern_run() answers from disk on the calling thread's
 *     connection; it registers its SQL functions (postie_regexp,
 *     postie_body, postie_body_has, postie_phrase) on that connection.
 */
#ifndef POSTIE_CACHE_PATTERN_H
#define POSTIE_CACHE_PATTERN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cache/db.h"
#include "core/error.h"

struct pattern;

/* now: "today" for relative dates (time(NULL) but in tests). */
int pattern_compile(const char *text, time_t now, struct pattern **p_r,
    struct error *err);
void pattern_free(struct pattern **p);
/* The WHERE clause built, for tests and the log. */
const char *pattern_sql(const struct pattern *p);
/* The ids of the messages of folder_id (0: every folder) that match, in
 * id order; *ids_r (free()) is never NULL on success. */
int pattern_run(struct db *db, const struct pattern *p, int64_t folder_id,
    int64_t **ids_r, size_t *n_r, struct error *err);
/* The same for folder_id searched as part of its whole account (a saved
 * search over every folder): in the account's \All folder (Gmail's All
 * Mail) a message another of its folders holds, by Message-ID, is left
 * out, so that it counts once. */
int pattern_run_once(struct db *db, const struct pattern *p,
    int64_t folder_id, int64_t **ids_r, size_t *n_r, struct error *err);
/* What ~T matches: ids (sorted, n; kept by the caller until the last
 * pattern_run). */
void pattern_set_tagged(struct pattern *p, const int64_t *ids, size_t n);
/* pattern_compile + pattern_run + pattern_free. */
int pattern_search(struct db *db, int64_t folder_id, const char *text,
    time_t now, int64_t **ids_r, size_t *n_r, struct error *err);
/* The same with ~T matching tagged (sorted, ntagged). */
int pattern_search_tagged(struct db *db, int64_t folder_id, const char *text,
    time_t now, const int64_t *tagged, size_t ntagged, int64_t **ids_r,
    size_t *n_r, struct error *err);

#endif
