/*
 * pattern_parse: Mutt's pattern language, parsed into a tree (doc/HACKING.md,
 * Patterns).  Pure: text in, a tree out; no I/O, no SQL.  cache/pattern.h
 * turns the tree into a query over the index.
 *
 * Contract:
 *   - pat_parse() reads the whole text or fails.  A failure is one
 *     sentence naming the piece that is wrong and where, counted in
 *     characters from 1: "~d <2x: unknown unit 'x' at column 5" (the
 *     column where the offending piece starts).
 *   - Terms (Mutt's): ~f ~t ~c ~C ~L ~s ~b ~B ~h ~i ~x EXPR (a string;
 *     `=` instead of `~` takes it literally, never as a regular
 *     expression), ~d ~r DATES, ~z ~X RANGE, ~N ~O ~U ~R ~F ~D ~T ~A ~Q
 *     (flags).  A plain word is a full-text word (prefix match); a
 *     quoted string outside a term is a phrase (whole words in order).
 *     Juxtaposition is "and", `|` is "or" (binds looser), `!` is "not",
 *     parentheses group.  Quotes ' or " keep spaces and operators in an
 *     argument; a backslash takes the next character as it is.
 *   - Dates are resolved here, against `now` and the local time zone,
 *     into an inclusive range of time_t; sizes into bytes.  Open ends of
 *     a range are PAT_MIN / PAT_MAX.
 *   - Limits: PAT_MAX_LEN characters of text and PAT_MAX_DEPTH levels of
 *     nesting; beyond, an error, never a crash.
 *   - The tree is owned by the caller: pat_free().
 */
#ifndef POSTIE_CORE_PATTERN_PARSE_H
#define POSTIE_CORE_PATTERN_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/error.h"

#define PAT_MAX_LEN 4096
#define PAT_MAX_DEPTH 64
#define PAT_MIN INT64_MIN
#define PAT_MAX INT64_MAX

enum pat_kind {
	PAT_AND,   /* a and b */
	PAT_OR,    /* a or b */
	PAT_NOT,   /* not a */
	PAT_STR,   /* op: f t c C L s b B h i x; str, literal, icase */
	PAT_FLAG,  /* op: N O U R F D T A Q */
	PAT_RANGE, /* op: d r (time_t) z (bytes) X (count); min..max */
	PAT_WORDS, /* a plain word or quoted phrase; str, phrase */
};

struct pat_node {
	enum pat_kind kind;
	char op;              /* the letter after ~ or = */
	char *str;            /* PAT_STR: the argument as the user meant it
				 (quotes and escapes removed); PAT_WORDS:
				 the words */
	int literal;          /* PAT_STR: `=` prefix, or no regular
				 expression character in str */
	int icase;            /* PAT_STR: no capital letter: case ignored
				 (Mutt's rule) */
	int phrase;           /* PAT_WORDS: quoted: whole words in order */
	int64_t min, max;     /* PAT_RANGE, inclusive */
	struct pat_node *a, *b;
	size_t col;           /* column (from 1) where the term starts */
};

/* Parses text into *tree_r (NULL for an empty pattern, which matches
 * everything); now is "today" for relative dates. */
int pat_parse(const char *text, time_t now, struct pat_node **tree_r,
    struct error *err);
void pat_free(struct pat_node **tree);
/* The tree written back in a canonical form, for tests and the log:
 * "(=fi{alice} & !~U)" (= a plain string, ~ a regular expression, i
 * case ignored), [words], "phrase", ~d MIN..MAX.  Allocated (free()). */
char *pat_dump(const struct pat_node *n);

#endif
