# tests: tests/unit/net/imap.mk
