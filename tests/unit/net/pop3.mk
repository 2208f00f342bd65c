# Unit tests of the POP3 parsers (Check).
check_PROGRAMS += tests/unit/net/check_pop3
TESTS += tests/unit/net/check_pop3
tests_unit_net_check_pop3_SOURCES = tests/unit/net/check_pop3.c
tests_unit_net_check_pop3_CFLAGS = $(UNIT_CFLAGS)
tests_unit_net_check_pop3_LDADD = $(NET_LIBS) $(UNIT_LIBS)
