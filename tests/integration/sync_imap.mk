# The IMAP sync driver (cache/sync_imap*.c) against the harness Dovecot.
check_PROGRAMS += tests/integration/check_sync_imap_ops
tests_integration_check_sync_imap_ops_SOURCES = \
	tests/integration/check_sync_imap_ops.c
tests_integration_check_sync_imap_ops_LDADD = $(CACHE_LIBS)
TESTS += tests/integration/sync_imap.itest \
	tests/integration/refused_imap.itest
EXTRA_DIST += tests/integration/sync_imap.itest \
	tests/integration/sync_imap.py \
	tests/integration/refused_imap.itest \
	tests/integration/refused_imap.py
