# tests: tests/unit/net/conn.mk
