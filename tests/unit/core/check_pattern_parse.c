/* Unit tests of core/pattern_parse: the Mutt manual's examples, dates,
 * ranges, words, and every error sentence with its column. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/pattern_parse.h"

/* Sunday 15 March 2026, 12:00 UTC (the tests run with TZ=UTC). */
#define NOW ((time_t)1773576000)

static const struct {
	const char *in, *tree;
} good[] = {
	/* The Mutt manual, "Patterns: Searching, Limiting and Tagging". */
	{ "~t mutt ~f elkins", "(=ti{mutt} & =fi{elkins})" },
	{ "!(~t mutt|~c mutt) ~f elkins",
	  "(!(=ti{mutt} | =ci{mutt}) & =fi{elkins})" },
	{ "~s \"^Junk +From +Me$\" ~f (\"Jim +Somebody\"|\"Ed +SomeoneElse\")",
	  "(~s{^Junk +From +Me$} & (~f{Jim +Somebody} | ~f{Ed +SomeoneElse}))" },
	{ "~f \"me@(mutt\\.org|cs\\.hmc\\.edu)\"",
	  "~fi{me@(mutt.org|cs.hmc.edu)}" },
	{ "=b *.*", "=bi{*.*}" },
	{ "~C \\.de$", "~Ci{.de$}" },
	{ "~d 20/1/95-31/10", "~d 790560000..1793491199" },
	{ "~d 19950120-19951031", "~d 790560000..815183999" },
	{ "~d 15/1/2001*2w", "~d 978307200..980812799" },
	{ "~d <1m", "~d 1771156800.." },
	/* Relative and absolute dates, as the issue and Mutt write them. */
	{ "~d >2w", "~d ..1772366399" },
	{ "~d =1d", "~d 1773446400..1773532799" },
	{ "~d <3H", "~d 1773565200.." },
	{ "~d 01/03/2026-", "~d 1772323200.." },
	{ "~d -5/3", "~d ..1772755199" },
	{ "~d 7/3", "~d 1772841600..1772927999" },
	{ "~d 1/1/2026+1w", "~d 1767225600..1767916799" },
	/* ISO 8601 too, as postie list prints dates. */
	{ "~d 2026-03-01-", "~d 1772323200.." },
	{ "~d -2026-03-05", "~d ..1772755199" },
	{ "~d 2026-03-01-2026-03-05", "~d 1772323200..1772755199" },
	{ "~d 2026-03-07", "~d 1772841600..1772927999" },
	{ "~d <1m ~U", "(~d 1771156800.. & ~U)" },
	/* Sizes and counts. */
	{ "~z >1M", "~z 1048577.." },
	{ "~z <10K", "~z ..10239" },
	{ "~z 1k-2k", "~z 1024..2048" },
	{ "~z 500", "~z 500..500" },
	{ "~z -100", "~z ..100" },
	{ "~X 1-", "~X 1.." },
	/* Flags, operators, precedence: and binds tighter than or. */
	{ "~N ~O ~U ~R ~F ~D ~T ~A ~Q",
	  "((((((((~N & ~O) & ~U) & ~R) & ~F) & ~D) & ~T) & ~A) & ~Q)" },
	{ "~s report | ~F", "(=si{report} | ~F)" },
	{ "~U ~F | ~D", "((~U & ~F) | ~D)" },
	{ "~U (~F | ~D)", "(~U & (~F | ~D))" },
	{ "!~R", "!~R" },
	{ "! ! ~R", "!!~R" },
	/* Strings: case, literal, quotes, escapes. */
	{ "~f Alice", "=f{Alice}" },
	{ "~s 'two words'", "=si{two words}" },
	{ "~s a\\ b", "=si{a b}" },
	{ "=s a.b", "=si{a.b}" },
	{ "~s a.b", "~si{a.b}" },
	{ "~i <abc@example.org>", "~ii{<abc@example.org>}" },
	{ "~x abc ~h list-id ~B x ~b y ~L z ~c w",
	  "(((((=xi{abc} & =hi{list-id}) & =Bi{x}) & =bi{y}) & =Li{z}) & "
	  "=ci{w})" },
	/* Plain words: one node; a quoted phrase is its own. */
	{ "Person 3", "[Person 3]" },
	{ "\"Person 3\"", "\"Person 3\"" },
	{ "budget ~U", "([budget] & ~U)" },
	{ "a b \"c d\" e", "(([a b] & \"c d\") & [e])" },
	{ "don't", "[don't]" },
	{ "", "(all)" },
	{ "   ", "(all)" },
};

