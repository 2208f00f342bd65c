# tests: tests/unit/mime/local.mk
