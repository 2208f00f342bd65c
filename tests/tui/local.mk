# tests: tests/tui/local.mk
