# Integration tests of the cache through the postie binary.
TESTS += tests/integration/cache.itest
EXTRA_DIST += tests/integration/cache.itest
