# tests: tests/integration/conn.mk
