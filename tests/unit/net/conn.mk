# Unit tests of net/conn (Check): a listener thread of the test, no server.
check_PROGRAMS += tests/unit/net/check_conn
TESTS += tests/unit/net/check_conn
tests_unit_net_check_conn_SOURCES = tests/unit/net/check_conn.c
tests_unit_net_check_conn_CFLAGS = $(UNIT_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_net_check_conn_LDADD = $(NET_LIBS) $(UNIT_LIBS)
