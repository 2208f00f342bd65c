# tests: tests/unit/ui/local.mk
