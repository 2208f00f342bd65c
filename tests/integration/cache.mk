# Integration tests of the cache through the postie binary (issue 3).
TESTS += tests/integration/cache.itest
EXTRA_DIST += tests/integration/cache.itest
