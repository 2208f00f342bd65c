# Hostile local setups (links planted in postie's folders, folders others
# can write to) through the real binary against the harness Dovecot.
TESTS += tests/integration/local_hostile.itest
EXTRA_DIST += tests/integration/local_hostile.itest
