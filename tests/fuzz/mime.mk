# fuzz targets of mime/ (pattern: tests/fuzz/core.mk)
FUZZ_TARGETS += tests/fuzz/fuzz_mime tests/fuzz/fuzz_rfc2047 \
	tests/fuzz/fuzz_rfc2231 tests/fuzz/fuzz_html tests/fuzz/fuzz_compose
check_PROGRAMS += tests/fuzz/fuzz_mime tests/fuzz/fuzz_rfc2047 \
	tests/fuzz/fuzz_rfc2231 tests/fuzz/fuzz_html tests/fuzz/fuzz_compose
if !FUZZERS
TESTS += tests/fuzz/fuzz_mime tests/fuzz/fuzz_rfc2047 \
	tests/fuzz/fuzz_rfc2231 tests/fuzz/fuzz_html tests/fuzz/fuzz_compose
endif
tests_fuzz_fuzz_mime_SOURCES = tests/fuzz/fuzz_mime.c $(FUZZ_MAIN)
tests_fuzz_fuzz_mime_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/mime"'
tests_fuzz_fuzz_mime_LDADD = $(MIME_LIBS)
tests_fuzz_fuzz_mime_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_rfc2047_SOURCES = tests/fuzz/fuzz_rfc2047.c $(FUZZ_MAIN)
tests_fuzz_fuzz_rfc2047_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/rfc2047"'
tests_fuzz_fuzz_rfc2047_LDADD = $(MIME_LIBS)
tests_fuzz_fuzz_rfc2047_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_rfc2231_SOURCES = tests/fuzz/fuzz_rfc2231.c $(FUZZ_MAIN)
tests_fuzz_fuzz_rfc2231_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/rfc2231"'
tests_fuzz_fuzz_rfc2231_LDADD = $(MIME_LIBS)
tests_fuzz_fuzz_rfc2231_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_html_SOURCES = tests/fuzz/fuzz_html.c $(FUZZ_MAIN)
tests_fuzz_fuzz_html_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/html"'
tests_fuzz_fuzz_html_LDADD = $(MIME_LIBS)
tests_fuzz_fuzz_html_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_compose_SOURCES = tests/fuzz/fuzz_compose.c $(FUZZ_MAIN)
tests_fuzz_fuzz_compose_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/compose"'
tests_fuzz_fuzz_compose_LDADD = $(MIME_LIBS)
tests_fuzz_fuzz_compose_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
