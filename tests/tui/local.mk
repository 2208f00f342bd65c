# tests: tests/tui/local.mk -- the real TUI in tmux
TESTS += tests/tui/maildir.sh
EXTRA_DIST += tests/tui/lib.sh tests/tui/maildir.sh
