# POP3 against the harness Dovecot: the engine alone, postie sync in every
# mode, crash safety.
check_PROGRAMS += tests/integration/check_pop3_engine
tests_integration_check_pop3_engine_SOURCES = \
	tests/integration/check_pop3_engine.c
tests_integration_check_pop3_engine_CFLAGS = $(UNIT_CFLAGS)
tests_integration_check_pop3_engine_LDADD = $(NET_LIBS) $(UNIT_LIBS)
TESTS += tests/integration/pop3_engine.itest \
	tests/integration/pop3_sync.itest tests/integration/pop3_kill.itest
EXTRA_DIST += tests/integration/pop3_engine.itest \
	tests/integration/pop3_sync.itest \
	tests/integration/pop3_kill.itest \
	tests/integration/pop3_sync.py tests/integration/pop3_kill.py
