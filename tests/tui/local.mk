# tests: tests/tui/local.mk -- the real TUI in tmux
# maildir.sh needs no server; dovecot.itest runs under
# tests/server/with-dovecot (the .itest log compiler).
TESTS += tests/tui/maildir.sh tests/tui/children.sh tests/tui/delete.sh \
	tests/tui/dovecot.itest
EXTRA_DIST += tests/tui/lib.sh tests/tui/maildir.sh tests/tui/children.sh \
	tests/tui/delete.sh tests/tui/dovecot.itest

# Writing mail: reply, send, Sent copy, drafts (Dovecot + Postfix).
TESTS += tests/tui/compose.itest
EXTRA_DIST += tests/tui/compose.itest
