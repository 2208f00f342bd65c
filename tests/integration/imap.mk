# Integration tests of net/imap against the Dovecot of tests/server/.
check_PROGRAMS += tests/integration/check_imap
TESTS += tests/integration/imap.itest
tests_integration_check_imap_SOURCES = tests/integration/check_imap.c \
	tests/integration/check_imap_change.c tests/integration/check_imap.h \
	tests/integration/check_imap_mbox.c
tests_integration_check_imap_CFLAGS = $(UNIT_CFLAGS)
tests_integration_check_imap_LDADD = $(NET_LIBS) $(UNIT_LIBS)
EXTRA_DIST += tests/integration/imap.itest
# The engine against the hostile-server scenarios, through a small probe.
check_PROGRAMS += tests/integration/check_imap_probe
TESTS += tests/integration/imap_hostile.itest
tests_integration_check_imap_probe_SOURCES = \
	tests/integration/check_imap_probe.c
tests_integration_check_imap_probe_LDADD = $(NET_LIBS)
EXTRA_DIST += tests/integration/imap_hostile.itest \
	tests/integration/check_imap_hostile.py
