# fuzz targets of ui/ (pattern: tests/fuzz/core.mk)
FUZZ_TARGETS += tests/fuzz/fuzz_mailcap
check_PROGRAMS += tests/fuzz/fuzz_mailcap
if !FUZZERS
TESTS += tests/fuzz/fuzz_mailcap
endif
tests_fuzz_fuzz_mailcap_SOURCES = tests/fuzz/fuzz_mailcap.c $(FUZZ_MAIN)
tests_fuzz_fuzz_mailcap_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/mailcap"'
tests_fuzz_fuzz_mailcap_LDADD = libui.a $(CORE_LIBS)
tests_fuzz_fuzz_mailcap_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
