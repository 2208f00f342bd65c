# Unit tests of net/conn (Check) against a listener thread of the test
# itself (tests/unit/net/conn_testsrv.c), no mail server.
CONN_UNIT_TESTS = tests/unit/net/check_conn tests/unit/net/check_conn_tls
check_PROGRAMS += $(CONN_UNIT_TESTS)
TESTS += $(CONN_UNIT_TESTS)
CONN_TESTSRV = tests/unit/net/conn_testsrv.c tests/unit/net/conn_testsrv.h
tests_unit_net_check_conn_SOURCES = tests/unit/net/check_conn.c \
	$(CONN_TESTSRV)
tests_unit_net_check_conn_CFLAGS = $(UNIT_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_net_check_conn_LDADD = $(NET_LIBS) $(UNIT_LIBS)
tests_unit_net_check_conn_tls_SOURCES = tests/unit/net/check_conn_tls.c \
	$(CONN_TESTSRV)
tests_unit_net_check_conn_tls_CFLAGS = $(UNIT_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_net_check_conn_tls_LDADD = $(NET_LIBS) $(UNIT_LIBS)
