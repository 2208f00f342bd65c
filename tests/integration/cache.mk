# tests: tests/integration/cache.mk
