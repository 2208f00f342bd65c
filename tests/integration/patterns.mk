# postie list with a pattern, offline (no server).
TESTS += tests/integration/list_pattern.sh
EXTRA_DIST += tests/integration/list_pattern.sh
