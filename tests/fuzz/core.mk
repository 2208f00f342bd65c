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

# The CLI's tab-separated writer (core/str: str_tsv_record).
FUZZ_TARGETS += tests/fuzz/fuzz_tsv
check_PROGRAMS += tests/fuzz/fuzz_tsv
if !FUZZERS
TESTS += tests/fuzz/fuzz_tsv
endif
tests_fuzz_fuzz_tsv_SOURCES = tests/fuzz/fuzz_tsv.c tests/fuzz/fuzz_check.h \
	$(FUZZ_MAIN)
tests_fuzz_fuzz_tsv_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/tsv"'
tests_fuzz_fuzz_tsv_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_tsv_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

# Mutt's pattern language (core/pattern_parse).
FUZZ_TARGETS += tests/fuzz/fuzz_pattern
check_PROGRAMS += tests/fuzz/fuzz_pattern
if !FUZZERS
TESTS += tests/fuzz/fuzz_pattern
endif
tests_fuzz_fuzz_pattern_SOURCES = tests/fuzz/fuzz_pattern.c $(FUZZ_MAIN)
tests_fuzz_fuzz_pattern_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/pattern"'
tests_fuzz_fuzz_pattern_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_pattern_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

# The small JSON reader of OAuth2 token responses (core/json).
FUZZ_TARGETS += tests/fuzz/fuzz_json
check_PROGRAMS += tests/fuzz/fuzz_json
if !FUZZERS
TESTS += tests/fuzz/fuzz_json
endif
tests_fuzz_fuzz_json_SOURCES = tests/fuzz/fuzz_json.c $(FUZZ_MAIN)
tests_fuzz_fuzz_json_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/json"'
tests_fuzz_fuzz_json_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_json_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
