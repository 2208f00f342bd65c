# POP3 against the harness Dovecot: postie sync in every mode, crash safety.
TESTS += tests/integration/pop3_sync.itest tests/integration/pop3_kill.itest
EXTRA_DIST += tests/integration/pop3_sync.itest \
	tests/integration/pop3_kill.itest \
	tests/integration/pop3_sync.py tests/integration/pop3_kill.py
