# Integration tests of the cache through the postie binary.
TESTS += tests/integration/cache.itest
EXTRA_DIST += tests/integration/cache.itest

# The setup form's login test (cache/probe.h).
check_PROGRAMS += tests/integration/check_probe
tests_integration_check_probe_SOURCES = tests/integration/check_probe.c
tests_integration_check_probe_LDADD = $(CACHE_LIBS)
TESTS += tests/integration/probe.itest
EXTRA_DIST += tests/integration/probe.itest
