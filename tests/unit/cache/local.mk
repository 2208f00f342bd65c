# tests: tests/unit/cache/local.mk
