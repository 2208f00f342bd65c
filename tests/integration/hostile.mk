# Hostile servers against the real binary.  The scenarios are
# declarative files in tests/server/scenarios/; hostile_run.py checks what
# postie sent, said and stored.
TESTS += tests/integration/hostile_pop3.itest tests/integration/hostile_imap.itest
EXTRA_DIST += tests/integration/hostile_run.py tests/server/hostile.py \
	tests/server/scenario.py \
	tests/server/scenarios tests/integration/hostile_pop3.itest \
	tests/integration/hostile_imap.itest
