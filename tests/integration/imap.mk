# tests: tests/integration/imap.mk
