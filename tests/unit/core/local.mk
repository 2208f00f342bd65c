# tests: tests/unit/core/local.mk
