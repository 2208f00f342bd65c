# tests: tests/tui/local.mk -- the real TUI in tmux
# The .sh tests need no server; the .itest ones run under
# tests/server/with-dovecot (the .itest log compiler).
TUI_TESTS = tests/tui/maildir.sh tests/tui/children.sh \
	tests/tui/delete.sh tests/tui/search.sh tests/tui/display.sh \
	tests/tui/prompts.sh tests/tui/everyday.sh tests/tui/patterns.sh \
	tests/tui/other_process.sh tests/tui/reading.sh tests/tui/parts.sh tests/tui/bulk.sh tests/tui/hyperlinks.sh \
	tests/tui/dovecot.itest \
	tests/tui/offline.itest tests/tui/status.sh tests/tui/outbox.sh \
	tests/tui/complete.sh tests/tui/searches.sh
TESTS += $(TUI_TESTS)
EXTRA_DIST += tests/tui/lib.sh $(TUI_TESTS)

# The first-run setup form (Dovecot, Postfix when there is one).
TESTS += tests/tui/setup.itest
EXTRA_DIST += tests/tui/setup.itest

# Tags and bulk changes; commands counted on the wire (Dovecot).
TESTS += tests/tui/tags.itest
EXTRA_DIST += tests/tui/tags.itest tests/tui/tags.py

# Saved searches as virtual folders over two IMAP accounts (Dovecot).
TESTS += tests/tui/vfolder.itest
EXTRA_DIST += tests/tui/vfolder.itest

# The folder sidebar beside the index (Dovecot).
TESTS += tests/tui/sidebar.itest
EXTRA_DIST += tests/tui/sidebar.itest

# Writing mail: reply, send, Sent copy, drafts (Dovecot + Postfix).
TESTS += tests/tui/compose.itest
EXTRA_DIST += tests/tui/compose.itest

# Written offline, sent once the servers return (a relay that starts late).
TESTS += tests/tui/outbox_online.itest
EXTRA_DIST += tests/tui/outbox_online.itest

# Managing folders from the folder list (Dovecot, its Maildir on disk).
TESTS += tests/tui/folders.itest
EXTRA_DIST += tests/tui/folders.itest

# The setup form's OAuth2 path up to the authorization URL (no network).
TESTS += tests/tui/setup_oauth.sh
EXTRA_DIST += tests/tui/setup_oauth.sh
