# tests: tests/server/local.mk
