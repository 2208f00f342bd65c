# Several postie processes on one index at once (a reader, CLI commands
# and syncs), against the harness Dovecot.
TESTS += tests/integration/multiproc.itest
EXTRA_DIST += tests/integration/multiproc.itest \
	tests/integration/multiproc.py

# `postie sync` as scripts see it: every account's line, merged requests.
TESTS += tests/integration/cli_sync.itest
EXTRA_DIST += tests/integration/cli_sync.itest tests/integration/cli_sync.py

# postie send / outbox against the harness Postfix.
TESTS += tests/integration/send.itest
EXTRA_DIST += tests/integration/send.itest tests/integration/send.py
TESTS += tests/integration/send_kill.itest
EXTRA_DIST += tests/integration/send_kill.itest tests/integration/send_kill.py
