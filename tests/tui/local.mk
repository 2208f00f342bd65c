# tests: tests/tui/local.mk -- the real TUI in tmux
# maildir.sh needs no server; dovecot.sh runs dovecot.itest under
# tests/server/with-dovecot.
TESTS += tests/tui/maildir.sh tests/tui/dovecot.sh
EXTRA_DIST += tests/tui/lib.sh tests/tui/maildir.sh tests/tui/dovecot.sh \
	tests/tui/dovecot.itest
