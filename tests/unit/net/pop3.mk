# tests: tests/unit/net/pop3.mk
