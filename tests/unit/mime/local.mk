# tests: tests/unit/mime/local.mk
MIME_UNIT_TESTS = \
	tests/unit/mime/check_mime_hdr \
	tests/unit/mime/check_mime_body \
	tests/unit/mime/check_mime_summary \
	tests/unit/mime/check_mime_corpus \
	tests/unit/mime/check_mime_write \
	tests/unit/mime/check_mime_reply \
	tests/unit/mime/check_mime_parts
check_PROGRAMS += $(MIME_UNIT_TESTS)
TESTS += $(MIME_UNIT_TESTS) tests/unit/mime/check_view.sh
dist_check_SCRIPTS += tests/unit/mime/check_view.sh
EXTRA_DIST += tests/data/mime

tests_unit_mime_check_mime_hdr_SOURCES = tests/unit/mime/check_mime_hdr.c
tests_unit_mime_check_mime_hdr_CFLAGS = $(UNIT_CFLAGS)
tests_unit_mime_check_mime_hdr_LDADD = $(MIME_LIBS) $(UNIT_LIBS)
tests_unit_mime_check_mime_body_SOURCES = tests/unit/mime/check_mime_body.c
tests_unit_mime_check_mime_body_CFLAGS = $(UNIT_CFLAGS)
tests_unit_mime_check_mime_body_LDADD = $(MIME_LIBS) $(UNIT_LIBS)
tests_unit_mime_check_mime_corpus_SOURCES = tests/unit/mime/check_mime_corpus.c
tests_unit_mime_check_mime_corpus_CFLAGS = $(UNIT_CFLAGS)
tests_unit_mime_check_mime_corpus_LDADD = $(MIME_LIBS) $(UNIT_LIBS)
tests_unit_mime_check_mime_summary_SOURCES = tests/unit/mime/check_mime_summary.c
tests_unit_mime_check_mime_summary_CFLAGS = $(UNIT_CFLAGS)
tests_unit_mime_check_mime_summary_LDADD = $(MIME_LIBS) $(UNIT_LIBS)
tests_unit_mime_check_mime_write_SOURCES = tests/unit/mime/check_mime_write.c
tests_unit_mime_check_mime_write_CFLAGS = $(UNIT_CFLAGS)
tests_unit_mime_check_mime_write_LDADD = $(MIME_LIBS) $(UNIT_LIBS)
tests_unit_mime_check_mime_reply_SOURCES = tests/unit/mime/check_mime_reply.c
tests_unit_mime_check_mime_reply_CFLAGS = $(UNIT_CFLAGS)
tests_unit_mime_check_mime_reply_LDADD = $(MIME_LIBS) $(UNIT_LIBS)

# mime/submit.c: messages made ready for submission (postie send).
MIME_UNIT_TESTS += tests/unit/mime/check_submit
tests_unit_mime_check_submit_SOURCES = tests/unit/mime/check_submit.c
tests_unit_mime_check_submit_CFLAGS = $(UNIT_CFLAGS)
tests_unit_mime_check_submit_LDADD = $(MIME_LIBS) $(UNIT_LIBS)
# mime/submit7.c: the 7-bit downgrade for servers without 8BITMIME.
MIME_UNIT_TESTS += tests/unit/mime/check_submit7
tests_unit_mime_check_submit7_SOURCES = tests/unit/mime/check_submit7.c
tests_unit_mime_check_submit7_CFLAGS = $(UNIT_CFLAGS)
tests_unit_mime_check_submit7_LDADD = $(MIME_LIBS) $(UNIT_LIBS)
tests_unit_mime_check_mime_parts_SOURCES = tests/unit/mime/check_mime_parts.c
tests_unit_mime_check_mime_parts_CFLAGS = $(UNIT_CFLAGS)
tests_unit_mime_check_mime_parts_LDADD = $(MIME_LIBS) $(UNIT_LIBS)
