# Unit tests of the IMAP parser and modified UTF-7 (Check).
IMAP_UNIT_TESTS = tests/unit/net/check_imap_parse tests/unit/net/check_mutf7 \
	tests/unit/net/check_imap_uidset
check_PROGRAMS += $(IMAP_UNIT_TESTS)
TESTS += $(IMAP_UNIT_TESTS)
tests_unit_net_check_imap_parse_SOURCES = tests/unit/net/check_imap_parse.c \
	tests/unit/net/check_imap_quirks.c tests/unit/net/check_imap.h
tests_unit_net_check_imap_parse_CFLAGS = $(UNIT_CFLAGS)
tests_unit_net_check_imap_parse_LDADD = $(NET_LIBS) $(UNIT_LIBS)
tests_unit_net_check_mutf7_SOURCES = tests/unit/net/check_mutf7.c
tests_unit_net_check_mutf7_CFLAGS = $(UNIT_CFLAGS)
tests_unit_net_check_mutf7_LDADD = $(NET_LIBS) $(UNIT_LIBS)
tests_unit_net_check_imap_uidset_SOURCES = tests/unit/net/check_imap_uidset.c
tests_unit_net_check_imap_uidset_CFLAGS = $(UNIT_CFLAGS)
tests_unit_net_check_imap_uidset_LDADD = $(NET_LIBS) $(UNIT_LIBS)
