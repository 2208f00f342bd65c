# The IMAP and POP3 integration tests against Cyrus IMAP (altnamespace on
# and off) and Courier as well as Dovecot (tests/server/README.md, "Other
# servers"): a representative subset, to keep the suite's time down.
SERVER_TESTS = \
	tests/integration/servers/cyrus_imap.sh \
	tests/integration/servers/cyrus_noalt_imap.sh \
	tests/integration/servers/cyrus_pop3_engine.sh \
	tests/integration/servers/cyrus_cli_sync.sh \
	tests/integration/servers/courier_imap.sh \
	tests/integration/servers/courier_pop3_engine.sh \
	tests/integration/servers/courier_pop3_sync.sh \
	tests/integration/servers/cyrus_more.sh \
	tests/integration/servers/courier_sync_imap.sh
TESTS += $(SERVER_TESTS)
EXTRA_DIST += $(SERVER_TESTS) tests/integration/servers/several.sh
