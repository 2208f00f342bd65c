# Fuzz targets of core/.  The pattern every target follows:
#   FUZZ_TARGETS += tests/fuzz/fuzz_NAME
#   check_PROGRAMS += tests/fuzz/fuzz_NAME
#   if !FUZZERS
#   TESTS += tests/fuzz/fuzz_NAME        (replays tests/fuzz/corpus/NAME)
#   endif
#   tests_fuzz_fuzz_NAME_SOURCES = tests/fuzz/fuzz_NAME.c $(FUZZ_MAIN)
#   tests_fuzz_fuzz_NAME_CPPFLAGS = $(AM_CPPFLAGS) \
#       -DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/NAME"'
#   tests_fuzz_fuzz_NAME_LDADD = $(CORE_LIBS)
#   tests_fuzz_fuzz_NAME_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
FUZZ_TARGETS += tests/fuzz/fuzz_config
check_PROGRAMS += tests/fuzz/fuzz_config
if !FUZZERS
TESTS += tests/fuzz/fuzz_config
endif
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c $(FUZZ_MAIN)
tests_fuzz_fuzz_config_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/config"'
tests_fuzz_fuzz_config_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
