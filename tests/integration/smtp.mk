# net/smtp against the harness Postfix, and against scripted servers for
# the faults Postfix cannot produce; both through smtp_send_helper.
check_PROGRAMS += tests/integration/smtp_send_helper
tests_integration_smtp_send_helper_SOURCES = \
	tests/integration/smtp_send_helper.c
tests_integration_smtp_send_helper_LDADD = $(NET_LIBS)
TESTS += tests/integration/smtp.itest
EXTRA_DIST += tests/integration/smtp.itest \
	tests/integration/smtp_postfix.py
TESTS += tests/integration/smtp_hostile.itest
EXTRA_DIST += tests/integration/smtp_hostile.itest \
	tests/integration/check_smtp_hostile.py
