# Unit tests of the SMTP engine's parsers (Check).
check_PROGRAMS += tests/unit/net/check_smtp
TESTS += tests/unit/net/check_smtp
tests_unit_net_check_smtp_SOURCES = tests/unit/net/check_smtp.c
tests_unit_net_check_smtp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_net_check_smtp_LDADD = $(NET_LIBS) $(UNIT_LIBS)
# net/sasl (OAuth2 mechanisms) and core/json, which it reads with.
check_PROGRAMS += tests/unit/net/check_sasl
TESTS += tests/unit/net/check_sasl
tests_unit_net_check_sasl_SOURCES = tests/unit/net/check_sasl.c
tests_unit_net_check_sasl_CFLAGS = $(UNIT_CFLAGS)
tests_unit_net_check_sasl_LDADD = $(NET_LIBS) $(UNIT_LIBS)
