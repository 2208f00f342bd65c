# Integration tests of net/conn against the Dovecot of tests/server/.
check_PROGRAMS += tests/integration/check_conn
TESTS += tests/integration/conn.itest
tests_integration_check_conn_SOURCES = tests/integration/check_conn.c
tests_integration_check_conn_CFLAGS = $(UNIT_CFLAGS) $(OPENSSL_CFLAGS)
tests_integration_check_conn_LDADD = $(NET_LIBS) $(UNIT_LIBS)
EXTRA_DIST += tests/integration/conn.itest
