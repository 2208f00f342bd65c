# Faults: a damaged index database, a full disk, a read-only
# data folder, SIGKILL during IMAP syncs.
check_PROGRAMS += tests/unit/cache/check_recover
TESTS += tests/unit/cache/check_recover
tests_unit_cache_check_recover_SOURCES = tests/unit/cache/check_recover.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_recover_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_recover_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

# Against the harness Dovecot (each .itest gets its own server).
TESTS += tests/integration/faults_pop3.itest tests/integration/faults_imap.itest
EXTRA_DIST += tests/integration/faults_pop3.itest \
	tests/integration/faults_pop3.py \
	tests/integration/faults_imap.itest \
	tests/integration/faults_imap.py
