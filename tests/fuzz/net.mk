# fuzz targets of net/ (IMAP and POP3 parsers)
# IMAP response parser; POP3 goes below.
FUZZ_TARGETS += tests/fuzz/fuzz_imap
check_PROGRAMS += tests/fuzz/fuzz_imap
if !FUZZERS
TESTS += tests/fuzz/fuzz_imap
endif
tests_fuzz_fuzz_imap_SOURCES = tests/fuzz/fuzz_imap.c $(FUZZ_MAIN)
tests_fuzz_fuzz_imap_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/imap"'
tests_fuzz_fuzz_imap_LDADD = $(NET_LIBS)
tests_fuzz_fuzz_imap_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

# POP3 response parsers.
FUZZ_TARGETS += tests/fuzz/fuzz_pop3
check_PROGRAMS += tests/fuzz/fuzz_pop3
if !FUZZERS
TESTS += tests/fuzz/fuzz_pop3
endif
tests_fuzz_fuzz_pop3_SOURCES = tests/fuzz/fuzz_pop3.c $(FUZZ_MAIN)
tests_fuzz_fuzz_pop3_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/pop3"'
tests_fuzz_fuzz_pop3_LDADD = $(NET_LIBS)
tests_fuzz_fuzz_pop3_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

# SMTP reply, EHLO and DATA encoding parsers.
FUZZ_TARGETS += tests/fuzz/fuzz_smtp
check_PROGRAMS += tests/fuzz/fuzz_smtp
if !FUZZERS
TESTS += tests/fuzz/fuzz_smtp
endif
tests_fuzz_fuzz_smtp_SOURCES = tests/fuzz/fuzz_smtp.c $(FUZZ_MAIN)
tests_fuzz_fuzz_smtp_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/smtp"'
tests_fuzz_fuzz_smtp_LDADD = $(NET_LIBS)
tests_fuzz_fuzz_smtp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

# IMAP folder names in modified UTF-7 (net/mutf7).
FUZZ_TARGETS += tests/fuzz/fuzz_mutf7
check_PROGRAMS += tests/fuzz/fuzz_mutf7
if !FUZZERS
TESTS += tests/fuzz/fuzz_mutf7
endif
tests_fuzz_fuzz_mutf7_SOURCES = tests/fuzz/fuzz_mutf7.c \
	tests/fuzz/fuzz_check.h $(FUZZ_MAIN)
tests_fuzz_fuzz_mutf7_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/mutf7"'
tests_fuzz_fuzz_mutf7_LDADD = $(NET_LIBS)
tests_fuzz_fuzz_mutf7_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

# IMAP sequence sets (imap_uidset_foreach) against a reference parser.
FUZZ_TARGETS += tests/fuzz/fuzz_uidset
check_PROGRAMS += tests/fuzz/fuzz_uidset
if !FUZZERS
TESTS += tests/fuzz/fuzz_uidset
endif
tests_fuzz_fuzz_uidset_SOURCES = tests/fuzz/fuzz_uidset.c $(FUZZ_MAIN)
tests_fuzz_fuzz_uidset_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/uidset"'
tests_fuzz_fuzz_uidset_LDADD = $(NET_LIBS)
tests_fuzz_fuzz_uidset_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