static const struct {
	const char *in, *msg;
} bad[] = {
	{ "~d <2x", "~d <2x: unknown unit 'x' at column 5" },
	{ "~U ~d <12x", "~d <12x: unknown unit 'x' at column 8" },
	{ "é ~d <2x", "~d <2x: unknown unit 'x' at column 7" },
	{ "~d <2", "~d <2: a unit is missing (d, w, m, y, H, M or S) at "
	  "column 5" },
	{ "~d <", "~d <: a number is missing at column 5" },
	{ "~d 32/1/2026", "~d 32/1/2026: no such date at column 4" },
	{ "~d 30/2", "~d 30/2: no such date at column 4" },
	{ "~d 1/13", "~d 1/13: no such date at column 4" },
	{ "~d 1/1/202", "~d 1/1/202: a year has 2 or 4 digits at column 4" },
	{ "~d yesterday", "~d yesterday: not a date (DD/MM/YY, YYYYMMDD or "
	  "YYYY-MM-DD) at column 4" },
	{ "~d 2026-3-1", "~d 2026-3-1: not a date (DD/MM/YY, YYYYMMDD or "
	  "YYYY-MM-DD) at column 4" },
	{ "~d 2026-02-30", "~d 2026-02-30: no such date at column 4" },
	{ "~d 1/3/2026-1/1/2026", "~d 1/3/2026-1/1/2026: the range is empty "
	  "at column 1" },
	{ "~z >1Q", "~z >1Q: unknown unit 'Q' (K or M) at column 6" },
	{ "~z 5-3", "~z 5-3: the range is empty at column 1" },
	{ "~z", "~z: ~z needs an argument at column 1" },
	{ "~f", "~f: ~f needs an argument at column 1" },
	{ "~U ~f )", "~f: ~f needs an argument at column 4" },
	{ "~g", "~g: unknown pattern at column 1; postie knows ~A ~b ~B ~c ~C "
	  "~d ~D ~f ~F ~h ~i ~L ~N ~O ~Q ~r ~R ~s ~t ~T ~U ~x ~X ~z" },
	{ "~", "~: a letter must follow '~' at column 1; postie knows ~A ~b ~B "
	  "~c ~C ~d ~D ~f ~F ~h ~i ~L ~N ~O ~Q ~r ~R ~s ~t ~T ~U ~x ~X ~z" },
	{ "=N", "=N: =N takes no string; write ~N at column 1" },
	{ "=d 1/1", "=d: =d is not a pattern; write ~d at column 1" },
	{ "~Ux", "~Ux: ~U takes no argument at column 3" },
	{ "~s \"abc", "\"abc: the quote is never closed at column 4" },
	{ "(~U", "(~U: the parenthesis is never closed at column 1" },
	{ "~U)", "~U): unexpected ')' at column 3" },
	{ "()", "(): the parentheses are empty at column 1" },
	{ "~U |", "~U |: a pattern is missing at column 5" },
	{ "| ~U", "| ~U: '|' needs a pattern on each side at column 1" },
	{ "~U !", "!: '!' needs something to negate at column 4" },
	{ "~s fo[o", "~s fo[o: not a regular expression (Unmatched [, [^, [:, "
	  "[., or [=; =s takes the string as it is) at column 1" },
	{ "~c m++++", "~c m++++: a regular expression with one repetition "
	  "right after another (=c takes the string as it is) at column 1" },
	{ "~s a{100}b{100}", "~s a{100}b{100}: a regular expression "
	  "with too many or too large repetitions (=s takes the string as "
	  "it is) at column 1" },
	{ "~f (a|b", "~f (a|b: the parenthesis is never closed at column 4" },
	{ "^~C x", "^~C: '^' before a pattern is not supported at column 1" },
	{ "%f group", "%f: address groups (%) are not supported at column 1" },
};

START_TEST(test_good)
{
	struct pat_node *t = NULL;
	struct error err;
	char *d;

	error_clear(&err);
	if (pat_parse(good[_i].in, NOW, &t, &err) < 0)
		ck_abort_msg("%s: %s", good[_i].in, err.msg);
	d = pat_dump(t);
	ck_assert_msg(strcmp(d, good[_i].tree) == 0, "%s: got %s, want %s",
	    good[_i].in, d, good[_i].tree);
	free(d);
	pat_free(&t);
	ck_assert_ptr_null(t);
}
END_TEST

START_TEST(test_bad)
{
	struct pat_node *t = NULL;
	struct error err;

	error_clear(&err);
	ck_assert_msg(pat_parse(bad[_i].in, NOW, &t, &err) == -1,
	    "%s parsed", bad[_i].in);
	ck_assert_ptr_null(t);
	ck_assert_str_eq(err.msg, bad[_i].msg);
}
END_TEST

/* Limits: depth and length end in a sentence, never a crash. */
START_TEST(test_limits)
{
	struct pat_node *t = NULL;
	struct error err;
	char deep[2 * PAT_MAX_DEPTH + 8], *long_text;
	size_t i;

	for (i = 0; i < PAT_MAX_DEPTH + 1; i++)
		deep[i] = '(';
	memcpy(deep + i, "~A", 3);
	error_clear(&err);
	ck_assert_int_eq(pat_parse(deep, NOW, &t, &err), -1);
	ck_assert_msg(strstr(err.msg, "nested too deep") != NULL, "%s",
	    err.msg);
	long_text = malloc(PAT_MAX_LEN + 2);
	memset(long_text, 'a', PAT_MAX_LEN + 1);
	long_text[PAT_MAX_LEN + 1] = '\0';
	ck_assert_int_eq(pat_parse(long_text, NOW, &t, &err), -1);
	ck_assert_str_eq(err.msg, "the pattern is longer than 4096 "
	    "characters");
	free(long_text);
	/* Just within the depth limit parses. */
	memset(deep, 0, sizeof(deep));
	for (i = 0; i < PAT_MAX_DEPTH - 1; i++)
		deep[i] = '(';
	deep[i] = '~';
	deep[i + 1] = 'A';
	memset(deep + i + 2, ')', PAT_MAX_DEPTH - 1);
	ck_assert_int_eq(pat_parse(deep, NOW, &t, &err), 0);
	pat_free(&t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pattern_parse");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	setenv("TZ", "UTC", 1);
	tzset();
	tcase_add_loop_test(tc, test_good, 0, sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
