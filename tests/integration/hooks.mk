# tests: tests/integration/hooks.mk -- [general] new_mail_command
TESTS += tests/integration/new_mail.itest
EXTRA_DIST += tests/integration/new_mail.itest tests/integration/new_mail.py
