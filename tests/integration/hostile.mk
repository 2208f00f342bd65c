# Hostile servers against the real binary.  The scenarios are
# declarative files in tests/server/scenarios/; hostile_run.py checks what
# postie sent, said and stored.
TESTS += tests/integration/hostile_pop3.itest tests/integration/hostile_imap.itest
EXTRA_DIST += tests/integration/hostile_run.py tests/server/hostile.py \
	tests/server/scenario.py \
	tests/server/scenarios tests/integration/hostile_pop3.itest \
	tests/integration/hostile_imap.itest
# Quit during a hostile sync (cache_close while a huge VANISHED is applied).
check_PROGRAMS += tests/integration/check_sync_quit
tests_integration_check_sync_quit_SOURCES = tests/integration/check_sync_quit.c
tests_integration_check_sync_quit_LDADD = $(CACHE_LIBS)
TESTS += tests/integration/sync_quit.itest
EXTRA_DIST += tests/integration/sync_quit.itest \
	tests/integration/check_sync_quit.py
