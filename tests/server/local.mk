# tests: tests/server/local.mk
# The private Dovecot harness (tests/server/README.md) and the log compiler
# that runs every *.itest against its own instance of it.
TEST_EXTENSIONS += .itest
ITEST_LOG_COMPILER = $(SHELL) $(abs_top_srcdir)/tests/server/with-dovecot

TESTS += tests/integration/harness.itest tests/server/lifecycle.sh

EXTRA_DIST += \
	tests/server/README.md \
	tests/server/harness \
	tests/server/certs.py \
	tests/server/with-dovecot \
	tests/server/with-cyrus \
	tests/server/with-cyrus-noalt \
	tests/server/with-courier \
	tests/server/with-oauth \
	tests/server/oauth_provider.py \
	tests/server/altserver.py \
	tests/server/dovecot.conf.in \
	tests/server/postfix.py \
	tests/server/postfix-main.cf.in \
	tests/server/postfix-master.cf.in \
	tests/server/badtls.py \
	tests/server/greeter.py \
	tests/server/selftest.py \
	tests/server/lifecycle.py \
	tests/server/lifecycle.sh \
	tests/integration/harness.itest \
	tests/data/fixtures/MANIFEST \
	$(TEST_FIXTURE_MAIL)

TEST_FIXTURE_MAIL = \
	tests/data/fixtures/alice-inbox-1-welcome.eml \
	tests/data/fixtures/alice-inbox-2-flagged.eml \
	tests/data/fixtures/alice-inbox-3-umlaut-subject.eml \
	tests/data/fixtures/alice-inbox-4-multipart.eml \
	tests/data/fixtures/alice-inbox-5-unseen.eml \
	tests/data/fixtures/alice-sent-1.eml \
	tests/data/fixtures/alice-drafts-1.eml \
	tests/data/fixtures/alice-junk-1.eml \
	tests/data/fixtures/alice-archive-1.eml \
	tests/data/fixtures/alice-work-1.eml \
	tests/data/fixtures/alice-work-projects-1.eml \
	tests/data/fixtures/alice-entwuerfe-1.eml \
	tests/data/fixtures/bob-inbox-1.eml \
	tests/data/fixtures/bob-inbox-2.eml \
	tests/data/fixtures/bob-inbox-3-long.eml

# Certificates and the unpacked Cyrus/Courier packages are made once per
# build folder by the harness.
clean-local: clean-local-test-certs
clean-local-test-certs:
	-rm -rf tests/server/certs tests/server/certs.lock tests/server/.certs.*
	-rm -rf tests/server/pkgroot-* tests/server/.pkgroot.*
.PHONY: clean-local-test-certs
