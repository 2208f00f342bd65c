# postie list with a pattern, offline (no server).
TESTS += tests/integration/list_pattern.sh
EXTRA_DIST += tests/integration/list_pattern.sh
# The same over IMAP, with bodies (the harness Dovecot).
TESTS += tests/integration/list_pattern_imap.itest
EXTRA_DIST += tests/integration/list_pattern_imap.itest \
	tests/integration/list_pattern_imap.py
