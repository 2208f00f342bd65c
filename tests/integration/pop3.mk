# tests: tests/integration/pop3.mk
